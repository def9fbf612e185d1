package org.secondgrid.gateway.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.generate.DayKind;

/**
 * The forecaster's similar days use the matcher's calendar ({@link DayKind}); this pins it to Japan's
 * published national holidays of 2026 and 2027 (weekday ones; weekend ones are off days anyway).
 */
class HolidayCalendarTest {

    static final List<String> WEEKDAY_HOLIDAYS = List.of(
            // 2026
            "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29", "2026-05-04",
            "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11", "2026-09-21", "2026-09-22", "2026-09-23",
            "2026-10-12", "2026-11-03", "2026-11-23",
            // 2027
            "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-22", "2027-04-29", "2027-05-03",
            "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23", "2027-10-11",
            "2027-11-03", "2027-11-23");

    @Test
    void japaneseHolidaysOf2026And2027AreOffDays() {
        for (String d : WEEKDAY_HOLIDAYS) {
            assertThat(DayKind.of(LocalDate.parse(d))).as(d).isEqualTo(DayKind.SUNDAY);
        }
    }

    @Test
    void ordinaryDaysAndTheYearEndBreak() {
        assertThat(DayKind.of(LocalDate.parse("2026-12-04"))).isEqualTo(DayKind.WORKDAY); // Friday
        assertThat(DayKind.of(LocalDate.parse("2026-12-05"))).isEqualTo(DayKind.SATURDAY);
        assertThat(DayKind.of(LocalDate.parse("2026-09-24"))).isEqualTo(DayKind.WORKDAY);
        assertThat(DayKind.of(LocalDate.parse("2027-03-23"))).isEqualTo(DayKind.WORKDAY);
        assertThat(DayKind.of(LocalDate.parse("2026-12-31"))).isEqualTo(DayKind.SUNDAY);
        assertThat(DayKind.of(LocalDate.parse("2027-01-04"))).isEqualTo(DayKind.WORKDAY);
    }
}
