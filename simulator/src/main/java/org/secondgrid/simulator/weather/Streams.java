package org.secondgrid.simulator.weather;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Random streams keyed by (seed, concern, day, entity): any day of any entity can be simulated on its own and
 * always draws the same numbers, whatever was simulated before it.
 */
public final class Streams {

    public static final int WEATHER = 1;
    public static final int FORECAST = 2;
    public static final int LOAD = 3;
    public static final int PEOPLE = 4;

    private Streams() {
    }

    public static SplittableRandom of(long seed, int concern, LocalDate day, int entity) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = mix(h ^ concern * 0xBF58476D1CE4E5B9L);
        h = mix(h ^ day.toEpochDay() * 0x94D049BB133111EBL);
        h = mix(h ^ (entity + 1L) * 0xD6E8FEB86659FD93L);
        return new SplittableRandom(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw (Box–Muller, StrictMath). */
    public static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }
}
