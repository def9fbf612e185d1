package org.secondgrid.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.ingest.IngestMetrics;
import org.secondgrid.gateway.store.DeviceRepository;

/**
 * HTTP endpoints (Vert.x 5 web), bound to 127.0.0.1: {@code GET /health}, {@code GET /metrics}
 * (Prometheus text), {@code GET /sites/{site}/slots?from=&to=} (metered energy per 30-minute slot) and
 * {@code PUT /devices/{id}} (register a device and its broker password; needs {@code ADMIN_TOKEN}).
 */
public final class HttpApi implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;

    private HttpApi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static HttpApi start(int port, IngestMetrics metrics, BooleanSupplier ingestHealthy, DataSource ds,
                                DeviceRepository devices, String adminToken) {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.put("/devices/:id").handler(BodyHandler.create().setBodyLimit(4096));
        router.put("/devices/:id").blockingHandler(ctx -> {
            if (adminToken == null || adminToken.isBlank()) {
                ctx.response().setStatusCode(404).end(error("device registration is off: set ADMIN_TOKEN"));
                return;
            }
            String auth = ctx.request().getHeader("authorization");
            if (auth == null || !java.security.MessageDigest.isEqual(("Bearer " + adminToken).getBytes(),
                    auth.getBytes())) {
                ctx.response().setStatusCode(401).end(error("Authorization: Bearer <ADMIN_TOKEN> required"));
                return;
            }
            try {
                JsonObject b = ctx.body().asJsonObject();
                if (b == null) {
                    throw new IllegalArgumentException("body must be a JSON object");
                }
                String password = b.getString("password");
                if (password == null || password.length() < 8) {
                    throw new IllegalArgumentException("password must have at least 8 characters");
                }
                Object rated = b.getValue("ratedKw");
                if (!(rated instanceof Number)) {
                    throw new IllegalArgumentException("ratedKw must be a number, got " + rated);
                }
                Object cap = b.getValue("capacityKwh");
                if (cap != null && !(cap instanceof Number)) {
                    throw new IllegalArgumentException("capacityKwh must be a number or absent, got " + cap);
                }
                Device d = new Device(ctx.pathParam("id"), require(b, "market"), require(b, "siteId"), require(b, "kind"),
                        ((Number) rated).doubleValue(), cap == null ? null : ((Number) cap).doubleValue());
                devices.register(d, password);
                ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("deviceId", d.deviceId()).put("topic", d.telemetryTopic()).encode());
            } catch (IllegalArgumentException | ClassCastException | io.vertx.core.json.DecodeException e) {
                ctx.response().setStatusCode(400).end(error(e.getMessage()));
            }
        });
        router.get("/health").handler(ctx -> {
            boolean ok = ingestHealthy.getAsBoolean();
            JsonObject body = new JsonObject().put("status", ok ? "UP" : "DOWN")
                    .put("mqtt", ok).put("queueDepth", metrics.queueDepth())
                    .put("messagesIn", metrics.messagesIn.sum()).put("stored", metrics.stored.sum());
            ctx.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
                    .end(body.encode());
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.prometheus()));
        router.get("/sites/:site/slots").blockingHandler(ctx -> {
            String site = ctx.pathParam("site");
            Instant from;
            Instant to;
            try {
                from = Instant.parse(ctx.queryParam("from").isEmpty() ? "1970-01-01T00:00:00Z" : ctx.queryParam("from").getFirst());
                to = Instant.parse(ctx.queryParam("to").isEmpty() ? "9999-01-01T00:00:00Z" : ctx.queryParam("to").getFirst());
            } catch (DateTimeParseException e) {
                ctx.response().setStatusCode(400).end(new JsonObject()
                        .put("error", "from/to must be ISO-8601 instants, e.g. 2026-12-05T01:00:00Z: " + e.getParsedString())
                        .encode());
                return;
            }
            JsonArray slots = new JsonArray();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT slot_start, import_wh, export_wh, pv_wh FROM metered_slot WHERE site_id = ?"
                            + " AND slot_start >= ? AND slot_start < ? ORDER BY slot_start")) {
                ps.setString(1, site);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        slots.add(new JsonObject().put("slotStart", rs.getTimestamp(1).toInstant().toString())
                                .put("importWh", rs.getDouble(2)).put("exportWh", rs.getDouble(3))
                                .put("pvWh", rs.getDouble(4)));
                    }
                }
            } catch (Exception e) {
                ctx.response().setStatusCode(503).end(new JsonObject().put("error", e.getMessage()).encode());
                return;
            }
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("site", site).put("slots", slots).encode());
        });
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new HttpApi(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("HTTP server did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static String require(JsonObject b, String field) {
        Object v = b.getValue(field);
        if (!(v instanceof String str) || str.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string, got " + v);
        }
        return str;
    }

    private static String error(String message) {
        return new JsonObject().put("error", message).encode();
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
