package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.auth.EmbeddedBroker;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * Gateways as separate {@code java} processes (the test classpath) against one broker (embedded HiveMQ
 * with device auth, in this JVM) and one PostgreSQL ({@code DATABASE_URL}); a gateway is killed with
 * SIGKILL mid-stream. Nothing may be lost, nothing stored twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    static final String MARKET = "crash";
    static final int DEVICES = 50;
    static final int PER_DEVICE = 200;

    Path dir;
    Database db;
    DeviceRepository devices;
    EmbeddedBroker broker;
    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gw-crash");
        db = Database.open(null, dir, 0); // an embedded PostgreSQL that the child gateways reach by URL
        devices = new DeviceRepository(db.dataSource());
        broker = EmbeddedBroker.start(dir, Mqtt.freePort(), devices, "gateway", "gw-secret");
        List<Device> ds = new ArrayList<>();
        List<String> pw = new ArrayList<>();
        for (String prefix : List.of("k", "s")) {
            for (int i = 0; i < DEVICES; i++) {
                ds.add(new Device(prefix + "-" + i, MARKET, prefix + "-site-" + i, "meters", 10, null));
                pw.add("pw");
            }
        }
        devices.register(ds, pw, 1000);
    }

    @AfterAll
    void stop() {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (db != null) {
            db.close();
        }
        Mqtt.deleteTree(dir);
    }

    Process gateway(String id) throws Exception {
        Process p = ChildGateway.start(dir, id, db.jdbcUrl(), broker.url(), "gw-secret");
        processes.add(p);
        return p;
    }

    /** Publishes PER_DEVICE readings for each device, paced so the stream lasts a few seconds. */
    List<Future<List<Integer>>> publish(ExecutorService pool, String prefix) {
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        List<Future<List<Integer>>> fs = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String dev = prefix + "-" + i;
            fs.add(pool.submit(() -> {
                MqttAsyncClient c = Mqtt.connect(broker.url(), dev, "pw");
                List<Integer> codes = new ArrayList<>();
                try {
                    for (int k = 0; k < PER_DEVICE; k++) {
                        String json = "{\"seq\":" + k + ",\"ts\":\"" + t0.plusSeconds(5L * k) + "\",\"importWh\":"
                                + (10.0 * k) + ",\"exportWh\":0}";
                        codes.addAll(Mqtt.publish(c, "secondgrid/" + MARKET + "/meters/" + dev + "/reading",
                                List.of(Mqtt.utf8(json))));
                        Thread.sleep(20);
                    }
                } finally {
                    c.disconnect().waitForCompletion(10_000);
                    c.close();
                }
                return codes;
            }));
        }
        return fs;
    }

    @Test
    void aGatewayKilledMidStreamAndRestartedLosesNothingAndStoresNothingTwice() throws Exception {
        Process a = gateway("gw-kill");
        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        List<Future<List<Integer>>> fs = publish(pool, "k");
        Mqtt.await(Duration.ofMinutes(1), "a part of the stream stored", () -> count("k") >= 2000);
        a.destroyForcibly(); // SIGKILL: no shutdown hook, unacked messages stay with the broker
        a.waitFor(30, TimeUnit.SECONDS);
        long atKill = count("k");
        assertThat(atKill).isLessThan(DEVICES * PER_DEVICE);
        Thread.sleep(1000); // devices keep publishing while no gateway is up
        Process again = gateway("gw-kill");
        for (Future<List<Integer>> f : fs) {
            assertThat(f.get(3, TimeUnit.MINUTES)).allMatch(rc -> rc == 0);
        }
        pool.shutdown();
        Mqtt.await(Duration.ofMinutes(2), "every reading stored", () -> count("k") >= DEVICES * PER_DEVICE);
        Thread.sleep(1000);
        assertThat(count("k")).isEqualTo(DEVICES * PER_DEVICE);
        assertSlotTotals("k");
        again.destroy(); // SIGTERM: graceful
        again.waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void twoGatewaysShareTheStreamAndWhenOneIsKilledTheOtherTakesOver() throws Exception {
        Process a = gateway("gw-a");
        Process b = gateway("gw-b");
        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        List<Future<List<Integer>>> fs = publish(pool, "s");
        Mqtt.await(Duration.ofMinutes(1), "a part of the stream stored", () -> count("s") >= 2000);
        b.destroyForcibly();
        b.waitFor(30, TimeUnit.SECONDS);
        for (Future<List<Integer>> f : fs) {
            assertThat(f.get(3, TimeUnit.MINUTES)).allMatch(rc -> rc == 0);
        }
        pool.shutdown();
        Mqtt.await(Duration.ofMinutes(2), "every reading stored by the surviving gateway",
                () -> count("s") >= DEVICES * PER_DEVICE);
        Thread.sleep(1000);
        assertThat(count("s")).isEqualTo(DEVICES * PER_DEVICE);
        assertSlotTotals("s");
        a.destroy();
        a.waitFor(60, TimeUnit.SECONDS);
    }

    /** Each meter's counter rose 10 Wh per reading: its slots must add up to exactly that, no more. */
    void assertSlotTotals(String prefix) throws Exception {
        double expected = DEVICES * 10.0 * (PER_DEVICE - 1);
        Mqtt.await(Duration.ofMinutes(1), "slot totals for " + prefix, () -> {
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(sum(import_wh), 0) FROM metered_slot WHERE site_id LIKE ?"
                            + " AND NOT EXISTS (SELECT 1 FROM slot_dirty WHERE site_id LIKE ?)")) {
                ps.setString(1, prefix + "-site-%");
                ps.setString(2, prefix + "-site-%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Math.abs(rs.getDouble(1) - expected) < 1e-6;
                }
            } catch (SQLException e) {
                return false;
            }
        });
    }

    long count(String prefix) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM reading WHERE device_id LIKE ?")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
