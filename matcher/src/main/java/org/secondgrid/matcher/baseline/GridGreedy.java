package org.secondgrid.matcher.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution.GridDelivery;

/**
 * Grid-only greedy baseline: a merit-order double auction per slot, without EVs. Sellers are taken by ask ascending,
 * each sells to the buyers by bid descending while {@code bid − ask − gridFee ≥ 0}, within its offer, its export
 * limit (exportLimitKw·Δ) and the buyer's bid. A sale to another feeder raises the seller's feeder net export
 * (Σ out − Σ in), which must stay within reverseCapacityKw·Δ; once the seller's feeder is at that limit the seller
 * only sells inside its own feeder. Flows into a feeder free reverse capacity, so the pass over the sellers is
 * repeated until nothing more can be matched. Energy is integer Wh (limits rounded down), so every limit holds
 * exactly; ties break by the order of the sites in the instance, so the result is deterministic.
 */
public final class GridGreedy {

    private static final double EPS = 1e-9;
    private static final int MAX_PASSES = 100;

    private GridGreedy() {
    }

    public static GreedyResult clear(Instance in) {
        return new Run(in).clear();
    }

    /** Wh that fit in {@code kwh}, rounded down (tolerant to binary noise). */
    static long whFloor(double kwh) {
        return (long) Math.floor(kwh * 1000 + 1e-6);
    }

    private static final class Run {
        final Instance in;
        final int sites;
        final int[] feederOf;
        final long[] exportWh;
        final long[] reverseWh;
        final int feeders;
        final List<List<Offer>> offersBySlot = new ArrayList<>();
        final List<List<Bid>> bidsBySlot = new ArrayList<>();
        final Map<String, Integer> siteIndex = new HashMap<>();

        Run(Instance in) {
            this.in = in;
            sites = in.sites().size();
            feeders = in.feeders().size();
            Map<String, Integer> feederIndex = new HashMap<>();
            reverseWh = new long[feeders];
            for (int f = 0; f < feeders; f++) {
                Feeder fd = in.feeders().get(f);
                feederIndex.put(fd.id(), f);
                reverseWh[f] = whFloor(fd.reverseCapacityKw() * in.slotHours());
            }
            feederOf = new int[sites];
            exportWh = new long[sites];
            for (int s = 0; s < sites; s++) {
                Site site = in.sites().get(s);
                siteIndex.put(site.id(), s);
                feederOf[s] = feederIndex.get(site.feeder());
                exportWh[s] = whFloor(site.exportLimitKw() * in.slotHours());
            }
            for (int t = 0; t < in.slots(); t++) {
                offersBySlot.add(new ArrayList<>());
                bidsBySlot.add(new ArrayList<>());
            }
            for (Offer o : in.offers()) {
                offersBySlot.get(o.slot()).add(o);
            }
            for (Bid b : in.bids()) {
                bidsBySlot.get(b.slot()).add(b);
            }
        }

        GreedyResult clear() {
            List<GridDelivery> grid = new ArrayList<>();
            double welfare = 0;
            long delivered = 0;
            for (int t = 0; t < in.slots(); t++) {
                Slot slot = new Slot(t);
                slot.match();
                for (Map.Entry<Long, Long> e : slot.deliveries.entrySet()) {
                    int seller = (int) (e.getKey() / sites);
                    int buyer = (int) (e.getKey() % sites);
                    long wh = e.getValue();
                    grid.add(new GridDelivery(in.sites().get(seller).id(), in.sites().get(buyer).id(), t, wh / 1000.0));
                    delivered += wh;
                }
                welfare += slot.welfareJpyWh / 1000.0;
            }
            double offered = 0;
            for (Offer o : in.offers()) {
                offered += o.kwh();
            }
            double bid = 0;
            for (Bid b : in.bids()) {
                bid += b.kwh();
            }
            double deliveredKwh = delivered / 1000.0;
            return new GreedyResult(grid, welfare, deliveredKwh, round3(offered - deliveredKwh),
                    round3(bid - deliveredKwh));
        }

        /** One slot's auction. */
        final class Slot {
            final int t;
            final int[] sellerSite;
            final double[] ask;
            final long[] left;
            final int[] buyerSite;
            final double[] bidPrice;
            final long[] need;
            /** Buyer positions (bid order) per feeder, and each buyer's position within its feeder's list. */
            final int[][] feederBuyers;
            final int[] posInFeeder;
            final NextFree global;
            final NextFree[] perFeeder;
            final long[] netExportWh = new long[feeders];
            final LinkedHashMap<Long, Long> deliveries = new LinkedHashMap<>();
            double welfareJpyWh;

