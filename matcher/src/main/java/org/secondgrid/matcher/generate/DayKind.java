package org.secondgrid.matcher.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;

/**
 * Which load-profile day a date is (BDEW: workday, saturday, sunday; holidays count as sunday) and which
 * BDEW season it falls in. Holidays are Japan's national holidays under the current law (fixed dates,
 * "Happy Monday" days, equinoxes by the usual approximation, substitute and in-between holidays) plus the
 * year-end break Dec 31 – Jan 3 that factories and offices take.
 */
public enum DayKind {
    WORKDAY("workday"), SATURDAY("saturday"), SUNDAY("sunday");

    private final String bdew;

    DayKind(String bdew) {
        this.bdew = bdew;
    }

    /** The name used in the BDEW table. */
    public String bdew() {
        return bdew;
    }

    public static DayKind of(LocalDate day) {
        if (day.getDayOfWeek() == DayOfWeek.SUNDAY || isHoliday(day) || isYearEndBreak(day)) {
            return SUNDAY;
        }
        return day.getDayOfWeek() == DayOfWeek.SATURDAY ? SATURDAY : WORKDAY;
    }

    /** BDEW season: winter Nov 1 – Mar 20, summer May 15 – Sep 14, transition otherwise. */
    public static String season(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        if (!md.isBefore(MonthDay.of(11, 1)) || !md.isAfter(MonthDay.of(3, 20))) {
            return "winter";
        }
        if (!md.isBefore(MonthDay.of(5, 15)) && !md.isAfter(MonthDay.of(9, 14))) {
            return "summer";
        }
        return "transition";
    }

    static boolean isYearEndBreak(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        return md.equals(MonthDay.of(12, 31)) || day.getMonthValue() == 1 && day.getDayOfMonth() <= 3;
    }

    /** A Japanese national holiday (including substitute and in-between holidays). */
    public static boolean isHoliday(LocalDate day) {
        if (isBaseHoliday(day)) {
            return true;
        }
        // Substitute holiday: the first non-holiday after a holiday that fell on a Sunday.
        LocalDate d = day.minusDays(1);
        while (isBaseHoliday(d)) {
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                return true;
            }
            d = d.minusDays(1);
        }
        // Citizens' holiday: a weekday squeezed between two holidays.
        return day.getDayOfWeek() != DayOfWeek.SUNDAY && isBaseHoliday(day.minusDays(1)) && isBaseHoliday(day.plusDays(1));
    }

    private static boolean isBaseHoliday(LocalDate day) {
        int y = day.getYear();
        int m = day.getMonthValue();
        int d = day.getDayOfMonth();
        return switch (m) {
            case 1 -> d == 1 || day.equals(nthMonday(y, 1, 2));
            case 2 -> d == 11 || d == 23;
            case 3 -> d == vernalEquinox(y);
            case 4 -> d == 29;
            case 5 -> d >= 3 && d <= 5;
            case 7 -> day.equals(nthMonday(y, 7, 3));
            case 8 -> d == 11;
            case 9 -> day.equals(nthMonday(y, 9, 3)) || d == autumnalEquinox(y);
            case 10 -> day.equals(nthMonday(y, 10, 2));
            case 11 -> d == 3 || d == 23;
            default -> false;
        };
    }

    private static LocalDate nthMonday(int year, int month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }

    static int vernalEquinox(int y) {
        return (int) (20.8431 + 0.242194 * (y - 1980) - Math.floorDiv(y - 1980, 4));
    }

    static int autumnalEquinox(int y) {
        return (int) (23.2488 + 0.242194 * (y - 1980) - Math.floorDiv(y - 1980, 4));
    }
}
