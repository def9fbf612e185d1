package org.secondgrid.gateway.ingest;

/**
 * Why a message was not accepted: a stable code, the field and value concerned, and a sentence.
 *
 * @param code   stable error code
 * @param field  JSON field concerned, or null
 * @param value  offending value as text (shortened), or null
 * @param detail human-readable explanation naming the field and value
 */
public record Rejection(ErrorCode code, String field, String value, String detail) {

    static Rejection of(ErrorCode code, String field, Object value, String detail) {
        String v = value == null ? null : String.valueOf(value);
        if (v != null && v.length() > 80) {
            v = v.substring(0, 80) + "…";
        }
        return new Rejection(code, field, v, detail);
    }
}
