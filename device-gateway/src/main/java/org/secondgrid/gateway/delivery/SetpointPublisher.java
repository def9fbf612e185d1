package org.secondgrid.gateway.delivery;

/** Sends one setpoint message (QoS 1); throws if the broker did not take it. */
@FunctionalInterface
public interface SetpointPublisher {
    void publish(String topic, byte[] payload) throws Exception;
}
