package org.secondgrid.matcher.exact;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Travel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact time-expanded MILP of the market model ({@code shared/spec/market-model.md}, version 1, with the matcher
 * conventions on timing), solved by SCIP through OR-Tools. Test scope only: it gives the true optimum of small
 * instances (about 10 sites, 3 EVs, 48 slots) so the Timefold solver's welfare can be reported as a ratio.
 *
 * <p>Variables:
 * <ul>
 *   <li>{@code g(i,j,t) ≥ 0} grid delivery, only for i ≠ j with an offer at (i,t), a bid at (j,t) and
 *       {@code bid − ask − gridFee ≥ 0} (a grid pool with a negative surplus is never optimal, so every grid pool's
 *       IR is automatic);</li>
 *   <li>per EV: binary trip arcs {@code y(a,b,t0)} (trip a→b whose first slot is t0, occupying t0..t0+τ−1 and
 *       arriving at b in slot t0+τ), position {@code at(s,t) ∈ [0,1]} (integral through flow conservation) for the
 *       candidate sites (home, and sites where it could charge or usefully discharge in its window), a virtual
 *       slot T in which the EV must be home, plug indicators {@code plugC/plugD(s,t)} (binary only where the
 *       ports or the one-of-two rule can bind) and continuous {@code c(s,t)}, {@code e(s,t)};</li>
 *   <li>the battery as two commodities that ride along the EV's path: traded energy P and owner's energy O per
 *       node (site, slot) and per trip arc, with {@code O ≥ minKwh·at}, {@code P + O ≤ capacity·at} (and the same
 *       with y on arcs), O dropping by κ·d on each trip, {@code P(T) = 0}. For integral paths this is exactly the
 *       spec's o/p; for fractional ones a path carries only its fraction of a battery (tighter LP).</li>
 * </ul>
 * Waiting unplugged before arriving at a stop is modelled as being at the stop without energy (the same thing
 * for every rule), so trips arrive exactly τ slots after they start; and when d and τ satisfy the triangle
 * inequality, trips only leave right after a slot in which the EV could trade at that site (or leave home at
 * availableFrom): leaving earlier and waiting at the next stop is never worse.
 *
 * <p>Diagnostics: {@code -Dexact.verbose=true} prints SCIP's log, {@code -Dexact.params="a/b = 1;c = 2"} passes
 * SCIP parameters, {@code -Dexact.dump=true} logs the arcs and energies of the final (or LP) solution.
 */
public final class ExactMilp {

    private static final Logger LOG = LoggerFactory.getLogger(ExactMilp.class);
    private static volatile boolean nativesLoaded;

    private ExactMilp() {
    }

    /**
     * The optimum (or the best schedule found within the time limit) and its schedule in the solution format
     * (kWh rounded to Wh). {@code welfareJpy} is W recomputed from that rounded schedule, as a checker would;
     * {@code bestBoundJpy} is SCIP's proven upper bound on W. When {@code optimal} is false, a solver's
     * {@code welfare / bestBoundJpy} is a guaranteed lower bound of its true ratio to the optimum.
     */
    public record ExactResult(double welfareJpy, double bestBoundJpy, boolean optimal,
                              List<Solution.GridDelivery> grid, List<Solution.Itinerary> itineraries,
                              double seconds) {
    }

    /** Model size, for reports. */
    public record Size(int variables, int binaries, int constraints) {
    }

    private static synchronized void loadNatives() {
        if (!nativesLoaded) {
            Loader.loadNativeLibraries();
            nativesLoaded = true;
        }
    }

