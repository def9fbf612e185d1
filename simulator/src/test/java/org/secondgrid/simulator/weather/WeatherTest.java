package org.secondgrid.simulator.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeatherTest {

    static Weather weather(long seed) {
        return new Weather(seed, ZoneId.of("Asia/Tokyo"), 37.49, 139.93, 5);
    }

    @Test
    void sameSeedSameWeatherWhateverWasAskedBefore() {
        LocalDate d = LocalDate.of(2026, 12, 5);
        Weather a = weather(7);
        Weather b = weather(7);
        b.clearSkyIndex(d.plusDays(30)); // other days first: must not change day d
        assertThat(a.clearSkyIndex(d)).isEqualTo(b.clearSkyIndex(d));
        assertThat(a.regime(d)).isEqualTo(b.regime(d));
        assertThat(weather(8).clearSkyIndex(d)).isNotEqualTo(a.clearSkyIndex(d));
    }

    @Test
    void indexStaysInBoundsAndRegimesVaryAndPersist() {
        Weather w = weather(3);
        Map<Regime, Integer> count = new EnumMap<>(Regime.class);
        int same = 0;
        LocalDate d0 = LocalDate.of(2026, 1, 1);
        for (int i = 0; i < 365; i++) {
            LocalDate d = d0.plusDays(i);
            for (double k : w.clearSkyIndex(d)) {
                assertThat(k).isBetween(Weather.K_MIN, Weather.K_MAX);
            }
            count.merge(w.regime(d), 1, Integer::sum);
            if (w.regime(d) == w.regime(d.minusDays(1))) {
                same++;
            }
        }
        assertThat(count).containsOnlyKeys(Regime.values());
        assertThat(same).isGreaterThan(365 / 2); // regimes persist (chain stays with p = 0.6)
    }

    @Test
    void forecastIsCloseButNotPerfectAndZeroAtNight() {
        Weather w = weather(5);
        WeatherForecast f = new WeatherForecast(w, 5);
        double errSum = 0;
        double truthSum = 0;
        LocalDate d0 = LocalDate.of(2026, 10, 1);
        for (int i = 0; i < 60; i++) {
            LocalDate d = d0.plusDays(i);
            double[] truth = w.slotIndex(d, 30);
            double[] fc = f.forDay(d, 30);
            assertThat(fc).hasSize(48);
            assertThat(fc[0]).isZero();
            for (int s = 0; s < 48; s++) {
                assertThat(fc[s]).isBetween(0.0, 1.2);
                errSum += Math.abs(fc[s] - truth[s]);
                truthSum += truth[s];
            }
        }
        double nmae = errSum / truthSum;
        assertThat(nmae).isBetween(0.08, 0.6);
    }
}
