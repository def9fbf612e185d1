package org.secondgrid.matcher.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution.GridDelivery;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;

class GridGreedyTest {

    /** A tiny market builder: 30-minute slots, grid fee 8. */
    private static final class Market {
        final List<Feeder> feeders = new ArrayList<>();
        final List<Site> sites = new ArrayList<>();
        final List<Offer> offers = new ArrayList<>();
        final List<Bid> bids = new ArrayList<>();

        Market feeder(String id, double reverseKw) {
            feeders.add(new Feeder(id, reverseKw));
            return this;
        }

        Market site(String id, String feeder, double exportKw) {
            sites.add(new Site(id, feeder, 37.49, 139.93, exportKw, 0, 0, 0));
            return this;
        }

        Market offer(String site, int slot, double kwh, double ask) {
            offers.add(new Offer(site, slot, kwh, ask));
            return this;
        }

        Market bid(String site, int slot, double kwh, double bid) {
            bids.add(new Bid(site, slot, kwh, bid));
            return this;
        }

        Instance build() {
            return new Instance(1, "test", LocalDate.of(2026, 12, 5), "Asia/Tokyo", 4, 30, 8.0, 30.0,
                    feeders, sites, offers, bids, List.of(), null);
        }
    }

    private static Map<String, Double> byPair(GreedyResult r) {
        Map<String, Double> m = new HashMap<>();
        for (GridDelivery g : r.grid()) {
            m.merge(g.seller() + ">" + g.buyer() + "@" + g.slot(), g.kwh(), Double::sum);
        }
        return m;
    }

    @Test
    void exportLimitBinds() {
        Instance in = new Market().feeder("F1", 0).site("a", "F1", 4).site("x", "F1", 0)
                .offer("a", 1, 5.0, 2.0).bid("x", 1, 10.0, 30.0).build();
        GreedyResult r = GridGreedy.clear(in);
        // 4 kW for half an hour = 2 kWh; margin 30 - 2 - 8 = 20 JPY/kWh.
        assertThat(byPair(r)).containsExactly(Map.entry("a>x@1", 2.0));
        assertThat(r.welfareJpy()).isCloseTo(40.0, within(1e-9));
        assertThat(r.deliveredKwh()).isEqualTo(2.0);
        assertThat(r.curtailedKwh()).isEqualTo(3.0);
        assertThat(r.unmetKwh()).isEqualTo(8.0);
    }

    @Test
    void feederAtItsLimitSellsToTheSameFeederBuyerEvenIfAnotherBidsMore() {
        Instance in = new Market().feeder("F1", 0).feeder("F2", 0)
                .site("a", "F1", 10).site("x", "F2", 0).site("y", "F1", 0)
                .offer("a", 0, 3.0, 1.0).bid("x", 0, 3.0, 32.0).bid("y", 0, 2.0, 29.0).build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsExactly(Map.entry("a>y@0", 2.0));
        assertThat(r.welfareJpy()).isCloseTo(2.0 * (29 - 1 - 8), within(1e-9));
        assertThat(r.curtailedKwh()).isEqualTo(1.0);
        assertThat(r.unmetKwh()).isEqualTo(3.0);
    }

    @Test
    void feederReverseCapacityIsUsedUpThenTheSameFeederBuyerGetsTheRest() {
        // F1 may export 2 kW x 0.5 h = 1 kWh net.
        Instance in = new Market().feeder("F1", 2).feeder("F2", 0)
                .site("a", "F1", 10).site("x", "F2", 0).site("y", "F1", 0)
                .offer("a", 0, 3.0, 1.0).bid("x", 0, 3.0, 32.0).bid("y", 0, 2.0, 29.0).build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsOnly(Map.entry("a>x@0", 1.0), Map.entry("a>y@0", 2.0));
        assertThat(r.welfareJpy()).isCloseTo(1.0 * 23 + 2.0 * 20, within(1e-9));
    }

    @Test
    void importsIntoAFeederFreeItsReverseCapacity() {
        // b (F2, 5 kW reverse) sells into F1 first (cheaper); that lets a (F1, no reverse capacity) sell to F2.
        Instance in = new Market().feeder("F1", 0).feeder("F2", 5)
                .site("a", "F1", 10).site("b", "F2", 10).site("x", "F2", 0).site("y", "F1", 0)
                .offer("b", 0, 1.0, 0.0).offer("a", 0, 2.0, 1.0)
                .bid("y", 0, 1.0, 31.0).bid("x", 0, 1.0, 30.0).build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsOnly(Map.entry("b>y@0", 1.0), Map.entry("a>x@0", 1.0));
        assertFeasible(in, r);
    }

