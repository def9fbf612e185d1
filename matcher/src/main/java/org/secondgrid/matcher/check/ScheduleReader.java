package org.secondgrid.matcher.check;

import java.util.List;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Solution.GridDelivery;
import org.secondgrid.matcher.domain.Solution.Itinerary;
import org.secondgrid.matcher.domain.Solution.Stop;
import org.secondgrid.matcher.domain.Solution.StopSlot;

/**
 * Reads the schedule (grid deliveries and itineraries) into a {@link Ledger}, reporting what is wrong
 * with each record on its own: references, shapes, timing (stop-order, travel, availability), per-slot power
 * and charge-and-discharge. Records that cannot be placed (unknown ids, slot out of range, negative kWh)
 * are reported and left out of every sum.
 */
final class ScheduleReader {

    private final InstanceIndex x;
    private final Ledger ledger;
    private final Violations out;

    ScheduleReader(InstanceIndex x, Ledger ledger, Violations out) {
        this.x = x;
        this.ledger = ledger;
        this.out = out;
    }

    void read(Solution s) {
        List<GridDelivery> grid = s.grid();
        for (int k = 0; k < grid.size(); k++) {
            grid(k, grid.get(k));
        }
        List<Itinerary> its = s.itineraries();
        for (int k = 0; k < its.size(); k++) {
            itinerary(k, its.get(k));
        }
    }

    private void grid(int k, GridDelivery g) {
        String p = "grid[" + k + "]";
        int i = x.site(g.seller());
        int j = x.site(g.buyer());
        boolean bad = false;
        if (i < 0) {
            out.add("unknown-reference", p + ".seller '" + g.seller() + "' is not a site");
            bad = true;
        }
        if (j < 0) {
            out.add("unknown-reference", p + ".buyer '" + g.buyer() + "' is not a site");
            bad = true;
        }
        if (!bad && i == j) {
            out.add("grid-self", p + " delivers from site " + g.seller() + " to itself in slot " + g.slot()
                    + " (a grid delivery needs seller != buyer)");
            bad = true;
        }
        if (g.slot() < 0 || g.slot() >= x.slots) {
            out.add("slot-range", p + " " + g.seller() + " -> " + g.buyer() + " slot " + g.slot()
                    + " is outside 0.." + (x.slots - 1));
            bad = true;
        }
        if (!(g.kwh() >= 0) || Double.isInfinite(g.kwh())) {
            out.add("negative-energy", p + " " + g.seller() + " -> " + g.buyer() + " slot " + g.slot() + " kwh "
                    + g.kwh() + " must be a finite number >= 0");
            bad = true;
        }
        if (bad) {
            return;
        }
        String pool = "grid:" + g.seller() + ":" + g.buyer() + ":" + g.slot();
        Ledger.GridFlow flow = ledger.grid.get(pool);
        if (flow == null) {
            flow = new Ledger.GridFlow(i, j, g.slot());
            ledger.grid.put(pool, flow);
        } else {
            out.add("duplicate", p + " repeats the grid delivery " + g.seller() + " -> " + g.buyer() + " slot "
                    + g.slot() + " (one record per seller, buyer and slot); the kWh are summed");
        }
        flow.kwh += g.kwh();
        flow.records++;
        ledger.energyRecords++;
        int t = g.slot();
        int ci = x.cell(i, t);
        int cj = x.cell(j, t);
        ledger.sold[ci] += g.kwh();
        ledger.soldRecords[ci]++;
        ledger.exported[ci] += g.kwh();
        ledger.exportRecords[ci]++;
        ledger.got[cj] += g.kwh();
        ledger.gotRecords[cj]++;
        int fi = x.feederOf[i];
        int fj = x.feederOf[j];
        if (fi != fj) {
            ledger.feederNet[fi * x.slots + t] += g.kwh();
            ledger.feederRecords[fi * x.slots + t]++;
            ledger.feederNet[fj * x.slots + t] -= g.kwh();
            ledger.feederRecords[fj * x.slots + t]++;
        }
    }

