package org.secondgrid.matcher.solver;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.pricing.PoolPricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears one delivery day. The grid is cleared exactly first (max-welfare flow per slot within export and feeder
 * limits); Timefold then routes the EVs through what the grid cannot carry (list variable of visits per EV, the
 * {@link RoutePlanner} deriving timing and energy); the best schedule is repaired to feasibility if the deadline
 * cut the search short, then priced into pools, payments and trades.
 */
public final class MarketSolver {

    private static final Logger LOG = LoggerFactory.getLogger(MarketSolver.class);
    /** With the joint LP polish to follow (small towns), the search stops after this share of the time without a
     * better schedule. */
    private static final double UNIMPROVED_SHARE_WITH_LP = 0.15;
    /**
     * Towns above {@link JointImprover#MAX_SITES} sites (with the LP): the steps after the search (the improver's
     * pass and the one-EV-at-a-time LP polish run to convergence over widening neighbourhoods) get this much time
     * per EV, the search the rest — but the search keeps at least {@link #BIG_TOWN_MIN_SEARCH_SHARE}. Per second the
     * polish gains far more than the search (5,000 sites / 300 EVs: the search ≈ 250 JPY/s, the polish ≈ 1,000
     * JPY/s) and converges in ≈ 20 s on an idle 2-core box (≈ 35 s while other builds load it); a longer run gives
     * the extra time to the search, whose better start the polish then carries further.
     */
    private static final long BIG_TOWN_POLISH_NANOS_PER_EV = 120_000_000L;
    private static final double BIG_TOWN_MIN_SEARCH_SHARE = 0.1;

    private MarketSolver() {
    }

    public static Solution solve(Instance instance, SolveOptions options) {
        return solve(instance, options, Map.of());
    }