    @Test
    void unprofitablePairIsNotMatchedAndAZeroMarginPairIs() {
        Instance in = new Market().feeder("F1", 0).site("a", "F1", 10).site("b", "F1", 10).site("x", "F1", 0)
                .offer("a", 0, 1.0, 23.0).bid("x", 0, 1.0, 30.0) // 30 - 23 - 8 < 0
                .offer("b", 1, 1.0, 22.0).bid("x", 1, 1.0, 30.0) // 30 - 22 - 8 = 0
                .build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsExactly(Map.entry("b>x@1", 1.0));
        assertThat(r.welfareJpy()).isCloseTo(0.0, within(1e-9));
        assertThat(r.curtailedKwh()).isEqualTo(1.0);
        assertThat(r.unmetKwh()).isEqualTo(1.0);
    }

    @Test
    void meritOrderRespectsOfferAndBidQuantities() {
        Instance in = new Market().feeder("F1", 0)
                .site("a", "F1", 10).site("b", "F1", 10).site("x", "F1", 0).site("y", "F1", 0)
                .offer("b", 2, 3.0, 5.0).offer("a", 2, 2.0, 1.0)
                .bid("y", 2, 10.0, 30.0).bid("x", 2, 1.5, 32.0).build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsOnly(Map.entry("a>x@2", 1.5), Map.entry("a>y@2", 0.5), Map.entry("b>y@2", 3.0));
        assertThat(r.welfareJpy()).isCloseTo(1.5 * 23 + 0.5 * 21 + 3.0 * 17, within(1e-9));
        assertThat(r.deliveredKwh()).isEqualTo(5.0);
        assertThat(r.curtailedKwh()).isEqualTo(0.0);
        assertThat(r.unmetKwh()).isEqualTo(6.5);
    }

    @Test
    void aSiteNeverSellsToItself() {
        Instance in = new Market().feeder("F1", 0).site("a", "F1", 10).site("x", "F1", 0)
                .offer("a", 0, 1.0, 0.0).bid("a", 0, 1.0, 40.0).bid("x", 0, 0.4, 30.0).build();
        GreedyResult r = GridGreedy.clear(in);
        assertThat(byPair(r)).containsExactly(Map.entry("a>x@0", 0.4));
    }

