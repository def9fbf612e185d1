package org.secondgrid.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one MQTT message (topic + payload) into an accepted {@link Reading} or a {@link Rejection}
 * with a stable {@link ErrorCode}. Stateless and thread-safe; counter-reset detection is done later
 * by {@link CounterTracker} because it needs the device's previous reading.
 */
public final class ReadingParser {

    /** Limits applied to every message. */
    public record Limits(int maxPayloadBytes, Duration maxFuture, Duration maxAge) {
        public static final Limits DEFAULT = new Limits(2048, Duration.ofMinutes(5), Duration.ofDays(7));
    }

    /** Result of parsing one message. */
    public sealed interface Outcome permits Accepted, AcceptedForecast, Rejected {
    }

    /** An accepted day-ahead weather forecast (device kind {@code weather}). */
    public record AcceptedForecast(org.secondgrid.gateway.forecast.WeatherForecast forecast, String market)
            implements Outcome {
    }

    public record Accepted(Reading reading, String market) implements Outcome {
    }

    /**
     * @param deviceId device id taken from the topic, or null if the topic had none
     * @param market   market taken from the topic, or null
     */
    public record Rejected(String deviceId, String market, Rejection rejection) implements Outcome {
    }

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so that NaN/Infinity are reported as VALUE_NOT_FINITE
            .build();

    private final Function<String, Device> registry;
    private final Limits limits;

    public ReadingParser(Function<String, Device> registry, Limits limits) {
        this.registry = registry;
        this.limits = limits;
    }

    public Outcome parse(String topic, byte[] payload, Instant now) {
        DeviceTopic t = DeviceTopic.parse(topic).orElse(null);
        String[] parts = topic == null ? new String[0] : topic.split("/", -1);
        String topicDevice = t != null ? t.deviceId() : (parts.length >= 4 && !parts[3].isEmpty() ? parts[3] : null);
        String topicMarket = t != null ? t.market() : (parts.length >= 2 && !parts[1].isEmpty() ? parts[1] : null);
        if (t == null) {
            return reject(topicDevice, topicMarket, ErrorCode.BAD_TOPIC, "topic", topic,
                    "topic '" + topic + "' is not secondgrid/{market}/{meters|chargers|evs|weather}/{id}/{reading|status|state|forecast}");
        }
        if (payload.length > limits.maxPayloadBytes()) {
            return reject(t, ErrorCode.PAYLOAD_TOO_LARGE, "payload", payload.length,
                    "payload has " + payload.length + " bytes, the maximum is " + limits.maxPayloadBytes());
        }
        if (payload.length == 0) {
            return reject(t, ErrorCode.EMPTY_PAYLOAD, "payload", "", "payload is empty");
        }
        Device device = registry.apply(t.deviceId());
        if (device == null) {
            return reject(t, ErrorCode.UNKNOWN_DEVICE, "deviceId", t.deviceId(),
                    "device '" + t.deviceId() + "' is not registered");
        }
        if (!device.kind().equals(t.kind())) {
            return reject(t, ErrorCode.KIND_MISMATCH, "kind", t.kind(),
                    "device '" + t.deviceId() + "' is registered as " + device.kind() + ", not " + t.kind());
        }
        if (!device.market().equals(t.market())) {
            return reject(t, ErrorCode.MARKET_MISMATCH, "market", t.market(),
                    "device '" + t.deviceId() + "' is registered in market " + device.market() + ", not " + t.market());
        }
        Map<String, Field> fields;
        try {
            fields = readObject(payload);
        } catch (Problem p) {
            return reject(t, p.code, p.field, p.value, p.getMessage());
        }
        try {
            long seq = seq(fields);
            Instant ts = ts(fields, now);
            if ("weather".equals(t.kind())) {
                return new AcceptedForecast(weather(t, seq, ts, fields), t.market());
            }
            Reading r = switch (t.kind()) {
                case "meters" -> new Reading(t.deviceId(), t.kind(), device.siteId(), seq, ts,
                        energy(fields, "importWh", true), energy(fields, "exportWh", true), energy(fields, "pvWh", false),
                        null, null, null, null, null, null, false);
                case "chargers" -> charger(t, device, seq, ts, fields);
                default -> ev(t, device, seq, ts, fields);
            };
            return new Accepted(r, t.market());
        } catch (Problem p) {
            return reject(t, p.code, p.field, p.value, p.getMessage());
        }
    }

