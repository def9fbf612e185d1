package org.secondgrid.gateway.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * A clock whose time runs {@code speed} times as fast as a real clock, from a chosen start:
 * {@code sim time = simStart + (realNow − realAnchor) × speed}. The simulator runs whole days in
 * seconds with it; the gateway and the simulator share one instance in the demo.
 *
 * <p>Thread-safe: the anchor (sim start, real anchor, speed) is replaced atomically by
 * {@link #jumpTo(Instant)} and {@link #setSpeed(double)}, and a jump or a speed change continues from
 * the current simulated instant, so time never goes backwards except by an explicit jump.
 */
public final class ScaledClock extends Clock {

    /** The anchor of the scaling: at real instant {@code real} the sim time was {@code sim}. */
    private record Anchor(Instant sim, Instant real, double speed) {
    }

    private final Clock real;
    private final ZoneId zone;
    private volatile Anchor anchor;

    /**
     * @param real     the real clock (e.g. {@link Clock#systemUTC()}); tests pass a fixed/moving clock
     * @param simStart the simulated instant at the moment of construction
     * @param speed    simulated seconds per real second, &gt; 0
     */
    public ScaledClock(Clock real, Instant simStart, double speed) {
        this(real, ZoneOffset.UTC, new Anchor(Objects.requireNonNull(simStart, "simStart"), real.instant(),
                checkSpeed(speed)));
    }

    private ScaledClock(Clock real, ZoneId zone, Anchor anchor) {
        this.real = Objects.requireNonNull(real, "real");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.anchor = anchor;
    }

    /** Sim time starting at {@code simStart}, running {@code speed} times real time (system clock). */
    public static ScaledClock of(Instant simStart, double speed) {
        return new ScaledClock(Clock.systemUTC(), simStart, speed);
    }

    /** From the environment: {@code CLOCK_SIM_START} (ISO instant, default real now), {@code CLOCK_SPEED} (default 1). */
    public static ScaledClock fromEnv() {
        return fromEnv(System.getenv(), Clock.systemUTC());
    }

    /** As {@link #fromEnv()}, from the given variables and real clock. */
    public static ScaledClock fromEnv(Map<String, String> env, Clock real) {
        String start = env.get("CLOCK_SIM_START");
        Instant simStart;
        if (start == null || start.isBlank()) {
            simStart = real.instant();
        } else {
            try {
                simStart = Instant.parse(start.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("CLOCK_SIM_START must be an ISO instant such as 2026-12-04T00:00:00Z, got '"
                        + start + "'");
            }
        }
        String sp = env.get("CLOCK_SPEED");
        double speed = 1;
        if (sp != null && !sp.isBlank()) {
            try {
                speed = Double.parseDouble(sp.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CLOCK_SPEED must be a number > 0, got '" + sp + "'");
            }
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("CLOCK_SPEED must be a number > 0, got '" + sp + "'");
            }
        }
        return new ScaledClock(real, simStart, speed);
    }

    private static double checkSpeed(double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number > 0, got " + speed);
        }
        return speed;
    }

    @Override
    public Instant instant() {
        Anchor a = anchor;
        return simAt(a, real.instant());
    }

    private static Instant simAt(Anchor a, Instant realNow) {
        long realNanos = Duration.between(a.real(), realNow).toNanos();
        if (a.speed() == 1.0) {
            return a.sim().plusNanos(realNanos);
        }
        return a.sim().plusNanos(Math.round(realNanos * a.speed()));
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    /** Continues from {@code simInstant} (now) at the same speed. */
    public synchronized void jumpTo(Instant simInstant) {
        Objects.requireNonNull(simInstant, "simInstant");
        anchor = new Anchor(simInstant, real.instant(), anchor.speed());
    }

    /** Changes the speed from now on; the current simulated instant is kept. */
    public synchronized void setSpeed(double speed) {
        checkSpeed(speed);
        Instant r = real.instant();
        Anchor a = anchor;
        anchor = new Anchor(simAt(a, r), r, speed);
    }

    public double speed() {
        return anchor.speed();
    }

    /** Real time it takes for {@code simDuration} to pass at the current speed (at least 0). */
    public Duration realDurationOf(Duration simDuration) {
        return Duration.ofNanos(Math.max(0, Math.round(simDuration.toNanos() / anchor.speed())));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone sharing this clock's anchor (jumps and speed changes apply to both). */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(this.zone)) {
            return this;
        }
        ScaledClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return self.withZone(z);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public String toString() {
        Anchor a = anchor;
        return "ScaledClock[sim " + a.sim() + " at real " + a.real() + ", x" + a.speed() + "]";
    }
}
