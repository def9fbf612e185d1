package org.secondgrid.gateway.market;

import java.time.Instant;
import java.time.LocalDate;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

/**
 * One published schedule version of a delivery day.
 *
 * @param stage  gate (at gate closure), replan (after a decline), final (what delivery and settlement use)
 * @param source matcher, or greedy when the matcher failed or missed its deadline (see {@code note})
 */
public record PublishedSchedule(String market, LocalDate day, int version, Stage stage, Source source,
                                Instance instance, Solution solution, String note, Instant createdAt) {

    public enum Stage {
        GATE, REPLAN, FINAL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Source {
        MATCHER, GREEDY;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
