package org.secondgrid.gateway.delivery;

import java.time.LocalDate;
import java.util.Optional;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

/**
 * Where delivery finds a market day's final schedule, e.g. market-core's
 * {@code ScheduleStore#finalSchedule(market, day)} mapped to its instance and solution.
 */
@FunctionalInterface
public interface ScheduleSource {

    /** A final schedule: the instance cleared and its solution. */
    record FinalSchedule(Instance instance, Solution solution) {
    }

    Optional<FinalSchedule> finalSchedule(String market, LocalDate day);

    static ScheduleSource none() {
        return (m, d) -> Optional.empty();
    }
}
