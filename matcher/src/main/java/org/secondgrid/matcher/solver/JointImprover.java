package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Grid and EVs traded against each other: one EV at a time, with the other EVs fixed, its day is re-planned against
 * the whole market (not just what the grid-first clearing left), and a change is kept only if the EV pool's surplus
 * plus the exact grid re-clearing of the slots it touches goes up. An EV may so take a buyer's load from the grid
 * when its energy (curtailed surplus) is worth more there than the grid's. Costs one slot clearing per candidate and
 * slot, so it runs on towns up to {@link #MAX_SITES} sites.
 */
final class JointImprover {

    static final int MAX_SITES = 1500;
    private static final int SHORTLIST = 8;

    private final MarketIndex m;
    private final ResidualMarket full;
    private final RouteImprover shapes;
    private final long[][] offerScratch;
    private final long[][] bidScratch;

    JointImprover(MarketIndex m) {
        this.m = m;
        this.full = new ResidualMarket(m, m.offersWh(), m.bidsWh(), 0);
        this.shapes = new RouteImprover(full);
        this.offerScratch = new long[m.siteCount()][m.slots()];
        this.bidScratch = new long[m.siteCount()][m.slots()];
    }

    /** Improves routes in place until {@code deadlineNanos}; returns how many EVs got a better day. */
    int improve(List<EvRoute> routes, long deadlineNanos) {
        return OneEvAtATime.improve(routes, deadlineNanos, this::choose);
    }

    private RoutePlan choose(EvRoute route, RoutePlan current, SiteSlotUsage usage, long deadlineNanos) {
        RoutePlanner planner = new RoutePlanner(usage.leftFor(full));
        List<RoutePlan> options = new ArrayList<>();
        for (List<Visit> visits : shapes.visitSequences(route, current)) {
            RoutePlan p = planner.plan(route.getEv(), visits);
            if (RouteImprover.acceptable(p, usage, full)) {
                options.add(p);
            }
        }
        options.sort(Comparator.comparingLong((RoutePlan p) -> -p.surplusUnits()));
        RoutePlan best = current;
        long bestGain = 0;
        for (RoutePlan p : options.subList(0, Math.min(SHORTLIST, options.size()))) {
            if (System.nanoTime() > deadlineNanos) {
                break;
            }
            long gain = p.surplusUnits() - current.surplusUnits() + gridDelta(usage, current, p);
            if (gain > bestGain) {
                bestGain = gain;
                best = p;
            }
        }
        return best;
    }

    /** Grid welfare with {@code next} instead of {@code current}, on the slots either touches. */
    private long gridDelta(SiteSlotUsage usage, RoutePlan current, RoutePlan next) {
        Set<Integer> slots = new TreeSet<>();
        current.actions().forEach(a -> slots.add(a.slot()));
        next.actions().forEach(a -> slots.add(a.slot()));
        long delta = 0;
        for (int t : slots) {
            delta += slotWelfare(usage, t, next) - slotWelfare(usage, t, current);
        }
        return delta;
    }

    /** Grid welfare of slot t when the other EVs ({@code usage}) and {@code plan} have taken their part. */
    private long slotWelfare(SiteSlotUsage usage, int t, RoutePlan plan) {
        for (int s = 0; s < m.siteCount(); s++) {
            offerScratch[s][t] = m.offerWh(s, t) - usage.chargedWh(s, t);
            bidScratch[s][t] = m.bidWh(s, t) - usage.dischargedWh(s, t);
        }
        for (EnergyAction a : plan.actions()) {
            if (a.slot() == t) {
                if (a.charge()) {
                    offerScratch[a.site()][t] -= a.wh();
                } else {
                    bidScratch[a.site()][t] -= a.wh();
                }
            }
        }
        return GridClearing.slotWelfare(m, t, offerScratch, bidScratch);
    }
}