    /**
     * Clears the day with the itineraries of {@code fixed} (EV id → itinerary, e.g. accepted jobs) kept exactly as
     * given: their routes are pinned for Timefold ({@code @PlanningPin}) and skipped by the initial routes, repair,
     * improvers and LP polish, while the grid and the other EVs are optimised around them (ports per slot, offers
     * and bids shared). The fixed itineraries must be feasible on their own (checked by the caller, e.g. they come
     * from an earlier solution of the same instance).
     */
    public static Solution solve(Instance instance, SolveOptions options, Map<String, Solution.Itinerary> fixed) {
        long start = System.nanoTime();
        long deadline = start + options.timeLimit().toNanos();
        if (options.useEvs() && !instance.evs().isEmpty()) {
            LpPolish.preload(); // the LP's native library loads while the grid clears and the search runs
        }
        MarketIndex m = new MarketIndex(instance);
        Map<Integer, RoutePlan> fixedPlans = fixedPlans(m, instance, fixed);
        SiteSlotUsage fixedUsage = new SiteSlotUsage();
        fixedPlans.values().forEach(fixedUsage::add);
        // the grid clears exactly on what the fixed itineraries leave; what it leaves in turn still holds their energy
        GridClearing.Result grid = fixedPlans.isEmpty() ? GridClearing.clear(m) : clearAfterEvs(m, fixedUsage);
        LOG.info("grid cleared exactly: {} deliveries, welfare {} JPY in {} ms", grid.flows().size(),
                String.format("%.2f", MarketIndex.jpy(grid.welfareUnits())), (System.nanoTime() - start) / 1_000_000);
        ResidualMarket residual = ResidualMarket.afterGrid(m, grid);
        RoutePlanner planner = new RoutePlanner(residual);
        List<EvRoute> routes = new ArrayList<>();
        for (int v = 0; v < instance.evs().size(); v++) {
            var ev = instance.evs().get(v);
            EvInfo info = new EvInfo(v, ev, m.siteIndex(ev.home()));
            routes.add(fixedPlans.containsKey(v) ? EvRoute.fixed(info, fixedPlans.get(v)) : new EvRoute(info, planner));
        }
        if (options.useEvs() && routes.stream().anyMatch(r -> !r.isFixed())) {
            List<Visit> visits = CandidateVisits.of(residual, routes.size());
            MarketSchedule problem = new MarketSchedule(residual, visits, routes);
            long built = System.nanoTime();
            InitialRoutes.build(problem, planner);
            LOG.info("EV search: {} EVs, {} candidate visits; initial routes welfare {} JPY ({} ms)", routes.size(),
                    visits.size(), String.format("%.2f", MarketIndex.jpy(evWelfare(routes))),
                    (System.nanoTime() - built) / 1_000_000);
            // the search's share of the time left: 85 % without the LP or with the joint LP (small towns, where it
            // also stops once it no longer improves, leaving the time to the LP), 80 % up to 1,500 sites; in big
            // towns (no joint improver) all but what the per-EV LP polish needs to converge, at least 10 %
            long now = System.nanoTime();
            boolean jointLp = LpPolish.available() && LpPolish.isJoint(m);
            long available = deadline - reserveForPricing(m) - now;
            long searchDeadline;
            if (!LpPolish.available() || jointLp || m.siteCount() <= JointImprover.MAX_SITES) {
                searchDeadline = now + (long) (available * (!LpPolish.available() || jointLp ? 0.85 : 0.8));
            } else {
                long free = routes.stream().filter(r -> !r.isFixed()).count();
                long after = Math.min((long) (available * (1 - BIG_TOWN_MIN_SEARCH_SHARE)),
                        free * BIG_TOWN_POLISH_NANOS_PER_EV);
                searchDeadline = now + available - after;
            }
            Duration unimproved = jointLp ? Duration.ofNanos(Math.max(300_000_000L,
                    (long) ((deadline - start) * UNIMPROVED_SHARE_WITH_LP))) : null;
            if (searchDeadline - System.nanoTime() > 300_000_000L) {
                MarketSchedule best = search(problem, searchDeadline, options.seed(), unimproved);
                routes = best.getRoutes();
            }
            int dropped = Repair.makeFeasible(routes, residual);
            if (dropped > 0) {
                LOG.warn("dropped {} EV route(s) to keep the schedule feasible", dropped);
            }
            routes = new ArrayList<>(routes);
            long finalEnd = deadline - reserveForPricing(m) / 2;
            boolean lp = LpPolish.available();
            // with the LP, the improvers get a third (big towns: half) of what is left and the LP polish the rest
            long end = lp ? System.nanoTime() + (finalEnd - System.nanoTime()) / (jointLp ? 3 : 2) : finalEnd;
            long improverStart = System.nanoTime();
            int improved = new RouteImprover(residual).improve(routes, end);
            LOG.info("{} EV day(s) improved with the other EVs fixed; EV welfare now {} JPY ({} ms)", improved,
                    String.format("%.2f", MarketIndex.jpy(evWelfare(routes))),
                    (System.nanoTime() - improverStart) / 1_000_000);
            if (m.siteCount() <= JointImprover.MAX_SITES) {
                JointImprover joint = new JointImprover(m);
                int total = 0;
                for (int round = 0; round < 4 && System.nanoTime() < end; round++) {
                    int n = joint.improve(routes, end);
                    total += n;
                    if (n == 0) {
                        break;
                    }
                }
                LOG.info("{} EV day(s) improved against the grid (EV energy displacing grid energy where it is worth"
                        + " more)", total);
            }
            if (lp) {
                List<EvRoute> before = new ArrayList<>(routes);
                try {
                    // its last LP solve, rounding and welfare check come after its deadline: keep a margin
                    new LpPolish(m).polish(routes, residualNow(m, residual, routes),
                            finalEnd - reserveForPricing(m) / 2);
                } catch (RuntimeException e) { // a bug in the polish must not cost the day's schedule
                    LOG.error("LP polish failed; keeping the searched schedule", e);
                    routes = before;
                }
            }
        }
        // the grid clears exactly on what the EVs leave; when the EVs only used what the grid-first clearing left,
        // its flows are still feasible there and so still optimal: no second clearing
        SiteSlotUsage evUsage = new SiteSlotUsage();
        routes.forEach(r -> evUsage.add(r.plan()));
        if (!evUsage.withinEnergyOf(residual)) {
            grid = clearAfterEvs(m, evUsage);
        }
        List<PoolPricing.EvDay> days = new ArrayList<>();
        List<Solution.Itinerary> itineraries = new ArrayList<>();
        for (EvRoute r : routes) {
            RoutePlan plan = r.plan();
            if (plan.isEmpty()) {
                continue;
            }
            days.add(new PoolPricing.EvDay(r.getEv().ev(), plan.km(), plan.actions()));
            itineraries.add(itinerary(m, r.getId(), plan));
        }
        PoolPricing.Priced priced = PoolPricing.price(m, grid.flows(), days, options.k());
        // the final schedule is feasible by construction (repair), its soft score is its welfare in 1e-5 JPY
        String score = "0hard/" + priced.welfareUnits() + "soft";
        List<Solution.GridDelivery> deliveries = grid.flows().stream()
                .map(f -> new Solution.GridDelivery(m.site(f.seller()).id(), m.site(f.buyer()).id(), f.slot(),
                        f.wh() / 1000.0))
                .toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        Totals totals = Totals.of(m, grid, days);
        LOG.info("cleared {} {}: welfare {} JPY ({} by grid, {} EV routes), {} s, score {}", instance.market(),
                instance.deliveryDay(), String.format("%.2f", MarketIndex.jpy(priced.welfareUnits())),
                String.format("%.2f", MarketIndex.jpy(grid.welfareUnits())), itineraries.size(),
                String.format("%.1f", seconds), score);
        return new Solution(Instance.MODEL_VERSION, instance.market(), instance.deliveryDay(),
                Math.round(MarketIndex.jpy(priced.welfareUnits()) * 100) / 100.0,
                new Solution.SolverInfo(options.useEvs() ? "timefold" : "grid-only", Math.round(seconds * 10) / 10.0,
                        score),
                deliveries, itineraries, priced.trades(), priced.payments(), priced.pools(),
                totals.curtailedWh() / 1000.0, totals.unmetWh() / 1000.0);
    }

