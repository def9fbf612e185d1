package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;

/**
 * Turns an EV's ordered visits into a timed plan with energy per slot, against the residual market. Greedy and
 * deterministic: the EV leaves home at availableFrom; at each stop, slot by slot, it charges from the site's surplus
 * while the rest of its day (this site's later load, the later stops) could still take the energy, else discharges
 * into the site's load. It leaves a stop when its first run of energy there ends (the last stop: after its last
 * useful slot — so a last stop can serve a site as storage), keeping time for the remaining stops and the way home. Charging that could not be delivered is trimmed at the end, so its
 * traded energy is empty at the end of the day.
 */
public final class RoutePlanner {

    private final ResidualMarket residual;
    private final MarketIndex m;

    public RoutePlanner(ResidualMarket residual) {
        this.residual = residual;
        this.m = residual.market();
    }

    public ResidualMarket residual() {
        return residual;
    }

    /**
     * The plan for the visits; stops where the EV would neither charge nor discharge are skipped (the EV does not
     * drive there), so a visit that is of no use costs nothing.
     */
    public RoutePlan plan(EvInfo info, List<Visit> visitsIn) {
        return plan(info, visitsIn, null);
    }

    /**
     * As {@link #plan(EvInfo, List)}, with an optional latest departure slot per visit ({@code departBy[i]} for
     * {@code visits.get(i)}, null = as late as useful): leaving a buyer early can catch the last surplus elsewhere.
     */
    public RoutePlan plan(EvInfo info, List<Visit> visitsIn, int[] departBy) {
        List<Visit> visits = new ArrayList<>(visitsIn.size());
        List<Integer> capList = new ArrayList<>(visitsIn.size());
        for (int k = 0; k < visitsIn.size(); k++) {
            int cap = departBy == null ? Integer.MAX_VALUE : departBy[k];
            if (!visits.isEmpty() && visits.getLast().site() == visitsIn.get(k).site()) {
                capList.set(capList.size() - 1, Math.max(capList.getLast(), cap)); // the EV simply stays
                continue;
            }
            visits.add(visitsIn.get(k));
            capList.add(cap);
        }
        int[] caps = departBy == null ? null : capList.stream().mapToInt(Integer::intValue).toArray();
        for (int round = 0; round < 3; round++) {
            RoutePlan p = planOnce(info, visits, caps);
            boolean allUseful = p.stops().size() == visits.size()
                    && p.stops().stream().allMatch(st -> !st.actions().isEmpty());
            if (p.isEmpty() || allUseful) {
                return p;
            }
            List<Visit> useful = new ArrayList<>();
            List<Integer> usefulCaps = new ArrayList<>();
            int prevSite = -1;
            for (int k = 0; k < p.stops().size(); k++) {
                if (!p.stops().get(k).actions().isEmpty() && visits.get(k).site() != prevSite) {
                    useful.add(visits.get(k));
                    usefulCaps.add(caps == null ? Integer.MAX_VALUE : caps[k]);
                    prevSite = visits.get(k).site();
                }
            }
            if (useful.size() == visits.size()) {
                return p;
            }
            visits = useful;
            caps = caps == null ? null : usefulCaps.stream().mapToInt(Integer::intValue).toArray();
        }
        return planOnce(info, visits, caps);
    }

