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
 */
public final class SiteForecaster {

    /** Days of history used for the clear-sky estimate (recent ones follow the season). */
    public static final int CLEAR_SKY_DAYS = 14;
    /** Similar days averaged for the load. */
    public static final int SIMILAR_DAYS = 4;
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
        return SiteForecast.of(day, pv, load);
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

    private static double[] load(List<DayHistory> past, LocalDate day, int slots) {
        DayKind kind = DayKind.of(day);
        List<DayHistory> similar = pick(past, h -> DayKind.of(h.day()) == kind);
        if (similar.isEmpty()) {
            boolean off = kind != DayKind.WORKDAY;
            similar = pick(past, h -> (DayKind.of(h.day()) != DayKind.WORKDAY) == off);
        }
        if (similar.isEmpty()) {
            similar = pick(past, h -> true);
        }
        double[] load = new double[slots];
        for (DayHistory h : similar) {
            for (int t = 0; t < slots; t++) {
                load[t] += h.loadWh()[t] / similar.size();
            }
        }
        return load;
    }

    private static List<DayHistory> pick(List<DayHistory> newestFirst, java.util.function.Predicate<DayHistory> p) {
        List<DayHistory> out = new ArrayList<>();
        for (DayHistory h : newestFirst) {
            if (p.test(h)) {
                out.add(h);
                if (out.size() == SIMILAR_DAYS) {
                    break;
                }
            }
        }
        return out;
    }
}
