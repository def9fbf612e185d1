package org.secondgrid.gateway.market;

/**
 * A request the market service refuses, with a stable code and the field and value at fault.
 * {@link Kind} tells an HTTP layer which status to use: INVALID → 400, NOT_FOUND → 404, CONFLICT → 409.
 */
public final class MarketException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final String code;
    private final String field;
    private final Object value;

    public MarketException(Kind kind, String code, String field, Object value, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
        this.value = value;
    }

    /** Bad input: {@code field} has {@code value}, which breaks the rule in {@code message}. */
    public static MarketException invalid(String field, Object value, String message) {
        return new MarketException(Kind.INVALID, "INVALID_FIELD", field, value, message);
    }

    public static MarketException notFound(String field, Object value, String what) {
        return new MarketException(Kind.NOT_FOUND, "NOT_FOUND", field, value, what + " '" + value + "' does not exist");
    }

    public static MarketException conflict(String code, String field, Object value, String message) {
        return new MarketException(Kind.CONFLICT, code, field, value, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Object value() {
        return value;
    }
}
