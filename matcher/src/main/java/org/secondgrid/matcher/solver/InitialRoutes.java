package org.secondgrid.matcher.solver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Travel;

/**
 * A quick first schedule for the search to improve: each EV, largest battery first, takes the best shuttle among
 * "charge at one of the nearest surplus sites, then discharge at home or at one or two of the nearest buyers"
 * that is feasible on its own, profitable, and fits next to the EVs already placed.
 */
final class InitialRoutes {

    private static final int NEAREST = 6;

    private InitialRoutes() {
    }

    static void build(MarketSchedule schedule, RoutePlanner planner) {
        MarketIndex m = schedule.getResidual().market();
        Map<Integer, Deque<Visit>> free = new LinkedHashMap<>();
        for (Visit v : schedule.getVisits()) {
            free.computeIfAbsent(v.site(), k -> new ArrayDeque<>()).add(v);
        }
        List<Integer> chargeSites = free.keySet().stream().filter(s -> m.site(s).chargerKw() > 0).toList();
        List<Integer> dischargeSites = free.keySet().stream().filter(s -> m.site(s).v2xKw() > 0).toList();
        SiteSlotUsage usage = new SiteSlotUsage();
        List<EvRoute> order = new ArrayList<>(schedule.getRoutes());
        order.sort(OneEvAtATime.BY_CAPACITY);
        order.stream().filter(EvRoute::isFixed).forEach(r -> usage.add(r.plan()));
        order.removeIf(EvRoute::isFixed);
        for (EvRoute route : order) {
            int home = route.getEv().home();
            List<int[]> candidates = sequences(m, home, chargeSites, dischargeSites, free.containsKey(home));
            RoutePlan best = null;
            List<Visit> bestVisits = null;
            for (int[] seq : candidates) {
                List<Visit> visits = take(free, seq);
                if (visits == null) {
                    continue;
                }
                RoutePlan p = planner.plan(route.getEv(), visits);
                boolean ok = !p.isEmpty() && p.reserveDeficitWh() == 0 && p.lateSlots() == 0
                        && p.undeliveredWh() == 0 && p.surplusUnits() > 0 && usage.fits(p, schedule.getResidual());
                if (ok && (best == null || p.surplusUnits() > best.surplusUnits())) {
                    best = p;
                    bestVisits = visits;
                }
            }
            if (best != null) {
                List<Visit> taken = new ArrayList<>();
                for (Visit v : bestVisits) {
                    taken.add(free.get(v.site()).poll());
                }
                route.getVisits().addAll(taken);
                usage.add(route.plan());
            }
        }
    }

    /**
     * Shuttles worth trying for an EV: storage at home, and "charge at one of the nearest surplus sites, then
     * discharge at one or two of the nearest buyers (home first)".
     */
    static List<int[]> sequences(MarketIndex m, int home, List<Integer> chargeSites, List<Integer> dischargeSites,
                                 boolean homeUsable) {
        return sequences(m, home, chargeSites, dischargeSites, homeUsable, false);
    }

    /**
     * As {@link #sequences(MarketIndex, int, List, List, boolean)}; {@code cycles} adds repeated shuttles between a
     * surplus site and a buyer, ending at either (e.g. home PV → shop → home PV → shop → home load).
     */
    static List<int[]> sequences(MarketIndex m, int home, List<Integer> chargeSites, List<Integer> dischargeSites,
                                 boolean homeUsable, boolean cycles) {
        List<Integer> cs = nearest(m, home, chargeSites);
        List<Integer> ds = nearest(m, home, dischargeSites);
        if (dischargeSites.contains(home) && !ds.contains(home)) {
            ds.addFirst(home);
        }
        List<int[]> candidates = new ArrayList<>();
        if (homeUsable) {
            candidates.add(new int[] {home}); // the EV as storage at home
        }
        for (int c : cs) {
            for (int d1 : ds) {
                if (d1 == c) {
                    continue;
                }
                candidates.add(new int[] {c, d1});
                candidates.add(new int[] {c, d1, c, d1});
                if (cycles) {
                    candidates.add(new int[] {c, d1, c});
                    candidates.add(new int[] {c, d1, c, d1, c});
                    candidates.add(new int[] {c, d1, c, d1, c, d1});
                }
                for (int d2 : ds) {
                    if (d2 != d1 && d2 != c) {
                        candidates.add(new int[] {c, d1, d2});
                    }
                }
            }
        }
        return candidates;
    }

    /** Peeks one free copy per site of the sequence, or null if a site has none left. */
    private static List<Visit> take(Map<Integer, Deque<Visit>> free, int[] seq) {
        List<Visit> out = new ArrayList<>(seq.length);
        Map<Integer, Integer> needed = new HashMap<>();
        for (int site : seq) {
            int n = needed.merge(site, 1, Integer::sum);
            Deque<Visit> q = free.get(site);
            if (q == null || q.size() < n) {
                return null;
            }
            out.add(q.stream().skip(n - 1).findFirst().orElseThrow());
        }
        return out;
    }

    static List<Integer> nearest(MarketIndex m, int home, List<Integer> sites) {
        Site h = m.site(home);
        return new ArrayList<>(sites.stream()
                .sorted(Comparator.comparingDouble((Integer s) -> Travel.greatCircleKm(h.lat(), h.lon(),
                        m.site(s).lat(), m.site(s).lon())))
                .limit(NEAREST)
                .toList());
    }
}
