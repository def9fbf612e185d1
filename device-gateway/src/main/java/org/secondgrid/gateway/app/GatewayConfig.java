package org.secondgrid.gateway.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Gateway configuration: defaults for a local run on embedded components, each overridable by an
 * environment variable (see the module README's config table).
 */
public record GatewayConfig(
        Path dataDir,
        String databaseUrl,
        String mqttUrl,
        int mqttPort,
        String mqttUser,
        String mqttPassword,
        String clientId,
        String shareGroup,
        long sessionExpirySeconds,
        String influxUrl,
        String influxToken,
        String influxOrg,
        String influxBucket,
        int questdbPort,
        int httpPort,
        int batchSize,
        int batchDelayMs,
        int queueCapacity,
        int maxPayloadBytes,
        Duration maxFuture,
        Duration maxAge,
        int slotRefreshMs,
        String adminToken,
        org.secondgrid.gateway.market.MarketSettings market,
        String jwtSecret,
        int jwtTtlMinutes,
        org.secondgrid.gateway.delivery.DeliveryConfig delivery,
        String influxApi,
        org.secondgrid.gateway.auth.LoginThrottle.Settings loginThrottle) {

    public static GatewayConfig defaults() {
        return fromEnv(Map.of());
    }

    public static GatewayConfig fromEnv(Map<String, String> env) {
        E e = new E(env);
        return new GatewayConfig(
                Path.of(e.str("DATA_DIR", "data/gateway")),
                e.str("DATABASE_URL", null),
                e.str("MQTT_URL", null),
                e.num("MQTT_PORT", 1883),
                e.str("MQTT_USERNAME", "gateway"),
                e.str("MQTT_PASSWORD", null),
                e.str("GATEWAY_ID", "gateway-1"),
                e.str("SHARE_GROUP", "gateways"),
                e.num("SESSION_EXPIRY_SECONDS", 7 * 24 * 3600),
                e.str("INFLUX_URL", null),
                e.str("INFLUX_TOKEN", ""),
                e.str("INFLUX_ORG", "secondgrid"),
                e.str("INFLUX_BUCKET", "telemetry"),
                e.num("QUESTDB_HTTP_PORT", 9000),
                e.num("HTTP_PORT", 8080),
                e.num("INGEST_BATCH_SIZE", 5000),
                e.num("INGEST_BATCH_DELAY_MS", 5),
                e.num("INGEST_QUEUE_CAPACITY", 50_000),
                e.num("MAX_PAYLOAD_BYTES", 2048),
                Duration.ofSeconds(e.num("MAX_FUTURE_SECONDS", 300)),
                Duration.ofHours(e.num("MAX_AGE_HOURS", 7 * 24)),
                e.num("SLOT_REFRESH_MS", 2000),
                e.str("ADMIN_TOKEN", null),
                org.secondgrid.gateway.market.MarketSettings.fromEnv(env),
                e.str("JWT_SECRET", null),
                e.num("JWT_TTL_MINUTES", 12 * 60),
                org.secondgrid.gateway.delivery.DeliveryConfig.fromEnv(env),
                e.str("INFLUX_API", "v2"),
                org.secondgrid.gateway.auth.LoginThrottle.Settings.fromEnv(env));
    }

    /** The password of the gateway's broker account: configured, else a random one for an embedded broker. */
    public String effectiveMqttPassword() {
        return mqttPassword != null ? mqttPassword : UUID.randomUUID().toString();
    }

    /** True if the time-series store is switched off ({@code INFLUX_URL=off}). */
    public boolean timeseriesOff() {
        return "off".equalsIgnoreCase(influxUrl);
    }

    private record E(Map<String, String> env) {
        String str(String key, String def) {
            String v = env.get(key);
            return v == null || v.isBlank() ? def : v.trim();
        }

        int num(String key, int def) {
            String v = str(key, null);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(key + " must be a non-negative integer, got '" + v + "'");
            }
        }
    }
}
