package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;

/** Timing of a fixed itinerary: windows as wide as the trips allow, and the rules that make one impossible. */
class FixedItineraryTest {

    private final MarketIndex m = new MarketIndex(TestMarkets.load("shuttle-instance.json"));
    private final Ev ev = m.instance().evs().getFirst();
    private final EvInfo info = new EvInfo(0, ev, m.siteIndex(ev.home()));
    private final int factory = m.siteIndex("factory-1");
    private final int house7 = m.siteIndex("house-7");

    @Test
    void stopsLastFromArrivalUntilTheNextTripAndTheLastOneUntilItMustDriveHome() {
        FixedItinerary it = FixedItinerary.of(m, info, new int[] {factory, house7}, new int[] {25});
        assertThat(it).isNotNull();
        int toFactory = m.travelSlots(info.home(), factory);
        int across = m.travelSlots(factory, house7);
        int back = m.travelSlots(house7, info.home());
        assertThat(it.arrive()[0]).isEqualTo(ev.availableFrom() + toFactory);
        assertThat(it.depart()[0]).isEqualTo(24);
        assertThat(it.arrive()[1]).isEqualTo(25 + across);
        assertThat(it.depart()[1] + back + 1).isEqualTo(ev.availableTo());
        assertThat(it.km()).isEqualTo(m.km(info.home(), factory) + m.km(factory, house7) + m.km(house7, info.home()));
        // the owner's energy drops at the first slot of each trip
        double kappa = ev.consumptionKwhPerKm() * 1000;
        assertThat(it.ownWh()[ev.availableFrom()]).isEqualTo(ev.initialKwh() * 1000);
        assertThat(it.ownWh()[ev.availableFrom() + 1])
                .isCloseTo(ev.initialKwh() * 1000 - kappa * m.km(info.home(), factory), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(it.ownWh()[m.slots()]).isCloseTo(ev.initialKwh() * 1000 - kappa * it.km(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(it.firstEnergySlot(0)).isEqualTo(it.arrive()[0]);
        assertThat(it.lastEnergySlot(1)).isLessThan(ev.availableTo());
    }

    @Test
    void aStopWithoutASlotOrATripPastTheWindowIsNoItinerary() {
        int arrive = ev.availableFrom() + m.travelSlots(info.home(), factory);
        assertThat(FixedItinerary.of(m, info, new int[] {factory, house7}, new int[] {arrive})).isNull();
        assertThat(FixedItinerary.of(m, info, new int[] {factory, house7}, new int[] {arrive + 1})).isNotNull();
        assertThat(FixedItinerary.of(m, info, new int[] {factory, house7}, new int[] {ev.availableTo()})).isNull();
        assertThat(FixedItinerary.of(m, info, new int[] {factory, factory}, new int[] {30})).isNull();
    }

    @Test
    void drivingBelowTheOwnersReserveIsNoItinerary() {
        Ev tight = new Ev(ev.id(), ev.home(), ev.capacityKwh(), ev.initialKwh(), ev.initialKwh() - 0.01,
                ev.chargeKw(), ev.dischargeKw(), ev.chargeEfficiency(), ev.dischargeEfficiency(),
                ev.consumptionKwhPerKm(), ev.availableFrom(), ev.availableTo(), ev.feeJpyPerKwh(), ev.feeJpyPerKm());
        EvInfo t = new EvInfo(0, tight, info.home());
        assertThat(FixedItinerary.of(m, t, new int[] {factory, house7}, new int[] {25})).isNull();
        assertThat(FixedItinerary.of(m, t, new int[] {info.home()}, new int[0])).isNotNull(); // no driving
    }

    @Test
    void shiftingATripMovesTheStopsAroundIt() {
        FixedItinerary it = FixedItinerary.of(m, info, new int[] {factory, house7}, new int[] {25});
        FixedItinerary later = it.shifted(m, 0, 0, 3);
        assertThat(later.depart()[0]).isEqualTo(27);
        assertThat(later.arrive()[1]).isEqualTo(it.arrive()[1] + 3);
        assertThat(later.depart()[1]).isEqualTo(it.depart()[1]);
    }
}
