package org.secondgrid.simulator.weather;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * A day-ahead weather forecast for day D, as a weather service would issue it on D−1: per slot, the forecast PV
 * yield as a fraction of the slot's clear-sky yield (0..1.2). Error model: the service predicts D's regime right
 * with probability {@value #REGIME_HIT}, else another one; its forecast is half the truth and half the predicted
 * regime's mean, plus a day bias (sd {@value #BIAS_SD}) and AR(1) slot noise (sd {@value #NOISE_SD}, φ 0.7).
 * 0 for slots without sun.
 */
public final class WeatherForecast {

    static final double REGIME_HIT = 0.75;
    static final double BIAS_SD = 0.08;
    static final double NOISE_SD = 0.08;

    private final Weather weather;
    private final long seed;

    public WeatherForecast(Weather weather, long seed) {
        this.weather = weather;
        this.seed = seed;
    }

    public double[] forDay(LocalDate day, int slotMinutes) {
        double[] truth = weather.slotIndex(day, slotMinutes);
        Regime actual = weather.regime(day);
        SplittableRandom r = Streams.of(seed, Streams.FORECAST, day, 0);
        Regime predicted = actual;
        double u = r.nextDouble();
        if (u >= REGIME_HIT) {
            predicted = Regime.values()[(actual.ordinal() + (u < (1 + REGIME_HIT) / 2 ? 1 : 2)) % Regime.values().length];
        }
        double bias = BIAS_SD * Streams.gaussian(r);
        double x = 0;
        double[] out = new double[truth.length];
        for (int s = 0; s < out.length; s++) {
            x = 0.7 * x + NOISE_SD * StrictMath.sqrt(1 - 0.49) * Streams.gaussian(r);
            if (truth[s] == 0) {
                out[s] = 0;
                continue;
            }
            double f = 0.5 * truth[s] + 0.5 * predicted.mean + bias + x;
            out[s] = Math.round(Math.clamp(f, 0.0, 1.2) * 1000) / 1000.0;
        }
        return out;
    }
}
