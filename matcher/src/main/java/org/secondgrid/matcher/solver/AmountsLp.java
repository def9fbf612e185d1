package org.secondgrid.matcher.solver;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;

/**
 * The exact linear program of the energy amounts when the itineraries are fixed (stop sites and times), solved by
 * GLOP (OR-Tools' simplex). Variables in kWh, objective in JPY:
 * <ul>
 *   <li>per EV and slot of a stop: charge {@code c} (≤ port power, counted against the site's offer) and discharge
 *       {@code e} (≤ V2X power, against the site's bid); traded energy {@code P} at each slot boundary with
 *       {@code P(t+1) = P(t) + ηc·c − e/ηd}, {@code 0 ≤ P ≤ capacity − owner's energy}, {@code P = 0} at the end;
 *       the EV pool's surplus ≥ 0 (its value − cost − kWh fees ≥ its km fee);</li>
 *   <li>optionally the grid in every slot an EV can trade in, aggregated per feeder as the exact clearing does:
 *       sold {@code x(i) ≤ min(offer, export limit)}, bought {@code y(j) ≤ bid}, per feeder local flow, export to and
 *       import from the bus, net export ≤ reverse capacity; the site's offer and bid are shared with the EVs.</li>
 * </ul>
 * The port limit is discrete: the caller says which EVs may plug in where ({@code plugAllowed}).
 */
final class AmountsLp {

    /**
     * Amounts per itinerary and slot (kWh), the LP's objective in JPY (without the km fees), and the slots whose
     * grid is in the LP ({@code gridSlots[t]}; with the grid only).
     */
    record Amounts(double objectiveJpy, List<double[]> chargeKwh, List<double[]> dischargeKwh, boolean[] gridSlots) {
    }

    /** Offers and bids the EVs (and, with the grid, the grid) may use, in Wh [site][slot]. */
    record Supply(long[][] offerWh, long[][] bidWh) {
    }

    /** Room kept below the capacity bound (kWh); rounding caps each charge by the battery room itself. */
    private static final double CAPACITY_MARGIN_KWH = 0.0;
    /** EV pools keep at least this surplus in the LP, so that rounding never makes one negative (JPY). */
    private static final double SURPLUS_MARGIN_JPY = 0.02;

    private AmountsLp() {
    }

    /**
     * Solves the LP; null if GLOP fails (it never should: all zero is feasible when every pool's km fee is covered,
     * and an itinerary whose km fee cannot be covered makes the LP infeasible — the caller then keeps its plan).
     *
     * @param its         fixed itineraries (null = the EV stays home)
     * @param plugAllowed per itinerary, per slot: may the EV charge or discharge there (null = everywhere)
     * @param withGrid    add the grid of every slot an EV can trade in
     * @param poolSurplusRows enforce every EV pool's surplus ≥ 0 (without: to find the itineraries that cannot pay)
     */
    static Amounts solve(MarketIndex m, Supply supply, List<FixedItinerary> its, List<boolean[]> plugAllowed,
                         boolean withGrid, boolean poolSurplusRows) {
        Lp.load();
        MPSolver solver = MPSolver.createSolver("GLOP");
        if (solver == null) {
            return null;
        }
        try {
            return build(solver, m, supply, its, plugAllowed, withGrid, poolSurplusRows);
        } finally {
            solver.delete();
        }
    }

