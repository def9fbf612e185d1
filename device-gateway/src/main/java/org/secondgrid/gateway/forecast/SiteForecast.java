package org.secondgrid.gateway.forecast;

import java.time.LocalDate;

/**
 * A site's forecast for one delivery day, per slot (Wh).
 *
 * @param surplusWh net surplus {@code pv − load}: positive = energy to offer, negative = net load to bid for
 */
public record SiteForecast(LocalDate day, double[] pvWh, double[] loadWh, double[] surplusWh) {

    /** Offer per slot: the positive part of the surplus. */
    public double offerWh(int slot) {
        return Math.max(0, surplusWh[slot]);
    }

    /** Bid per slot: the positive part of the net load. */
    public double bidWh(int slot) {
        return Math.max(0, -surplusWh[slot]);
    }

    public static SiteForecast of(LocalDate day, double[] pvWh, double[] loadWh) {
        double[] s = new double[pvWh.length];
        for (int t = 0; t < s.length; t++) {
            s[t] = pvWh[t] - loadWh[t];
        }
        return new SiteForecast(day, pvWh, loadWh, s);
    }
}
