package org.secondgrid.gateway.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The metered view of a forecast: PV above load + export limit is what the inverter curtails. */
class MeteredForecastTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 5);

    @Test
    void aNoBackflowSiteMetersAtMostItsOwnLoadAsPv() {
        SiteForecast f = SiteForecast.of(DAY, new double[] {0, 5000, 20000}, new double[] {800, 1000, 1200},
                new double[] {0, 300, 900}, new double[] {50, 60, 70});
        SiteForecast m = f.metered(0);
        assertThat(m.pvWh()).containsExactly(0, 1000, 1200);
        assertThat(m.surplusWh()).containsExactly(-800, 0, 0);
        assertThat(m.loadWh()).containsExactly(800, 1000, 1200);
        assertThat(m.pvWhSd()).containsExactly(0, 300, 900);
    }

    @Test
    void anExportLimitLetsThatMuchSurplusThroughAndNoMore() {
        SiteForecast f = SiteForecast.of(DAY, new double[] {500, 2500, 4000}, new double[] {300, 300, 300});
        SiteForecast m = f.metered(2000);
        assertThat(m.pvWh()).containsExactly(500, 2300, 2300);
        assertThat(m.surplusWh()).containsExactly(200, 2000, 2000);
        assertThat(f.pvWh()).containsExactly(500, 2500, 4000); // the forecast itself is unchanged
    }

    @Test
    void aNegativeOrMissingLimitIsRefusedNamingIt() {
        SiteForecast f = SiteForecast.of(DAY, new double[] {1}, new double[] {1});
        assertThatThrownBy(() -> f.metered(-1)).hasMessageContaining("exportLimitWh").hasMessageContaining("-1");
        assertThatThrownBy(() -> f.metered(Double.NaN)).hasMessageContaining("NaN");
    }
}
