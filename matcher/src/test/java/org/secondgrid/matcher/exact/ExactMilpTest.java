package org.secondgrid.matcher.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.exact.ExactMilp.ExactResult;
import org.secondgrid.matcher.io.InstanceJson;

/** Hand-made instances whose optimum follows from reasoning; the exact MILP must find exactly that. */
class ExactMilpTest {

    private static final double LIMIT_S = 30;

    private static ExactResult solveAndCheck(Instance in) {
        ExactResult r = ExactMilp.solve(in, LIMIT_S);
        assertThat(r.optimal()).as("proved optimal").isTrue();
        ScheduleCheck check = ScheduleCheck.of(in, r.grid(), r.itineraries());
        assertThat(check.violations).as("the schedule re-checked from the rules").isEmpty();
        assertThat(check.welfareJpy).as("W recomputed from the schedule").isCloseTo(r.welfareJpy(), within(0.01));
        assertThat(r.bestBoundJpy()).isGreaterThanOrEqualTo(r.welfareJpy() - 0.05);
        return r;
    }

    @Test
    void gridOnlyExportLimitBinds() {
        // A may export 2 kW = 1 kWh per slot; it has 5 kWh. B bids 30, C bids 20: the 1 kWh goes to B.
        Instance in = new Town().feeder("F1", 100)
                .site("A", "F1", 2.0, 0, 0, 0).site("B", "F1", 0, 0, 0, 0).site("C", "F1", 0, 0, 0, 0)
                .offer("A", 10, 5.0, 5.0).bid("B", 10, 4.0, 30.0).bid("C", 10, 4.0, 20.0)
                .build();
        ExactResult r = solveAndCheck(in);
        assertThat(r.grid()).containsExactly(new Solution.GridDelivery("A", "B", 10, 1.0));
        assertThat(r.welfareJpy()).isCloseTo((30 - 5 - 8) * 1.0, within(1e-6));
    }

    @Test
    void gridPairBelowTheFeeIsNeverUsed() {
        // bid - ask - fee = 20 - 15 - 8 < 0: no grid pool can have a surplus >= 0, nothing trades.
        Instance in = new Town().feeder("F1", 100)
                .site("A", "F1", 10, 0, 0, 0).site("B", "F1", 0, 0, 0, 0)
                .offer("A", 3, 5.0, 15.0).bid("B", 3, 4.0, 20.0)
                .build();
        ExactResult r = solveAndCheck(in);
        assertThat(r.grid()).isEmpty();
        assertThat(r.welfareJpy()).isZero();
    }

    @Test
    void feederReverseLimitBinds() {
        // F1 may send out 3 kW = 1.5 kWh per slot. A (F1, 5 kWh at 2) serves C (F1, 1 kWh at 25) fully and
        // B (F2, 4 kWh at 30) only up to 1.5 kWh.
        Instance in = new Town().feeder("F1", 3.0).feeder("F2", 0)
                .site("A", "F1", 10, 0, 0, 0).site("C", "F1", 0, 0, 0, 0).site("B", "F2", 0, 0, 0, 0)
                .offer("A", 12, 5.0, 2.0).bid("C", 12, 1.0, 25.0).bid("B", 12, 4.0, 30.0)
                .build();
        ExactResult r = solveAndCheck(in);
        assertThat(r.grid()).containsExactlyInAnyOrder(
                new Solution.GridDelivery("A", "B", 12, 1.5), new Solution.GridDelivery("A", "C", 12, 1.0));
        assertThat(r.welfareJpy()).isCloseTo(1.5 * (30 - 2 - 8) + 1.0 * (25 - 2 - 8), within(1e-6));
    }

