package org.secondgrid.matcher.solver;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Energy and plugged EVs per (site, slot) summed over a set of EV plans; used to build and repair schedules. */
final class SiteSlotUsage {

    private final Map<Long, Long> charged = new HashMap<>();
    private final Map<Long, Long> discharged = new HashMap<>();
    private final Map<Long, Set<Integer>> plugged = new HashMap<>();

    void add(RoutePlan plan) {
        for (EnergyAction a : plan.actions()) {
            (a.charge() ? charged : discharged).merge(a.siteSlot(), a.wh(), Long::sum);
            plugged.computeIfAbsent(a.siteSlot(), k -> new HashSet<>()).add(a.evIndex());
        }
    }

    long chargedWh(int site, int slot) {
        return charged.getOrDefault(((long) site << 16) | slot, 0L);
    }

    long dischargedWh(int site, int slot) {
        return discharged.getOrDefault(((long) site << 16) | slot, 0L);
    }

    void remove(RoutePlan plan) {
        for (EnergyAction a : plan.actions()) {
            (a.charge() ? charged : discharged).merge(a.siteSlot(), -a.wh(), Long::sum);
            Set<Integer> evs = plugged.get(a.siteSlot());
            if (evs != null) {
                evs.remove(a.evIndex());
            }
        }
    }

    /**
     * What is left for one more EV: the residual market less what these plans use, and nothing at a site and slot
     * whose ports are all taken.
     */
    ResidualMarket leftFor(ResidualMarket r) {
        MarketIndex m = r.market();
        long[][] offer = new long[m.siteCount()][m.slots()];
        long[][] bid = new long[m.siteCount()][m.slots()];
        for (int s = 0; s < m.siteCount(); s++) {
            for (int t = 0; t < m.slots(); t++) {
                offer[s][t] = r.offerLeftWh(s, t);
                bid[s][t] = r.bidLeftWh(s, t);
            }
        }
        charged.forEach((k, wh) -> offer[(int) (k >> 16)][(int) (k & 0xFFFF)] -= wh);
        discharged.forEach((k, wh) -> bid[(int) (k >> 16)][(int) (k & 0xFFFF)] -= wh);
        plugged.forEach((k, evs) -> {
            int s = (int) (k >> 16);
            int t = (int) (k & 0xFFFF);
            if (evs.size() >= r.ports(s)) {
                offer[s][t] = 0;
                bid[s][t] = 0;
            }
        });
        return new ResidualMarket(m, offer, bid, r.gridWelfareUnits());
    }

    /** What {@link #leftFor} leaves of the offer at (site, slot), without building the whole market (Wh, ≥ 0). */
    long offerLeftFor(ResidualMarket r, int site, int slot) {
        return portsFree(r, site, slot) ? Math.max(0, r.offerLeftWh(site, slot) - chargedWh(site, slot)) : 0;
    }

    /** What {@link #leftFor} leaves of the bid at (site, slot), without building the whole market (Wh, ≥ 0). */
    long bidLeftFor(ResidualMarket r, int site, int slot) {
        return portsFree(r, site, slot) ? Math.max(0, r.bidLeftWh(site, slot) - dischargedWh(site, slot)) : 0;
    }

    private boolean portsFree(ResidualMarket r, int site, int slot) {
        Set<Integer> evs = plugged.get(((long) site << 16) | slot);
        return evs == null || evs.size() < r.ports(site);
    }

    /** True if no (site, slot) is charged or discharged beyond what {@code r} leaves (ports not considered). */
    boolean withinEnergyOf(ResidualMarket r) {
        for (var e : charged.entrySet()) {
            if (e.getValue() > r.offerLeftWh((int) (e.getKey() >> 16), (int) (e.getKey() & 0xFFFF))) {
                return false;
            }
        }
        for (var e : discharged.entrySet()) {
            if (e.getValue() > r.bidLeftWh((int) (e.getKey() >> 16), (int) (e.getKey() & 0xFFFF))) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code plan} fits next to what is already in, within the residual market. */
    boolean fits(RoutePlan plan, ResidualMarket r) {
        for (EnergyAction a : plan.actions()) {
            long key = a.siteSlot();
            if (a.charge()) {
                if (charged.getOrDefault(key, 0L) + a.wh() > r.offerLeftWh(a.site(), a.slot())) {
                    return false;
                }
            } else if (discharged.getOrDefault(key, 0L) + a.wh() > r.bidLeftWh(a.site(), a.slot())) {
                return false;
            }
            Set<Integer> evs = plugged.get(key);
            int n = evs == null ? 0 : evs.size() - (evs.contains(a.evIndex()) ? 1 : 0);
            if (n + 1 > r.ports(a.site())) {
                return false;
            }
        }
        return true;
    }
}
