package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hybrid's last step: the search fixed each EV's stops; the exact LP ({@link AmountsLp}) now sets the energy
 * amounts, and a local search moves the trip times (one departure at a time, a few slots earlier or later), each
 * candidate scored by the LP. In a small town the LP holds every EV and the grid of the slots they can trade in
 * (EV–EV and EV–grid coordination are exact); in a big one, one EV at a time against what the grid and the other
 * EVs leave. The result is rounded to whole Wh and kept only if the schedule's exact welfare goes up.
 */
final class LpPolish {

    private static final Logger LOG = LoggerFactory.getLogger(LpPolish.class);

    /** Towns up to this many sites get the joint LP (grid included); bigger ones one EV at a time. */
    static final int JOINT_MAX_SITES = 60;
    /**
     * Neighbourhood levels of the one-EV-at-a-time polish: trip shifts (slots), stop sites considered (nearest to
     * home), and sites of each kind for added charge-and-deliver pairs. Level 0 is the joint polish's; once a pass
     * over all EVs changes nothing, the next level widens the neighbourhood.
     */
    private static final int[][] SHIFTS_BY_LEVEL = {{-8, -4, -2, -1, 1, 2, 4, 8},
        {-10, -8, -6, -4, -3, -2, -1, 1, 2, 3, 4, 6, 8, 10},
        {-14, -12, -10, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14}};
    private static final int[] NEAR_BY_LEVEL = {8, 16, 24};
    private static final int[] PAIR_NEAR_BY_LEVEL = {8, 10, 12};
    private int level;
    /** The supply row of a site no candidate of the EV under polish can use (read only). */
    private final long[] noSupply;
    /** Evenly spread start slots tried for the trips around new stops. */
    private static final int GRID = 5;

    private final MarketIndex m;
    /** Sites where an EV could charge or discharge at all. */
    private final List<Integer> tradeSites = new ArrayList<>();
    private final List<Integer> chargeSites = new ArrayList<>();
    private final List<Integer> dischargeSites = new ArrayList<>();
    private final java.util.Map<Integer, Near> nearCache = new java.util.HashMap<>();

    /** The sites an EV's stops may be moved to or added at: the nearest ones to its home. */
    private record Near(List<Integer> trade, List<Integer> charge, List<Integer> discharge) {
    }

    private Near near(EvInfo ev) {
        int near = NEAR_BY_LEVEL[level];
        int pairs = PAIR_NEAR_BY_LEVEL[level];
        return nearCache.computeIfAbsent(level * 1_000_000 + ev.index(), k -> new Near(nearest(ev.home(),
                tradeSites, near), nearest(ev.home(), chargeSites, pairs), nearest(ev.home(), dischargeSites, pairs)));
    }

    private List<Integer> nearest(int home, List<Integer> sites, int count) {
        if (sites.size() <= count) {
            return sites;
        }
        var h = m.site(home);
        return sites.stream().sorted(java.util.Comparator.comparingDouble((Integer s) -> org.secondgrid.matcher
                        .domain.Travel.greatCircleKm(h.lat(), h.lon(), m.site(s).lat(), m.site(s).lon())))
                .limit(count).toList();
    }

    LpPolish(MarketIndex m) {
        this.m = m;
        this.noSupply = new long[m.slots()];
        for (int s = 0; s < m.siteCount(); s++) {
            var site = m.site(s);
            boolean offers = false;
            boolean bids = false;
            for (int t = 0; t < m.slots(); t++) {
                offers |= m.offerWh(s, t) > 0;
                bids |= m.bidWh(s, t) > 0;
            }
            if (site.ports() > 0 && site.chargerKw() > 0 && offers) {
                chargeSites.add(s);
            }
            if (site.ports() > 0 && site.v2xKw() > 0 && bids) {
                dischargeSites.add(s);
            }
            if (site.ports() > 0 && ((site.chargerKw() > 0 && offers) || (site.v2xKw() > 0 && bids))) {
                tradeSites.add(s);
            }
        }
    }

    /** True when the town is small enough for the joint LP of all EVs and the grid. */
    static boolean isJoint(MarketIndex m) {
        return m.siteCount() <= JOINT_MAX_SITES;
    }

    /** Starts loading the LP solver's native library in the background (no-op once loaded). */
    static void preload() {
        Thread.ofVirtual().start(AmountsLp.Lp::available);
    }

