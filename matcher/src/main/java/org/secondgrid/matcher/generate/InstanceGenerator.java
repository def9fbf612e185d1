package org.secondgrid.matcher.generate;

import java.time.ZoneId;
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
import org.secondgrid.matcher.generate.LoadProfiles.Profile;

/**
 * Seeded instances of a town of any size around Aizu (lat 37.49, lon 139.93): households with and without rooftop
 * PV, factories with large PV and a weekday load (so weekends and holidays have a big surplus behind export limit 0),
 * shops with V2B chargers, feeders with little or no reverse capacity, and EVs homed at households.
 * Per site and slot the offer is the PV surplus and the bid the net load. The same {@link GeneratorConfig} always
 * gives the same instance (independent random streams per concern; {@link StrictMath} only).
 */
public final class InstanceGenerator {

    public static final double CENTER_LAT = 37.49;
    public static final double CENTER_LON = 139.93;
    public static final String TIME_ZONE = "Asia/Tokyo";
    public static final int SLOTS = 48;
    public static final int SLOT_MINUTES = 30;
    public static final double GRID_FEE_JPY_PER_KWH = 8.0;
    public static final double SPEED_KMH = 30.0;
    /** Town radius in km is this times sqrt(sites) (at least {@link #MIN_RADIUS_KM}). */
    static final double RADIUS_KM_PER_SQRT_SITE = 0.15;
    static final double MIN_RADIUS_KM = 0.3;
    static final double SITES_PER_FACTORY = 40;
    static final double SHOP_SHARE = 0.05;
    static final double SITES_PER_FEEDER = 70;
    static final double FEEDER_ZERO_REVERSE_SHARE = 0.7;
    static final double V2H_SHARE = 0.4;
    private static final double KM_PER_DEG_LAT = 111.32;

    /** Site kinds; the id prefix is the lower-case name. */
    public enum Kind { FACTORY, SHOP, HOUSE }

    private final LoadProfiles profiles;

    public InstanceGenerator() {
        this(new LoadProfiles());
    }

    public InstanceGenerator(LoadProfiles profiles) {
        this.profiles = profiles;
    }

    /** Mutable draft of one site while the town is built. */
    private static final class Draft {
        Kind kind;
        String id;
        double xKm;
        double yKm;
        int feeder;
        double exportLimitKw;
        int ports;
        double chargerKw;
        double v2xKw;
        double pvKwp;
        double tiltDeg;
        double azimuthDeg;
        double annualKwh;
        double askJpy;
        double bidJpy;
    }

    public Instance generate(GeneratorConfig c) {
        Draw town = new Draw(c.seed(), 1);
        Draw weather = new Draw(c.seed(), 2);
        Draw load = new Draw(c.seed(), 3);
        Draw fleet = new Draw(c.seed(), 4);

        int n = c.sites();
        double radiusKm = Math.max(MIN_RADIUS_KM, RADIUS_KM_PER_SQRT_SITE * StrictMath.sqrt(n));
        int factories = n >= 5 ? Math.max(1, (int) Math.round(n / SITES_PER_FACTORY)) : 0;
        int shops = n >= 10 ? Math.max(1, (int) Math.round(n * SHOP_SHARE)) : 0;
        int houses = n - factories - shops;

        List<Draft> drafts = new ArrayList<>(n);
        for (int k = 1; k <= factories; k++) {
            drafts.add(factory(town, k, radiusKm));
        }
        for (int k = 1; k <= shops; k++) {
            drafts.add(shop(town, k, radiusKm));
        }
        double pvShare = town.uniform(0.4, 0.6);
        for (int k = 1; k <= houses; k++) {
            drafts.add(house(town, k, radiusKm, pvShare));
        }
        List<Feeder> feeders = feeders(town, drafts, n, radiusKm);
        List<Ev> evs = evs(fleet, drafts, c.evs());
        List<Site> sites = new ArrayList<>(n);
        for (Draft d : drafts) {
            double lat = CENTER_LAT + d.yKm / KM_PER_DEG_LAT;
            double lon = CENTER_LON + d.xKm / (KM_PER_DEG_LAT * StrictMath.cos(StrictMath.toRadians(CENTER_LAT)));
            sites.add(new Site(d.id, feeders.get(d.feeder).id(), round(lat, 6), round(lon, 6), d.exportLimitKw, d.ports,
                    d.chargerKw, d.v2xKw));
        }

        List<Offer> offers = new ArrayList<>();
        List<Bid> bids = new ArrayList<>();
        orders(c, weather, load, drafts, offers, bids);
        Instance in = new Instance(Instance.MODEL_VERSION, c.market(), c.day(), TIME_ZONE, SLOTS, SLOT_MINUTES,
                GRID_FEE_JPY_PER_KWH, SPEED_KMH, feeders, sites, offers, bids, evs, null);
        InstanceValidator.validate(in);
        return in;
    }

