package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

class GridClearingTest {

    static Instance oneSlot(List<Feeder> feeders, List<Site> sites, List<Offer> offers, List<Bid> bids) {
        return new Instance(1, "t", LocalDate.of(2026, 12, 5), "Asia/Tokyo", 1, 30, 8.0, 30.0, feeders, sites,
                offers, bids, List.of(), null);
    }

    static Site site(String id, String feeder, double exportKw) {
        return new Site(id, feeder, 37.5, 139.9, exportKw, 0, 0, 0);
    }

    @Test
    void routesTheCheapSellerLocallyWhenItsNeighbourCannotExport() {
        // F2 cannot export: B can only serve Y; A must serve X (a merit-order greedy could send A to Y)
        Instance in = oneSlot(List.of(new Feeder("F1", 100), new Feeder("F2", 0)),
                List.of(site("A", "F1", 10), site("B", "F2", 10), site("X", "F1", 0), site("Y", "F2", 0)),
                List.of(new Offer("A", 0, 1, 0), new Offer("B", 0, 1, 5)),
                List.of(new Bid("X", 0, 1, 30), new Bid("Y", 0, 1, 30)));
        GridClearing.Result r = GridClearing.clear(new MarketIndex(in));
        assertThat(flows(in, r)).containsOnly(Map.entry("A->X", 1000L), Map.entry("B->Y", 1000L));
        assertThat(r.welfareUnits()).isEqualTo((3000 - 0 - 800) * 1000L + (3000 - 500 - 800) * 1000L);
    }

    @Test
    void exportLimitBindsTheSeller() {
        // 2 kW for 30 min = 1 kWh may leave A
        Instance in = oneSlot(List.of(new Feeder("F1", 100)),
                List.of(site("A", "F1", 2), site("X", "F1", 0)),
                List.of(new Offer("A", 0, 5, 1)), List.of(new Bid("X", 0, 5, 30)));
        GridClearing.Result r = GridClearing.clear(new MarketIndex(in));
        assertThat(flows(in, r)).containsOnly(Map.entry("A->X", 1000L));
    }

    @Test
    void feederReverseCapacityBindsCrossFeederFlow() {
        // F1 may push 4 kW x 0.5 h = 2 kWh out; X in F2 wants 5
        Instance in = oneSlot(List.of(new Feeder("F1", 4), new Feeder("F2", 0)),
                List.of(site("A", "F1", 10), site("X", "F2", 0)),
                List.of(new Offer("A", 0, 5, 1)), List.of(new Bid("X", 0, 5, 30)));
        assertThat(flows(in, GridClearing.clear(new MarketIndex(in)))).containsOnly(Map.entry("A->X", 2000L));
    }

    @Test
    void unprofitablePairIsNotTraded() {
        // bid 10 < ask 3 + grid fee 8
        Instance in = oneSlot(List.of(new Feeder("F1", 100)),
                List.of(site("A", "F1", 10), site("X", "F1", 0)),
                List.of(new Offer("A", 0, 1, 3)), List.of(new Bid("X", 0, 1, 10)));
        GridClearing.Result r = GridClearing.clear(new MarketIndex(in));
        assertThat(r.flows()).isEmpty();
        assertThat(r.welfareUnits()).isZero();
    }

