package org.secondgrid.gateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Test helpers: free ports, a device that publishes QoS 1 with its own credentials, waiting. */
final class Mqtt {

    private Mqtt() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MqttAsyncClient connect(String url, String user, String password) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(url, user + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setConnectionTimeout(30);
        c.connect(o).waitForCompletion(30_000);
        return c;
    }

    /**
     * Publishes each payload QoS 1 on the topic and waits for its PUBACK; returns each PUBACK's reason
     * code (0 = accepted by the broker), or the exception's reason code if the publish failed.
     */
    static List<Integer> publish(MqttAsyncClient c, String topic, List<byte[]> payloads) {
        List<Integer> codes = new ArrayList<>();
        for (byte[] p : payloads) {
            for (int attempt = 0; ; attempt++) {
                try {
                    MqttMessage m = new MqttMessage(p);
                    m.setQos(1);
                    IMqttToken t = c.publish(topic, m);
                    t.waitForCompletion(30_000);
                    int[] rc = t.getReasonCodes();
                    codes.add(rc == null || rc.length == 0 ? 0 : rc[0]);
                    break;
                } catch (MqttException e) {
                    // Paho completes a token a moment before it frees the in-flight slot: retry "too many publishes"
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && attempt < 1000) {
                        sleep(1);
                        continue;
                    }
                    codes.add(e.getReasonCode());
                    break;
                }
            }
        }
        return codes;
    }

    static void await(Duration max, String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Refreshes metered slots and waits until no dirty slot is left, also none held by the gateway's own
     * periodic refresher (whose deleted-but-uncommitted rows stay visible until it commits).
     */
    static void settleSlots(org.secondgrid.gateway.store.SlotRefresher slots, javax.sql.DataSource ds) throws Exception {
        slots.refreshAll();
        await(java.time.Duration.ofMinutes(1), "no dirty slots left", () -> {
            try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM slot_dirty");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
    }

    /** Deletes a test's temp folder (best effort). */
    static void deleteTree(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // leftovers in the temp folder are harmless
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
