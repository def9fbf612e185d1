package org.secondgrid.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownGenerator;
import org.secondgrid.simulator.town.TownSpec;

class ForecastBenchTest {

    @Test
    void scoresTheForecasterAndPersistenceAndAPerfectWeatherFeedHelpsPv() {
        Town town = TownGenerator.generate(TownSpec.small(3));
        LocalDate end = LocalDate.of(2026, 12, 6);
        ForecastBench.Result real = ForecastBench.run(town, end, 28, 7, false);
        ForecastBench.Result perfect = ForecastBench.run(town, end, 28, 7, true);
        for (double v : new double[] {real.pvModel(), real.loadModel(), real.surplusModel(), real.pvPersistence(),
                real.loadPersistence(), real.surplusPersistence(), real.pvPotentialModel()}) {
            assertThat(v).isFinite().isPositive();
        }
        assertThat(real.historyDays()).isEqualTo(21);
        assertThat(real.sites()).isEqualTo(town.sites().size());
        // persistence does not use the weather feed; the forecaster does
        assertThat(perfect.pvPersistence()).isEqualTo(real.pvPersistence());
        assertThat(perfect.pvPotentialModel()).isLessThan(real.pvPotentialModel());
    }
}
