package org.secondgrid.gateway.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.matcher.generate.SolarModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecaster on days shaped like the town generator's (BDEW H0 household load with ±10 % slot noise,
 * clear-sky PV of a tilted panel × a day clearness 0.5–1 with a smooth per-slot variation), with a
 * weather feed whose index is off by up to ±10 %: over 28 forecast days (Nov–Dec, with the Nov 23
 * holiday) the error of PV, load and net surplus is compared with persistence (same slot yesterday).
 */
class SiteForecasterTownTest {

    private static final Logger log = LoggerFactory.getLogger(SiteForecasterTownTest.class);
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final int SLOTS = 48;

    record Actual(DayHistory day, double[] index) {
    }

    static Actual actualDay(LocalDate d, LoadProfiles profiles, Random rnd) {
        double[] cs = new SolarModel(d, TOKYO, 37.49, 139.93, SLOTS, 30).kwPerKwp(30, 0);
        double[] h0 = profiles.watts(LoadProfiles.Profile.H0, d, SLOTS, 30);
        double clearness = 0.5 + 0.5 * rnd.nextDouble();
        double phase = rnd.nextDouble() * 2 * Math.PI;
        double[] pv = new double[SLOTS];
        double[] load = new double[SLOTS];
        double[] forecastIndex = new double[SLOTS];
        for (int t = 0; t < SLOTS; t++) {
            double cloud = Math.min(1, Math.max(0.05, clearness * (1 + 0.15 * Math.sin(phase + t / 4.0))));
            pv[t] = cs[t] * 5 * cloud * 500 * (0.95 + 0.1 * rnd.nextDouble()); // 5 kWp, Wh per half hour
            load[t] = h0[t] * 4.5 * 0.5 * (0.9 + 0.2 * rnd.nextDouble()); // 4,500 kWh a year
            forecastIndex[t] = cs[t] > 0 ? Math.min(1.2, cloud * (0.9 + 0.2 * rnd.nextDouble())) : 0;
        }
        return new Actual(new DayHistory(d, pv, load, forecastIndex), forecastIndex);
    }

    static double mae(double[] f, double[] a) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += Math.abs(f[t] - a[t]);
        }
        return s;
    }

    @Test
    void beatsPersistenceByMoreThanAFifthOnTownLikeDays() {
        LoadProfiles profiles = new LoadProfiles();
        Random rnd = new Random(2026);
        List<Actual> days = new ArrayList<>();
        LocalDate start = LocalDate.of(2026, 10, 5);
        for (int k = 0; k < 84; k++) {
            days.add(actualDay(start.plusDays(k), profiles, rnd));
        }
        double[] ours = new double[3];
        double[] pers = new double[3];
        for (int k = 56; k < 84; k++) {
            Actual a = days.get(k);
            List<DayHistory> past = days.subList(k - 28, k).stream().map(Actual::day).toList();
            SiteForecast f = SiteForecaster.forecast(past, a.day().day(), a.index(), SLOTS);
            SiteForecast p = SiteForecaster.persistence(past, a.day().day(), SLOTS);
            SiteForecast actual = SiteForecast.of(a.day().day(), a.day().pvWh(), a.day().loadWh());
            ours[0] += mae(f.pvWh(), actual.pvWh());
            ours[1] += mae(f.loadWh(), actual.loadWh());
            ours[2] += mae(f.surplusWh(), actual.surplusWh());
            pers[0] += mae(p.pvWh(), actual.pvWh());
            pers[1] += mae(p.loadWh(), actual.loadWh());
            pers[2] += mae(p.surplusWh(), actual.surplusWh());
        }
        log.info("forecast / persistence MAE: PV {}, load {}, net surplus {}", String.format("%.3f", ours[0] / pers[0]),
                String.format("%.3f", ours[1] / pers[1]), String.format("%.3f", ours[2] / pers[2]));
        assertThat(ours[0]).isLessThan(0.8 * pers[0]);
        assertThat(ours[1]).isLessThan(0.8 * pers[1]);
        assertThat(ours[2]).isLessThan(0.8 * pers[2]);
    }
}
