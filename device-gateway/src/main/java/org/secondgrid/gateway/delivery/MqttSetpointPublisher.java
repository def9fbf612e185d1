package org.secondgrid.gateway.delivery;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes setpoints with the gateway's broker account (which may publish on
 * {@code secondgrid/+/chargers/+/setpoint}), QoS 1 and retained, so a charger that (re)subscribes gets
 * the current one at once; it waits for the PUBACK and fails on a non-success reason code.
 */
public final class MqttSetpointPublisher implements SetpointPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttSetpointPublisher.class);

    /** How long a full in-flight window may stay full after every token completed (Paho frees it a little later). */
    private static final long WINDOW_WAIT_NANOS = 10_000_000_000L;

    private final MqttAsyncClient client;

    public MqttSetpointPublisher(String url, String clientId, String user, String password) throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setConnectionTimeout(30);
        client.connect(o).waitForCompletion(30_000);
        log.info("delivery: setpoints published at {} as {}", url, clientId);
    }

    @Override
    public void publish(String topic, byte[] payload) throws Exception {
        check(client.publish(topic, retainedQos1(payload)), topic);
    }

    private static MqttMessage retainedQos1(byte[] payload) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(true);
        return m;
    }

    /**
     * Publishes all, as many in flight as the broker's receive maximum allows (when the window is full, waits for the
     * oldest acknowledgement), and returns once every one was acknowledged.
     */
    @Override
    public void publishAll(java.util.List<Message> messages) throws Exception {
        java.util.List<IMqttToken> tokens = new java.util.ArrayList<>(messages.size());
        int acked = 0;
        long start = System.nanoTime();
        for (Message msg : messages) {
            MqttMessage m = retainedQos1(msg.payload());
            while (true) {
                try {
                    tokens.add(client.publish(msg.topic(), m));
                    break;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    if (acked < tokens.size()) {
                        check(tokens.get(acked), messages.get(acked).topic());
                        acked++;
                    } else if (System.nanoTime() - start < WINDOW_WAIT_NANOS) {
                        // every token is complete but the client has not freed its in-flight slot yet
                        Thread.sleep(2);
                    } else {
                        throw e;
                    }
                }
            }
        }
        for (; acked < tokens.size(); acked++) {
            check(tokens.get(acked), messages.get(acked).topic());
        }
    }

    private static void check(IMqttToken t, String topic) throws MqttException {
        t.waitForCompletion(10_000);
        int[] rc = t.getReasonCodes();
        if (rc != null && rc.length > 0 && rc[0] >= 0x80) {
            throw new IllegalStateException("broker refused setpoint on " + topic + ": reason code 0x"
                    + Integer.toHexString(rc[0]));
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            log.debug("setpoint publisher close: {}", e.toString());
        }
    }
}
