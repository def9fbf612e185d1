package org.secondgrid.gateway.ingest;

/**
 * Stable codes for rejected (or flagged) telemetry messages. The names are part of the device
 * contract: they are published on {@code secondgrid/{market}/errors/{deviceId}} and counted in metrics.
 */
public enum ErrorCode {
    PAYLOAD_TOO_LARGE(true, "payload is larger than the configured maximum"),
    EMPTY_PAYLOAD(true, "payload is empty"),
    MALFORMED_JSON(true, "payload is not valid UTF-8 JSON"),
    NOT_AN_OBJECT(true, "payload is JSON but not an object"),
    DUPLICATE_FIELD(true, "a field appears twice in the object"),
    BAD_TOPIC(true, "topic is not secondgrid/{market}/{meters|chargers|evs|weather}/{id}/{reading|status|state|forecast}"),
    UNKNOWN_DEVICE(true, "device is not registered"),
    KIND_MISMATCH(true, "device is registered as another kind than the topic says"),
    MARKET_MISMATCH(true, "device is registered in another market than the topic says"),
    SEQ_MISSING(true, "seq is missing"),
    SEQ_INVALID(true, "seq is not a non-negative integer"),
    TS_MISSING(true, "ts is missing"),
    TS_INVALID(true, "ts is not an ISO-8601 timestamp with offset"),
    TS_IN_FUTURE(true, "ts is further in the future than allowed"),
    TS_TOO_OLD(true, "ts is further in the past than allowed"),
    FIELD_MISSING(true, "a required field is missing"),
    FIELD_TYPE(true, "a field has the wrong JSON type"),
    VALUE_NOT_FINITE(true, "a number is NaN or infinite"),
    VALUE_NEGATIVE(true, "an energy or counter value is negative"),
    VALUE_OUT_OF_RANGE(true, "a value is outside its physical range (power above rating, lat/lon, state of charge, irradiance index)"),
    /** Not a rejection: the reading is stored, but its counters went backwards (meter reset). */
    COUNTER_RESET(false, "a cumulative counter went backwards: stored and treated as a meter reset");

    private final boolean rejects;
    private final String meaning;

    ErrorCode(boolean rejects, String meaning) {
        this.rejects = rejects;
        this.meaning = meaning;
    }

    /** True if a message with this code is not stored as a reading. */
    public boolean rejects() {
        return rejects;
    }

    public String meaning() {
        return meaning;
    }
}
