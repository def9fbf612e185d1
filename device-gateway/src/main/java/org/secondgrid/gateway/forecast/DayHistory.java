package org.secondgrid.gateway.forecast;

import java.time.LocalDate;

/**
 * One past day of one site, per slot of the local day (Wh per slot).
 *
 * @param pvWh             PV generation per slot
 * @param loadWh           consumption per slot: {@code import − export + pv} (what the site used, whatever its source)
 * @param irradianceIndex  the day-ahead weather forecast that was published for that day (fraction of the slot's
 *                         clear-sky yield), or null if none was received
 */
public record DayHistory(LocalDate day, double[] pvWh, double[] loadWh, double[] irradianceIndex) {

    public DayHistory {
        if (pvWh.length != loadWh.length) {
            throw new IllegalArgumentException("pvWh has " + pvWh.length + " slots but loadWh has " + loadWh.length);
        }
        if (irradianceIndex != null && irradianceIndex.length != pvWh.length) {
            throw new IllegalArgumentException("irradianceIndex has " + irradianceIndex.length + " slots, expected "
                    + pvWh.length);
        }
    }

    /** Builds a day from metered slot energies (import, export, PV per slot): load = import − export + pv, at least 0. */
    public static DayHistory fromMeter(LocalDate day, double[] importWh, double[] exportWh, double[] pvWh,
                                       double[] irradianceIndex) {
        double[] load = new double[pvWh.length];
        for (int t = 0; t < load.length; t++) {
            load[t] = Math.max(0, importWh[t] - exportWh[t] + pvWh[t]);
        }
        return new DayHistory(day, pvWh.clone(), load, irradianceIndex == null ? null : irradianceIndex.clone());
    }

    public int slots() {
        return pvWh.length;
    }
}
