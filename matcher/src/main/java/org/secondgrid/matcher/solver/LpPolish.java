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
    static final int JOINT_MAX_SITES = 300;
    private static final int[] SHIFTS = {-8, -4, -2, -1, 1, 2, 4, 8};

    private final MarketIndex m;

    LpPolish(MarketIndex m) {
        this.m = m;
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
        return m.siteCount() <= JOINT_MAX_SITES ? joint(routes, deadlineNanos) : oneAtATime(routes, residual,
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
            FixedItinerary it = FixedItinerary.ofPlan(m, routes.get(v).getEv(), before.get(v));
            if (it != null) {
                its.add(it);
                evOf.add(v);
            }
        }
        if (its.isEmpty()) {
            return 0;
        }
        JointState state = new JointState(before, evOf);
        double best = state.value(its);
        if (Double.isNaN(best)) {
            return 0;
        }
        int evaluations = 1;
        boolean again = true;
        while (again && System.nanoTime() < deadlineNanos) {
            again = false;
            for (int i = 0; i < its.size() && System.nanoTime() < deadlineNanos; i++) {
                for (int leg = 0; leg < its.get(i).legStart().length; leg++) {
                    for (int shift : SHIFTS) {
                        if (System.nanoTime() >= deadlineNanos) {
                            break;
                        }
                        FixedItinerary moved = its.get(i).shifted(m, leg, shift);
                        if (moved == null) {
                            continue;
                        }
                        List<FixedItinerary> trial = new ArrayList<>(its);
                        trial.set(i, moved);
                        double v = state.value(trial);
                        evaluations++;
                        if (!Double.isNaN(v) && v > best + 1e-4) {
                            best = v;
                            its = trial;
                            again = true;
                        }
                    }
                }
            }
        }
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
            RoutePlan p = LpPlans.round(m, its.get(i), a.chargeKwh().get(i), a.dischargeKwh().get(i), offer, bid);
            if (!p.isEmpty() && (p.undeliveredWh() != 0 || p.surplusUnits() < 0)) {
                LOG.warn("LP plan of {} does not round cleanly; keeping the search's schedule", its.get(i).ev().id());
                return 0;
            }
            after.set(evOf.get(i), p);
        }
        long afterWelfare = welfare(after);
        LOG.info("LP polish (all EVs and the grid): {} LP solves in {} ms, welfare {} -> {} JPY (LP {})", evaluations,
                (System.nanoTime() - t0) / 1_000_000,
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
                for (int k = 0; k < it.stopCount(); k++) {
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
                for (int k = 0; k < it.stopCount(); k++) {
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
        for (int k = 0; k < it.stopCount(); k++) {
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
        long[] gained = {0};
        int[] solves = {0};
        OneEvAtATime.improve(routes, deadlineNanos, (route, current, usage, deadline) -> {
            FixedItinerary it = FixedItinerary.ofPlan(m, route.getEv(), current);
            if (it == null) {
                return current;
            }
            ResidualMarket left = usage.leftFor(residual);
            long[][] offer = new long[m.siteCount()][];
            long[][] bid = new long[m.siteCount()][];
            for (int s = 0; s < m.siteCount(); s++) {
                offer[s] = new long[m.slots()];
                bid[s] = new long[m.slots()];
                for (int t = 0; t < m.slots(); t++) {
                    offer[s][t] = Math.max(0, left.offerLeftWh(s, t));
                    bid[s][t] = Math.max(0, left.bidLeftWh(s, t));
                }
            }
            AmountsLp.Supply supply = new AmountsLp.Supply(offer, bid);
            AmountsLp.Amounts best = AmountsLp.solve(m, supply, List.of(it), null, false, true);
            solves[0]++;
            if (best == null) {
                return current;
            }
            boolean again = true;
            while (again && System.nanoTime() < deadline) {
                again = false;
                for (int leg = 0; leg < it.legStart().length; leg++) {
                    for (int shift : SHIFTS) {
                        FixedItinerary moved = it.shifted(m, leg, shift);
                        if (moved == null || System.nanoTime() >= deadline) {
                            continue;
                        }
                        AmountsLp.Amounts a = AmountsLp.solve(m, supply, List.of(moved), null, false, true);
                        solves[0]++;
                        if (a != null && a.objectiveJpy() > best.objectiveJpy() + 1e-4) {
                            best = a;
                            it = moved;
                            again = true;
                        }
                    }
                }
            }
            RoutePlan p = LpPlans.round(m, it, best.chargeKwh().get(0), best.dischargeKwh().get(0), offer, bid);
            boolean ok = !p.isEmpty() && p.undeliveredWh() == 0 && p.surplusUnits() > current.surplusUnits()
                    && usage.fits(p, residual);
            if (ok) {
                gained[0] += p.surplusUnits() - current.surplusUnits();
                return p;
            }
            return current;
        });
        LOG.info("LP polish (one EV at a time): {} LP solves, EV welfare +{} JPY", solves[0],
                String.format("%.2f", MarketIndex.jpy(gained[0])));
        return gained[0];
    }
}