    /** The plans of the fixed itineraries by EV index, exactly as given (stops, slots, kWh). */
    static Map<Integer, RoutePlan> fixedPlans(MarketIndex m, Instance in, Map<String, Solution.Itinerary> fixed) {
        Map<Integer, RoutePlan> out = new HashMap<>();
        for (var e : fixed.entrySet()) {
            int v = -1;
            for (int i = 0; i < in.evs().size(); i++) {
                if (in.evs().get(i).id().equals(e.getKey())) {
                    v = i;
                }
            }
            if (v < 0) {
                throw new IllegalArgumentException("fixed itinerary: ev " + e.getKey() + " is not in the instance");
            }
            out.put(v, planOf(m, new EvInfo(v, in.evs().get(v), m.siteIndex(in.evs().get(v).home())), e.getValue()));
        }
        return out;
    }

    /** A given itinerary as a route plan, amounts untouched: value, cost and fees as the planner counts them. */
    static RoutePlan planOf(MarketIndex m, EvInfo info, Solution.Itinerary it) {
        var ev = info.ev();
        List<RoutePlan.PlannedStop> stops = new ArrayList<>();
        List<EnergyAction> all = new ArrayList<>();
        long value = 0;
        long cost = 0;
        long delivered = 0;
        double km = 0;
        int at = info.home();
        for (Solution.Stop st : it.stops()) {
            int s;
            try {
                s = m.siteIndex(st.site());
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("fixed itinerary of " + ev.id() + ": site " + st.site()
                        + " is not in the instance", ex);
            }
            km += m.km(at, s);
            at = s;
            List<EnergyAction> acts = new ArrayList<>();
            for (Solution.StopSlot ss : st.slots()) {
                if (ss.slot() < 0 || ss.slot() >= m.slots()) {
                    throw new IllegalArgumentException("fixed itinerary of " + ev.id() + ": slot " + ss.slot()
                            + " is outside the day");
                }
                if (ss.charge() > 0) {
                    long wh = MarketIndex.wh(ss.charge());
                    acts.add(new EnergyAction(ev.id(), info.index(), s, ss.slot(), wh, true));
                    cost += m.askCents(s, ss.slot()) * wh;
                } else if (ss.discharge() > 0) {
                    long wh = MarketIndex.wh(ss.discharge());
                    acts.add(new EnergyAction(ev.id(), info.index(), s, ss.slot(), wh, false));
                    value += m.bidCents(s, ss.slot()) * wh;
                    delivered += wh;
                }
            }
            stops.add(new RoutePlan.PlannedStop(s, st.arrive(), st.depart(), acts));
            all.addAll(acts);
        }
        km += m.km(at, info.home());
        long fees = MarketIndex.cents(ev.feeJpyPerKwh()) * delivered + Math.round(ev.feeJpyPerKm() * km * 1e5);
        return new RoutePlan(stops, all, km, value, cost, fees, 0, 0, 0);
    }

    /**
     * What the grid leaves to the EVs now: the grid-first residual while the EVs only use what it left (its flows
     * are then still optimal), else the residual of the grid cleared again on what the EVs leave.
     */
    private static ResidualMarket residualNow(MarketIndex m, ResidualMarket gridFirst, List<EvRoute> routes) {
        SiteSlotUsage usage = new SiteSlotUsage();
        routes.forEach(r -> usage.add(r.plan()));
        return usage.withinEnergyOf(gridFirst) ? gridFirst : ResidualMarket.afterGrid(m, clearAfterEvs(m, usage));
    }

