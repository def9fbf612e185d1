package org.secondgrid.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.secondgrid.gateway.ingest.IngestMetrics;

/**
 * HTTP endpoints (Vert.x 5 web): {@code /health}, {@code /metrics} (Prometheus text) and
 * {@code /sites/{site}/slots?from=&to=} (metered energy per 30-minute slot).
 */
public final class HttpApi implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;

    private HttpApi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static HttpApi start(int port, IngestMetrics metrics, BooleanSupplier ingestHealthy, DataSource ds) {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
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
