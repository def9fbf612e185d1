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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.gateway.auth.MosquittoBroker;
import org.secondgrid.gateway.auth.MosquittoFiles;
import org.secondgrid.gateway.auth.PasswordHasher;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * The gateway against Debian's Mosquitto (password and ACL files generated from the registry) and
 * Debian's PostgreSQL ({@code DATABASE_URL}), both started by the test on free ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MosquittoIT {

    static final String MARKET = "mosq";
    static final int DEVICES = 100;
    static final int PER_DEVICE = 50;

    Path dir;
    DebianPostgres pg;
    MosquittoBroker mosquitto;
    Gateway gw;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gw-mosq");
        pg = DebianPostgres.start();
        List<Device> devices = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(new Device("q-" + i, MARKET, "q-site-" + (i / 4), "meters", 10, null));
            passwords.add("pw-q-" + i);
        }
        try (Database db = Database.open(pg.jdbcUrl(), dir, 0)) {
            DeviceRepository repo = new DeviceRepository(db.dataSource());
            repo.register(devices, passwords, 1000);
            mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"),
                    MosquittoFiles.passwords(repo.passwordHashes(), "gateway", PasswordHasher.hash("gw-secret", 1000)),
                    MosquittoFiles.acl(repo.all(), "gateway"));
        }
        gw = Gateway.start(GatewayConfig.fromEnv(Map.of(
                "DATA_DIR", dir.resolve("gateway").toString(),
                "DATABASE_URL", pg.jdbcUrl(),
                "MQTT_URL", mosquitto.url(),
                "MQTT_USERNAME", "gateway",
                "MQTT_PASSWORD", "gw-secret",
                "GATEWAY_ID", "mosq-gateway",
                "INFLUX_URL", "off",
                "HTTP_PORT", "0",
                "SLOT_REFRESH_MS", "500")));
    }

    @AfterAll
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (pg != null) {
            pg.close();
        }
        Mqtt.deleteTree(dir);
    }

    static String topic(int i) {
        return "secondgrid/" + MARKET + "/meters/q-" + i + "/reading";
    }

    @Test
    @Order(1)
    void readingsThroughMosquittoAreStoredExactlyOnceWithExactSlotTotals() throws Exception {
        Instant t0 = Instant.now().minus(Duration.ofHours(2));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<List<Integer>>> fs = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            int dev = i;
            fs.add(pool.submit(() -> {
                List<byte[]> payloads = new ArrayList<>();
                for (int k = 0; k < PER_DEVICE; k++) {
                    payloads.add(Mqtt.utf8("{\"seq\":" + k + ",\"ts\":\"" + t0.plusSeconds(120L * k) + "\",\"importWh\":"
                            + (100.0 * dev + 7.5 * k) + ",\"exportWh\":" + (2.0 * k) + "}"));
                }
                Collections.shuffle(payloads, new Random(dev));
                payloads.add(payloads.get(3)); // a re-sent duplicate
                MqttAsyncClient c = Mqtt.connect(mosquitto.url(), "q-" + dev, "pw-q-" + dev);
                try {
                    return Mqtt.publish(c, topic(dev), payloads);
                } finally {
                    c.disconnect().waitForCompletion(10_000);
                    c.close();
                }
            }));
        }
        for (Future<List<Integer>> f : fs) {
            assertThat(f.get(3, TimeUnit.MINUTES)).allMatch(rc -> rc == 0);
        }
        pool.shutdown();
        int total = DEVICES * PER_DEVICE;
        Mqtt.await(Duration.ofMinutes(2), "all readings stored", () -> count("SELECT count(*) FROM reading") >= total);
        Thread.sleep(500);
        assertThat(count("SELECT count(*) FROM reading")).isEqualTo(total);
        Mqtt.settleSlots(gw.slots(), gw.database().dataSource());
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT sum(import_wh), sum(export_wh) FROM metered_slot"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getDouble(1)).isCloseTo(DEVICES * 7.5 * (PER_DEVICE - 1), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(rs.getDouble(2)).isCloseTo(DEVICES * 2.0 * (PER_DEVICE - 1), org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    @Order(2)
    void theGeneratedAclRefusesAnotherDevicesTopicAndThePasswordFileAWrongPassword() throws Exception {
        MqttAsyncClient c = Mqtt.connect(mosquitto.url(), "q-1", "pw-q-1");
        String ts = Instant.now().toString();
        List<Integer> rc = Mqtt.publish(c, topic(2), List.of(Mqtt.utf8("{\"seq\":99999,\"ts\":\"" + ts
                + "\",\"importWh\":1,\"exportWh\":0}")));
        // Mosquitto drops a publish its ACL denies and answers PUBACK 0x87 "not authorized"
        assertThat(rc).containsExactly(0x87);
        try {
            c.disconnect().waitForCompletion(5000);
        } catch (MqttException e) {
            // already disconnected by the broker
        }
        c.close();
        MqttAsyncClient own = Mqtt.connect(mosquitto.url(), "q-1", "pw-q-1");
        assertThat(Mqtt.publish(own, topic(1), List.of(Mqtt.utf8("{\"seq\":99999,\"ts\":\"" + ts
                + "\",\"importWh\":999999,\"exportWh\":0}")))).containsExactly(0);
        own.disconnect().waitForCompletion(5000);
        own.close();
        Mqtt.await(Duration.ofSeconds(30), "own reading stored",
                () -> count("SELECT count(*) FROM reading WHERE device_id = 'q-1' AND seq = 99999") == 1);
        Thread.sleep(500);
        assertThat(count("SELECT count(*) FROM reading WHERE device_id = 'q-2' AND seq = 99999")).isZero();
        try {
            Mqtt.connect(mosquitto.url(), "q-3", "wrong").close();
            throw new AssertionError("a wrong password must be refused");
        } catch (MqttException e) {
            assertThat(e.getReasonCode()).isIn(4, 5, 0x86, 0x87);
        }
    }

    @Test
    @Order(3)
    void aGatewayKilledMidStreamAndRestartedAgainstMosquittoLosesNothing() throws Exception {
        // This test runs the gateway as a child process under the same GATEWAY_ID, so that it resumes the
        // session (and its share of the shared subscription) the in-process gateway had: Mosquitto keeps
        // queueing a share of the stream for an offline member of the group.
        gw.close();
        gw = null;
        Process child = ChildGateway.start(dir, "mosq-gateway", pg.jdbcUrl(), mosquitto.url(), "gw-secret");
        int devices = 20;
        int perDevice = 200;
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        List<Future<List<Integer>>> fs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            int dev = i;
            fs.add(pool.submit(() -> {
                MqttAsyncClient c = Mqtt.connect(mosquitto.url(), "q-" + dev, "pw-q-" + dev);
                List<Integer> codes = new ArrayList<>();
                try {
                    for (int k = 0; k < perDevice; k++) {
                        codes.addAll(Mqtt.publish(c, topic(dev), List.of(Mqtt.utf8("{\"seq\":" + (500_000 + k)
                                + ",\"ts\":\"" + t0.plusSeconds(5L * k) + "\",\"importWh\":" + (1e6 + 10.0 * k)
                                + ",\"exportWh\":0}"))));
                        Thread.sleep(20);
                    }
                } finally {
                    c.disconnect().waitForCompletion(10_000);
                    c.close();
                }
                return codes;
            }));
        }
        String q = "SELECT count(*) FROM reading WHERE seq >= 500000";
        try {
            Mqtt.await(Duration.ofMinutes(1), "a part of the stream stored", () -> countDb(q) >= 1000);
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
            assertThat(countDb(q)).isLessThan(devices * perDevice);
            Thread.sleep(1000);
            child = ChildGateway.start(dir, "mosq-gateway", pg.jdbcUrl(), mosquitto.url(), "gw-secret");
            for (Future<List<Integer>> f : fs) {
                assertThat(f.get(3, TimeUnit.MINUTES)).allMatch(rc -> rc == 0);
            }
            Mqtt.await(Duration.ofMinutes(2), "every reading stored", () -> countDb(q) >= devices * perDevice);
            Thread.sleep(1000);
            assertThat(countDb(q)).isEqualTo(devices * perDevice);
        } finally {
            pool.shutdownNow();
            child.destroy();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    long countDb(String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl()); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