    /** True when the LP solver loads here. */
    static boolean available() {
        return AmountsLp.Lp.available();
    }

    /**
     * Polishes the routes in place (better days become pinned plans) until {@code deadlineNanos}; returns the
     * welfare gained in money units (0 if nothing changed). {@code residual} is the grid-first residual market.
     */
    long polish(List<EvRoute> routes, ResidualMarket residual, long deadlineNanos) {
        if (routes.stream().allMatch(r -> r.plan().isEmpty())) {
            return 0;
        }
        return isJoint(m) ? joint(routes, deadlineNanos) : oneAtATime(routes, residual,
                deadlineNanos);
    }

    // ---------------------------------------------------------------------------------------------------------
    // joint: all EVs and the grid in one LP

    private long joint(List<EvRoute> routes, long deadlineNanos) {
        long t0 = System.nanoTime();
        List<RoutePlan> before = routes.stream().map(EvRoute::plan).toList();
        long beforeWelfare = welfare(before);
        List<FixedItinerary> its = new ArrayList<>();
        List<Integer> evOf = new ArrayList<>();
        for (int v = 0; v < routes.size(); v++) {
            RoutePlan p = before.get(v);
            if (routes.get(v).isFixed()) {
                continue; // an accepted job: outside the LP, its energy and ports taken off (JointState)
            }
            FixedItinerary it = FixedItinerary.ofPlan(m, routes.get(v).getEv(), p);
            if (it != null || p.isEmpty()) {
                its.add(it); // null: at home, the search may still give it a day
                evOf.add(v);
            }
        }
        JointState state = new JointState(before, evOf);
        double best = state.value(its);
        if (Double.isNaN(best)) {
            return 0;
        }
        Descent d = new Descent(state, routes, evOf, deadlineNanos);
        d.its = its;
        d.best = best;
        d.run(true);
        // kicks: the most promising structural changes that did not pay at once, each with its timing re-tuned
        java.util.Set<String> tried = new java.util.HashSet<>();
        boolean kicked = true;
        while (kicked && System.nanoTime() < deadlineNanos) {
            kicked = false;
            List<Candidate> cands = new ArrayList<>(d.lastScan);
            cands.sort(java.util.Comparator.comparingDouble((Candidate c) -> -c.value()));
            for (Candidate c : cands) {
                if (System.nanoTime() >= deadlineNanos) {
                    break;
                }
                if (!tried.add(c.key())) {
                    continue;
                }
                Descent k = new Descent(state, routes, evOf, deadlineNanos);
                k.its = new ArrayList<>(d.its);
                k.its.set(c.ev(), c.it());
                k.best = c.value();
                k.run(true);
                d.evaluations += k.evaluations;
                if (k.best > d.best + 1e-4) {
                    d.its = k.its;
                    d.best = k.best;
                    d.moves += k.moves + 1;
                    d.run(true);
                    kicked = true;
                    break;
                }
            }
        }
        its = d.its;
        best = d.best;
        int evaluations = d.evaluations;
        int moves = d.moves;
        AmountsLp.Amounts a = state.solve(its);
        if (a == null) {
            return 0;
        }
        List<RoutePlan> after = new ArrayList<>(before);
        long[][] offer = m.offersWh();
        long[][] bid = m.bidsWh();
        for (int i = 0; i < its.size(); i++) {
            after.set(evOf.get(i), null);
        }
        for (int v = 0; v < after.size(); v++) {
            if (after.get(v) != null) {
                subtract(after.get(v), offer, bid);
            }
        }
        for (int i = 0; i < its.size(); i++) {
            RoutePlan p = its.get(i) == null ? RoutePlan.EMPTY
                    : LpPlans.round(m, its.get(i), a.chargeKwh().get(i), a.dischargeKwh().get(i), offer, bid);
            if (!p.isEmpty() && (p.undeliveredWh() != 0 || p.surplusUnits() < 0)) {
                LOG.warn("LP plan of {} does not round cleanly; keeping the search's schedule", its.get(i).ev().id());
                return 0;
            }
            after.set(evOf.get(i), p);
        }
        long afterWelfare = welfare(after);
        LOG.info("LP polish (all EVs and the grid): {} moves, {} LP solves in {} ms, welfare {} -> {} JPY (LP {})",
                moves, evaluations, (System.nanoTime() - t0) / 1_000_000,
                String.format("%.2f", MarketIndex.jpy(beforeWelfare)), String.format("%.2f",
                        MarketIndex.jpy(afterWelfare)), String.format("%.2f", best));
        if (afterWelfare <= beforeWelfare) {
            return 0;
        }
        for (int v = 0; v < routes.size(); v++) {
            if (after.get(v) != before.get(v)) {
                routes.set(v, EvRoute.pinned(routes.get(v).getEv(), after.get(v)));
            }
        }
        return afterWelfare - beforeWelfare;
    }

