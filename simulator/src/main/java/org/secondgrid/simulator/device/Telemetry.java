package org.secondgrid.simulator.device;

import java.util.List;

/** Where devices' messages go: MQTT (each device on its own connection) or, for tests, a recorder. */
public interface Telemetry extends AutoCloseable {

    /** Sends the messages of one tick; returns when every one is acknowledged (QoS 1) or throws. */
    void send(List<DeviceMessage> messages);

    @Override
    default void close() {
    }
}