    private static GridClearing.Result clearAfterEvs(MarketIndex m, SiteSlotUsage usage) {
        long[][] offer = m.offersWh();
        long[][] bid = m.bidsWh();
        for (int s = 0; s < m.siteCount(); s++) {
            for (int t = 0; t < m.slots(); t++) {
                offer[s][t] -= usage.chargedWh(s, t);
                bid[s][t] -= usage.dischargedWh(s, t);
            }
        }
        return GridClearing.clear(m, offer, bid);
    }

    private static long reserveForPricing(MarketIndex m) {
        return 300_000_000L + (long) m.siteCount() * 800_000L; // 0.3 s + 0.8 ms per site (grid re-clearing, pricing)
    }

    private static long evWelfare(List<EvRoute> routes) {
        return routes.stream().mapToLong(r -> r.plan().surplusUnits()).sum();
    }

    /**
     * Runs the local search until {@code deadlineNanos} (System.nanoTime based): a watchdog terminates the solver
     * at the deadline whatever the configured limits, so the solve never overruns.
     */
    private static MarketSchedule search(MarketSchedule problem, long deadlineNanos, long seed,
                                         Duration unimproved) {
        TerminationConfig termination = new TerminationConfig().withSpentLimit(Duration.ofMillis(
                Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000)));
        if (unimproved != null) {
            termination = termination.withUnimprovedSpentLimit(unimproved);
        }
        SolverConfig config = new SolverConfig()
                .withSolutionClass(MarketSchedule.class)
                .withEntityClasses(EvRoute.class)
                .withConstraintProviderClass(MarketConstraints.class)
                .withRandomSeed(seed)
                .withPhases(new LocalSearchPhaseConfig())
                .withTerminationConfig(termination);
        Solver<MarketSchedule> solver = SolverFactory.<MarketSchedule>create(config).buildSolver();
        if (deadlineNanos - System.nanoTime() < 100_000_000L) {
            LOG.warn("no time left for the EV search after building the solver");
            return problem;
        }
        long t0 = System.nanoTime();
        long[] lastLog = {0};
        solver.addEventListener(event -> {
            long now = System.nanoTime();
            if (now - lastLog[0] > 1_000_000_000L) {
                lastLog[0] = now;
                LOG.info("  {} s: best score {}", String.format("%.1f", (now - t0) / 1e9), event.getNewBestScore());
            }
        });
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                long wait = deadlineNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(java.time.Duration.ofNanos(wait));
                }
                if (solver.isSolving()) {
                    LOG.info("deadline reached: stopping the search");
                }
                solver.terminateEarly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        MarketSchedule best = solver.solve(problem);
        watchdog.interrupt();
        HardSoftLongScore s = best.getScore();
        LOG.info("search ended after {} s with score {}", String.format("%.1f", (System.nanoTime() - t0) / 1e9), s);
        return best;
    }

    static Solution.Itinerary itinerary(MarketIndex m, String ev, RoutePlan plan) {
        List<Solution.Stop> stops = new ArrayList<>();
        for (RoutePlan.PlannedStop st : plan.stops()) {
            List<Solution.StopSlot> slots = new ArrayList<>();
            for (EnergyAction a : st.actions()) {
                slots.add(a.charge() ? new Solution.StopSlot(a.slot(), a.wh() / 1000.0, null)
                        : new Solution.StopSlot(a.slot(), null, a.wh() / 1000.0));
            }
            stops.add(new Solution.Stop(m.site(st.site()).id(), st.arrive(), st.depart(), slots));
        }
        return new Solution.Itinerary(ev, stops);
    }

    /** Curtailed and unmet energy of the whole schedule. */
    record Totals(long curtailedWh, long unmetWh) {
        static Totals of(MarketIndex m, GridClearing.Result grid, List<PoolPricing.EvDay> days) {
            long offered = 0;
            long wanted = 0;
            for (int s = 0; s < m.siteCount(); s++) {
                for (int t = 0; t < m.slots(); t++) {
                    offered += m.offerWh(s, t) - grid.soldWh()[s][t];
                    wanted += m.bidWh(s, t) - grid.gotWh()[s][t];
                }
            }
            for (PoolPricing.EvDay d : days) {
                for (EnergyAction a : d.actions()) {
                    if (a.charge()) {
                        offered -= a.wh();
                    } else {
                        wanted -= a.wh();
                    }
                }
            }
            return new Totals(offered, wanted);
        }
    }
}
