package org.secondgrid.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.store.Database;

class GatewayConfigTest {

    @Test
    void defaultsRunOnEmbeddedComponents() {
        GatewayConfig c = GatewayConfig.defaults();
        assertThat(c.databaseUrl()).isNull();
        assertThat(c.mqttUrl()).isNull();
        assertThat(c.influxUrl()).isNull();
        assertThat(c.dataDir()).isEqualTo(Path.of("data/gateway"));
        assertThat(c.shareGroup()).isEqualTo("gateways");
        assertThat(c.timeseriesOff()).isFalse();
    }

    @Test
    void environmentOverrides() {
        GatewayConfig c = GatewayConfig.fromEnv(Map.of("MQTT_URL", "tcp://127.0.0.1:1999", "INGEST_BATCH_SIZE", "100",
                "INFLUX_URL", "off", "GATEWAY_ID", "gw-7"));
        assertThat(c.mqttUrl()).isEqualTo("tcp://127.0.0.1:1999");
        assertThat(c.batchSize()).isEqualTo(100);
        assertThat(c.timeseriesOff()).isTrue();
        assertThat(c.clientId()).isEqualTo("gw-7");
    }

    @Test
    void badNumbersNameTheVariableAndValue() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("HTTP_PORT", "eighty")))
                .hasMessageContaining("HTTP_PORT").hasMessageContaining("eighty");
    }

    @Test
    void databaseUrlsInBothStylesBecomeJdbc() {
        assertThat(Database.toJdbcUrl("postgres://sg:p%40ss@db.local:5433/market"))
                .isEqualTo("jdbc:postgresql://db.local:5433/market?user=sg&password=p@ss");
        assertThat(Database.toJdbcUrl("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThatThrownBy(() -> Database.toJdbcUrl("mysql://x")).hasMessageContaining("DATABASE_URL");
    }
}
