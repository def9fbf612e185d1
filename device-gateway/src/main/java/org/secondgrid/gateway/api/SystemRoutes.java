package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.put;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.secondgrid.gateway.ingest.Device;

/**
 * The gateway's own endpoints: {@code /health}, {@code /metrics} (Prometheus), {@code /openapi.yaml},
 * device registration {@code PUT /devices/{id}} and a site's metered slots {@code GET /sites/{site}/slots}.
 */
final class SystemRoutes {

    private SystemRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        String openapi = resource("/openapi.yaml");
        return List.of(
                get("/health", Set.of(), req -> {
                    boolean ok = s.ingestHealthy().getAsBoolean();
                    JsonObject body = new JsonObject().put("status", ok ? "UP" : "DOWN")
                            .put("mqtt", ok).put("queueDepth", s.metrics().queueDepth())
                            .put("messagesIn", s.metrics().messagesIn.sum()).put("stored", s.metrics().stored.sum());
                    return Reply.json(ok ? 200 : 503, body);
                }),
                get("/metrics", Set.of(), req -> Reply.text(s.metrics().prometheus(),
                        "text/plain; version=0.0.4; charset=utf-8")),
                get("/openapi.yaml", Set.of(), req -> Reply.text(openapi, "text/plain; charset=utf-8")),
                put("/devices/{id}", Set.of(Role.ADMIN), req -> registerDevice(s, req)),
                get("/sites/{site}/slots", Set.of(Role.ADMIN), req -> slots(s, req)));
    }

    static JsonObject registerDevice(ApiServices s, Req req) {
        String id = req.id("id");
        Fields b = req.body();
        String kind = b.oneOf("kind", List.of("meters", "chargers", "evs"));
        String password = b.string("password");
        if (password.length() < 8) {
            throw ApiException.invalid("password", "password must have at least 8 characters, got " + password.length());
        }
        double rated = b.number("ratedKw", 0, 10_000);
        Double cap = b.optNumber("capacityKwh", 0, 10_000);
        Device d = new Device(id, Fields.id("market", b.string("market")), Fields.id("siteId", b.string("siteId")),
                kind, rated, cap);
        boolean created = s.devices().find(id) == null;
        s.devices().register(d, password);
        JsonObject out = new JsonObject().put("deviceId", d.deviceId()).put("topic", d.telemetryTopic())
                .put("created", created);
        return out;
    }

    private static JsonObject slots(ApiServices s, Req req) throws Exception {
        String site = req.id("site");
        Instant from = req.instant("from", Instant.EPOCH);
        Instant to = req.instant("to", Instant.parse("9999-01-01T00:00:00Z"));
        String owner = s.market().siteOwner(site);
        if (owner == null && s.devices().all().stream().anyMatch(d -> site.equals(d.siteId()))) {
            owner = "(no participant)"; // metered by registered devices, not yet in the market registry
        }
        s.personal().read(req, "site", site, owner, "metered", null);
        JsonArray slots = new JsonArray();
        try (Connection c = s.ds().getConnection(); PreparedStatement ps = c.prepareStatement(
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
        }
        return new JsonObject().put("site", site).put("slots", slots);
    }

    static String resource(String path) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }
}