    private void itinerary(int k, Itinerary it) {
        String p = "itineraries[" + k + "]";
        Ev ev = it.ev() == null ? null : x.evs.get(it.ev());
        if (ev == null) {
            out.add("unknown-reference", p + ".ev '" + it.ev() + "' is not an EV");
            return;
        }
        if (ledger.plans.containsKey(ev.id())) {
            out.add("duplicate", p + " is a second itinerary for " + ev.id() + " (one per EV); it is ignored");
            return;
        }
        boolean bad = false;
        for (int s = 0; s < it.stops().size(); s++) {
            Stop stop = it.stops().get(s);
            if (x.site(stop.site()) < 0) {
                out.add("unknown-reference", p + " (" + ev.id() + ") stops[" + s + "].site '" + stop.site()
                        + "' is not a site; the itinerary is ignored");
                bad = true;
            }
        }
        if (bad) {
            return;
        }
        EvPlan plan = new EvPlan(ev, x.slots);
        for (Stop stop : it.stops()) {
            plan.stops.add(new EvPlan.PlannedStop(x.site(stop.site()), stop.arrive(), stop.depart()));
        }
        ledger.plans.put(ev.id(), plan);
        ledger.planList.add(plan);
        if (!plan.stops.isEmpty()) {
            ledger.itineraryRecords++;
        }
        timing(plan);
        for (int s = 0; s < it.stops().size(); s++) {
            Stop stop = it.stops().get(s);
            for (StopSlot slot : stop.slots()) {
                energy(plan, s, plan.stops.get(s), slot);
            }
        }
    }

    private String stopName(EvPlan plan, int s) {
        EvPlan.PlannedStop st = plan.stops.get(s);
        return plan.ev.id() + " stop " + (s + 1) + " (" + x.siteId(st.site()) + " " + st.arrive() + ".." + st.depart()
                + ")";
    }

    /** Stop order, travel times, the availability window for driving; builds the trips, km and owner's drops. */
    private void timing(EvPlan plan) {
        Ev ev = plan.ev;
        List<EvPlan.PlannedStop> stops = plan.stops;
        for (int s = 0; s < stops.size(); s++) {
            EvPlan.PlannedStop st = stops.get(s);
            if (st.arrive() > st.depart()) {
                out.add("stop-order", stopName(plan, s) + " arrives after it departs");
            }
            if (st.arrive() < 0 || st.depart() > x.slots - 1) {
                out.add("stop-order", stopName(plan, s) + " lies outside slots 0.." + (x.slots - 1));
            }
            if (s > 0) {
                EvPlan.PlannedStop prev = stops.get(s - 1);
                if (prev.site() == st.site()) {
                    out.add("stop-order", stopName(plan, s) + " is at the same site as " + stopName(plan, s - 1)
                            + " (consecutive stops must be at different sites)");
                } else if (st.arrive() <= prev.depart()) {
                    out.add("stop-order", stopName(plan, s) + " does not start after " + stopName(plan, s - 1)
                            + " ends (stops in time order, no overlap)");
                } else {
                    int tau = x.distances.slots(x.sites[prev.site()], x.sites[st.site()]);
                    int earliest = prev.depart() + tau + 1;
                    if (st.arrive() < earliest) {
                        out.add("travel", stopName(plan, s) + " arrives in slot " + st.arrive() + " but driving "
                                + x.siteId(prev.site()) + " -> " + x.siteId(st.site()) + " ("
                                + Fmt.kwh(x.distances.km(x.sites[prev.site()], x.sites[st.site()])) + " km) takes "
                                + tau + " slot(s) after slot " + prev.depart() + ": earliest arrival " + earliest);
                    }
                }
            }
        }
        if (stops.isEmpty()) {
            return;
        }
        int home = x.site(ev.home());
        EvPlan.PlannedStop first = stops.getFirst();
        if (first.site() != home) {
            int tau = tau(home, first.site());
            addTrip(plan, home, first.site(), first.arrive() - tau, tau);
        }
        for (int s = 1; s < stops.size(); s++) {
            EvPlan.PlannedStop a = stops.get(s - 1);
            EvPlan.PlannedStop b = stops.get(s);
            if (a.site() != b.site()) {
                addTrip(plan, a.site(), b.site(), a.depart() + 1, tau(a.site(), b.site()));
            }
        }
        EvPlan.PlannedStop last = stops.getLast();
        if (last.site() != home) {
            addTrip(plan, last.site(), home, last.depart() + 1, tau(last.site(), home));
        }
    }

    private int tau(int a, int b) {
        return x.distances.slots(x.sites[a], x.sites[b]);
    }

