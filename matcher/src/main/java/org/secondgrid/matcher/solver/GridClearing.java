package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact grid clearing of one delivery day: per slot, a maximum-welfare flow from sellers to buyers within each
 * seller's offer and export limit, each buyer's bid and each feeder's reverse capacity.
 *
 * <p>Per slot the network is tiny in nodes: source → feeder-out (one convex cost curve of the feeder's sellers)
 * → same feeder-in (free) or → bus (reverse capacity) → any feeder-in → sink (one concave curve of the feeder's
 * buyers). Successive shortest paths with potentials on that network is exact; sellers and buyers inside a feeder
 * are used in merit order. Flows are then paired seller → buyer (same feeder first, then across the bus), which
 * keeps every pair's margin ≥ 0 because both sides clear at their node prices.
 */
public final class GridClearing {

    /** One grid delivery in Wh. */
    public record Flow(int seller, int buyer, int slot, long wh) {
    }

    /** Result of a clearing: pair flows, per site and slot totals, and welfare in money units. */
    public record Result(List<Flow> flows, long[][] soldWh, long[][] gotWh, long welfareUnits) {
    }

    private static final long INF = Long.MAX_VALUE / 4;

    private GridClearing() {
    }

    /** Clears every slot with the full orders of the instance. */
    public static Result clear(MarketIndex m) {
        return clear(m, m.offersWh(), m.bidsWh());
    }

    /** Clears every slot with what is left of each offer and bid (e.g. after EV charging and discharging). */
    public static Result clear(MarketIndex m, long[][] offerLeftWh, long[][] bidLeftWh) {
        List<Flow> flows = new ArrayList<>();
        long[][] sold = new long[m.siteCount()][m.slots()];
        long[][] got = new long[m.siteCount()][m.slots()];
        long welfare = 0;
        for (int t = 0; t < m.slots(); t++) {
            welfare += new SlotFlow(m, t, offerLeftWh, bidLeftWh).solve(flows, sold, got);
        }
        return new Result(flows, sold, got, welfare);
    }

    /** Welfare of the exact grid clearing of one slot (money units), without keeping the flows. */
    public static long slotWelfare(MarketIndex m, int slot, long[][] offerLeftWh, long[][] bidLeftWh) {
        return new SlotFlow(m, slot, offerLeftWh, bidLeftWh).solve(null, null, null);
    }

    /** One slot's min-cost flow. */
    private static final class SlotFlow {
        private final MarketIndex m;
        private final int slot;
        private final int feeders;
        // per feeder: sellers sorted by cost ascending, buyers sorted by bid descending
        private final int[][] sellers;
        private final long[][] sellerCap;
        private final long[][] sellerCost;
        private final long[][] sellerUsed;
        private final int[] sellerFront; // first seller not yet full
        private final int[][] buyers;
        private final long[][] buyerCap;
        private final long[][] buyerValue;
        private final long[][] buyerUsed;
        private final int[] buyerFront;
        private final long[] local; // out(f) -> in(f)
        private final long[] export; // out(f) -> bus
        private final long[] importFlow; // bus -> in(f)
        private final long[] reverseCap;
        private final int nodes;
        private final long[] potential;

        SlotFlow(MarketIndex m, int slot, long[][] offerLeft, long[][] bidLeft) {
            this.m = m;
            this.slot = slot;
            this.feeders = m.feederCount();
            List<List<Integer>> s = new ArrayList<>();
            List<List<Integer>> b = new ArrayList<>();
            for (int f = 0; f < feeders; f++) {
                s.add(new ArrayList<>());
                b.add(new ArrayList<>());
            }
            for (int site = 0; site < m.siteCount(); site++) {
                long cap = Math.min(offerLeft[site][slot], m.exportWh(site));
                if (cap > 0) {
                    s.get(m.feederOf(site)).add(site);
                }
                if (bidLeft[site][slot] > 0 && m.bidCents(site, slot) > 0) {
                    b.get(m.feederOf(site)).add(site);
                }
            }
            sellers = new int[feeders][];
            sellerCap = new long[feeders][];
            sellerCost = new long[feeders][];
            sellerUsed = new long[feeders][];
            buyers = new int[feeders][];
            buyerCap = new long[feeders][];
            buyerValue = new long[feeders][];
            buyerUsed = new long[feeders][];
            sellerFront = new int[feeders];
            buyerFront = new int[feeders];
            for (int f = 0; f < feeders; f++) {
                Integer[] ss = s.get(f).toArray(Integer[]::new);
                Arrays.sort(ss, (x, y) -> Long.compare(m.askCents(x, slot), m.askCents(y, slot)));
                sellers[f] = new int[ss.length];
                sellerCap[f] = new long[ss.length];
                sellerCost[f] = new long[ss.length];
                sellerUsed[f] = new long[ss.length];
                for (int k = 0; k < ss.length; k++) {
                    sellers[f][k] = ss[k];
                    sellerCap[f][k] = Math.min(offerLeft[ss[k]][slot], m.exportWh(ss[k]));
                    sellerCost[f][k] = m.askCents(ss[k], slot) + m.gridFeeCents();
                }
                Integer[] bb = b.get(f).toArray(Integer[]::new);
                Arrays.sort(bb, (x, y) -> Long.compare(m.bidCents(y, slot), m.bidCents(x, slot)));
                buyers[f] = new int[bb.length];
                buyerCap[f] = new long[bb.length];
                buyerValue[f] = new long[bb.length];
                buyerUsed[f] = new long[bb.length];
                for (int k = 0; k < bb.length; k++) {
                    buyers[f][k] = bb[k];
                    buyerCap[f][k] = bidLeft[bb[k]][slot];
                    buyerValue[f][k] = m.bidCents(bb[k], slot);
                }
            }
            local = new long[feeders];
            export = new long[feeders];
            importFlow = new long[feeders];
            reverseCap = new long[feeders];
            for (int f = 0; f < feeders; f++) {
                reverseCap[f] = m.reverseWh(f);
            }
            nodes = 3 + 2 * feeders;
            potential = new long[nodes];
        }

        // node numbering
        private static final int SRC = 0;
        private static final int SINK = 1;
        private static final int BUS = 2;

        private int out(int f) {
            return 3 + 2 * f;
        }

        private int in(int f) {
            return 4 + 2 * f;
        }

        long solve(List<Flow> flows, long[][] sold, long[][] got) {
            boolean anySeller = false;
            boolean anyBuyer = false;
            for (int f = 0; f < feeders; f++) {
                anySeller |= sellers[f].length > 0;
                anyBuyer |= buyers[f].length > 0;
            }
            if (!anySeller || !anyBuyer) {
                return 0;
            }
            initPotentials();
            long[] dist = new long[nodes];
            int[] prevNode = new int[nodes];
            int[] prevArc = new int[nodes];
            boolean[] done = new boolean[nodes];
            while (true) {
                // Dijkstra on reduced costs (dense, the graph has 3 + 2F nodes)
                Arrays.fill(dist, INF);
                Arrays.fill(done, false);
                dist[SRC] = 0;
                while (true) {
                    int u = -1;
                    for (int v = 0; v < nodes; v++) {
                        if (!done[v] && dist[v] < INF && (u < 0 || dist[v] < dist[u])) {
                            u = v;
                        }
                    }
                    if (u < 0) {
                        break;
                    }
                    done[u] = true;
                    relaxFrom(u, dist, prevNode, prevArc, done);
                }
                if (dist[SINK] >= INF) {
                    break;
                }
                long pathCost = dist[SINK] - potential[SRC] + potential[SINK];
                if (pathCost >= 0) {
                    break; // no more profitable flow
                }
                for (int v = 0; v < nodes; v++) {
                    if (dist[v] < INF) {
                        potential[v] += dist[v];
                    }
                }
                long amount = bottleneck(prevNode, prevArc);
                if (amount <= 0) {
                    break;
                }
                augment(prevNode, prevArc, amount);
            }
            return pair(flows, sold, got);
        }

        /** Shortest distances from the source before any flow (the network is then acyclic). */
        private void initPotentials() {
            long bus = INF;
            long[] outDist = new long[feeders];
            for (int f = 0; f < feeders; f++) {
                outDist[f] = sellers[f].length > 0 ? sellerCost[f][0] : INF;
                potential[out(f)] = outDist[f] < INF ? outDist[f] : 0;
                if (reverseCap[f] > 0) {
                    bus = Math.min(bus, outDist[f]);
                }
            }
            potential[BUS] = bus < INF ? bus : 0;
            long sink = INF;
            for (int f = 0; f < feeders; f++) {
                long d = Math.min(outDist[f], bus);
                potential[in(f)] = d < INF ? d : 0;
                if (d < INF && buyers[f].length > 0) {
                    sink = Math.min(sink, d - buyerValue[f][0]);
                }
            }
            potential[SINK] = sink < INF ? sink : 0;
            potential[SRC] = 0;
        }

        // Arc kinds for prevArc: 0 seller curve fwd, 1 seller curve back, 2 local fwd, 3 local back, 4 export fwd,
        // 5 export back, 6 import fwd, 7 import back, 8 buyer curve fwd, 9 buyer curve back.
        private void relaxFrom(int u, long[] dist, int[] prevNode, int[] prevArc, boolean[] done) {
            if (u == SRC) {
                for (int f = 0; f < feeders; f++) {
                    int k = sellerFront[f];
                    if (k < sellers[f].length) {
                        relax(u, out(f), sellerCost[f][k], 0, dist, prevNode, prevArc, done);
                    }
                }
                return;
            }
            if (u == BUS) {
                for (int f = 0; f < feeders; f++) {
                    relax(u, in(f), 0, 6, dist, prevNode, prevArc, done);
                    if (export[f] > 0) {
                        relax(u, out(f), 0, 5, dist, prevNode, prevArc, done);
                    }
                }
                return;
            }
            if (u == SINK) {
                for (int f = 0; f < feeders; f++) {
                    int k = lastUsedBuyer(f);
                    if (k >= 0) {
                        relax(u, in(f), buyerValue[f][k], 9, dist, prevNode, prevArc, done);
                    }
                }
                return;
            }
            int f = (u - 3) / 2;
            if (u == out(f)) {
                relax(u, in(f), 0, 2, dist, prevNode, prevArc, done);
                if (export[f] < reverseCap[f]) {
                    relax(u, BUS, 0, 4, dist, prevNode, prevArc, done);
                }
                int k = lastUsedSeller(f);
                if (k >= 0) {
                    relax(u, SRC, -sellerCost[f][k], 1, dist, prevNode, prevArc, done);
                }
            } else {
                int k = buyerFront[f];
                if (k < buyers[f].length) {
                    relax(u, SINK, -buyerValue[f][k], 8, dist, prevNode, prevArc, done);
                }
                if (local[f] > 0) {
                    relax(u, out(f), 0, 3, dist, prevNode, prevArc, done);
                }
                if (importFlow[f] > 0) {
                    relax(u, BUS, 0, 7, dist, prevNode, prevArc, done);
                }
            }
        }

        private void relax(int u, int v, long cost, int kind, long[] dist, int[] prevNode, int[] prevArc,
                           boolean[] done) {
            if (done[v]) {
                return;
            }
            long reduced = cost + potential[u] - potential[v];
            long nd = dist[u] + Math.max(0, reduced);
            if (nd < dist[v]) {
                dist[v] = nd;
                prevNode[v] = u;
                prevArc[v] = kind;
            }
        }

        private int lastUsedSeller(int f) {
            int k = Math.min(sellerFront[f], sellers[f].length - 1);
            while (k >= 0 && sellerUsed[f][k] == 0) {
                k--;
            }
            return k;
        }

        private int lastUsedBuyer(int f) {
            int k = Math.min(buyerFront[f], buyers[f].length - 1);
            while (k >= 0 && buyerUsed[f][k] == 0) {
                k--;
            }
            return k;
        }

        private long bottleneck(int[] prevNode, int[] prevArc) {
            long amount = INF;
            for (int v = SINK; v != SRC; v = prevNode[v]) {
                int u = prevNode[v];
                amount = Math.min(amount, residual(u, v, prevArc[v]));
            }
            return amount;
        }

        private long residual(int u, int v, int kind) {
            return switch (kind) {
                case 0 -> {
                    int f = (v - 3) / 2;
                    int k = sellerFront[f];
                    yield sellerCap[f][k] - sellerUsed[f][k];
                }
                case 1 -> {
                    int f = (u - 3) / 2;
                    yield sellerUsed[f][lastUsedSeller(f)];
                }
                case 2 -> INF;
                case 3 -> local[(u - 3) / 2];
                case 4 -> reverseCap[(u - 3) / 2] - export[(u - 3) / 2];
                case 5 -> export[(v - 3) / 2];
                case 6 -> INF;
                case 7 -> importFlow[(u - 3) / 2];
                case 8 -> {
                    int f = (u - 3) / 2;
                    int k = buyerFront[f];
                    yield buyerCap[f][k] - buyerUsed[f][k];
                }
                case 9 -> {
                    int f = (v - 3) / 2;
                    yield buyerUsed[f][lastUsedBuyer(f)];
                }
                default -> throw new IllegalStateException("arc kind " + kind);
            };
        }

        private void augment(int[] prevNode, int[] prevArc, long amount) {
            for (int v = SINK; v != SRC; v = prevNode[v]) {
                int u = prevNode[v];
                switch (prevArc[v]) {
                    case 0 -> {
                        int f = (v - 3) / 2;
                        int k = sellerFront[f];
                        sellerUsed[f][k] += amount;
                        if (sellerUsed[f][k] == sellerCap[f][k]) {
                            sellerFront[f]++;
                        }
                    }
                    case 1 -> {
                        int f = (u - 3) / 2;
                        int k = lastUsedSeller(f);
                        sellerUsed[f][k] -= amount;
                        if (k < sellerFront[f]) {
                            sellerFront[f] = k;
                        }
                    }
                    case 2 -> local[(u - 3) / 2] += amount;
                    case 3 -> local[(u - 3) / 2] -= amount;
                    case 4 -> export[(u - 3) / 2] += amount;
                    case 5 -> export[(v - 3) / 2] -= amount;
                    case 6 -> importFlow[(v - 3) / 2] += amount;
                    case 7 -> importFlow[(u - 3) / 2] -= amount;
                    case 8 -> {
                        int f = (u - 3) / 2;
                        int k = buyerFront[f];
                        buyerUsed[f][k] += amount;
                        if (buyerUsed[f][k] == buyerCap[f][k]) {
                            buyerFront[f]++;
                        }
                    }
                    case 9 -> {
                        int f = (v - 3) / 2;
                        int k = lastUsedBuyer(f);
                        buyerUsed[f][k] -= amount;
                        if (k < buyerFront[f]) {
                            buyerFront[f] = k;
                        }
                    }
                    default -> throw new IllegalStateException("arc kind " + prevArc[v]);
                }
            }
        }

        /** Pairs sellers with buyers: inside each feeder first, then what is left across the bus. */
        private long pair(List<Flow> flows, long[][] sold, long[][] got) {
            long welfare = 0;
            List<long[]> busSupply = new ArrayList<>(); // {site, wh, cost}
            List<long[]> busDemand = new ArrayList<>(); // {site, wh, value}
            for (int f = 0; f < feeders; f++) {
                List<long[]> supply = new ArrayList<>();
                List<long[]> demand = new ArrayList<>();
                for (int k = 0; k < sellers[f].length; k++) {
                    if (sellerUsed[f][k] > 0) {
                        supply.add(new long[] {sellers[f][k], sellerUsed[f][k], sellerCost[f][k]});
                    }
                }
                for (int k = 0; k < buyers[f].length; k++) {
                    if (buyerUsed[f][k] > 0) {
                        demand.add(new long[] {buyers[f][k], buyerUsed[f][k], buyerValue[f][k]});
                    }
                }
                welfare += match(supply, demand, flows, sold, got);
                supply.stream().filter(x -> x[1] > 0).forEach(busSupply::add);
                demand.stream().filter(x -> x[1] > 0).forEach(busDemand::add);
            }
            return welfare + match(busSupply, busDemand, flows, sold, got);
        }

        /** Matches supply with demand in order, skipping self-pairs; leaves the unmatched rest in the lists. */
        private long match(List<long[]> supply, List<long[]> demand, List<Flow> flows, long[][] sold, long[][] got) {
            long welfare = 0;
            int d = 0;
            for (long[] s : supply) {
                for (int j = d; j < demand.size() && s[1] > 0; j++) {
                    long[] b = demand.get(j);
                    if (b[1] == 0 || b[0] == s[0] || b[2] < s[2]) {
                        continue;
                    }
                    long q = Math.min(s[1], b[1]);
                    s[1] -= q;
                    b[1] -= q;
                    if (flows != null) {
                        flows.add(new Flow((int) s[0], (int) b[0], slot, q));
                        sold[(int) s[0]][slot] += q;
                        got[(int) b[0]][slot] += q;
                    }
                    welfare += (b[2] - s[2]) * q;
                }
                while (d < demand.size() && demand.get(d)[1] == 0) {
                    d++;
                }
            }
            return welfare;
        }
    }
}
