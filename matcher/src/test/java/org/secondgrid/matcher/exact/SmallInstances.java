package org.secondgrid.matcher.exact;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InstanceValidator;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/**
 * Seeded SMALL instances (at most 10 sites, at most 3 EVs, 48 slots of 30 min) for the exact MILP and the
 * optimality-ratio benchmark: one factory with no backflow (export limit 0) on a feeder with no reverse capacity
 * and a weekend PV surplus, 3–6 houses (3–6 kWp PV, export limit 0–4 kW, evening load, some with a 6 kW V2H
 * port), 1–2 shops (daytime load, V2B ports), EVs at houses (20/40/62 kWh, 6–50 kW charging, 6 kW V2X, starting
 * at 30–60 % with the owner's floor at 15–30 % of capacity, so there is room for traded energy). Same seed, same
 * instance. Test scope only, until the module's own generator lands; the benchmark may use either.
 */
public final class SmallInstances {

    private static final double LAT = 37.49;
    private static final double LON = 139.93;
    private static final int SLOTS = 48;
    private static final double DT = 0.5;

    private SmallInstances() {
    }

    /** A small instance: 3–6 houses, 1–2 shops, 1–3 EVs (at most 9 sites). */
    public static Instance random(long seed) {
        return generate(seed, "small-", 3, 6, 1, 2, 1, 3);
    }

    /** A tiny instance (one factory, 2 houses, 1 shop, 1 EV) whose exact optimum takes seconds: for unit tests. */
    public static Instance tiny(long seed) {
        return generate(seed, "tiny-", 2, 2, 1, 1, 1, 1);
    }

    private static Instance generate(long seed, String name, int minHouses, int maxHouses, int minShops,
                                     int maxShops, int minEvs, int maxEvs) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Feeder> feeders = List.of(
                new Feeder("F1", 0.0),
                new Feeder("F2", round1(rnd.nextDouble(0, 6))),
                new Feeder("F3", rnd.nextBoolean() ? 0.0 : round1(rnd.nextDouble(0, 4))));
        List<Site> sites = new ArrayList<>();
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();

        // factory: no backflow, weekend surplus around noon, 50 kW chargers
        sites.add(new Site("factory-1", "F1", lat(rnd), lon(rnd), 0.0, 1 + rnd.nextInt(2), 50.0, 0.0));
        double factoryKwp = 100 + rnd.nextInt(301);
        double factoryAsk = round2(rnd.nextDouble(0, 6));
        for (int t = 0; t < SLOTS; t++) {
            double kwh = round3(factoryKwp * 0.8 * pvShape(t) * DT - 10 * DT); // base load 10 kW
            if (kwh > 0) {
                offers.add(new Offer("factory-1", t, kwh, factoryAsk));
            }
        }

        int houses = minHouses + rnd.nextInt(maxHouses - minHouses + 1);
        int shops = minShops + rnd.nextInt(maxShops - minShops + 1);
        int evs = Math.min(houses, minEvs + rnd.nextInt(maxEvs - minEvs + 1));
        List<String> evHomes = new ArrayList<>();
        for (int h = 1; h <= houses; h++) {
            String id = "house-" + h;
            boolean evHome = h <= evs;
            boolean v2h = evHome || rnd.nextInt(3) == 0;
            String feeder = rnd.nextInt(3) == 0 ? "F1" : (rnd.nextBoolean() ? "F2" : "F3");
            double exportKw = new double[]{0, 0, 2, 4}[rnd.nextInt(4)];
            sites.add(new Site(id, feeder, lat(rnd), lon(rnd), exportKw, v2h ? 1 : 0, v2h ? 6.0 : 0.0,
                    v2h ? 6.0 : 0.0));
            if (evHome) {
                evHomes.add(id);
            }
            double kwp = 3 + rnd.nextInt(4);
            double ask = round2(rnd.nextDouble(5, 10));
            double tariff = round2(rnd.nextDouble(28, 32));
            double baseKw = rnd.nextDouble(0.2, 0.5);
            for (int t = 0; t < SLOTS; t++) {
                double net = (kwp * pvShape(t) - baseKw * houseLoad(t)) * DT;
                if (net > 0.0005) {
                    offers.add(new Offer(id, t, round3(net), ask));
                } else if (net < -0.0005) {
                    bids.add(new Bid(id, t, round3(-net), tariff));
                }
            }
        }
        for (int s = 1; s <= shops; s++) {
            String id = "shop-" + s;
            String feeder = rnd.nextBoolean() ? "F2" : "F3";
            sites.add(new Site(id, feeder, lat(rnd), lon(rnd), 0.0, 1 + rnd.nextInt(2), 0.0, 20.0));
            double loadKw = rnd.nextDouble(4, 15);
            double tariff = round2(rnd.nextDouble(25, 30));
            int open = 18 + rnd.nextInt(4);
            int close = 38 + rnd.nextInt(6);
            for (int t = open; t < close; t++) {
                bids.add(new Bid(id, t, round3(loadKw * DT * (0.8 + 0.4 * rnd.nextDouble())), tariff));
            }
        }

        List<Ev> evList = new ArrayList<>();
        double[] capacities = {20, 40, 62};
        for (int v = 0; v < evs; v++) {
            double cap = capacities[rnd.nextInt(3)];
            double initial = round3(cap * rnd.nextDouble(0.3, 0.6));
            double min = round3(cap * rnd.nextDouble(0.15, 0.3));
            double chargeKw = new double[]{6, 20, 50}[rnd.nextInt(3)];
            double eff = round2(rnd.nextDouble(0.9, 0.96));
            int from = 12 + rnd.nextInt(9);
            int to = 32 + rnd.nextInt(15);
            evList.add(new Ev("ev-" + (v + 1), evHomes.get(v), cap, initial, Math.min(min, initial), chargeKw, 6.0,
                    eff, eff, round2(rnd.nextDouble(0.12, 0.2)), from, to, round2(rnd.nextDouble(2, 6)),
                    round2(rnd.nextDouble(5, 30))));
        }
        Instance in = new Instance(Instance.MODEL_VERSION, name + seed, LocalDate.of(2026, 12, 5), "Asia/Tokyo",
                SLOTS, 30, 8.0, 30.0, feeders, sites, offers, bids, evList, null);
        InstanceValidator.validate(in);
        return in;
    }

    /** Clear-sky-like PV shape per 30-min slot: 0 at night, 1 at noon (slot 24). */
    static double pvShape(int t) {
        double hour = (t + 0.5) * DT;
        if (hour < 6 || hour > 18) {
            return 0;
        }
        return Math.sin(Math.PI * (hour - 6) / 12);
    }

    /** Household load multiplier per slot: morning and evening peaks. */
    static double houseLoad(int t) {
        double hour = (t + 0.5) * DT;
        return 1 + 1.5 * Math.exp(-Math.pow(hour - 7.5, 2) / 2) + 3 * Math.exp(-Math.pow(hour - 19.5, 2) / 4);
    }

    private static double lat(SplittableRandom rnd) {
        return round5(LAT + rnd.nextDouble(-0.02, 0.02));
    }

    private static double lon(SplittableRandom rnd) {
        return round5(LON + rnd.nextDouble(-0.025, 0.025));
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static double round5(double x) {
        return Math.round(x * 1e5) / 1e5;
    }
}
