package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Makes a schedule feasible whatever the search reached: EV routes that break a rule on their own are sent home,
 * then routes are admitted best surplus first and any that no longer fits next to the others is sent home too.
 * An EV at home is always feasible, so the result always is.
 */
final class Repair {

    private Repair() {
    }

    /** Returns how many routes were sent home. */
    static int makeFeasible(List<EvRoute> routes, ResidualMarket residual) {
        int dropped = 0;
        List<EvRoute> order = new ArrayList<>(routes);
        // accepted jobs first and always kept: the others must fit around them
        order.sort(Comparator.comparing((EvRoute r) -> !r.isFixed())
                .thenComparingLong((EvRoute r) -> -r.plan().surplusUnits())
                .thenComparingInt(r -> r.getEv().index()));
        SiteSlotUsage usage = new SiteSlotUsage();
        for (EvRoute r : order) {
            RoutePlan p = r.plan();
            if (p.isEmpty()) {
                continue;
            }
            boolean selfOk = p.reserveDeficitWh() == 0 && p.lateSlots() == 0 && p.undeliveredWh() == 0
                    && p.surplusUnits() >= 0;
            if (r.isFixed() || selfOk && usage.fits(p, residual)) {
                usage.add(p);
            } else {
                r.getVisits().clear();
                dropped++;
            }
        }
        return dropped;
    }
}
