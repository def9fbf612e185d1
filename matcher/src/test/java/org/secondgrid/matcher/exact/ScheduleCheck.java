package org.secondgrid.matcher.exact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Travel;

/**
 * A small re-check of the exact MILP's schedule straight from the spec's rules and the conventions' timing,
 * written separately from the MILP (no shared code), so the MILP's read-back is verified in its own tests.
 * The project's full checker (pools, payments, trades) is a separate piece; this one checks the decisions only.
 * Returns the list of violations (empty = feasible) and recomputes W.
 */
final class ScheduleCheck {

    /** Wh rounding of each record, as the conventions allow. */
    private static final double TOL = 0.001;

    final List<String> violations = new ArrayList<>();
    double welfareJpy;

    private ScheduleCheck() {
    }

    static ScheduleCheck of(Instance in, List<Solution.GridDelivery> grid, List<Solution.Itinerary> itineraries) {
        ScheduleCheck c = new ScheduleCheck();
        c.run(in, grid, itineraries);
        return c;
    }

    private void run(Instance in, List<Solution.GridDelivery> grid, List<Solution.Itinerary> itineraries) {
        int slots = in.slots();
        double dt = in.slotHours();
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(s -> sites.put(s.id(), s));
        Map<String, Offer> offers = new HashMap<>();
        in.offers().forEach(o -> offers.put(o.site() + "@" + o.slot(), o));
        Map<String, Bid> bids = new HashMap<>();
        in.bids().forEach(b -> bids.put(b.site() + "@" + b.slot(), b));
        Map<String, Double> sold = new HashMap<>();
        Map<String, Double> got = new HashMap<>();
        Map<String, Double> exported = new HashMap<>();
        Map<String, Double> feederNet = new HashMap<>();
        Map<String, Integer> plugged = new HashMap<>();
        Map<String, Integer> records = new HashMap<>();
        Travel travel = new Travel(in);
        double w = 0;

        for (Solution.GridDelivery g : grid) {
            String i = g.seller() + "@" + g.slot();
            String j = g.buyer() + "@" + g.slot();
            if (g.seller().equals(g.buyer())) {
                violations.add("grid " + g + ": seller = buyer");
            }
            if (g.kwh() < 0) {
                violations.add("grid " + g + ": negative kWh");
            }
            sold.merge(i, g.kwh(), Double::sum);
            got.merge(j, g.kwh(), Double::sum);
            records.merge(i, 1, Integer::sum);
            records.merge(j, 1, Integer::sum);
            exported.merge(i, g.kwh(), Double::sum);
            String fi = sites.get(g.seller()).feeder();
            String fj = sites.get(g.buyer()).feeder();
            if (!fi.equals(fj)) {
                feederNet.merge(fi + "@" + g.slot(), g.kwh(), Double::sum);
                feederNet.merge(fj + "@" + g.slot(), -g.kwh(), Double::sum);
            }
            double bid = bids.containsKey(j) ? bids.get(j).bidJpyPerKwh() : 0;
            double ask = offers.containsKey(i) ? offers.get(i).askJpyPerKwh() : 0;
            double s = (bid - ask - in.gridFeeJpyPerKwh()) * g.kwh();
            if (s < -0.01) {
                violations.add("grid pool " + g + ": surplus " + s + " < 0");
            }
            w += s;
        }
        for (Solution.Itinerary it : itineraries) {
            Ev ev = in.evs().stream().filter(e -> e.id().equals(it.ev())).findFirst().orElseThrow();
            w += checkEv(in, ev, it, sites, offers, bids, sold, got, plugged, records, travel, slots, dt);
        }
        sold.forEach((k, v) -> {
            double cap = offers.containsKey(k) ? offers.get(k).kwh() : 0;
            if (v > cap + TOL * records.getOrDefault(k, 1)) {
                violations.add("sold " + k + " = " + v + " > offer " + cap);
            }
        });
        got.forEach((k, v) -> {
            double cap = bids.containsKey(k) ? bids.get(k).kwh() : 0;
            if (v > cap + TOL * records.getOrDefault(k, 1)) {
                violations.add("got " + k + " = " + v + " > bid " + cap);
            }
        });
        exported.forEach((k, v) -> {
            double cap = sites.get(k.substring(0, k.indexOf('@'))).exportLimitKw() * dt;
            if (v > cap + TOL * records.getOrDefault(k, 1)) {
                violations.add("export " + k + " = " + v + " > " + cap);
            }
        });
        Map<String, Double> reverse = new HashMap<>();
        for (Feeder f : in.feeders()) {
            reverse.put(f.id(), f.reverseCapacityKw() * dt);
        }
        feederNet.forEach((k, v) -> {
            double cap = reverse.get(k.substring(0, k.indexOf('@')));
            if (v > cap + TOL * grid.size()) {
                violations.add("feeder " + k + " net export " + v + " > " + cap);
            }
        });
        plugged.forEach((k, v) -> {
            int ports = sites.get(k.substring(0, k.indexOf('@'))).ports();
            if (v > ports) {
                violations.add("ports " + k + ": " + v + " EVs plugged > " + ports);
            }
        });
        welfareJpy = w;
    }