    @ParameterizedTest
    @CsvSource({"10,1", "200,2", "700,3", "1500,4"})
    void generatedTownsRespectEveryLimitAndWelfareIsTheObjective(int sites, long seed) {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(sites, 0, seed));
        GreedyResult r = GridGreedy.clear(in);
        assertFeasible(in, r);
        assertNothingProfitableLeft(in, r);
        if (sites >= 200) {
            assertThat(r.deliveredKwh()).isPositive();
        }
    }

    @Test
    void aWeekdayTownIsAlsoFeasible() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(400, 0, 9, LocalDate.of(2027, 5, 19), "m"));
        GreedyResult r = GridGreedy.clear(in);
        assertFeasible(in, r);
        assertNothingProfitableLeft(in, r);
    }

    /** Re-checks every limit by summing the deliveries, and recomputes welfare and the totals. */
    static void assertFeasible(Instance in, GreedyResult r) {
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(s -> sites.put(s.id(), s));
        Map<String, Double> reverse = new HashMap<>();
        in.feeders().forEach(f -> reverse.put(f.id(), f.reverseCapacityKw()));
        Map<String, Offer> offers = new HashMap<>();
        in.offers().forEach(o -> offers.put(o.site() + "@" + o.slot(), o));
        Map<String, Bid> bids = new HashMap<>();
        in.bids().forEach(b -> bids.put(b.site() + "@" + b.slot(), b));
        Map<String, Double> sold = new HashMap<>();
        Map<String, Double> got = new HashMap<>();
        Map<String, Double> feederNet = new HashMap<>();
        double welfare = 0;
        double delivered = 0;
        double dt = in.slotHours();
        for (GridDelivery g : r.grid()) {
            assertThat(g.seller()).isNotEqualTo(g.buyer());
            assertThat(g.kwh()).isPositive();
            Offer o = offers.get(g.seller() + "@" + g.slot());
            Bid b = bids.get(g.buyer() + "@" + g.slot());
            assertThat(o).as("offer of %s in slot %d", g.seller(), g.slot()).isNotNull();
            assertThat(b).as("bid of %s in slot %d", g.buyer(), g.slot()).isNotNull();
            assertThat(b.bidJpyPerKwh() - o.askJpyPerKwh() - in.gridFeeJpyPerKwh()).isGreaterThanOrEqualTo(-1e-9);
            sold.merge(g.seller() + "@" + g.slot(), g.kwh(), Double::sum);
            got.merge(g.buyer() + "@" + g.slot(), g.kwh(), Double::sum);
            String fs = sites.get(g.seller()).feeder();
            String fb = sites.get(g.buyer()).feeder();
            if (!fs.equals(fb)) {
                feederNet.merge(fs + "@" + g.slot(), g.kwh(), Double::sum);
                feederNet.merge(fb + "@" + g.slot(), -g.kwh(), Double::sum);
            }
            welfare += (b.bidJpyPerKwh() - o.askJpyPerKwh() - in.gridFeeJpyPerKwh()) * g.kwh();
            delivered += g.kwh();
        }
        sold.forEach((k, kwh) -> {
            Offer o = offers.get(k);
            assertThat(kwh).as("sold %s", k).isLessThanOrEqualTo(o.kwh() + 1e-9)
                    .isLessThanOrEqualTo(sites.get(o.site()).exportLimitKw() * dt + 1e-9);
        });
        got.forEach((k, kwh) -> assertThat(kwh).as("got %s", k).isLessThanOrEqualTo(bids.get(k).kwh() + 1e-9));
        feederNet.forEach((k, kwh) -> assertThat(kwh).as("net export of feeder %s", k)
                .isLessThanOrEqualTo(reverse.get(k.substring(0, k.indexOf('@'))) * dt + 1e-9));
        assertThat(r.welfareJpy()).isCloseTo(welfare, within(1e-6));
        assertThat(r.deliveredKwh()).isCloseTo(delivered, within(1e-6));
        double offered = in.offers().stream().mapToDouble(Offer::kwh).sum();
        double bid = in.bids().stream().mapToDouble(Bid::kwh).sum();
        assertThat(r.curtailedKwh()).isCloseTo(offered - delivered, within(1e-3));
        assertThat(r.unmetKwh()).isCloseTo(bid - delivered, within(1e-3));
    }

    /**
     * Greedy is maximal: no seller with offer and export room left and no buyer with demand left form a profitable
     * pair that the feeder limits would still allow (same feeder, or the seller's feeder has reverse capacity left).
     */
    static void assertNothingProfitableLeft(Instance in, GreedyResult r) {
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(s -> sites.put(s.id(), s));
        Map<String, Double> reverse = new HashMap<>();
        in.feeders().forEach(f -> reverse.put(f.id(), f.reverseCapacityKw()));
        Map<String, Double> sold = new HashMap<>();
        Map<String, Double> got = new HashMap<>();
        Map<String, Double> feederNet = new HashMap<>();
        for (GridDelivery g : r.grid()) {
            sold.merge(g.seller() + "@" + g.slot(), g.kwh(), Double::sum);
            got.merge(g.buyer() + "@" + g.slot(), g.kwh(), Double::sum);
            String fs = sites.get(g.seller()).feeder();
            String fb = sites.get(g.buyer()).feeder();
            if (!fs.equals(fb)) {
                feederNet.merge(fs + "@" + g.slot(), g.kwh(), Double::sum);
                feederNet.merge(fb + "@" + g.slot(), -g.kwh(), Double::sum);
            }
        }
        double dt = in.slotHours();
        Map<Integer, List<Bid>> openBids = new HashMap<>();
        for (Bid b : in.bids()) {
            if (b.kwh() - got.getOrDefault(b.site() + "@" + b.slot(), 0.0) >= 0.001 - 1e-9) {
                openBids.computeIfAbsent(b.slot(), k -> new ArrayList<>()).add(b);
            }
        }
        for (Offer o : in.offers()) {
            Site s = sites.get(o.site());
            double done = sold.getOrDefault(o.site() + "@" + o.slot(), 0.0);
            double room = Math.min(o.kwh(), s.exportLimitKw() * dt) - done;
            if (room < 0.001 - 1e-9) {
                continue;
            }
            double headroom = reverse.get(s.feeder()) * dt - feederNet.getOrDefault(s.feeder() + "@" + o.slot(), 0.0);
            for (Bid b : openBids.getOrDefault(o.slot(), List.of())) {
                boolean reachable = sites.get(b.site()).feeder().equals(s.feeder()) || headroom >= 0.001 - 1e-9;
                boolean profitable = b.bidJpyPerKwh() - o.askJpyPerKwh() - in.gridFeeJpyPerKwh() >= -1e-9;
                assertThat(reachable && profitable && !b.site().equals(o.site()))
                        .as("%s (ask %s, %s kWh left) could still sell to %s (bid %s) in slot %d", o.site(),
                                o.askJpyPerKwh(), room, b.site(), b.bidJpyPerKwh(), o.slot())
                        .isFalse();
            }
        }
    }
}
