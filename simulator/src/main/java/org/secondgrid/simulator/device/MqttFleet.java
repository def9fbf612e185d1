package org.secondgrid.simulator.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.secondgrid.simulator.physics.Setpoint;
import org.secondgrid.simulator.physics.SetpointBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every device on its own MQTT v5 connection (Paho) with its own credentials: QoS 1 publishes on its own telemetry
 * topic; chargers subscribe (QoS 1) to their setpoint topic and file what arrives in the {@link SetpointBook}.
 */
public final class MqttFleet implements Telemetry {

    private static final Logger log = LoggerFactory.getLogger(MqttFleet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, MqttAsyncClient> clients = new ConcurrentHashMap<>();
    private final SetpointBook setpoints;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong setpointsIn = new AtomicLong();

    private MqttFleet(SetpointBook setpoints) {
        this.setpoints = setpoints;
    }

    /** Connects every device (in parallel, {@code threads} at a time). */
    public static MqttFleet connect(String mqttUrl, List<SimDevice> devices, Map<String, String> passwords,
                                    SetpointBook setpoints, int threads) {
        MqttFleet fleet = new MqttFleet(setpoints);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (SimDevice d : devices) {
                fs.add(pool.submit(() -> {
                    fleet.connectOne(mqttUrl, d, passwords.get(d.id()));
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            fleet.close();
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("devices could not connect to " + mqttUrl + ": " + c.getMessage(), c);
        } finally {
            pool.shutdown();
        }
        log.info("{} devices connected to {}, each with its own credentials", devices.size(), mqttUrl);
        return fleet;
    }

    private void connectOne(String url, SimDevice d, String password) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, "sim-" + d.id(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(d.id());
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(30);
        o.setKeepAliveInterval(60);
        boolean charger = "chargers".equals(d.kind());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                log.warn("device {} disconnected: {}", d.id(), r.getReasonString());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                log.warn("device {}: {}", d.id(), e.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                if (topic.endsWith("/setpoint")) {
                    onSetpoint(d.id(), m.getPayload());
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect && charger) {
                    try {
                        c.subscribe(d.setpointTopic(), 1);
                    } catch (MqttException e) {
                        log.warn("charger {} could not re-subscribe: {}", d.id(), e.getMessage());
                    }
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        c.connect(o).waitForCompletion(30_000);
        if (charger) {
            IMqttToken t = c.subscribe(d.setpointTopic(), 1);
            t.waitForCompletion(30_000);
            int[] rc = t.getReasonCodes();
            if (rc != null && rc.length > 0 && rc[0] >= 0x80) {
                throw new IllegalStateException("charger " + d.id() + " may not subscribe to " + d.setpointTopic()
                        + ": reason 0x" + Integer.toHexString(rc[0]));
            }
        }
        clients.put(d.id(), c);
    }

    void onSetpoint(String chargerId, byte[] payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            Instant slotStart = OffsetDateTime.parse(n.get("slotStart").asText()).toInstant();
            JsonNode ev = n.get("ev");
            setpoints.put(new Setpoint(chargerId, slotStart, ev == null || ev.isNull() ? null : ev.asText(),
                    n.get("powerKw").asDouble()));
            setpointsIn.incrementAndGet();
        } catch (Exception e) {
            log.warn("charger {} ignored a bad setpoint ({}): {}", chargerId, e.getMessage(),
                    new String(payload, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void send(List<DeviceMessage> messages) {
        List<IMqttToken> tokens = new ArrayList<>(messages.size());
        List<DeviceMessage> sent = new ArrayList<>(messages.size());
        for (DeviceMessage m : messages) {
            MqttAsyncClient c = clients.get(m.deviceId());
            if (c == null) {
                throw new IllegalStateException("device " + m.deviceId() + " is not connected");
            }
            tokens.add(publish(c, m));
            sent.add(m);
        }
        for (int i = 0; i < tokens.size(); i++) {
            try {
                tokens.get(i).waitForCompletion(60_000);
            } catch (MqttException e) {
                throw new IllegalStateException("publish of " + sent.get(i).deviceId() + " failed: " + e.getMessage(), e);
            }
            int[] rc = tokens.get(i).getReasonCodes();
            if (rc != null && rc.length > 0 && rc[0] >= 0x80) {
                throw new IllegalStateException("broker refused " + sent.get(i).topic() + ": reason 0x"
                        + Integer.toHexString(rc[0]));
            }
        }
        published.addAndGet(messages.size());
    }

    private static IMqttToken publish(MqttAsyncClient c, DeviceMessage m) {
        for (int attempt = 0; ; attempt++) {
            try {
                MqttMessage msg = new MqttMessage(m.payload().getBytes(StandardCharsets.UTF_8));
                msg.setQos(1);
                return c.publish(m.topic(), msg);
            } catch (MqttException e) {
                if ((e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED) && attempt < 30_000) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", ie);
                    }
                    continue;
                }
                throw new IllegalStateException("publish of " + m.deviceId() + " failed: " + e.getMessage(), e);
            }
        }
    }

    public long published() {
        return published.get();
    }

    public long setpointsReceived() {
        return setpointsIn.get();
    }

    public int connections() {
        return clients.size();
    }

    @Override
    public void close() {
        // each client's disconnect and close waits on its own threads (~100 ms): 32 at a time, not one by one
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> fs = new ArrayList<>();
        for (MqttAsyncClient c : clients.values()) {
            fs.add(pool.submit(() -> {
                try {
                    c.disconnect(1_000).waitForCompletion(5_000);
                } catch (MqttException e) {
                    log.debug("disconnect: {}", e.getMessage());
                }
                try {
                    c.close();
                } catch (MqttException e) {
                    log.debug("close: {}", e.getMessage());
                }
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (Exception e) {
                log.debug("device close: {}", e.toString());
            }
        }
        pool.shutdown();
        log.info("{} device connections closed", fs.size());
        clients.clear();
    }
}
