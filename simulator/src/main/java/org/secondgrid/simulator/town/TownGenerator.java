package org.secondgrid.simulator.town;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded towns around Aizu-Wakamatsu (lat 37.49, lon 139.93). Households (some with rooftop PV and an export limit,
 * some with an EV and a 6 kW charger, V2H for about 40 % of those), factories with large PV behind export limit 0
 * and a BDEW G1 weekday load (so weekends and holidays have a big surplus), shops with G0 load and V2B chargers,
 * feeders by sector with no reverse capacity. Independent random streams per concern, {@link StrictMath} only:
 * the same {@link TownSpec} gives a bit-identical town.
 */
public final class TownGenerator {

    public static final double CENTER_LAT = 37.49;
    public static final double CENTER_LON = 139.93;
    static final double KM_PER_DEG_LAT = 111.32;
    static final double V2H_SHARE = 0.4;

    private TownGenerator() {
    }

    public static Town generate(TownSpec spec) {
        R place = new R(spec.seed(), 1);
        R build = new R(spec.seed(), 2);
        R fleet = new R(spec.seed(), 3);
        int n = spec.houses() + spec.factories() + spec.shops();
        double radiusKm = Math.max(0.3, 0.15 * StrictMath.sqrt(n));
        List<TownFeeder> feeders = new ArrayList<>();
        for (int f = 1; f <= spec.feeders(); f++) {
            feeders.add(new TownFeeder("F" + f, 0.0));
        }

        List<TownSite> sites = new ArrayList<>(n);
        for (int k = 1; k <= spec.factories(); k++) {
            double[] xy = ring(place, 0.6 * radiusKm, radiusKm);
            double kwp = Math.round(build.uniform(300, 1000) / 10) * 10.0;
            sites.add(new TownSite("factory-" + k, TownSite.Kind.FACTORY, "p-factory-" + k, feeder(xy, spec.feeders()),
                    lat(xy), lon(xy), 0.0, kwp, 10, r1(build.uniform(-30, 30)), Math.round(kwp * build.uniform(1100, 1600)),
                    "G1", build.intIn(2, 4), 50, 0, "auto", r1(build.uniform(0, 6)), r2(build.uniform(28, 32))));
        }
        for (int k = 1; k <= spec.shops(); k++) {
            double[] xy = ring(place, 0, radiusKm);
            double kwp = build.chance(0.5) ? Math.round(build.uniform(20, 50)) : 0;
            double v2x = build.intIn(10, 20);
            sites.add(new TownSite("shop-" + k, TownSite.Kind.SHOP, "p-shop-" + k, feeder(xy, spec.feeders()),
                    lat(xy), lon(xy), 0.0, kwp, 15, 0, Math.round(build.uniform(40_000, 120_000)), "G0",
                    build.intIn(1, 2), v2x, v2x, "auto", 0, r2(build.uniform(27, 29))));
        }
        // PV on exactly round(pvShare * houses) households, EVs at distinct households (then several per home).
        int[] order = shuffled(build, spec.houses());
        int pvCount = (int) Math.round(spec.pvShare() * spec.houses());
        boolean[] hasPv = new boolean[spec.houses()];
        for (int i = 0; i < pvCount; i++) {
            hasPv[order[i]] = true;
        }
        int[] evOrder = shuffled(fleet, spec.houses());
        int[] evsAt = new int[spec.houses()];
        for (int k = 0; k < spec.evs(); k++) {
            evsAt[evOrder[k % spec.houses()]]++;
        }
        List<Integer> manualCandidates = new ArrayList<>();
        boolean[] v2h = new boolean[spec.houses()];
        for (int h = 0; h < spec.houses(); h++) {
            v2h[h] = evsAt[h] > 0 && fleet.chance(V2H_SHARE);
        }
        for (int h = 0; h < spec.houses(); h++) {
            double[] xy = ring(place, 0, radiusKm);
            double kwp = 0;
            double tilt = 0;
            double az = 0;
            double limit = 0;
            if (hasPv[h]) {
                kwp = r1(build.uniform(3, 6));
                tilt = r1(build.uniform(20, 35));
                az = r1(build.uniform(-60, 60));
                limit = build.chance(0.3) ? 0 : Math.min(kwp, build.intIn(2, 4));
                manualCandidates.add(h);
            }
            int ports = evsAt[h];
            sites.add(new TownSite("house-" + (h + 1), TownSite.Kind.HOUSE, "p-house-" + (h + 1),
                    feeder(xy, spec.feeders()), lat(xy), lon(xy), limit, kwp, tilt, az,
                    Math.round(build.uniform(3000, 6000)), "H0", ports, ports > 0 ? 6 : 0, v2h[h] ? 6 : 0, "auto",
                    r1(build.uniform(0, 10)), r2(build.uniform(28, 32))));
        }
        int manual = (int) Math.round(spec.manualShare() * manualCandidates.size());
        for (int i = manualCandidates.size() - 1; i > 0; i--) {
            int j = build.intIn(0, i);
            manualCandidates.set(i, manualCandidates.set(j, manualCandidates.get(i)));
        }
        for (int i = 0; i < manual; i++) {
            int h = manualCandidates.get(i);
            int idx = spec.factories() + spec.shops() + h;
            TownSite s = sites.get(idx);
            sites.set(idx, new TownSite(s.id(), s.kind(), s.owner(), s.feeder(), s.lat(), s.lon(), s.exportLimitKw(),
                    s.pvKwp(), s.tiltDeg(), s.azimuthDeg(), s.annualKwh(), s.loadProfile(), s.ports(), s.chargerKw(),
                    s.v2xKw(), "manual", s.minAskJpyPerKwh(), s.maxBidJpyPerKwh()));
        }

        List<TownEv> evs = new ArrayList<>(spec.evs());
        for (int k = 0; k < spec.evs(); k++) {
            int h = evOrder[k % spec.houses()];
            double cap = new double[] {20, 40, 62}[fleet.intIn(0, 2)];
            double min = r1(cap * fleet.uniform(0.2, 0.4));
            evs.add(new TownEv("ev-" + (k + 1), "p-house-" + (h + 1), "house-" + (h + 1), cap, cap == 20 ? 30 : 50,
                    cap == 62 ? 10 : 6, r2(fleet.uniform(0.9, 0.95)), r2(fleet.uniform(0.9, 0.95)),
                    r2(fleet.uniform(0.12, 0.2)), r1(cap * 0.8), min, fleet.intIn(14, 20), fleet.intIn(34, 44),
                    r1(fleet.uniform(2, 6)), r1(fleet.uniform(5, 20))));
        }
        return new Town(spec.market(), "Asia/Tokyo", CENTER_LAT, CENTER_LON, spec.seed(), 30, feeders, sites, evs);
    }