    private double checkEv(Instance in, Ev ev, Solution.Itinerary it, Map<String, Site> sites,
                           Map<String, Offer> offers, Map<String, Bid> bids, Map<String, Double> sold,
                           Map<String, Double> got, Map<String, Integer> plugged, Map<String, Integer> records,
                           Travel travel, int slots, double dt) {
        String v = ev.id();
        double[] c = new double[slots];
        double[] e = new double[slots];
        double[] drop = new double[slots];
        int energyRecords = 0;
        double value = 0;
        double cost = 0;
        double km = 0;
        String prev = ev.home();
        int prevDepart = -1;
        List<Solution.Stop> stops = it.stops();
        for (int k = 0; k < stops.size(); k++) {
            Solution.Stop stop = stops.get(k);
            Site site = sites.get(stop.site());
            if (stop.arrive() > stop.depart() || stop.arrive() < 0 || stop.depart() > slots - 1) {
                violations.add(v + " stop " + k + " [" + stop.arrive() + "," + stop.depart() + "] out of range");
            }
            if (k > 0 && stop.site().equals(prev)) {
                violations.add(v + " stop " + k + " at the same site as the one before");
            }
            double d = travel.km(prev, stop.site());
            int tau = travel.slots(prev, stop.site());
            int tripStart = k == 0 ? stop.arrive() - tau : prevDepart + 1;
            if (k == 0 && tripStart < ev.availableFrom()) {
                violations.add(v + " leaves home at slot " + tripStart + " < availableFrom " + ev.availableFrom());
            }
            if (k > 0 && stop.arrive() < prevDepart + tau + 1) {
                violations.add(v + " arrives at stop " + k + " in slot " + stop.arrive() + " before "
                        + (prevDepart + tau + 1));
            }
            if (d > 0) {
                drop[tripStart] += ev.consumptionKwhPerKm() * d;
            }
            km += d;
            for (Solution.StopSlot ss : stop.slots()) {
                int t = ss.slot();
                if (t < stop.arrive() || t > stop.depart()) {
                    violations.add(v + " energy in slot " + t + " outside stop " + k);
                }
                if (t < ev.availableFrom() || t >= ev.availableTo()) {
                    violations.add(v + " energy in slot " + t + " outside its window");
                }
                if (ss.charge() > 0 && ss.discharge() > 0) {
                    violations.add(v + " charges and discharges in slot " + t);
                }
                String key = stop.site() + "@" + t;
                if (ss.charge() > Math.min(ev.chargeKw(), site.chargerKw()) * dt + TOL) {
                    violations.add(v + " charge " + ss.charge() + " in slot " + t + " above the power limit");
                }
                if (ss.discharge() > Math.min(ev.dischargeKw(), site.v2xKw()) * dt + TOL) {
                    violations.add(v + " discharge " + ss.discharge() + " in slot " + t + " above the power limit");
                }
                if (ss.charge() > 0 || ss.discharge() > 0) {
                    plugged.merge(key, 1, Integer::sum);
                    energyRecords++;
                    records.merge(key, 1, Integer::sum);
                }
                c[t] += ss.charge();
                e[t] += ss.discharge();
                sold.merge(key, ss.charge(), Double::sum);
                got.merge(key, ss.discharge(), Double::sum);
                cost += (offers.containsKey(key) ? offers.get(key).askJpyPerKwh() : 0) * ss.charge();
                value += (bids.containsKey(key) ? bids.get(key).bidJpyPerKwh() : 0) * ss.discharge();
            }
            prev = stop.site();
            prevDepart = stop.depart();
        }
        if (!stops.isEmpty()) {
            double d = travel.km(prev, ev.home());
            int tau = travel.slots(prev, ev.home());
            if (prevDepart + tau + 1 > ev.availableTo()) {
                violations.add(v + " is home in slot " + (prevDepart + tau + 1) + " > availableTo "
                        + ev.availableTo());
            }
            if (d > 0 && prevDepart + 1 < slots) {
                drop[prevDepart + 1] += ev.consumptionKwhPerKm() * d;
            }
            km += d;
        }
        double o = ev.initialKwh();
        double p = 0;
        double slack = TOL * energyRecords + 1e-9;
        for (int t = 0; t < slots; t++) {
            if (o + p > ev.capacityKwh() + slack) {
                violations.add(v + " battery " + (o + p) + " > capacity at the start of slot " + t);
            }
            p += ev.chargeEfficiency() * c[t] - e[t] / ev.dischargeEfficiency();
            o -= drop[t];
            if (p < -slack) {
                violations.add(v + " traded energy " + p + " < 0 after slot " + t);
            }
            if (o < ev.minKwh() - 1e-9) {
                violations.add(v + " own energy " + o + " < minKwh after slot " + t);
            }
        }
        if (Math.abs(p) > slack) {
            violations.add(v + " ends the day with traded energy " + p);
        }
        double delivered = 0;
        for (double x : e) {
            delivered += x;
        }
        double fees = ev.feeJpyPerKwh() * delivered + ev.feeJpyPerKm() * km;
        double surplus = value - cost - fees;
        if (surplus < -0.01 * Math.max(1, energyRecords)) {
            violations.add(v + " pool surplus " + surplus + " < 0");
        }
        return surplus;
    }
}
