package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.exact.SmallInstances;

/** The amounts LP of fixed itineraries: physics, the pool surplus rows, the grid model, rounding to Wh. */
class AmountsLpTest {

    private final Instance shuttle = TestMarkets.load("shuttle-instance.json");

    @BeforeAll
    static void lpSolverLoads() {
        assumeThat(AmountsLp.Lp.available()).as("OR-Tools GLOP loads here").isTrue();
    }

    private static EvInfo ev(MarketIndex m, int v) {
        Ev ev = m.instance().evs().get(v);
        return new EvInfo(v, ev, m.siteIndex(ev.home()));
    }

    private static AmountsLp.Supply full(MarketIndex m) {
        return new AmountsLp.Supply(m.offersWh(), m.bidsWh());
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    @Test
    void storageAtHomeTakesTheSurplusAndDeliversAllOfItBeforeTheEnd() {
        MarketIndex m = new MarketIndex(shuttle);
        EvInfo info = ev(m, 0);
        FixedItinerary home = FixedItinerary.of(m, info, new int[] {info.home()}, new int[0]);
        assertThat(home).isNotNull();
        assertThat(home.km()).isZero();
        AmountsLp.Amounts a = AmountsLp.solve(m, full(m), List.of(home), null, false, true);
        assertThat(a).isNotNull();
        Ev ev = info.ev();
        double charged = sum(a.chargeKwh().getFirst());
        double delivered = sum(a.dischargeKwh().getFirst());
        // house-3 has 1 kWh of surplus in each of slots 18..22 and load later: all of it goes through the battery
        assertThat(charged).isCloseTo(5.0, offset(1e-6));
        assertThat(delivered).isCloseTo(charged * ev.chargeEfficiency() * ev.dischargeEfficiency(), offset(1e-6));
        // never more than the planner's greedy amounts are worth, and rounding loses at most a few Wh
        RoutePlan greedy = TestMarkets.route(TestMarkets.residual(shuttle), 0, "house-3").plan();
        assertThat(a.objectiveJpy()).isGreaterThanOrEqualTo(MarketIndex.jpy(greedy.surplusUnits()) - 1e-6);
        RoutePlan rounded = LpPlans.round(m, home, a.chargeKwh().getFirst(), a.dischargeKwh().getFirst(),
                m.offersWh(), m.bidsWh());
        assertThat(rounded.undeliveredWh()).isZero();
        assertThat(MarketIndex.jpy(rounded.surplusUnits())).isCloseTo(a.objectiveJpy(), offset(0.2));
    }

    @Test
    void tradedEnergyNeverExceedsTheRoomTheOwnersEnergyLeaves() {
        Ev base = shuttle.evs().getFirst();
        // 1.2 kWh of room above the owner's 24 kWh
        Ev small = new Ev(base.id(), base.home(), 25.2, 24.0, base.minKwh(), base.chargeKw(), base.dischargeKw(),
                base.chargeEfficiency(), base.dischargeEfficiency(), base.consumptionKwhPerKm(),
                base.availableFrom(), base.availableTo(), base.feeJpyPerKwh(), base.feeJpyPerKm());
        Instance in = withEvs(shuttle, List.of(small));
        MarketIndex m = new MarketIndex(in);
        EvInfo info = ev(m, 0);
        FixedItinerary home = FixedItinerary.of(m, info, new int[] {info.home()}, new int[0]);
        AmountsLp.Amounts a = AmountsLp.solve(m, full(m), List.of(home), null, false, true);
        assertThat(a).isNotNull();
        double p = 0;
        double maxP = 0;
        for (int t = 0; t < m.slots(); t++) {
            p += small.chargeEfficiency() * a.chargeKwh().getFirst()[t]
                    - a.dischargeKwh().getFirst()[t] / small.dischargeEfficiency();
            assertThat(p).isGreaterThanOrEqualTo(-1e-7);
            maxP = Math.max(maxP, p);
        }
        assertThat(maxP).isLessThanOrEqualTo(1.2 + 1e-7).isGreaterThan(1.0);
        assertThat(p).isCloseTo(0, offset(1e-7));
    }

    @Test
    void aPoolThatCannotPayItsKmFeeMakesTheLpInfeasibleOnlyWithTheSurplusRows() {
        Ev base = shuttle.evs().getFirst();
        Ev costly = new Ev(base.id(), base.home(), base.capacityKwh(), base.initialKwh(), base.minKwh(),
                base.chargeKw(), base.dischargeKw(), base.chargeEfficiency(), base.dischargeEfficiency(),
                base.consumptionKwhPerKm(), base.availableFrom(), base.availableTo(), base.feeJpyPerKwh(), 5000.0);
        MarketIndex m = new MarketIndex(withEvs(shuttle, List.of(costly)));
        EvInfo info = ev(m, 0);
        FixedItinerary trip = FixedItinerary.of(m, info,
                new int[] {m.siteIndex("factory-1"), m.siteIndex("house-7")}, new int[] {24});
        assertThat(trip).isNotNull();
        assertThat(trip.km()).isPositive();
        assertThat(AmountsLp.solve(m, full(m), List.of(trip), null, false, true)).isNull();
        AmountsLp.Amounts loose = AmountsLp.solve(m, full(m), List.of(trip), null, false, false);
        assertThat(loose).isNotNull();
        assertThat(loose.objectiveJpy() - MarketIndex.jpy(trip.kmFeeUnits())).isNegative();
    }

    @Test
    void theLpsGridIsTheExactClearingAndRoundingKeepsItsValue() {
        // the LP's welfare (EV pool + grid of the slots it holds + exact clearing of the others) matches the exact
        // welfare of the rounded schedule within rounding
        for (long seed = 1; seed <= 4; seed++) {
            Instance in = SmallInstances.tiny(seed);
            MarketIndex m = new MarketIndex(in);
            EvInfo info = ev(m, 0);
            int factory = m.siteIndex("factory-1");
            int shop = m.siteIndex("shop-1");
            FixedItinerary it = null;
            for (int leg = info.ev().availableFrom() + 3; it == null && leg < info.ev().availableTo(); leg++) {
                it = FixedItinerary.of(m, info, new int[] {factory, shop, info.home()}, new int[] {leg, leg + 8});
            }
            assertThat(it).as("seed %d", seed).isNotNull();
            AmountsLp.Amounts a = AmountsLp.solve(m, full(m), List.of(it), null, true, false);
            assertThat(a).isNotNull();
            double lp = a.objectiveJpy() - MarketIndex.jpy(it.kmFeeUnits());
            long[][] offer = m.offersWh();
            long[][] bid = m.bidsWh();
            for (int t = 0; t < m.slots(); t++) {
                if (!a.gridSlots()[t]) {
                    lp += MarketIndex.jpy(GridClearing.slotWelfare(m, t, offer, bid));
                }
            }
            RoutePlan plan = LpPlans.round(m, it, a.chargeKwh().getFirst(), a.dischargeKwh().getFirst(),
                    m.offersWh(), m.bidsWh());
            assertThat(plan.undeliveredWh()).isZero();
            double exact = MarketIndex.jpy(new LpPolish(m).welfare(List.of(plan)));
            assertThat(exact).as("seed %d", seed).isCloseTo(lp, offset(0.5)).isLessThanOrEqualTo(lp + 1e-6);
            // all amounts 0 is feasible: never below the grid alone, less the km fee
            assertThat(lp + MarketIndex.jpy(it.kmFeeUnits()))
                    .isGreaterThanOrEqualTo(MarketIndex.jpy(GridClearing.clear(m).welfareUnits()) - 1e-6);
        }
    }

    private static Instance withEvs(Instance in, List<Ev> evs) {
        return new Instance(in.modelVersion(), in.market(), in.deliveryDay(), in.timeZone(), in.slots(),
                in.slotMinutes(), in.gridFeeJpyPerKwh(), in.speedKmh(), in.feeders(), in.sites(), in.offers(),
                in.bids(), new ArrayList<>(evs), in.distancesKm());
    }
}
