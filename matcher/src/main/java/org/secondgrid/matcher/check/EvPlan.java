package org.secondgrid.matcher.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.secondgrid.matcher.domain.Ev;

/** One EV's day as read from its itinerary: energy per slot, where, and the trips it drives. */
final class EvPlan {

    /** A stop resolved to a site index. */
    record PlannedStop(int site, int arrive, int depart) {
    }

    /** A trip from site to site whose driving starts in slot {@code start} and lasts {@code slots} slots. */
    record Trip(int from, int to, int start, int slots, double km) {
    }

    final Ev ev;
    final List<PlannedStop> stops = new ArrayList<>();
    final List<Trip> trips = new ArrayList<>();
    final double[] charge;
    final double[] discharge;
    /** Site index of the energy in each slot, -1 without energy record. */
    final int[] siteAt;
    /** Energy records (stop slots) per slot, for the rounding tolerance. */
    final int[] recordsAt;
    /** κ·d of the trips whose first driving slot is t. */
    final double[] ownerDrop;
    double km;
    int records;

    EvPlan(Ev ev, int slots) {
        this.ev = ev;
        charge = new double[slots];
        discharge = new double[slots];
        siteAt = new int[slots];
        Arrays.fill(siteAt, -1);
        recordsAt = new int[slots];
        ownerDrop = new double[slots];
    }

    double dischargedKwh() {
        double s = 0;
        for (double e : discharge) {
            s += e;
        }
        return s;
    }

    boolean plugged(int t) {
        return charge[t] > 0 || discharge[t] > 0;
    }
}
