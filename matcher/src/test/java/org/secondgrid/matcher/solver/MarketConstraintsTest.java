package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;

class MarketConstraintsTest {

    private final ConstraintVerifier<MarketConstraints, MarketSchedule> verifier =
            ConstraintVerifier.build(new MarketConstraints(), MarketSchedule.class, EvRoute.class);
    private final Instance instance = TestMarkets.load("shuttle-instance.json");
    private final ResidualMarket market = TestMarkets.residual(instance);
    private final MarketIndex m = market.market();
    private final int factory = m.siteIndex("factory-1");
    private final int house3 = m.siteIndex("house-3");

    private EvInfo ev(int index, Ev e) {
        return new EvInfo(index, e, m.siteIndex(e.home()));
    }

    private Ev ev0() {
        return instance.evs().getFirst();
    }

    /** A pinned plan with the given actions of EV {@code index}; money as the planner would count it. */
    private EvRoute pinned(int index, long valueUnits, long costUnits, long feeUnits, long deficit, int late,
                           long undelivered, EnergyAction... actions) {
        List<EnergyAction> acts = new ArrayList<>();
        for (EnergyAction a : actions) {
            acts.add(new EnergyAction(ev0().id() + "-" + index, index, a.site(), a.slot(), a.wh(), a.charge()));
        }
        RoutePlan plan = new RoutePlan(List.of(new RoutePlan.PlannedStop(acts.getFirst().site(), 0, 47, acts)), acts,
                3.0, valueUnits, costUnits, feeUnits, deficit, late, undelivered);
        return EvRoute.pinned(ev(index, ev0()), plan);
    }

    private static EnergyAction charge(int site, int slot, long wh) {
        return new EnergyAction("x", 0, site, slot, wh, true);
    }

    private static EnergyAction discharge(int site, int slot, long wh) {
        return new EnergyAction("x", 0, site, slot, wh, false);
    }

