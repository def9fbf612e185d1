package org.secondgrid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotEnergyTest {

    static final Instant S0 = Instant.parse("2026-12-05T01:00:00Z");

    static SlotEnergy.Sample s(int minutes, long seq, double imp) {
        return new SlotEnergy.Sample(S0.plusSeconds(minutes * 60L), seq, imp, 0, 0);
    }

    @Test
    void readingsInsideOneSlotGiveTheCounterDifference() {
        Map<Instant, SlotEnergy.Energy> e = SlotEnergy.compute(List.of(s(5, 1, 100), s(25, 2, 160)));
        assertThat(e).containsOnlyKeys(S0);
        assertThat(e.get(S0).importWh()).isEqualTo(60.0);
    }

    @Test
    void aPairStraddlingABoundaryIsSplitByTime() {
        // 20 min before the 01:30 boundary, 10 min after: 300 Wh → 200 + 100
        Map<Instant, SlotEnergy.Energy> e = SlotEnergy.compute(List.of(s(10, 1, 1000), s(40, 2, 1300)));
        assertThat(e.get(S0).importWh()).isCloseTo(200.0, within(1e-9));
        assertThat(e.get(S0.plusSeconds(1800)).importWh()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aLongGapSpreadsOverEverySlotItCovers() {
        Map<Instant, SlotEnergy.Energy> e = SlotEnergy.compute(List.of(s(15, 1, 0), s(105, 2, 900)));
        // 90 minutes, 10 Wh/min: 150, 300, 300, 150
        assertThat(e.get(S0).importWh()).isCloseTo(150, within(1e-9));
        assertThat(e.get(S0.plusSeconds(1800)).importWh()).isCloseTo(300, within(1e-9));
        assertThat(e.get(S0.plusSeconds(3600)).importWh()).isCloseTo(300, within(1e-9));
        assertThat(e.get(S0.plusSeconds(5400)).importWh()).isCloseTo(150, within(1e-9));
    }

    @Test
    void outOfOrderReadingsGiveTheSameResult() {
        var inOrder = SlotEnergy.compute(List.of(s(0, 1, 0), s(20, 2, 50), s(40, 3, 130)));
        var shuffled = SlotEnergy.compute(List.of(s(40, 3, 130), s(0, 1, 0), s(20, 2, 50)));
        assertThat(shuffled).isEqualTo(inOrder);
    }

    @Test
    void aCounterResetCountsTheEnergySinceTheReset() {
        // 1000 → 1100 (+100), reset, then 30 (+30 since the reset), then 70 (+40)
        Map<Instant, SlotEnergy.Energy> e = SlotEnergy.compute(List.of(s(1, 1, 1000), s(10, 2, 1100), s(20, 3, 30),
                s(29, 4, 70)));
        assertThat(e.get(S0).importWh()).isCloseTo(170, within(1e-9));
    }

    @Test
    void slotStartFloorsToHalfHours() {
        assertThat(SlotEnergy.slotStart(Instant.parse("2026-12-05T01:29:59.999Z"))).isEqualTo(S0);
        assertThat(SlotEnergy.slotStart(Instant.parse("2026-12-05T01:30:00Z"))).isEqualTo(S0.plusSeconds(1800));
    }
}
