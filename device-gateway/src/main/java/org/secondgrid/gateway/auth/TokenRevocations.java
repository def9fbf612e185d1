package org.secondgrid.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Revoked API tokens: a single token by its {@code jti} (logout; kept until the token's own expiry), and every token
 * of a participant issued before an instant (an admin's revoke-tokens; {@code token_valid_after}). Both live in the
 * database, so they hold across restarts and for every gateway instance on it. The decision itself is
 * {@link #revoked(TokenService.Claims, Optional, boolean)}; the storage is a {@link Store}. A token found not revoked is
 * trusted for {@link #RECHECK} before the database is asked again (the database has no connection pool: one query per
 * request would double the cost of every call); revocations through this instance take effect at once, those through
 * another gateway instance on the same database within {@code RECHECK}.
 */
public final class TokenRevocations {

    /** How long a "not revoked" answer is reused for the same token. */
    public static final Duration RECHECK = Duration.ofSeconds(2);
    private static final int MAX_CACHED = 50_000;

    /** Where revocations are kept. */
    public interface Store {
        /** Tokens of the participant issued before this instant are revoked. */
        Optional<Instant> validAfter(String participantId);

        boolean jtiRevoked(String jti);

        /** Keeps the later of the stored and the given instant. */
        void setValidAfter(String participantId, Instant validAfter);

        void revokeJti(String jti, String participantId, Instant expiresAt, Instant now);

        /** Both questions in one round trip (the check on every authenticated request). */
        default boolean revoked(TokenService.Claims c) {
            return TokenRevocations.revoked(c, validAfter(c.participantId()), c.jti() != null && jtiRevoked(c.jti()));
        }
    }

    private final Store store;
    private final Clock clock;
    /** jti -> until when (epoch ms) its "not revoked" answer is reused. */
    private final Map<String, Long> notRevokedUntil = new ConcurrentHashMap<>();

    public TokenRevocations(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Revocations in the gateway's database (tables {@code revoked_token}, {@code token_valid_after}). */
    public static TokenRevocations inDatabase(DataSource ds, Clock clock) {
        return new TokenRevocations(new Jdbc(ds), clock);
    }

    /**
     * A token is revoked if its jti was revoked, or if it was issued before its participant's valid-after instant. A token
     * without an issue time counts as issued at the epoch (revoked by any revoke-tokens).
     */
    public static boolean revoked(TokenService.Claims c, Optional<Instant> validAfter, boolean jtiRevoked) {
        if (jtiRevoked) {
            return true;
        }
        Instant issued = c.issuedAt() == null ? Instant.EPOCH : c.issuedAt();
        return validAfter.isPresent() && issued.isBefore(validAfter.get());
    }

    public boolean isRevoked(TokenService.Claims c) {
        long now = clock.millis();
        if (c.jti() != null) {
            Long until = notRevokedUntil.get(c.jti());
            if (until != null && now < until) {
                return false;
            }
        }
        boolean revoked = store.revoked(c);
        if (!revoked && c.jti() != null) {
            if (notRevokedUntil.size() >= MAX_CACHED) {
                notRevokedUntil.values().removeIf(u -> u <= now);
                if (notRevokedUntil.size() >= MAX_CACHED) {
                    notRevokedUntil.clear();
                }
            }
            notRevokedUntil.put(c.jti(), now + RECHECK.toMillis());
        }
        return revoked;
    }

    /** Logout: this token (its jti) is refused from now on. A token without a jti cannot be revoked alone. */
    public void revoke(TokenService.Claims c) {
        if (c.jti() == null) {
            throw new IllegalArgumentException("the token has no jti (issued before revocation existed): revoke all tokens of "
                    + c.participantId() + " instead");
        }
        Instant now = clock.instant();
        store.revokeJti(c.jti(), c.participantId(), c.expiresAt() == null ? now.plusSeconds(366L * 24 * 3600) : c.expiresAt(), now);
        notRevokedUntil.remove(c.jti());
    }

    /** Every token of {@code participantId} issued before now is refused from now on; returns that instant. */
    public Instant revokeAll(String participantId) {
        Instant now = clock.instant();
        store.setValidAfter(participantId, now);
        notRevokedUntil.clear(); // not indexed by participant: every token is checked again
        return now;
    }

    public Optional<Instant> validAfter(String participantId) {
        return store.validAfter(participantId);
    }

    /** The database store. */
    static final class Jdbc implements Store {
        private final DataSource ds;

        Jdbc(DataSource ds) {
            this.ds = ds;
        }

        @Override
        public Optional<Instant> validAfter(String participantId) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT valid_after FROM token_valid_after WHERE participant_id = ?")) {
                ps.setString(1, participantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read token_valid_after: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean jtiRevoked(String jti) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM revoked_token WHERE jti = ?")) {
                ps.setString(1, jti);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read revoked_token: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean revoked(TokenService.Claims claims) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT valid_after FROM token_valid_after WHERE participant_id = ?),
                           EXISTS (SELECT 1 FROM revoked_token WHERE jti = ?)""")) {
                ps.setString(1, claims.participantId());
                ps.setString(2, claims.jti() == null ? "" : claims.jti());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp va = rs.getTimestamp(1);
                    return TokenRevocations.revoked(claims, Optional.ofNullable(va).map(Timestamp::toInstant), rs.getBoolean(2));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot check token revocation: " + e.getMessage(), e);
            }
        }

        @Override
        public void setValidAfter(String participantId, Instant validAfter) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO token_valid_after (participant_id, valid_after) VALUES (?, ?)
                    ON CONFLICT (participant_id) DO UPDATE SET valid_after = greatest(token_valid_after.valid_after, EXCLUDED.valid_after)""")) {
                ps.setString(1, participantId);
                ps.setTimestamp(2, Timestamp.from(validAfter));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot write token_valid_after: " + e.getMessage(), e);
            }
        }

        @Override
        public void revokeJti(String jti, String participantId, Instant expiresAt, Instant now) {
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO revoked_token (jti, participant_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (jti) DO NOTHING""")) {
                    ps.setString(1, jti);
                    ps.setString(2, participantId);
                    ps.setTimestamp(3, Timestamp.from(expiresAt));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.executeUpdate();
                }
                // a revoked token past its own expiry is refused by its signature check anyway
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM revoked_token WHERE expires_at < ?")) {
                    ps.setTimestamp(1, Timestamp.from(now.minusSeconds(60)));
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot write revoked_token: " + e.getMessage(), e);
            }
        }
    }
}
