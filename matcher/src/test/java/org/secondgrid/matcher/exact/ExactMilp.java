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
 *       candidate sites, a virtual slot T in which the EV must be home, binaries {@code plugC/plugD(s,t)} and
 *       continuous {@code c(s,t)}, {@code e(s,t)}, battery states {@code o(t)}, {@code p(t)} for t = 0..T.</li>
 * </ul>
 * Waiting unplugged before arriving at a stop is modelled as being at the stop without energy (the same thing
 * for every rule), so trips arrive exactly τ slots after they start.
 */
public final class ExactMilp {

    private static final Logger LOG = LoggerFactory.getLogger(ExactMilp.class);
    private static final double EPS = 1e-7;
    private static volatile boolean nativesLoaded;

    private ExactMilp() {
    }

    /** The optimum (or the best found within the time limit) and its schedule in the solution format. */
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
            solver.setTimeLimit(Math.max(1, Math.round(timeLimitSeconds * 1000)));
            MPSolverParameters params = new MPSolverParameters();
            params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-9);
            params.setDoubleParam(MPSolverParameters.DoubleParam.PRIMAL_TOLERANCE, 1e-9);
            MPSolver.ResultStatus status = solver.solve(params);
            double seconds = (System.nanoTime() - start) / 1e9;
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

    /** Sites an EV might usefully visit: ports and (a charger and some offer, or V2X and some bid) in its window. */
    static List<Integer> candidateSites(Instance in, Ev ev, double[][] offerKwh, double[][] bidKwh,
                                        Map<String, Integer> siteIndex) {
        int home = siteIndex.get(ev.home());
        List<Integer> out = new ArrayList<>();
        out.add(home);
        int to = Math.min(ev.availableTo(), in.slots());
        for (int s = 0; s < in.sites().size(); s++) {
            if (s == home) {
                continue;
            }
            if (canCharge(in, ev, s, offerKwh, to) || canDischarge(in, ev, s, bidKwh, to)) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean canCharge(Instance in, Ev ev, int s, double[][] offerKwh, int to) {
        Site site = in.sites().get(s);
        if (site.ports() <= 0 || site.chargerKw() <= 0 || ev.chargeKw() <= 0) {
            return false;
        }
        for (int t = ev.availableFrom(); t < to; t++) {
            if (offerKwh[s][t] > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean canDischarge(Instance in, Ev ev, int s, double[][] bidKwh, int to) {
        Site site = in.sites().get(s);
        if (site.ports() <= 0 || site.v2xKw() <= 0 || ev.dischargeKw() <= 0) {
            return false;
        }
        for (int t = ev.availableFrom(); t < to; t++) {
            if (bidKwh[s][t] > 0) {
                return true;
            }
        }
        return false;
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
            final MPVariable[] p;               // t = 0..T
            final MPVariable[] o;

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
                p = new MPVariable[T + 1];
                o = new MPVariable[T + 1];
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

            // ---- EVs
            // ports rows per (site, slot)
            MPConstraint[][] portRow = new MPConstraint[nSites][T];
            for (int v = 0; v < in.evs().size(); v++) {
                Ev ev = in.evs().get(v);
                EvVars x = new EvVars(ev, candidateSites(in, ev, offerKwh, bidKwh, siteIndex));
                evs.add(x);
                buildEv(solver, x, v, soldRow, gotRow, portRow);
            }
        }

        private MPConstraint row(MPSolver solver, MPConstraint[][] rows, int a, int t, double ub) {
            if (rows[a][t] == null) {
                rows[a][t] = solver.makeConstraint(Double.NEGATIVE_INFINITY, ub);
            }
            return rows[a][t];
        }

        private void buildEv(MPSolver solver, EvVars x, int v, MPConstraint[][] soldRow, MPConstraint[][] gotRow,
                             MPConstraint[][] portRow) {
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
            for (int ka = 0; ka < n; ka++) {
                String a = in.sites().get(x.sites.get(ka)).id();
                int earliest = ka == 0 ? from : from + reach[0][ka] + 1;
                for (int kb = 0; kb < n; kb++) {
                    if (ka == kb) {
                        continue;
                    }
                    String b = in.sites().get(x.sites.get(kb)).id();
                    int tau = travel.slots(a, b);
                    int latest = kb == 0 ? ev.availableTo() - tau : ev.availableTo() - tau - 1 - reach[kb][0];
                    double km = travel.km(a, b);
                    for (int t0 = earliest; t0 <= latest; t0++) {
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

            // energy: charge / discharge only parked, plugged, inside the window, one of the two per slot
            double etaC = ev.chargeEfficiency();
            double etaD = ev.dischargeEfficiency();
            MPConstraint[] balance = new MPConstraint[T];
            for (int t = 0; t <= T; t++) {
                x.p[t] = solver.makeNumVar(0, t == T ? 0 : ev.capacityKwh(), pv + "p_" + t);
                x.o[t] = solver.makeNumVar(ev.minKwh(), ev.initialKwh(), pv + "o_" + t);
                // o + p <= capacity
                MPConstraint capRow = solver.makeConstraint(Double.NEGATIVE_INFINITY, ev.capacityKwh());
                capRow.setCoefficient(x.p[t], 1);
                capRow.setCoefficient(x.o[t], 1);
            }
            MPConstraint p0 = solver.makeConstraint(0, 0);
            p0.setCoefficient(x.p[0], 1);
            MPConstraint o0 = solver.makeConstraint(ev.initialKwh(), ev.initialKwh());
            o0.setCoefficient(x.o[0], 1);
            for (int t = 0; t < T; t++) {
                // p(t+1) - p(t) - etaC*c + e/etaD = 0
                balance[t] = solver.makeConstraint(0, 0);
                balance[t].setCoefficient(x.p[t + 1], 1);
                balance[t].setCoefficient(x.p[t], -1);
                // o(t+1) - o(t) + kappa * sum(km * y(arcs starting at t)) = 0
                MPConstraint drive = solver.makeConstraint(0, 0);
                drive.setCoefficient(x.o[t + 1], 1);
                drive.setCoefficient(x.o[t], -1);
                for (int k = 0; k < n; k++) {
                    for (Arc arc : departures.get(k * (T + 1) + t)) {
                        drive.setCoefficient(arc.y(), ev.consumptionKwhPerKm() * arc.km());
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                int s = x.sites.get(k);
                Site site = in.sites().get(s);
                double cMax = Math.min(ev.chargeKw(), site.chargerKw()) * dt;
                double eMax = Math.min(ev.dischargeKw(), site.v2xKw()) * dt;
                if (site.ports() <= 0) {
                    continue;
                }
                for (int t = from; t < to; t++) {
                    boolean canC = cMax > 0 && offerKwh[s][t] > 0;
                    boolean canD = eMax > 0 && bidKwh[s][t] > 0 && bid[s][t] - ev.feeJpyPerKwh() > 0;
                    if (!canC && !canD) {
                        continue;
                    }
                    MPConstraint plugged = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                    plugged.setCoefficient(x.at[k][t], -1);
                    MPConstraint port = row(solver, portRow, s, t, site.ports());
                    if (canC) {
                        double ub = Math.min(cMax, offerKwh[s][t]);
                        MPVariable cv = solver.makeNumVar(0, ub, pv + "c_" + k + "_" + t);
                        MPVariable pc = solver.makeBoolVar(pv + "pc_" + k + "_" + t);
                        binaries++;
                        x.c[k][t] = cv;
                        x.plugC[k][t] = pc;
                        MPConstraint link = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                        link.setCoefficient(cv, 1);
                        link.setCoefficient(pc, -ub);
                        plugged.setCoefficient(pc, 1);
                        port.setCoefficient(pc, 1);
                        row(solver, soldRow, s, t, offerKwh[s][t]).setCoefficient(cv, 1);
                        balance[t].setCoefficient(cv, -etaC);
                        objective.setCoefficient(cv, -ask[s][t]);
                        pool.setCoefficient(cv, -ask[s][t]);
                    }
                    if (canD) {
                        double ub = Math.min(eMax, bidKwh[s][t]);
                        MPVariable ev2 = solver.makeNumVar(0, ub, pv + "e_" + k + "_" + t);
                        MPVariable pd = solver.makeBoolVar(pv + "pd_" + k + "_" + t);
                        binaries++;
                        x.e[k][t] = ev2;
                        x.plugD[k][t] = pd;
                        MPConstraint link = solver.makeConstraint(Double.NEGATIVE_INFINITY, 0);
                        link.setCoefficient(ev2, 1);
                        link.setCoefficient(pd, -ub);
                        plugged.setCoefficient(pd, 1);
                        port.setCoefficient(pd, 1);
                        row(solver, gotRow, s, t, bidKwh[s][t]).setCoefficient(ev2, 1);
                        balance[t].setCoefficient(ev2, 1 / etaD);
                        double value = bid[s][t] - ev.feeJpyPerKwh();
                        objective.setCoefficient(ev2, value);
                        pool.setCoefficient(ev2, value);
                    }
                }
            }
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
