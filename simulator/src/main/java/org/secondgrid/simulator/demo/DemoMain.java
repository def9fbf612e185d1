package org.secondgrid.simulator.demo;

import org.secondgrid.settlement.app.LocalSettlement;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.gateway.app.ScaledClock;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.simulator.app.SimConfig;
import org.secondgrid.simulator.app.SimulationRun;
import org.secondgrid.simulator.device.DeviceRegistrar;
import org.secondgrid.simulator.device.GatewayBulkIngest;
import org.secondgrid.simulator.device.MqttFleet;
import org.secondgrid.simulator.device.SimDevice;
import org.secondgrid.simulator.people.MarketClient;
import org.secondgrid.simulator.people.TownPeople;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.physics.TownPhysics;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Weather;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./secondgrid demo [--exit] [--town aizu-demo|FILE] [--seed N] [--day 2026-12-05] [--warmup-days 21]
 * [--http-port 8080] [--tick 30]}: the whole town on real components in one JVM, sharing one {@link ScaledClock}:
 * the embedded gateway (HiveMQ with device auth, PostgreSQL, market service, delivery), the simulator's devices
 * over MQTT and its people over the REST API, and settlement on a local anvil. Phases: start, devices, history
 * warm-up (bulk path, see the simulator README), day D−1 over MQTT (weather forecast, orders and availability,
 * gate closure with the matcher, jobs answered over REST, final schedule), delivery day D over MQTT with the
 * gateway's charger setpoints, settlement, summary.
 */
public final class DemoMain {

    private static final Logger log = LoggerFactory.getLogger(DemoMain.class);

    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private long phaseStart = System.nanoTime();
    private boolean bench;
    private DemoResult result;

    /**
     * The figures of a finished run, for tests and the bench: EV energy measured at chargers, backflow events (all and
     * EV-caused), imbalance and traded kWh, curtailment avoided, the settlement, the EVs forced to no-show and, at the
     * sites their final itineraries scheduled EV energy, the EV deficit + backup-retailer kWh the gateway recorded.
     */
    public record DemoResult(double wallSeconds, double evMeasuredKwh, long backflowEvents, long evCausedBackflow,
                             double imbalanceKwh, double tradedKwh, double curtailmentAvoidedKwh, Settled settled,
                             List<String> forcedNoShows, double noShowSitesEvDeficitKwh, double noShowSitesRetailerKwh) {
    }

    /** Runs the demo with the given options (as on the command line, without the dashes) and returns its figures. */
    public static DemoResult runForTest(PrintStream out, Map<String, String> options) throws Exception {
        DemoMain d = new DemoMain(out);
        d.run(new HashMap<>(options));
        return d.result;
    }

