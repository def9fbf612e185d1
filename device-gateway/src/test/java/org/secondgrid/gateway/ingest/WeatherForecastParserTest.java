package org.secondgrid.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.forecast.WeatherForecast;

/** The weather kind: {@code secondgrid/{market}/weather/{providerId}/forecast}. */
class WeatherForecastParserTest {

    static final Instant NOW = Instant.parse("2026-12-04T00:30:00Z");
    static final String TOPIC = "secondgrid/aizu/weather/wx-1/forecast";
    final ReadingParser parser = new ReadingParser(Map.of(
            "wx-1", new Device("wx-1", "aizu", "aizu", "weather", 0, null),
            "m-1", new Device("m-1", "aizu", "site-1", "meters", 6, null))::get, ReadingParser.Limits.DEFAULT);

    static String index(int n, double v) {
        return IntStream.range(0, n).mapToObj(i -> i >= 14 && i < 34 ? String.valueOf(v) : "0")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String payload(String day, String slotMinutes, String index) {
        return "{\"seq\":7,\"ts\":\"2026-12-04T09:00:00+09:00\",\"day\":" + day + ",\"slotMinutes\":" + slotMinutes
                + ",\"irradianceIndex\":" + index + "}";
    }

    ReadingParser.Outcome parse(String topic, String json) {
        return parser.parse(topic, json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void acceptsADayOfSlots() {
        var o = parse(TOPIC, payload("\"2026-12-05\"", "30", index(48, 0.75)));
        assertThat(o).isInstanceOf(ReadingParser.AcceptedForecast.class);
        WeatherForecast f = ((ReadingParser.AcceptedForecast) o).forecast();
        assertThat(f.market()).isEqualTo("aizu");
        assertThat(f.providerId()).isEqualTo("wx-1");
        assertThat(f.seq()).isEqualTo(7);
        assertThat(f.ts()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(f.day()).isEqualTo(LocalDate.of(2026, 12, 5));
        assertThat(f.slotMinutes()).isEqualTo(30);
        assertThat(f.irradianceIndex()).hasSize(48);
        assertThat(f.irradianceIndex()[20]).isEqualTo(0.75);
        assertThat(Arrays.stream(f.irradianceIndex()).sum()).isEqualTo(20 * 0.75, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void topicAndDeviceMustMatchTheWeatherKind() {
        assertThat(DeviceTopic.parse(TOPIC)).hasValueSatisfying(t -> assertThat(t.kind()).isEqualTo("weather"));
        assertThat(DeviceTopic.parse("secondgrid/aizu/weather/wx-1/reading")).isEmpty();
        assertThat(new Device("wx-1", "aizu", "aizu", "weather", 0, null).telemetryTopic()).isEqualTo(TOPIC);
        assertThat(code(parse("secondgrid/aizu/weather/m-1/forecast", payload("\"2026-12-05\"", "30", index(48, 1)))))
                .isEqualTo(ErrorCode.KIND_MISMATCH);
    }

    @Test
    void rejectsBadFieldsNamingThem() {
        assertRejected(payload("\"2026-13-05\"", "30", index(48, 1)), ErrorCode.FIELD_TYPE, "day");
        assertRejected(payload("20261205", "30", index(48, 1)), ErrorCode.FIELD_TYPE, "day");
        assertRejected(payload("\"2026-12-05\"", "7", index(48, 1)), ErrorCode.VALUE_OUT_OF_RANGE, "slotMinutes");
        assertRejected(payload("\"2026-12-05\"", "30", index(47 - 10, 1)), ErrorCode.VALUE_OUT_OF_RANGE,
                "irradianceIndex");
        assertRejected(payload("\"2026-12-05\"", "30", index(48, 1.3)), ErrorCode.VALUE_OUT_OF_RANGE,
                "irradianceIndex[14]");
        assertRejected(payload("\"2026-12-05\"", "30", index(48, -0.1)), ErrorCode.VALUE_OUT_OF_RANGE,
                "irradianceIndex[14]");
        assertRejected(payload("\"2026-12-05\"", "30", "[0.5,\"x\"]"), ErrorCode.FIELD_TYPE, "irradianceIndex");
        assertRejected(payload("\"2026-12-05\"", "30", "{\"a\":1}"), ErrorCode.FIELD_TYPE, "irradianceIndex");
        assertRejected("{\"seq\":7,\"ts\":\"2026-12-04T09:00:00+09:00\",\"day\":\"2026-12-05\",\"slotMinutes\":30}",
                ErrorCode.FIELD_MISSING, "irradianceIndex");
    }

    void assertRejected(String json, ErrorCode code, String field) {
        var o = parse(TOPIC, json);
        assertThat(o).isInstanceOf(ReadingParser.Rejected.class);
        var r = ((ReadingParser.Rejected) o).rejection();
        assertThat(r.code()).as(r.detail()).isEqualTo(code);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.detail()).contains(field);
    }

    static ErrorCode code(ReadingParser.Outcome o) {
        return ((ReadingParser.Rejected) o).rejection().code();
    }
}
