package org.secondgrid.gateway.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./secondgrid gateway}: runs the gateway until SIGTERM/Ctrl-C. Configuration from the environment. */
public final class GatewayMain {

    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    private static void writeMosquittoFiles(GatewayConfig cfg, String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: mosquitto-files DIR");
        }
        if (cfg.mqttPassword() == null) {
            throw new IllegalArgumentException("MQTT_PASSWORD must be set: it is the gateway's account in the password file");
        }
        java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
        java.nio.file.Files.createDirectories(dir);
        try (org.secondgrid.gateway.store.Database db = org.secondgrid.gateway.store.Database.open(cfg.databaseUrl(),
                cfg.dataDir(), 0)) {
            var repo = new org.secondgrid.gateway.store.DeviceRepository(db.dataSource());
            var devices = repo.all();
            org.secondgrid.gateway.auth.MosquittoFiles.write(dir.resolve("passwd"), dir.resolve("acl"),
                    org.secondgrid.gateway.auth.MosquittoFiles.passwords(repo.passwordHashes(), cfg.mqttUser(),
                            org.secondgrid.gateway.auth.PasswordHasher.hash(cfg.mqttPassword())),
                    org.secondgrid.gateway.auth.MosquittoFiles.acl(devices, cfg.mqttUser()));
            System.out.println("wrote " + dir.resolve("passwd") + " and " + dir.resolve("acl") + " for "
                    + devices.size() + " devices");
        }
    }

    private static void rebuildTimeseries(GatewayConfig cfg, String[] args) throws Exception {
        java.time.Instant from = java.time.Instant.EPOCH;
        java.time.Instant to = java.time.Instant.parse("9999-01-01T00:00:00Z");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--from" -> from = java.time.Instant.parse(args[++i]);
                case "--to" -> to = java.time.Instant.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "' (use rebuild-timeseries [--from ISO-INSTANT] [--to ISO-INSTANT])");
            }
        }
        if (cfg.timeseriesOff()) {
            throw new IllegalArgumentException("INFLUX_URL=off: there is no time-series store to rebuild");
        }
        var metrics = new org.secondgrid.gateway.ingest.IngestMetrics();
        try (var db = org.secondgrid.gateway.store.Database.open(cfg.databaseUrl(), cfg.dataDir(), 0)) {
            org.secondgrid.gateway.store.EmbeddedQuestDb quest = null;
            org.secondgrid.gateway.store.TimeSeriesWriter.Target target;
            if (cfg.influxUrl() == null) {
                quest = org.secondgrid.gateway.store.EmbeddedQuestDb.start(cfg.dataDir(), cfg.questdbPort());
                target = new org.secondgrid.gateway.store.TimeSeriesWriter.Target(quest.url(), "", cfg.influxOrg(),
                        cfg.influxBucket());
            } else {
                target = new org.secondgrid.gateway.store.TimeSeriesWriter.Target(cfg.influxUrl(), cfg.influxToken(),
                        cfg.influxOrg(), cfg.influxBucket(), cfg.influxApi());
            }
            long n;
            try (var writer = new org.secondgrid.gateway.store.TimeSeriesWriter(target, 100_000, 5000, metrics)) {
                n = org.secondgrid.gateway.store.TimeSeriesRebuild.run(db.dataSource(), writer, from, to);
            } finally {
                if (quest != null) {
                    quest.close();
                }
            }
            System.out.println("re-sent " + n + " readings; " + metrics.timeseriesWritten.sum() + " points written");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("-h".equals(args[0]) || "--help".equals(args[0]))) {
            System.out.println("""
                    Usage: ./secondgrid gateway
                      Runs MQTT ingest, metered slots and the HTTP API, configured by environment variables
                      (DATA_DIR, DATABASE_URL, MQTT_URL, MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD, GATEWAY_ID,
                      SHARE_GROUP, INFLUX_URL|off, INFLUX_API (v2|v1), INFLUX_TOKEN, INFLUX_ORG, INFLUX_BUCKET, QUESTDB_HTTP_PORT,
                      HTTP_PORT, ADMIN_TOKEN, INGEST_BATCH_SIZE, ...): see device-gateway/README.md.
                      Also runs the day-ahead market cycle (MARKET_TIME_ZONE, MARKET_GATE_CLOSURE,
                      MARKET_JOB_DEADLINE, MARKET_FINAL, MATCHER_DEADLINE_SECONDS, MARKET_CYCLE=off, ...)
                      on the clock CLOCK_SIM_START / CLOCK_SPEED (default: real time).
                    Usage: ./secondgrid gateway mosquitto-files DIR
                      Writes DIR/passwd and DIR/acl for Mosquitto from the device registry; the gateway
                      account is MQTT_USERNAME / MQTT_PASSWORD (which must be set).
                    Usage: ./secondgrid gateway rebuild-timeseries [--from ISO-INSTANT] [--to ISO-INSTANT]
                      Re-sends stored readings from PostgreSQL to the time-series store (idempotent points).""");
            return;
        }
        GatewayConfig cfg = GatewayConfig.fromEnv(System.getenv());
        if (args.length > 0 && "mosquitto-files".equals(args[0])) {
            writeMosquittoFiles(cfg, args);
            return;
        }
        if (args.length > 0 && "rebuild-timeseries".equals(args[0])) {
            rebuildTimeseries(cfg, args);
            return;
        }
        Gateway g = Gateway.start(cfg);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            log.info("stopping gateway");
            g.close();
            stop.countDown();
        }));
        // A line on stdout a parent process (tests, the demo) can wait for.
        System.out.println("GATEWAY READY http=" + g.httpPort());
        System.out.flush();
        stop.await();
    }
}
