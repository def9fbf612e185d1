package org.secondgrid.gateway.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A request as a handler sees it: the caller (null on public routes), path, query and body, validated on read. */
public final class Req {

    private final RoutingContext ctx;
    private final Caller caller;

    Req(RoutingContext ctx, Caller caller) {
        this.ctx = ctx;
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
    }

    public String path() {
        return ctx.request().path();
    }

    /** A path parameter that must be an identifier. */
    public String id(String name) {
        return Fields.id(name, ctx.pathParam(name));
    }

    /** A path parameter as sent. */
    public String raw(String name) {
        return ctx.pathParam(name);
    }

    public String query(String name) {
        List<String> v = ctx.queryParam(name);
        return v.isEmpty() ? null : v.getFirst();
    }

    /** The remote address of the connection (the gateway listens on 127.0.0.1: no proxy header is trusted). */
    public String remoteAddress() {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress() != null ? a.hostAddress() : a.host();
    }

    /** Refuses query parameters other than {@code known} (a typo must not be silently ignored). */
    public void onlyQuery(String... known) {
        List<String> k = List.of(known);
        for (String name : ctx.queryParams().names()) {
            if (!k.contains(name)) {
                throw ApiException.invalid(name, "unknown query parameter " + Fields.show(name) + " (known: " + k + ")");
            }
        }
    }

    public String header(String name) {
        return ctx.request().getHeader(name);
    }

    /** A required {@code ?day=YYYY-MM-DD}. */
    public LocalDate day() {
        return Fields.day("day", query("day"));
    }

    /** A date in the path ({@code /orders/{day}}). */
    public LocalDate pathDay(String name) {
        return Fields.day(name, ctx.pathParam(name));
    }

    public Instant instant(String name, Instant def) {
        String v = query(name);
        return v == null || v.isBlank() ? def : Fields.instant(name, v);
    }

    /** The request body, which must be a JSON object (Content-Type application/json or none). */
    public Fields body() {
        String ct = ctx.request().getHeader("content-type");
        if (ct != null && !ct.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "the body must be JSON with Content-Type: application/json, got " + Fields.show(ct), "Content-Type");
        }
        JsonObject o;
        try {
            o = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.invalid("body", "the body must be a JSON object: " + e.getMessage());
        }
        if (o == null) {
            throw ApiException.invalid("body", "the body must be a JSON object, got nothing");
        }
        return Fields.of(o);
    }

    /**
     * Why someone other than the owner reads personal data: the {@code X-Purpose} header or the
     * {@code purpose} query parameter, required (3..200 characters).
     */
    public String purpose() {
        String p = header("X-Purpose");
        String field = "X-Purpose";
        if (p == null || p.isBlank()) {
            p = query("purpose");
            field = p == null ? "X-Purpose" : "purpose";
        }
        if (p == null || p.isBlank() || p.strip().length() < 3 || p.length() > 200) {
            throw ApiException.invalid(field, "reading someone else's personal data needs a purpose: header"
                    + " X-Purpose or query parameter purpose, 3 to 200 characters, got " + Fields.show(p));
        }
        return p.strip();
    }
}
