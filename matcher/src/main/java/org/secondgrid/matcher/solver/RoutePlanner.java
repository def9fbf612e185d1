package org.secondgrid.matcher.solver;

import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;

/**
 * Turns an EV's ordered visits into a timed plan with energy per slot, against the residual market. Greedy and
 * deterministic: the EV leaves home at availableFrom, stays at each stop as long as it can use it (keeping time
 * for the remaining stops and the way home), charges no more than the later stops can take and finally trims
 * charging that could not be delivered, so that its traded energy is empty at the end of the day.
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

    public RoutePlan plan(EvInfo info, List<Visit> visitsIn) {
        List<Visit> visits = collapse(info, visitsIn);
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
            Visit v = visits.get(i);
            int site = v.site();
            int tau = m.travelSlots(cur, site);
            if (tau > 0) {
                double d = m.km(cur, site);
                km += d;
                own -= kappa * d;
                deficit = Math.max(deficit, minOwn - own);
            }
            int arrive = t + tau;
            int latestDepart = to - 1 - tail[i];
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
            if (v.kind() == Visit.Kind.CHARGE) {
                long rate = (long) Math.floor(Math.min(ev.chargeKw(), s.chargerKw()) * dt * 1000 + 1e-6);
                double target = downstreamDeliverableWh(info, visits, i, arrive + 1, to) / etaD;
                for (int slot = Math.max(arrive, from); slot <= latestDepart && rate > 0; slot++) {
                    double room = cap - own - p;
                    double want = target - p;
                    if (want < 1 || room < 1) {
                        break;
                    }
                    long offer = residual.offerLeftWh(site, slot);
                    if (offer <= 0) {
                        if (!anyOfferAfter(site, slot, latestDepart)) {
                            break;
                        }
                        continue;
                    }
                    long c = (long) Math.floor(Math.min(Math.min(rate, offer), Math.min(room, want) / etaC));
                    if (c <= 0) {
                        break;
                    }
                    p += etaC * c;
                    acts.add(new EnergyAction(ev.id(), info.index(), site, slot, c, true));
                    depart = slot;
                }
            } else {
                long rate = (long) Math.floor(Math.min(ev.dischargeKw(), s.v2xKw()) * dt * 1000 + 1e-6);
                for (int slot = Math.max(arrive, from); slot <= latestDepart && rate > 0; slot++) {
                    if (p * etaD < 1) {
                        break;
                    }
                    long bid = residual.bidLeftWh(site, slot);
                    if (bid <= 0) {
                        if (!anyBidAfter(site, slot, latestDepart)) {
                            break;
                        }
                        continue;
                    }
                    long e = (long) Math.floor(Math.min(Math.min(rate, bid), p * etaD + 1e-9));
                    if (e <= 0) {
                        break;
                    }
                    p -= e / etaD;
                    acts.add(new EnergyAction(ev.id(), info.index(), site, slot, e, false));
                    depart = slot;
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
        return summarize(info, stops, km, deficit, late);
    }

    /** Removes consecutive visits to the same site (the EV simply stays) — the first of a run is kept. */
    private static List<Visit> collapse(EvInfo info, List<Visit> visits) {
        List<Visit> out = new ArrayList<>(visits.size());
        int prev = -1;
        for (Visit v : visits) {
            if (v.site() != prev) {
                out.add(v);
            }
            prev = v.site();
        }
        return out;
    }

    /** Optimistic energy the discharge stops after {@code i} could take from slot {@code start} on. */
    private long downstreamDeliverableWh(EvInfo info, List<Visit> visits, int i, int start, int to) {
        long total = 0;
        double dt = m.slotHours();
        for (int j = i + 1; j < visits.size(); j++) {
            Visit v = visits.get(j);
            if (v.kind() != Visit.Kind.DISCHARGE) {
                continue;
            }
            long rate = (long) Math.floor(Math.min(info.ev().dischargeKw(), m.site(v.site()).v2xKw()) * dt * 1000 + 1e-6);
            for (int slot = Math.max(start, info.ev().availableFrom()); slot < to; slot++) {
                total += Math.min(rate, residual.bidLeftWh(v.site(), slot));
            }
        }
        return total;
    }

    private boolean anyOfferAfter(int site, int slot, int last) {
        for (int s = slot + 1; s <= last; s++) {
            if (residual.offerLeftWh(site, s) > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean anyBidAfter(int site, int slot, int last) {
        for (int s = slot + 1; s <= last; s++) {
            if (residual.bidLeftWh(site, s) > 0) {
                return true;
            }
        }
        return false;
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

    /** Replays the plan slot by slot: battery split, money, and what the constraints need to know. */
    private RoutePlan summarize(EvInfo info, List<RoutePlan.PlannedStop> stops, double km, double ownDeficit,
                                int late) {
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
        long undelivered = (long) Math.floor(Math.max(0, p) - 1 + 1e-9) > 0 ? (long) Math.floor(p) : 0;
        long negative = minP < -1 ? (long) Math.ceil(-minP) : 0;
        return new RoutePlan(stops, all, km, value, cost, fees, (long) Math.ceil(Math.max(0, ownDeficit)), late,
                undelivered + negative);
    }
}
