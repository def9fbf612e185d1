package org.secondgrid.simulator.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ClearSkyPvTest {

    private final ClearSkyPv aizu = new ClearSkyPv(37.5);

    @Test
    void darkAtNightPeakAtNoon() {
        LocalDate d = LocalDate.of(2026, 6, 21);
        assertThat(aizu.kwPerKwp(d, 0)).isZero();
        assertThat(aizu.kwPerKwp(d, 12)).isGreaterThan(aizu.kwPerKwp(d, 9)).isGreaterThan(aizu.kwPerKwp(d, 6));
    }

    @Test
    void winterNoonIsLowerThanSummerNoon() {
        assertThat(aizu.kwPerKwp(LocalDate.of(2026, 12, 21), 12))
                .isLessThan(aizu.kwPerKwp(LocalDate.of(2026, 6, 21), 12));
    }

    @Test
    void rejectsImpossibleLatitude() {
        assertThatThrownBy(() -> new ClearSkyPv(91)).hasMessageContaining("latitudeDeg must be in [-90, 90], was 91.0");
    }
}
