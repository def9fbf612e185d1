package org.secondgrid.matcher.solver;

import java.util.Arrays;
import org.secondgrid.matcher.domain.Ev;

/**
 * An EV's day with its stops and trip times fixed and its energy amounts open: what {@link AmountsLp} optimises.
 * The EV leaves home at availableFrom, stays at stop k from its arrival until the trip to stop k+1 starts at
 * {@code legStart[k]}, and leaves its last stop just in time to be home by availableTo (waiting plugged at a stop is
 * as good as waiting anywhere else, so the windows are as wide as the trip times allow).
 *
 * @param sites   stop sites, consecutive ones different
 * @param arrive  first slot at each stop
 * @param depart  last slot at each stop
 * @param km      km driven (home → stops → home)
 * @param ownWh   the owner's energy at each slot boundary 0..T (drops by κ·d at the first slot of each trip)
 */
record FixedItinerary(EvInfo ev, int[] sites, int[] arrive, int[] depart, int[] legStart, double km,
                      double[] ownWh) {

    /**
     * The itinerary through {@code sites} whose trip from stop k to stop k+1 starts in slot {@code legStart[k]}
     * (k &lt; n−1), or null when it breaks a timing rule or the owner's reserve.
     */
    static FixedItinerary of(MarketIndex m, EvInfo info, int[] sites, int[] legStart) {
        Ev ev = info.ev();
        int n = sites.length;
        int slots = m.slots();
        int from = ev.availableFrom();
        int to = ev.availableTo();
        if (n == 0 || from >= to) {
            return null;
        }
        int[] arrive = new int[n];
        int[] depart = new int[n];
        double kappa = ev.consumptionKwhPerKm() * 1000;
        double[] drop = new double[slots + 2];
        double km = 0;
        int prev = info.home();
        int tripStart = from;
        for (int k = 0; k < n; k++) {
            if (sites[k] == prev) {
                if (k > 0) {
                    return null; // consecutive stops at one site: merge them first
                }
            }
            int tau = m.travelSlots(prev, sites[k]);
            if (tau > 0) {
                double d = m.km(prev, sites[k]);
                km += d;
                drop[tripStart + 1] += kappa * d;
            }
            arrive[k] = tripStart + tau;
            if (k < n - 1) {
                depart[k] = legStart[k] - 1;
            } else {
                depart[k] = Math.min(slots - 1, to - m.travelSlots(sites[k], info.home()) - 1);
            }
            if (arrive[k] > depart[k] || depart[k] > slots - 1) {
                return null;
            }
            tripStart = depart[k] + 1;
            prev = sites[k];
        }
        if (prev != info.home()) {
            double d = m.km(prev, info.home());
            km += d;
            drop[tripStart + 1] += kappa * d;
        }
        double[] own = new double[slots + 1];
        own[0] = ev.initialKwh() * 1000;
        for (int b = 1; b <= slots; b++) {
            own[b] = own[b - 1] - drop[b];
        }
        if (own[slots] < ev.minKwh() * 1000 - 1e-6) {
            return null;
        }
        return new FixedItinerary(info, sites.clone(), arrive, depart,
                legStart == null ? new int[0] : Arrays.copyOf(legStart, Math.max(0, n - 1)), km, own);
    }

    /** The fixed itinerary of a plan's stops (consecutive stops at one site merged), or null. */
    static FixedItinerary ofPlan(MarketIndex m, EvInfo info, RoutePlan plan) {
        if (plan.isEmpty()) {
            return null;
        }
        int n = plan.stops().size();
        int[] sites = new int[n];
        int[] legs = new int[n];
        int k = 0;
        for (RoutePlan.PlannedStop st : plan.stops()) {
            if (k > 0 && sites[k - 1] == st.site()) {
                legs[k - 1] = st.depart() + 1;
                continue;
            }
            sites[k] = st.site();
            legs[k] = st.depart() + 1;
            k++;
        }
        return of(m, info, Arrays.copyOf(sites, k), Arrays.copyOf(legs, Math.max(0, k - 1)));
    }

    /** The same stops with the trips after stops {@code first..last} starting {@code delta} slots later (or null). */
    FixedItinerary shifted(MarketIndex m, int first, int last, int delta) {
        int[] legs = legStart.clone();
        for (int k = first; k <= last; k++) {
            legs[k] += delta;
        }
        return of(m, ev, sites, legs);
    }

    int stopCount() {
        return sites.length;
    }

    /** First slot of stop k in which the EV may trade (its window within availableFrom..availableTo−1). */
    int firstEnergySlot(int k) {
        return Math.max(arrive[k], ev.ev().availableFrom());
    }

    /** Last slot of stop k in which the EV may trade. */
    int lastEnergySlot(int k) {
        return Math.min(depart[k], ev.ev().availableTo() - 1);
    }

    /** Fee for the km driven, in money units (1e-5 JPY). */
    long kmFeeUnits() {
        return Math.round(ev.ev().feeJpyPerKm() * km * 1e5);
    }
}