    private static Draft factory(Draw r, int k, double radiusKm) {
        Draft d = new Draft();
        d.kind = Kind.FACTORY;
        d.id = "factory-" + k;
        place(r, d, 0.6 * radiusKm, radiusKm);
        d.pvKwp = Math.round(r.uniform(100, 1000));
        d.exportLimitKw = 0;
        d.ports = r.intIn(2, 6);
        d.chargerKw = 50;
        d.v2xKw = 0;
        d.tiltDeg = 10;
        d.azimuthDeg = r.uniform(-30, 30);
        d.annualKwh = d.pvKwp * r.uniform(900, 1600);
        d.askJpy = round(r.uniform(0, 6), 1);
        d.bidJpy = round(r.uniform(28, 32), 2);
        return d;
    }

    private static Draft shop(Draw r, int k, double radiusKm) {
        Draft d = new Draft();
        d.kind = Kind.SHOP;
        d.id = "shop-" + k;
        place(r, d, 0, radiusKm);
        d.exportLimitKw = 0;
        d.ports = r.intIn(1, 2);
        d.v2xKw = r.intIn(10, 20);
        d.chargerKw = d.v2xKw;
        d.annualKwh = r.uniform(40_000, 120_000);
        d.askJpy = 0;
        d.bidJpy = round(r.uniform(27, 29), 2);
        return d;
    }

    private static Draft house(Draw r, int k, double radiusKm, double pvShare) {
        Draft d = new Draft();
        d.kind = Kind.HOUSE;
        d.id = "house-" + k;
        place(r, d, 0, radiusKm);
        if (r.chance(pvShare)) {
            d.pvKwp = round(r.uniform(3, 6), 1);
            d.exportLimitKw = r.intIn(0, 4);
            d.tiltDeg = r.uniform(20, 35);
            d.azimuthDeg = r.uniform(-60, 60);
        }
        d.annualKwh = r.uniform(3000, 6000);
        d.askJpy = round(r.uniform(0, 10), 1);
        d.bidJpy = round(r.uniform(28, 32), 2);
        return d;
    }

    /** Uniform in the ring rMin..rMax around the centre (uniform by area). */
    private static void place(Draw r, Draft d, double rMinKm, double rMaxKm) {
        double u = r.uniform(rMinKm * rMinKm, rMaxKm * rMaxKm);
        double rad = StrictMath.sqrt(u);
        double angle = r.uniform(0, 2 * StrictMath.PI);
        d.xKm = rad * StrictMath.cos(angle);
        d.yKm = rad * StrictMath.sin(angle);
    }

