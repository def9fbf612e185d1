package org.secondgrid.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.simulator.app.SimConfig;
import org.secondgrid.simulator.app.SimulationRun;
import org.secondgrid.simulator.device.DeviceRegistrar;
import org.secondgrid.simulator.device.MqttFleet;
import org.secondgrid.simulator.device.Payloads;
import org.secondgrid.simulator.device.SimDevice;
import org.secondgrid.simulator.people.MarketClient;
import org.secondgrid.simulator.people.TownPeople;
import org.secondgrid.simulator.physics.MeterCounters;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownEv;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSite;

/**
 * The aizu-demo town (215 meters, 58 chargers, 30 EVs, each on its own MQTT connection with its own credentials)
 * against the real embedded gateway (HiveMQ with device auth, PostgreSQL): devices registered over the admin API,
 * a few slots simulated and published, a charger setpoint published by the gateway's account followed by the
 * charger; the gateway's stored readings and metered slots equal what the simulator metered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedDayIT {

    static final String ADMIN = "it-admin-token";
    static final int SLOTS = 4;

    Path dir;
    Gateway gw;

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("sim-it");
        gw = Gateway.start(GatewayConfig.fromEnv(Map.ofEntries(
                Map.entry("DATA_DIR", dir.toString()),
                Map.entry("MQTT_PORT", String.valueOf(freePort())),
                Map.entry("HTTP_PORT", "0"),
                Map.entry("INFLUX_URL", "off"),
                Map.entry("MQTT_PASSWORD", "gw-secret"),
                Map.entry("GATEWAY_ID", "sim-it-gateway"),
                Map.entry("MQTT_PERSISTENCE", "in-memory"),
                Map.entry("SLOT_REFRESH_MS", "500"),
                Map.entry("ADMIN_TOKEN", ADMIN),
                Map.entry("MARKET_CYCLE", "off"),
                Map.entry("MATCHER_DEADLINE_SECONDS", "20"),
                Map.entry("REPLAN_DEADLINE_SECONDS", "5"))));
    }

    @AfterAll
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (dir != null) {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aFewSlotsOfTheDemoTownAreStoredByTheGatewayExactlyAsMetered() throws Exception {
        Town town = TownJson.load("aizu-demo");
        String gateway = "http://127.0.0.1:" + gw.httpPort();
        String mqtt = "tcp://127.0.0.1:" + gw.mqttPort();
        List<SimDevice> devices = SimulationRun.devices(town);
        long t0 = System.nanoTime();
        Map<String, String> passwords = new DeviceRegistrar(gateway, ADMIN).registerAll(devices);
        long registered = System.nanoTime();
        // every meter, charger and EV and the weather provider, each with its own password
        assertThat(passwords).hasSize(devices.size());
        assertThat(passwords.values().stream().distinct().count()).isEqualTo(devices.size());
        List<SimDevice> connected = devices.stream().filter(d -> passwords.containsKey(d.id())).toList();
        SetpointBook setpoints = new SetpointBook();
        // 10:00 local on the last day that allows the whole run to lie in the past (the gateway's clock is real time)
        Instant start = LocalDate.now(town.zone()).atTime(10, 0).atZone(town.zone()).toInstant();
        if (start.plus(Duration.ofMinutes(30L * SLOTS + 10)).isAfter(Instant.now())) {
            start = start.minus(Duration.ofDays(1));
        }
        try (MqttFleet fleet = MqttFleet.connect(mqtt, connected, passwords, setpoints, 8)) {
            long connectedAt = System.nanoTime();
            assertThat(fleet.connections()).isEqualTo(connected.size());
            SimConfig cfg = SimConfig.defaults();
            MarketClient api = new MarketClient(gateway, ADMIN);
            TownPeople people = new TownPeople(town, cfg, api);
            SimulationRun run = new SimulationRun(town, cfg, fleet, setpoints, people, start, true);
            people.attach(run);
            long enrolStart = System.nanoTime();
            assertThat(people.enrol()).isTrue();
            System.out.printf("SimulatedDayIT: enrolled the town over the REST API in %d ms%n",
                    (System.nanoTime() - enrolStart) / 1_000_000);

            // the gateway's account sends a setpoint: +3 kW for an EV at its home charger in the second slot
            TownEv ev = town.evs().getFirst();
            String charger = town.site(ev.home()).chargerIds().getFirst();
            Instant slot2 = start.plus(Duration.ofMinutes(30));
            LocalDate day = slot2.atZone(town.zone()).toLocalDate();
            int slotIndex = (slot2.atZone(town.zone()).getHour() * 60 + slot2.atZone(town.zone()).getMinute()) / 30;
            publishSetpoint(mqtt, town, charger, day, slotIndex, slot2, ev.id(), 3.0);
            await(Duration.ofSeconds(30), "setpoint received", () -> fleet.setpointsReceived() >= 1);

            run.begin();
            long pubStart = System.nanoTime();
            run.advanceTo(start.plus(Duration.ofMinutes(30L * SLOTS)));
            long pubEnd = System.nanoTime();
            int ticks = SLOTS * 6;
            long meterReadings = (long) town.sites().size() * (ticks + 1);
            long total = run.messages();
            long chargers = connected.stream().filter(d -> "chargers".equals(d.kind())).count();
            // all but the weather provider: meters and EVs at the start and each tick end, chargers at each tick start
            assertThat(total).isEqualTo((connected.size() - 1 - chargers) * (ticks + 1) + chargers * ticks);

            // the weather provider's day-ahead forecast reaches the gateway's weather_forecast table
            LocalDate tomorrow = day.plusDays(1);
            double[] idx = run.publishForecast(tomorrow, start.plus(Duration.ofMinutes(5)));
            await(Duration.ofSeconds(30), "weather forecast stored", () -> count(
                    "SELECT count(*) FROM weather_forecast WHERE delivery_day = DATE '" + tomorrow + "'") == 1);
            assertThat(doubles("SELECT irradiance_index FROM weather_forecast WHERE delivery_day = DATE '" + tomorrow + "'"))
                    .containsExactly(idx);

            // people on the REST API: the town is enrolled, EV owners declare availability for a coming day
            LocalDate future = LocalDate.now(town.zone()).plusDays(2);
            people.beforeGate(future);
            assertThat(api.admin("GET", "/api/admin/sites", null).path("sites").size()).isEqualTo(town.sites().size());
            assertThat(api.admin("GET", "/api/admin/evs", null).path("evs").size()).isEqualTo(town.evs().size());
            int declared = 0;
            for (TownEv e : town.evs()) {
                if (!api.as(e.owner(), "GET", "/api/evs/" + e.id() + "/availability/" + future, null).path("availability").isNull()) {
                    declared++;
                }
            }
            assertThat(declared).isBetween(1, town.evs().size() - 1); // declareRate 0.8 of 30 EVs, seeded
            System.out.printf("SimulatedDayIT: %d of %d EV owners declared availability for %s over the REST API%n",
                    declared, town.evs().size(), future);
            await(Duration.ofMinutes(3), "all readings stored", () -> count("SELECT count(*) FROM reading") >= total);
            assertThat(count("SELECT count(*) FROM reading")).isEqualTo(total);
            assertThat(count("SELECT count(*) FROM reading r JOIN device d USING (device_id) WHERE d.kind = 'meters'"))
                    .isEqualTo(meterReadings);
            // (this gateway still files its own setpoint topic as BAD_TOPIC: not a device message, left out here)
            assertThat(count("SELECT count(*) FROM rejected_message WHERE topic NOT LIKE '%/setpoint'")).isZero();
            assertThat(count("SELECT count(*) FROM reading WHERE counter_reset")).isZero();

            // the charger followed the setpoint in that slot and reported the EV
            try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT ev_id, power_kw FROM reading WHERE device_id = ? AND ts >= ? AND ts < ? ORDER BY ts")) {
                ps.setString(1, charger);
                ps.setTimestamp(2, Timestamp.from(slot2));
                ps.setTimestamp(3, Timestamp.from(slot2.plus(Duration.ofMinutes(30))));
                try (ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        assertThat(rs.getString(1)).isEqualTo(ev.id());
                        assertThat(rs.getDouble(2)).isEqualTo(3.0);
                        n++;
                    }
                    assertThat(n).isEqualTo(6);
                }
            }

            // metered slots: the gateway's counter differences equal the simulator's own meter ledger
            settleSlots();
            int compared = 0;
            double totalImport = 0;
            double totalPv = 0;
            for (TownSite s : town.sites()) {
                Map<Instant, MeterCounters> mine = run.metered(s.id());
                assertThat(mine).hasSize(SLOTS);
                for (Map.Entry<Instant, MeterCounters> e : mine.entrySet()) {
                    double[] g = slot(s.id(), e.getKey());
                    assertThat(g).as("slot %s of %s", e.getKey(), s.id()).isNotNull();
                    assertThat(g[0]).isCloseTo(e.getValue().importWh(), within(0.01));
                    assertThat(g[1]).isCloseTo(e.getValue().exportWh(), within(0.01));
                    assertThat(g[2]).isCloseTo(e.getValue().pvWh(), within(0.01));
                    totalImport += g[0];
                    totalPv += g[2];
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(town.sites().size() * SLOTS);
            assertThat(totalImport).isPositive();
            assertThat(totalPv).isPositive();
            System.out.printf("SimulatedDayIT: registered %d devices over HTTP in %d ms, connected %d in %d ms, "
                            + "published %,d QoS 1 messages in %d ms (%.0f/s); %d site slots equal "
                            + "(import %.1f kWh, PV %.1f kWh); sim %s..%s%n",
                    passwords.size(), (registered - t0) / 1_000_000, fleet.connections(), (connectedAt - registered) / 1_000_000,
                    total, (pubEnd - pubStart) / 1_000_000, total / ((pubEnd - pubStart) / 1e9), compared,
                    totalImport / 1000, totalPv / 1000, start, run.now());
            assertThat(Payloads.seq(run.now())).isGreaterThan(Payloads.seq(start));
        }
    }

    private void publishSetpoint(String mqtt, Town town, String charger, LocalDate day, int slot, Instant slotStart,
                                 String ev, double kw) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(mqtt, "sim-it-setpoints", new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("gateway");
        o.setPassword("gw-secret".getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(30_000);
        String payload = String.format(java.util.Locale.ROOT,
                "{\"seq\":1,\"ts\":\"%s\",\"day\":\"%s\",\"slot\":%d,\"slotStart\":\"%s\",\"ev\":\"%s\",\"powerKw\":%s}",
                Payloads.ts(Instant.now(), town.zone()), day, slot, Payloads.ts(slotStart, town.zone()), ev, kw);
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        var t = c.publish("secondgrid/" + town.market() + "/chargers/" + charger + "/setpoint", m);
        t.waitForCompletion(30_000);
        assertThat(t.getReasonCodes() == null || t.getReasonCodes().length == 0 || t.getReasonCodes()[0] < 0x80).isTrue();
        c.disconnect().waitForCompletion(10_000);
        c.close();
    }

    private double[] doubles(String sql) throws Exception {
        try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Double[] a = (Double[]) rs.getArray(1).getArray();
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
    }

    private double[] slot(String site, Instant slotStart) throws Exception {
        try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT import_wh, export_wh, pv_wh FROM metered_slot WHERE site_id = ? AND slot_start = ?")) {
            ps.setString(1, site);
            ps.setTimestamp(2, Timestamp.from(slotStart));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)} : null;
            }
        }
    }

    private void settleSlots() throws Exception {
        gw.slots().refreshAll();
        await(Duration.ofMinutes(1), "no dirty slots left", () -> count("SELECT count(*) FROM slot_dirty") == 0);
    }

    private long count(String sql) {
        try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
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
}