    public static ExactResult solve(Instance in, double timeLimitSeconds) {
        loadNatives();
        long start = System.nanoTime();
        Model m = new Model(in);
        MPSolver solver = MPSolver.createSolver("SCIP");
        if (solver == null) {
            throw new IllegalStateException("OR-Tools has no SCIP backend here");
        }
        try {
            m.build(solver);
            if (Boolean.getBoolean("exact.verbose")) {
                solver.enableOutput();
            }
            String extra = System.getProperty("exact.params");
            if (extra != null) {
                solver.setSolverSpecificParametersAsString(extra.replace(";", "\n"));
            }
            solver.setTimeLimit(Math.max(1, Math.round(timeLimitSeconds * 1000)));
            MPSolverParameters params = new MPSolverParameters();
            params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-9);
            MPSolver.ResultStatus status = solver.solve(params);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (status == MPSolver.ResultStatus.NOT_SOLVED) {
                // time limit before any incumbent: the empty schedule (W = 0) is feasible
                double bound = solver.objective().bestBound();
                LOG.warn("exact MILP {}: no schedule within {} s, returning the empty one (bound {})", in.market(),
                        timeLimitSeconds, bound);
                return m.empty(Double.isFinite(bound) ? bound : Double.POSITIVE_INFINITY, seconds);
            }
            if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
                throw new IllegalStateException("SCIP returned " + status + " (the empty schedule is always feasible)");
            }
            boolean optimal = status == MPSolver.ResultStatus.OPTIMAL;
            double objective = solver.objective().value();
            double bound = optimal ? objective : solver.objective().bestBound();
            ExactResult r = m.extract(objective, bound, optimal, seconds);
            LOG.debug("exact MILP {}: {} vars ({} binary), {} constraints, status {}, objective {}, bound {}, "
                            + "welfare of the rounded schedule {}, {} s",
                    in.market(), solver.numVariables(), m.binaries, solver.numConstraints(), status, objective, bound,
                    r.welfareJpy(), seconds);
            return r;
        } finally {
            solver.delete();
        }
    }

    /** Builds the model only and returns its size (variables, binaries, constraints). */
    public static Size size(Instance in) {
        loadNatives();
        Model m = new Model(in);
        MPSolver solver = MPSolver.createSolver("SCIP");
        try {
            m.build(solver);
            return new Size(solver.numVariables(), m.binaries, solver.numConstraints());
        } finally {
            solver.delete();
        }
    }

    /** Rounds kWh to Wh, as solution files carry them. */
    static double wh(double kwh) {
        double r = Math.round(kwh * 1000) / 1000.0;
        return r == 0 ? 0 : r;
    }

    /** One trip arc: from site a to site b, first slot t0 (τ slots), d km. */
    private record Arc(int a, int b, int t0, int tau, double km, MPVariable y) {
    }

    /** The MILP of one instance: variables, constraints, and reading the schedule back. */
    private static final class Model {
        final Instance in;
        final int T;
        final double dt;
        final int nSites;
        final Map<String, Integer> siteIndex = new HashMap<>();
        final double[][] offerKwh;
        final double[][] ask;
        final double[][] bidKwh;
        final double[][] bid;
        final Travel travel;
        int binaries;

        // grid
        final List<int[]> gridKeys = new ArrayList<>(); // {i, j, t}
        final List<MPVariable> gridVars = new ArrayList<>();
        // per EV
        final List<EvVars> evs = new ArrayList<>();

        Model(Instance in) {
            this.in = in;
            this.T = in.slots();
            this.dt = in.slotHours();
            this.nSites = in.sites().size();
            for (int s = 0; s < nSites; s++) {
                siteIndex.put(in.sites().get(s).id(), s);
            }
            offerKwh = new double[nSites][T];
            ask = new double[nSites][T];
            bidKwh = new double[nSites][T];
            bid = new double[nSites][T];
            for (Offer o : in.offers()) {
                int s = siteIndex.get(o.site());
                offerKwh[s][o.slot()] = o.kwh();
                ask[s][o.slot()] = o.askJpyPerKwh();
            }
            for (Bid b : in.bids()) {
                int s = siteIndex.get(b.site());
                bidKwh[s][b.slot()] = b.kwh();
                bid[s][b.slot()] = b.bidJpyPerKwh();
            }
            travel = new Travel(in);
        }

        final class EvVars {
            final Ev ev;
            final int home;
            final List<Integer> sites;          // candidate site indices; sites.get(0) == home
            final MPVariable[][] at;            // [k][t], t = 0..T (T virtual: home)
            final MPVariable[][] c;             // [k][t] or null
            final MPVariable[][] e;
            final MPVariable[][] plugC;
            final MPVariable[][] plugD;
            final List<Arc> arcs = new ArrayList<>();

            EvVars(Ev ev, List<Integer> sites) {
                this.ev = ev;
                this.home = siteIndex.get(ev.home());
                this.sites = sites;
                int n = sites.size();
                at = new MPVariable[n][T + 1];
                c = new MPVariable[n][T];
                e = new MPVariable[n][T];
                plugC = new MPVariable[n][T];
                plugD = new MPVariable[n][T];
            }
        }

        void build(MPSolver solver) {
            double gridFee = in.gridFeeJpyPerKwh();
            var objective = solver.objective();
            objective.setMaximization();
            // sold / got / export rows, created lazily
            MPConstraint[][] soldRow = new MPConstraint[nSites][T];
            MPConstraint[][] gotRow = new MPConstraint[nSites][T];
            MPConstraint[][] exportRow = new MPConstraint[nSites][T];
            Map<String, Integer> feederIndex = new HashMap<>();
            for (int f = 0; f < in.feeders().size(); f++) {
                feederIndex.put(in.feeders().get(f).id(), f);
            }
            int[] feederOf = new int[nSites];
            for (int s = 0; s < nSites; s++) {
                feederOf[s] = feederIndex.get(in.sites().get(s).feeder());
            }
            MPConstraint[][] feederRow = new MPConstraint[in.feeders().size()][T];

            // ---- grid deliveries
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < nSites; i++) {
                    if (offerKwh[i][t] <= 0) {
                        continue;
                    }
                    double exportCap = in.sites().get(i).exportLimitKw() * dt;
                    if (exportCap <= 0) {
                        continue;
                    }
                    for (int j = 0; j < nSites; j++) {
                        if (j == i || bidKwh[j][t] <= 0) {
                            continue;
                        }
                        double margin = bid[j][t] - ask[i][t] - gridFee;
                        if (margin < 0) {
                            continue;
                        }
                        double ub = Math.min(exportCap, Math.min(offerKwh[i][t], bidKwh[j][t]));
                        MPVariable g = solver.makeNumVar(0, ub, "g_" + i + "_" + j + "_" + t);
                        gridKeys.add(new int[]{i, j, t});
                        gridVars.add(g);
                        objective.setCoefficient(g, margin);
                        row(solver, soldRow, i, t, offerKwh[i][t]).setCoefficient(g, 1);
                        row(solver, gotRow, j, t, bidKwh[j][t]).setCoefficient(g, 1);
                        row(solver, exportRow, i, t, exportCap).setCoefficient(g, 1);
                        int fi = feederOf[i];
                        int fj = feederOf[j];
                        if (fi != fj) {
                            row(solver, feederRow, fi, t, in.feeders().get(fi).reverseCapacityKw() * dt)
                                    .setCoefficient(g, 1);
                            row(solver, feederRow, fj, t, in.feeders().get(fj).reverseCapacityKw() * dt)
                                    .setCoefficient(g, -1);
                        }
                    }
                }
            }

            // ---- EVs: ports rows per (site, slot) only where more EVs could plug in than there are ports
            List<List<Integer>> candidates = new ArrayList<>();
            int[][] mayPlug = new int[nSites][T];
            for (Ev ev : in.evs()) {
                List<Integer> sites = candidateSites(ev);
                candidates.add(sites);
                for (int s : sites) {
                    for (int t = 0; t < T; t++) {
                        double[] caps = energyCaps(ev, s, t);
                        if (caps[0] > 0 || caps[1] > 0) {
                            mayPlug[s][t]++;
                        }
                    }
                }
            }
            boolean[][] portsBind = new boolean[nSites][T];
            for (int s = 0; s < nSites; s++) {
                for (int t = 0; t < T; t++) {
                    portsBind[s][t] = mayPlug[s][t] > in.sites().get(s).ports();
                }
            }
            MPConstraint[][] portRow = new MPConstraint[nSites][T];
            for (int v = 0; v < in.evs().size(); v++) {
                EvVars x = new EvVars(in.evs().get(v), candidates.get(v));
                evs.add(x);
                buildEv(solver, x, v, soldRow, gotRow, portRow, portsBind);
            }
        }

        /**
         * Sites an EV might usefully visit: home, and sites where it can charge (ports, a charger, an offer) or
         * discharge usefully (ports, V2X, a bid above its fee) in its window.
         */
        List<Integer> candidateSites(Ev ev) {
            int home = siteIndex.get(ev.home());
            List<Integer> out = new ArrayList<>();
            out.add(home);
            for (int s = 0; s < nSites; s++) {
                for (int t = 0; t < T && s != home; t++) {
                    double[] caps = energyCaps(ev, s, t);
                    if (caps[0] > 0 || caps[1] > 0) {
                        out.add(s);
                        break;
                    }
                }
            }
            return out;
        }

        /** {max charge, max discharge} kWh of an EV at site s in slot t (0 = not possible or never useful). */
        double[] energyCaps(Ev ev, int s, int t) {
            Site site = in.sites().get(s);
            if (site.ports() <= 0 || t < ev.availableFrom() || t >= Math.min(ev.availableTo(), T)) {
                return new double[]{0, 0};
            }
            double cMax = Math.min(ev.chargeKw(), site.chargerKw()) * dt;
            double eMax = Math.min(ev.dischargeKw(), site.v2xKw()) * dt;
            double c = cMax > 0 && offerKwh[s][t] > 0 ? Math.min(cMax, offerKwh[s][t]) : 0;
            // a discharge worth no more than the EV's fee never raises W (drop it and the energy it needs)
            double e = eMax > 0 && bidKwh[s][t] > 0 && bid[s][t] - ev.feeJpyPerKwh() > 0
                    ? Math.min(eMax, bidKwh[s][t]) : 0;
            return new double[]{c, e};
        }

        private MPConstraint row(MPSolver solver, MPConstraint[][] rows, int a, int t, double ub) {
            if (rows[a][t] == null) {
                rows[a][t] = solver.makeConstraint(Double.NEGATIVE_INFINITY, ub);
            }
            return rows[a][t];
        }

        private void buildEv(MPSolver solver, EvVars x, int v, MPConstraint[][] soldRow, MPConstraint[][] gotRow,
                             MPConstraint[][] portRow, boolean[][] portsBind) {
            Ev ev = x.ev;
            var objective = solver.objective();
            int n = x.sites.size();
            int from = ev.availableFrom();
            int to = Math.min(ev.availableTo(), T);
            String pv = "v" + v + "_";
            // pool surplus row: V - C - F >= 0
            MPConstraint pool = solver.makeConstraint(0, Double.POSITIVE_INFINITY, pv + "pool");

            // arcs, with pruning: a trip out of a ≠ home starts after the EV could have got to a and spent a slot;
            // a trip into b ≠ home leaves time for one slot at b and the trip home by availableTo.
            List<List<Arc>> departures = new ArrayList<>(); // index k*(T+1)+t -> arcs from sites[k] starting at t
            List<List<Arc>> arrivals = new ArrayList<>();   // arcs into sites[k] arriving at t
            for (int q = 0; q < n * (T + 1); q++) {
                departures.add(new ArrayList<>());
                arrivals.add(new ArrayList<>());
            }
            // D[a][b]: fewest slots from the start of a trip out of a to arriving at b, via any stops (1 slot each)
            int[][] reach = new int[n][n];
            for (int ka = 0; ka < n; ka++) {
                for (int kb = 0; kb < n; kb++) {
                    reach[ka][kb] = ka == kb ? 0 : travel.slots(in.sites().get(x.sites.get(ka)).id(),
                            in.sites().get(x.sites.get(kb)).id());
                }
            }
            for (int kx = 0; kx < n; kx++) {
                for (int ka = 0; ka < n; ka++) {
                    for (int kb = 0; kb < n; kb++) {
                        reach[ka][kb] = Math.min(reach[ka][kb], reach[ka][kx] + 1 + reach[kx][kb]);
                    }
                }
            }
            // Canonical timing (exact when the triangle inequality holds on d and tau, as for great-circle
            // distances): leaving a site earlier and waiting unplugged at the next one is always as good (the
            // owner's energy drops earlier, which only loosens o + p <= capacity), so a trip leaves a site right
            // after a slot in which the EV could trade there, or leaves home at availableFrom.
            boolean triangle = triangle(x.sites);
            for (int ka = 0; ka < n; ka++) {
                String a = in.sites().get(x.sites.get(ka)).id();
                int earliest = ka == 0 ? from : from + reach[0][ka] + 1;
                boolean[] mayLeave = new boolean[T + 1];
                for (int t0 = 0; t0 <= T; t0++) {
                    boolean tradedBefore = t0 > 0 && t0 - 1 < T && (energyCaps(ev, x.sites.get(ka), t0 - 1)[0] > 0
                            || energyCaps(ev, x.sites.get(ka), t0 - 1)[1] > 0);
                    mayLeave[t0] = !triangle || tradedBefore || ka == 0 && t0 == from;
                }
                for (int kb = 0; kb < n; kb++) {
                    if (ka == kb) {
                        continue;
                    }
                    String b = in.sites().get(x.sites.get(kb)).id();
                    int tau = travel.slots(a, b);
                    int latest = kb == 0 ? ev.availableTo() - tau : ev.availableTo() - tau - 1 - reach[kb][0];
                    double km = travel.km(a, b);
                    for (int t0 = earliest; t0 <= latest; t0++) {
                        if (!mayLeave[t0]) {
                            continue;
                        }
                        MPVariable y = solver.makeBoolVar(pv + "y_" + ka + "_" + kb + "_" + t0);
                        binaries++;
                        Arc arc = new Arc(ka, kb, t0, tau, km, y);
                        x.arcs.add(arc);
                        departures.get(ka * (T + 1) + t0).add(arc);
                        arrivals.get(kb * (T + 1) + t0 + tau).add(arc);
                        objective.setCoefficient(y, -ev.feeJpyPerKm() * km);
                        pool.setCoefficient(y, -ev.feeJpyPerKm() * km);
                    }
                }
            }
            // position and flow conservation: at(k,t) = at(k,t-1) + arrivals(k,t) - departures(k,t);
            // a departure at t needs at(k,t-1) = 1 (a stop has at least one slot)
            for (int k = 0; k < n; k++) {
                boolean isHome = x.sites.get(k) == x.home;
                for (int t = 0; t <= T; t++) {
                    boolean mustBeHome = t >= ev.availableTo();
                    double lb = mustBeHome && isHome ? 1 : 0;
                    double ub = mustBeHome && !isHome ? 0 : 1;
                    x.at[k][t] = solver.makeNumVar(lb, ub, pv + "at_" + k + "_" + t);
                    MPConstraint flow = solver.makeConstraint(t == 0 && isHome ? 1 : 0, t == 0 && isHome ? 1 : 0);
                    flow.setCoefficient(x.at[k][t], 1);
                    if (t > 0) {
                        flow.setCoefficient(x.at[k][t - 1], -1);
                    }
                    List<Arc> dep = departures.get(k * (T + 1) + t);
                    for (Arc arc : arrivals.get(k * (T + 1) + t)) {
                        flow.setCoefficient(arc.y(), -1);
                    }
                    for (Arc arc : dep) {
                        flow.setCoefficient(arc.y(), 1);
                    }
                    if (!dep.isEmpty() && t > 0) {
                        MPConstraint stay = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                        stay.setCoefficient(x.at[k][t - 1], -1);
                        for (Arc arc : dep) {
                            stay.setCoefficient(arc.y(), 1);
                        }
                    }
                }
            }

            // battery as two commodities carried along the EV's path (strong LP relaxation: a fractional path
            // carries only its fraction of a battery). P = traded energy p, O = owner's energy o, per node (k,t)
            // (state at the start of slot t while at site k) and per trip arc (state at the start of its first
            // slot, before the owner's energy drops by kappa*d).
            double etaC = ev.chargeEfficiency();
            double etaD = ev.dischargeEfficiency();
            double cap = ev.capacityKwh();
            double kappa = ev.consumptionKwhPerKm();
            MPVariable[][] pNode = new MPVariable[n][T + 1];
            double room = cap - ev.minKwh();
            for (int k = 0; k < n; k++) {
                for (int t = 0; t <= T; t++) {
                    pNode[k][t] = solver.makeNumVar(0, t == T ? 0 : room, pv + "P_" + k + "_" + t);
                    link(solver, pNode[k][t], 1, x.at[k][t], -room, Double.NEGATIVE_INFINITY, 0);
                }
            }
            Map<Arc, MPVariable> carried = new HashMap<>();
            for (Arc arc : x.arcs) {
                double arcRoom = Math.max(0, room - kappa * arc.km());
                MPVariable q = solver.makeNumVar(0, arcRoom, pv + "Q_" + arc.a() + "_" + arc.b() + "_" + arc.t0());
                carried.put(arc, q);
                link(solver, q, 1, arc.y(), -arcRoom, Double.NEGATIVE_INFINITY, 0);
            }
            MPConstraint[][] pBalance = new MPConstraint[n][T + 1];
            for (int k = 0; k < n; k++) {
                for (int t = 0; t <= T; t++) {
                    // P(k,t) + sum Q(departing at t) - P(k,t-1) - [energy of slot t-1] - sum Q(arriving at t) = 0
                    MPConstraint pb = solver.makeConstraint(0, 0);
                    pBalance[k][t] = pb;
                    pb.setCoefficient(pNode[k][t], 1);
                    if (t > 0) {
                        pb.setCoefficient(pNode[k][t - 1], -1);
                    }
                    for (Arc arc : departures.get(k * (T + 1) + t)) {
                        pb.setCoefficient(carried.get(arc), 1);
                    }
                    for (Arc arc : arrivals.get(k * (T + 1) + t)) {
                        pb.setCoefficient(carried.get(arc), -1);
                    }
                }
            }
            ownerCommodity(solver, x, departures, arrivals, pNode, carried, pv);

            // energy: charge / discharge only parked, plugged, inside the window, one of the two per slot;
            // the plug indicators are binary only where the ports or the one-of-two rule can bind
            for (int k = 0; k < n; k++) {
                int s = x.sites.get(k);
                Site site = in.sites().get(s);
                for (int t = from; t < to; t++) {
                    double[] caps = energyCaps(ev, s, t);
                    boolean canC = caps[0] > 0;
                    boolean canD = caps[1] > 0;
                    if (!canC && !canD) {
                        continue;
                    }
                    boolean integral = portsBind[s][t] || canC && canD;
                    MPConstraint plugged = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                    plugged.setCoefficient(x.at[k][t], -1);
                    MPConstraint port = portsBind[s][t] ? row(solver, portRow, s, t, site.ports()) : null;
                    MPConstraint balance = pBalance[k][t + 1];
                    if (canC) {
                        double ub = caps[0];
                        MPVariable cv = solver.makeNumVar(0, ub, pv + "c_" + k + "_" + t);
                        MPVariable pc = integral ? solver.makeBoolVar(pv + "pc_" + k + "_" + t)
                                : solver.makeNumVar(0, 1, pv + "pc_" + k + "_" + t);
                        binaries += integral ? 1 : 0;
                        x.c[k][t] = cv;
                        x.plugC[k][t] = pc;
                        link(solver, cv, 1, pc, -ub, Double.NEGATIVE_INFINITY, 0);
                        plugged.setCoefficient(pc, 1);
                        if (port != null) {
                            port.setCoefficient(pc, 1);
                        }
                        row(solver, soldRow, s, t, offerKwh[s][t]).setCoefficient(cv, 1);
                        balance.setCoefficient(cv, -etaC);
                        objective.setCoefficient(cv, -ask[s][t]);
                        pool.setCoefficient(cv, -ask[s][t]);
                    }
                    if (canD) {
                        double ub = caps[1];
                        MPVariable ev2 = solver.makeNumVar(0, ub, pv + "e_" + k + "_" + t);
                        MPVariable pd = integral ? solver.makeBoolVar(pv + "pd_" + k + "_" + t)
                                : solver.makeNumVar(0, 1, pv + "pd_" + k + "_" + t);
                        binaries += integral ? 1 : 0;
                        x.e[k][t] = ev2;
                        x.plugD[k][t] = pd;
                        link(solver, ev2, 1, pd, -ub, Double.NEGATIVE_INFINITY, 0);
                        plugged.setCoefficient(pd, 1);
                        if (port != null) {
                            port.setCoefficient(pd, 1);
                        }
                        row(solver, gotRow, s, t, bidKwh[s][t]).setCoefficient(ev2, 1);
                        balance.setCoefficient(ev2, 1 / etaD);
                        double value = bid[s][t] - ev.feeJpyPerKwh();
                        objective.setCoefficient(ev2, value);
                        pool.setCoefficient(ev2, value);
                    }
                }
            }
        }

        /** Owner's energy as a commodity along the path: O per node and per trip arc; O + P <= capacity. */
        private void ownerCommodity(MPSolver solver, EvVars x, List<List<Arc>> departures, List<List<Arc>> arrivals,
                                    MPVariable[][] pNode, Map<Arc, MPVariable> carried, String pv) {
            Ev ev = x.ev;
            int n = x.sites.size();
            double cap = ev.capacityKwh();
            double kappa = ev.consumptionKwhPerKm();
            MPVariable[][] oNode = new MPVariable[n][T + 1];
            for (int k = 0; k < n; k++) {
                for (int t = 0; t <= T; t++) {
                    oNode[k][t] = solver.makeNumVar(0, ev.initialKwh(), pv + "O_" + k + "_" + t);
                    MPVariable a = x.at[k][t];
                    link(solver, oNode[k][t], 1, a, -ev.initialKwh(), Double.NEGATIVE_INFINITY, 0);
                    link(solver, oNode[k][t], 1, a, -ev.minKwh(), 0, Double.POSITIVE_INFINITY);
                    MPConstraint full = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                    full.setCoefficient(pNode[k][t], 1);
                    full.setCoefficient(oNode[k][t], 1);
                    full.setCoefficient(a, -cap);
                }
            }
            Map<Arc, MPVariable> qo = new HashMap<>();
            for (Arc arc : x.arcs) {
                MPVariable v = solver.makeNumVar(0, ev.initialKwh(), pv + "QO_" + arc.a() + "_" + arc.b() + "_"
                        + arc.t0());
                qo.put(arc, v);
                link(solver, v, 1, arc.y(), -ev.initialKwh(), Double.NEGATIVE_INFINITY, 0);
                link(solver, v, 1, arc.y(), -(ev.minKwh() + kappa * arc.km()), 0, Double.POSITIVE_INFINITY);
                MPConstraint full = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                full.setCoefficient(carried.get(arc), 1);
                full.setCoefficient(v, 1);
                full.setCoefficient(arc.y(), -cap);
            }
            for (int k = 0; k < n; k++) {
                for (int t = 0; t <= T; t++) {
                    double rhs = t == 0 && k == 0 ? ev.initialKwh() : 0;
                    MPConstraint ob = solver.makeConstraint(rhs, rhs);
                    ob.setCoefficient(oNode[k][t], 1);
                    if (t > 0) {
                        ob.setCoefficient(oNode[k][t - 1], -1);
                    }
                    for (Arc arc : departures.get(k * (T + 1) + t)) {
                        ob.setCoefficient(qo.get(arc), 1);
                    }
                    for (Arc arc : arrivals.get(k * (T + 1) + t)) {
                        ob.setCoefficient(qo.get(arc), -1);
                        ob.setCoefficient(arc.y(), kappa * arc.km());
                    }
                }
            }
        }

        /** Whether d and tau satisfy the triangle inequality on these sites (a via stop then never helps). */
        private boolean triangle(List<Integer> sites) {
            for (int a : sites) {
                for (int b : sites) {
                    for (int c : sites) {
                        if (a == b || b == c || a == c) {
                            continue;
                        }
                        String sa = in.sites().get(a).id();
                        String sb = in.sites().get(b).id();
                        String sc = in.sites().get(c).id();
                        if (travel.km(sa, sc) > travel.km(sa, sb) + travel.km(sb, sc) + 1e-9
                                || travel.slots(sa, sc) > travel.slots(sa, sb) + 1 + travel.slots(sb, sc)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        private static void link(MPSolver solver, MPVariable a, double ca, MPVariable b, double cb, double lb,
                                 double ub) {
            MPConstraint r = solver.makeConstraint(lb, ub);
            r.setCoefficient(a, ca);
            r.setCoefficient(b, cb);
        }

        ExactResult empty(double bound, double seconds) {
            return new ExactResult(0, bound, false, List.of(),
                    evs.stream().map(x -> new Solution.Itinerary(x.ev.id(), List.of())).toList(), seconds);
        }

        ExactResult extract(double objective, double bound, boolean optimal, double seconds) {
            double gridFee = in.gridFeeJpyPerKwh();
            double welfare = 0;
            List<Solution.GridDelivery> grid = new ArrayList<>();
            for (int q = 0; q < gridVars.size(); q++) {
                double kwh = wh(gridVars.get(q).solutionValue());
                if (kwh > 0) {
                    int[] key = gridKeys.get(q);
                    grid.add(new Solution.GridDelivery(in.sites().get(key[0]).id(), in.sites().get(key[1]).id(),
                            key[2], kwh));
                    welfare += (bid[key[1]][key[2]] - ask[key[0]][key[2]] - gridFee) * kwh;
                }
            }
            List<Solution.Itinerary> itineraries = new ArrayList<>();
            if (Boolean.getBoolean("exact.dump")) {
                for (EvVars x : evs) {
                    for (Arc arc : x.arcs) {
                        if (arc.y().solutionValue() > 1e-6) {
                            LOG.info("{} arc {}->{} t0 {} y {}", x.ev.id(), in.sites().get(x.sites.get(arc.a())).id(),
                                    in.sites().get(x.sites.get(arc.b())).id(), arc.t0(), arc.y().solutionValue());
                        }
                    }
                    for (int k = 0; k < x.sites.size(); k++) {
                        for (int t = 0; t < T; t++) {
                            double cv = x.c[k][t] == null ? 0 : x.c[k][t].solutionValue();
                            double ev = x.e[k][t] == null ? 0 : x.e[k][t].solutionValue();
                            if (cv > 1e-6 || ev > 1e-6) {
                                LOG.info("{} {} t {} at {} c {} e {}", x.ev.id(), in.sites().get(x.sites.get(k)).id(),
                                        t, x.at[k][t].solutionValue(), cv, ev);
                            }
                        }
                    }
                }
            }
            for (EvVars x : evs) {
                Solution.Itinerary it = itinerary(x);
                itineraries.add(it);
                welfare += evWelfare(x.ev, it);
            }
            return new ExactResult(welfare, bound, optimal, grid, itineraries, seconds);
        }

        /** W contribution of one EV's itinerary as a checker recomputes it from the (rounded) file. */
        private double evWelfare(Ev ev, Solution.Itinerary it) {
            double w = 0;
            String prev = ev.home();
            for (Solution.Stop stop : it.stops()) {
                int s = siteIndex.get(stop.site());
                w -= ev.feeJpyPerKm() * travel.km(prev, stop.site());
                prev = stop.site();
                for (Solution.StopSlot ss : stop.slots()) {
                    w -= ask[s][ss.slot()] * ss.charge();
                    w += (bid[s][ss.slot()] - ev.feeJpyPerKwh()) * ss.discharge();
                }
            }
            w -= ev.feeJpyPerKm() * travel.km(prev, ev.home());
            return w;
        }

        /** Reads the EV's path back into stops (see the class comment and the conventions on timing). */
        private Solution.Itinerary itinerary(EvVars x) {
            int n = x.sites.size();
            // location per slot: site k, or -1 while driving
            int[] loc = new int[T];
            for (int t = 0; t < T; t++) {
                loc[t] = -1;
                for (int k = 0; k < n; k++) {
                    if (x.at[k][t].solutionValue() > 0.5) {
                        loc[t] = k;
                    }
                }
            }
            // runs of consecutive slots at one site
            List<int[]> runs = new ArrayList<>(); // {k, first, last}
            for (int t = 0; t < T; t++) {
                if (loc[t] < 0) {
                    continue;
                }
                if (!runs.isEmpty() && runs.getLast()[0] == loc[t] && runs.getLast()[2] == t - 1) {
                    runs.getLast()[2] = t;
                } else {
                    runs.add(new int[]{loc[t], t, t});
                }
            }
            List<Solution.Stop> stops = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                int[] run = runs.get(r);
                int k = run[0];
                List<Solution.StopSlot> slots = new ArrayList<>();
                int firstEnergy = -1;
                int lastEnergy = -1;
                for (int t = run[1]; t <= run[2]; t++) {
                    double cv = x.c[k][t] == null ? 0 : wh(x.c[k][t].solutionValue());
                    double ev = x.e[k][t] == null ? 0 : wh(x.e[k][t].solutionValue());
                    if (cv > 0 || ev > 0) {
                        slots.add(new Solution.StopSlot(t, cv > 0 ? cv : null, ev > 0 ? ev : null));
                        firstEnergy = firstEnergy < 0 ? t : firstEnergy;
                        lastEnergy = t;
                    }
                }
                boolean isHome = x.sites.get(k) == x.home;
                boolean firstRun = r == 0 && run[1] == 0;
                boolean lastRun = r == runs.size() - 1 && isHome && run[1] > 0;
                String site = in.sites().get(x.sites.get(k)).id();
                if (isHome && firstRun) {
                    // at home before the first trip: a stop only if it trades, from its first energy slot
                    if (firstEnergy >= 0) {
                        stops.add(new Solution.Stop(site, firstEnergy, run[2], slots));
                    }
                } else if (isHome && lastRun) {
                    // back home for good: a stop only if it trades, up to its last energy slot
                    if (firstEnergy >= 0) {
                        stops.add(new Solution.Stop(site, run[1], lastEnergy, slots));
                    }
                } else {
                    stops.add(new Solution.Stop(site, run[1], run[2], slots));
                }
            }
            // an EV that never leaves home has one run [0, T-1]: it is "first", so its stop starts at the first
            // energy slot; trim its end to the last energy slot as well
            if (runs.size() == 1 && stops.size() == 1) {
                Solution.Stop only = stops.getFirst();
                int last = only.slots().getLast().slot();
                stops.set(0, new Solution.Stop(only.site(), only.arrive(), last, only.slots()));
            }
            return new Solution.Itinerary(x.ev.id(), stops);
        }
    }
}
