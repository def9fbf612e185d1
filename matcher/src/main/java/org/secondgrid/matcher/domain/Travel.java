package org.secondgrid.matcher.domain;

import java.util.HashMap;
import java.util.Map;

/** Distances and travel times between sites, exactly as the model defines them. */
public final class Travel {

    private static final double EARTH_RADIUS_KM = 6371.0088;
    public static final double ROAD_FACTOR = 1.3;

    private final Instance instance;
    private final Map<String, Site> sites = new HashMap<>();

    public Travel(Instance instance) {
        this.instance = instance;
        for (Site s : instance.sites()) {
            sites.put(s.id(), s);
        }
    }

    /** d(a,b): {@code distancesKm[a][b]} if given, else great-circle distance x 1.3; 0 for a = b. */
    public double km(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        Map<String, Map<String, Double>> given = instance.distancesKm();
        if (given != null) {
            Map<String, Double> row = given.get(a);
            if (row != null && row.get(b) != null) {
                return row.get(b);
            }
        }
        Site sa = sites.get(a);
        Site sb = sites.get(b);
        return greatCircleKm(sa.lat(), sa.lon(), sb.lat(), sb.lon()) * ROAD_FACTOR;
    }

    /** τ(a,b) = ceil(d / speed / Δ) slots, at least 1 for a ≠ b, 0 for a = b. */
    public int slots(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        double hours = km(a, b) / instance.speedKmh();
        int t = (int) Math.ceil(hours / instance.slotHours() - 1e-9);
        return Math.max(1, t);
    }

    public static double greatCircleKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
