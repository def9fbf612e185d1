package org.secondgrid.matcher.check;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the checker found.
 *
 * @param violations            every broken rule, in the order found
 * @param welfareRecomputedJpy  W recomputed from the schedule and the instance
 * @param welfareReportedJpy    the solution's {@code welfareJpy}
 * @param records               energy records checked (grid deliveries + stop slots) plus itineraries
 */
public record CheckReport(List<Violation> violations, double welfareRecomputedJpy, double welfareReportedJpy,
                          int records) {

    public CheckReport {
        violations = List.copyOf(violations);
    }

    /** Feasible and welfare right: no violation at all. */
    public boolean ok() {
        return violations.isEmpty();
    }

    /** The distinct rule names reported. */
    public Set<String> rules() {
        Set<String> out = new TreeSet<>();
        violations.forEach(v -> out.add(v.rule()));
        return out;
    }
}