    private RoutePlan planOnce(EvInfo info, List<Visit> visits, int[] caps) {
        if (visits.isEmpty()) {
            return RoutePlan.EMPTY;
        }
        Ev ev = info.ev();
        int from = ev.availableFrom();
        int to = ev.availableTo();
        double dt = m.slotHours();
        double etaC = ev.chargeEfficiency();
        double etaD = ev.dischargeEfficiency();
        double own = ev.initialKwh() * 1000;
        double minOwn = ev.minKwh() * 1000;
        double cap = ev.capacityKwh() * 1000;
        double kappa = ev.consumptionKwhPerKm() * 1000;
        double p = 0;
        double km = 0;
        double deficit = 0;
        int late = 0;
        List<RoutePlan.PlannedStop> stops = new ArrayList<>();
        int cur = info.home();
        int t = from;
        int n = visits.size();
        // slots needed after visit i: each later stop needs its trip and one slot, then the way home
        int[] tail = new int[n];
        int need = m.travelSlots(visits.get(n - 1).site(), info.home());
        for (int i = n - 1; i >= 0; i--) {
            tail[i] = need;
            if (i > 0) {
                need += m.travelSlots(visits.get(i - 1).site(), visits.get(i).site()) + 1;
            }
        }
        for (int i = 0; i < n; i++) {
            int site = visits.get(i).site();
            int tau = m.travelSlots(cur, site);
            if (tau > 0) {
                double d = m.km(cur, site);
                km += d;
                own -= kappa * d;
                deficit = Math.max(deficit, minOwn - own);
            }
            int arrive = t + tau;
            int latestDepart = to - 1 - tail[i];
            if (caps != null && caps[i] < latestDepart) {
                latestDepart = Math.max(arrive, caps[i]);
            }
            if (arrive > latestDepart) {
                late = Math.max(late, arrive - latestDepart);
                // it cannot do this stop in time: it goes no further, just home
                cur = site;
                t = arrive + 1;
                stops.add(new RoutePlan.PlannedStop(site, arrive, arrive, List.of()));
                break;
            }
            List<EnergyAction> acts = new ArrayList<>();
            int depart = arrive;
            Site s = m.site(site);
            long chargeRate = (long) Math.floor(Math.min(ev.chargeKw(), s.chargerKw()) * dt * 1000 + 1e-6);
            long dischargeRate = (long) Math.floor(Math.min(ev.dischargeKw(), s.v2xKw()) * dt * 1000 + 1e-6);
            // what the later stops could take, counted from the slot after arrival (optimistic; trimmed at the end)
            long downstream = downstreamDeliverableWh(info, visits, i, arrive + 1, to);
            boolean lastStop = i == n - 1;
            for (int slot = Math.max(arrive, from); slot <= latestDepart; slot++) {
                if (!lastStop && !acts.isEmpty() && acts.getLast().slot() < slot - 1) {
                    break; // a stop before others ends with its first run of energy: the EV moves on
                }
                long offer = chargeRate > 0 ? residual.offerLeftWh(site, slot) : 0;
                long bid = dischargeRate > 0 ? residual.bidLeftWh(site, slot) : 0;
                if (offer > 0) {
                    double target = (downstream + localDeliverableWh(site, dischargeRate, slot + 1, latestDepart))
                            / etaD;
                    double room = cap - own - p;
                    double want = Math.min(room, target - p);
                    long c = want < 1 ? 0 : (long) Math.floor(Math.min(Math.min(chargeRate, offer), want / etaC));
                    if (c > 0) {
                        p += etaC * c;
                        acts.add(new EnergyAction(ev.id(), info.index(), site, slot, c, true));
                        depart = slot;
                        continue;
                    }
                }
                if (bid > 0 && p * etaD >= 1) {
                    long e = (long) Math.floor(Math.min(Math.min(dischargeRate, bid), p * etaD + 1e-9));
                    if (e > 0) {
                        p -= e / etaD;
                        acts.add(new EnergyAction(ev.id(), info.index(), site, slot, e, false));
                        depart = slot;
                    }
                }
            }
            stops.add(new RoutePlan.PlannedStop(site, arrive, depart, acts));
            cur = site;
            t = depart + 1;
        }
        if (cur != info.home()) {
            double d = m.km(cur, info.home());
            km += d;
            own -= kappa * d;
            deficit = Math.max(deficit, minOwn - own);
            late = Math.max(late, t + m.travelSlots(cur, info.home()) - to);
        }
        stops = trimUndelivered(stops, p, etaC);
        return summarize(m, info, stops, km, deficit, late);
    }

