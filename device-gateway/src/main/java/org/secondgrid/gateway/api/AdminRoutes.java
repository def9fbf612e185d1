package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.post;
import static org.secondgrid.gateway.api.ApiRoute.put;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.secondgrid.gateway.auth.PasswordHasher;
import org.secondgrid.gateway.ingest.Device;
import org.secondgrid.gateway.market.EvRecord;
import org.secondgrid.gateway.market.FeederRecord;
import org.secondgrid.gateway.market.MarketRegistry;
import org.secondgrid.gateway.market.Participant;
import org.secondgrid.gateway.market.SiteRecord;

/** The platform operator: participants (with roles and password), feeders, sites, EVs, devices. */
final class AdminRoutes {

    private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/admin/participants", ADMIN, req -> participants(s)),
                put("/api/admin/participants/{id}", ADMIN, req -> putParticipant(s, req)),
                post("/api/admin/participants/{id}/revoke-tokens", ADMIN, req -> revokeTokens(s, req)),
                get("/api/admin/feeders", ADMIN, req -> feeders(s)),
                put("/api/admin/feeders/{id}", ADMIN, req -> putFeeder(s, req)),
                get("/api/admin/sites", ADMIN, req -> sites(s)),
                put("/api/admin/sites/{id}", ADMIN, req -> putSite(s, req)),
                get("/api/admin/evs", ADMIN, req -> evs(s)),
                put("/api/admin/evs/{id}", ADMIN, req -> putEv(s, req)),
                get("/api/admin/devices", ADMIN, req -> devices(s)),
                put("/api/admin/devices/{id}", ADMIN, req -> putDevice(s, req)));
    }

    private static MarketRegistry registry(ApiServices s) {
        return s.market().registry();
    }

    private static JsonObject participantJson(Participant p) {
        return new JsonObject().put("id", p.id()).put("displayName", p.displayName())
                .put("roles", new JsonArray(new TreeSet<>(p.roles()).stream().toList()));
    }

    private static JsonObject participants(ApiServices s) {
        JsonArray out = new JsonArray();
        registry(s).participants().stream().sorted(Comparator.comparing(Participant::id))
                .forEach(p -> out.add(participantJson(p)));
        return new JsonObject().put("participants", out);
    }

    /**
     * Participant and password in one request, nothing half-saved: the password (needed when the
     * participant is new) is written first and put back as it was if saving the participant fails.
     */
    private static JsonObject putParticipant(ApiServices s, Req req) throws Exception {
        String id = req.id("id");
        Fields b = req.body().only("displayName", "roles", "password");
        String name = b.string("displayName");
        List<String> roles = b.strings("roles", 1, 4);
        for (int i = 0; i < roles.size(); i++) {
            if (Role.of(roles.get(i)).isEmpty()) {
                throw ApiException.invalid("roles[" + i + "]", "roles[" + i + "] must be one of prosumer, ev-owner,"
                        + " operator, admin, got '" + roles.get(i) + "'");
            }
        }
        boolean exists = registry(s).participant(id).isPresent();
        String password = b.has("password") ? b.string("password") : null;
        if (password == null && !exists) {
            throw ApiException.invalid("password", "password is required for a new participant, got nothing");
        }
        if (password != null && password.length() < 8) {
            throw ApiException.invalid("password", "password must have at least 8 characters, got " + password.length());
        }
        Participant p = new Participant(id, name, Set.copyOf(roles));
        if (password == null) {
            registry(s).upsertParticipant(p);
        } else {
            try (Connection c = s.ds().getConnection()) {
                String previous = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT password_hash FROM api_credential WHERE participant_id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        previous = rs.next() ? rs.getString(1) : null;
                    }
                }
                s.credentials().put(c, id, password);
                try {
                    registry(s).upsertParticipant(p);
                } catch (RuntimeException e) {
                    restore(c, id, previous);
                    throw e;
                }
            }
        }
        return participantJson(registry(s).participant(id).orElseThrow()).put("created", !exists);
    }

    private static void restore(Connection c, String id, String previousHash) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(previousHash == null
                ? "DELETE FROM api_credential WHERE participant_id = ?"
                : "UPDATE api_credential SET password_hash = ? WHERE participant_id = ?")) {
            if (previousHash == null) {
                ps.setString(1, id);
            } else {
                ps.setString(1, previousHash);
                ps.setString(2, id);
            }
            ps.executeUpdate();
        }
    }

    private static JsonObject feederJson(FeederRecord f) {
        return new JsonObject().put("id", f.id()).put("market", f.market()).put("reverseCapacityKw", f.reverseCapacityKw());
    }

    private static JsonObject feeders(ApiServices s) {
        JsonArray out = new JsonArray();
        for (String m : registry(s).markets()) {
            registry(s).feeders(m).forEach(f -> out.add(feederJson(f)));
        }
        return new JsonObject().put("feeders", out);
    }

    private static JsonObject putFeeder(ApiServices s, Req req) {
        String id = req.id("id");
        Fields b = req.body().only("market", "reverseCapacityKw");
        FeederRecord f = new FeederRecord(id, Fields.id("market", b.string("market")),
                b.number("reverseCapacityKw", 0, 1_000_000));
        registry(s).upsertFeeder(f);
        return feederJson(f);
    }

    private static JsonObject sites(ApiServices s) {
        JsonArray out = new JsonArray();
        for (String m : registry(s).markets()) {
            registry(s).sites(m).forEach(x -> out.add(ProsumerRoutes.siteJson(x)));
        }
        return new JsonObject().put("sites", out);
    }

    private static JsonObject putSite(ApiServices s, Req req) {
        String id = req.id("id");
        Fields b = req.body().only("market", "owner", "feeder", "kind", "lat", "lon", "exportLimitKw", "ports",
                "chargerKw", "v2xKw");
        SiteRecord r = new SiteRecord(id, Fields.id("market", b.string("market")), Fields.id("owner", b.string("owner")),
                Fields.id("feeder", b.string("feeder")), b.oneOf("kind", List.of("household", "factory", "shop", "other")),
                b.number("lat", -90, 90), b.number("lon", -180, 180), b.number("exportLimitKw", 0, 1_000_000),
                b.integer("ports", 0, 1000), b.number("chargerKw", 0, 10_000), b.number("v2xKw", 0, 10_000));
        if (registry(s).participant(r.ownerId()).isEmpty()) {
            throw ApiException.invalid("owner", "owner '" + r.ownerId() + "' is not a participant");
        }
        if (registry(s).feeders(r.market()).stream().noneMatch(f -> f.id().equals(r.feederId()))) {
            throw ApiException.invalid("feeder", "feeder '" + r.feederId() + "' is not a feeder of market '"
                    + r.market() + "'");
        }
        registry(s).upsertSite(r);
        return ProsumerRoutes.siteJson(r);
    }

    private static JsonObject evs(ApiServices s) {
        JsonArray out = new JsonArray();
        for (String m : registry(s).markets()) {
            registry(s).evs(m).forEach(e -> out.add(EvOwnerRoutes.evJson(e)));
        }
        return new JsonObject().put("evs", out);
    }

    private static JsonObject putEv(ApiServices s, Req req) {
        String id = req.id("id");
        Fields b = req.body().only("market", "owner", "home", "capacityKwh", "chargeKw", "dischargeKw",
                "chargeEfficiency", "dischargeEfficiency", "consumptionKwhPerKm");
        String market = Fields.id("market", b.string("market"));
        String owner = Fields.id("owner", b.string("owner"));
        String home = Fields.id("home", b.string("home"));
        double cap = b.number("capacityKwh", 0.1, 1000);
        double ck = b.number("chargeKw", 0, 1000);
        double dk = b.number("dischargeKw", 0, 1000);
        double ce = b.has("chargeEfficiency") ? b.number("chargeEfficiency", 0.01, 1) : 0.95;
        double de = b.has("dischargeEfficiency") ? b.number("dischargeEfficiency", 0.01, 1) : 0.95;
        double km = b.has("consumptionKwhPerKm") ? b.number("consumptionKwhPerKm", 0, 10) : 0.15;
        if (registry(s).participant(owner).isEmpty()) {
            throw ApiException.invalid("owner", "owner '" + owner + "' is not a participant");
        }
        if (registry(s).site(home).filter(x -> x.market().equals(market)).isEmpty()) {
            throw ApiException.invalid("home", "home '" + home + "' is not a site of market '" + market + "'");
        }
        EvRecord e = new EvRecord(id, market, owner, home, cap, ck, dk, ce, de, km);
        registry(s).upsertEv(e);
        return EvOwnerRoutes.evJson(e);
    }

    private static JsonObject devices(ApiServices s) {
        JsonArray out = new JsonArray();
        s.devices().all().stream().sorted(Comparator.comparing(Device::deviceId)).forEach(d -> out.add(
                new JsonObject().put("id", d.deviceId()).put("market", d.market()).put("siteId", d.siteId())
                        .put("kind", d.kind()).put("ratedKw", d.ratedKw()).put("capacityKwh", d.capacityKwh())
                        .put("topic", d.telemetryTopic())));
        return new JsonObject().put("devices", out);
    }

    /** Creates a device with a generated broker password (returned only now) or updates one, keeping its password. */
    private static Object putDevice(ApiServices s, Req req) {
        String id = req.id("id");
        Fields b = req.body().only("market", "siteId", "kind", "ratedKw", "capacityKwh");
        String kind = b.oneOf("kind", List.of("meters", "chargers", "evs", "weather"));
        Device d;
        try {
            d = new Device(id, Fields.id("market", b.string("market")), Fields.id("siteId", b.string("siteId")), kind,
                    b.number("ratedKw", 0, 10_000), b.has("capacityKwh") ? b.number("capacityKwh", 0, 10_000) : null);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("kind", e.getMessage());
        }
        JsonObject out = new JsonObject().put("id", id).put("topic", d.telemetryTopic());
        if (s.devices().update(d)) {
            return out.put("created", false);
        }
        byte[] raw = new byte[18];
        RANDOM.nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        s.devices().register(List.of(d), List.of(password), PasswordHasher.GENERATED_SECRET_ITERATIONS);
        return Reply.json(201, out.put("created", true).put("password", password));
    }

    /** Every token issued to the participant before now is refused from now on (kept in the database). */
    private static JsonObject revokeTokens(ApiServices s, Req req) {
        String id = req.id("id");
        if (s.market().registry().participant(id).isEmpty()) {
            throw ApiException.notFound("participant", id);
        }
        java.time.Instant after = s.revocations().revokeAll(id);
        return new JsonObject().put("participantId", id).put("tokensValidAfter", after.toString());
    }
}
