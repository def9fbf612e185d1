package org.secondgrid.gateway.market;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.secondgrid.matcher.baseline.GreedyResult;
import org.secondgrid.matcher.baseline.GridGreedy;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Travel;
import org.secondgrid.matcher.pricing.PoolPricing;
import org.secondgrid.matcher.solver.EnergyAction;
import org.secondgrid.matcher.solver.GridClearing;
import org.secondgrid.matcher.solver.MarketIndex;

/**
 * Builds spec solutions in which some EV itineraries are fixed (accepted jobs) and the rest of the
 * market is cleared around them, and prices any set of grid deliveries and itineraries exactly as the
 * matcher does ({@link PoolPricing}).
 *
 * <p>{@link #solvePinned} is the normal way: the matcher solves the day with only the fixed and the
 * planned EVs, the fixed itineraries pinned ({@code MarketSolver.solve(instance, options, fixed)}), so
 * ports are shared per slot and offers and bids exactly.
 *
 * <p>{@link #compose} is the fallback for a solver without pinning (a test's injected matcher, the greedy):
 * fixing is done on the instance: the fixed EVs' charges are taken off the sites' offers and their discharges off the bids
 * (per slot, in Wh), every port a fixed EV uses in any slot is taken off the site for the whole day
 * (conservative: the matcher's port rule is per slot), and only the EVs to plan stay in the reduced
 * instance. Whatever the sub-solver returns for the reduced instance (grid deliveries, itineraries)
 * then fits next to the fixed itineraries in the full instance: sold and got per site and slot stay
 * within the original offers and bids, ports within the site's ports, and the per-EV rules (battery,
 * travel, window, pool surplus) do not depend on other EVs. The merged schedule is re-priced on the
 * full instance, so pools, payments, trades and welfare are those of the whole day.
 */
public final class ScheduleComposer {

    private ScheduleComposer() {
    }

