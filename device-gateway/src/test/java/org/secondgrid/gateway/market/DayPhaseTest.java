package org.secondgrid.gateway.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DayPhaseTest {

    static final LocalDate D = LocalDate.of(2026, 12, 5);
    final MarketSettings s = MarketSettings.defaults();

    static Instant tokyo(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(ZoneId.of("Asia/Tokyo")).toInstant();
    }

    @Test
    void defaultTimesAreTheDayBeforeInTokyo() {
        assertThat(s.gateClosureOf(D)).isEqualTo(tokyo("2026-12-04T10:00"));
        assertThat(s.jobDeadlineOf(D)).isEqualTo(tokyo("2026-12-04T14:00"));
        assertThat(s.finalOf(D)).isEqualTo(tokyo("2026-12-04T17:00"));
        assertThat(s.gateClosureOf(D)).isEqualTo(Instant.parse("2026-12-04T01:00:00Z"));
        assertThat(s.matcherDeadline()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.retailTariffJpyPerKwh()).isEqualTo(30);
        assertThat(s.slotsOf(D)).isEqualTo(48);
    }

    @Test
    void phaseFollowsTheClock() {
        assertThat(DayPhase.at(s, D, tokyo("2026-12-04T09:59:59"))).isEqualTo(DayPhase.ORDERS_OPEN);
        assertThat(DayPhase.at(s, D, tokyo("2026-12-04T10:00"))).isEqualTo(DayPhase.JOBS_OPEN);
        assertThat(DayPhase.at(s, D, tokyo("2026-12-04T14:00"))).isEqualTo(DayPhase.JOBS_CLOSED);
        assertThat(DayPhase.at(s, D, tokyo("2026-12-04T17:00"))).isEqualTo(DayPhase.FINAL);
        assertThat(DayPhase.JOBS_OPEN.wire()).isEqualTo("jobs-open");
    }

    @Test
    void stepsAreDueInOrderOnceTheirTimeHasCome() {
        DayPhase.Done none = DayPhase.Done.NONE;
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T09:00"), none)).isNull();
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T10:00"), none)).isEqualTo(DayPhase.Step.GATE_CLOSURE);
        // a clock that jumped past everything still runs gate closure first
        assertThat(DayPhase.due(s, D, tokyo("2026-12-05T12:00"), none)).isEqualTo(DayPhase.Step.GATE_CLOSURE);
        DayPhase.Done gate = new DayPhase.Done(true, false, false);
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T13:59"), gate)).isNull();
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T14:00"), gate)).isEqualTo(DayPhase.Step.JOB_DEADLINE);
        DayPhase.Done deadline = new DayPhase.Done(true, true, false);
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T16:59"), deadline)).isNull();
        assertThat(DayPhase.due(s, D, tokyo("2026-12-04T17:00"), deadline)).isEqualTo(DayPhase.Step.FINAL);
        assertThat(DayPhase.due(s, D, tokyo("2026-12-05T17:00"), new DayPhase.Done(true, true, true))).isNull();
    }

    @Test
    void stepsRunOnDemandMoveThePhaseOn() {
        Instant early = tokyo("2026-12-04T08:00");
        assertThat(DayPhase.of(s, D, early, DayPhase.Done.NONE)).isEqualTo(DayPhase.ORDERS_OPEN);
        assertThat(DayPhase.of(s, D, early, new DayPhase.Done(true, false, false))).isEqualTo(DayPhase.JOBS_OPEN);
        assertThat(DayPhase.of(s, D, early, new DayPhase.Done(true, true, false))).isEqualTo(DayPhase.JOBS_CLOSED);
        assertThat(DayPhase.of(s, D, early, new DayPhase.Done(true, true, true))).isEqualTo(DayPhase.FINAL);
        // the clock wins when it is further on
        assertThat(DayPhase.of(s, D, tokyo("2026-12-04T15:00"), new DayPhase.Done(true, false, false)))
                .isEqualTo(DayPhase.JOBS_CLOSED);
    }

    @Test
    void timesAndZoneAreConfigurable() {
        MarketSettings c = MarketSettings.fromEnv(Map.of("MARKET_TIME_ZONE", "Europe/Berlin",
                "MARKET_GATE_CLOSURE", "12:00", "MARKET_JOB_DEADLINE", "15:30", "MARKET_FINAL", "18:00",
                "MATCHER_DEADLINE_SECONDS", "7.5", "RETAIL_TARIFF_JPY_PER_KWH", "32"));
        assertThat(c.gateClosure()).isEqualTo(LocalTime.NOON);
        assertThat(c.gateClosureOf(D)).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
        assertThat(c.jobDeadlineOf(D)).isEqualTo(Instant.parse("2026-12-04T14:30:00Z"));
        assertThat(c.matcherDeadline()).isEqualTo(Duration.ofMillis(7500));
        assertThat(c.retailTariffJpyPerKwh()).isEqualTo(32);
        // a DST day has 46 or 50 half-hour slots
        assertThat(c.slotsOf(LocalDate.of(2026, 3, 29))).isEqualTo(46);
        assertThat(c.slotsOf(LocalDate.of(2026, 10, 25))).isEqualTo(50);
    }

    @Test
    void badSettingsNameTheVariableAndValue() {
        assertThatThrownBy(() -> MarketSettings.fromEnv(Map.of("MARKET_GATE_CLOSURE", "10h")))
                .hasMessageContaining("MARKET_GATE_CLOSURE").hasMessageContaining("10h");
        assertThatThrownBy(() -> MarketSettings.fromEnv(Map.of("MARKET_TIME_ZONE", "Mars/Olympus")))
                .hasMessageContaining("MARKET_TIME_ZONE").hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> MarketSettings.fromEnv(Map.of("MATCHER_DEADLINE_SECONDS", "-1")))
                .hasMessageContaining("MATCHER_DEADLINE_SECONDS").hasMessageContaining("-1");
        assertThatThrownBy(() -> MarketSettings.fromEnv(Map.of("MARKET_JOB_DEADLINE", "09:00")))
                .isInstanceOf(MarketException.class).hasMessageContaining("09:00");
        assertThatThrownBy(() -> MarketSettings.fromEnv(Map.of("SLOT_MINUTES", "7")))
                .hasMessageContaining("SLOT_MINUTES").hasMessageContaining("7");
    }
}
