package org.secondgrid.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and checks the API's JWT bearer tokens (HS256). The key is {@code JWT_SECRET}, or random per
 * run when unset (tokens then die with the process). Claims: {@code sub} = participant id,
 * {@code roles} = role ids, {@code jti} = a random token id (what logout revokes), {@code iat_ms} = the issue time in
 * milliseconds (what an admin's revoke-tokens compares with), {@code exp}.
 */
public final class TokenService {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    /** A verified token's subject, roles, id, issue time and expiry (null for a token without them). */
    public record Claims(String participantId, List<String> roles, String jti, Instant issuedAt, Instant expiresAt) {
    }

    private final JWTAuth jwt;
    private final int ttlMinutes;
    private final Clock clock;

    public TokenService(Vertx vertx, String secret, int ttlMinutes) {
        this(vertx, secret, ttlMinutes, Clock.systemUTC());
    }

    /** {@code clock} stamps {@code iat_ms} (expiry is checked by the JWT library on the real clock). */
    public TokenService(Vertx vertx, String secret, int ttlMinutes, Clock clock) {
        this.clock = clock;
        String key = secret;
        if (key == null || key.isBlank()) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            key = HexFormat.of().formatHex(b);
            log.info("JWT signing key: random (JWT_SECRET unset; tokens are valid until this process stops)");
        } else if (key.length() < 16) {
            throw new IllegalArgumentException("JWT_SECRET must have at least 16 characters, got " + key.length());
        } else {
            log.info("JWT signing key: from JWT_SECRET");
        }
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key)));
        this.ttlMinutes = ttlMinutes;
    }

    public String issue(String participantId, List<String> roles) {
        return jwt.generateToken(new JsonObject().put("roles", new JsonArray(roles)).put("jti", UUID.randomUUID().toString())
                        .put("iat_ms", clock.millis()),
                new JWTOptions().setAlgorithm("HS256").setSubject(participantId).setExpiresInMinutes(ttlMinutes));
    }

    private static Long firstLong(String key, JsonObject... in) {
        for (JsonObject o : in) {
            if (o.getValue(key) instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    /** Verifies signature and expiry; fails for anything else. */
    public Future<Claims> verify(String token) {
        return jwt.authenticate(new TokenCredentials(token)).map(user -> {
            JsonObject p = user.principal();
            JsonObject claims = p.containsKey("sub") ? p : user.attributes().getJsonObject("accessToken", p);
            String sub = claims.getString("sub");
            JsonArray roles = claims.getJsonArray("roles", new JsonArray());
            if (sub == null) {
                throw new IllegalArgumentException("token has no subject");
            }
            List<String> r = new ArrayList<>();
            roles.forEach(x -> r.add(String.valueOf(x)));
            Long iatMs = claims.getLong("iat_ms");
            JsonObject attrs = user.attributes() == null ? new JsonObject() : user.attributes();
            // the library keeps exp/iat in the user's attributes (directly or under the decoded token)
            List<JsonObject> places = new ArrayList<>(List.of(claims, attrs));
            attrs.forEach(e -> {
                if (e.getValue() instanceof JsonObject o) {
                    places.add(o);
                }
            });
            JsonObject[] in = places.toArray(JsonObject[]::new);
            Long iat = firstLong("iat", in);
            Long exp = firstLong("exp", in);
            Instant issued = iatMs != null ? Instant.ofEpochMilli(iatMs) : iat != null ? Instant.ofEpochSecond(iat) : null;
            return new Claims(sub, r, claims.getString("jti"), issued, exp == null ? null : Instant.ofEpochSecond(exp));
        });
    }
}
