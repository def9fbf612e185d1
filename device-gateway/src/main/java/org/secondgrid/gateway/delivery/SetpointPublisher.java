package org.secondgrid.gateway.delivery;

import java.util.List;

/** Sends setpoint messages (QoS 1); throws if the broker did not take one. */
@FunctionalInterface
public interface SetpointPublisher {

    /** One message for a topic. */
    record Message(String topic, byte[] payload) {
    }

    void publish(String topic, byte[] payload) throws Exception;

    /** Sends all and returns once the broker took every one (default: one after the other). */
    default void publishAll(List<Message> messages) throws Exception {
        for (Message m : messages) {
            publish(m.topic(), m.payload());
        }
    }
}