    private static int[] shuffled(R r, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.intIn(0, i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Uniform by area in the ring rMin..rMax around the centre; x east, y north, km. */
    private static double[] ring(R r, double rMin, double rMax) {
        double rad = StrictMath.sqrt(r.uniform(rMin * rMin, rMax * rMax));
        double angle = r.uniform(0, 2 * StrictMath.PI);
        return new double[] {rad * StrictMath.cos(angle), rad * StrictMath.sin(angle)};
    }

    /** Feeders are sectors of the town by compass angle. */
    private static String feeder(double[] xy, int feeders) {
        double a = StrictMath.atan2(xy[1], xy[0]) + StrictMath.PI; // 0..2π
        int f = Math.min(feeders - 1, (int) (a / (2 * StrictMath.PI) * feeders));
        return "F" + (f + 1);
    }

    private static double lat(double[] xy) {
        return r6(CENTER_LAT + xy[1] / KM_PER_DEG_LAT);
    }

    private static double lon(double[] xy) {
        return r6(CENTER_LON + xy[0] / (KM_PER_DEG_LAT * StrictMath.cos(StrictMath.toRadians(CENTER_LAT))));
    }

    static double r1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double r6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** One random stream per concern. */
    static final class R {
        private final SplittableRandom random;

        R(long seed, int stream) {
            random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L);
        }

        double uniform(double a, double b) {
            return a + (b - a) * random.nextDouble();
        }

        int intIn(int a, int bInclusive) {
            return a + random.nextInt(bInclusive - a + 1);
        }

        boolean chance(double p) {
            return random.nextDouble() < p;
        }
    }
}
