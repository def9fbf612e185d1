package org.secondgrid.gateway.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ./secondgrid gateway}: runs the gateway until SIGTERM/Ctrl-C. Configuration from the environment. */
public final class GatewayMain {

    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("-h".equals(args[0]) || "--help".equals(args[0]))) {
            System.out.println("""
                    Usage: ./secondgrid gateway
                    Runs MQTT ingest, metered slots and the HTTP API. Configured by environment variables
                    (DATA_DIR, DATABASE_URL, MQTT_URL, MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD, GATEWAY_ID,
                    SHARE_GROUP, INFLUX_URL|off, INFLUX_TOKEN, INFLUX_ORG, INFLUX_BUCKET, QUESTDB_HTTP_PORT, HTTP_PORT,
                    INGEST_BATCH_SIZE, INGEST_BATCH_DELAY_MS, ...): see device-gateway/README.md.""");
            return;
        }
        GatewayConfig cfg = GatewayConfig.fromEnv(System.getenv());
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
