package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.secondgrid.gateway.app.ScaledClock;
import org.secondgrid.gateway.forecast.WeatherForecast;
import org.secondgrid.gateway.market.DayPhase;
import org.secondgrid.gateway.market.EvAvailability;
import org.secondgrid.gateway.market.EvJob;
import org.secondgrid.gateway.market.EvRecord;
import org.secondgrid.gateway.market.FeederRecord;
import org.secondgrid.gateway.market.ManualOrders;
import org.secondgrid.gateway.market.MarketException;
import org.secondgrid.gateway.market.MarketRegistry;
import org.secondgrid.gateway.market.MarketServices;
import org.secondgrid.gateway.market.MarketSettings;
import org.secondgrid.gateway.market.OrderPolicy;
import org.secondgrid.gateway.market.Participant;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.gateway.market.SiteRecord;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.matcher.check.CheckReport;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Solution;

/**
 * A full day-ahead cycle on a small town (8 sites on 2 feeders, 3 EVs) with the embedded PostgreSQL and
 * the real matcher (5-s deadlines): auto orders from metered history and the weather feed, manual orders,
 * gate closure, one accept and one decline (the re-plan keeps the accepted itinerary exactly), job
 * deadline, final schedule; every published schedule passes the matcher's independent checker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MarketCycleIT {

    static final String MARKET = "it-town";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final LocalDate DAY = LocalDate.of(2026, 12, 5); // a Saturday

    Path dir;
    Database db;
    ScaledClock clock;
    MarketServices market;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("market-it");
        db = Database.open(null, dir, 0);
        // D-1 08:00 local: orders open
        clock = new ScaledClock(java.time.Clock.systemUTC(), ZonedDateTime.of(DAY.minusDays(1),
                java.time.LocalTime.of(8, 0), TOKYO).toInstant(), 1);
        MarketSettings s = MarketSettings.fromEnv(Map.of("MATCHER_DEADLINE_SECONDS", "5",
                "REPLAN_DEADLINE_SECONDS", "5", "MARKET_CYCLE", "off"));
        market = MarketServices.create(db.dataSource(), clock, s);
        town();
        history();
    }

    @AfterAll
    void stop() {
        if (market != null) {
            market.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** 2 factories, 5 households, a shop; feeders without reverse capacity; EVs at three households. */
    void town() {
        List<Participant> people = List.of(
                new Participant("p-factory", "Aizu Metal", Set.of("prosumer")),
                new Participant("p-shop", "Corner Shop", Set.of("prosumer")),
                new Participant("p-h1", "Household 1", Set.of("prosumer", "ev-owner")),
                new Participant("p-h2", "Household 2", Set.of("prosumer", "ev-owner")),
                new Participant("p-h3", "Household 3", Set.of("prosumer")),
                new Participant("p-h4", "Household 4", Set.of("prosumer", "ev-owner")),
                new Participant("p-h5", "Household 5", Set.of("prosumer")));
        List<FeederRecord> feeders = List.of(new FeederRecord("F1", MARKET, 0), new FeederRecord("F2", MARKET, 0));
        List<SiteRecord> sites = List.of(
                new SiteRecord("factory-1", MARKET, "p-factory", "F1", "factory", 37.500, 139.920, 0, 3, 50, 0),
                new SiteRecord("factory-2", MARKET, "p-factory", "F2", "factory", 37.480, 139.945, 0, 2, 50, 0),
                new SiteRecord("house-1", MARKET, "p-h1", "F1", "household", 37.492, 139.928, 0, 1, 6, 6),
                new SiteRecord("house-2", MARKET, "p-h2", "F1", "household", 37.494, 139.932, 0, 1, 6, 6),
                new SiteRecord("house-3", MARKET, "p-h3", "F1", "household", 37.496, 139.926, 0, 1, 6, 6),
                new SiteRecord("house-4", MARKET, "p-h4", "F2", "household", 37.486, 139.936, 0, 1, 6, 6),
                new SiteRecord("house-5", MARKET, "p-h5", "F2", "household", 37.484, 139.940, 0, 1, 6, 6),
                new SiteRecord("shop-1", MARKET, "p-shop", "F2", "shop", 37.488, 139.930, 0, 2, 0, 20));
        List<EvRecord> evs = List.of(
                new EvRecord("ev-1", MARKET, "p-h1", "house-1", 40, 50, 6, 0.95, 0.95, 0.15),
                new EvRecord("ev-2", MARKET, "p-h2", "house-2", 40, 50, 6, 0.95, 0.95, 0.15),
                new EvRecord("ev-3", MARKET, "p-h4", "house-4", 62, 50, 6, 0.92, 0.92, 0.18));
        market.registry().save(new MarketRegistry.Town(people, feeders, sites, evs));
    }

    static double bell(int slot, double peak) {
        double x = (slot - 24.5) / 6.0; // noon-centred, zero before ~07:00 and after ~17:00
        return Math.abs(x) > 1.6 ? 0 : peak * Math.exp(-x * x);
    }

    static boolean offDay(LocalDate d) {
        return d.getDayOfWeek().getValue() >= 6;
    }

    /** 14 days of metered slots for every site and a weather forecast per day (and for D). */
    void history() throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO metered_slot (site_id, slot_start, import_wh, export_wh, pv_wh) VALUES (?, ?, ?, ?, ?)")) {
            for (int k = 14; k >= 2; k--) {
                LocalDate d = DAY.minusDays(k);
                double cloud = 0.6 + 0.4 * ((k * 37) % 10) / 10.0; // 0.6..0.96, known to the "forecast"
                double[] idx = new double[48];
                for (int t = 0; t < 48; t++) {
                    idx[t] = bell(t, 1) > 0 ? cloud : 0;
                }
                market.weather().save(new WeatherForecast(MARKET, "wx-1", 1000 + k, d.minusDays(1)
                        .atTime(9, 0).atZone(TOKYO).toInstant(), d, 30, idx));
                for (int t = 0; t < 48; t++) {
                    Instant slot = d.atStartOfDay(TOKYO).toInstant().plus(Duration.ofMinutes(30L * t));
                    // factories: 200 kWp (about 100 kWh per slot at noon), load 30 kWh/slot on workdays, 4 off days
                    double fLoad = offDay(d) ? 4 : 30;
                    row(ps, "factory-1", slot, fLoad, bell(t, 100) * cloud);
                    row(ps, "factory-2", slot, fLoad, bell(t, 40) * cloud);
                    for (int h = 1; h <= 5; h++) {
                        double load = (t >= 34 && t < 44 ? 1.4 : 0.35) + 0.05 * h;
                        row(ps, "house-" + h, slot, load, 0);
                    }
                    row(ps, "shop-1", slot, t >= 18 && t < 40 ? 8 : 1, 0);
                }
            }
            ps.executeBatch();
        }
        double[] tomorrow = new double[48];
        for (int t = 0; t < 48; t++) {
            tomorrow[t] = bell(t, 1) > 0 ? 0.9 : 0;
        }
        market.weather().save(new WeatherForecast(MARKET, "wx-1", 2000, DAY.minusDays(1).atTime(9, 0).atZone(TOKYO)
                .toInstant(), DAY, 30, tomorrow));
    }

    /** A slot from its load and PV (kWh): whatever PV does not cover is imported, the rest exported. */
    static void row(PreparedStatement ps, String site, Instant slot, double loadKwh, double pvKwh) throws Exception {
        double net = loadKwh - pvKwh;
        ps.setString(1, site);
        ps.setTimestamp(2, Timestamp.from(slot));
        ps.setDouble(3, Math.max(0, net) * 1000);
        ps.setDouble(4, Math.max(0, -net) * 1000);
        ps.setDouble(5, pvKwh * 1000);
        ps.addBatch();
    }

    void declare(String ev) {
        market.orders().declareAvailability(ev, DAY, new EvAvailability(16, 44, 8, 24, 2, 5));
    }

    @Test
    @Order(1)
    void ordersValidateAndNothingHalfSaved() {
        assertThatThrownBy(() -> market.registry().save(new MarketRegistry.Town(
                List.of(new Participant("p-new", "New", Set.of("prosumer"))), List.of(),
                List.of(new SiteRecord("house-9", MARKET, "p-new", "F9", "household", 37.49, 139.93, 0, 1, 6, 6)),
                List.of())))
                .isInstanceOf(MarketException.class).hasMessageContaining("feederId").hasMessageContaining("F9");
        assertThat(market.registry().participant("p-new")).isEmpty(); // rolled back with the bad site
        assertThatThrownBy(() -> market.orders().putManualOrders("factory-2", DAY, new ManualOrders(
                List.of(new ManualOrders.Offer(22, 10, 3), new ManualOrders.Offer(48, 1, 3)), List.of())))
                .isInstanceOf(MarketException.class).hasMessageContaining("offers[1].slot").hasMessageContaining("48");
        assertThat(market.orders().manualOrders("factory-2", DAY).offers()).isEmpty();
        assertThatThrownBy(() -> market.orders().declareAvailability("ev-1", DAY,
                new EvAvailability(16, 44, 30, 24, 2, 5))).hasMessageContaining("minKwh").hasMessageContaining("30");
        assertThatThrownBy(() -> market.orders().declareAvailability("ev-9", DAY,
                new EvAvailability(16, 44, 8, 24, 2, 5))).isInstanceOf(MarketException.class)
                .matches(e -> ((MarketException) e).kind() == MarketException.Kind.NOT_FOUND);
    }

    @Test
    @Order(2)
    void fullCycle() {
        // orders: factory-1 and the households auto (factory-1 at a minimum ask of 1 JPY/kWh), factory-2 manual
        market.orders().setPolicy("factory-1", new OrderPolicy(OrderPolicy.Mode.AUTO, 1.0, 30));
        market.orders().setPolicy("shop-1", new OrderPolicy(OrderPolicy.Mode.AUTO, 0, 28));
        market.orders().setPolicy("factory-2", new OrderPolicy(OrderPolicy.Mode.MANUAL, 0, 30));
        List<ManualOrders.Offer> manual = new java.util.ArrayList<>();
        for (int t = 20; t < 30; t++) {
            manual.add(new ManualOrders.Offer(t, 15, 3));
        }
        market.orders().putManualOrders("factory-2", DAY, new ManualOrders(manual, List.of()));
        declare("ev-1");
        declare("ev-2");
        declare("ev-3");
        assertThat(market.cycle().status(MARKET, DAY).phase()).isEqualTo(DayPhase.ORDERS_OPEN);

        // gate closure at D-1 10:00
        clock.jumpTo(market.settings().gateClosureOf(DAY).plusSeconds(1));
        assertThatThrownBy(() -> market.orders().putManualOrders("factory-2", DAY, new ManualOrders(manual, List.of())))
                .isInstanceOf(MarketException.class).hasMessageContaining("closed");
        PublishedSchedule gate = market.cycle().runGateClosure(MARKET, DAY);
        assertThat(gate.version()).isEqualTo(1);
        assertThat(gate.stage()).isEqualTo(PublishedSchedule.Stage.GATE);
        assertThat(gate.source()).as(gate.note()).isEqualTo(PublishedSchedule.Source.MATCHER);
        Instance in = gate.instance();
        assertThat(in.sites()).hasSize(8);
        assertThat(in.evs()).extracting(e -> e.id()).containsExactlyInAnyOrder("ev-1", "ev-2", "ev-3");
        // auto: factory-1's noon surplus ~ 100 kWh x 0.9 - 4 kWh (Saturday load) at its minimum ask
        Offer noon = in.offers().stream().filter(o -> o.site().equals("factory-1") && o.slot() == 24).findFirst()
                .orElseThrow();
        assertThat(noon.askJpyPerKwh()).isEqualTo(1.0);
        assertThat(noon.kwh()).isBetween(80.0, 92.0);
        // manual: exactly what was put
        assertThat(in.offers().stream().filter(o -> o.site().equals("factory-2")).toList())
                .hasSize(10).allMatch(o -> o.kwh() == 15 && o.askJpyPerKwh() == 3);
        // evening bids of the households at the retail tariff
        assertThat(in.bids().stream().filter(b -> b.site().equals("house-3") && b.slot() == 36).findFirst())
                .hasValueSatisfying(b -> assertThat(b.bidJpyPerKwh()).isEqualTo(30.0));
        assertChecked(gate);

        List<EvJob> offered = market.jobs().jobs(MARKET, DAY);
        assertThat(offered).as("the matcher routes at least two EVs").hasSizeGreaterThanOrEqualTo(2);
        assertThat(offered).allMatch(j -> j.status() == EvJob.Status.OFFERED && j.scheduleVersion() == 1);
        for (EvJob j : offered) {
            assertThat(j.itinerary()).isEqualTo(itineraryOf(gate.solution(), j.evId()));
            assertThat(j.payJpy()).isPositive();
        }
        assertThat(market.cycle().runGateClosure(MARKET, DAY).version()).as("idempotent").isEqualTo(1);

        // accept one, decline another
        clock.jumpTo(market.settings().gateClosureOf(DAY).plus(Duration.ofHours(1)));
        EvJob acceptedJob = market.cycle().accept(offered.get(0).jobId());
        assertThat(acceptedJob.status()).isEqualTo(EvJob.Status.ACCEPTED);
        EvJob declinedJob = market.cycle().decline(offered.get(1).jobId());
        assertThat(declinedJob.status()).isEqualTo(EvJob.Status.DECLINED);
        assertThatThrownBy(() -> market.cycle().accept(declinedJob.jobId())).isInstanceOf(MarketException.class)
                .hasMessageContaining("no longer offered");

        PublishedSchedule replan = market.schedules().latest(MARKET, DAY).orElseThrow();
        assertThat(replan.version()).isEqualTo(2);
        assertThat(replan.stage()).isEqualTo(PublishedSchedule.Stage.REPLAN);
        assertThat(replan.note()).contains(declinedJob.evId());
        assertThat(itineraryOf(replan.solution(), acceptedJob.evId())).as("accepted itinerary kept exactly")
                .isEqualTo(acceptedJob.itinerary());
        assertThat(itineraryOf(replan.solution(), declinedJob.evId())).as("declined EV left out").isNull();
        assertChecked(replan);
        // every EV still offered has a job with its re-planned itinerary
        for (EvJob j : market.jobs().jobs(MARKET, DAY)) {
            if (j.status() == EvJob.Status.OFFERED) {
                assertThat(j.itinerary()).isEqualTo(itineraryOf(replan.solution(), j.evId()));
            }
        }

        // job deadline: what is still offered expires; final: only the accepted itinerary stays
        clock.jumpTo(market.settings().jobDeadlineOf(DAY).plusSeconds(1));
        assertThatThrownBy(() -> market.cycle().accept(declinedJob.jobId())).isInstanceOf(MarketException.class)
                .hasMessageContaining("until");
        market.cycle().runJobDeadline(MARKET, DAY);
        assertThat(market.jobs().jobs(MARKET, DAY)).noneMatch(j -> j.status() == EvJob.Status.OFFERED);
        assertThat(market.schedules().finalSchedule(MARKET, DAY)).isEmpty();

        clock.jumpTo(market.settings().finalOf(DAY).plusSeconds(1));
        PublishedSchedule fin = market.cycle().runFinal(MARKET, DAY);
        assertThat(fin.stage()).isEqualTo(PublishedSchedule.Stage.FINAL);
        assertThat(fin.solution().itineraries()).extracting(Solution.Itinerary::ev).containsExactly(acceptedJob.evId());
        assertThat(itineraryOf(fin.solution(), acceptedJob.evId())).isEqualTo(acceptedJob.itinerary());
        assertChecked(fin);
        assertThat(market.schedules().finalSchedule(MARKET, DAY)).hasValueSatisfying(p -> {
            assertThat(p.version()).isEqualTo(fin.version());
            assertThat(p.solution()).isEqualTo(fin.solution());
        });
        var status = market.cycle().status(MARKET, DAY);
        assertThat(status.phase()).isEqualTo(DayPhase.FINAL);
        assertThat(status.versions()).extracting(v -> v.stage()).containsExactly(PublishedSchedule.Stage.GATE,
                PublishedSchedule.Stage.REPLAN, PublishedSchedule.Stage.FINAL);
    }

    @Test
    @Order(3)
    void failingMatcherPublishesTheGreedySchedule() {
        LocalDate day = DAY.plusDays(1);
        clock.jumpTo(market.settings().gateClosureOf(day).minusSeconds(3600));
        market.orders().declareAvailability("ev-1", day, new EvAvailability(16, 44, 8, 24, 2, 5));
        market.orders().setPolicy("house-5", new OrderPolicy(OrderPolicy.Mode.MANUAL, 0, 30));
        market.orders().putManualOrders("house-5", day, new ManualOrders(List.of(),
                List.of(new ManualOrders.Bid(22, 2.0, 31))));
        // house-4 gets a 3-kW export limit (an update through the registry) so it can sell through the grid
        market.registry().upsertSite(new SiteRecord("house-4", MARKET, "p-h4", "F2", "household", 37.486, 139.936, 3, 1,
                6, 6));
        assertThat(market.registry().site("house-4")).hasValueSatisfying(x -> assertThat(x.exportLimitKw()).isEqualTo(3));
        market.orders().setPolicy("house-4", new OrderPolicy(OrderPolicy.Mode.MANUAL, 0, 30));
        market.orders().putManualOrders("house-4", day, new ManualOrders(List.of(new ManualOrders.Offer(22, 1.5, 2)),
                List.of()));
        clock.jumpTo(market.settings().gateClosureOf(day));
        market.cycle().setMatcher((in, o) -> {
            throw new IllegalStateException("solver exploded");
        });
        try {
            PublishedSchedule s = market.cycle().runGateClosure(MARKET, day);
            assertThat(s.source()).isEqualTo(PublishedSchedule.Source.GREEDY);
            assertThat(s.note()).contains("solver exploded");
            assertThat(s.solution().itineraries()).isEmpty();
            assertThat(s.solution().grid()).anyMatch(g -> g.seller().equals("house-4") && g.buyer().equals("house-5")
                    && g.slot() == 22 && Math.abs(g.kwh() - 1.5) < 1e-9);
            assertChecked(s);
            assertThat(market.jobs().jobs(MARKET, day)).isEmpty();
        } finally {
            market.cycle().setMatcher(org.secondgrid.matcher.solver.MarketSolver::solve);
        }
    }

    @Test
    @Order(4)
    void theClockDrivesThePhases() {
        LocalDate day = DAY.plusDays(2);
        clock.jumpTo(market.settings().gateClosureOf(day).minusSeconds(60));
        market.cycle().tick(); // runs nothing of `day` yet (earlier days are done)
        assertThat(market.cycle().status(MARKET, day).gateRanAt()).isNull();
        // the admin runs gate closure early: orders for the day close with it
        market.cycle().runGateClosure(MARKET, day);
        assertThat(market.cycle().status(MARKET, day).gateRanAt()).isNotNull();
        assertThatThrownBy(() -> market.orders().putManualOrders("house-5", day, new ManualOrders(List.of(),
                List.of()))).isInstanceOf(MarketException.class).hasMessageContaining("closed")
                .matches(e -> ((MarketException) e).code().equals("GATE_CLOSED"));
        clock.jumpTo(market.settings().finalOf(day).plusSeconds(1));
        assertThat(market.cycle().tick()).isEqualTo(2); // job deadline, final
        assertThat(market.schedules().finalSchedule(MARKET, day)).isPresent();
        assertThat(market.cycle().tick()).isZero();
    }

    static Solution.Itinerary itineraryOf(Solution s, String ev) {
        return s.itineraries().stream().filter(i -> i.ev().equals(ev)).findFirst().orElse(null);
    }

    static void assertChecked(PublishedSchedule p) {
        CheckReport r = SolutionChecker.check(p.instance(), p.solution());
        assertThat(r.ok()).as(() -> r.violations().stream().map(v -> v.line()).collect(Collectors.joining("\n")))
                .isTrue();
    }
}
