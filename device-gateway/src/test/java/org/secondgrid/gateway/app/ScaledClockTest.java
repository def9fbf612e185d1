package org.secondgrid.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaledClockTest {

    /** A real clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final Instant SIM = Instant.parse("2026-12-04T00:00:00Z");

    @Test
    void runsSpeedTimesRealTimeFromTheStart() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = new ScaledClock(real, SIM, 60);
        assertThat(c.instant()).isEqualTo(SIM);
        real.advance(Duration.ofSeconds(10));
        assertThat(c.instant()).isEqualTo(SIM.plus(Duration.ofMinutes(10)));
        assertThat(c.millis()).isEqualTo(SIM.plus(Duration.ofMinutes(10)).toEpochMilli());
    }

    @Test
    void jumpContinuesAtTheSameSpeed() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = new ScaledClock(real, SIM, 2);
        real.advance(Duration.ofSeconds(5));
        Instant target = Instant.parse("2026-12-05T09:59:00Z");
        c.jumpTo(target);
        assertThat(c.instant()).isEqualTo(target);
        real.advance(Duration.ofSeconds(30));
        assertThat(c.instant()).isEqualTo(target.plusSeconds(60));
    }

    @Test
    void speedChangeKeepsTheCurrentInstant() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = new ScaledClock(real, SIM, 10);
        real.advance(Duration.ofSeconds(6));
        Instant before = c.instant();
        assertThat(before).isEqualTo(SIM.plusSeconds(60));
        c.setSpeed(1000);
        assertThat(c.instant()).isEqualTo(before);
        real.advance(Duration.ofMillis(36));
        assertThat(c.instant()).isEqualTo(before.plusSeconds(36));
        assertThat(c.speed()).isEqualTo(1000);
        assertThat(c.realDurationOf(Duration.ofSeconds(100))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void fractionalSpeedSlowsTime() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = new ScaledClock(real, SIM, 0.5);
        real.advance(Duration.ofSeconds(3));
        assertThat(c.instant()).isEqualTo(SIM.plusMillis(1500));
    }

    @Test
    void fromEnvReadsStartAndSpeed() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = ScaledClock.fromEnv(Map.of("CLOCK_SIM_START", "2026-12-04T01:00:00Z", "CLOCK_SPEED", "120"), real);
        real.advance(Duration.ofSeconds(1));
        assertThat(c.instant()).isEqualTo(Instant.parse("2026-12-04T01:02:00Z"));
        ScaledClock d = ScaledClock.fromEnv(Map.of(), real);
        assertThat(d.instant()).isEqualTo(real.instant());
        assertThat(d.speed()).isEqualTo(1);
    }

    @Test
    void badEnvNamesTheVariableAndValue() {
        ManualClock real = new ManualClock(Instant.EPOCH);
        assertThatThrownBy(() -> ScaledClock.fromEnv(Map.of("CLOCK_SPEED", "0"), real))
                .hasMessageContaining("CLOCK_SPEED").hasMessageContaining("'0'");
        assertThatThrownBy(() -> ScaledClock.fromEnv(Map.of("CLOCK_SPEED", "fast"), real))
                .hasMessageContaining("CLOCK_SPEED").hasMessageContaining("'fast'");
        assertThatThrownBy(() -> ScaledClock.fromEnv(Map.of("CLOCK_SIM_START", "tomorrow"), real))
                .hasMessageContaining("CLOCK_SIM_START").hasMessageContaining("'tomorrow'");
        assertThatThrownBy(() -> new ScaledClock(real, SIM, -1)).hasMessageContaining("-1");
    }

    @Test
    void zonedViewSharesTheAnchor() {
        ManualClock real = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ScaledClock c = new ScaledClock(real, SIM, 60);
        Clock tokyo = c.withZone(ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.getZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        c.jumpTo(SIM.plusSeconds(3600));
        real.advance(Duration.ofSeconds(1));
        assertThat(tokyo.instant()).isEqualTo(SIM.plusSeconds(3660));
    }
}