    private DemoMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if ("--exit".equals(args[i])) {
                o.put("exit", "true");
            } else if ("--bench".equals(args[i])) {
                o.put("bench", "true");
                o.put("exit", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                System.err.println("demo: unexpected argument '" + args[i] + "'");
                System.exit(2);
            }
        }
        for (String k : o.keySet()) {
            if (!List.of("exit", "town", "seed", "day", "days", "warmup-days", "http-port", "mqtt-port", "tick",
                    "matcher-seconds", "replan-seconds", "no-show-rate", "force-no-shows", "bench", "bid-quantile",
                    "offer-quantile").contains(k)) {
                System.err.println("demo: unknown option --" + k);
                System.exit(2);
            }
        }
        if (!"1".equals(o.getOrDefault("days", "1"))) {
            System.err.println("demo: --days " + o.get("days") + ": only one delivery day is run (--days 1)");
            System.exit(2);
        }
        System.exit(new DemoMain(System.out).run(o));
    }

    private void phase(String what) {
        long now = System.nanoTime();
        out.printf(Locale.ROOT, "[demo %6.1f s] %s (previous phase %.1f s)%n", (now - t0) / 1e9, what, (now - phaseStart) / 1e9);
        out.flush();
        phaseStart = now;
    }

    int run(Map<String, String> o) throws Exception {
        Town town = TownJson.load(o.getOrDefault("town", "aizu-demo"));
        if (o.containsKey("seed")) {
            town = new Town(town.market(), town.timeZone(), town.lat(), town.lon(), Long.parseLong(o.get("seed")),
                    town.slotMinutes(), town.feeders(), town.sites(), town.evs());
        }
        LocalDate day = LocalDate.parse(o.getOrDefault("day", "2026-12-05"));
        int warmupDays = Integer.parseInt(o.getOrDefault("warmup-days", "21"));
        int tick = Integer.parseInt(o.getOrDefault("tick", "30"));
        boolean exit = o.containsKey("exit");
        bench = o.containsKey("bench");
        Path dir = Files.createTempDirectory("secondgrid-demo");
        String admin = UUID.randomUUID().toString();
        Instant dMinus1 = day.minusDays(1).atStartOfDay(town.zone()).toInstant();
        Instant historyStart = dMinus1.minus(Duration.ofDays(warmupDays));
        ScaledClock clock = ScaledClock.of(historyStart, 1.0);
        phase("start: embedded gateway (HiveMQ, PostgreSQL, market service, delivery) in " + dir);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATA_DIR", dir.resolve("gateway").toString());
        env.put("MQTT_PORT", o.getOrDefault("mqtt-port", "0"));
        env.put("HTTP_PORT", o.getOrDefault("http-port", "8080"));
        env.put("INFLUX_URL", "off");
        env.put("ADMIN_TOKEN", admin);
        env.put("MQTT_PERSISTENCE", "in-memory");
        env.put("MARKET_CYCLE", "off");
        env.put("MATCHER_DEADLINE_SECONDS", o.getOrDefault("matcher-seconds", "10"));
        env.put("REPLAN_DEADLINE_SECONDS", o.getOrDefault("replan-seconds", "3"));
        env.put("DELIVERY_MARKETS", town.market());
        if (o.containsKey("bid-quantile")) {
            env.put("AUTO_BID_QUANTILE", o.get("bid-quantile"));
        }
        if (o.containsKey("offer-quantile")) {
            env.put("AUTO_OFFER_QUANTILE", o.get("offer-quantile"));
        }
        env.put("DELIVERY_TICK_MS", "3600000");
        env.put("DELIVERY_CLOSE_DELAY_SECONDS", "1");
        env.put("SLOT_REFRESH_MS", "1000");
        if ("0".equals(env.get("MQTT_PORT"))) {
            try (var s = new java.net.ServerSocket(0)) {
                env.put("MQTT_PORT", String.valueOf(s.getLocalPort()));
            }
        }
        try (Gateway gw = Gateway.start(GatewayConfig.fromEnv(env), clock)) {
            String gateway = "http://127.0.0.1:" + gw.httpPort();
            String mqtt = "tcp://127.0.0.1:" + gw.mqttPort();

            phase("devices: registering " + town.summary());
            List<SimDevice> devices = SimulationRun.devices(town);
            Map<String, String> passwords = new DeviceRegistrar(gateway, admin).registerAll(devices);
            SetpointBook setpoints = new SetpointBook();
            List<SimDevice> connected = devices.stream().filter(d -> passwords.containsKey(d.id())).toList();
            try (MqttFleet fleet = MqttFleet.connect(mqtt, connected, passwords, setpoints, 32)) {
                SimConfig base = SimConfig.defaults().withTickMinutes(tick);
                // in the demo every EV that accepted a job shows up unless told otherwise (--no-show-rate, --force-no-shows)
                SimConfig cfg = base.withRates(base.acceptanceRate(), base.declareRate(),
                        Double.parseDouble(o.getOrDefault("no-show-rate", "0")));
                MarketClient api = new MarketClient(gateway, admin);
                TownPeople people = new TownPeople(town, cfg, api);
                people.forceNoShows(Integer.parseInt(o.getOrDefault("force-no-shows", "0")));
                DemoPeople demoPeople = new DemoPeople(people, gw, town.market(), day);
                SimulationRun run = new SimulationRun(town, cfg, fleet, setpoints, demoPeople, historyStart, true);
                people.attach(run);
                run.followClock(clock::jumpTo);
                phase("people: enrolling participants, feeders, sites, EVs and order policies over the REST API");
                people.enrol();

                phase("warm-up: " + warmupDays + " days of metered history through the gateway's ingest code (bulk path, not MQTT)");
                GatewayBulkIngest bulk = new GatewayBulkIngest(gw.database().dataSource(), gw.devices(), 20_000);
                run.warmUp(dMinus1, bulk, Math.max(1, 30 / tick));
                bulk.flush();
                gw.slots().refreshAll();
                out.printf(Locale.ROOT, "  %,d readings and forecasts stored by the bulk path%n", bulk.stored());

                phase("day D-1 " + day.minusDays(1) + " over MQTT: weather forecast, orders, gate closure, jobs, final");
                run.advanceTo(day.atStartOfDay(town.zone()).toInstant());
                drain(gw, fleet);
                PublishedSchedule fin = gw.market().schedules().finalSchedule(town.market(), day).orElse(null);
                out.printf(Locale.ROOT, "  jobs: %s; final schedule: %s%n", people.decisions(),
                        fin == null ? "none" : "version " + fin.version() + " from " + fin.source() + " (" + fin.note() + ")");

                phase("delivery day D " + day + " (" + day.getDayOfWeek() + ") over MQTT with the gateway's charger setpoints");
                long[] spent = new long[4];
                for (int s = 0; s < town.slotsPerDay(); s++) {
                    Instant slotStart = day.atStartOfDay(town.zone()).toInstant().plus(Duration.ofMinutes(30L * s));
                    long t = System.nanoTime();
                    drain(gw, fleet);
                    spent[0] += System.nanoTime() - t;
                    t = System.nanoTime();
                    clock.jumpTo(slotStart.plusSeconds(2));
                    gw.delivery().tick();
                    spent[1] += System.nanoTime() - t;
                    t = System.nanoTime();
                    awaitSetpoints(gw, setpoints, town.market(), day, s, slotStart);
                    spent[2] += System.nanoTime() - t;
                    t = System.nanoTime();
                    run.advanceTo(slotStart.plus(Duration.ofMinutes(30)));
                    spent[3] += System.nanoTime() - t;
                }
                out.printf(Locale.ROOT, "  time per part: ingest drain %.1f s, delivery (close slot, re-dispatch, setpoints) %.1f s,"
                        + " setpoints reaching chargers %.1f s, devices (physics, publish) %.1f s%n",
                        spent[0] / 1e9, spent[1] / 1e9, spent[2] / 1e9, spent[3] / 1e9);
                drain(gw, fleet);
                clock.jumpTo(day.plusDays(1).atStartOfDay(town.zone()).toInstant().plusSeconds(60));
                gw.delivery().tick();
                out.printf(Locale.ROOT, "  %,d messages published, %d setpoints received by chargers%n", run.messages(),
                        fleet.setpointsReceived());

                phase("settlement: the day's metered trades on a local chain (anvil), in-process (LocalSettlement)");
                Settled settled = settle(town.market(), day, gw.database().dataSource(), dir.resolve("settlement"));
                phase("summary");
                result = summary(town, day, gw, run, fin, settled, people.forcedNoShowEvs());
                if (!exit) {
                    out.printf("web UI at http://localhost:%d/ (admin token %s); Ctrl-C to stop%n", gw.httpPort(), admin);
                    Thread.currentThread().join();
                }
            }
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            log.debug("leftovers in {}: {}", dir, e.getMessage());
        }
        phase("stopped: devices, gateway, broker, databases and chain are down, " + dir + " deleted");
        if (bench) {
            out.printf(Locale.ROOT, "wall time with shutdown        %8.1f s (goal <= 120 s)%n", (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    /**
     * Settles the day in this JVM with {@link LocalSettlement}: a local anvil, the ledger in an embedded PostgreSQL of its
     * own under {@code dataDir}, the day read from the gateway's database, escrow topped up, then one participant's
     * balances read back with {@code cast} and compared with the ledger.
     */
    static Settled settle(String market, LocalDate day, javax.sql.DataSource gatewayDb, Path dataDir) {
        var options = new LocalSettlement.Options(dataDir, null, 30.0, 400, false);
        try (LocalSettlement s = LocalSettlement.start(options)) {
            LocalSettlement.DaySummary d = s.settleFromGateway(gatewayDb, market, day, true);
            LocalSettlement.CastCheck check = d.participants().stream()
                    .filter(p -> p.whBought() > 0 && p.address() != null)
                    .findFirst()
                    .map(p -> s.castCheck(p.participant(), day))
                    .orElse(null);
            return new Settled(d, check, null);
        } catch (RuntimeException e) {
            log.error("settlement failed", e);
            return new Settled(null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The settled day, the {@code cast} read-back of one buyer (null if none bought) or why settlement failed. */
    public record Settled(LocalSettlement.DaySummary day, LocalSettlement.CastCheck cast, String error) {
        public boolean ok() {
            return error == null && day != null && day.failed() == 0 && day.confirmed() == day.batches()
                    && (cast == null || cast.matches());
        }

        List<String> lines() {
            if (error != null) {
                return List.of("not settled: " + error);
            }
            List<String> l = new java.util.ArrayList<>();
            l.add(String.format(Locale.ROOT, "%d trade records (%d energy, %d imbalance) in %d batches: %d confirmed, %d failed;"
                            + " last block %d, gas %d, reconciled %s", day.tradeRecords(), day.energyRecords(),
                    day.imbalanceRecords(), day.batches(), day.confirmed(), day.failed(), day.lastBlock(), day.gasUsed(),
                    day.reconciled() ? "0 Wh / 0 JPY difference" : "WITH DIFFERENCES"));
            for (String tx : day.transactions()) {
                l.add("tx " + tx);
            }
            if (cast != null) {
                l.add(String.format(Locale.ROOT, "cast read-back of %s (%s): escrow %d (ledger %d), certificates %d Wh (ledger %d) -> %s",
                        cast.participant(), cast.address(), cast.escrowOnChain(), cast.escrowInLedger(),
                        cast.certificateWhOnChain(), cast.certificateWhInLedger(), cast.matches() ? "match" : "MISMATCH"));
                l.add("  " + cast.escrowCommand());
            } else {
                l.add("cast read-back: no participant bought energy");
            }
            return l;
        }
    }

    /** Waits until the gateway has taken in everything sent so far and refreshes the metered slots. */
    /**
     * Waits until the gateway has committed every message the fleet published (its {@code committed} count reaches
     * the fleet's {@code published}; falls back to "nothing new for 2 s" if a message never arrives), then refreshes
     * the metered slots.
     */
    static void drain(Gateway gw, MqttFleet fleet) throws Exception {
        long target = fleet.published();
        long last = -1;
        long stableSince = System.nanoTime();
        while (gw.metrics().committed.sum() < target || gw.metrics().queueDepth() > 0) {
            long in = gw.metrics().committed.sum();
            if (in != last) {
                last = in;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 2_000_000_000L) {
                log.warn("ingest drain: {} of {} published messages committed after 2 s without progress; going on",
                        in, target);
                break;
            }
            Thread.sleep(2);
        }
        gw.slots().refreshAll();
    }

    /**
     * Waits (up to 10 s) until every setpoint the gateway's delivery recorded for this slot has reached its charger
     * with the same EV and power, so the slot's first tick already follows it.
     */
    static void awaitSetpoints(Gateway gw, SetpointBook book, String market, LocalDate day, int slot, Instant slotStart)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT charger_id, ev_id, power_kw FROM delivery_setpoint WHERE market = ? AND delivery_day = ?"
                            + " AND slot = ?")) {
                ps.setString(1, market);
                ps.setObject(2, day);
                ps.setInt(3, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && all) {
                        var sp = book.get(rs.getString(1), slotStart);
                        all = sp != null && java.util.Objects.equals(sp.ev(), rs.getString(2))
                                && sp.powerKw() == rs.getDouble(3);
                    }
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(10);
        }
        log.warn("slot {}: not every setpoint reached its charger within 10 s", slot);
    }

    private DemoResult summary(Town town, LocalDate day, Gateway gw, SimulationRun run, PublishedSchedule fin,
                               Settled settled, List<String> forcedNoShows) throws Exception {
        double offered = 0;
        double grid = 0;
        double ev = 0;
        double welfare = 0;
        if (fin != null) {
            for (Offer of : fin.instance().offers()) {
                offered += of.kwh();
            }
            for (Solution.Trade t : fin.solution().trades()) {
                if (t.channel() == null || "grid".equals(t.channel())) {
                    grid += t.kwhDelivered();
                } else {
                    ev += t.kwhDelivered();
                }
            }
            welfare = fin.solution().welfareJpy();
        }
        // curtailment: this day as it ran vs the same day without the market (same seed: same sun, same loads)
        Weather w = new Weather(town.seed(), town.zone(), town.lat(), town.lon(), run.physics().weather().tickMinutes());
        TownPhysics without = new TownPhysics(town, w, new org.secondgrid.matcher.generate.LoadProfiles(), new SetpointBook());
        int ticks = w.ticksPerDay();
        for (int k = 0; k < ticks; k++) {
            int slot = k / without.ticksPerSlot();
            without.step(day, k, day.atStartOfDay(town.zone()).toInstant().plus(Duration.ofMinutes(30L * slot)));
        }
        double curtailedWithout = 0;
        for (int i = 0; i < town.sites().size(); i++) {
            curtailedWithout += without.curtailedWh(i) / 1000;
        }
        double curtailedWith = curtailedDay(run, town, day);
        double[] imb = query(gw, "SELECT coalesce(sum(abs(imbalance_kwh)),0), coalesce(sum(retailer_kwh),0), count(*)"
                + " FROM delivery_imbalance WHERE market = ? AND delivery_day = ?", town.market(), day);
        double[] back = query(gw, "SELECT count(*), coalesce(sum(CASE WHEN ev_caused THEN 1 ELSE 0 END),0),"
                + " coalesce(sum(kwh_over),0) FROM delivery_backflow WHERE market = ? AND delivery_day = ?", town.market(), day);
        double[] evc = query(gw, "SELECT coalesce(sum(scheduled_ev_charge_kwh),0), coalesce(sum(dispatched_ev_charge_kwh),0),"
                + " coalesce(sum(measured_ev_charge_kwh),0) FROM delivery_imbalance WHERE market = ? AND delivery_day = ?",
                town.market(), day);
        double[] evd = query(gw, "SELECT coalesce(sum(scheduled_ev_discharge_kwh),0), coalesce(sum(dispatched_ev_discharge_kwh),0),"
                + " coalesce(sum(measured_ev_discharge_kwh),0) FROM delivery_imbalance WHERE market = ? AND delivery_day = ?",
                town.market(), day);
        // imbalance in parts: sellers short of their grid sales, buyers taking less than they bought, EV discharge
        // off its schedule; netted per slot and feeder (what the feeder sees) and per slot (the market's position)
        double[] parts = query(gw, "SELECT coalesce(sum(seller_short_kwh),0),"
                + " coalesce(sum(CASE WHEN scheduled_purchase_kwh > 0 THEN scheduled_purchase_kwh - least(metered_import_kwh,"
                + " scheduled_purchase_kwh) ELSE 0 END),0),"
                + " coalesce(sum(abs(measured_ev_discharge_kwh - scheduled_ev_discharge_kwh)),0), coalesce(sum(feed_in_kwh),0)"
                + " FROM delivery_imbalance WHERE market = ? AND delivery_day = ?", town.market(), day);
        double[] feederNet = query(gw, "SELECT coalesce(sum(abs(n)),0) FROM (SELECT sum(imbalance_kwh) n FROM delivery_imbalance"
                + " WHERE market = ? AND delivery_day = ? GROUP BY slot, feeder_id) f", town.market(), day);
        double[] marketNet = query(gw, "SELECT coalesce(sum(abs(n)),0) FROM (SELECT sum(imbalance_kwh) n FROM delivery_imbalance"
                + " WHERE market = ? AND delivery_day = ? GROUP BY slot) f", town.market(), day);
        double traded = grid + ev;
        out.printf(Locale.ROOT, "%n=== SecondGrid demo: %s, delivery day %s (%s) ===%n", town.market(), day, day.getDayOfWeek());
        out.printf(Locale.ROOT, "offered            %10.1f kWh%n", offered);
        out.printf(Locale.ROOT, "traded (schedule)  %10.1f kWh: grid %.1f kWh, EV %.1f kWh%n", traded, grid, ev);
        out.printf(Locale.ROOT, "welfare            %10.0f JPY (vs the same day without the market)%n", welfare);
        out.printf(Locale.ROOT, "curtailed PV       %10.1f kWh with the market, %.1f kWh without: %.1f kWh avoided (%.1f %%)%n",
                curtailedWith, curtailedWithout, curtailedWithout - curtailedWith,
                curtailedWithout > 0 ? 100 * (curtailedWithout - curtailedWith) / curtailedWithout : 0);
        out.printf(Locale.ROOT, "imbalance          %10.1f kWh (%.1f %% of traded), backup retailer %.1f kWh, %d site slots evaluated%n",
                imb[0], traded > 0 ? 100 * imb[0] / traded : 0, imb[1], (long) imb[2]);
        out.printf(Locale.ROOT, "  in parts: sellers short %.1f kWh, buyers under their purchase %.1f kWh, EV discharge off schedule"
                + " %.1f kWh; netted per slot and feeder %.1f kWh (%.1f %%), per slot for the market %.1f kWh (%.1f %%)%n",
                parts[0], parts[1], parts[2], feederNet[0], traded > 0 ? 100 * feederNet[0] / traded : 0, marketNet[0],
                traded > 0 ? 100 * marketNet[0] / traded : 0);
        out.printf(Locale.ROOT, "feed-in            %10.1f kWh exported by sellers above their sales (their own contract, not market"
                + " imbalance)%n", parts[3]);
        out.printf(Locale.ROOT, "EV charge          %10.1f kWh scheduled, %.1f dispatched, %.1f measured at chargers%n",
                evc[0], evc[1], evc[2]);
        out.printf(Locale.ROOT, "EV discharge       %10.1f kWh scheduled, %.1f dispatched, %.1f measured at chargers%n",
                evd[0], evd[1], evd[2]);
        double[] why = run.physics().dischargeShortKwh();
        out.printf(Locale.ROOT, "  discharge setpoints not followed (simulator): EV not there %.1f kWh, battery at reserve or power %.1f kWh,"
                + " buyer's load too low %.1f kWh%n", why[0], why[1], why[2]);
        out.printf(Locale.ROOT, "backflow events    %10d (EV-caused %d, %.1f kWh over limits)%n", (long) back[0], (long) back[1], back[2]);
        out.printf("settlement (on chain, in-process):%n");
        for (String line : settled.lines()) {
            out.println("  " + line);
        }
        if (settled.cast() != null) { // the settled statement back through the REST API, as its owner's app reads it
            String owner = gw.market().registry().site(settled.cast().participant()).map(r -> r.ownerId()).orElse(settled.cast().participant());
            try {
                var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + gw.httpPort() + "/api/participants/" + owner + "/money?from=" + day + "&to=" + day)).header("X-Purpose", "demo summary")
                        .header("Authorization", "Bearer " + gw.config().adminToken()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                var t = new io.vertx.core.json.JsonObject(res.body()).getJsonObject("totals", new io.vertx.core.json.JsonObject());
                out.printf(Locale.ROOT, "  REST GET /api/participants/%s/money: HTTP %d, %d Wh bought, %d Wh sold, %.2f JPY paid, %.2f JPY received%n",
                        owner, res.statusCode(), t.getLong("whBought", 0L), t.getLong("whSold", 0L), t.getDouble("jpyPaid", 0.0), t.getDouble("jpyReceived", 0.0));
            } catch (Exception e) {
                out.println("  REST GET /api/participants/" + owner + "/money failed: " + e);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "wall time          %10.1f s%n", wall);
        if (bench) {
            out.printf(Locale.ROOT, "%n=== bench demo: %s, %s, %d EVs ===%n", town.market(), day, town.evs().size());
            out.printf(Locale.ROOT, "wall time                      %8.1f s (goal <= 120 s)%n", wall);
            out.printf(Locale.ROOT, "EV-caused backflow events      %8d (must be 0)%n", (long) back[1]);
            out.printf(Locale.ROOT, "imbalance                      %8.1f %% of %.1f traded kWh (goal <= 5 %%)%n",
                    traded > 0 ? 100 * imb[0] / traded : 0, traded);
            out.printf(Locale.ROOT, "curtailment avoided            %8.1f kWh (%.1f %% of %.1f kWh curtailed without the market)%n",
                    curtailedWithout - curtailedWith,
                    curtailedWithout > 0 ? 100 * (curtailedWithout - curtailedWith) / curtailedWithout : 0, curtailedWithout);
            out.printf(Locale.ROOT, "EV delivered                   %8.1f kWh measured at chargers (charge %.1f, discharge %.1f)%n",
                    evc[2] + evd[2], evc[2], evd[2]);
            out.printf(Locale.ROOT, "settled                        %s%n", settled.ok() ? "yes, cast read-back matches the ledger" : "NO");
        }
        // where the forced no-shows were scheduled: what the gateway's delivery recorded there
        java.util.Set<String> noShowSites = new java.util.TreeSet<>();
        if (fin != null) {
            for (Solution.Itinerary it : fin.solution().itineraries()) {
                if (forcedNoShows.contains(it.ev())) {
                    it.stops().stream().filter(st -> !st.slots().isEmpty()).forEach(st -> noShowSites.add(st.site()));
                }
            }
        }
        double deficit = 0;
        double retailer = 0;
        if (!noShowSites.isEmpty()) {
            try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(sum(ev_deficit_kwh),0), coalesce(sum(retailer_kwh),0) FROM delivery_imbalance"
                            + " WHERE market = ? AND delivery_day = ? AND site_id = ANY(?)")) {
                ps.setString(1, town.market());
                ps.setObject(2, day);
                ps.setArray(3, c.createArrayOf("text", noShowSites.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    deficit = rs.getDouble(1);
                    retailer = rs.getDouble(2);
                }
            }
            out.printf(Locale.ROOT, "forced no-shows    %s at %s: EV deficit %.1f kWh, backup retailer %.1f kWh there%n",
                    forcedNoShows, noShowSites, deficit, retailer);
        }
        out.flush();
        return new DemoResult(wall, evc[2] + evd[2], (long) back[0], (long) back[1], imb[0], traded,
                curtailedWithout - curtailedWith, settled, forcedNoShows, deficit, retailer);
    }

    /** PV curtailed by all sites on the delivery day as it ran (physics: meters do not see curtailment). */
    private static double curtailedDay(SimulationRun run, Town town, LocalDate day) {
        double sum = 0;
        for (int i = 0; i < town.sites().size(); i++) {
            sum += run.physics().curtailedWh(i);
        }
        return (sum - run.curtailedBefore(day)) / 1000;
    }

    private static double[] query(Gateway gw, String sql, String market, LocalDate day) throws Exception {
        try (Connection c = gw.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, market);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double[] row = new double[Math.max(3, rs.getMetaData().getColumnCount())];
                for (int i = 0; i < rs.getMetaData().getColumnCount(); i++) {
                    row[i] = rs.getDouble(i + 1);
                }
                return row;
            }
        }
    }
}