    /**
     * Itineraries next to {@code it} (null = at home): a trip a few slots earlier or later, a stop dropped, a stop
     * added at any place (at a site where the EV could trade), with a few splits of the time around it.
     */
    List<FixedItinerary> neighbours(EvInfo ev, FixedItinerary it, boolean pairs) {
        List<FixedItinerary> out = timing(it);
        out.addAll(structural(ev, it, pairs));
        return out;
    }

    /** Trip-time changes: one trip, one whole stop, or the rest of the day a few slots earlier or later. */
    List<FixedItinerary> timing(FixedItinerary it) {
        List<FixedItinerary> out = new ArrayList<>();
        int[] legs = it == null ? new int[0] : it.legStart();
        for (int leg = 0; leg < legs.length; leg++) {
            for (int shift : SHIFTS_BY_LEVEL[level]) {
                add(out, it.shifted(m, leg, leg, shift)); // one trip
                if (leg + 1 < legs.length) {
                    add(out, it.shifted(m, leg, leg + 1, shift)); // a whole stop earlier or later
                }
                if (leg + 2 < legs.length) {
                    add(out, it.shifted(m, leg, legs.length - 1, shift)); // the rest of the day
                }
            }
        }
        return out;
    }

    /** Stop changes: another site, a stop dropped, a stop or a charge-and-deliver pair added. */
    List<FixedItinerary> structural(EvInfo ev, FixedItinerary it, boolean pairs) {
        List<FixedItinerary> out = new ArrayList<>();
        int n = it == null ? 0 : it.stopCount();
        int[] sites = it == null ? new int[0] : it.sites();
        int[] legs = it == null ? new int[0] : it.legStart();
        Near near = near(ev);
        for (int k = 0; k < n; k++) {
            for (int site : near.trade()) {
                if (site != sites[k] && (k == 0 || sites[k - 1] != site) && (k == n - 1 || sites[k + 1] != site)) {
                    int[] s2 = sites.clone();
                    s2[k] = site;
                    add(out, FixedItinerary.of(m, ev, s2, legs)); // another site, same times
                }
            }
        }
        for (int k = 0; k < n; k++) {
            if (k > 0 && k < n - 1 && sites[k - 1] == sites[k + 1]) {
                continue;
            }
            int[] s2 = remove(sites, k);
            if (n == 1) {
                out.add(null); // the EV stays home
            } else if (k == n - 1) {
                add(out, FixedItinerary.of(m, ev, s2, remove(legs, n - 2)));
            } else if (k == 0) {
                add(out, FixedItinerary.of(m, ev, s2, remove(legs, 0)));
            } else {
                add(out, FixedItinerary.of(m, ev, s2, remove(legs, k)));
                add(out, FixedItinerary.of(m, ev, s2, remove(legs, k - 1)));
            }
        }
        int from = ev.ev().availableFrom();
        int to = ev.ev().availableTo();
        for (int site : near.trade()) {
            for (int k = 0; k <= n; k++) {
                insertions(out, ev, it, k, new int[] {site}, from, to);
            }
        }
        if (pairs) {
            for (int x : near.charge()) {
                for (int y : near.discharge()) {
                    if (x != y) {
                        for (int k = 0; k <= n; k++) {
                            insertions(out, ev, it, k, new int[] {x, y}, from, to);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Itineraries with {@code added} inserted before stop k, trips at a few evenly spread times. */
    private void insertions(List<FixedItinerary> out, EvInfo ev, FixedItinerary it, int k, int[] added, int from,
                            int to) {
        int n = it == null ? 0 : it.stopCount();
        int[] sites = it == null ? new int[0] : it.sites();
        if ((k > 0 && sites[k - 1] == added[0]) || (k < n && sites[k] == added[added.length - 1])) {
            return;
        }
        int[] s2 = new int[n + added.length];
        for (int i = 0, j = 0; i < s2.length; i++) {
            s2[i] = i >= k && i < k + added.length ? added[i - k] : sites[j++];
        }
        int newLegs = (k > 0 ? 1 : 0) + added.length - 1 + (k < n ? 1 : 0);
        int[] legs = it == null ? new int[0] : it.legStart();
        if (newLegs == 0) {
            add(out, FixedItinerary.of(m, ev, s2, new int[0]));
            return;
        }
        // the new trips start within lo..hi (the time of the stops around the insertion)
        int lo = k == 0 ? from + 1 : it.arrive()[k - 1] + 1;
        int hi = k < n ? it.depart()[k] + 1 : to;
        int[] points = new int[GRID];
        for (int q = 0; q < GRID; q++) {
            points[q] = lo + (hi - lo) * (q + 1) / (GRID + 1);
        }
        int[] pick = new int[newLegs];
        choose(out, ev, s2, legs, n, k, points, pick, 0, 0);
    }

    /** Every increasing choice of {@code pick.length} of the points as the new trips' start slots. */
    private void choose(List<FixedItinerary> out, EvInfo ev, int[] s2, int[] legs, int n, int k, int[] points,
                        int[] pick, int depth, int next) {
        if (depth == pick.length) {
            int[] l = new int[s2.length - 1];
            int j = 0;
            for (int i = 0; i < k - 1; i++) {
                l[j++] = legs[i];
            }
            for (int p : pick) {
                l[j++] = p;
            }
            for (int i = k; i <= n - 2; i++) {
                l[j++] = legs[i];
            }
            add(out, FixedItinerary.of(m, ev, s2, l));
            return;
        }
        for (int q = next; q < points.length; q++) {
            if (depth > 0 && points[q] <= pick[depth - 1]) {
                continue;
            }
            pick[depth] = points[q];
            choose(out, ev, s2, legs, n, k, points, pick, depth + 1, q + 1);
        }
    }

    private static void add(List<FixedItinerary> out, FixedItinerary it) {
        if (it != null) {
            out.add(it);
        }
    }

    private static int[] remove(int[] a, int k) {
        int[] out = new int[Math.max(0, a.length - 1)];
        for (int i = 0, j = 0; i < a.length; i++) {
            if (i != k && j < out.length) {
                out[j++] = a[i];
            }
        }
        return out;
    }

    private static int[] insert(int[] a, int k, int x) {
        int[] out = new int[a.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == k ? x : a[j++];
        }
        return out;
    }

    /** A structural change of one EV's itinerary and the schedule's LP value with it. */
    private record Candidate(int ev, FixedItinerary it, double value) {
        String key() {
            return ev + ":" + (it == null ? "home" : java.util.Arrays.toString(it.sites())
                    + java.util.Arrays.toString(it.legStart()));
        }
    }

    /** First-improvement descent over the EVs' itineraries, scored by the LP. */
    private final class Descent {
        private final JointState state;
        private final List<EvRoute> routes;
        private final List<Integer> evOf;
        private final long deadlineNanos;
        List<FixedItinerary> its;
        double best;
        int evaluations;
        int moves;
        /** Structural changes evaluated in each EV's last scan (the one that found nothing better). */
        final List<Candidate> lastScan = new ArrayList<>();

        Descent(JointState state, List<EvRoute> routes, List<Integer> evOf, long deadlineNanos) {
            this.state = state;
            this.routes = routes;
            this.evOf = evOf;
            this.deadlineNanos = deadlineNanos;
        }

        void run(boolean withStructure) {
            boolean again = true;
            while (again && System.nanoTime() < deadlineNanos) {
                again = false;
                lastScan.clear();
                for (int i = 0; i < its.size() && System.nanoTime() < deadlineNanos; i++) {
                    boolean improved = true;
                    while (improved && System.nanoTime() < deadlineNanos) {
                        improved = false;
                        EvInfo ev = routes.get(evOf.get(i)).getEv();
                        List<FixedItinerary> timing = timing(its.get(i));
                        List<FixedItinerary> all = new ArrayList<>(timing);
                        if (withStructure) {
                            all.addAll(structural(ev, its.get(i), true));
                        }
                        List<Candidate> scan = new ArrayList<>();
                        for (int c = 0; c < all.size() && System.nanoTime() < deadlineNanos; c++) {
                            List<FixedItinerary> trial = new ArrayList<>(its);
                            trial.set(i, all.get(c));
                            double v = state.value(trial);
                            evaluations++;
                            if (Double.isNaN(v)) {
                                continue;
                            }
                            if (v > best + 1e-4) {
                                best = v;
                                its = trial;
                                improved = true;
                                again = true;
                                moves++;
                                break;
                            }
                            if (c >= timing.size()) {
                                scan.add(new Candidate(i, all.get(c), v));
                            }
                        }
                        if (!improved) {
                            lastScan.addAll(scan);
                        }
                    }
                }
            }
        }
    }

    /** Scores sets of itineraries of the EVs in {@code evOf}, the other EVs' plans fixed. */
    private final class JointState {
        private final List<RoutePlan> reference;
        private final List<Integer> evOf;
        private final AmountsLp.Supply supply;
        private final double[] gridSlotJpy;
        private final int[][] fixedPlugged; // [site][slot] EVs outside the LP plugged in

        JointState(List<RoutePlan> reference, List<Integer> evOf) {
            this.reference = reference;
            this.evOf = evOf;
            long[][] offer = m.offersWh();
            long[][] bid = m.bidsWh();
            fixedPlugged = new int[m.siteCount()][m.slots()];
            for (int v = 0; v < reference.size(); v++) {
                if (!evOf.contains(v)) {
                    subtract(reference.get(v), offer, bid);
                    for (EnergyAction a : reference.get(v).actions()) {
                        fixedPlugged[a.site()][a.slot()]++;
                    }
                }
            }
            supply = new AmountsLp.Supply(offer, bid);
            gridSlotJpy = new double[m.slots()];
            for (int t = 0; t < m.slots(); t++) {
                gridSlotJpy[t] = MarketIndex.jpy(GridClearing.slotWelfare(m, t, offer, bid));
            }
        }

        AmountsLp.Amounts solve(List<FixedItinerary> its) {
            return AmountsLp.solve(m, supply, its, plugAllowed(its), true, true);
        }

        /** Welfare of the whole day with these itineraries and LP amounts (JPY), NaN if the LP fails. */
        double value(List<FixedItinerary> its) {
            AmountsLp.Amounts a = solve(its);
            if (a == null) {
                return Double.NaN;
            }
            double v = a.objectiveJpy();
            for (int i = 0; i < its.size(); i++) {
                double[] c = a.chargeKwh().get(i);
                double[] e = a.dischargeKwh().get(i);
                boolean any = false;
                for (int t = 0; t < m.slots(); t++) {
                    any |= c[t] > 1e-9 || e[t] > 1e-9;
                }
                if (any) {
                    v -= MarketIndex.jpy(its.get(i).kmFeeUnits());
                }
            }
            // slots the LP had no EV variable in keep their exact grid clearing
            for (int t = 0; t < m.slots(); t++) {
                if (!a.gridSlots()[t]) {
                    v += gridSlotJpy[t];
                }
            }
            return v;
        }

        /**
         * Ports: where more EVs could be plugged in than the site has ports, those that traded there in the
         * search's schedule keep their place, then the others by index.
         */
        private List<boolean[]> plugAllowed(List<FixedItinerary> its) {
            int[][] count = new int[m.siteCount()][];
            for (FixedItinerary it : its) {
                for (int k = 0; it != null && k < it.stopCount(); k++) {
                    int s = it.sites()[k];
                    if (count[s] == null) {
                        count[s] = fixedPlugged[s].clone();
                    }
                    for (int t = it.firstEnergySlot(k); t <= it.lastEnergySlot(k); t++) {
                        count[s][t]++;
                    }
                }
            }
            List<boolean[]> allowed = new ArrayList<>();
            for (int i = 0; i < its.size(); i++) {
                boolean[] ok = new boolean[m.slots()];
                FixedItinerary it = its.get(i);
                for (int k = 0; it != null && k < it.stopCount(); k++) {
                    int s = it.sites()[k];
                    int ports = m.site(s).ports();
                    for (int t = it.firstEnergySlot(k); t <= it.lastEnergySlot(k); t++) {
                        ok[t] = count[s][t] <= ports || rank(its, i, s, t) < ports - fixedPlugged[s][t];
                    }
                }
                allowed.add(ok);
            }
            return allowed;
        }

        /** Place of EV i among the EVs that could plug in at (s, t): traded there before first, then by index. */
        private int rank(List<FixedItinerary> its, int i, int s, int t) {
            boolean mine = tradedAt(evOf.get(i), s, t);
            int ahead = 0;
            for (int j = 0; j < its.size(); j++) {
                if (j == i || !present(its.get(j), s, t)) {
                    continue;
                }
                boolean theirs = tradedAt(evOf.get(j), s, t);
                if ((theirs && !mine) || (theirs == mine && j < i)) {
                    ahead++;
                }
            }
            return ahead;
        }

        private boolean tradedAt(int v, int s, int t) {
            for (EnergyAction a : reference.get(v).actions()) {
                if (a.site() == s && a.slot() == t) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean present(FixedItinerary it, int s, int t) {
        for (int k = 0; it != null && k < it.stopCount(); k++) {
            if (it.sites()[k] == s && t >= it.firstEnergySlot(k) && t <= it.lastEnergySlot(k)) {
                return true;
            }
        }
        return false;
    }

    private static void subtract(RoutePlan p, long[][] offer, long[][] bid) {
        for (EnergyAction a : p.actions()) {
            if (a.charge()) {
                offer[a.site()][a.slot()] -= a.wh();
            } else {
                bid[a.site()][a.slot()] -= a.wh();
            }
        }
    }

    /** Exact welfare of a schedule: the EV pools' surplus plus the exact grid clearing on what they leave. */
    long welfare(List<RoutePlan> plans) {
        long[][] offer = m.offersWh();
        long[][] bid = m.bidsWh();
        long total = 0;
        for (RoutePlan p : plans) {
            subtract(p, offer, bid);
            total += p.surplusUnits();
        }
        for (int t = 0; t < m.slots(); t++) {
            total += GridClearing.slotWelfare(m, t, offer, bid);
        }
        return total;
    }

    // ---------------------------------------------------------------------------------------------------------
    // one EV at a time against what the grid and the other EVs leave

    private long oneAtATime(List<EvRoute> routes, ResidualMarket residual, long deadlineNanos) {
        long t0 = System.nanoTime();
        long gained = 0;
        int[] solves = {0};
        int better = 0;
        int passes = 0;
        int skipped = 0;
        // an EV whose last scan at this level found nothing better is scanned again only once another EV's change
        // touched one of the sites its candidates use (version stamps per site)
        long[] version = {0};
        long[] siteStamp = new long[m.siteCount()];
        long[] scannedAt = new long[routes.size()];
        java.util.Arrays.fill(scannedAt, -1);
        // passes over all EVs until one changes nothing (each EV's best day depends on what the others leave); in
        // each pass every EV gets an equal share of the time left, what one does not use goes to the next
        while (System.nanoTime() < deadlineNanos) {
            long[] gain = {0};
            int[] skip = {0};
            int[] left = {(int) routes.stream().filter(r -> !r.isFixed()).count()};
            int n = OneEvAtATime.improve(routes, deadlineNanos, (route, current, usage, deadline) -> {
                int v = route.getEv().index();
                if (scannedAt[v] >= 0 && !touchedSince(route.getEv(), current, siteStamp, scannedAt[v])) {
                    left[0]--;
                    skip[0]++;
                    return current;
                }
                long evDeadline = System.nanoTime() + (deadline - System.nanoTime()) / Math.max(1, left[0]--);
                boolean[] converged = {false};
                RoutePlan p = bestDay(route, current, usage, residual, evDeadline, solves, converged);
                if (p != current) {
                    version[0]++;
                    stamp(current, siteStamp, version[0]);
                    stamp(p, siteStamp, version[0]);
                    gain[0] += p.surplusUnits() - current.surplusUnits();
                    scannedAt[v] = -1;
                } else {
                    scannedAt[v] = converged[0] ? version[0] : -1;
                }
                return p;
            });
            passes++;
            gained += gain[0];
            better += n;
            skipped += skip[0];
            LOG.info("LP polish pass {} (level {}): {} EV days better, {} not rescanned, EV welfare +{} JPY, {} ms so"
                            + " far", passes, level, n, skip[0], String.format("%.2f", MarketIndex.jpy(gain[0])),
                    (System.nanoTime() - t0) / 1_000_000);
            if (n == 0) {
                if (level + 1 >= NEAR_BY_LEVEL.length) {
                    break; // converged at the widest neighbourhood
                }
                level++;
                java.util.Arrays.fill(scannedAt, -1);
            }
        }
        level = 0;
        LOG.info("LP polish (one EV at a time): {} passes, {} EV days better, {} scans skipped, {} LP solves in {} ms,"
                        + " EV welfare +{} JPY", passes, better, skipped, solves[0],
                (System.nanoTime() - t0) / 1_000_000, String.format("%.2f", MarketIndex.jpy(gained)));
        return gained;
    }

    /** Marks the sites where {@code p} trades as changed at {@code version}. */
    private static void stamp(RoutePlan p, long[] siteStamp, long version) {
        for (EnergyAction a : p.actions()) {
            siteStamp[a.site()] = version;
        }
    }

    /** Did a change after {@code since} touch a site that the EV's candidates (its stops, its near sites) use? */
    private boolean touchedSince(EvInfo ev, RoutePlan current, long[] siteStamp, long since) {
        for (RoutePlan.PlannedStop st : current.stops()) {
            if (siteStamp[st.site()] > since) {
                return true;
            }
        }
        Near near = near(ev);
        for (List<Integer> sites : List.of(near.trade(), near.charge(), near.discharge())) {
            for (int s : sites) {
                if (siteStamp[s] > since) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One EV's best day against what the grid and the other EVs leave: first-improvement descent over its
     * itineraries (trip times first, then stop changes, each scored by the exact one-EV flow), the winner's amounts
     * by the LP, rounded; {@code current} if that is not strictly better or does not fit.
     */
    private RoutePlan bestDay(EvRoute route, RoutePlan current, SiteSlotUsage usage, ResidualMarket residual,
                              long evDeadline, int[] solves, boolean[] converged) {
        // what the others leave, only at the sites this EV's candidates can use (its stops and its near sites at
        // this level); every other site's row is the shared empty one, never written (rounding writes only where
        // the chosen itinerary trades)
        long[][] offer = new long[m.siteCount()][];
        long[][] bid = new long[m.siteCount()][];
        java.util.Arrays.fill(offer, noSupply);
        java.util.Arrays.fill(bid, noSupply);
        Near near = near(route.getEv());
        List<Integer> sites = new ArrayList<>(near.trade());
        sites.addAll(near.charge());
        sites.addAll(near.discharge());
        current.stops().forEach(st -> sites.add(st.site()));
        for (int s : sites) {
            if (offer[s] == noSupply) {
                offer[s] = new long[m.slots()];
                bid[s] = new long[m.slots()];
                for (int t = 0; t < m.slots(); t++) {
                    offer[s][t] = usage.offerLeftFor(residual, s, t);
                    bid[s][t] = usage.bidLeftFor(residual, s, t);
                }
            }
        }
        AmountsLp.Supply supply = new AmountsLp.Supply(offer, bid);
        FixedItinerary it = FixedItinerary.ofPlan(m, route.getEv(), current);
        if (it == null && !current.isEmpty()) {
            return current;
        }
        double best = it == null ? 0 : value(supply, it);
        solves[0]++;
        if (Double.isNaN(best)) {
            return current;
        }
        boolean again = true;
        while (again && System.nanoTime() < evDeadline) {
            again = false;
            // trip times first (few, cheap to list); the stop changes are listed only when no timing pays
            for (int kind = 0; kind < 2 && !again; kind++) {
                List<FixedItinerary> moves = kind == 0 ? timing(it) : structural(route.getEv(), it, true);
                for (FixedItinerary moved : moves) {
                    if (System.nanoTime() >= evDeadline) {
                        break;
                    }
                    double v = moved == null ? 0 : value(supply, moved);
                    solves[0]++;
                    if (!Double.isNaN(v) && v > best + 1e-4) {
                        best = v;
                        it = moved;
                        again = true;
                        break;
                    }
                }
            }
            converged[0] = !again && System.nanoTime() < evDeadline;
        }
        if (it == null) {
            return current;
        }
        AmountsLp.Amounts a = AmountsLp.solve(m, supply, List.of(it), null, false, true);
        if (a == null) {
            return current;
        }
        RoutePlan p = LpPlans.round(m, it, a.chargeKwh().getFirst(), a.dischargeKwh().getFirst(), offer, bid);
        boolean ok = !p.isEmpty() && p.undeliveredWh() == 0 && p.surplusUnits() > current.surplusUnits()
                && usage.fits(p, residual);
        return ok ? p : current;
    }

    /** An EV pool's LP surplus with itinerary {@code it} (JPY), NaN if it cannot pay its way (exact flow). */
    private double value(AmountsLp.Supply supply, FixedItinerary it) {
        return OneEvFlow.value(m, supply, it);
    }
}
