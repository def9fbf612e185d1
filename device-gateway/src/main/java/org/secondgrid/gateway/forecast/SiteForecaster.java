package org.secondgrid.gateway.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.secondgrid.matcher.generate.DayKind;

/**
 * Day-ahead forecast of one site's PV, load and net surplus per slot, from its own metered history and
 * the weather feed. Pure and fast (no I/O, O(days × slots)): the simulator's {@code bench forecast} calls it.
 *
 * <p><b>PV</b> = the site's clear-sky yield per slot × the forecast irradiance index of day D. The clear-sky
 * yield of slot t is the median over recent history days of {@code pv(t) / index(t)} (index ≥ 0.15, the
 * forecast published for that day), so cloudy days count as much as clear ones; days without a stored
 * index fall back to the upper envelope (the maximum of pv(t) over recent days, which a clear day
 * reaches). Without an index for D, PV is the mean of the last three days.
 *
 * <p><b>Load</b> = per slot, the mean of the most recent similar days: the same {@link DayKind}
 * (workday; Saturday; Sunday or Japanese national holiday or Dec 31 – Jan 3, the matcher's calendar);
 * if the history has none of that kind, any off day (Saturday/Sunday/holiday) for an off day, else any day.
 *
 * <p><b>Surplus</b> = PV − load (signed).
 *
 * <p><b>Spread</b> (for firm quantities, {@link SiteForecast#firmOfferWh}): a standard deviation of the error per
 * slot. Load: the sample standard deviation of the {@value #SPREAD_DAYS} most recent similar days (same rule as
 * the mean) pooled over the slot and its two neighbours, × √(1 + 1/n) for the error of a mean of n days. PV with
 * an index for D: the relative spread of {@code pv(t) / index(t)} around the clear-sky median over the
 * clear-sky days (pooled the same way; it holds the weather forecast's own error) × the PV forecast; without a
 * usable ratio or index: the sample standard deviation of pv(t) over the recent days.
 */
public final class SiteForecaster {

    /** Days of history used for the clear-sky estimate (recent ones follow the season). */
    public static final int CLEAR_SKY_DAYS = 14;
    /** Similar days averaged for the load. */
    public static final int SIMILAR_DAYS = 4;
    /** Similar days whose spread gives the load's error. */
    public static final int SPREAD_DAYS = 8;
    static final double MIN_INDEX = 0.15;

    private SiteForecaster() {
    }

    /**
     * @param history          past days of the site (any order; days on or after {@code day} are ignored), all
     *                         with the same number of slots as the result
     * @param day              the delivery day to forecast
     * @param irradianceIndex  forecast index per slot of {@code day}, or null if no weather forecast arrived
     * @param slots            slots of {@code day} (48 for 30-minute slots)
     */
    public static SiteForecast forecast(List<DayHistory> history, LocalDate day, double[] irradianceIndex, int slots) {
        List<DayHistory> past = new ArrayList<>();
        for (DayHistory h : history) {
            if (h.day().isBefore(day) && h.slots() == slots) {
                past.add(h);
            }
        }
        past.sort(Comparator.comparing(DayHistory::day).reversed()); // newest first
        double[] pv = pv(past, irradianceIndex, slots);
        double[] load = load(past, day, slots);
        double[] pvSd = pvSd(past, irradianceIndex, pv, slots);
        double[] loadSd = loadSd(past, day, slots);
        return SiteForecast.of(day, pv, load, pvSd, loadSd);
    }

    /** Persistence: every slot as on the day before (the reference the bench compares against). */
    public static SiteForecast persistence(List<DayHistory> history, LocalDate day, int slots) {
        for (DayHistory h : history) {
            if (h.day().equals(day.minusDays(1)) && h.slots() == slots) {
                return SiteForecast.of(day, h.pvWh().clone(), h.loadWh().clone());
            }
        }
        return SiteForecast.of(day, new double[slots], new double[slots]);
    }

    /** The site's clear-sky PV yield per slot (Wh) estimated from its history, newest day first. */
    static double[] clearSky(List<DayHistory> pastNewestFirst, int slots) {
        List<DayHistory> recent = pastNewestFirst.subList(0, Math.min(CLEAR_SKY_DAYS, pastNewestFirst.size()));
        double[] cs = new double[slots];
        double[] ratios = new double[recent.size()];
        for (int t = 0; t < slots; t++) {
            int n = 0;
            double envelope = 0;
            for (DayHistory h : recent) {
                envelope = Math.max(envelope, h.pvWh()[t]);
                if (h.irradianceIndex() != null && h.irradianceIndex()[t] >= MIN_INDEX) {
                    ratios[n++] = h.pvWh()[t] / h.irradianceIndex()[t];
                }
            }
            if (n >= 2) {
                double[] r = Arrays.copyOf(ratios, n);
                Arrays.sort(r);
                cs[t] = n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
            } else {
                cs[t] = envelope;
            }
        }
        return cs;
    }