    /** The instance with {@code fixed} itineraries' energy and ports taken out and only {@code planEvs} left. */
    public static Instance reduce(Instance full, List<Solution.Itinerary> fixed, Set<String> planEvs) {
        MarketIndex m = new MarketIndex(full);
        int n = full.sites().size();
        long[][] charged = new long[n][full.slots()];
        long[][] discharged = new long[n][full.slots()];
        int[][] plugged = new int[n][full.slots()];
        for (Solution.Itinerary it : fixed) {
            for (Solution.Stop st : it.stops()) {
                int s = m.siteIndex(st.site());
                for (Solution.StopSlot ss : st.slots()) {
                    charged[s][ss.slot()] += MarketIndex.wh(ss.charge());
                    discharged[s][ss.slot()] += MarketIndex.wh(ss.discharge());
                    if (ss.charge() > 0 || ss.discharge() > 0) {
                        plugged[s][ss.slot()]++;
                    }
                }
            }
        }
        List<Offer> offers = new ArrayList<>();
        for (Offer o : full.offers()) {
            long left = MarketIndex.wh(o.kwh()) - charged[m.siteIndex(o.site())][o.slot()];
            offers.add(new Offer(o.site(), o.slot(), Math.max(0, left) / 1000.0, o.askJpyPerKwh()));
        }
        List<Bid> bids = new ArrayList<>();
        for (Bid b : full.bids()) {
            long left = MarketIndex.wh(b.kwh()) - discharged[m.siteIndex(b.site())][b.slot()];
            bids.add(new Bid(b.site(), b.slot(), Math.max(0, left) / 1000.0, b.bidJpyPerKwh()));
        }
        List<Site> sites = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            Site x = full.sites().get(s);
            int busy = 0;
            for (int t = 0; t < full.slots(); t++) {
                busy = Math.max(busy, plugged[s][t]);
            }
            sites.add(busy == 0 ? x : new Site(x.id(), x.feeder(), x.lat(), x.lon(), x.exportLimitKw(),
                    Math.max(0, x.ports() - busy), x.chargerKw(), x.v2xKw()));
        }
        List<Ev> evs = full.evs().stream().filter(e -> planEvs.contains(e.id())).toList();
        return new Instance(full.modelVersion(), full.market(), full.deliveryDay(), full.timeZone(), full.slots(),
                full.slotMinutes(), full.gridFeeJpyPerKwh(), full.speedKmh(), full.feeders(), sites, offers, bids, evs,
                full.distancesKm());
    }

    /**
     * Clears {@code full} with {@code fixed} itineraries kept exactly and {@code planEvs} planned by
     * {@code subSolver} on the reduced instance (which must return a solution of that instance; only its
     * grid deliveries and itineraries are used).
     */
    public static Solution compose(Instance full, List<Solution.Itinerary> fixed, Set<String> planEvs,
                                   Function<Instance, Solution> subSolver, double k) {
        Instance reduced = reduce(full, fixed, planEvs);
        Solution sub = subSolver.apply(reduced);
        List<Solution.Itinerary> all = new ArrayList<>(fixed);
        for (Solution.Itinerary it : sub.itineraries()) {
            if (!planEvs.contains(it.ev())) {
                throw new IllegalStateException("the sub-solver planned EV " + it.ev() + ", which was not to be planned");
            }
            all.add(it);
        }
        all.sort(Comparator.comparing(Solution.Itinerary::ev));
        return price(full, sub.grid(), all, k, sub.solver());
    }

    /** Solves an instance with the given itineraries (EV id → itinerary) kept exactly. */
    @FunctionalInterface
    public interface PinnedSolver {
        Solution solve(Instance instance, Map<String, Solution.Itinerary> fixed);
    }

    /** The instance with only the EVs in {@code keep} (declined and expired ones removed). */
    public static Instance withEvs(Instance full, Set<String> keep) {
        List<Ev> evs = full.evs().stream().filter(e -> keep.contains(e.id())).toList();
        return new Instance(full.modelVersion(), full.market(), full.deliveryDay(), full.timeZone(), full.slots(),
                full.slotMinutes(), full.gridFeeJpyPerKwh(), full.speedKmh(), full.feeders(), full.sites(),
                full.offers(), full.bids(), evs, full.distancesKm());
    }

    /**
     * Clears {@code full} with the {@code fixed} itineraries pinned in the matcher and the {@code planEvs}
     * planned around them (every other EV left at home); the solver must return the fixed itineraries
     * exactly (checked) and plan no other EV. Re-priced on the full instance.
     */
    public static Solution solvePinned(Instance full, List<Solution.Itinerary> fixed, Set<String> planEvs,
                                       PinnedSolver solver, double k) {
        Map<String, Solution.Itinerary> pinned = new HashMap<>();
        for (Solution.Itinerary it : fixed) {
            if (pinned.put(it.ev(), it) != null) {
                throw new IllegalArgumentException("two fixed itineraries for EV " + it.ev());
            }
            if (planEvs.contains(it.ev())) {
                throw new IllegalArgumentException("EV " + it.ev() + " is both fixed and to be planned");
            }
        }
        Set<String> keep = new java.util.HashSet<>(planEvs);
        keep.addAll(pinned.keySet());
        Solution sub = solver.solve(withEvs(full, keep), pinned);
        List<Solution.Itinerary> all = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Solution.Itinerary it : sub.itineraries()) {
            Solution.Itinerary want = pinned.get(it.ev());
            if (want != null && !want.equals(it)) {
                throw new IllegalStateException("the solver changed the fixed itinerary of EV " + it.ev());
            }
            if (want == null && !planEvs.contains(it.ev())) {
                throw new IllegalStateException("the solver planned EV " + it.ev() + ", which was not to be planned");
            }
            seen.add(it.ev());
            all.add(it);
        }
        for (Solution.Itinerary it : fixed) {
            if (!seen.contains(it.ev()) && !it.stops().isEmpty()) {
                throw new IllegalStateException("the solver dropped the fixed itinerary of EV " + it.ev());
            }
        }
        all.sort(Comparator.comparing(Solution.Itinerary::ev));
        return price(full, sub.grid(), all, k, sub.solver());
    }

    /** The grid-only greedy baseline of {@code in} as a spec solution (no EVs), priced. */
    public static Solution greedy(Instance in, double k) {
        long t0 = System.nanoTime();
        GreedyResult g = GridGreedy.clear(in);
        double seconds = Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
        return price(in, g.grid(), List.of(), k, new Solution.SolverInfo("greedy", seconds, "greedy"));
    }

    /** Pools, payments, trades, welfare, curtailed and unmet energy of a schedule on {@code in}. */
    public static Solution price(Instance in, List<Solution.GridDelivery> grid, List<Solution.Itinerary> itineraries,
                                 double k, Solution.SolverInfo solver) {
        MarketIndex m = new MarketIndex(in);
        Travel travel = new Travel(in);
        Map<String, Integer> evIndex = new HashMap<>();
        for (int v = 0; v < in.evs().size(); v++) {
            evIndex.put(in.evs().get(v).id(), v);
        }
        List<GridClearing.Flow> flows = new ArrayList<>();
        long[][] sold = new long[in.sites().size()][in.slots()];
        long[][] got = new long[in.sites().size()][in.slots()];
        for (Solution.GridDelivery d : grid) {
            int s = m.siteIndex(d.seller());
            int b = m.siteIndex(d.buyer());
            long wh = MarketIndex.wh(d.kwh());
            flows.add(new GridClearing.Flow(s, b, d.slot(), wh));
            sold[s][d.slot()] += wh;
            got[b][d.slot()] += wh;
        }
        List<PoolPricing.EvDay> days = new ArrayList<>();
        for (Solution.Itinerary it : itineraries) {
            Integer v = evIndex.get(it.ev());
            if (v == null) {
                throw new IllegalArgumentException("itinerary of EV " + it.ev() + ", which is not in the instance");
            }
            Ev ev = in.evs().get(v);
            List<EnergyAction> actions = new ArrayList<>();
            double km = 0;
            String at = ev.home();
            for (Solution.Stop st : it.stops()) {
                km += travel.km(at, st.site());
                at = st.site();
                int s = m.siteIndex(st.site());
                for (Solution.StopSlot ss : st.slots()) {
                    if (ss.charge() > 0) {
                        long wh = MarketIndex.wh(ss.charge());
                        actions.add(new EnergyAction(ev.id(), v, s, ss.slot(), wh, true));
                        sold[s][ss.slot()] += wh;
                    } else if (ss.discharge() > 0) {
                        long wh = MarketIndex.wh(ss.discharge());
                        actions.add(new EnergyAction(ev.id(), v, s, ss.slot(), wh, false));
                        got[s][ss.slot()] += wh;
                    }
                }
            }
            km += travel.km(at, ev.home());
            actions.sort(Comparator.comparingInt(EnergyAction::slot));
            days.add(new PoolPricing.EvDay(ev, km, actions));
        }
        PoolPricing.Priced priced = PoolPricing.price(m, flows, days, k);
        long curtailed = 0;
        long unmet = 0;
        for (Offer o : in.offers()) {
            curtailed += MarketIndex.wh(o.kwh()) - sold[m.siteIndex(o.site())][o.slot()];
        }
        for (Bid b : in.bids()) {
            unmet += MarketIndex.wh(b.kwh()) - got[m.siteIndex(b.site())][b.slot()];
        }
        return new Solution(Instance.MODEL_VERSION, in.market(), in.deliveryDay(),
                Math.round(MarketIndex.jpy(priced.welfareUnits()) * 100) / 100.0, solver, grid, itineraries,
                priced.trades(), priced.payments(), priced.pools(), Math.max(0, curtailed) / 1000.0,
                Math.max(0, unmet) / 1000.0);
    }

    /** What the EV's owner earns in a solution: the fees paid to the EV in its pool. */
    public static double payOf(Solution s, String evId) {
        double pay = 0;
        for (Solution.Payment p : s.payments()) {
            if (evId.equals(p.pool()) && evId.equals(p.payee())) {
                pay += p.jpy();
            }
        }
        return Math.round(pay * 100) / 100.0;
    }
}
