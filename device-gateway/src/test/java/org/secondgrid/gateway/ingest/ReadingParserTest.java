package org.secondgrid.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingParserTest {

    static final Instant NOW = Instant.parse("2026-12-05T01:00:00Z");
    static final Map<String, Device> REGISTRY = Map.of(
            "m-1", new Device("m-1", "aizu", "site-1", "meters", 6, null),
            "c-1", new Device("c-1", "aizu", "site-1", "chargers", 7, null),
            "ev-1", new Device("ev-1", "aizu", "site-1", "evs", 7, 40.0));
    final ReadingParser parser = new ReadingParser(REGISTRY::get, ReadingParser.Limits.DEFAULT);

    ReadingParser.Outcome parse(String topic, String json) {
        return parser.parse(topic, json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void acceptsAMeterReadingWithOffsetTimestamp() {
        var o = parse("secondgrid/aizu/meters/m-1/reading",
                "{\"seq\":123,\"ts\":\"2026-12-05T10:00:00+09:00\",\"importWh\":1500.5,\"exportWh\":20,\"pvWh\":300}");
        assertThat(o).isInstanceOf(ReadingParser.Accepted.class);
        Reading r = ((ReadingParser.Accepted) o).reading();
        assertThat(r.seq()).isEqualTo(123);
        assertThat(r.ts()).isEqualTo(Instant.parse("2026-12-05T01:00:00Z"));
        assertThat(r.importWh()).isEqualTo(1500.5);
        assertThat(r.exportWh()).isEqualTo(20.0);
        assertThat(r.pvWh()).isEqualTo(300.0);
        assertThat(r.siteId()).isEqualTo("site-1");
    }

    @Test
    void acceptsChargerStatusWithNullEvAndNegativePower() {
        var o = parse("secondgrid/aizu/chargers/c-1/status",
                "{\"seq\":1,\"ts\":\"2026-12-05T10:00:00+09:00\",\"ev\":null,\"powerKw\":-6.5,\"sessionWh\":0}");
        Reading r = ((ReadingParser.Accepted) o).reading();
        assertThat(r.evId()).isNull();
        assertThat(r.powerKw()).isEqualTo(-6.5);
    }

    @Test
    void acceptsEvState() {
        var o = parse("secondgrid/aizu/evs/ev-1/state",
                "{\"seq\":9,\"ts\":\"2026-12-05T00:59:00Z\",\"lat\":37.49,\"lon\":139.93,\"socKwh\":21.5}");
        Reading r = ((ReadingParser.Accepted) o).reading();
        assertThat(r.lat()).isEqualTo(37.49);
        assertThat(r.socKwh()).isEqualTo(21.5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "BAD_TOPIC          | secondgrid/aizu/meters/m-1/status | {}",
            "UNKNOWN_DEVICE     | secondgrid/aizu/meters/m-9/reading | {}",
            "KIND_MISMATCH      | secondgrid/aizu/chargers/m-1/status | {}",
            "MARKET_MISMATCH    | secondgrid/other/meters/m-1/reading | {}",
            "MALFORMED_JSON     | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,",
            "MALFORMED_JSON     | secondgrid/aizu/meters/m-1/reading | {\"seq\":1} x",
            "NOT_AN_OBJECT      | secondgrid/aizu/meters/m-1/reading | [1,2]",
            "DUPLICATE_FIELD    | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"seq\":2}",
            "SEQ_MISSING        | secondgrid/aizu/meters/m-1/reading | {\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":1,\"exportWh\":0}",
            "SEQ_INVALID        | secondgrid/aizu/meters/m-1/reading | {\"seq\":\"7\",\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":1,\"exportWh\":0}",
            "SEQ_INVALID        | secondgrid/aizu/meters/m-1/reading | {\"seq\":-1,\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":1,\"exportWh\":0}",
            "TS_MISSING         | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"importWh\":1,\"exportWh\":0}",
            "TS_INVALID         | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T10:00:00\",\"importWh\":1,\"exportWh\":0}",
            "TS_IN_FUTURE       | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T02:00:00Z\",\"importWh\":1,\"exportWh\":0}",
            "TS_TOO_OLD         | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-11-01T00:00:00Z\",\"importWh\":1,\"exportWh\":0}",
            "FIELD_MISSING      | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"exportWh\":0}",
            "FIELD_TYPE         | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":\"1\",\"exportWh\":0}",
            "VALUE_NOT_FINITE   | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":NaN,\"exportWh\":0}",
            "VALUE_NEGATIVE     | secondgrid/aizu/meters/m-1/reading | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":-5,\"exportWh\":0}",
            "VALUE_OUT_OF_RANGE | secondgrid/aizu/chargers/c-1/status | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"ev\":null,\"powerKw\":50,\"sessionWh\":0}",
            "VALUE_OUT_OF_RANGE | secondgrid/aizu/evs/ev-1/state | {\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"lat\":91,\"lon\":0,\"socKwh\":1}",
    })
    void rejectsWithItsCode(String code, String topic, String json) {
        var o = parse(topic, json);
        assertThat(o).isInstanceOf(ReadingParser.Rejected.class);
        assertThat(((ReadingParser.Rejected) o).rejection().code()).isEqualTo(ErrorCode.valueOf(code));
    }

    @Test
    void rejectionNamesTheFieldAndValue() {
        var o = (ReadingParser.Rejected) parse("secondgrid/aizu/meters/m-1/reading",
                "{\"seq\":1,\"ts\":\"2026-12-05T01:00:00Z\",\"importWh\":-5,\"exportWh\":0}");
        assertThat(o.rejection().field()).isEqualTo("importWh");
        assertThat(o.rejection().value()).isEqualTo("-5.0");
        assertThat(o.rejection().detail()).contains("importWh").contains("-5");
        assertThat(o.deviceId()).isEqualTo("m-1");
        assertThat(o.market()).isEqualTo("aizu");
    }

    @Test
    void rejectsOversizedAndEmptyPayloads() {
        var big = parser.parse("secondgrid/aizu/meters/m-1/reading", new byte[5000], NOW);
        assertThat(((ReadingParser.Rejected) big).rejection().code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        var empty = parser.parse("secondgrid/aizu/meters/m-1/reading", new byte[0], NOW);
        assertThat(((ReadingParser.Rejected) empty).rejection().code()).isEqualTo(ErrorCode.EMPTY_PAYLOAD);
        var binary = parser.parse("secondgrid/aizu/meters/m-1/reading", new byte[]{(byte) 0xff, (byte) 0xfe, 0x7b}, NOW);
        assertThat(((ReadingParser.Rejected) binary).rejection().code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void counterGoingBackwardsIsFlaggedAsResetButOutOfOrderIsNot() {
        CounterTracker t = new CounterTracker();
        Reading r1 = meter(10, 1000);
        Reading r2 = meter(11, 1100);
        Reading back = meter(12, 5);
        Reading late = meter(9, 900);
        assertThat(t.track(r1).counterReset()).isFalse();
        assertThat(t.track(r2).counterReset()).isFalse();
        assertThat(t.track(back).counterReset()).isTrue();
        assertThat(t.track(late).counterReset()).isFalse();
    }

    private static Reading meter(long seq, double importWh) {
        return new Reading("m-1", "meters", "site-1", seq, NOW, importWh, 0.0, 0.0, null, null, null, null, null, null,
                false);
    }
}