    /** Optimistic energy the discharge stops after {@code i} could take from slot {@code start} on. */
    private long downstreamDeliverableWh(EvInfo info, List<Visit> visits, int i, int start, int to) {
        long total = 0;
        double dt = m.slotHours();
        for (int j = i + 1; j < visits.size(); j++) {
            Visit v = visits.get(j);
            long rate = (long) Math.floor(Math.min(info.ev().dischargeKw(), m.site(v.site()).v2xKw()) * dt * 1000 + 1e-6);
            for (int slot = Math.max(start, info.ev().availableFrom()); slot < to; slot++) {
                total += Math.min(rate, residual.bidLeftWh(v.site(), slot));
            }
        }
        return total;
    }

    /** What this site's own load could take from the EV in slots {@code start..last}. */
    private long localDeliverableWh(int site, long rate, int start, int last) {
        if (rate <= 0) {
            return 0;
        }
        long total = 0;
        for (int slot = start; slot <= last; slot++) {
            total += Math.min(rate, residual.bidLeftWh(site, slot));
        }
        return total;
    }

    /**
     * Charged energy that was never discharged is taken off the latest charges (the battery only holds less from
     * then on, and everything after the last charge only falls); stops left without energy keep their times.
     */
    private static List<RoutePlan.PlannedStop> trimUndelivered(List<RoutePlan.PlannedStop> stops, double leftover,
                                                               double etaC) {
        if (leftover < 1) {
            return stops;
        }
        double toRemoveWh = leftover / etaC; // in charged Wh
        List<RoutePlan.PlannedStop> out = new ArrayList<>(stops);
        for (int k = out.size() - 1; k >= 0 && toRemoveWh >= 1; k--) {
            RoutePlan.PlannedStop st = out.get(k);
            List<EnergyAction> acts = new ArrayList<>(st.actions());
            for (int a = acts.size() - 1; a >= 0 && toRemoveWh >= 1; a--) {
                EnergyAction x = acts.get(a);
                if (!x.charge()) {
                    continue;
                }
                long cut = Math.min(x.wh(), (long) Math.floor(toRemoveWh));
                toRemoveWh -= cut;
                if (cut == x.wh()) {
                    acts.remove(a);
                } else {
                    acts.set(a, new EnergyAction(x.ev(), x.evIndex(), x.site(), x.slot(), x.wh() - cut, true));
                }
            }
            out.set(k, new RoutePlan.PlannedStop(st.site(), st.arrive(), st.depart(), acts));
        }
        return out;
    }

    /**
     * Replays the plan slot by slot: battery split, money, and what the constraints need to know (also used by
     * {@link LpPlans} for the LP's rounded amounts).
     */
    static RoutePlan summarize(MarketIndex m, EvInfo info, List<RoutePlan.PlannedStop> stops, double km,
                               double ownDeficit, int late) {
        Ev ev = info.ev();
        List<EnergyAction> all = new ArrayList<>();
        long value = 0;
        long cost = 0;
        long dischargedWh = 0;
        double p = 0;
        double minP = 0;
        for (RoutePlan.PlannedStop st : stops) {
            for (EnergyAction a : st.actions()) {
                all.add(a);
                if (a.charge()) {
                    p += ev.chargeEfficiency() * a.wh();
                    cost += m.askCents(a.site(), a.slot()) * a.wh();
                } else {
                    p -= a.wh() / ev.dischargeEfficiency();
                    value += m.bidCents(a.site(), a.slot()) * a.wh();
                    dischargedWh += a.wh();
                }
                minP = Math.min(minP, p);
            }
        }
        if (all.isEmpty()) {
            // stops without any energy are pointless trips: the EV stays home
            return RoutePlan.EMPTY;
        }
        long fees = MarketIndex.cents(ev.feeJpyPerKwh()) * dischargedWh + Math.round(ev.feeJpyPerKm() * km * 1e5);
        long undelivered = p >= 2 - 1e-9 ? (long) Math.floor(p) : 0; // below 2 Wh: rounding of whole-Wh discharges
        long negative = minP < -1 ? (long) Math.ceil(-minP) : 0;
        return new RoutePlan(stops, all, km, value, cost, fees, (long) Math.ceil(Math.max(0, ownDeficit)), late,
                undelivered + negative);
    }
}