    @Test
    void evShuttlesFactorySurplusToABuyerBehindAFullFeeder() throws IOException {
        Instance in = shuttle();
        ExactResult r = solveAndCheck(in);
        // The grid carries nothing (export 0, reverse 0). The shop takes at most its bid, 4 kWh per slot in
        // slots 30..35 (the 10 kW port would allow 5): 24 kWh delivered need 24 / (0.95 * 0.9) kWh from the
        // factory at 5 JPY; route home -> factory -> shop -> home = 9 + 6 + 4 km at 10 JPY/km (home -> shop -> factory
        // -> shop -> home would be 20 km).
        double delivered = 6 * 4.0;
        double taken = delivered / (0.95 * 0.9);
        double expected = 30 * delivered - 5 * taken - 5 * delivered - 10 * 19.0;
        assertThat(r.welfareJpy()).isCloseTo(expected, within(0.02));
        assertThat(r.grid()).isEmpty();
        Solution.Itinerary it = r.itineraries().getFirst();
        assertThat(it.stops()).extracting(Solution.Stop::site).containsExactly("factory-1", "shop-1");
        assertThat(charged(it)).isCloseTo(taken, within(0.002));
        assertThat(it.stops().get(1).slots()).hasSize(6)
                .allSatisfy(s -> assertThat(s.discharge()).isCloseTo(4.0, within(0.001)));
    }

    @Test
    void evShuttleIsCappedByTheBatteryCapacity() throws IOException {
        // 40 kWh battery: at the factory the owner's energy is 20 - 0.2 * 9 = 18.2 kWh, so the traded energy
        // fits 40 - 18.2 = 21.8 kWh (21.8 / 0.95 taken) and 21.8 * 0.9 = 19.62 kWh reach the shop (< 24 bid).
        Instance in = withEv(shuttle(), ev(shuttle().evs().getFirst(), 40.0, 10.0, 16, 44));
        ExactResult r = solveAndCheck(in);
        double traded = 40 - (20 - 0.2 * 9);
        double delivered = traded * 0.9;
        double expected = 30 * delivered - 5 * (traded / 0.95) - 5 * delivered - 10 * 19.0;
        assertThat(r.welfareJpy()).isCloseTo(expected, within(0.02));
        assertThat(discharged(r.itineraries().getFirst())).isCloseTo(delivered, within(0.003));
    }

    @Test
    void unprofitableEvPoolStaysHome() throws IOException {
        // At most 720 - 140.35 - 120 = 459.65 JPY before the km fee; 19 km at 25 JPY/km = 475 JPY: not worth it.
        Instance in = withEv(shuttle(), ev(shuttle().evs().getFirst(), 62.0, 25.0, 16, 44));
        ExactResult r = solveAndCheck(in);
        assertThat(r.welfareJpy()).isZero();
        assertThat(r.itineraries()).singleElement().satisfies(it -> assertThat(it.stops()).isEmpty());
    }

    @Test
    void windowTooShortToComeBackKeepsTheEvHome() throws IOException {
        // Cheap km (1 JPY/km) so a single 4 kWh discharge pays. The shop bids from slot 30; discharging in slot 30,
        // the trip shop -> home (1 slot) occupies slot 31 and the EV is home in slot 32. availableTo = 31 is too
        // short: it stays home. availableTo = 32 is just enough for that one slot.
        Ev base = shuttle().evs().getFirst();
        ExactResult tooShort = solveAndCheck(withEv(shuttle(), ev(base, 62.0, 1.0, 16, 31)));
        assertThat(tooShort.welfareJpy()).isZero();
        assertThat(tooShort.itineraries().getFirst().stops()).isEmpty();

        ExactResult justEnough = solveAndCheck(withEv(shuttle(), ev(base, 62.0, 1.0, 16, 32)));
        double expected = 30 * 4.0 - 5 * 4.0 / (0.95 * 0.9) - 5 * 4.0 - 1.0 * 19;
        assertThat(justEnough.welfareJpy()).isCloseTo(expected, within(0.02));
        Solution.Stop shop = justEnough.itineraries().getFirst().stops().getLast();
        assertThat(shop.site()).isEqualTo("shop-1");
        assertThat(shop.depart()).isEqualTo(30);
    }

