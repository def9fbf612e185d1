package org.secondgrid.simulator.physics;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.matcher.generate.SolarModel;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Streams;
import org.secondgrid.simulator.weather.Weather;

/**
 * One day of a town's exogenous physics, per site and tick: the PV power the panels could give (clear-sky yield ×
 * the day's clear-sky index × a per-site factor 0.97–1.03) and the load (the site's BDEW profile for the day's kind
 * and season, scaled to its annual kWh, times a day factor and an AR(1) noise per tick). Deterministic from
 * (town seed, day).
 */
public record TownDay(LocalDate day, int tickMinutes, double[] clearSkyIndex, double[][] pvAvailKw, double[][] loadKw) {

    /** Load noise per kind: day-factor sd, tick AR(1) stationary sd, AR(1) coefficient per tick. */
    static double[] noise(TownSite.Kind kind) {
        return switch (kind) {
            case HOUSE -> new double[] {0.1, 0.3, 0.8};
            case SHOP -> new double[] {0.05, 0.08, 0.8};
            case FACTORY -> new double[] {0.05, 0.06, 0.9};
        };
    }

    public static TownDay of(Town town, Weather weather, LoadProfiles profiles, LocalDate day) {
        int ticks = weather.ticksPerDay();
        int tickMinutes = weather.tickMinutes();
        double[] k = weather.clearSkyIndex(day);
        SolarModel sun = weather.sun(day);
        List<TownSite> sites = town.sites();
        double[][] pv = new double[sites.size()][];
        double[][] load = new double[sites.size()][];
        int quarterTicks = Math.max(1, 15 / tickMinutes);
        for (int i = 0; i < sites.size(); i++) {
            TownSite s = sites.get(i);
            SplittableRandom r = Streams.of(town.seed(), Streams.LOAD, day, i);
            pv[i] = new double[ticks];
            double siteFactor = 0.97 + 0.06 * r.nextDouble();
            if (s.pvKwp() > 0) {
                double[] clear = sun.kwPerKwp(s.tiltDeg(), s.azimuthDeg());
                for (int t = 0; t < ticks; t++) {
                    pv[i][t] = s.pvKwp() * clear[t] * Math.min(1.1, k[t] * siteFactor);
                }
            }
            double[] q = profiles.watts(LoadProfiles.Profile.valueOf(s.loadProfile()), day, 96, 15);
            double[] n = noise(s.kind());
            double dayFactor = Math.max(0.5, 1 + n[0] * Streams.gaussian(r));
            double phi = n[2];
            double innov = n[1] * StrictMath.sqrt(1 - phi * phi);
            double x = n[1] * Streams.gaussian(r);
            load[i] = new double[ticks];
            for (int t = 0; t < ticks; t++) {
                int quarter = tickMinutes >= 15 ? t * tickMinutes / 15 : t / quarterTicks;
                double w = 0;
                int qs = Math.max(1, tickMinutes / 15);
                for (int j = 0; j < qs; j++) {
                    w += q[quarter + j];
                }
                w /= qs;
                double kw = s.annualKwh() / 1000.0 * w / 1000.0;
                load[i][t] = kw * dayFactor * Math.max(0.2, 1 + x);
                x = phi * x + innov * Streams.gaussian(r);
            }
        }
        return new TownDay(day, tickMinutes, k, pv, load);
    }
}
