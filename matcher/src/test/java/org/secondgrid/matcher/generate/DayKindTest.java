package org.secondgrid.matcher.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DayKindTest {

    @Test
    void weekdaysWeekendsAndJapaneseHolidays() {
        assertThat(DayKind.of(LocalDate.of(2026, 12, 5))).isEqualTo(DayKind.SATURDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 12, 6))).isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 12, 7))).isEqualTo(DayKind.WORKDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 11, 3))).as("Culture Day").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 1, 12))).as("Coming of Age Day").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 3, 20))).as("Vernal Equinox 2026").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 9, 23))).as("Autumnal Equinox 2026").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 9, 22))).as("citizens' holiday 2026").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 5, 6))).as("substitute for May 3 (Sunday)").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 5, 7))).isEqualTo(DayKind.WORKDAY);
        assertThat(DayKind.of(LocalDate.of(2027, 1, 2))).as("year-end break").isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.of(2026, 12, 28))).isEqualTo(DayKind.WORKDAY);
    }

    @Test
    void bdewSeasons() {
        assertThat(DayKind.season(LocalDate.of(2026, 12, 5))).isEqualTo("winter");
        assertThat(DayKind.season(LocalDate.of(2026, 3, 20))).isEqualTo("winter");
        assertThat(DayKind.season(LocalDate.of(2026, 3, 21))).isEqualTo("transition");
        assertThat(DayKind.season(LocalDate.of(2026, 5, 15))).isEqualTo("summer");
        assertThat(DayKind.season(LocalDate.of(2026, 9, 14))).isEqualTo("summer");
        assertThat(DayKind.season(LocalDate.of(2026, 10, 31))).isEqualTo("transition");
        assertThat(DayKind.season(LocalDate.of(2026, 11, 1))).isEqualTo("winter");
    }
}