    /** Longest local day (25 h with a DST change) and shortest (23 h), in minutes. */
    private static final int MAX_DAY_MINUTES = 25 * 60;
    private static final int MIN_DAY_MINUTES = 23 * 60;
    /** Highest irradiance index the contract allows (a slot can beat the clear-sky model a little). */
    public static final double MAX_IRRADIANCE_INDEX = 1.2;

    private static org.secondgrid.gateway.forecast.WeatherForecast weather(DeviceTopic t, long seq, Instant ts,
                                                                           Map<String, Field> fields) {
        Field day = fields.get("day");
        if (day == null) {
            throw new Problem(ErrorCode.FIELD_MISSING, "day", null, "day is missing");
        }
        java.time.LocalDate d;
        try {
            if (day.token != JsonToken.VALUE_STRING) {
                throw new DateTimeParseException("not a string", day.text, 0);
            }
            d = java.time.LocalDate.parse(day.text);
        } catch (DateTimeParseException e) {
            throw new Problem(ErrorCode.FIELD_TYPE, "day", day.text,
                    "day must be an ISO date string such as \"2026-12-05\", got " + day.describe());
        }
        double sm = number(fields, "slotMinutes", true);
        if (sm != Math.rint(sm) || sm < 1 || 1440 % (int) sm != 0) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "slotMinutes", sm,
                    "slotMinutes must be a whole number of minutes dividing 1440, got " + fields.get("slotMinutes").text);
        }
        int slotMinutes = (int) sm;
        Field idx = fields.get("irradianceIndex");
        if (idx == null) {
            throw new Problem(ErrorCode.FIELD_MISSING, "irradianceIndex", null, "irradianceIndex is missing");
        }
        if (idx.token != JsonToken.START_ARRAY || idx.numbers == null) {
            throw new Problem(ErrorCode.FIELD_TYPE, "irradianceIndex", idx.text,
                    "irradianceIndex must be an array of numbers, got " + idx.describe());
        }
        double[] v = idx.numbers;
        if (v.length * slotMinutes < MIN_DAY_MINUTES || v.length * slotMinutes > MAX_DAY_MINUTES) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "irradianceIndex", v.length,
                    "irradianceIndex has " + v.length + " values; a day of " + slotMinutes + "-minute slots has "
                            + 1440 / slotMinutes);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new Problem(ErrorCode.VALUE_NOT_FINITE, "irradianceIndex[" + i + "]", v[i],
                        "irradianceIndex[" + i + "] must be a finite number, got " + v[i]);
            }
            if (v[i] < 0 || v[i] > MAX_IRRADIANCE_INDEX + 1e-9) {
                throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "irradianceIndex[" + i + "]", v[i],
                        "irradianceIndex[" + i + "]=" + v[i] + " is outside [0, " + MAX_IRRADIANCE_INDEX + "]");
            }
        }
        return new org.secondgrid.gateway.forecast.WeatherForecast(t.market(), t.deviceId(), seq, ts, d, slotMinutes,
                v);
    }

    private Reading charger(DeviceTopic t, Device device, long seq, Instant ts, Map<String, Field> fields) {
        Field ev = fields.get("ev");
        String evId = null;
        if (ev != null && ev.token != JsonToken.VALUE_NULL) {
            if (ev.token != JsonToken.VALUE_STRING) {
                throw new Problem(ErrorCode.FIELD_TYPE, "ev", ev.text, "ev must be a string or null, got " + ev.describe());
            }
            evId = ev.text;
        }
        double power = number(fields, "powerKw", true);
        double limit = device.ratedKw() * 1.1;
        if (Math.abs(power) > limit) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "powerKw", power,
                    "powerKw " + power + " exceeds the charger's rated " + device.ratedKw() + " kW");
        }
        Double sessionWh = energy(fields, "sessionWh", true);
        return new Reading(t.deviceId(), t.kind(), device.siteId(), seq, ts, null, null, null,
                evId, power, sessionWh, null, null, null, false);
    }

    private Reading ev(DeviceTopic t, Device device, long seq, Instant ts, Map<String, Field> fields) {
        double lat = number(fields, "lat", true);
        double lon = number(fields, "lon", true);
        if (lat < -90 || lat > 90) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "lat", lat, "lat " + lat + " is outside [-90, 90]");
        }
        if (lon < -180 || lon > 180) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "lon", lon, "lon " + lon + " is outside [-180, 180]");
        }
        double soc = energy(fields, "socKwh", true);
        if (device.capacityKwh() != null && soc > device.capacityKwh() * 1.05) {
            throw new Problem(ErrorCode.VALUE_OUT_OF_RANGE, "socKwh", soc,
                    "socKwh " + soc + " exceeds the battery capacity " + device.capacityKwh() + " kWh");
        }
        return new Reading(t.deviceId(), t.kind(), device.siteId(), seq, ts, null, null, null,
                null, null, null, lat, lon, soc, false);
    }

    private static long seq(Map<String, Field> fields) {
        Field f = fields.get("seq");
        if (f == null) {
            throw new Problem(ErrorCode.SEQ_MISSING, "seq", null, "seq is missing");
        }
        if (f.token != JsonToken.VALUE_NUMBER_INT || f.longValue == null || f.longValue < 0) {
            throw new Problem(ErrorCode.SEQ_INVALID, "seq", f.text,
                    "seq must be a non-negative integer, got " + f.describe());
        }
        return f.longValue;
    }

    private Instant ts(Map<String, Field> fields, Instant now) {
        Field f = fields.get("ts");
        if (f == null) {
            throw new Problem(ErrorCode.TS_MISSING, "ts", null, "ts is missing");
        }
        if (f.token != JsonToken.VALUE_STRING) {
            throw new Problem(ErrorCode.TS_INVALID, "ts", f.text,
                    "ts must be an ISO-8601 string with offset, got " + f.describe());
        }
        Instant ts;
        try {
            ts = OffsetDateTime.parse(f.text).toInstant();
        } catch (DateTimeParseException e) {
            throw new Problem(ErrorCode.TS_INVALID, "ts", f.text,
                    "ts '" + f.text + "' is not an ISO-8601 timestamp with offset (e.g. 2026-12-05T10:00:00+09:00)");
        }
        if (ts.isAfter(now.plus(limits.maxFuture()))) {
            throw new Problem(ErrorCode.TS_IN_FUTURE, "ts", f.text,
                    "ts " + f.text + " is more than " + limits.maxFuture() + " ahead of the gateway clock " + now);
        }
        if (ts.isBefore(now.minus(limits.maxAge()))) {
            throw new Problem(ErrorCode.TS_TOO_OLD, "ts", f.text,
                    "ts " + f.text + " is more than " + limits.maxAge() + " behind the gateway clock " + now);
        }
        return ts;
    }

    private static Double energy(Map<String, Field> fields, String name, boolean required) {
        if (!required && !fields.containsKey(name)) {
            return null;
        }
        if (!required && fields.get(name).token == JsonToken.VALUE_NULL) {
            return null;
        }
        double v = number(fields, name, true);
        if (v < 0) {
            throw new Problem(ErrorCode.VALUE_NEGATIVE, name, v, name + " must be >= 0, got " + v);
        }
        return v;
    }

    private static double number(Map<String, Field> fields, String name, boolean required) {
        Field f = fields.get(name);
        if (f == null) {
            throw new Problem(ErrorCode.FIELD_MISSING, name, null, name + " is missing");
        }
        if (f.token != JsonToken.VALUE_NUMBER_INT && f.token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Problem(ErrorCode.FIELD_TYPE, name, f.text, name + " must be a number, got " + f.describe());
        }
        if (!Double.isFinite(f.doubleValue)) {
            throw new Problem(ErrorCode.VALUE_NOT_FINITE, name, f.text, name + " must be a finite number, got " + f.text);
        }
        return f.doubleValue;
    }

    /** Reads a flat JSON object; nested values are kept only as their token for type errors. */
    private static Map<String, Field> readObject(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new Problem(ErrorCode.NOT_AN_OBJECT, "payload", first,
                        "payload must be a JSON object, got " + (first == null ? "nothing" : first.asString() == null ? first : first.asString()));
            }
            Map<String, Field> fields = new HashMap<>(12);
            JsonToken tok;
            while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                Field f;
                switch (v) {
                    case START_OBJECT -> {
                        p.skipChildren();
                        f = new Field(v, "{…}", Double.NaN, null);
                    }
                    case START_ARRAY -> f = new Field(v, "[…]", Double.NaN, null, numbers(p));
                    case VALUE_NUMBER_INT -> {
                        Long lv;
                        try {
                            lv = p.getLongValue();
                        } catch (InputCoercionException e) {
                            lv = null;
                        }
                        f = new Field(v, p.getText(), p.getDoubleValue(), lv);
                    }
                    case VALUE_NUMBER_FLOAT -> f = new Field(v, p.getText(), p.getDoubleValue(), null);
                    default -> f = new Field(v, p.getText(), Double.NaN, null);
                }
                if (fields.put(name, f) != null) {
                    throw new Problem(ErrorCode.DUPLICATE_FIELD, name, null, "field " + name + " appears more than once");
                }
            }
            if (tok != JsonToken.END_OBJECT) {
                throw new Problem(ErrorCode.MALFORMED_JSON, "payload", null, "payload is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw new Problem(ErrorCode.MALFORMED_JSON, "payload", null, "payload has content after the JSON object");
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new Problem(ErrorCode.MALFORMED_JSON, "payload", null,
                    "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Problem(ErrorCode.MALFORMED_JSON, "payload", null, "payload could not be read: " + e.getMessage());
        }
    }

    private static Outcome reject(DeviceTopic t, ErrorCode code, String field, Object value, String detail) {
        return reject(t.deviceId(), t.market(), code, field, value, detail);
    }

    private static Outcome reject(String device, String market, ErrorCode code, String field, Object value, String detail) {
        return new Rejected(device, market, Rejection.of(code, field, value, detail));
    }

    /**
     * Reads an array whose parser is just past its START_ARRAY: its numbers (NaN/Infinity kept, so they
     * are reported as not finite), or null if any element is not a number (nested values are skipped).
     */
    private static double[] numbers(JsonParser p) throws IOException {
        double[] out = new double[64];
        int n = 0;
        boolean allNumbers = true;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == null) {
                throw new Problem(ErrorCode.MALFORMED_JSON, "payload", null, "payload ends inside an array");
            }
            if (e == JsonToken.VALUE_NUMBER_INT || e == JsonToken.VALUE_NUMBER_FLOAT) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = p.getDoubleValue();
            } else {
                allNumbers = false;
                p.skipChildren();
            }
        }
        return allNumbers ? Arrays.copyOf(out, n) : null;
    }

    private record Field(JsonToken token, String text, double doubleValue, Long longValue, double[] numbers) {
        Field(JsonToken token, String text, double doubleValue, Long longValue) {
            this(token, text, doubleValue, longValue, null);
        }

        String describe() {
            return switch (token) {
                case VALUE_STRING -> "string \"" + text + "\"";
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + text;
                case VALUE_NULL -> "null";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> text;
            };
        }
    }

    private static final class Problem extends RuntimeException {
        final ErrorCode code;
        final String field;
        final Object value;

        Problem(ErrorCode code, String field, Object value, String message) {
            super(message, null, false, false);
            this.code = code;
            this.field = field;
            this.value = value;
        }
    }
}