            Slot(int t) {
                this.t = t;
                List<Offer> os = new ArrayList<>(offersBySlot.get(t));
                os.sort((a, b) -> {
                    int c = Double.compare(a.askJpyPerKwh(), b.askJpyPerKwh());
                    return c != 0 ? c : Integer.compare(siteIndex.get(a.site()), siteIndex.get(b.site()));
                });
                sellerSite = new int[os.size()];
                ask = new double[os.size()];
                left = new long[os.size()];
                for (int k = 0; k < os.size(); k++) {
                    Offer o = os.get(k);
                    sellerSite[k] = siteIndex.get(o.site());
                    ask[k] = o.askJpyPerKwh();
                    left[k] = Math.min(whFloor(o.kwh()), exportWh[sellerSite[k]]);
                }
                List<Bid> bs = new ArrayList<>(bidsBySlot.get(t));
                bs.sort((a, b) -> {
                    int c = Double.compare(b.bidJpyPerKwh(), a.bidJpyPerKwh());
                    return c != 0 ? c : Integer.compare(siteIndex.get(a.site()), siteIndex.get(b.site()));
                });
                int nb = bs.size();
                buyerSite = new int[nb];
                bidPrice = new double[nb];
                need = new long[nb];
                int[] perFeederCount = new int[feeders];
                for (int k = 0; k < nb; k++) {
                    Bid b = bs.get(k);
                    buyerSite[k] = siteIndex.get(b.site());
                    bidPrice[k] = b.bidJpyPerKwh();
                    need[k] = whFloor(b.kwh());
                    perFeederCount[feederOf[buyerSite[k]]]++;
                }
                feederBuyers = new int[feeders][];
                for (int f = 0; f < feeders; f++) {
                    feederBuyers[f] = new int[perFeederCount[f]];
                }
                posInFeeder = new int[nb];
                int[] fill = new int[feeders];
                for (int k = 0; k < nb; k++) {
                    int f = feederOf[buyerSite[k]];
                    posInFeeder[k] = fill[f];
                    feederBuyers[f][fill[f]++] = k;
                }
                global = new NextFree(nb);
                perFeeder = new NextFree[feeders];
                for (int f = 0; f < feeders; f++) {
                    perFeeder[f] = new NextFree(feederBuyers[f].length);
                }
                for (int k = 0; k < nb; k++) {
                    if (need[k] == 0) {
                        exhaust(k);
                    }
                }
            }

            void match() {
                double fee = in.gridFeeJpyPerKwh();
                for (int pass = 0; pass < MAX_PASSES; pass++) {
                    boolean progress = false;
                    for (int s = 0; s < sellerSite.length; s++) {
                        int site = sellerSite[s];
                        int f = feederOf[site];
                        while (left[s] > 0) {
                            long headroom = reverseWh[f] - netExportWh[f];
                            int b = headroom > 0 ? nextGlobal(site) : nextInFeeder(f, site);
                            if (b < 0) {
                                break;
                            }
                            double margin = bidPrice[b] - ask[s] - fee;
                            if (margin < -EPS) {
                                break;
                            }
                            long wh = Math.min(left[s], need[b]);
                            int fb = feederOf[buyerSite[b]];
                            if (fb != f) {
                                wh = Math.min(wh, headroom);
                                netExportWh[f] += wh;
                                netExportWh[fb] -= wh;
                            }
                            left[s] -= wh;
                            need[b] -= wh;
                            if (need[b] == 0) {
                                exhaust(b);
                            }
                            deliveries.merge((long) site * sites + buyerSite[b], wh, Long::sum);
                            welfareJpyWh += wh * margin;
                            progress = true;
                        }
                    }
                    if (!progress) {
                        return;
                    }
                }
            }

            private void exhaust(int b) {
                global.take(b);
                perFeeder[feederOf[buyerSite[b]]].take(posInFeeder[b]);
            }

            /** Best buyer left (bid order) that is not the seller's own site, or -1. */
            private int nextGlobal(int sellerSiteIndex) {
                int b = global.next(0);
                if (b >= 0 && buyerSite[b] == sellerSiteIndex) {
                    b = global.next(b + 1);
                }
                return b;
            }

            /** Best buyer left in feeder f that is not the seller's own site, or -1. */
            private int nextInFeeder(int f, int sellerSiteIndex) {
                int p = perFeeder[f].next(0);
                if (p >= 0 && buyerSite[feederBuyers[f][p]] == sellerSiteIndex) {
                    p = perFeeder[f].next(p + 1);
                }
                return p < 0 ? -1 : feederBuyers[f][p];
            }
        }
    }

    /** First position ≥ k not yet taken, in amortised near-constant time (union–find with path halving). */
    static final class NextFree {
        private final int[] parent;

        NextFree(int n) {
            parent = new int[n + 1];
            Arrays.setAll(parent, i -> i);
        }

        void take(int k) {
            parent[k] = k + 1;
        }

        int next(int k) {
            if (k >= parent.length - 1) {
                return -1;
            }
            while (parent[k] != k) {
                parent[k] = parent[parent[k]];
                k = parent[k];
            }
            return k == parent.length - 1 ? -1 : k;
        }
    }

    private static double round3(double kwh) {
        return Math.round(kwh * 1000) / 1000.0;
    }
}