    private static double[] pv(List<DayHistory> past, double[] index, int slots) {
        double[] pv = new double[slots];
        if (past.isEmpty()) {
            return pv;
        }
        if (index != null && index.length == slots) {
            double[] cs = clearSky(past, slots);
            for (int t = 0; t < slots; t++) {
                pv[t] = Math.max(0, cs[t] * Math.max(0, index[t]));
            }
            return pv;
        }
        int n = Math.min(3, past.size());
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < slots; t++) {
                pv[t] += past.get(i).pvWh()[t] / n;
            }
        }
        return pv;
    }

    private static List<DayHistory> similar(List<DayHistory> past, LocalDate day, int limit) {
        DayKind kind = DayKind.of(day);
        List<DayHistory> similar = pick(past, h -> DayKind.of(h.day()) == kind, limit);
        if (similar.isEmpty()) {
            boolean off = kind != DayKind.WORKDAY;
            similar = pick(past, h -> (DayKind.of(h.day()) != DayKind.WORKDAY) == off, limit);
        }
        if (similar.isEmpty()) {
            similar = pick(past, h -> true, limit);
        }
        return similar;
    }

    /** Load error spread: sd of the similar days, pooled over slots t−1..t+1, × √(1 + 1/n) (n days in the mean). */
    private static double[] loadSd(List<DayHistory> past, LocalDate day, int slots) {
        List<DayHistory> days = similar(past, day, SPREAD_DAYS);
        double[] sd = new double[slots];
        if (days.size() < 2) {
            return sd;
        }
        int inMean = Math.min(SIMILAR_DAYS, days.size());
        double[] mean = new double[slots];
        for (DayHistory h : days) {
            for (int t = 0; t < slots; t++) {
                mean[t] += h.loadWh()[t] / days.size();
            }
        }
        for (int t = 0; t < slots; t++) {
            double ss = 0;
            int n = 0;
            for (int u = Math.max(0, t - 1); u <= Math.min(slots - 1, t + 1); u++) {
                for (DayHistory h : days) {
                    double e = h.loadWh()[u] - mean[u];
                    ss += e * e;
                }
                n += days.size() - 1;
            }
            sd[t] = Math.sqrt(ss / n) * Math.sqrt(1 + 1.0 / inMean);
        }
        return sd;
    }

    /** PV error spread (see the class comment). */
    private static double[] pvSd(List<DayHistory> past, double[] index, double[] pv, int slots) {
        double[] sd = new double[slots];
        if (past.size() < 2) {
            return sd;
        }
        List<DayHistory> recent = past.subList(0, Math.min(CLEAR_SKY_DAYS, past.size()));
        boolean withIndex = index != null && index.length == slots;
        double[] cs = withIndex ? clearSky(past, slots) : null;
        for (int t = 0; t < slots; t++) {
            if (withIndex) {
                double ss = 0;
                int n = 0;
                for (int u = Math.max(0, t - 1); u <= Math.min(slots - 1, t + 1); u++) {
                    if (cs[u] <= 0) {
                        continue;
                    }
                    for (DayHistory h : recent) {
                        if (h.irradianceIndex() != null && h.irradianceIndex()[u] >= MIN_INDEX) {
                            double rel = h.pvWh()[u] / h.irradianceIndex()[u] / cs[u] - 1;
                            ss += rel * rel;
                            n++;
                        }
                    }
                }
                if (n >= 3) {
                    sd[t] = pv[t] * Math.sqrt(ss / (n - 1));
                    continue;
                }
            }
            double m = 0;
            for (DayHistory h : recent) {
                m += h.pvWh()[t] / recent.size();
            }
            double ss = 0;
            for (DayHistory h : recent) {
                ss += (h.pvWh()[t] - m) * (h.pvWh()[t] - m);
            }
            sd[t] = Math.sqrt(ss / (recent.size() - 1));
        }
        return sd;
    }

    private static double[] load(List<DayHistory> past, LocalDate day, int slots) {
        List<DayHistory> similar = similar(past, day, SIMILAR_DAYS);
        double[] load = new double[slots];
        for (DayHistory h : similar) {
            for (int t = 0; t < slots; t++) {
                load[t] += h.loadWh()[t] / similar.size();
            }
        }
        return load;
    }

    private static List<DayHistory> pick(List<DayHistory> newestFirst, java.util.function.Predicate<DayHistory> p,
                                         int limit) {
        List<DayHistory> out = new ArrayList<>();
        for (DayHistory h : newestFirst) {
            if (p.test(h)) {
                out.add(h);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }
}
