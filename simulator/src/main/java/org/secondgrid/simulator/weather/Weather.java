package org.secondgrid.simulator.weather;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.secondgrid.matcher.generate.SolarModel;

/**
 * The town's weather, deterministic from the seed. Each day has a {@link Regime} (a Markov chain over days from
 * {@link #ANCHOR}, so weather persists for a few days); within the day the clear-sky index k follows an AR(1)
 * process around the regime's mean per tick, clamped to [0.03, 1.1] (values above 1 are cloud enhancement).
 * Actual PV of a panel = clear-sky yield ({@link SolarModel}: sun position, Haurwitz irradiance on the panel plane,
 * performance ratio 0.8) × k. The same index applies to every site (the town is a few km across).
 */
public final class Weather {

    /** The regime chain starts here; days before it are not simulated. */
    public static final LocalDate ANCHOR = LocalDate.of(2020, 1, 1);
    public static final double K_MIN = 0.03;
    public static final double K_MAX = 1.1;

    private final long seed;
    private final ZoneId zone;
    private final double lat;
    private final double lon;
    private final int tickMinutes;
    private final Map<LocalDate, Regime> regimes = new ConcurrentHashMap<>();

    public Weather(long seed, ZoneId zone, double lat, double lon, int tickMinutes) {
        if (tickMinutes <= 0 || 30 % tickMinutes != 0) {
            throw new IllegalArgumentException("tickMinutes must divide 30, was " + tickMinutes);
        }
        this.seed = seed;
        this.zone = zone;
        this.lat = lat;
        this.lon = lon;
        this.tickMinutes = tickMinutes;
    }

    public int tickMinutes() {
        return tickMinutes;
    }

    public int ticksPerDay() {
        return 24 * 60 / tickMinutes;
    }

    /** The day's regime (Markov chain from {@link #ANCHOR}). */
    public synchronized Regime regime(LocalDate day) {
        if (day.isBefore(ANCHOR)) {
            throw new IllegalArgumentException("day " + day + " is before the weather anchor " + ANCHOR);
        }
        Regime cached = regimes.get(day);
        if (cached != null) {
            return cached;
        }
        LocalDate d = day;
        while (!d.equals(ANCHOR) && !regimes.containsKey(d.minusDays(1))) {
            d = d.minusDays(1);
        }
        Regime r = d.equals(ANCHOR) ? Regime.MIXED : regimes.get(d.minusDays(1));
        for (; !d.isAfter(day); d = d.plusDays(1)) {
            if (!d.equals(ANCHOR)) {
                r = r.next(Streams.of(seed, Streams.WEATHER, d, -1).nextDouble());
            }
            regimes.put(d, r);
        }
        return r;
    }

    /** Clear-sky index per tick of the day. */
    public double[] clearSkyIndex(LocalDate day) {
        Regime reg = regime(day);
        SplittableRandom r = Streams.of(seed, Streams.WEATHER, day, 0);
        double phi = StrictMath.pow(reg.phi5, tickMinutes / 5.0);
        double innov = reg.sd * StrictMath.sqrt(1 - phi * phi);
        double x = reg.sd * Streams.gaussian(r);
        double[] k = new double[ticksPerDay()];
        for (int t = 0; t < k.length; t++) {
            k[t] = Math.clamp(reg.mean + x, K_MIN, K_MAX);
            x = phi * x + innov * Streams.gaussian(r);
        }
        return k;
    }

    /** The sun over the town on {@code day}, per tick. */
    public SolarModel sun(LocalDate day) {
        return new SolarModel(day, zone, lat, lon, ticksPerDay(), tickMinutes);
    }

    /**
     * Per market slot, the actual PV yield as a fraction of the slot's clear-sky yield (horizontal reference
     * panel), i.e. what a perfect forecast would publish; 0 for slots without sun.
     */
    public double[] slotIndex(LocalDate day, int slotMinutes) {
        double[] k = clearSkyIndex(day);
        double[] clear = sun(day).kwPerKwp(0, 0);
        int per = slotMinutes / tickMinutes;
        double[] out = new double[k.length / per];
        for (int s = 0; s < out.length; s++) {
            double num = 0;
            double den = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                num += clear[i] * k[i];
                den += clear[i];
            }
            out[s] = den > 1e-9 ? num / den : 0;
        }
        return out;
    }
}