    private static Amounts build(MPSolver solver, MarketIndex m, Supply supply, List<FixedItinerary> its,
                                 List<boolean[]> plugAllowed, boolean withGrid, boolean poolSurplusRows) {
        int slots = m.slots();
        MPObjective obj = solver.objective();
        obj.setMaximization();
        List<MPVariable[]> cVars = new ArrayList<>();
        List<MPVariable[]> eVars = new ArrayList<>();
        // rows shared by EVs at one (site, slot): offer and bid
        Map<Long, MPConstraint> offerRows = new HashMap<>();
        Map<Long, MPConstraint> bidRows = new HashMap<>();
        TreeSet<Integer> touched = new TreeSet<>();
        double dt = m.slotHours();
        for (int v = 0; v < its.size(); v++) {
            FixedItinerary it = its.get(v);
            MPVariable[] c = new MPVariable[slots];
            MPVariable[] e = new MPVariable[slots];
            cVars.add(c);
            eVars.add(e);
            if (it == null) {
                continue; // stays home
            }
            Ev ev = it.ev().ev();
            boolean[] allowed = plugAllowed == null ? null : plugAllowed.get(v);
            double etaC = ev.chargeEfficiency();
            double etaD = ev.dischargeEfficiency();
            double feeKwh = MarketIndex.cents(ev.feeJpyPerKwh()) / 100.0;
            MPConstraint ir = solver.makeConstraint(poolSurplusRows ? it.kmFeeUnits() * 1e-5 + SURPLUS_MARGIN_JPY
                    : Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "");
            int first = Integer.MAX_VALUE;
            int last = -1;
            for (int k = 0; k < it.stopCount(); k++) {
                int s = it.sites()[k];
                Site site = m.site(s);
                double chargeKwh = Math.floor(Math.min(ev.chargeKw(), site.chargerKw()) * dt * 1000 + 1e-6) / 1000;
                double dischargeKwh = Math.floor(Math.min(ev.dischargeKw(), site.v2xKw()) * dt * 1000 + 1e-6) / 1000;
                for (int t = it.firstEnergySlot(k); t <= it.lastEnergySlot(k); t++) {
                    if (site.ports() <= 0 || (allowed != null && !allowed[t])) {
                        continue;
                    }
                    long key = ((long) s << 16) | t;
                    long offer = supply.offerWh()[s][t];
                    if (chargeKwh > 0 && offer > 0) {
                        double ask = m.askCents(s, t) / 100.0;
                        c[t] = solver.makeNumVar(0, chargeKwh, "");
                        obj.setCoefficient(c[t], -ask);
                        ir.setCoefficient(c[t], -ask);
                        offerRows.computeIfAbsent(key, x -> solver.makeConstraint(Double.NEGATIVE_INFINITY,
                                offer / 1000.0, "")).setCoefficient(c[t], 1);
                    }
                    long bid = supply.bidWh()[s][t];
                    double price = m.bidCents(s, t) / 100.0;
                    if (dischargeKwh > 0 && bid > 0 && price > feeKwh) {
                        e[t] = solver.makeNumVar(0, dischargeKwh, "");
                        obj.setCoefficient(e[t], price - feeKwh);
                        ir.setCoefficient(e[t], price - feeKwh);
                        bidRows.computeIfAbsent(key, x -> solver.makeConstraint(Double.NEGATIVE_INFINITY,
                                bid / 1000.0, "")).setCoefficient(e[t], 1);
                    }
                    if (c[t] != null || e[t] != null) {
                        first = Math.min(first, t);
                        last = Math.max(last, t);
                        // the grid of slot t matters only if the EV competes with it for an offer or a bid
                        boolean gridSeller = c[t] != null && Math.min(offer, m.exportWh(s)) > 0;
                        if (withGrid && !touched.contains(t) && ((gridSeller && gridHas(m, supply, t, false))
                                || (e[t] != null && gridHas(m, supply, t, true)))) {
                            touched.add(t);
                        }
                    }
                }
            }
            if (last < 0) {
                ir.setBounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY); // stays home: no pool
                continue;
            }
            // traded energy: P(first) = 0, P(t+1) = P(t) + ηc c(t) − e(t)/ηd, 0 ≤ P ≤ cap − own, P(last+1) = 0
            double capKwh = ev.capacityKwh();
            MPVariable prev = null;
            for (int t = first; t <= last; t++) {
                double room = t + 1 <= last ? Math.max(0, capKwh - it.ownWh()[t + 1] / 1000 - CAPACITY_MARGIN_KWH)
                        : 0;
                MPVariable next = solver.makeNumVar(0, room, "");
                MPConstraint row = solver.makeConstraint(0, 0, "");
                row.setCoefficient(next, 1);
                if (prev != null) {
                    row.setCoefficient(prev, -1);
                }
                if (c[t] != null) {
                    row.setCoefficient(c[t], -etaC);
                }
                if (e[t] != null) {
                    row.setCoefficient(e[t], 1 / etaD);
                }
                prev = next;
            }
        }
        if (withGrid) {
            for (int t : touched) {
                addGridSlot(solver, obj, m, supply, t, offerRows, bidRows);
            }
        }
        MPSolver.ResultStatus status = solver.solve();
        if (status != MPSolver.ResultStatus.OPTIMAL) {
            return null;
        }
        List<double[]> cOut = new ArrayList<>();
        List<double[]> eOut = new ArrayList<>();
        for (int v = 0; v < its.size(); v++) {
            double[] c = new double[slots];
            double[] e = new double[slots];
            for (int t = 0; t < slots; t++) {
                c[t] = cVars.get(v)[t] == null ? 0 : cVars.get(v)[t].solutionValue();
                e[t] = eVars.get(v)[t] == null ? 0 : eVars.get(v)[t].solutionValue();
            }
            cOut.add(c);
            eOut.add(e);
        }
        boolean[] gridSlots = new boolean[slots];
        if (withGrid) {
            touched.forEach(t -> gridSlots[t] = true);
        }
        return new Amounts(obj.value(), cOut, eOut, gridSlots);
    }

    /** Does anyone in slot t sell into the grid ({@code sellers}) or buy from it? */
    private static boolean gridHas(MarketIndex m, Supply supply, int t, boolean sellers) {
        for (int s = 0; s < m.siteCount(); s++) {
            if (sellers ? Math.min(supply.offerWh()[s][t], m.exportWh(s)) > 0
                    : supply.bidWh()[s][t] > 0 && m.bidCents(s, t) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The grid of slot t, aggregated per feeder (see the class comment), sharing the EVs' offer and bid rows. */
    private static void addGridSlot(MPSolver solver, MPObjective obj, MarketIndex m, Supply supply, int t,
                                    Map<Long, MPConstraint> offerRows, Map<Long, MPConstraint> bidRows) {
        int feeders = m.feederCount();
        MPConstraint[] sellRow = new MPConstraint[feeders];
        MPConstraint[] buyRow = new MPConstraint[feeders];
        MPConstraint bus = solver.makeConstraint(0, 0, "");
        double fee = m.gridFeeCents() / 100.0;
        boolean[] hasSeller = new boolean[feeders];
        boolean[] hasBuyer = new boolean[feeders];
        List<int[]> sellers = new ArrayList<>();
        List<int[]> buyers = new ArrayList<>();
        for (int s = 0; s < m.siteCount(); s++) {
            if (Math.min(supply.offerWh()[s][t], m.exportWh(s)) > 0) {
                sellers.add(new int[] {s});
                hasSeller[m.feederOf(s)] = true;
            }
            if (supply.bidWh()[s][t] > 0 && m.bidCents(s, t) > 0) {
                buyers.add(new int[] {s});
                hasBuyer[m.feederOf(s)] = true;
            }
        }
        boolean anySeller = false;
        boolean anyBuyer = false;
        for (int f = 0; f < feeders; f++) {
            anySeller |= hasSeller[f];
            anyBuyer |= hasBuyer[f];
        }
        if (!anySeller || !anyBuyer) {
            return;
        }
        MPVariable[] ex = new MPVariable[feeders];
        MPVariable[] im = new MPVariable[feeders];
        for (int f = 0; f < feeders; f++) {
            sellRow[f] = solver.makeConstraint(0, 0, "");
            buyRow[f] = solver.makeConstraint(0, 0, "");
            if (hasSeller[f] && hasBuyer[f]) {
                MPVariable local = solver.makeNumVar(0, Double.POSITIVE_INFINITY, "");
                sellRow[f].setCoefficient(local, -1);
                buyRow[f].setCoefficient(local, -1);
            }
            if (hasSeller[f]) {
                ex[f] = solver.makeNumVar(0, Double.POSITIVE_INFINITY, "");
                sellRow[f].setCoefficient(ex[f], -1);
                bus.setCoefficient(ex[f], 1);
            }
            if (hasBuyer[f]) {
                im[f] = solver.makeNumVar(0, Double.POSITIVE_INFINITY, "");
                buyRow[f].setCoefficient(im[f], -1);
                bus.setCoefficient(im[f], -1);
            }
            if (ex[f] != null) {
                MPConstraint rev = solver.makeConstraint(Double.NEGATIVE_INFINITY, m.reverseWh(f) / 1000.0, "");
                rev.setCoefficient(ex[f], 1);
                if (im[f] != null) {
                    rev.setCoefficient(im[f], -1);
                }
            }
        }
        for (int[] x : sellers) {
            int s = x[0];
            MPVariable sold = solver.makeNumVar(0, Math.min(supply.offerWh()[s][t], m.exportWh(s)) / 1000.0, "");
            obj.setCoefficient(sold, -(m.askCents(s, t) / 100.0 + fee));
            sellRow[m.feederOf(s)].setCoefficient(sold, 1);
            MPConstraint shared = offerRows.get(((long) s << 16) | t);
            if (shared != null) {
                shared.setCoefficient(sold, 1);
            }
        }
        for (int[] x : buyers) {
            int s = x[0];
            MPVariable got = solver.makeNumVar(0, supply.bidWh()[s][t] / 1000.0, "");
            obj.setCoefficient(got, m.bidCents(s, t) / 100.0);
            buyRow[m.feederOf(s)].setCoefficient(got, 1);
            MPConstraint shared = bidRows.get(((long) s << 16) | t);
            if (shared != null) {
                shared.setCoefficient(got, 1);
            }
        }
    }

    /** Loads OR-Tools' native library once; {@link #available()} says whether it could. */
    static final class Lp {
        private static volatile Boolean loaded;

        private Lp() {
        }

        static synchronized boolean available() {
            if (loaded == null) {
                try {
                    com.google.ortools.Loader.loadNativeLibraries();
                    loaded = true;
                } catch (Throwable e) { // NoClassDefFoundError without OR-Tools, UnsatisfiedLinkError elsewhere
                    org.slf4j.LoggerFactory.getLogger(AmountsLp.class)
                            .warn("no LP solver (OR-Tools GLOP) here: EV amounts stay as the route planner set them ({})",
                                    e.toString());
                    loaded = false;
                }
            }
            return loaded;
        }

        static void load() {
            if (!available()) {
                throw new IllegalStateException("OR-Tools GLOP is not available");
            }
        }
    }
}