    @Test
    void randomMarketsRespectEveryLimitAndMatchABruteForceOptimumOnTinyOnes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            Instance in = randomTiny(rnd);
            MarketIndex m = new MarketIndex(in);
            GridClearing.Result r = GridClearing.clear(m);
            assertLimits(m, r);
            assertThat(r.welfareUnits()).as("trial %d", trial).isEqualTo(bruteForce(m));
        }
    }

    /** Each seller sells 0 or all of its capped offer in 500 Wh steps... exhaustive over per-pair amounts. */
    private static long bruteForce(MarketIndex m) {
        // tiny: 2 sellers, 2 buyers, quantities in whole 500 Wh units, try every pair flow
        List<int[]> pairs = new ArrayList<>();
        for (int s = 0; s < m.siteCount(); s++) {
            for (int b = 0; b < m.siteCount(); b++) {
                if (s != b && m.offerWh(s, 0) > 0 && m.bidWh(b, 0) > 0) {
                    pairs.add(new int[] {s, b});
                }
            }
        }
        return search(m, pairs, 0, new long[pairs.size()]);
    }

    private static long search(MarketIndex m, List<int[]> pairs, int i, long[] amount) {
        if (i == pairs.size()) {
            long[] sold = new long[m.siteCount()];
            long[] got = new long[m.siteCount()];
            long[] net = new long[m.feederCount()];
            long w = 0;
            for (int k = 0; k < pairs.size(); k++) {
                int s = pairs.get(k)[0];
                int b = pairs.get(k)[1];
                if (amount[k] > 0 && m.bidCents(b, 0) < m.askCents(s, 0) + m.gridFeeCents()) {
                    return Long.MIN_VALUE;
                }
                sold[s] += amount[k];
                got[b] += amount[k];
                if (m.feederOf(s) != m.feederOf(b)) {
                    net[m.feederOf(s)] += amount[k];
                    net[m.feederOf(b)] -= amount[k];
                }
                w += (m.bidCents(b, 0) - m.askCents(s, 0) - m.gridFeeCents()) * amount[k];
            }
            for (int s = 0; s < m.siteCount(); s++) {
                if (sold[s] > Math.min(m.offerWh(s, 0), m.exportWh(s)) || got[s] > m.bidWh(s, 0)) {
                    return Long.MIN_VALUE;
                }
            }
            for (int f = 0; f < m.feederCount(); f++) {
                if (net[f] > m.reverseWh(f)) {
                    return Long.MIN_VALUE;
                }
            }
            return w;
        }
        long best = Long.MIN_VALUE;
        for (long a = 0; a <= 2000; a += 500) {
            amount[i] = a;
            best = Math.max(best, search(m, pairs, i + 1, amount));
        }
        amount[i] = 0;
        return best;
    }

    private static Instance randomTiny(Random rnd) {
        List<Feeder> feeders = List.of(new Feeder("F1", rnd.nextInt(3) * 1.0), new Feeder("F2", rnd.nextInt(3) * 1.0));
        List<Site> sites = new ArrayList<>();
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "s" + i;
            sites.add(site(id, rnd.nextBoolean() ? "F1" : "F2", rnd.nextInt(5) * 1.0));
            if (i < 2) {
                offers.add(new Offer(id, 0, 0.5 * (1 + rnd.nextInt(4)), rnd.nextInt(15)));
            } else {
                bids.add(new Bid(id, 0, 0.5 * (1 + rnd.nextInt(4)), 10 + rnd.nextInt(25)));
            }
        }
        return oneSlot(feeders, sites, offers, bids);
    }

    static void assertLimits(MarketIndex m, GridClearing.Result r) {
        for (int t = 0; t < m.slots(); t++) {
            long[] net = new long[m.feederCount()];
            for (GridClearing.Flow f : r.flows()) {
                if (f.slot() == t && m.feederOf(f.seller()) != m.feederOf(f.buyer())) {
                    net[m.feederOf(f.seller())] += f.wh();
                    net[m.feederOf(f.buyer())] -= f.wh();
                }
            }
            for (int f = 0; f < m.feederCount(); f++) {
                assertThat(net[f]).isLessThanOrEqualTo(m.reverseWh(f));
            }
            for (int s = 0; s < m.siteCount(); s++) {
                assertThat(r.soldWh()[s][t]).isLessThanOrEqualTo(Math.min(m.offerWh(s, t), m.exportWh(s)));
                assertThat(r.gotWh()[s][t]).isLessThanOrEqualTo(m.bidWh(s, t));
            }
        }
        for (GridClearing.Flow f : r.flows()) {
            assertThat(f.seller()).isNotEqualTo(f.buyer());
            assertThat(m.bidCents(f.buyer(), f.slot())).isGreaterThanOrEqualTo(
                    m.askCents(f.seller(), f.slot()) + m.gridFeeCents());
        }
    }

    private static Map<String, Long> flows(Instance in, GridClearing.Result r) {
        return r.flows().stream().collect(Collectors.toMap(
                f -> in.sites().get(f.seller()).id() + "->" + in.sites().get(f.buyer()).id(),
                GridClearing.Flow::wh, Long::sum));
    }
}
