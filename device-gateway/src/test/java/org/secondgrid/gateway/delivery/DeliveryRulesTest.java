package org.secondgrid.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

class DeliveryRulesTest {

    final Instance in = Fixtures.instance("m", 1);
    final Solution sol = Fixtures.solution("m", false);
    final DispatchPlan plan = DispatchPlan.of(in, sol);
    final MarketPositions market = new MarketPositions(in, sol);

    static ChargerEnergy.EvEnergy ev(String ev, String site, double c, double d) {
        return new ChargerEnergy.EvEnergy(ev, site, c, d);
    }

    static ImbalanceRules.SiteImbalance row(ImbalanceRules.SlotResult r, String site) {
        return r.sites().stream().filter(s -> s.siteId().equals(site)).findFirst().orElseThrow();
    }

    @Test
    void slotsAreCountedFromLocalMidnight() {
        DeliveryDay d = DeliveryDay.of(in);
        assertThat(d.slotStart(0)).isEqualTo(Instant.parse("2026-12-04T15:00:00Z"));
        assertThat(d.slotStart(20)).isEqualTo(Instant.parse("2026-12-05T01:00:00Z"));
        assertThat(d.slotAt(Instant.parse("2026-12-05T01:29:59Z"))).isEqualTo(20);
        assertThat(d.slotAt(Instant.parse("2026-12-04T14:59:59Z"))).isEqualTo(-1);
        assertThat(d.slotAt(Instant.parse("2026-12-05T15:00:00Z"))).isEqualTo(48);
    }

    @Test
    void everyChargerGetsASetpointAndEvsTakeTheFirstFreeChargerById() {
        ChargerAssignment a = new ChargerAssignment(Map.of("c-f2", "factory", "c-f1", "factory", "c-a", "house-a",
                "c-b", "house-b"));
        ChargerAssignment.Result r20 = a.assign(plan.actionsAt(20), 20, 0.5);
        assertThat(r20.setpoints()).containsExactly(
                new Setpoint("c-a", "house-a", 20, null, 0.0),
                new Setpoint("c-b", "house-b", 20, null, 0.0),
                new Setpoint("c-f1", "factory", 20, "ev-1", 6.0),
                new Setpoint("c-f2", "factory", 20, "ev-2", 6.0));
        assertThat(r20.unassigned()).isEmpty();
        ChargerAssignment.Result r24 = a.assign(plan.actionsAt(24), 24, 0.5);
        assertThat(r24.setpoints()).contains(new Setpoint("c-a", "house-a", 24, "ev-1", -5.4),
                new Setpoint("c-b", "house-b", 24, "ev-2", -5.4), new Setpoint("c-f1", "factory", 24, null, 0.0));
        // one charger at the factory: the second EV (by id) finds none
        ChargerAssignment one = new ChargerAssignment(Map.of("c-f1", "factory"));
        ChargerAssignment.Result r = one.assign(plan.actionsAt(20), 20, 0.5);
        assertThat(r.setpoints()).containsExactly(new Setpoint("c-f1", "factory", 20, "ev-1", 6.0));
        assertThat(r.unassigned()).extracting(DispatchPlan.Action::ev).containsExactly("ev-2");
    }

    @Test
    void chargerEnergyHoldsEachReadingsPowerUntilTheNextAndCarriesTheLastOneIn() {
        Instant from = Instant.parse("2026-12-05T01:00:00Z");
        Instant to = from.plus(Duration.ofMinutes(30));
        List<ChargerEnergy.Status> s = List.of(
                new ChargerEnergy.Status("c1", "factory", from.minusSeconds(60), "ev-1", 6.0), // carries in: 10 min
                new ChargerEnergy.Status("c1", "factory", from.plusSeconds(600), null, 0.0),     // unplugged 10 min
                new ChargerEnergy.Status("c1", "factory", from.plusSeconds(1200), "ev-1", 3.0),  // 10 min at 3 kW
                new ChargerEnergy.Status("c2", "house-a", from.plusSeconds(900), "ev-2", -4.0),  // 15 min at -4 kW
                new ChargerEnergy.Status("c3", "house-a", from.plusSeconds(300), null, 5.0));    // power, no EV
        List<ChargerEnergy.EvEnergy> e = ChargerEnergy.measure(new java.util.ArrayList<>(s), from, to);
        assertThat(e).hasSize(2);
        ChargerEnergy.EvEnergy ev1 = e.stream().filter(x -> x.ev().equals("ev-1")).findFirst().orElseThrow();
        assertThat(ev1.chargeKwh()).isCloseTo(1.0 + 0.5, within(1e-9));
        assertThat(ev1.dischargeKwh()).isZero();
        ChargerEnergy.EvEnergy ev2 = e.stream().filter(x -> x.ev().equals("ev-2")).findFirst().orElseThrow();
        assertThat(ev2.dischargeKwh()).isCloseTo(1.0, within(1e-9));
        assertThat(ev2.siteId()).isEqualTo("house-a");
    }

