package org.secondgrid.matcher.check;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Solution.Trade;

/**
 * Trade records recomputed independently and compared, summed per (seller, buyer, slot, channel):
 * a grid pool gives one record with kwhSold = kwhDelivered = g; inside an EV pool each discharge e is matched
 * first-in-first-out to the energy charged earliest, e/(ηc·ηd) kWh sold per e kWh delivered.
 * When an EV delivers more than it took (its traded energy goes negative), its FIFO attribution is undefined
 * and its trade records are not compared (the battery check reports it).
 */
final class TradeChecks {

    record Key(String seller, String buyer, int slot, String channel) {
        @Override
        public String toString() {
            return seller + " -> " + buyer + " slot " + slot + " via " + channel;
        }
    }

    private static final class Sum {
        double sold;
        double delivered;
        int records;
    }

    private TradeChecks() {
    }

    private static Sum add(Sum a, Sum b) {
        a.sold += b.sold;
        a.delivered += b.delivered;
        a.records += b.records;
        return a;
    }

    static void run(InstanceIndex x, Ledger l, List<Trade> reported, Violations out) {
        Map<Key, Sum> expected = new LinkedHashMap<>();
        for (Ledger.GridFlow g : l.grid.values()) {
            Sum s = expected.computeIfAbsent(new Key(x.siteId(g.seller), x.siteId(g.buyer), g.slot, "grid"),
                    k -> new Sum());
            s.sold += g.kwh;
            s.delivered += g.kwh;
            s.records += g.records;
        }
        Set<String> undefined = new HashSet<>();
        for (EvPlan plan : l.planList) {
            Map<Key, Sum> mine = new LinkedHashMap<>();
            if (fifo(x, plan, mine)) {
                mine.forEach((k, v) -> expected.merge(k, v, TradeChecks::add));
            } else {
                undefined.add(plan.ev.id());
            }
        }
        Map<Key, Sum> got = new LinkedHashMap<>();
        for (int k = 0; k < reported.size(); k++) {
            Trade t = reported.get(k);
            if (undefined.contains(t.channel())) {
                continue;
            }
            if (!Double.isFinite(t.kwhSold()) || !Double.isFinite(t.kwhDelivered())) {
                out.add("trades", "trades[" + k + "] has kwhSold " + t.kwhSold() + ", kwhDelivered "
                        + t.kwhDelivered() + "; both must be finite numbers");
                continue;
            }
            Sum s = got.computeIfAbsent(new Key(t.seller(), t.buyer(), t.slot(), t.channel()), key -> new Sum());
            s.sold += t.kwhSold();
            s.delivered += t.kwhDelivered();
            s.records++;
        }
        Sum none = new Sum();
        for (Map.Entry<Key, Sum> e : expected.entrySet()) {
            Sum want = e.getValue();
            Sum have = got.getOrDefault(e.getKey(), none);
            double tol = Fmt.kwhTol(want.records + have.records);
            if (Fmt.differs(have.sold, want.sold, tol) || Fmt.differs(have.delivered, want.delivered, tol)) {
                String source = "grid".equals(e.getKey().channel()) ? "the grid delivery" : "FIFO attribution";
                out.add("trades", e.getKey() + ": " + (have.records == 0 ? "no record"
                        : "records give kwhSold " + Fmt.kwh(have.sold) + " / kwhDelivered " + Fmt.kwh(have.delivered))
                        + ", " + source + " gives " + Fmt.kwh(want.sold) + " / " + Fmt.kwh(want.delivered));
            }
        }
        for (Map.Entry<Key, Sum> e : got.entrySet()) {
            Sum have = e.getValue();
            if (!expected.containsKey(e.getKey())
                    && (Fmt.differs(have.sold, 0, Fmt.kwhTol(have.records))
                    || Fmt.differs(have.delivered, 0, Fmt.kwhTol(have.records)))) {
                out.add("trades", e.getKey() + ": records give kwhSold " + Fmt.kwh(have.sold) + " / kwhDelivered "
                        + Fmt.kwh(have.delivered) + " but no delivery in the schedule matches");
            }
        }
    }

    /** Adds the EV's FIFO trades; false when it delivers more than it holds (attribution undefined). */
    private static boolean fifo(InstanceIndex x, EvPlan plan, Map<Key, Sum> expected) {
        Ev ev = plan.ev;
        double eta = ev.chargeEfficiency() * ev.dischargeEfficiency();
        ArrayDeque<double[]> queue = new ArrayDeque<>();
        int records = 0;
        for (int t = 0; t < x.slots; t++) {
            records += plan.recordsAt[t];
            if (plan.charge[t] > 0) {
                queue.addLast(new double[] {plan.siteAt[t], plan.charge[t]});
            }
            if (plan.discharge[t] <= 0) {
                continue;
            }
            String buyer = x.siteId(plan.siteAt[t]);
            double need = plan.discharge[t] / eta;
            while (need > Fmt.EPS && !queue.isEmpty()) {
                double[] head = queue.peekFirst();
                double take = Math.min(need, head[1]);
                Sum s = expected.computeIfAbsent(new Key(x.siteId((int) head[0]), buyer, t, ev.id()), k -> new Sum());
                s.sold += take;
                s.delivered += take * eta;
                s.records++;
                need -= take;
                head[1] -= take;
                if (head[1] <= Fmt.EPS) {
                    queue.pollFirst();
                }
            }
            if (need > Fmt.kwhTol(records)) {
                return false;
            }
        }
        return true;
    }
}
