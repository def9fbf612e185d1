package org.secondgrid.matcher.check;

import java.util.Map;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;

/**
 * The checker's own d(a,b) and τ(a,b), computed from the spec's words and not from the solver's
 * travel code: {@code distancesKm[a][b]} when given, else the great-circle distance × 1.3;
 * τ = ceil(d / speedKmh / Δ), at least 1 slot between different sites.
 */
final class Distances {

    /** Mean Earth radius (IUGG), km. */
    static final double EARTH_KM = 6371.0088;
    static final double ROAD = 1.3;

    private final Map<String, Map<String, Double>> given;
    private final double speedKmh;
    private final double slotHours;

    Distances(Instance in) {
        this.given = in.distancesKm();
        this.speedKmh = in.speedKmh();
        this.slotHours = in.slotMinutes() / 60.0;
    }

    double km(Site a, Site b) {
        if (a.id().equals(b.id())) {
            return 0;
        }
        if (given != null) {
            Map<String, Double> row = given.get(a.id());
            Double d = row == null ? null : row.get(b.id());
            if (d != null) {
                return d;
            }
        }
        return haversine(a.lat(), a.lon(), b.lat(), b.lon()) * ROAD;
    }

    int slots(Site a, Site b) {
        if (a.id().equals(b.id())) {
            return 0;
        }
        double slotsNeeded = km(a, b) / speedKmh / slotHours;
        return Math.max(1, (int) Math.ceil(slotsNeeded - 1e-9));
    }

    static double haversine(double lat1, double lon1, double lat2, double lon2) {
        double f1 = Math.toRadians(lat1);
        double f2 = Math.toRadians(lat2);
        double sinDf = Math.sin((f2 - f1) / 2);
        double sinDl = Math.sin(Math.toRadians(lon2 - lon1) / 2);
        double h = sinDf * sinDf + Math.cos(f1) * Math.cos(f2) * sinDl * sinDl;
        return 2 * EARTH_KM * Math.atan2(Math.sqrt(h), Math.sqrt(Math.max(0, 1 - h)));
    }
}
