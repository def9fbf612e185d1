package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Improves a schedule one EV at a time with all other EVs fixed: the EV's usage is taken out, a {@link Chooser}
 * picks its best day against what the others use, and a better day replaces it as a pinned plan.
 */
final class OneEvAtATime {

    /** Largest battery first, then by EV index (stable). */
    static final Comparator<EvRoute> BY_CAPACITY = Comparator
            .comparingDouble((EvRoute r) -> -r.getEv().ev().capacityKwh())
            .thenComparingInt(r -> r.getEv().index());

    /** Picks an EV's day given what the other EVs use; returns {@code current} to keep it. */
    interface Chooser {
        RoutePlan choose(EvRoute route, RoutePlan current, SiteSlotUsage others, long deadlineNanos);
    }

    private OneEvAtATime() {
    }

    /** Improves routes in place until {@code deadlineNanos}; returns how many EVs got a better day. */
    static int improve(List<EvRoute> routes, long deadlineNanos, Chooser chooser) {
        SiteSlotUsage usage = new SiteSlotUsage();
        routes.forEach(r -> usage.add(r.plan()));
        List<EvRoute> order = new ArrayList<>(routes);
        order.sort(BY_CAPACITY);
        int improved = 0;
        for (EvRoute route : order) {
            if (System.nanoTime() > deadlineNanos) {
                break;
            }
            if (route.isFixed()) {
                continue; // an accepted job: its usage stays in, its day is not ours to change
            }
            RoutePlan current = route.plan();
            usage.remove(current);
            RoutePlan best = chooser.choose(route, current, usage, deadlineNanos);
            if (best != current) {
                routes.set(routes.indexOf(route), EvRoute.pinned(route.getEv(), best));
                improved++;
            }
            usage.add(best);
        }
        return improved;
    }
}
