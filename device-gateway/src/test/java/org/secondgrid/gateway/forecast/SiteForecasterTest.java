package org.secondgrid.gateway.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.generate.DayKind;

class SiteForecasterTest {

    static final int SLOTS = 48;

    /** Clear-sky PV of a 5 kWp roof per slot (Wh): a noon-centred bell. */
    static double clearSky(int t) {
        double x = (t - 24.5) / 6.0;
        return Math.abs(x) > 1.6 ? 0 : 1600 * Math.exp(-x * x);
    }

    /** Load per slot (Wh): workdays have a morning and evening peak, off days a midday plateau. */
    static double load(LocalDate d, int t) {
        boolean off = DayKind.of(d) != DayKind.WORKDAY;
        if (off) {
            return t >= 18 && t < 40 ? 700 : 300;
        }
        return (t >= 12 && t < 16) || (t >= 34 && t < 44) ? 900 : 250;
    }

    /** A day with cloudiness {@code c} (also its forecast index), ±10 % noise. */
    static DayHistory day(LocalDate d, double c, Random rnd) {
        double[] pv = new double[SLOTS];
        double[] ld = new double[SLOTS];
        double[] idx = new double[SLOTS];
        for (int t = 0; t < SLOTS; t++) {
            idx[t] = clearSky(t) > 0 ? c : 0;
            pv[t] = clearSky(t) * c * (0.9 + 0.2 * rnd.nextDouble());
            ld[t] = load(d, t) * (0.9 + 0.2 * rnd.nextDouble());
        }
        return new DayHistory(d, pv, ld, idx);
    }

    static List<DayHistory> history(LocalDate day, int days, long seed) {
        Random rnd = new Random(seed);
        List<DayHistory> h = new ArrayList<>();
        for (int k = days; k >= 1; k--) {
            h.add(day(day.minusDays(k), 0.2 + 0.8 * rnd.nextDouble(), rnd));
        }
        return h;
    }

    static double mae(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += Math.abs(a[t] - b[t]);
        }
        return s / a.length;
    }

    @Test
    void pvFollowsTheForecastIndexOnTheSiteClearSkyYield() {
        LocalDate d = LocalDate.of(2026, 12, 9); // Wednesday
        List<DayHistory> h = history(d, 21, 1);
        double[] idx = new double[SLOTS];
        for (int t = 0; t < SLOTS; t++) {
            idx[t] = clearSky(t) > 0 ? 0.5 : 0;
        }
        SiteForecast f = SiteForecaster.forecast(h, d, idx, SLOTS);
        assertThat(f.pvWh()[24]).isCloseTo(clearSky(24) * 0.5, within(clearSky(24) * 0.05));
        assertThat(f.pvWh()[2]).isZero();
        idx[24] = 1.0;
        assertThat(SiteForecaster.forecast(h, d, idx, SLOTS).pvWh()[24]).isCloseTo(2 * f.pvWh()[24], within(1e-6));
        for (int t = 0; t < SLOTS; t++) {
            assertThat(f.surplusWh()[t]).isEqualTo(f.pvWh()[t] - f.loadWh()[t]);
        }
    }

    @Test
    void loadComesFromSimilarDaysIncludingJapaneseHolidays() {
        LocalDate saturday = LocalDate.of(2026, 12, 5);
        SiteForecast sat = SiteForecaster.forecast(history(saturday, 21, 2), saturday, null, SLOTS);
        assertThat(sat.loadWh()[26]).isCloseTo(700, within(50.0)); // off-day plateau
        assertThat(sat.loadWh()[13]).isCloseTo(300, within(30.0));
        LocalDate wednesday = LocalDate.of(2026, 12, 9);
        SiteForecast wed = SiteForecaster.forecast(history(wednesday, 21, 3), wednesday, null, SLOTS);
        assertThat(wed.loadWh()[13]).isCloseTo(900, within(60.0)); // workday morning peak
        // Labor Thanksgiving Day (Monday 2026-11-23) is a holiday: forecast like a Sunday
        LocalDate holiday = LocalDate.of(2026, 11, 23);
        assertThat(DayKind.of(holiday)).isEqualTo(DayKind.SUNDAY);
        SiteForecast hol = SiteForecaster.forecast(history(holiday, 21, 4), holiday, null, SLOTS);
        assertThat(hol.loadWh()[26]).isCloseTo(700, within(50.0));
        assertThat(hol.loadWh()[13]).isCloseTo(300, within(30.0));
    }

    @Test
    void ignoresDaysOnOrAfterTheForecastDayAndEmptyHistoryGivesZeros() {
        LocalDate d = LocalDate.of(2026, 12, 9);
        List<DayHistory> h = new ArrayList<>(history(d, 14, 5));
        SiteForecast before = SiteForecaster.forecast(h, d, null, SLOTS);
        h.add(day(d, 1.0, new Random(9)));
        h.add(day(d.plusDays(1), 1.0, new Random(9)));
        assertThat(SiteForecaster.forecast(h, d, null, SLOTS).loadWh()).containsExactly(before.loadWh());
        SiteForecast none = SiteForecaster.forecast(List.of(), d, null, SLOTS);
        assertThat(none.pvWh()).containsOnly(0.0);
        assertThat(none.loadWh()).containsOnly(0.0);
    }

    @Test
    void clearSkyFallsBackToTheEnvelopeWithoutStoredIndices() {
        LocalDate d = LocalDate.of(2026, 12, 9);
        List<DayHistory> h = new ArrayList<>();
        for (DayHistory x : history(d, 14, 6)) {
            h.add(new DayHistory(x.day(), x.pvWh(), x.loadWh(), null));
        }
        double[] cs = SiteForecaster.clearSky(h.reversed(), SLOTS);
        double max = h.stream().mapToDouble(x -> x.pvWh()[24]).max().orElseThrow();
        assertThat(cs[24]).isEqualTo(max);
    }

    @Test
    void beatsPersistenceOnVariableWeather() {
        // 30 forecast days, each from the 28 days before it; weather changes day to day
        Random rnd = new Random(11);
        LocalDate start = LocalDate.of(2026, 10, 1);
        List<DayHistory> all = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            all.add(day(start.plusDays(k), 0.2 + 0.8 * rnd.nextDouble(), rnd));
        }
        double ours = 0;
        double persistence = 0;
        for (int k = 30; k < 60; k++) {
            DayHistory actual = all.get(k);
            List<DayHistory> past = all.subList(k - 28, k);
            SiteForecast f = SiteForecaster.forecast(past, actual.day(), actual.irradianceIndex(), SLOTS);
            SiteForecast p = SiteForecaster.persistence(past, actual.day(), SLOTS);
            double[] net = new double[SLOTS];
            for (int t = 0; t < SLOTS; t++) {
                net[t] = actual.pvWh()[t] - actual.loadWh()[t];
            }
            ours += mae(f.surplusWh(), net);
            persistence += mae(p.surplusWh(), net);
        }
        assertThat(ours).isLessThan(0.8 * persistence);
    }
}
