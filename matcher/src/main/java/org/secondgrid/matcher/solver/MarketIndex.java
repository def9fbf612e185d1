package org.secondgrid.matcher.solver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Travel;

/**
 * The instance indexed for solving: sites and feeders by number, orders as integer Wh and prices as integer
 * hundredths of a yen per kWh, so that money in the score is exact in units of 1e-5 JPY (cents/kWh x Wh).
 */
public final class MarketIndex {

    /** Money unit inside the solver: 1e-5 JPY (a price in 0.01 JPY/kWh times an energy in Wh). */
    public static final double JPY_PER_UNIT = 1e-5;

    private final Instance instance;
    private final Travel travel;
    private final int slots;
    private final List<Site> sites;
    private final Map<String, Integer> siteIndex = new HashMap<>();
    private final Map<String, Integer> feederIndex = new HashMap<>();
    private final int[] feederOfSite;
    private final long[] reverseWh;
    private final long[] exportWh;
    private final long[][] offerWh;
    private final long[][] askCents;
    private final long[][] bidWh;
    private final long[][] bidCents;
    private final long gridFeeCents;
    private final Map<Long, double[]> tripCache = new HashMap<>();

    public MarketIndex(Instance instance) {
        this.instance = instance;
        this.travel = new Travel(instance);
        this.slots = instance.slots();
        this.sites = instance.sites();
        for (int f = 0; f < instance.feeders().size(); f++) {
            feederIndex.put(instance.feeders().get(f).id(), f);
        }
        int n = sites.size();
        feederOfSite = new int[n];
        exportWh = new long[n];
        reverseWh = new long[instance.feeders().size()];
        double dt = instance.slotHours();
        for (int f = 0; f < reverseWh.length; f++) {
            reverseWh[f] = (long) Math.floor(instance.feeders().get(f).reverseCapacityKw() * dt * 1000 + 1e-6);
        }
        for (int s = 0; s < n; s++) {
            Site site = sites.get(s);
            siteIndex.put(site.id(), s);
            feederOfSite[s] = feederIndex.get(site.feeder());
            exportWh[s] = (long) Math.floor(site.exportLimitKw() * dt * 1000 + 1e-6);
        }
        offerWh = new long[n][slots];
        askCents = new long[n][slots];
        bidWh = new long[n][slots];
        bidCents = new long[n][slots];
        for (Offer o : instance.offers()) {
            int s = siteIndex.get(o.site());
            offerWh[s][o.slot()] = wh(o.kwh());
            askCents[s][o.slot()] = cents(o.askJpyPerKwh());
        }
        for (Bid b : instance.bids()) {
            int s = siteIndex.get(b.site());
            bidWh[s][b.slot()] = wh(b.kwh());
            bidCents[s][b.slot()] = cents(b.bidJpyPerKwh());
        }
        gridFeeCents = cents(instance.gridFeeJpyPerKwh());
    }

    public static long wh(double kwh) {
        return Math.round(kwh * 1000);
    }

    public static long cents(double jpyPerKwh) {
        return Math.round(jpyPerKwh * 100);
    }

    public static double jpy(long units) {
        return units * JPY_PER_UNIT;
    }

    public Instance instance() {
        return instance;
    }

    public int slots() {
        return slots;
    }

    public int siteCount() {
        return sites.size();
    }

    public int feederCount() {
        return reverseWh.length;
    }

    public Site site(int s) {
        return sites.get(s);
    }

    public int siteIndex(String id) {
        return siteIndex.get(id);
    }

    public int feederOf(int site) {
        return feederOfSite[site];
    }

    public long reverseWh(int feeder) {
        return reverseWh[feeder];
    }

    public long exportWh(int site) {
        return exportWh[site];
    }

    public long offerWh(int site, int slot) {
        return offerWh[site][slot];
    }

    public long askCents(int site, int slot) {
        return askCents[site][slot];
    }

    public long bidWh(int site, int slot) {
        return bidWh[site][slot];
    }

    public long bidCents(int site, int slot) {
        return bidCents[site][slot];
    }

    /** A fresh copy of every offer in Wh, [site][slot]. */
    public long[][] offersWh() {
        return copy(offerWh);
    }

    /** A fresh copy of every bid in Wh, [site][slot]. */
    public long[][] bidsWh() {
        return copy(bidWh);
    }

    private static long[][] copy(long[][] a) {
        long[][] out = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    public long gridFeeCents() {
        return gridFeeCents;
    }

    public double slotHours() {
        return instance.slotHours();
    }

    /** Distance in km between two sites (cached). */
    public double km(int a, int b) {
        return trip(a, b)[0];
    }

    /** Travel time τ in slots between two sites (cached). */
    public int travelSlots(int a, int b) {
        return (int) trip(a, b)[1];
    }

    private double[] trip(int a, int b) {
        if (a == b) {
            return new double[] {0, 0};
        }
        long key = ((long) a << 32) | b;
        synchronized (tripCache) {
            return tripCache.computeIfAbsent(key, k -> {
                String sa = sites.get(a).id();
                String sb = sites.get(b).id();
                return new double[] {travel.km(sa, sb), travel.slots(sa, sb)};
            });
        }
    }

    public List<Ev> evs() {
        return instance.evs();
    }
}