    private void addTrip(EvPlan plan, int from, int to, int start, int slots) {
        Ev ev = plan.ev;
        Site a = x.sites[from];
        Site b = x.sites[to];
        double km = x.distances.km(a, b);
        plan.trips.add(new EvPlan.Trip(from, to, start, slots, km));
        plan.km += km;
        int at = Math.max(0, Math.min(x.slots - 1, start));
        plan.ownerDrop[at] += ev.consumptionKwhPerKm() * km;
        int end = start + slots - 1;
        if (start < ev.availableFrom() || end > ev.availableTo() - 1) {
            out.add("availability", ev.id() + " drives " + a.id() + " -> " + b.id() + " in slots " + start + ".."
                    + end + ", outside its window (availableFrom " + ev.availableFrom() + ", back home by availableTo "
                    + ev.availableTo() + ")");
        }
    }

    private void energy(EvPlan plan, int s, EvPlan.PlannedStop stop, StopSlot slot) {
        Ev ev = plan.ev;
        int t = slot.slot();
        String where = ev.id() + " slot " + t + " at " + x.siteId(stop.site());
        if (t < 0 || t >= x.slots) {
            out.add("stop-order", where + ": slot outside 0.." + (x.slots - 1) + " (" + stopName(plan, s) + ")");
            return;
        }
        double c = slot.charge();
        double e = slot.discharge();
        if (!(c >= 0) || !(e >= 0) || Double.isInfinite(c) || Double.isInfinite(e)) {
            out.add("negative-energy", where + ": chargeKwh " + slot.chargeKwh() + ", dischargeKwh "
                    + slot.dischargeKwh() + " must be finite numbers >= 0");
            return;
        }
        if (plan.recordsAt[t] > 0) {
            out.add("duplicate", where + " is listed more than once in the itinerary (one record per slot)");
        }
        plan.recordsAt[t]++;
        plan.records++;
        ledger.energyRecords++;
        if (t < stop.arrive() || t > stop.depart()) {
            out.add("stop-order", where + " has energy outside its stop " + stopName(plan, s));
        }
        if ((c > 0 || e > 0) && (t < ev.availableFrom() || t >= ev.availableTo())) {
            out.add("availability", where + " trades energy outside its window availableFrom " + ev.availableFrom()
                    + " <= t < availableTo " + ev.availableTo());
        }
        if (c > 0 && e > 0) {
            out.add("charge-and-discharge", where + " both charges " + Fmt.kwh(c) + " kWh and discharges "
                    + Fmt.kwh(e) + " kWh");
        }
        Site site = x.sites[stop.site()];
        double maxC = Math.min(ev.chargeKw(), site.chargerKw()) * x.dt;
        if (c > maxC + Fmt.kwhTol(1)) {
            out.add("charge-power", where + " charges " + Fmt.kwh(c) + " kWh > " + Fmt.kwh(maxC)
                    + " kWh (min(chargeKw " + Fmt.num(ev.chargeKw()) + ", chargerKw " + Fmt.num(site.chargerKw())
                    + ") x " + Fmt.num(x.dt) + " h)");
        }
        double maxE = Math.min(ev.dischargeKw(), site.v2xKw()) * x.dt;
        if (e > maxE + Fmt.kwhTol(1)) {
            out.add("discharge-power", where + " discharges " + Fmt.kwh(e) + " kWh > " + Fmt.kwh(maxE)
                    + " kWh (min(dischargeKw " + Fmt.num(ev.dischargeKw()) + ", v2xKw " + Fmt.num(site.v2xKw())
                    + ") x " + Fmt.num(x.dt) + " h)");
        }
        if (plan.siteAt[t] >= 0 && plan.siteAt[t] != stop.site()) {
            out.add("stop-order", where + " is also listed at " + x.siteId(plan.siteAt[t]) + " in the same slot");
        }
        boolean wasPlugged = plan.plugged(t);
        plan.charge[t] += c;
        plan.discharge[t] += e;
        if (plan.siteAt[t] < 0) {
            plan.siteAt[t] = stop.site();
        }
        int cell = x.cell(stop.site(), t);
        if (c > 0) {
            ledger.sold[cell] += c;
            ledger.soldRecords[cell]++;
        }
        if (e > 0) {
            ledger.got[cell] += e;
            ledger.gotRecords[cell]++;
        }
        if (!wasPlugged && plan.plugged(t)) {
            ledger.plugged[cell]++;
        }
    }
}
