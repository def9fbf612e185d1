package org.secondgrid.simulator.physics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Travel;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownSite;

/**
 * Where an EV is in each slot of a day: parked at a site, or driving a leg. Built from an accepted itinerary the
 * way the market model defines it: the EV leaves home so that it arrives at the first stop in its {@code arrive}
 * slot (driving the τ slots before), drives on in the slots right after each stop's {@code depart}, and drives home
 * after the last stop. Distances are great-circle × 1.3, τ = ceil(km / speed / Δ) slots (at least 1).
 * An EV without an accepted job (or a no-show) stays home all day.
 */
public final class EvPlan {

    /** A drive from one site to another over {@code slots} slots starting at {@code firstSlot}. */
    public record Leg(String from, String to, int firstSlot, int slots, double km) {
    }

    private final String home;
    private final int slotsPerDay;
    private final List<Leg> legs;
    private final String[] at;

    private EvPlan(String home, int slotsPerDay, List<Leg> legs) {
        this.home = home;
        this.slotsPerDay = slotsPerDay;
        this.legs = List.copyOf(legs);
        this.at = new String[slotsPerDay];
        String where = home;
        for (int s = 0; s < slotsPerDay; s++) {
            Leg l = leg(s);
            if (l != null) {
                at[s] = null;
                where = l.to();
            } else {
                at[s] = where;
            }
        }
    }

    public static EvPlan stayHome(String home, int slotsPerDay) {
        return new EvPlan(home, slotsPerDay, List.of());
    }

    public static EvPlan of(Town town, String home, Solution.Itinerary itinerary, double speedKmh) {
        int slots = town.slotsPerDay();
        double slotHours = town.slotMinutes() / 60.0;
        List<Solution.Stop> stops = new ArrayList<>(itinerary.stops());
        stops.sort(Comparator.comparingInt(Solution.Stop::arrive));
        List<Leg> legs = new ArrayList<>();
        String from = home;
        int free = 0;
        for (Solution.Stop st : stops) {
            if (!st.site().equals(from)) {
                double km = km(town, from, st.site());
                int tau = Math.max(1, (int) Math.ceil(km / speedKmh / slotHours - 1e-9));
                int first = legs.isEmpty() && from.equals(home) ? Math.max(0, st.arrive() - tau) : free;
                legs.add(new Leg(from, st.site(), first, Math.min(tau, slots - first), km));
            }
            from = st.site();
            free = st.depart() + 1;
        }
        if (!from.equals(home) && free < slots) {
            double km = km(town, from, home);
            int tau = Math.max(1, (int) Math.ceil(km / speedKmh / slotHours - 1e-9));
            legs.add(new Leg(from, home, free, Math.min(tau, slots - free), km));
        }
        return new EvPlan(home, slots, legs);
    }

    static double km(Town town, String a, String b) {
        TownSite sa = town.site(a);
        TownSite sb = town.site(b);
        return Travel.greatCircleKm(sa.lat(), sa.lon(), sb.lat(), sb.lon()) * Travel.ROAD_FACTOR;
    }

    public String home() {
        return home;
    }

    public List<Leg> legs() {
        return legs;
    }

    /** The site the EV is parked at in {@code slot}, or null while it drives. */
    public String siteAt(int slot) {
        return at[Math.clamp(slot, 0, slotsPerDay - 1)];
    }

    /** The leg driven in {@code slot}, or null when parked. */
    public Leg leg(int slot) {
        for (Leg l : legs) {
            if (slot >= l.firstSlot() && slot < l.firstSlot() + l.slots()) {
                return l;
            }
        }
        return null;
    }
}
