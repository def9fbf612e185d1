package org.secondgrid.simulator.app;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A scaled clock for runs without the gateway's shared {@code ScaledClock}: sim time = simStart + (real − anchor) ×
 * speed (the same rule, so a gateway started with the same {@code CLOCK_SIM_START}/{@code CLOCK_SPEED} agrees).
 */
public final class Clocks {

    private Clocks() {
    }

    public static Clock scaled(Instant simStart, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, got " + speed);
        }
        long anchor = System.nanoTime();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("scaled clock is UTC");
            }

            @Override
            public Instant instant() {
                double elapsed = (System.nanoTime() - anchor) * speed;
                return simStart.plusNanos((long) elapsed);
            }
        };
    }
}
