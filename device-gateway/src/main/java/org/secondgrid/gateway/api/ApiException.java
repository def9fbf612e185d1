package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonObject;

/**
 * An error answered as JSON {@code {code, message, field}}: the HTTP status, a stable code, a message
 * for people (naming the value when input was bad) and the offending field (or null).
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, 0);
    }

    private ApiException(int status, String code, String message, String field, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 {@code TOO_MANY_ATTEMPTS} with a {@code Retry-After} header of {@code seconds}. */
    public static ApiException tooManyAttempts(String field, String message, long seconds) {
        return new ApiException(429, "TOO_MANY_ATTEMPTS", message, field, seconds);
    }

    /** Seconds for a {@code Retry-After} header, 0 = none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 400: a field is missing or has a bad value; the message names the field and the value. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "INVALID_FIELD", message, field);
    }

    /** 404 for a resource that does not exist or is not the caller's (the two are indistinguishable). */
    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "NOT_FOUND", what + " '" + id + "' not found", null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message, "Authorization");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message, null);
    }

    public static ApiException conflict(String message, String field) {
        return new ApiException(409, "CONFLICT", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public JsonObject toJson() {
        return body(code, getMessage(), field);
    }

    public static JsonObject body(String code, String message, String field) {
        return new JsonObject().put("code", code).put("message", message).put("field", field);
    }
}