    @Test
    void followingTheScheduleGivesNoImbalanceNoRetailerAndNoBackflow() {
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 20,
                Map.of("factory", new ImbalanceRules.Metered(0.2, 0), "house-b", new ImbalanceRules.Metered(0, 1.5),
                        "shop", new ImbalanceRules.Metered(3.0, 0), "house-a", new ImbalanceRules.Metered(0.4, 0.2)),
                List.of(ev("ev-1", "factory", 3, 0), ev("ev-2", "factory", 3, 0)), 40);
        assertThat(r.sites()).extracting(ImbalanceRules.SiteImbalance::siteId).containsExactly("factory", "house-b", "shop");
        assertThat(r.sites()).allSatisfy(s -> {
            assertThat(s.imbalanceKwh()).isZero();
            assertThat(s.retailerKwh()).isZero();
        });
        assertThat(row(r, "factory").measuredEvChargeKwh()).isEqualTo(6.0);
        assertThat(row(r, "factory").scheduledEvChargeKwh()).isEqualTo(6.0);
        assertThat(r.backflow()).isEmpty();
    }

    @Test
    void aSellerShortOfItsGridSaleIsNegativeImbalanceBoughtFromTheRetailer() {
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 20,
                Map.of("factory", new ImbalanceRules.Metered(0, 0), "house-b", new ImbalanceRules.Metered(0, 0.5),
                        "shop", new ImbalanceRules.Metered(3.0, 0)),
                List.of(ev("ev-1", "factory", 3, 0), ev("ev-2", "factory", 3, 0)), 40);
        ImbalanceRules.SiteImbalance b = row(r, "house-b");
        assertThat(b.imbalanceKwh()).isEqualTo(-1.0);
        assertThat(b.sellerShortKwh()).isEqualTo(1.0);
        assertThat(b.retailerKwh()).isEqualTo(1.0);
        assertThat(b.retailerJpy()).isEqualTo(40.0);
        assertThat(b.feederId()).isEqualTo("F2");
        assertThat(r.sites()).extracting(ImbalanceRules.SiteImbalance::siteId).doesNotContain("house-a"); // not active in 20
    }

    @Test
    void aSellerExportingMoreThanItSoldIsFeedInNotImbalance() {
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 20,
                Map.of("factory", new ImbalanceRules.Metered(0.2, 0), "house-b", new ImbalanceRules.Metered(0, 1.9),
                        "shop", new ImbalanceRules.Metered(3.0, 0)),
                List.of(ev("ev-1", "factory", 3, 0), ev("ev-2", "factory", 3, 0)), 40);
        ImbalanceRules.SiteImbalance b = row(r, "house-b");
        assertThat(b.scheduledExportKwh()).isEqualTo(1.5);
        assertThat(b.imbalanceKwh()).isZero();
        assertThat(b.feedInKwh()).isEqualTo(0.4);
        assertThat(b.sellerShortKwh()).isZero();
        assertThat(b.retailerKwh()).isZero();
        assertThat(row(r, "shop").feedInKwh()).isZero();
    }

    @Test
    void aBuyerTakingLessThanItBoughtIsPositiveImbalance() {
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 20,
                Map.of("house-b", new ImbalanceRules.Metered(0, 1.5), "shop", new ImbalanceRules.Metered(0.5, 0)),
                List.of(ev("ev-1", "factory", 3, 0), ev("ev-2", "factory", 3, 0)), 40);
        assertThat(row(r, "shop").imbalanceKwh()).isEqualTo(1.0);
        assertThat(row(r, "shop").retailerKwh()).isZero();
        assertThat(row(r, "factory").meterMissing()).isTrue();
    }

    @Test
    void anEvNotDeliveringIsADeficitAtTheBuyerForTheRetailer() {
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 24,
                Map.of("house-a", new ImbalanceRules.Metered(0.3, 0), "house-b", new ImbalanceRules.Metered(3.0, 0)),
                List.of(ev("ev-1", "house-a", 0, 2.7)), 40);
        assertThat(row(r, "house-a").imbalanceKwh()).isZero();
        ImbalanceRules.SiteImbalance b = row(r, "house-b");
        assertThat(b.imbalanceKwh()).isEqualTo(-2.7);
        assertThat(b.evDeficitKwh()).isEqualTo(2.7);
        assertThat(b.retailerKwh()).isEqualTo(2.7);
        assertThat(b.retailerJpy()).isEqualTo(108.0);
        assertThat(r.imbalanceKwh()).isCloseTo(-2.7, within(1e-9));
    }

    @Test
    void exportAboveTheLimitIsBackflowAndEvCausedOnlyWhereAnEvDischarged() {
        // factory: limit 0, exports 2 kWh while no EV is there; house-a: limit 3 kW x 0.5 h = 1.5 kWh, exports 2 while ev-1 discharges
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 24,
                Map.of("factory", new ImbalanceRules.Metered(0, 2.0), "house-a", new ImbalanceRules.Metered(0, 2.0),
                        "house-b", new ImbalanceRules.Metered(0, 1.5)),
                List.of(ev("ev-1", "house-a", 0, 2.7), ev("ev-2", "house-b", 0, 2.7)), 40);
        assertThat(r.backflow()).containsExactly(
                new ImbalanceRules.BackflowEvent(24, "factory", "F1", 0.0, 2.0, 2.0, false, 0.0),
                new ImbalanceRules.BackflowEvent(24, "house-a", "F1", 1.5, 2.0, 0.5, true, 2.7));
    }

    @Test
    void aLateEvChargesWhatItMissedInTheRemainingSlotsOfItsStop() {
        Redispatcher rd = new Redispatcher(plan, market);
        List<Redispatcher.Redispatch> d = rd.afterSlot(20, List.of(ev("ev-2", "factory", 3, 0)));
        assertThat(d).containsExactly(new Redispatcher.Redispatch(20, "ev-1", Redispatcher.Redispatch.SAME_EV_LATER,
                "factory", "ev-1", 22, 3.0));
        assertThat(plan.action("ev-1", 20)).isEmpty();
        assertThat(plan.action("ev-1", 22).orElseThrow().kwh()).isEqualTo(3.0);
        assertThat(plan.finalActionsAt(20)).hasSize(2); // the market positions do not change
        // a partial delivery within 5 % is not a shortfall
        assertThat(rd.afterSlot(21, List.of(ev("ev-1", "factory", 2.9, 0), ev("ev-2", "factory", 3, 0)))).isEmpty();
    }

    @Test
    void anEvThatNeverComesCannotDeliverAndItsDeliveriesAreReduced() {
        Redispatcher rd = new Redispatcher(plan, market);
        rd.afterSlot(20, List.of(ev("ev-2", "factory", 3, 0)));
        List<Redispatcher.Redispatch> d21 = rd.afterSlot(21, List.of(ev("ev-2", "factory", 3, 0)));
        // slot 22 already holds the missed 3 kWh of slot 20, ev-2 goes to another buyer: nothing to move, deliveries cut
        assertThat(d21).extracting(Redispatcher.Redispatch::rule).containsOnly(Redispatcher.Redispatch.REDUCED_DELIVERY);
        List<Redispatcher.Redispatch> d22 = rd.afterSlot(22, List.of());
        assertThat(d22).extracting(Redispatcher.Redispatch::rule).containsOnly(Redispatcher.Redispatch.REDUCED_DELIVERY);
        double cut = java.util.stream.Stream.concat(d21.stream(), d22.stream()).mapToDouble(Redispatcher.Redispatch::kwh).sum();
        assertThat(cut).isCloseTo(5.4, within(1e-9)); // all it was to deliver (6 kWh x 0.95 x 0.95 > 5.4)
        assertThat(plan.action("ev-1", 24)).isEmpty();
        assertThat(plan.action("ev-1", 25)).isEmpty();
        assertThat(plan.action("ev-2", 24).orElseThrow().kwh()).isEqualTo(-2.7);
    }

    @Test
    void anotherEvAtTheSameSellerAndBuyerTakesOverANoShowsDelivery() {
        Instance in2 = Fixtures.instance("m", 2);
        Solution s2 = Fixtures.solution("m", true);
        DispatchPlan p2 = DispatchPlan.of(in2, s2);
        Redispatcher rd = new Redispatcher(p2, new MarketPositions(in2, s2));
        rd.afterSlot(20, List.of(ev("ev-2", "factory", 3, 0))); // ev-1 late: moved to its slot 22
        List<Redispatcher.Redispatch> d = rd.afterSlot(21, List.of());
        assertThat(d).extracting(Redispatcher.Redispatch::rule).startsWith(Redispatcher.Redispatch.OTHER_EV);
        Redispatcher.Redispatch other = d.get(0);
        assertThat(other.toEv()).isEqualTo("ev-2");
        assertThat(other.toSlot()).isEqualTo(24); // ev-1's first delivery
        assertThat(other.kwh()).isCloseTo(2.7, within(1e-9));
        // ev-2 charges what it needs in the factory's next slot (22, a free port) and delivers in ev-1's place:
        // ev-1's missed 3 kWh were worth 3 x 0.95 x 0.95 = 2.7075 kWh at the buyer, 2.7 in slot 24 and 0.0075 in 25
        assertThat(d).extracting(Redispatcher.Redispatch::rule).containsOnly(Redispatcher.Redispatch.OTHER_EV);
        assertThat(d.stream().mapToDouble(Redispatcher.Redispatch::kwh).sum()).isCloseTo(2.7075, within(0.001));
        assertThat(p2.action("ev-2", 22).orElseThrow().kwh()).isCloseTo(3.0, within(1e-9));
        assertThat(p2.action("ev-2", 24).orElseThrow().kwh()).isCloseTo(-2.7, within(1e-9));
        assertThat(p2.action("ev-1", 24)).isEmpty();
        assertThat(p2.action("ev-1", 25).orElseThrow().kwh()).isCloseTo(-2.6925, within(1e-9));
        assertThat(p2.action("ev-2", 25).orElseThrow().kwh()).isCloseTo(-0.0075, within(1e-9));
    }

    @Test
    void anEvNotDischargingDeliversInItsLaterSlotsWithBidRoomElseUndelivered() {
        Redispatcher rd = new Redispatcher(plan, market);
        List<Redispatcher.Redispatch> d = rd.afterSlot(24, List.of(ev("ev-1", "house-a", 0, 2.7)));
        // ev-2 delivered nothing at house-b in 24: it delivers it in 25 (bid 4 - 2.7 = 1.3 room) and 26, 27 (4 each)
        assertThat(d).containsExactly(
                new Redispatcher.Redispatch(24, "ev-2", Redispatcher.Redispatch.SAME_EV_LATER, "house-b", "ev-2", 25, 0.3),
                new Redispatcher.Redispatch(24, "ev-2", Redispatcher.Redispatch.SAME_EV_LATER, "house-b", "ev-2", 26, 2.4));
        assertThat(plan.action("ev-2", 25).orElseThrow().kwh()).isCloseTo(-3.0, within(1e-9));
        // power limit 6 kW x 0.5 h = 3 kWh per slot; then nothing is left
        Redispatcher rd2 = new Redispatcher(plan, market);
        List<Redispatcher.Redispatch> late = rd2.afterSlot(27, List.of());
        assertThat(late).isEmpty(); // nothing was dispatched in 27
    }

    @Test
    void aScheduleNamingAnUnknownEvIsRefusedWithTheField() {
        Solution bad = new Solution(1, "m", Fixtures.DAY, 0, null, List.of(),
                List.of(new Solution.Itinerary("ev-9", List.of())), List.of(), List.of(), List.of(), 0, 0);
        assertThatThrownBy(() -> DispatchPlan.of(in, bad)).hasMessageContaining("itineraries[].ev='ev-9'");
    }

    @Test
    void configRefusesBadValuesNamingTheVariable() {
        assertThat(DeliveryConfig.fromEnv(Map.of("DELIVERY_MARKETS", "a, b", "IMBALANCE_PRICE_JPY_PER_KWH", "35.5")))
                .satisfies(c -> {
                    assertThat(c.markets()).containsExactly("a", "b");
                    assertThat(c.retailerJpyPerKwh()).isEqualTo(35.5);
                });
        assertThatThrownBy(() -> DeliveryConfig.fromEnv(Map.of("IMBALANCE_PRICE_JPY_PER_KWH", "cheap")))
                .hasMessageContaining("IMBALANCE_PRICE_JPY_PER_KWH").hasMessageContaining("'cheap'");
        assertThatThrownBy(() -> DeliveryConfig.fromEnv(Map.of("DELIVERY_TIME_ZONE", "Mars/Base")))
                .hasMessageContaining("DELIVERY_TIME_ZONE");
        assertThatThrownBy(() -> DeliveryConfig.fromEnv(Map.of("DELIVERY_MAX_WAIT_MS", "-1")))
                .hasMessageContaining("DELIVERY_MAX_WAIT_MS").hasMessageContaining("-1");
        assertThat(DeliveryConfig.defaults().maxWaitMs()).isEqualTo(30_000);
    }
}
