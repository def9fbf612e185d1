package org.secondgrid.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.secondgrid.gateway.delivery.ChargerAssignment;
import org.secondgrid.gateway.delivery.ChargerEnergy;
import org.secondgrid.gateway.delivery.DeliveryDay;
import org.secondgrid.gateway.delivery.DeliveryLines;
import org.secondgrid.gateway.delivery.DispatchPlan;
import org.secondgrid.gateway.delivery.ImbalanceRules;
import org.secondgrid.gateway.delivery.MarketPositions;
import org.secondgrid.gateway.delivery.Redispatcher;
import org.secondgrid.gateway.delivery.Setpoint;
import org.secondgrid.gateway.ingest.Reading;
import org.secondgrid.gateway.store.TimeSeriesWriter;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;

/**
 * A day of time-series points as the gateway writes them, from a generated town cleared by the matcher:
 * raw meter, charger and EV readings through {@link TimeSeriesWriter#line} and delivery's per-slot series
 * through {@link DeliveryLines} (imbalance, backflow and re-dispatch computed by the real rules). The
 * devices follow the dispatch except that: the first scheduled EV misses its first slot, the last one
 * misses its first delivery slot, the first grid seller delivers 10 % short, and no-backflow sellers spill
 * 0.3 kWh every 5th slot they have surplus.
 */
final class RealisticDay {

    final List<String> lines = new ArrayList<>();
    int redispatches;
    int backflowEvents;
    int evCausedBackflow;
    double retailerKwh;

    RealisticDay(Instance in, Solution sol) {
        DeliveryDay day = DeliveryDay.of(in);
        DispatchPlan plan = DispatchPlan.of(in, sol);
        MarketPositions market = new MarketPositions(in, sol);
        Redispatcher rd = new Redispatcher(plan, market);
        Map<String, String> chargerSites = new TreeMap<>();
        for (Site s : in.sites()) {
            for (int p = 0; p < s.ports(); p++) {
                chargerSites.put("c-" + s.id() + "-" + p, s.id());
            }
        }
        ChargerAssignment chargers = new ChargerAssignment(chargerSites);
        Map<String, Bid> bids = new HashMap<>();
        in.bids().forEach(b -> bids.put(b.site() + "@" + b.slot(), b));
        Map<String, double[]> counters = new HashMap<>();
        Map<String, Long> seq = new HashMap<>();
        Random random = new Random(3);
        String noShowEv = plan.scheduledEvs().isEmpty() ? null : plan.scheduledEvs().get(0);
        int noShowSlot = noShowEv == null ? -1 : plan.actionsAfter(noShowEv, -1).get(0).slot();
        String lateEv = plan.scheduledEvs().isEmpty() ? null : plan.scheduledEvs().get(plan.scheduledEvs().size() - 1);
        int lateSlot = lateEv == null ? -1 : plan.actionsAfter(lateEv, -1).stream().filter(a -> a.kwh() < 0)
                .mapToInt(DispatchPlan.Action::slot).findFirst().orElse(-1);
        String shortSeller = sol.grid().isEmpty() ? null : sol.grid().get(0).seller();
        lines.addAll(DeliveryLines.schedule(in, sol));
        for (int t = 0; t < in.slots(); t++) {
            Instant start = day.slotStart(t);
            double hours = in.slotHours();
            // what chargers measure: the dispatch, except the no-show
            ChargerAssignment.Result assigned = chargers.assign(plan.actionsAt(t), t, hours);
            List<ChargerEnergy.EvEnergy> measured = new ArrayList<>();
            for (Setpoint sp : assigned.setpoints()) {
                boolean noShow = sp.ev() != null && (sp.ev().equals(noShowEv) && t == noShowSlot
                        || sp.ev().equals(lateEv) && t == lateSlot);
                String ev = noShow ? null : sp.ev();
                double kw = noShow ? 0 : sp.powerKw();
                if (ev != null) {
                    measured.add(new ChargerEnergy.EvEnergy(ev, sp.siteId(), Math.max(kw, 0) * hours, Math.max(-kw, 0) * hours));
                }
                long s = seq.merge(sp.chargerId(), 1L, Long::sum);
                lines.add(TimeSeriesWriter.line(new Reading(sp.chargerId(), "chargers", sp.siteId(), s, start,
                        null, null, null, ev, kw, 0.0, null, null, null, false)));
            }
            Map<String, ImbalanceRules.Metered> metered = new HashMap<>();
            for (Site s : in.sites()) {
                double ev = measured.stream().filter(e -> e.siteId().equals(s.id()))
                        .mapToDouble(e -> e.chargeKwh() - e.dischargeKwh()).sum();
                double sold = market.gridSold(s.id(), t);
                double bought = market.gridBought(s.id(), t);
                Bid bid = bids.get(s.id() + "@" + t);
                double load = bid == null ? 0.2 + 0.3 * random.nextDouble() : bid.kwh();
                double export = sold * (s.id().equals(shortSeller) ? 0.9 : 1.0);
                double unsold = market.offerKwh(s.id(), t) - sold - Math.max(ev, 0);
                if (s.exportLimitKw() == 0 && unsold > 0.5 && t % 5 == 0) {
                    export += 0.3; // a throttling inverter that reacted late
                }
                double imp = Math.max(bought, load + Math.max(ev, 0) - Math.max(-ev, 0)) + (sold > 0 ? 0 : 0.05);
                metered.put(s.id(), new ImbalanceRules.Metered(imp, export));
                double[] c = counters.computeIfAbsent(s.id(), k -> new double[3]);
                for (int k = 0; k < 3; k++) { // a reading every 10 minutes, counters spread evenly
                    c[0] += imp * 1000 / 3;
                    c[1] += export * 1000 / 3;
                    c[2] += (export + Math.max(ev, 0)) * 1000 / 3;
                    String meter = "m-" + s.id();
                    long q = seq.merge(meter, 1L, Long::sum);
                    lines.add(TimeSeriesWriter.line(new Reading(meter, "meters", s.id(), q,
                            start.plus(Duration.ofMinutes(10L * (k + 1))), c[0], c[1], c[2], null, null, null, null,
                            null, null, false)));
                }
            }
            Map<String, Double> dispatched = new HashMap<>();
            plan.actionsAt(t).forEach(a -> dispatched.put(a.ev(), a.kwh()));
            ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, t, metered, measured, 40);
            redispatches += rd.afterSlot(t, measured).size();
            backflowEvents += r.backflow().size();
            evCausedBackflow += (int) r.backflow().stream().filter(ImbalanceRules.BackflowEvent::evCaused).count();
            retailerKwh += r.retailerKwh();
            lines.addAll(DeliveryLines.slot(plan, market, in.market(), start, r, measured, dispatched, metered));
            for (String ev : plan.scheduledEvs()) {
                long q = seq.merge(ev, 1L, Long::sum);
                Site at = plan.stayAt(ev, t).map(st -> plan.site(st.site())).orElse(plan.site(plan.ev(ev).home()));
                lines.add(TimeSeriesWriter.line(new Reading(ev, "evs", plan.ev(ev).home(), q, start, null, null, null,
                        null, null, null, at.lat(), at.lon(), plan.socUpperBound(ev, t), false)));
            }
        }
    }
}
