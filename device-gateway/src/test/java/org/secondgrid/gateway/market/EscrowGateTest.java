package org.secondgrid.gateway.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Instance;

/** Bids need enough escrow at gate closure: a short buyer's bids are dropped, everyone else's stay as they were. */
class EscrowGateTest {

    final Instance town = withSecondBuyer(ScheduleComposerTest.town());

    /** The composer's town plus a bid of a site that does not bid there yet, so there are two buyers. */
    static Instance withSecondBuyer(Instance in) {
        Set<String> bidding = in.bids().stream().map(Bid::site).collect(Collectors.toSet());
        String other = in.sites().stream().map(s -> s.id()).filter(id -> !bidding.contains(id)).findFirst().orElseThrow();
        List<Bid> bids = new java.util.ArrayList<>(in.bids());
        bids.add(new Bid(other, 30, 1.2, 31.0));
        return new Instance(in.modelVersion(), in.market(), in.deliveryDay(), in.timeZone(), in.slots(), in.slotMinutes(),
                in.gridFeeJpyPerKwh(), in.speedKmh(), in.feeders(), in.sites(), in.offers(), bids, in.evs(),
                in.distancesKm());
    }

    @Test
    void maxSpendTakesTheHigherOfBidAndImbalancePrice() {
        Map<String, Double> spend = EscrowGate.maxSpend(List.of(new Bid("h1", 1, 2.0, 30.0), new Bid("h1", 2, 1.0, 50.0),
                new Bid("h2", 1, 1.5, 20.0)), 40.0);
        assertThat(spend).containsOnlyKeys("h1", "h2");
        assertThat(spend.get("h1")).isEqualTo(2.0 * 40 + 1.0 * 50);
        assertThat(spend.get("h2")).isEqualTo(1.5 * 40);
    }

    @Test
    void aShortBuyerLosesItsBidsAndTheNoteNamesItAndTheAmount() {
        Set<String> buyers = town.bids().stream().map(Bid::site).collect(Collectors.toSet());
        assertThat(buyers).hasSizeGreaterThan(1);
        String poor = buyers.stream().sorted().findFirst().orElseThrow();
        Map<String, Double> asked = new HashMap<>();
        EscrowGate gate = spend -> {
            asked.putAll(spend);
            return Map.of(poor, 12.5);
        };
        EscrowGate.Checked c = EscrowGate.apply(gate, town, 40.0);
        assertThat(asked.keySet()).isEqualTo(buyers);
        assertThat(c.instance().bids()).isNotEmpty().noneMatch(b -> b.site().equals(poor));
        assertThat(c.instance().bids()).containsExactlyElementsOf(
                town.bids().stream().filter(b -> !b.site().equals(poor)).toList());
        assertThat(c.instance().offers()).isEqualTo(town.offers());
        assertThat(c.instance().evs()).isEqualTo(town.evs());
        assertThat(c.note()).contains(poor).contains("12.50 JPY");
    }

    @Test
    void everyoneFundedChangesNothing() {
        EscrowGate.Checked c = EscrowGate.apply(spend -> Map.of(), town, 40.0);
        assertThat(c.instance()).isSameAs(town);
        assertThat(c.note()).isNull();
        EscrowGate.Checked zero = EscrowGate.apply(spend -> Map.of(town.bids().getFirst().site(), 0.0), town, 40.0);
        assertThat(zero.instance()).isSameAs(town);
    }
}
