package org.secondgrid.simulator.device;

/** One telemetry message of one device: its own topic and JSON payload. */
public record DeviceMessage(String deviceId, String topic, String payload) {
}
