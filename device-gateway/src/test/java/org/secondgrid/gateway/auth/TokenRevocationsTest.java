package org.secondgrid.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.it.TestClock;

/** Real JWTs (offline): each carries a jti and its issue time in ms; logout revokes one, revoke-all those issued before. */
class TokenRevocationsTest {

    /** The database's role, in memory. */
    static final class MemoryStore implements TokenRevocations.Store {
        final Map<String, Instant> validAfter = new HashMap<>();
        final Set<String> jtis = new HashSet<>();

        @Override
        public Optional<Instant> validAfter(String participantId) {
            return Optional.ofNullable(validAfter.get(participantId));
        }

        @Override
        public boolean jtiRevoked(String jti) {
            return jtis.contains(jti);
        }

        @Override
        public void setValidAfter(String participantId, Instant at) {
            validAfter.merge(participantId, at, (a, b) -> a.isAfter(b) ? a : b);
        }

        @Override
        public void revokeJti(String jti, String participantId, Instant expiresAt, Instant now) {
            jtis.add(jti);
        }
    }

    final Vertx vertx = Vertx.vertx();
    final TestClock clock = new TestClock(Instant.parse("2026-12-05T00:00:00Z"));
    final TokenService tokens = new TokenService(vertx, "unit-test-secret-0123456789", 60, clock);
    final TokenRevocations revocations = new TokenRevocations(new MemoryStore(), clock);

    @AfterEach
    void close() {
        vertx.close();
    }

    TokenService.Claims verify(String token) throws Exception {
        return tokens.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void logoutRevokesThatTokenOnly() throws Exception {
        TokenService.Claims a = verify(tokens.issue("bob", List.of("prosumer")));
        TokenService.Claims b = verify(tokens.issue("bob", List.of("prosumer")));
        assertThat(a.jti()).isNotBlank().isNotEqualTo(b.jti());
        assertThat(a.issuedAt()).isEqualTo(clock.instant());
        assertThat(a.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(revocations.isRevoked(a)).isFalse();
        revocations.revoke(a);
        assertThat(revocations.isRevoked(a)).isTrue();
        assertThat(revocations.isRevoked(b)).isFalse();
    }

    @Test
    void revokeAllRefusesTokensIssuedBeforeEvenInTheSameSecondButNotAfter() throws Exception {
        TokenService.Claims old = verify(tokens.issue("carol", List.of("ev-owner")));
        TokenService.Claims other = verify(tokens.issue("dave", List.of("prosumer")));
        clock.advance(Duration.ofMillis(300));
        Instant at = revocations.revokeAll("carol");
        assertThat(at).isEqualTo(clock.instant());
        clock.advance(Duration.ofMillis(1));
        TokenService.Claims fresh = verify(tokens.issue("carol", List.of("ev-owner")));
        assertThat(revocations.isRevoked(old)).isTrue();
        assertThat(revocations.isRevoked(fresh)).as("issued 1 ms after the revocation").isFalse();
        assertThat(revocations.isRevoked(other)).as("another participant").isFalse();
        // a later revoke-all never moves the instant back
        revocations.revokeAll("carol");
        assertThat(revocations.validAfter("carol")).contains(clock.instant());
    }

    @Test
    void anotherInstanceOnTheSameStoreSeesARevocationWithinTheRecheckTime() throws Exception {
        MemoryStore shared = new MemoryStore();
        TokenRevocations here = new TokenRevocations(shared, clock);
        TokenRevocations there = new TokenRevocations(shared, clock);
        TokenService.Claims t = verify(tokens.issue("erin", List.of("prosumer")));
        assertThat(there.isRevoked(t)).isFalse(); // "not revoked" is now reused for RECHECK
        here.revoke(t);
        assertThat(here.isRevoked(t)).as("at once where it was revoked").isTrue();
        assertThat(there.isRevoked(t)).as("the other instance still trusts its answer").isFalse();
        clock.advance(TokenRevocations.RECHECK);
        assertThat(there.isRevoked(t)).isTrue();
        // revoke-all through the instance that cached the token: at once
        TokenService.Claims u = verify(tokens.issue("erin", List.of("prosumer")));
        assertThat(there.isRevoked(u)).isFalse();
        clock.advance(Duration.ofMillis(1));
        there.revokeAll("erin");
        assertThat(there.isRevoked(u)).isTrue();
    }

    @Test
    void theDecisionRule() {
        Instant t = Instant.parse("2026-12-05T01:00:00Z");
        var c = new TokenService.Claims("x", List.of(), "j1", t, t.plusSeconds(60));
        assertThat(TokenRevocations.revoked(c, Optional.empty(), false)).isFalse();
        assertThat(TokenRevocations.revoked(c, Optional.empty(), true)).isTrue();
        assertThat(TokenRevocations.revoked(c, Optional.of(t), false)).as("issued exactly at valid-after").isFalse();
        assertThat(TokenRevocations.revoked(c, Optional.of(t.plusMillis(1)), false)).isTrue();
        var noTime = new TokenService.Claims("x", List.of(), null, null, null);
        assertThat(TokenRevocations.revoked(noTime, Optional.of(Instant.EPOCH.plusMillis(1)), false)).isTrue();
    }
}