    @Test
    void tripStartsNoEarlierThanAvailableFrom() throws IOException {
        // The factory offers in slots 20..23 and the trip there takes one slot. availableFrom = 23: the EV arrives
        // in slot 24, too late, and stays home. availableFrom = 22: it arrives in slot 23 and can take one slot's
        // charge, 50 kW * 0.5 h = 25 kWh, of which 25 * 0.95 * 0.9 = 21.375 kWh reach the shop.
        Ev base = shuttle().evs().getFirst();
        ExactResult late = solveAndCheck(withEv(shuttle(), ev(base, 62.0, 10.0, 23, 44)));
        assertThat(late.welfareJpy()).isZero();

        ExactResult onTime = solveAndCheck(withEv(shuttle(), ev(base, 62.0, 10.0, 22, 44)));
        double delivered = 25 * 0.95 * 0.9;
        double expected = 30 * delivered - 5 * 25 - 5 * delivered - 10 * 19.0;
        assertThat(onTime.welfareJpy()).isCloseTo(expected, within(0.02));
        Solution.Stop factory = onTime.itineraries().getFirst().stops().getFirst();
        assertThat(factory.arrive()).isEqualTo(23);
        assertThat(factory.slots()).singleElement().satisfies(s -> assertThat(s.slot()).isEqualTo(23));
    }

    @Test
    void onePortAtTheFactorySharedByTwoEvs() throws IOException {
        // Two identical EVs, one factory port, offers only in slot 23 (25 kWh each EV could take): only one EV can
        // charge in that slot, so the optimum is the one-EV optimum of the availableFrom = 22 case.
        Ev base = ev(shuttle().evs().getFirst(), 62.0, 10.0, 22, 44);
        Ev second = new Ev("ev-2", base.home(), base.capacityKwh(), base.initialKwh(), base.minKwh(), base.chargeKw(),
                base.dischargeKw(), base.chargeEfficiency(), base.dischargeEfficiency(), base.consumptionKwhPerKm(),
                base.availableFrom(), base.availableTo(), base.feeJpyPerKwh(), base.feeJpyPerKm());
        Instance one = withEv(shuttle(), base);
        Instance two = new Instance(one.modelVersion(), one.market(), one.deliveryDay(), one.timeZone(), one.slots(),
                one.slotMinutes(), one.gridFeeJpyPerKwh(), one.speedKmh(), one.feeders(), one.sites(), one.offers(),
                one.bids(), List.of(base, second), one.distancesKm());
        ExactResult r = solveAndCheck(two);
        double delivered = 25 * 0.95 * 0.9;
        assertThat(r.welfareJpy()).isCloseTo(30 * delivered - 5 * 25 - 5 * delivered - 10 * 19.0, within(0.02));
        assertThat(r.itineraries()).filteredOn(it -> !it.stops().isEmpty()).hasSize(1);
    }

    static Instance shuttle() throws IOException {
        try (InputStream s = ExactMilpTest.class.getResourceAsStream("/exact/shuttle.json")) {
            return InstanceJson.parse(new String(s.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Ev ev(Ev e, double capacity, double feeKm, int from, int to) {
        return new Ev(e.id(), e.home(), capacity, e.initialKwh(), e.minKwh(), e.chargeKw(), e.dischargeKw(),
                e.chargeEfficiency(), e.dischargeEfficiency(), e.consumptionKwhPerKm(), from, to, e.feeJpyPerKwh(),
                feeKm);
    }

    static Instance withEv(Instance in, Ev ev) {
        return new Instance(in.modelVersion(), in.market(), in.deliveryDay(), in.timeZone(), in.slots(),
                in.slotMinutes(), in.gridFeeJpyPerKwh(), in.speedKmh(), in.feeders(), in.sites(), in.offers(),
                in.bids(), List.of(ev), in.distancesKm());
    }

    private static double charged(Solution.Itinerary it) {
        return it.stops().stream().flatMap(s -> s.slots().stream()).mapToDouble(Solution.StopSlot::charge).sum();
    }

    private static double discharged(Solution.Itinerary it) {
        return it.stops().stream().flatMap(s -> s.slots().stream()).mapToDouble(Solution.StopSlot::discharge).sum();
    }
}
