package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.post;
import static org.secondgrid.gateway.api.ApiRoute.put;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.secondgrid.gateway.auth.AccessLog;
import org.secondgrid.gateway.auth.Consents;
import org.secondgrid.gateway.auth.LoginThrottle;
import org.secondgrid.gateway.auth.TokenService;
import org.secondgrid.gateway.market.Participant;

/** Log in, who am I, my consents, my data-access log. */
final class AccountRoutes {

    static final Set<Role> ANY = EnumSet.allOf(Role.class);

    private AccountRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s, TokenService tokens, LoginThrottle throttle) {
        return List.of(
                post("/api/login", Set.of(), req -> login(s, tokens, throttle, req)),
                post("/api/logout", ANY, req -> logout(s, req)),
                get("/api/me", ANY, req -> me(s, req)),
                get("/api/me/consents", ANY, req -> consents(s.consents().of(req.caller().participantId()))),
                put("/api/me/consents", ANY, req -> putConsents(s, req)),
                get("/api/me/data-access-log", ANY, req -> accessLog(s, req)));
    }

    private static JsonObject login(ApiServices s, TokenService tokens, LoginThrottle throttle, Req req) {
        Fields b = req.body().only("participantId", "password");
        String id = b.string("participantId");
        String password = b.string("password");
        String address = req.remoteAddress();
        var lockout = throttle.check(id, address);
        if (lockout.isPresent()) {
            LoginThrottle.Lockout l = lockout.get();
            LoginThrottle.Settings t = throttle.settings();
            String who = l.field().equals("participantId") ? "participant id " + Fields.show(id) : "this address";
            int max = l.field().equals("participantId") ? t.maxFailuresPerId() : t.maxFailuresPerAddress();
            throw ApiException.tooManyAttempts("participantId", "too many failed logins for " + who + " (" + max
                    + " within " + t.window().toMinutes() + " minutes): try again in " + l.retryAfterSeconds() + " s",
                    l.retryAfterSeconds());
        }
        boolean passwordOk = s.credentials().check(id, password); // always hashes: no timing hint about the id
        var p = s.market().registry().participant(id);
        if (!passwordOk || p.isEmpty()) {
            throttle.failed(id, address);
            throw ApiException.unauthorized("unknown participant id or wrong password");
        }
        throttle.succeeded(id);
        List<String> roles = p.get().roles().stream().sorted().toList();
        return new JsonObject().put("token", tokens.issue(id, roles)).put("roles", new JsonArray(roles))
                .put("participantId", id);
    }

    /** Revokes the caller's own token (its jti); the ADMIN_TOKEN is configuration and cannot be revoked. */
    private static JsonObject logout(ApiServices s, Req req) {
        Caller c = req.caller();
        if (c.token() == null) {
            throw ApiException.invalid("Authorization", "the ADMIN_TOKEN cannot be revoked by logging out: it is configuration"
                    + " (change or unset ADMIN_TOKEN)");
        }
        if (c.token().jti() == null) {
            throw ApiException.invalid("Authorization", "this token has no jti: an admin can revoke all tokens of "
                    + Fields.show(c.participantId()) + " with POST /api/admin/participants/{id}/revoke-tokens");
        }
        s.revocations().revoke(c.token());
        return new JsonObject().put("participantId", c.participantId()).put("revoked", c.token().jti());
    }

    private static JsonObject me(ApiServices s, Req req) {
        Caller c = req.caller();
        String name = Caller.ADMIN_TOKEN_ID.equals(c.participantId()) ? "administrator (ADMIN_TOKEN)"
                : s.market().registry().participant(c.participantId()).map(Participant::displayName)
                .orElse(c.participantId());
        LocalDate today = s.market().today();
        return new JsonObject().put("participantId", c.participantId()).put("displayName", name)
                .put("roles", new JsonArray(c.roles().stream().map(Role::id).sorted().toList()))
                .put("today", today.toString()).put("tomorrow", today.plusDays(1).toString())
                .put("now", s.clock().instant().toString())
                .put("timeZone", s.market().settings().zone().getId())
                .put("slots", s.market().settings().slotsOf(today.plusDays(1)))
                .put("slotMinutes", s.market().settings().slotMinutes());
    }

    static JsonObject consents(Map<Consents.Category, Boolean> values) {
        JsonObject o = new JsonObject();
        values.forEach((k, v) -> o.put(k.field, v));
        return o;
    }

    private static JsonObject putConsents(ApiServices s, Req req) {
        Fields b = req.body().only("shareDemandData", "shareEvLocation");
        Map<Consents.Category, Boolean> values = new EnumMap<>(Consents.Category.class);
        for (Consents.Category c : Consents.Category.values()) {
            if (b.present(c.field)) {
                values.put(c, b.bool(c.field));
            }
        }
        if (values.isEmpty()) {
            throw ApiException.invalid("body", "give at least one of shareDemandData, shareEvLocation (true/false)");
        }
        s.consents().put(req.caller().participantId(), values);
        return consents(s.consents().of(req.caller().participantId()));
    }

    private static JsonObject accessLog(ApiServices s, Req req) {
        JsonArray out = new JsonArray();
        for (AccessLog.Entry e : s.accessLog().forOwner(req.caller().participantId(), 500)) {
            out.add(new JsonObject().put("at", e.at().toString()).put("reader", e.reader()).put("readerRole", e.readerRole())
                    .put("category", e.category()).put("subject", e.subject()).put("resource", e.resource())
                    .put("purpose", e.purpose()));
        }
        return new JsonObject().put("owner", req.caller().participantId()).put("entries", out);
    }
}
