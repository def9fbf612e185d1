package org.secondgrid.gateway.app;

import java.nio.file.Files;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.secondgrid.gateway.api.HttpApi;
import org.secondgrid.gateway.auth.EmbeddedBroker;
import org.secondgrid.gateway.ingest.CounterTracker;
import org.secondgrid.gateway.ingest.IngestMetrics;
import org.secondgrid.gateway.ingest.IngestService;
import org.secondgrid.gateway.ingest.ReadingParser;
import org.secondgrid.gateway.store.Database;
import org.secondgrid.gateway.store.DeviceRepository;
import org.secondgrid.gateway.store.EmbeddedQuestDb;
import org.secondgrid.gateway.store.SlotRefresher;
import org.secondgrid.gateway.store.TimeSeriesWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the gateway: database, broker, time-series store, ingest, slot refresher, HTTP. */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final IngestMetrics metrics = new IngestMetrics();
    private Database db;
    private DeviceRepository devices;
    private EmbeddedBroker broker;
    private EmbeddedQuestDb questDb;
    private TimeSeriesWriter timeseries;
    private IngestService ingest;
    private HttpApi http;
    private GatewayConfig config;
    private SlotRefresher slots;
    private ScheduledExecutorService scheduler;
    private org.secondgrid.gateway.delivery.DeliveryService delivery;
    private final Clock clock;
    private org.secondgrid.gateway.market.MarketServices market;

    private Gateway(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Starts with the clock from the environment ({@link ScaledClock#fromEnv()}: real time unless CLOCK_* say otherwise). */
    public static Gateway start(GatewayConfig cfg) throws Exception {
        return start(cfg, ScaledClock.fromEnv());
    }

    /**
     * Starts with the given clock, used wherever time matters: ingest validation (timestamps too far
     * ahead / too old), the market cycle's phases and delivery. The demo passes the simulator's clock.
     */
    public static Gateway start(GatewayConfig cfg, Clock clock) throws Exception {
        Gateway g = new Gateway(clock);
        try {
            g.startAll(cfg);
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    private void startAll(GatewayConfig cfg) throws Exception {
        this.config = cfg;
        Files.createDirectories(cfg.dataDir());
        db = Database.open(cfg.databaseUrl(), cfg.dataDir(), 0);
        closeables.add(db);
        devices = new DeviceRepository(db.dataSource());
        log.info("device registry: {} devices", devices.loadAll());

        String mqttUrl = cfg.mqttUrl();
        String mqttPassword = cfg.effectiveMqttPassword();
        if (mqttUrl == null) {
            broker = EmbeddedBroker.start(cfg.dataDir(), cfg.mqttPort(), devices, cfg.mqttUser(), mqttPassword);
            closeables.add(broker);
            mqttUrl = broker.url();
        }

        if (!cfg.timeseriesOff()) {
            TimeSeriesWriter.Target target;
            if (cfg.influxUrl() == null) {
                questDb = EmbeddedQuestDb.start(cfg.dataDir(), cfg.questdbPort());
                closeables.add(questDb);
                target = new TimeSeriesWriter.Target(questDb.url(), "", cfg.influxOrg(), cfg.influxBucket());
            } else {
                target = new TimeSeriesWriter.Target(cfg.influxUrl(), cfg.influxToken(), cfg.influxOrg(), cfg.influxBucket(),
                        cfg.influxApi());
            }
            timeseries = new TimeSeriesWriter(target, 500_000, 5000, metrics);
            closeables.add(timeseries);
        } else {
            log.info("time series: off (INFLUX_URL=off)");
        }

        CounterTracker counters = new CounterTracker();
        seedCounters(counters);
        ReadingParser parser = new ReadingParser(devices::find,
                new ReadingParser.Limits(cfg.maxPayloadBytes(), cfg.maxFuture(), cfg.maxAge()));
        ingest = new IngestService(new IngestService.Settings(mqttUrl, cfg.clientId(), cfg.mqttUser(), mqttPassword,
                cfg.shareGroup(), cfg.sessionExpirySeconds(), cfg.batchSize(), cfg.batchDelayMs(), cfg.queueCapacity()),
                parser, counters, db.dataSource(), metrics, timeseries == null ? null : timeseries::offer, clock);
        closeables.add(ingest);

        slots = new SlotRefresher(db.dataSource());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("slot-refresher")
                .daemon(true).unstarted(r));
        closeables.add(scheduler::shutdownNow);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                slots.refreshAll();
            } catch (Exception e) {
                log.warn("slot refresh failed (retried): {}", e.getMessage());
            }
        }, cfg.slotRefreshMs(), cfg.slotRefreshMs(), TimeUnit.MILLISECONDS);

        market = org.secondgrid.gateway.market.MarketServices.create(db.dataSource(), clock, cfg.market());
        closeables.add(market);

        // delivery: charger setpoints, per-slot imbalance/backflow, re-dispatch (package delivery)
        var setpoints = new org.secondgrid.gateway.delivery.MqttSetpointPublisher(mqttUrl, cfg.clientId() + "-delivery",
                cfg.mqttUser(), mqttPassword);
        closeables.add(setpoints);
        delivery = new org.secondgrid.gateway.delivery.DeliveryService(clock,
                new org.secondgrid.gateway.delivery.DeliveryStore(db.dataSource()), setpoints,
                timeseries == null ? null : timeseries::offerLines, cfg.delivery(), null);
        closeables.add(delivery);
        // final schedules from the market service; markets: DELIVERY_MARKETS, else every market of the registry
        delivery.scheduleSource((m, d) -> market.schedules().finalSchedule(m, d)
                .map(p -> new org.secondgrid.gateway.delivery.ScheduleSource.FinalSchedule(p.instance(), p.solution())),
                () -> market.registry().markets());
        ScheduledExecutorService deliveryTicks = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("delivery").daemon(true).unstarted(r)); // its own thread: slot refreshes do not delay setpoints
        closeables.add(deliveryTicks::shutdownNow);
        deliveryTicks.scheduleWithFixedDelay(() -> {
            try {
                delivery.tick();
            } catch (RuntimeException e) {
                log.warn("delivery tick failed (retried): {}", e.toString());
            }
        }, cfg.delivery().tickMs(), cfg.delivery().tickMs(), TimeUnit.MILLISECONDS);

        http = HttpApi.start(new HttpApi.Settings(cfg.httpPort(), cfg.adminToken(), cfg.jwtSecret(), cfg.jwtTtlMinutes(),
                cfg.loginThrottle()),
                org.secondgrid.gateway.api.ApiServices.create(db.dataSource(), devices, metrics, ingest::healthy, clock,
                        market, new org.secondgrid.gateway.api.DeliveryGridFigures(
                                new org.secondgrid.gateway.delivery.DeliveryStore(db.dataSource()), market.registry()::markets),
                        org.secondgrid.gateway.auth.PasswordHasher.ITERATIONS));
        closeables.add(http);
        ingest.start();
        market.cycle().start();
        log.info("gateway {} up: MQTT {}, HTTP http://127.0.0.1:{}/health", cfg.clientId(), mqttUrl, http.port());
    }

    private void seedCounters(CounterTracker counters) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT ON (r.device_id) r.device_id, r.seq, r.import_wh, r.export_wh, coalesce(r.pv_wh, 0)
                FROM reading r JOIN device d ON d.device_id = r.device_id AND d.kind = 'meters'
                ORDER BY r.device_id, r.seq DESC""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counters.seed(rs.getString(1), new CounterTracker.Last(rs.getLong(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5)));
            }
        }
    }

    /** The gateway's clock (real or scaled). */
    /** The configuration it was started with (e.g. its ADMIN_TOKEN for an in-process caller of the REST API). */
    public GatewayConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** Delivery of final schedules (load one with {@code delivery().load(instance, solution)} or set its schedule source). */
    public org.secondgrid.gateway.delivery.DeliveryService delivery() {
        return delivery;
    }

    /** The market service: registry, order book, forecasts, schedules, jobs and the day-ahead cycle. */
    public org.secondgrid.gateway.market.MarketServices market() {
        return market;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    public Database database() {
        return db;
    }

    public DeviceRepository devices() {
        return devices;
    }

    public SlotRefresher slots() {
        return slots;
    }

    public EmbeddedQuestDb questDb() {
        return questDb;
    }

    public TimeSeriesWriter timeseries() {
        return timeseries;
    }

    public int httpPort() {
        return http.port();
    }

    public int mqttPort() {
        return broker == null ? -1 : broker.port();
    }

    /** Stops in reverse order of start: HTTP, ingest (drains and acks), time series, broker, database. */
    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
        closeables.clear();
        log.info("gateway stopped at {}", Instant.now());
    }

}
