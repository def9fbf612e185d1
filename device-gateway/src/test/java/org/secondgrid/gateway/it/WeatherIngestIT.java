package org.secondgrid.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.app.GatewayConfig;
import org.secondgrid.gateway.app.ScaledClock;
import org.secondgrid.gateway.ingest.Device;

/**
 * A weather provider (device kind weather, own broker credentials) publishes a day-ahead forecast through
 * the embedded broker; the gateway, running on a simulated clock a year away from real time, validates
 * its timestamp against that clock and stores it in {@code weather_forecast}.
 */
class WeatherIngestIT {

    @Test
    void forecastOverMqttIsStoredAgainstTheSimulatedClock() throws Exception {
        Path dir = Files.createTempDirectory("gw-weather-it");
        ScaledClock clock = new ScaledClock(Clock.systemUTC(), Instant.parse("2026-12-04T00:05:00Z"), 1);
        try (Gateway gw = Gateway.start(GatewayConfig.fromEnv(Map.of(
                "DATA_DIR", dir.toString(),
                "MQTT_PORT", String.valueOf(Mqtt.freePort()),
                "HTTP_PORT", "0",
                "INFLUX_URL", "off",
                "MQTT_PASSWORD", "gw-secret",
                "GATEWAY_ID", "weather-it",
                "MARKET_CYCLE", "off")), clock)) {
            assertThat(gw.clock()).isSameAs(clock);
            gw.devices().register(List.of(new Device("wx-1", "aizu", "aizu", "weather", 0, null)), List.of("pw-wx"),
                    1000);
            String idx = IntStream.range(0, 48).mapToObj(i -> i >= 14 && i < 34 ? "0.8" : "0")
                    .collect(Collectors.joining(",", "[", "]"));
            String good = "{\"seq\":1,\"ts\":\"2026-12-04T09:00:00+09:00\",\"day\":\"2026-12-05\",\"slotMinutes\":30,"
                    + "\"irradianceIndex\":" + idx + "}";
            // a year older than the simulated clock: rejected as too old
            String old = good.replace("\"seq\":1", "\"seq\":2").replace("2026-12-04T09", "2025-12-04T09");
            MqttAsyncClient c = Mqtt.connect("tcp://127.0.0.1:" + gw.mqttPort(), "wx-1", "pw-wx");
            try {
                assertThat(Mqtt.publish(c, "secondgrid/aizu/weather/wx-1/forecast", List.of(Mqtt.utf8(good),
                        Mqtt.utf8(old)))).containsOnly(0);
            } finally {
                c.disconnect().waitForCompletion(5000);
                c.close();
            }
            Mqtt.await(Duration.ofSeconds(30), "forecast stored",
                    () -> gw.market().weather().latest("aizu", LocalDate.of(2026, 12, 5)).isPresent()
                            && rejected(gw, "wx-1") == 1);
            var f = gw.market().weather().latest("aizu", LocalDate.of(2026, 12, 5)).orElseThrow();
            assertThat(f.providerId()).isEqualTo("wx-1");
            assertThat(f.seq()).isEqualTo(1);
            assertThat(f.irradianceIndex()).hasSize(48);
            assertThat(f.irradianceIndex()[20]).isEqualTo(0.8);
            assertThat(f.irradianceIndex()[0]).isZero();
            assertThat(rejectedCode(gw, "wx-1")).isEqualTo("TS_TOO_OLD");
        } finally {
            Mqtt.deleteTree(dir);
        }
    }

    static int rejected(Gateway gw, String device) {
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM rejected_message WHERE device_id = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rejectedCode(Gateway gw, String device) throws Exception {
        try (Connection c = gw.database().connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT code FROM rejected_message WHERE device_id = ?")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
