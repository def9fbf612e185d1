package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.ingest.ErrorCode;
import org.secondgrid.gateway.store.SlotEnergy;

/**
 * The gateway on its real embedded components (HiveMQ CE with the device-auth extension, PostgreSQL,
 * QuestDB through the InfluxDB v2 write API), all on free ports under a temp folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIT {

    static final String MARKET = "it";
    static final int DEVICES = 1000;
    static final int PER_DEVICE = 20;
    static final int ITERATIONS = 1000; // PBKDF2 iterations for test devices: 1000 logins stay quick

    Path dir;
    Gateway gw;
    String url;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gw-it");
        gw = Gateway.start(GatewayConfig.fromEnv(Map.of(
                "DATA_DIR", dir.toString(),
                "MQTT_PORT", String.valueOf(Mqtt.freePort()),
                "QUESTDB_HTTP_PORT", String.valueOf(Mqtt.freePort()),
                "HTTP_PORT", "0",
                "MQTT_PASSWORD", "gw-secret",
                "GATEWAY_ID", "it-gateway",
                "SLOT_REFRESH_MS", "500",
                "ADMIN_TOKEN", "it-admin")));
        url = "tcp://127.0.0.1:" + gw.mqttPort();
        List<Device> devices = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(new Device(meter(i), MARKET, site(i), "meters", 10, null));
            passwords.add("pw-" + meter(i));
        }
        devices.add(new Device("bad-m", MARKET, "bad-site", "meters", 10, null));
        devices.add(new Device("bad-c", MARKET, "bad-site", "chargers", 7, null));
        devices.add(new Device("bad-e", MARKET, "bad-site", "evs", 7, 40.0));
        passwords.addAll(List.of("pw-bad-m", "pw-bad-c", "pw-bad-e"));
        gw.devices().register(devices, passwords, ITERATIONS);
    }

    @AfterAll
    void stop() {
        if (gw != null) {
            gw.close();
        }
        Mqtt.deleteTree(dir);
    }

    static String meter(int i) {
        return String.format("m-%04d", i);
    }

    static String site(int i) {
        return String.format("site-%03d", i / 2); // two meters per site
    }

    /** Wh per second of import for meter i (export is half, PV twice that). */
    static double rate(int i) {
        return 1 + i % 7;
    }

    @Test
    void twentyThousandReadingsFromAThousandDevicesAreStoredExactlyOnceWithCorrectSlots() throws Exception {
        Instant t0 = SlotEnergy.slotStart(Instant.now().minus(3, ChronoUnit.HOURS)).plus(Duration.ofMinutes(7));
        long storedBefore = gw.metrics().stored.sum();
        ExecutorService pool = Executors.newFixedThreadPool(25);
        List<Future<List<Integer>>> results = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < DEVICES; i++) {
            int dev = i;
            long seed = random.nextLong();
            results.add(pool.submit(() -> {
                List<byte[]> payloads = new ArrayList<>();
                for (int k = 0; k < PER_DEVICE; k++) {
                    payloads.add(Mqtt.utf8(meterJson(dev, k, t0)));
                }
                Collections.shuffle(payloads, new Random(seed)); // out of order within and across slots
                payloads.add(payloads.get(0)); // one duplicate per device: a re-sent message
                MqttAsyncClient c = Mqtt.connect(url, meter(dev), "pw-" + meter(dev));
                try {
                    return Mqtt.publish(c, topic(meter(dev)), payloads);
                } finally {
                    c.disconnect().waitForCompletion(10_000);
                    c.close();
                }
            }));
        }
        for (Future<List<Integer>> f : results) {
            assertThat(f.get(5, TimeUnit.MINUTES)).allMatch(rc -> rc == 0);
        }
        pool.shutdown();
        int total = DEVICES * PER_DEVICE;
        Mqtt.await(Duration.ofMinutes(3), "20,000 readings stored",
                () -> gw.metrics().stored.sum() - storedBefore >= total && gw.metrics().queueDepth() == 0);
        Thread.sleep(500); // anything double would have arrived by now
        assertThat(gw.metrics().stored.sum() - storedBefore).isEqualTo(total);
        assertThat(count("SELECT count(*) FROM reading WHERE device_id LIKE 'm-%'")).isEqualTo(total);
        assertThat(count("SELECT count(DISTINCT device_id) FROM reading WHERE device_id LIKE 'm-%'")).isEqualTo(DEVICES);
        assertThat(gw.metrics().duplicates.sum()).isGreaterThanOrEqualTo(DEVICES);

        Mqtt.settleSlots(gw.slots(), gw.database().dataSource());
        Map<String, Map<Instant, double[]>> expected = expectedSlots(t0);
        int checked = 0;
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT site_id, slot_start, import_wh, export_wh, pv_wh FROM metered_slot WHERE site_id LIKE 'site-%'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double[] e = expected.get(rs.getString(1)).get(rs.getTimestamp(2).toInstant());
                assertThat(e).as("slot %s %s", rs.getString(1), rs.getTimestamp(2)).isNotNull();
                assertThat(rs.getDouble(3)).isCloseTo(e[0], within(1e-6));
                assertThat(rs.getDouble(4)).isCloseTo(e[1], within(1e-6));
                assertThat(rs.getDouble(5)).isCloseTo(e[2], within(1e-6));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(expected.values().stream().mapToInt(Map::size).sum());

        // Raw points reached QuestDB through the InfluxDB v2 write API, once each (dedup on device + ts).
        Mqtt.await(Duration.ofMinutes(2), "20,000 points in QuestDB", () -> questCount() >= total);
        assertThat(questCount()).isEqualTo(total);

        // Losing the time series is recoverable: rebuild it from PostgreSQL; re-sent points stay single.
        gw.questDb().exec("TRUNCATE TABLE meter_reading");
        // QuestDB applies a TRUNCATE of a WAL table asynchronously: wait until it has.
        Mqtt.await(Duration.ofMinutes(1), "meter_reading truncated", () -> questCount() == 0);
        long resent = org.secondgrid.gateway.store.TimeSeriesRebuild.run(gw.database().dataSource(), gw.timeseries(),
                t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(2)));
        assertThat(resent).isEqualTo(total);
        org.secondgrid.gateway.store.TimeSeriesRebuild.run(gw.database().dataSource(), gw.timeseries(),
                t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(2)));
        Mqtt.await(Duration.ofMinutes(2), "20,000 rebuilt points in QuestDB", () -> questCount() >= total);
        Thread.sleep(1000);
        assertThat(questCount()).isEqualTo(total);
    }

    @Test
    void badInputCorpusIsRejectedWithItsCodeAndTheGoodReadingsAroundItAreStored() throws Exception {
        Instant now = Instant.now();
        String ok = now.minusSeconds(5).toString();
        // {device, expected code, payload}; every bad one is followed by a good reading of the same device
        List<String[]> corpus = List.of(
                c("bad-m", "PAYLOAD_TOO_LARGE", "{\"seq\":1,\"pad\":\"" + "x".repeat(3000) + "\"}"),
                c("bad-m", "EMPTY_PAYLOAD", ""),
                c("bad-m", "MALFORMED_JSON", "{\"seq\":1,"),
                c("bad-m", "MALFORMED_JSON", "{\"seq\":1} trailing"),
                c("bad-m", "MALFORMED_JSON", "{seq:1}"),
                c("bad-m", "NOT_AN_OBJECT", "[1,2,3]"),
                c("bad-m", "NOT_AN_OBJECT", "42"),
                c("bad-m", "NOT_AN_OBJECT", "null"),
                c("bad-m", "DUPLICATE_FIELD", "{\"seq\":1,\"seq\":2}"),
                c("bad-m", "SEQ_MISSING", "{\"ts\":\"" + ok + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "SEQ_INVALID", "{\"seq\":\"9\",\"ts\":\"" + ok + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "SEQ_INVALID", "{\"seq\":-3,\"ts\":\"" + ok + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "SEQ_INVALID", "{\"seq\":1.5,\"ts\":\"" + ok + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_MISSING", "{\"seq\":900,\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_INVALID", "{\"seq\":900,\"ts\":\"yesterday\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_INVALID", "{\"seq\":900,\"ts\":\"2026-12-05T10:00:00\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_INVALID", "{\"seq\":900,\"ts\":1764900000,\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_IN_FUTURE", "{\"seq\":900,\"ts\":\"" + now.plus(Duration.ofHours(2)) + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "TS_TOO_OLD", "{\"seq\":900,\"ts\":\"" + now.minus(Duration.ofDays(30)) + "\",\"importWh\":1,\"exportWh\":0}"),
                c("bad-m", "FIELD_MISSING", "{\"seq\":900,\"ts\":\"" + ok + "\",\"exportWh\":0}"),
                c("bad-m", "FIELD_MISSING", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":1}"),
                c("bad-m", "FIELD_TYPE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":\"12\",\"exportWh\":0}"),
                c("bad-m", "FIELD_TYPE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":true,\"exportWh\":0}"),
                c("bad-m", "FIELD_TYPE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":{\"v\":1},\"exportWh\":0}"),
                c("bad-m", "VALUE_NOT_FINITE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":NaN,\"exportWh\":0}"),
                c("bad-m", "VALUE_NOT_FINITE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":Infinity,\"exportWh\":0}"),
                c("bad-m", "VALUE_NOT_FINITE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":1e400,\"exportWh\":0}"),
                c("bad-m", "VALUE_NEGATIVE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":-1,\"exportWh\":0}"),
                c("bad-m", "VALUE_NEGATIVE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"importWh\":1,\"exportWh\":0,\"pvWh\":-2}"),
                c("bad-c", "VALUE_OUT_OF_RANGE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"ev\":null,\"powerKw\":70,\"sessionWh\":0}"),
                c("bad-c", "FIELD_TYPE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"ev\":3,\"powerKw\":1,\"sessionWh\":0}"),
                c("bad-c", "VALUE_NEGATIVE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"ev\":\"ev-3\",\"powerKw\":1,\"sessionWh\":-1}"),
                c("bad-e", "VALUE_OUT_OF_RANGE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"lat\":95,\"lon\":139.9,\"socKwh\":10}"),
                c("bad-e", "VALUE_OUT_OF_RANGE", "{\"seq\":900,\"ts\":\"" + ok + "\",\"lat\":37.5,\"lon\":139.9,\"socKwh\":80}"),
                c("bad-e", "FIELD_MISSING", "{\"seq\":900,\"ts\":\"" + ok + "\",\"lat\":37.5,\"socKwh\":10}"));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);

        Map<String, MqttAsyncClient> clients = new HashMap<>();
        for (String d : List.of("bad-m", "bad-c", "bad-e")) {
            clients.put(d, Mqtt.connect(url, d, "pw-" + d));
        }
        ConcurrentLinkedQueue<String> errorsSeen = new ConcurrentLinkedQueue<>();
        clients.get("bad-m").setCallback(new ErrorCollector(errorsSeen));
        clients.get("bad-m").subscribe("secondgrid/" + MARKET + "/errors/bad-m", 0).waitForCompletion(10_000);

        Map<String, Integer> seq = new HashMap<>();
        Map<String, Integer> goodCount = new HashMap<>();
        List<String> expectedBadM = new ArrayList<>();
        long rejectedBefore = gw.metrics().rejectedTotal();
        for (String[] k : corpus) {
            String dev = k[0];
            MqttAsyncClient c = clients.get(dev);
            assertThat(Mqtt.publish(c, topic(dev), List.of(Mqtt.utf8(k[2])))).containsExactly(0);
            if (dev.equals("bad-m")) {
                expectedBadM.add(k[1]);
            }
            int s = seq.merge(dev, 1, Integer::sum);
            assertThat(Mqtt.publish(c, topic(dev), List.of(Mqtt.utf8(good(dev, s, now, s * 10.0))))).containsExactly(0);
            goodCount.merge(dev, 1, Integer::sum);
        }
        // A meter whose counters go backwards: stored, flagged as a reset, reported as COUNTER_RESET.
        int s = seq.merge("bad-m", 1, Integer::sum);
        Mqtt.publish(clients.get("bad-m"), topic("bad-m"), List.of(Mqtt.utf8(good("bad-m", s, now, 1.0))));
        goodCount.merge("bad-m", 1, Integer::sum);
        expectedBadM.add("COUNTER_RESET");

        Mqtt.await(Duration.ofMinutes(1), "all good corpus readings stored",
                () -> count("SELECT count(*) FROM reading WHERE device_id LIKE 'bad-%'") == goodCount.values().stream()
                        .mapToInt(Integer::intValue).sum());
        for (String dev : goodCount.keySet()) {
            assertThat(count("SELECT count(*) FROM reading WHERE device_id = '" + dev + "'"))
                    .as("good readings of %s", dev).isEqualTo(goodCount.get(dev).longValue());
        }
        Mqtt.await(Duration.ofMinutes(1), "all rejections recorded",
                () -> count("SELECT count(*) FROM rejected_message WHERE device_id LIKE 'bad-%'") == corpus.size());
        for (String dev : List.of("bad-m", "bad-c", "bad-e")) {
            List<String> expectedCodes = corpus.stream().filter(k -> k[0].equals(dev)).map(k -> k[1]).toList();
            assertThat(codes(dev)).as("codes of %s in order", dev).containsExactlyElementsOf(expectedCodes);
        }
        assertThat(gw.metrics().rejectedTotal() - rejectedBefore).isEqualTo(corpus.size());
        assertThat(count("SELECT count(*) FROM reading WHERE device_id = 'bad-m' AND counter_reset")).isEqualTo(1);
        Mqtt.await(Duration.ofSeconds(30), "error reports on the device's error topic",
                () -> errorsSeen.size() >= expectedBadM.size());
        assertThat(new ArrayList<>(errorsSeen)).containsExactlyElementsOf(expectedBadM);
        assertThat(gw.metrics().prometheus()).contains("secondgrid_gateway_rejected_total{code=\"TS_IN_FUTURE\"} 1");
        for (MqttAsyncClient c : clients.values()) {
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
    }

    @Test
    void aDevicePublishingUnderAnotherDevicesTopicIsRefused() throws Exception {
        MqttAsyncClient c = Mqtt.connect(url, meter(1), "pw-" + meter(1));
        String ts = Instant.now().toString();
        List<Integer> rc = Mqtt.publish(c, topic(meter(2)),
                List.of(Mqtt.utf8("{\"seq\":777777,\"ts\":\"" + ts + "\",\"importWh\":1,\"exportWh\":0}")));
        assertThat(rc.getFirst()).as("PUBACK reason code").isEqualTo(0x87); // NOT_AUTHORIZED
        // the broker may drop the offending connection; the device's own topic still works on a new one
        if (c.isConnected()) {
            c.disconnect().waitForCompletion(5000);
        }
        c.close();
        c = Mqtt.connect(url, meter(1), "pw-" + meter(1));
        assertThat(Mqtt.publish(c, topic(meter(1)),
                List.of(Mqtt.utf8("{\"seq\":777777,\"ts\":\"" + ts + "\",\"importWh\":999999,\"exportWh\":0}"))))
                .containsExactly(0);
        Mqtt.await(Duration.ofSeconds(30), "own reading stored",
                () -> count("SELECT count(*) FROM reading WHERE device_id = '" + meter(1) + "' AND seq = 777777") == 1);
        assertThat(count("SELECT count(*) FROM reading WHERE device_id = '" + meter(2) + "' AND seq = 777777")).isZero();
        c.disconnect().waitForCompletion(5000);
        c.close();

        // wrong password and unknown device are refused at CONNECT
        for (String[] cred : List.of(new String[]{meter(3), "wrong"}, new String[]{"nobody", "pw"})) {
            try {
                Mqtt.connect(url, cred[0], cred[1]).close();
                throw new AssertionError("connect as " + cred[0] + " should be refused");
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                assertThat(e.getReasonCode()).isIn(0x86, 0x87, 0x84, 4, 5, 134, 135);
            }
        }
    }

    @Test
    void aDeviceRegisteredOverHttpCanPublishAndItsSlotsAndMetricsAreServed() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + gw.httpPort();
        String body = "{\"market\":\"it\",\"siteId\":\"http-site\",\"kind\":\"meters\",\"ratedKw\":6,"
                + "\"password\":\"http-device-pw\"}";
        var noToken = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/devices/http-m"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        var bad = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/devices/http-m"))
                .header("Authorization", "Bearer it-admin")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace("\"meters\"", "\"toasters\""))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("kind").contains("toasters");
        var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/devices/http-m"))
                .header("Authorization", "Bearer it-admin")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

        Instant t = SlotEnergy.slotStart(Instant.now().minus(Duration.ofHours(1)));
        MqttAsyncClient c = Mqtt.connect(url, "http-m", "http-device-pw");
        assertThat(Mqtt.publish(c, "secondgrid/it/meters/http-m/reading", List.of(
                Mqtt.utf8("{\"seq\":1,\"ts\":\"" + t.plusSeconds(600) + "\",\"importWh\":100,\"exportWh\":0}"),
                Mqtt.utf8("{\"seq\":2,\"ts\":\"" + t.plusSeconds(1200) + "\",\"importWh\":250,\"exportWh\":0}"))))
                .containsExactly(0, 0);
        c.disconnect().waitForCompletion(5000);
        c.close();
        Mqtt.await(Duration.ofSeconds(30), "slot of http-site", () -> {
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        base + "/sites/http-site/slots?from=" + t + "&to=" + t.plusSeconds(1800)))
                        .header("Authorization", "Bearer it-admin").header("X-Purpose", "ingest test").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"importWh\":150.0");
            } catch (Exception e) {
                return false;
            }
        });
        var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("secondgrid_gateway_messages_in_total ")
                .contains("secondgrid_gateway_queue_depth ").contains("secondgrid_gateway_lag_seconds_bucket");
    }

    // --- helpers ---

    /** Collects the code of every error report that arrives. */
    record ErrorCollector(ConcurrentLinkedQueue<String> codes) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage msg) {
            String body = new String(msg.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
            int i = body.indexOf("\"code\":\"") + 8;
            codes.add(body.substring(i, body.indexOf('"', i)));
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int rc, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
        }
    }

    static String[] c(String device, String code, String payload) {
        ErrorCode.valueOf(code); // the corpus only uses real codes
        return new String[]{device, code, payload};
    }

    static String topic(String device) {
        return switch (device.charAt(device.length() - 1)) {
            case 'c' -> "secondgrid/" + MARKET + "/chargers/" + device + "/status";
            case 'e' -> "secondgrid/" + MARKET + "/evs/" + device + "/state";
            default -> "secondgrid/" + MARKET + "/meters/" + device + "/reading";
        };
    }

    static String good(String device, int seq, Instant now, double counter) {
        String ts = now.minusSeconds(60 - seq).toString();
        return switch (device) {
            case "bad-c" -> "{\"seq\":" + seq + ",\"ts\":\"" + ts + "\",\"ev\":\"ev-3\",\"powerKw\":-3.5,\"sessionWh\":" + counter + "}";
            case "bad-e" -> "{\"seq\":" + seq + ",\"ts\":\"" + ts + "\",\"lat\":37.49,\"lon\":139.93,\"socKwh\":20.5}";
            default -> "{\"seq\":" + seq + ",\"ts\":\"" + ts + "\",\"importWh\":" + counter + ",\"exportWh\":0,\"pvWh\":0}";
        };
    }

    static String meterJson(int i, int k, Instant t0) {
        Instant ts = t0.plusSeconds(i % 60 + 180L * k);
        double dt = 180.0 * k;
        double base = 10_000.0 * i;
        return "{\"seq\":" + (1000 + k) + ",\"ts\":\"" + ts + "\",\"importWh\":" + (base + rate(i) * dt)
                + ",\"exportWh\":" + (base / 2 + rate(i) * dt / 2) + ",\"pvWh\":" + (rate(i) * dt * 2) + "}";
    }

    /** Per site and slot: import, export, PV Wh, from the linear counters the meters report. */
    static Map<String, Map<Instant, double[]>> expectedSlots(Instant t0) {
        Map<String, Map<Instant, double[]>> out = new HashMap<>();
        long slotMs = SlotEnergy.SLOT.toMillis();
        for (int i = 0; i < DEVICES; i++) {
            long from = t0.plusSeconds(i % 60).toEpochMilli();
            long to = from + 180_000L * (PER_DEVICE - 1);
            for (long s = Math.floorDiv(from, slotMs) * slotMs; s < to; s += slotMs) {
                double sec = (Math.min(to, s + slotMs) - Math.max(from, s)) / 1000.0;
                double[] e = out.computeIfAbsent(site(i), x -> new HashMap<>())
                        .computeIfAbsent(Instant.ofEpochMilli(s), x -> new double[3]);
                e[0] += rate(i) * sec;
                e[1] += rate(i) * sec / 2;
                e[2] += rate(i) * sec * 2;
            }
        }
        return out;
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

    List<String> codes(String device) {
        List<String> out = new ArrayList<>();
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT code FROM rejected_message WHERE device_id = ? ORDER BY id")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long questCount() {
        String body = gw.questDb().exec("SELECT count() FROM meter_reading WHERE device LIKE 'm-%'");
        // {"query":..., "columns":[...], "dataset":[[20000]], ...}
        int i = body.indexOf("\"dataset\":[[");
        return Long.parseLong(body.substring(i + 12, body.indexOf(']', i)));
    }

    @SuppressWarnings("unused")
    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
