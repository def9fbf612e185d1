package org.secondgrid.gateway.api;

/** A handler's answer when it is not a plain 200 JSON body: a status, a body and its content type. */
public record Reply(int status, Object body, String contentType) {

    public static Reply json(int status, Object body) {
        return new Reply(status, body, "application/json");
    }

    public static Reply text(String body, String contentType) {
        return new Reply(200, body, contentType);
    }
}
