package org.secondgrid.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.it.TestClock;

/** Failed logins per participant id and per address in a sliding window, on a clock the test moves. */
class LoginThrottleTest {

    final TestClock clock = new TestClock(Instant.parse("2026-12-05T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(5, 8, Duration.ofMinutes(15)), clock);

    @Test
    void theSixthAttemptAfterFiveFailuresIsRefusedUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.check("alice", "10.0.0.1")).as("attempt %d", i + 1).isEmpty();
            throttle.failed("alice", "10.0.0.1");
            clock.advance(Duration.ofMinutes(1));
        }
        // now 5 minutes after the first failure
        var lock = throttle.check("alice", "10.0.0.9").orElseThrow();
        assertThat(lock.field()).isEqualTo("participantId");
        assertThat(lock.retryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(lock.retryAfterSeconds()).isEqualTo(600);
        // another id from the same address is not locked (5 < 8 per address)
        assertThat(throttle.check("bob", "10.0.0.1")).isEmpty();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(throttle.check("alice", "10.0.0.1")).isPresent().get()
                .satisfies(l -> assertThat(l.retryAfterSeconds()).isEqualTo(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.check("alice", "10.0.0.1")).as("the first failure is 15 minutes old").isEmpty();
        // one more failure locks it again until the second-oldest leaves the window (1 minute later)
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.check("alice", "10.0.0.1").orElseThrow().retryAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aSuccessClearsTheIdsFailuresButNotTheAddresss() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("carol", "10.0.0.2");
        }
        throttle.succeeded("carol");
        for (int i = 0; i < 4; i++) {
            throttle.failed("carol", "10.0.0.2");
        }
        assertThat(throttle.check("carol", "10.0.0.3")).as("4 failures since the success").isEmpty();
        // the address has 8 failures: locked for every id
        var lock = throttle.check("dave", "10.0.0.2").orElseThrow();
        assertThat(lock.field()).isEqualTo("address");
        assertThat(lock.retryAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(throttle.check("dave", "10.0.0.4")).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentAndBadValuesNameTheVariable() {
        assertThat(LoginThrottle.Settings.defaults()).isEqualTo(new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15)));
        assertThat(LoginThrottle.Settings.fromEnv(Map.of("LOGIN_MAX_FAILURES", "3", "LOGIN_MAX_FAILURES_PER_ADDRESS", "50",
                "LOGIN_WINDOW_MINUTES", "60"))).isEqualTo(new LoginThrottle.Settings(3, 50, Duration.ofMinutes(60)));
        assertThatThrownBy(() -> LoginThrottle.Settings.fromEnv(Map.of("LOGIN_MAX_FAILURES", "0")))
                .hasMessageContaining("LOGIN_MAX_FAILURES").hasMessageContaining("0");
        assertThatThrownBy(() -> LoginThrottle.Settings.fromEnv(Map.of("LOGIN_WINDOW_MINUTES", "soon")))
                .hasMessageContaining("LOGIN_WINDOW_MINUTES").hasMessageContaining("soon");
    }
}
