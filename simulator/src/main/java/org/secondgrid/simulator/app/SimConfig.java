package org.secondgrid.simulator.app;

import java.time.LocalTime;

/**
 * How the simulation runs.
 *
 * @param tickMinutes     physics step and telemetry period (divides 30)
 * @param acceptanceRate  share of offered EV jobs their owners accept
 * @param declareRate     share of EVs whose owners declare availability for a day
 * @param noShowRate      share of accepted jobs whose EV stays home anyway
 * @param forecastAt      local time on D−1 the weather service publishes D's forecast
 * @param ordersAt        local time on D−1 prosumers and EV owners enter orders and availability (before gate closure)
 * @param jobsAt          local time on D−1 EV owners answer their job offers (after gate closure)
 * @param finalAt         local time on D−1 the EVs read their final accepted itineraries (after the final schedule)
 */
public record SimConfig(int tickMinutes, double acceptanceRate, double declareRate, double noShowRate,
                        LocalTime forecastAt, LocalTime ordersAt, LocalTime jobsAt, LocalTime finalAt) {

    public SimConfig {
        if (tickMinutes <= 0 || 30 % tickMinutes != 0) {
            throw new IllegalArgumentException("tickMinutes must divide 30, got " + tickMinutes);
        }
        for (double r : new double[] {acceptanceRate, declareRate, noShowRate}) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("acceptanceRate/declareRate/noShowRate must be in [0, 1], got " + r);
            }
        }
    }

    public static SimConfig defaults() {
        return new SimConfig(5, 0.8, 0.8, 0.05, LocalTime.of(6, 0), LocalTime.of(8, 0), LocalTime.of(12, 0),
                LocalTime.of(17, 30));
    }

    public SimConfig withTickMinutes(int t) {
        return new SimConfig(t, acceptanceRate, declareRate, noShowRate, forecastAt, ordersAt, jobsAt, finalAt);
    }

    public SimConfig withRates(double accept, double declare, double noShow) {
        return new SimConfig(tickMinutes, accept, declare, noShow, forecastAt, ordersAt, jobsAt, finalAt);
    }
}
