package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;

class RoutePlannerTest {

    private final ResidualMarket market = TestMarkets.residual(TestMarkets.load("shuttle-instance.json"));

    @Test
    void shuttleChargesAtFactoryAndDeliversEverythingAtHome() {
        RoutePlan plan = TestMarkets.route(market, 0, "factory-1", "house-3").plan();
        Ev ev = market.market().instance().evs().getFirst();
        assertThat(plan.reserveDeficitWh()).isZero();
        assertThat(plan.lateSlots()).isZero();
        assertThat(plan.undeliveredWh()).isZero();
        // house-3 takes 0.8 kWh per slot from its arrival until availableTo
        RoutePlan.PlannedStop home = plan.stops().get(1);
        assertThat(home.actions()).allSatisfy(a -> assertThat(a.wh()).isLessThanOrEqualTo(800));
        assertThat(home.actions().getLast().slot()).isLessThan(ev.availableTo());
        double delivered = plan.dischargedWh();
        double charged = plan.chargedWh();
        assertThat(delivered).isCloseTo(charged * ev.chargeEfficiency() * ev.dischargeEfficiency(),
                org.assertj.core.data.Offset.offset(2.0));
        assertThat(plan.surplusUnits()).isPositive();
    }

    @Test
    void twoBuyersAreBothServedOnTheWayHome() {
        RoutePlan two = TestMarkets.route(market, 0, "factory-1", "house-7", "house-3")
                .plan();
        assertThat(two.undeliveredWh()).isZero();
        assertThat(two.lateSlots()).isZero();
        assertThat(two.stops()).extracting(RoutePlan.PlannedStop::site).hasSize(3);
        assertThat(two.stops().get(1).actions()).isNotEmpty()
                .allSatisfy(a -> assertThat(a.wh()).isLessThanOrEqualTo(1200));
        // each stop starts after the previous one ended plus the trip
        for (int i = 1; i < two.stops().size(); i++) {
            var prev = two.stops().get(i - 1);
            var next = two.stops().get(i);
            assertThat(next.arrive()).isGreaterThanOrEqualTo(prev.depart() + 1
                    + market.market().travelSlots(prev.site(), next.site()));
        }
    }

    @Test
    void dischargeWithoutChargeDoesNothing() {
        RoutePlan plan = TestMarkets.route(market, 0, "house-7").plan();
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.km()).isZero();
    }

    @Test
    void oneStopAtHomeServesItAsStorage() {
        // house-3 has 1 kWh of surplus in slots 18..22 (no export allowed) and load from slot 24
        RoutePlan plan = TestMarkets.route(market, 0, "house-3").plan();
        assertThat(plan.km()).isZero();
        assertThat(plan.stops()).hasSize(1);
        assertThat(plan.actions()).filteredOn(EnergyAction::charge)
                .allSatisfy(a -> assertThat(a.slot()).isBetween(18, 22));
        assertThat(plan.actions()).filteredOn(a -> !a.charge())
                .allSatisfy(a -> assertThat(a.slot()).isGreaterThanOrEqualTo(24));
        assertThat(plan.chargedWh()).isEqualTo(5000);
        assertThat(plan.dischargedWh()).isBetween(4510L, 4513L); // 5 kWh x 0.95 x 0.95
        assertThat(plan.undeliveredWh()).isZero();
    }
}