    @Test
    void offerLimitPenalizesEvsTakingMoreThanTheOffer() {
        long offer = market.offerLeftWh(factory, 20);
        verifier.verifyThat(MarketConstraints::offerLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, charge(factory, 20, offer - 100)),
                        pinned(1, 0, 0, 0, 0, 0, 0, charge(factory, 20, 300)))
                .penalizesBy(200);
        verifier.verifyThat(MarketConstraints::offerLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, charge(factory, 20, offer)))
                .penalizesBy(0);
    }

    @Test
    void bidLimitPenalizesBackflowAtTheBuyer() {
        long bid = market.bidLeftWh(house3, 30);
        verifier.verifyThat(MarketConstraints::bidLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, discharge(house3, 30, bid + 50)))
                .penalizesBy(50);
        verifier.verifyThat(MarketConstraints::bidLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, discharge(house3, 30, bid)))
                .penalizesBy(0);
    }

    @Test
    void portLimitPenalizesMoreEvsThanPorts() {
        // house-3 has one port
        verifier.verifyThat(MarketConstraints::portLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, discharge(house3, 30, 100)),
                        pinned(1, 0, 0, 0, 0, 0, 0, discharge(house3, 30, 100)))
                .penalizesBy(1000);
        verifier.verifyThat(MarketConstraints::portLimit)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 0, discharge(house3, 30, 100)),
                        pinned(1, 0, 0, 0, 0, 0, 0, discharge(house3, 31, 100)))
                .penalizesBy(0);
    }

    @Test
    void ownerReservePenalizesTripsBelowTheReserve() {
        Ev tight = withMin(ev0(), ev0().initialKwh());
        EvRoute route = routeOf(tight, "factory-1", "house-3");
        assertThat(route.plan().reserveDeficitWh()).isPositive();
        verifier.verifyThat(MarketConstraints::ownerReserve).given(market, route)
                .penalizesBy(route.plan().reserveDeficitWh());
        verifier.verifyThat(MarketConstraints::ownerReserve)
                .given(market, routeOf(ev0(), "factory-1", "house-3")).penalizesBy(0);
    }

    @Test
    void homeInTimePenalizesALateReturn() {
        Ev e = ev0();
        Ev shortWindow = new Ev(e.id(), e.home(), e.capacityKwh(), e.initialKwh(), e.minKwh(), e.chargeKw(),
                e.dischargeKw(), e.chargeEfficiency(), e.dischargeEfficiency(), e.consumptionKwhPerKm(), 20, 21,
                e.feeJpyPerKwh(), e.feeJpyPerKm());
        EvRoute late = pinned(0, 0, 0, 0, 0, 2, 0, charge(factory, 20, 100));
        verifier.verifyThat(MarketConstraints::homeInTime).given(market, late).penalizesBy(2000);
        EvRoute planned = routeOf(shortWindow, "factory-1", "house-3");
        assertThat(planned.plan().isEmpty()).as("no time for the trip: the EV stays home").isTrue();
        verifier.verifyThat(MarketConstraints::homeInTime).given(market, planned).penalizesBy(0);
    }

    @Test
    void tradedEnergyDeliveredSameDayPenalizesEnergyLeftInTheBattery() {
        verifier.verifyThat(MarketConstraints::tradedEnergyDeliveredSameDay)
                .given(market, pinned(0, 0, 0, 0, 0, 0, 1500, charge(factory, 20, 1500))).penalizesBy(1500);
        verifier.verifyThat(MarketConstraints::tradedEnergyDeliveredSameDay)
                .given(market, routeOf(ev0(), "factory-1", "house-3")).penalizesBy(0);
    }

    @Test
    void poolSurplusNonNegativePenalizesALosingPool() {
        Ev e = ev0();
        Ev pricey = new Ev(e.id(), e.home(), e.capacityKwh(), e.initialKwh(), e.minKwh(), e.chargeKw(),
                e.dischargeKw(), e.chargeEfficiency(), e.dischargeEfficiency(), e.consumptionKwhPerKm(),
                e.availableFrom(), e.availableTo(), 40.0, e.feeJpyPerKm());
        EvRoute losing = routeOf(pricey, "factory-1", "house-3");
        long loss = -losing.plan().surplusUnits();
        assertThat(loss).isPositive();
        verifier.verifyThat(MarketConstraints::poolSurplusNonNegative).given(market, losing)
                .penalizesBy(Math.ceilDiv(loss, 1000L));
        verifier.verifyThat(MarketConstraints::poolSurplusNonNegative)
                .given(market, routeOf(e, "factory-1", "house-3")).penalizesBy(0);
    }

    @Test
    void gridWelfareRewardsTheGridClearing() {
        assertThat(market.gridWelfareUnits()).isPositive();
        verifier.verifyThat(MarketConstraints::gridWelfare).given(market).rewardsWith(market.gridWelfareUnits());
        ResidualMarket noGrid = new ResidualMarket(m, new long[m.siteCount()][m.slots()],
                new long[m.siteCount()][m.slots()], 0);
        verifier.verifyThat(MarketConstraints::gridWelfare).given(noGrid).rewardsWith(0);
    }

    @Test
    void evMoneyConstraintsCountThePool() {
        EvRoute route = routeOf(ev0(), "factory-1", "house-3");
        RoutePlan p = route.plan();
        assertThat(p.valueUnits()).isPositive();
        verifier.verifyThat(MarketConstraints::evDeliveredValue).given(market, route).rewardsWith(p.valueUnits());
        verifier.verifyThat(MarketConstraints::evPurchaseCost).given(market, route).penalizesBy(p.costUnits());
        verifier.verifyThat(MarketConstraints::evFees).given(market, route).penalizesBy(p.feeUnits());
        EvRoute idle = routeOf(ev0());
        verifier.verifyThat(MarketConstraints::evDeliveredValue).given(market, idle).rewardsWith(0);
        verifier.verifyThat(MarketConstraints::evPurchaseCost).given(market, idle).penalizesBy(0);
        verifier.verifyThat(MarketConstraints::evFees).given(market, idle).penalizesBy(0);
        // value 30 JPY/kWh x kWh delivered, in 1e-5 JPY
        assertThat(p.valueUnits()).isEqualTo(3000L * p.dischargedWh());
    }

    @Test
    void justificationsAreReadable() {
        Ev tight = withMin(ev0(), ev0().initialKwh());
        EvRoute route = routeOf(tight, "factory-1", "house-3");
        MarketSchedule schedule = new MarketSchedule(market, route.getVisits(), List.of(route));
        var analysis = ai.timefold.solver.core.api.solver.SolutionManager
                .create(ai.timefold.solver.core.api.solver.SolverFactory.<MarketSchedule>create(
                        new ai.timefold.solver.core.config.solver.SolverConfig()
                                .withSolutionClass(MarketSchedule.class).withEntityClasses(EvRoute.class)
                                .withConstraintProviderClass(MarketConstraints.class)))
                .explain(schedule);
        assertThat(analysis.getSummary()).contains("EV ev-3 would leave").contains("less than its owner's reserve");
    }

    private EvRoute routeOf(Ev e, String... visits) {
        EvRoute route = new EvRoute(ev(0, e), new RoutePlanner(market));
        List<Visit> list = new ArrayList<>();
        for (int i = 0; i < visits.length; i++) {
            list.add(new Visit(i, m.siteIndex(visits[i]), visits[i]));
        }
        route.setVisits(list);
        return route;
    }

    private static Ev withMin(Ev e, double min) {
        return new Ev(e.id(), e.home(), e.capacityKwh(), e.initialKwh(), min, e.chargeKw(), e.dischargeKw(),
                e.chargeEfficiency(), e.dischargeEfficiency(), e.consumptionKwhPerKm(), e.availableFrom(),
                e.availableTo(), e.feeJpyPerKwh(), e.feeJpyPerKm());
    }
}
