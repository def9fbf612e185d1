package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Site;

/**
 * After the search, one EV at a time with all others fixed: re-plan it against what the others leave (energy and
 * free ports per slot) and keep the best of its current day, its current stops plus one more charge-and-deliver
 * cycle, and the standard shuttles — as a pinned plan. Coordinates EVs that the search, which plans each EV on its
 * own, could not fit together (e.g. two EVs taking turns at a one-port shop), and never makes the schedule worse.
 */
final class RouteImprover {

    /** How many of the best shapes get their timing tuned. */
    private static final int RETIMED = 3;

    private final ResidualMarket residual;
    private final MarketIndex m;
    private final List<Integer> chargeSites = new ArrayList<>();
    private final List<Integer> dischargeSites = new ArrayList<>();

    RouteImprover(ResidualMarket residual) {
        this.residual = residual;
        this.m = residual.market();
        for (int s = 0; s < m.siteCount(); s++) {
            Site site = m.site(s);
            if (site.ports() > 0 && site.chargerKw() > 0) {
                chargeSites.add(s);
            }
            if (site.ports() > 0 && site.v2xKw() > 0) {
                dischargeSites.add(s);
            }
        }
    }

    /** Improves routes in place until {@code deadlineNanos}; returns how many EVs got a better day. */
    int improve(List<EvRoute> routes, long deadlineNanos) {
        return OneEvAtATime.improve(routes, deadlineNanos, this::choose);
    }

    private RoutePlan choose(EvRoute route, RoutePlan current, SiteSlotUsage usage, long deadlineNanos) {
        RoutePlanner planner = new RoutePlanner(usage.leftFor(residual));
        List<RoutePlan> feasible = new ArrayList<>();
        for (List<Visit> seq : visitSequences(route, current)) {
            RoutePlan p = planner.plan(route.getEv(), seq);
            if (fits(p, usage, residual)) {
                feasible.add(p);
            }
        }
        // the best few shapes, profitable or not yet: better timing can make a losing shuttle pay
        feasible.sort(java.util.Comparator.comparingLong((RoutePlan p) -> -p.surplusUnits()));
        RoutePlan best = current;
        for (RoutePlan p : feasible.subList(0, Math.min(RETIMED, feasible.size()))) {
            RoutePlan timed = retime(route, p, planner, usage, deadlineNanos);
            if (acceptable(timed, usage, residual) && timed.surplusUnits() > best.surplusUnits()) {
                best = timed;
            }
        }
        return best;
    }

    private List<Visit> visits(List<Integer> sites) {
        List<Visit> visits = new ArrayList<>(sites.size());
        for (int site : sites) {
            visits.add(new Visit(-1, site, m.site(site).id()));
        }
        return visits;
    }

    /** Feasible on its own, profitable, and fits next to the other EVs' usage in {@code market}. */
    static boolean acceptable(RoutePlan p, SiteSlotUsage usage, ResidualMarket market) {
        return fits(p, usage, market) && p.surplusUnits() > 0;
    }

    /** Does something, breaks no rule on its own and fits next to the other EVs' usage in {@code market}. */
    static boolean fits(RoutePlan p, SiteSlotUsage usage, ResidualMarket market) {
        return !p.isEmpty() && p.reserveDeficitWh() == 0 && p.lateSlots() == 0 && p.undeliveredWh() == 0
                && usage.fits(p, market);
    }

    /** The stop sequences worth trying for an EV: its current stops, plus one more cycle, plus the standard ones. */
    List<List<Visit>> visitSequences(EvRoute route, RoutePlan current) {
        return candidates(route, current).stream().map(this::visits).toList();
    }

    /**
     * Timing: tries leaving each stop (and, for a day with spare time, adding a last charge-and-deliver cycle)
     * a few slots earlier than the greedy plan does, keeping every change that pays.
     */
    private RoutePlan retime(EvRoute route, RoutePlan plan, RoutePlanner planner, SiteSlotUsage usage,
                             long deadlineNanos) {
        if (plan.isEmpty()) {
            return plan;
        }
        RoutePlan best = plan;
        boolean again = true;
        for (int round = 0; round < 6 && again && System.nanoTime() < deadlineNanos; round++) {
            again = false;
            List<Integer> sites = best.stops().stream().map(RoutePlan.PlannedStop::site).toList();
            List<List<Integer>> shapes = new ArrayList<>();
            shapes.add(sites);
            List<Integer> more = new ArrayList<>(sites);
            more.addAll(sites.subList(Math.max(0, sites.size() - 2), sites.size()));
            shapes.add(more);
            for (List<Integer> shape : shapes) {
                int[] caps = new int[shape.size()];
                java.util.Arrays.fill(caps, Integer.MAX_VALUE);
                for (int k = 0; k < Math.min(best.stops().size(), shape.size()); k++) {
                    caps[k] = best.stops().get(k).depart();
                }
                for (int k = 0; k < Math.min(best.stops().size(), shape.size() - 1); k++) {
                    for (int earlier : new int[] {1, 2, 3, 5, 8}) {
                        int[] c = caps.clone();
                        c[k] = caps[k] - earlier;
                        RoutePlan p = planner.plan(route.getEv(), visits(shape), c);
                        if (fits(p, usage, residual) && p.surplusUnits() > best.surplusUnits()) {
                            best = p;
                            again = true;
                        }
                    }
                }
            }
        }
        return best;
    }

    private List<List<Integer>> candidates(EvRoute route, RoutePlan current) {
        int home = route.getEv().home();
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> stops = current.stops().stream().map(RoutePlan.PlannedStop::site).toList();
        if (!stops.isEmpty()) {
            out.add(stops);
            List<Integer> cs = InitialRoutes.nearest(m, stops.getLast(), chargeSites);
            List<Integer> ds = InitialRoutes.nearest(m, home, dischargeSites);
            for (int c : cs) {
                for (int d : ds) {
                    if (c != d) {
                        List<Integer> more = new ArrayList<>(stops);
                        more.add(c);
                        more.add(d);
                        out.add(more);
                    }
                }
            }
        }
        for (int[] seq : InitialRoutes.sequences(m, home, chargeSites, dischargeSites, m.site(home).ports() > 0,
                true)) {
            List<Integer> l = new ArrayList<>(seq.length);
            for (int s : seq) {
                l.add(s);
            }
            out.add(l);
        }
        return out;
    }
}
