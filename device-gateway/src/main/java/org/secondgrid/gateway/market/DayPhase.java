package org.secondgrid.gateway.market;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Where a delivery day is in its cycle. Pure logic: from the settings, the clock's instant and the
 * steps already done, which phase the day is in and which step is due next.
 */
public enum DayPhase {
    /** Before gate closure: orders and EV availability are open. */
    ORDERS_OPEN,
    /** After gate closure, before the job deadline: jobs are offered, owners accept or decline. */
    JOBS_OPEN,
    /** After the job deadline, before the final schedule. */
    JOBS_CLOSED,
    /** Final schedule published. */
    FINAL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A step of the cycle. */
    public enum Step { GATE_CLOSURE, JOB_DEADLINE, FINAL }

    /** Steps already done for a day (from table {@code market_day}). */
    public record Done(boolean gate, boolean deadline, boolean fin) {
        public static final Done NONE = new Done(false, false, false);
    }

    /** The phase by the clock alone. */
    public static DayPhase at(MarketSettings s, LocalDate day, Instant now) {
        if (now.isBefore(s.gateClosureOf(day))) {
            return ORDERS_OPEN;
        }
        if (now.isBefore(s.jobDeadlineOf(day))) {
            return JOBS_OPEN;
        }
        if (now.isBefore(s.finalOf(day))) {
            return JOBS_CLOSED;
        }
        return FINAL;
    }

    /**
     * The phase by the clock and by the steps already run (a step run on demand before its time moves the
     * day on: orders close with gate closure whenever it ran).
     */
    public static DayPhase of(MarketSettings s, LocalDate day, Instant now, Done done) {
        DayPhase byClock = at(s, day, now);
        DayPhase bySteps = done.fin() ? FINAL : done.deadline() ? JOBS_CLOSED : done.gate() ? JOBS_OPEN : ORDERS_OPEN;
        return byClock.compareTo(bySteps) >= 0 ? byClock : bySteps;
    }

    /** The next step whose time has come and that has not run, or null. Steps run in order. */
    public static Step due(MarketSettings s, LocalDate day, Instant now, Done done) {
        if (!done.gate()) {
            return now.isBefore(s.gateClosureOf(day)) ? null : Step.GATE_CLOSURE;
        }
        if (!done.deadline()) {
            return now.isBefore(s.jobDeadlineOf(day)) ? null : Step.JOB_DEADLINE;
        }
        if (!done.fin()) {
            return now.isBefore(s.finalOf(day)) ? null : Step.FINAL;
        }
        return null;
    }
}
