package org.secondgrid.gateway.forecast;

import java.time.LocalDate;

/**
 * A site's forecast for one delivery day, per slot (Wh): the mean and its spread.
 *
 * <p>The spread is a standard deviation per slot ({@code pvWhSd}, {@code loadWhSd}) of the forecast error, as
 * {@link SiteForecaster} estimates it from the site's history (the spread of the similar days for the load; the
 * spread of PV ÷ forecast weather index for PV). A lower quantile q (0 &lt; q &lt; 1) of each quantity is
 * {@code mean − z(1−q) · sd} (normal error), with the PV and load errors taken as independent for the net
 * quantities: {@code sd(surplus) = √(sd(pv)² + sd(load)²)}. q = 0.5 gives the mean; q = 0.2 gives a quantity the
 * site exceeds in about 80 % of slots ("firm").
 *
 * @param surplusWh net surplus {@code pv − load}: positive = energy to offer, negative = net load to bid for
 * @param pvWhSd    standard deviation of the PV forecast error per slot (0 = no spread known)
 * @param loadWhSd  standard deviation of the load forecast error per slot (0 = no spread known)
 */
public record SiteForecast(LocalDate day, double[] pvWh, double[] loadWh, double[] surplusWh, double[] pvWhSd,
                           double[] loadWhSd) {

    public SiteForecast {
        if (loadWh.length != pvWh.length || surplusWh.length != pvWh.length || pvWhSd.length != pvWh.length
                || loadWhSd.length != pvWh.length) {
            throw new IllegalArgumentException("forecast arrays must have the same number of slots, pvWh has "
                    + pvWh.length);
        }
    }

    /** A forecast without a known spread (every quantile is the mean). */
    public SiteForecast(LocalDate day, double[] pvWh, double[] loadWh, double[] surplusWh) {
        this(day, pvWh, loadWh, surplusWh, new double[pvWh.length], new double[pvWh.length]);
    }

    /** Offer per slot: the positive part of the mean surplus. */
    public double offerWh(int slot) {
        return Math.max(0, surplusWh[slot]);
    }

    /** Bid per slot: the positive part of the mean net load. */
    public double bidWh(int slot) {
        return Math.max(0, -surplusWh[slot]);
    }

    /** Firm offer of a slot: the positive part of the lower {@code quantile} of the surplus. */
    public double firmOfferWh(int slot, double quantile) {
        return Math.max(0, surplusWh[slot] - z(quantile) * surplusSd(slot));
    }

    /** Firm bid of a slot: the positive part of the lower {@code quantile} of the net load {@code load − pv}. */
    public double firmBidWh(int slot, double quantile) {
        return Math.max(0, -surplusWh[slot] - z(quantile) * surplusSd(slot));
    }

    /** Lower {@code quantile} of the PV per slot (≥ 0). */
    public double[] pvWhLow(double quantile) {
        double z = z(quantile);
        double[] out = new double[pvWh.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = Math.max(0, pvWh[t] - z * pvWhSd[t]);
        }
        return out;
    }

    /** Lower {@code quantile} of the load per slot (≥ 0). */
    public double[] loadWhLow(double quantile) {
        double z = z(quantile);
        double[] out = new double[loadWh.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = Math.max(0, loadWh[t] - z * loadWhSd[t]);
        }
        return out;
    }

    /** Lower {@code quantile} of the signed surplus {@code pv − load} per slot. */
    public double[] surplusWhLow(double quantile) {
        double z = z(quantile);
        double[] out = new double[surplusWh.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = surplusWh[t] - z * surplusSd(t);
        }
        return out;
    }

    /** Lower {@code quantile} of the signed net load {@code load − pv} per slot. */
    public double[] netLoadWhLow(double quantile) {
        double z = z(quantile);
        double[] out = new double[surplusWh.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = -surplusWh[t] - z * surplusSd(t);
        }
        return out;
    }

    /**
     * What the site's meter will count without the market: PV above {@code load + exportLimitWh} per slot is curtailed
     * by the inverter (a no-backflow site, {@code exportLimitWh = 0}, shows at most its own load as PV), so the metered
     * PV is {@code min(pv, load + exportLimitWh)} and the metered surplus {@code min(pv − load, exportLimitWh)}. The
     * spreads are kept. This is the flow a grid operator sees at the connection; offers use the uncurtailed forecast.
     *
     * @param exportLimitWh the connection's export limit × slot length (Wh, ≥ 0)
     */
    public SiteForecast metered(double exportLimitWh) {
        if (!(exportLimitWh >= 0)) {
            throw new IllegalArgumentException("exportLimitWh must be >= 0, got " + exportLimitWh);
        }
        double[] pv = new double[pvWh.length];
        double[] s = new double[pvWh.length];
        for (int t = 0; t < pv.length; t++) {
            pv[t] = Math.min(pvWh[t], loadWh[t] + exportLimitWh);
            s[t] = pv[t] - loadWh[t];
        }
        return new SiteForecast(day, pv, loadWh, s, pvWhSd, loadWhSd);
    }

    /** Standard deviation of the surplus error of a slot (PV and load errors independent). */
    public double surplusSd(int slot) {
        return Math.hypot(pvWhSd[slot], loadWhSd[slot]);
    }

    public static SiteForecast of(LocalDate day, double[] pvWh, double[] loadWh) {
        return of(day, pvWh, loadWh, new double[pvWh.length], new double[pvWh.length]);
    }

    public static SiteForecast of(LocalDate day, double[] pvWh, double[] loadWh, double[] pvWhSd, double[] loadWhSd) {
        double[] s = new double[pvWh.length];
        for (int t = 0; t < s.length; t++) {
            s[t] = pvWh[t] - loadWh[t];
        }
        return new SiteForecast(day, pvWh, loadWh, s, pvWhSd, loadWhSd);
    }

    /**
     * z(1 − q): how many standard deviations the lower {@code quantile} lies below the mean (0 for q = 0.5,
     * 0.8416 for q = 0.2). Acklam's rational approximation of the normal quantile (relative error &lt; 1.2e-9).
     */
    public static double z(double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be > 0 and < 1, got " + quantile);
        }
        return -normalQuantile(quantile);
    }

    static double normalQuantile(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double pLow = 0.02425;
        if (p == 0.5) {
            return 0;
        }
        if (p < pLow) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - pLow) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