    /** About one feeder per 70 sites; each site joins the nearest feeder centre; feeders left empty are dropped. */
    private static List<Feeder> feeders(Draw r, List<Draft> drafts, int n, double radiusKm) {
        int count = Math.max(1, (int) Math.round(n / SITES_PER_FEEDER));
        double[] cx = new double[count];
        double[] cy = new double[count];
        double[] reverseKw = new double[count];
        for (int f = 0; f < count; f++) {
            Draft centre = new Draft();
            place(r, centre, 0, radiusKm);
            cx[f] = centre.xKm;
            cy[f] = centre.yKm;
            reverseKw[f] = r.chance(FEEDER_ZERO_REVERSE_SHARE) ? 0 : r.intIn(5, 50);
        }
        int[] members = new int[count];
        for (Draft d : drafts) {
            int best = 0;
            double bestD2 = Double.MAX_VALUE;
            for (int f = 0; f < count; f++) {
                double dx = d.xKm - cx[f];
                double dy = d.yKm - cy[f];
                double d2 = dx * dx + dy * dy;
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = f;
                }
            }
            d.feeder = best;
            members[best]++;
        }
        int[] renumber = new int[count];
        List<Feeder> out = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            if (members[f] > 0) {
                renumber[f] = out.size();
                out.add(new Feeder("F" + (out.size() + 1), reverseKw[f]));
            }
        }
        for (Draft d : drafts) {
            d.feeder = renumber[d.feeder];
        }
        return out;
    }

    /** EVs homed at households (shuffled; several per home once every home has one); some homes get 6 kW V2H. */
    private static List<Ev> evs(Draw r, List<Draft> drafts, int count) {
        List<Draft> homes = new ArrayList<>();
        for (Draft d : drafts) {
            if (d.kind == Kind.HOUSE) {
                homes.add(d);
            }
        }
        List<Ev> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        if (homes.isEmpty()) {
            throw new IllegalArgumentException("evs=" + count + " needs at least one household to be homed at");
        }
        for (int i = homes.size() - 1; i > 0; i--) {
            int j = r.intIn(0, i);
            Draft tmp = homes.get(i);
            homes.set(i, homes.get(j));
            homes.set(j, tmp);
        }
        for (int k = 0; k < count; k++) {
            Draft home = homes.get(k % homes.size());
            if (home.ports == 0) {
                home.ports = 1;
                if (r.chance(V2H_SHARE)) {
                    home.chargerKw = 6;
                    home.v2xKw = 6;
                } else {
                    home.chargerKw = 3;
                    home.v2xKw = 0;
                }
            }
            double capacity = new double[] {20, 40, 62}[r.intIn(0, 2)];
            double initial = round(capacity * r.uniform(0.5, 0.9), 3);
            double min = Math.min(initial, round(capacity * r.uniform(0.2, 0.4), 3));
            out.add(new Ev("ev-" + (k + 1), home.id, capacity, initial, min,
                    capacity == 20 ? 30 : 50, 6,
                    round(r.uniform(0.9, 0.95), 3), round(r.uniform(0.9, 0.95), 3),
                    round(r.uniform(0.12, 0.2), 3),
                    r.intIn(14, 20), r.intIn(34, 44),
                    round(r.uniform(2, 6), 1), round(r.uniform(5, 20), 1)));
        }
        return out;
    }

    /** Offer = PV surplus, bid = net load, per site and slot, in whole Wh. */
    private void orders(GeneratorConfig c, Draw weather, Draw load, List<Draft> drafts, List<Offer> offers,
                        List<Bid> bids) {
        SolarModel sun = new SolarModel(c.day(), ZoneId.of(TIME_ZONE), CENTER_LAT, CENTER_LON, SLOTS, SLOT_MINUTES);
        double[] cloud = new double[SLOTS];
        double clearness = weather.uniform(0.5, 1.0);
        double x = 0;
        for (int t = 0; t < SLOTS; t++) {
            x = 0.85 * x + weather.uniform(-0.1, 0.1);
            cloud[t] = Math.clamp(clearness + x, 0.05, 1.0);
        }
        double[] h0 = profiles.watts(Profile.H0, c.day(), SLOTS, SLOT_MINUTES);
        double[] g0 = profiles.watts(Profile.G0, c.day(), SLOTS, SLOT_MINUTES);
        double[] g1 = profiles.watts(Profile.G1, c.day(), SLOTS, SLOT_MINUTES);
        double hours = SLOT_MINUTES / 60.0;
        for (Draft d : drafts) {
            double[] shape = switch (d.kind) {
                case FACTORY -> g1;
                case SHOP -> g0;
                case HOUSE -> h0;
            };
            double noise = d.kind == Kind.HOUSE ? 0.15 : 0.1;
            double[] pv = d.pvKwp > 0 ? sun.kwPerKwp(d.tiltDeg, d.azimuthDeg) : null;
            double siteCloud = load.uniform(0.95, 1.05);
            for (int t = 0; t < SLOTS; t++) {
                double pvKw = pv == null ? 0 : d.pvKwp * pv[t] * Math.min(1.0, cloud[t] * siteCloud);
                double loadKw = d.annualKwh / 1000.0 * shape[t] / 1000.0 * load.uniform(1 - noise, 1 + noise);
                long wh = Math.round((pvKw - loadKw) * hours * 1000);
                if (wh > 0) {
                    offers.add(new Offer(d.id, t, wh / 1000.0, d.askJpy));
                } else if (wh < 0) {
                    bids.add(new Bid(d.id, t, -wh / 1000.0, d.bidJpy));
                }
            }
        }
    }

    static double round(double v, int decimals) {
        double f = StrictMath.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** One independent random stream per concern, so e.g. the EV count does not change the weather. */
    static final class Draw {
        private final SplittableRandom random;

        Draw(long seed, int stream) {
            this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L);
        }

        double uniform(double from, double to) {
            return from + (to - from) * random.nextDouble();
        }

        int intIn(int from, int toInclusive) {
            return from + random.nextInt(toInclusive - from + 1);
        }

        boolean chance(double p) {
            return random.nextDouble() < p;
        }
    }
}
