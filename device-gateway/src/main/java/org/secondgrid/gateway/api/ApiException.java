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

    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
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
