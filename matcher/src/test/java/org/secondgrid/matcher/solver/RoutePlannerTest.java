package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secondgrid.matcher.solver.Visit.Kind.CHARGE;
import static org.secondgrid.matcher.solver.Visit.Kind.DISCHARGE;

import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;

class RoutePlannerTest {

    private final ResidualMarket market = TestMarkets.residual(TestMarkets.load("shuttle-instance.json"));

    @Test
    void shuttleChargesAtFactoryAndDeliversEverythingAtHome() {
        RoutePlan plan = TestMarkets.route(market, 0, "factory-1", CHARGE, "house-3", DISCHARGE).plan();
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
        RoutePlan two = TestMarkets.route(market, 0, "factory-1", CHARGE, "house-7", DISCHARGE, "house-3", DISCHARGE)
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
        RoutePlan plan = TestMarkets.route(market, 0, "house-7", DISCHARGE).plan();
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.km()).isZero();
    }
}
