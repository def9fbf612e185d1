package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.gateway.delivery.DeliveryDay;
import org.secondgrid.gateway.delivery.DeliveryStore;
import org.secondgrid.gateway.delivery.Fixtures;
import org.secondgrid.gateway.delivery.Redispatcher;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

/**
 * Delivery on the real gateway (embedded HiveMQ with device auth, embedded PostgreSQL, Debian's InfluxDB 1.x as
 * the time-series store through INFLUX_API=v1), driven by a test
 * clock: a day with two EVs that charge at a no-backflow factory and deliver to two houses, and a grid
 * sale. Meters and chargers publish over MQTT with their own credentials; a charger subscribes to its own
 * setpoint topic. The final schedule is read from the market service's {@code market_schedule} table.
 * ev-1 comes one slot late (re-dispatched into its stop's free slot), ev-2 never comes
 * to its buyer (re-dispatched into its later slots, the missed slots are imbalance bought from the
 * retailer); the factory spills once without any EV there (a backflow event not caused by an EV).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {

    static final String MARKET = "dit";
    static final double PRICE = 37.5;
    static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    InfluxProcess influx;
    Gateway gw;
    TestClock clock;
    String url;
    final Instance instance = Fixtures.instance(MARKET, 1);
    final Solution solution = Fixtures.solution(MARKET, false);
    final DeliveryDay day = DeliveryDay.of(instance);
    final Map<String, Long> seq = new HashMap<>();
    final Map<String, double[]> counters = new HashMap<>();
    final Map<String, MqttAsyncClient> clients = new HashMap<>();
    int published;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gw-delivery-it");
        clock = new TestClock(day.slotStart(19));
        Path influxDir = dir.resolve("influx");
        Files.createDirectories(influxDir);
        influx = new InfluxProcess(influxDir);
        influx.command("CREATE DATABASE delivery");
        gw = Gateway.start(GatewayConfig.fromEnv(Map.ofEntries(
                Map.entry("DATA_DIR", dir.toString()),
                Map.entry("MQTT_PORT", String.valueOf(Mqtt.freePort())),
                Map.entry("HTTP_PORT", "0"),
                Map.entry("INFLUX_URL", "http://127.0.0.1:" + influx.httpPort), // InfluxDB 1.x through /write
                Map.entry("INFLUX_API", "v1"),
                Map.entry("INFLUX_BUCKET", "delivery"),
                Map.entry("MQTT_PASSWORD", "gw-secret"),
                Map.entry("MQTT_PERSISTENCE", "in-memory"),
                Map.entry("GATEWAY_ID", "delivery-it"),
                Map.entry("SLOT_REFRESH_MS", "300000"),
                Map.entry("DELIVERY_TICK_MS", "3600000"),           // the test ticks by hand
                Map.entry("DELIVERY_CLOSE_DELAY_SECONDS", "0"),
                Map.entry("DELIVERY_MARKETS", MARKET),
                Map.entry("IMBALANCE_PRICE_JPY_PER_KWH", String.valueOf(PRICE)))), clock);
        url = "tcp://127.0.0.1:" + gw.mqttPort();
        List<Device> devices = List.of(
                new Device("m-factory", MARKET, "factory", "meters", 50, null),
                new Device("m-house-a", MARKET, "house-a", "meters", 10, null),
                new Device("m-house-b", MARKET, "house-b", "meters", 10, null),
                new Device("m-shop", MARKET, "shop", "meters", 20, null),
                new Device("c-f1", MARKET, "factory", "chargers", 6, null),
                new Device("c-f2", MARKET, "factory", "chargers", 6, null),
                new Device("c-a", MARKET, "house-a", "chargers", 6, null),
                new Device("c-b", MARKET, "house-b", "chargers", 6, null));
        gw.devices().register(devices, devices.stream().map(d -> "pw-" + d.deviceId()).toList(), 1000);
        for (Device d : devices) {
            clients.put(d.deviceId(), Mqtt.connect(url, d.deviceId(), "pw-" + d.deviceId()));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (MqttAsyncClient c : clients.values()) {
            try {
                c.disconnect().waitForCompletion(5_000);
                c.close();
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        if (gw != null) {
            gw.close();
        }
        if (influx != null) {
            influx.close();
        }
        Mqtt.deleteTree(dir);
    }

    /** Setpoints a charger receives on its own topic. */
    List<JsonNode> subscribe(String charger) throws Exception {
        List<JsonNode> got = new CopyOnWriteArrayList<>();
        MqttAsyncClient c = Mqtt.connect(url, charger, "pw-" + charger);
        clients.put(charger + "-sub", c);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
                got.add(JSON.readTree(m.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties p) {
            }
        });
        IMqttToken t = c.subscribe("secondgrid/" + MARKET + "/chargers/" + charger + "/setpoint", 1);
        t.waitForCompletion(10_000);
        assertThat(t.getReasonCodes()).containsExactly(1); // granted QoS 1: a charger may read its own setpoints
        return got;
    }

    void publish(String device, String topicLeaf, String json) {
        String kind = device.startsWith("m-") ? "meters" : "chargers";
        List<Integer> rc = Mqtt.publish(clients.get(device), "secondgrid/" + MARKET + "/" + kind + "/" + device + "/" + topicLeaf,
                List.of(Mqtt.utf8(json)));
        assertThat(rc).containsExactly(0);
        published++;
    }

    void meter(String id, Instant ts, double addImportKwh, double addExportKwh) {
        double[] c = counters.computeIfAbsent(id, k -> new double[2]);
        c[0] += addImportKwh * 1000;
        c[1] += addExportKwh * 1000;
        long s = seq.merge(id, 1L, Long::sum);
        publish(id, "reading", "{\"seq\":" + s + ",\"ts\":\"" + ts + "\",\"importWh\":" + c[0] + ",\"exportWh\":" + c[1] + "}");
    }

    void charger(String id, Instant ts, String ev, double powerKw) {
        long s = seq.merge(id, 1L, Long::sum);
        publish(id, "status", "{\"seq\":" + s + ",\"ts\":\"" + ts + "\",\"ev\":" + (ev == null ? "null" : "\"" + ev + "\"")
                + ",\"powerKw\":" + powerKw + ",\"sessionWh\":0}");
    }

    /** What each charger really does in a slot: ev-1 misses slot 20, ev-2 never reaches house-b. */
    Map<String, Object[]> chargerStates(int slot) {
        Map<String, Object[]> m = new HashMap<>();
        m.put("c-f1", switch (slot) {
            case 21, 22 -> new Object[] {"ev-1", 6.0};
            default -> new Object[] {null, 0.0};
        });
        m.put("c-f2", slot == 20 || slot == 21 ? new Object[] {"ev-2", 6.0} : new Object[] {null, 0.0});
        m.put("c-a", slot == 24 || slot == 25 ? new Object[] {"ev-1", -5.4} : new Object[] {null, 0.0});
        m.put("c-b", new Object[] {null, 0.0});
        return m;
    }

    /** Metered kWh {import, export} per meter per slot. */
    double[] metered(String meter, int slot) {
        return switch (meter) {
            case "m-factory" -> slot == 23 ? new double[] {0, 0.5} : new double[] {0.2, 0};
            case "m-house-a" -> slot == 24 || slot == 25 ? new double[] {0.3, 0} : new double[] {0.5, 0};
            case "m-house-b" -> slot == 20 ? new double[] {0, 1.5} : slot == 24 || slot == 25 ? new double[] {3.0, 0}
                    : new double[] {0.5, 0};
            default -> slot == 20 ? new double[] {3.0, 0} : new double[] {1.0, 0};
        };
    }

    /** The first value of an InfluxQL query's first series (rounded to Wh), or NaN when it has none. */
    double influxValue(String q) throws Exception {
        JsonNode v = influx.query("delivery", q).path("results").path(0).path("series").path(0).path("values").path(0).path(1);
        return v.isNumber() ? Math.round(v.asDouble() * 1000) / 1000.0 : Double.NaN;
    }

    void awaitStored() throws Exception {
        int expected = published;
        Mqtt.await(Duration.ofMinutes(1), expected + " readings stored", () -> {
            try (var c = gw.database().connect(); var ps = c.prepareStatement("SELECT count(*) FROM reading");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) >= expected;
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
        Mqtt.settleSlots(gw.slots(), gw.database().dataSource());
    }

    @Test
    void setpointsImbalanceBackflowAndRedispatchOfEvNoShows() throws Exception {
        List<JsonNode> f1 = subscribe("c-f1");
        List<JsonNode> b = subscribe("c-b");
        // the final schedule as the market service publishes it: delivery finds it through the ScheduleStore
        try (var c = gw.database().connect(); var ps = c.prepareStatement(
                "INSERT INTO market_schedule (market, delivery_day, version, stage, source, instance_json, solution_json,"
                        + " note, created_at) VALUES (?, ?, 1, 'final', 'matcher', ?::jsonb, ?::jsonb, 'DeliveryIT', now())")) {
            ps.setString(1, MARKET);
            ps.setDate(2, java.sql.Date.valueOf(Fixtures.DAY));
            ps.setString(3, org.secondgrid.matcher.io.InstanceJson.write(instance));
            ps.setString(4, org.secondgrid.matcher.io.SolutionJson.write(solution));
            ps.executeUpdate();
        }
        List<String> meters = List.of("m-factory", "m-house-a", "m-house-b", "m-shop");
        clock.set(day.slotStart(20));
        for (String m : meters) {
            meter(m, day.slotStart(20), 0, 0);
        }
        for (int t = 20; t <= 25; t++) {
            clock.set(day.slotStart(t));
            gw.delivery().tick(); // (loads the day's final schedule,) closes t-1, publishes t's setpoints
            assertThat(gw.delivery().plan(MARKET, Fixtures.DAY)).isPresent();
            clock.set(day.slotStart(t).plus(Duration.ofMinutes(16)));
            for (Map.Entry<String, Object[]> e : chargerStates(t).entrySet()) {
                charger(e.getKey(), day.slotStart(t), (String) e.getValue()[0], (double) e.getValue()[1]);
                charger(e.getKey(), day.slotStart(t).plus(Duration.ofMinutes(15)), (String) e.getValue()[0],
                        (double) e.getValue()[1]);
            }
            clock.set(day.slotEnd(t));
            if (t == 22) { // the slot is due, but its meters have not reported past its end: it waits for them
                gw.delivery().tick();
                assertThat(new DeliveryStore(gw.database().dataSource()).closedSlots(MARKET, Fixtures.DAY))
                        .contains(21).doesNotContain(22);
            }
            for (String m : meters) {
                double[] kwh = metered(m, t);
                meter(m, day.slotEnd(t), kwh[0], kwh[1]);
            }
            awaitStored();
        }
        clock.set(day.slotStart(26));
        gw.delivery().tick();

        // setpoints a charger received: ev-1's missed charge of slot 20 re-dispatched into slot 22
        Mqtt.await(Duration.ofSeconds(30), "setpoints of slots 20-25 at c-f1", () -> f1.size() >= 6);
        Map<Integer, JsonNode> bySlot = new HashMap<>();
        long lastSeq = 0;
        for (JsonNode n : f1) {
            assertThat(n.get("seq").asLong()).isGreaterThan(lastSeq);
            lastSeq = n.get("seq").asLong();
            assertThat(n.get("day").asText()).isEqualTo("2026-12-05");
            bySlot.put(n.get("slot").asInt(), n);
        }
        assertThat(bySlot.get(20).get("ev").asText()).isEqualTo("ev-1");
        assertThat(bySlot.get(20).get("powerKw").asDouble()).isEqualTo(6.0);
        assertThat(bySlot.get(20).get("slotStart").asText()).isEqualTo(day.slotStart(20).toString());
        assertThat(bySlot.get(22).get("ev").asText()).isEqualTo("ev-1");
        assertThat(bySlot.get(22).get("powerKw").asDouble()).isEqualTo(6.0);
        assertThat(bySlot.get(23).get("ev").isNull()).isTrue();
        assertThat(bySlot.get(23).get("powerKw").asDouble()).isEqualTo(0.0);
        // house-b's charger: ev-2's delivery, then its re-dispatched remainder in slot 25 (3 kWh = 6 kW)
        Mqtt.await(Duration.ofSeconds(30), "setpoints at c-b", () -> b.stream().anyMatch(n -> n.get("slot").asInt() == 25));
        JsonNode b24 = b.stream().filter(n -> n.get("slot").asInt() == 24).findFirst().orElseThrow();
        JsonNode b25 = b.stream().filter(n -> n.get("slot").asInt() == 25).findFirst().orElseThrow();
        assertThat(b24.get("ev").asText()).isEqualTo("ev-2");
        assertThat(b24.get("powerKw").asDouble()).isEqualTo(-5.4);
        assertThat(b25.get("powerKw").asDouble()).isCloseTo(-6.0, within(1e-9));

        DeliveryStore store = new DeliveryStore(gw.database().dataSource());
        List<Redispatcher.Redispatch> rd = store.redispatches(MARKET, Fixtures.DAY);
        assertThat(rd).contains(
                new Redispatcher.Redispatch(20, "ev-1", "same-ev-later", "factory", "ev-1", 22, 3.0),
                new Redispatcher.Redispatch(24, "ev-2", "same-ev-later", "house-b", "ev-2", 25, 0.3),
                new Redispatcher.Redispatch(24, "ev-2", "same-ev-later", "house-b", "ev-2", 26, 2.4));
        assertThat(rd).filteredOn(r -> r.ev().equals("ev-1") && r.detectedSlot() > 20).isEmpty(); // ev-1 then followed

        Map<String, DeliveryStore.ImbalanceRow> rows = new HashMap<>();
        store.imbalance(MARKET, Fixtures.DAY).forEach(r -> rows.put(r.site().siteId() + "@" + r.slot(), r));
        // the late EV charged in slot 22 what it missed in 20: no imbalance anywhere on the charging side or at house-a
        assertThat(rows.get("factory@20").site().measuredEvChargeKwh()).isCloseTo(3.0, within(0.002));
        assertThat(rows.get("factory@22").site().measuredEvChargeKwh()).isCloseTo(3.0, within(0.002));
        assertThat(rows.get("house-a@24").site().imbalanceKwh()).isZero();
        assertThat(rows.get("house-a@25").site().imbalanceKwh()).isZero();
        assertThat(rows.get("house-b@20").site().imbalanceKwh()).isZero();
        assertThat(rows.get("shop@20").site().imbalanceKwh()).isZero();
        // ev-2's no-show at house-b: imbalance and the retailer's energy at the configured price
        for (int t : new int[] {24, 25}) {
            var s = rows.get("house-b@" + t).site();
            assertThat(s.imbalanceKwh()).isEqualTo(-2.7);
            assertThat(s.evDeficitKwh()).isEqualTo(2.7);
            assertThat(s.retailerKwh()).isEqualTo(2.7);
            assertThat(s.retailerJpy()).isEqualTo(Math.round(2.7 * PRICE * 100) / 100.0);
            assertThat(s.meterMissing()).isFalse();
        }
        assertThat(store.retailer(MARKET, Fixtures.DAY)).extracting(DeliveryStore.RetailerVolume::kwh)
                .containsExactly(2.7, 2.7);
        assertThat(store.imbalanceByFeeder(MARKET, Fixtures.DAY)).filteredOn(f -> f.slot() == 24)
                .extracting(DeliveryStore.FeederImbalance::feederId, DeliveryStore.FeederImbalance::imbalanceKwh)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("F1", 0.0),
                        org.assertj.core.groups.Tuple.tuple("F2", -2.7));

        // backflow: the factory's spill in slot 23 with no EV there; none caused by EV deliveries
        List<DeliveryStore.BackflowRow> bf = store.backflow(MARKET, Fixtures.DAY);
        assertThat(bf).hasSize(1);
        assertThat(bf.get(0).event().siteId()).isEqualTo("factory");
        assertThat(bf.get(0).slot()).isEqualTo(23);
        assertThat(bf.get(0).event().kwhOver()).isCloseTo(0.5, within(0.002));
        assertThat(bf).noneMatch(r -> r.event().evCaused());
        assertThat(store.closedSlots(MARKET, Fixtures.DAY)).contains(20, 21, 22, 23, 24, 25).doesNotContain(26);

        // the same results reached the time-series store (InfluxDB 1.x here), with the raw readings
        Mqtt.await(Duration.ofSeconds(30), "delivery series in InfluxDB", () -> {
            try {
                return influxValue("SELECT sum(\"retailer_kwh\") FROM \"imbalance\" WHERE \"market\" = 'dit'") == 5.4
                        && influxValue("SELECT sum(\"events\") FROM \"backflow\" WHERE \"ev_caused\" = 'false'") == 1
                        && influxValue("SELECT count(\"import_wh\") FROM \"meter_reading\"") == 4 * 7;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(influxValue("SELECT sum(\"no_show\") FROM \"ev_fleet\" WHERE \"ev\" = 'ev-2'")).isEqualTo(2);
        assertThat(influxValue("SELECT count(\"kwh_delivered\") FROM \"trade\" WHERE \"market\" = 'dit'")).isEqualTo(3);

        DeliveryStore.DaySummary sum = store.summary(MARKET, Fixtures.DAY);
        assertThat(sum.closedSlots()).isEqualTo(26); // 0..25
        assertThat(sum.imbalanceAbsKwh()).isEqualTo(5.4);
        assertThat(sum.imbalanceNetKwh()).isEqualTo(-5.4);
        assertThat(sum.retailerKwh()).isEqualTo(5.4);
        assertThat(sum.retailerJpy()).isEqualTo(2 * Math.round(2.7 * PRICE * 100) / 100.0);
        assertThat(sum.backflowEvents()).isEqualTo(1);
        assertThat(sum.evCausedBackflowEvents()).isZero();
        assertThat(sum.evScheduledDischargeKwh()).isEqualTo(10.8);
        assertThat(sum.evMeasuredDischargeKwh()).isCloseTo(5.4, within(0.002));
        assertThat(sum.redispatchedKwh()).isCloseTo(3.0 + 0.3 + 2.4 + 0.6 + 2.4, within(1e-9));

        // another gateway instance on the same database: it waits while this one delivers the day, then takes over
        // from the stored dispatch (a restart) and does not evaluate closed slots again
        int decisions = rd.size();
        List<String> sent = new CopyOnWriteArrayList<>();
        try (org.secondgrid.gateway.delivery.DeliveryService again = new org.secondgrid.gateway.delivery.DeliveryService(clock,
                store, (topic, payload) -> sent.add(topic), null,
                org.secondgrid.gateway.delivery.DeliveryConfig.fromEnv(Map.of("DELIVERY_CLOSE_DELAY_SECONDS", "0")), null)) {
            // it finds the day through the market service's ScheduleStore, for the markets its registry lists
            var schedules = new org.secondgrid.gateway.market.ScheduleStore(gw.database().dataSource());
            again.scheduleSource((m, d) -> schedules.finalSchedule(m, d).map(p ->
                    new org.secondgrid.gateway.delivery.ScheduleSource.FinalSchedule(p.instance(), p.solution())),
                    () -> List.of(MARKET));
            again.tick();
            assertThat(again.plan(MARKET, Fixtures.DAY)).isPresent();
            assertThat(sent).isEmpty(); // the gateway's own delivery holds the day
            gw.delivery().close();      // that instance stops
            again.tick();
            var plan = again.plan(MARKET, Fixtures.DAY).orElseThrow();
            assertThat(plan.action("ev-1", 20)).isEmpty();                          // measured: nothing
            assertThat(plan.action("ev-1", 22).orElseThrow().kwh()).isEqualTo(3.0); // re-dispatched
            assertThat(plan.action("ev-2", 25)).isEmpty();                          // measured: nothing
            assertThat(plan.action("ev-2", 26).orElseThrow().kwh()).isCloseTo(-3.0, within(1e-9));
            assertThat(plan.action("ev-2", 27).orElseThrow().kwh()).isCloseTo(-2.4, within(1e-9));
            assertThat(store.redispatches(MARKET, Fixtures.DAY)).hasSize(decisions);
            assertThat(store.summary(MARKET, Fixtures.DAY)).isEqualTo(sum);
            assertThat(sent).contains("secondgrid/dit/chargers/c-b/setpoint"); // slot 26: ev-2's re-dispatched delivery
        }
    }
}
