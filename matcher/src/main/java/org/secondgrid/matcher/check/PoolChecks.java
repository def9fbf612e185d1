package org.secondgrid.matcher.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.domain.Solution.Payment;
import org.secondgrid.matcher.domain.Solution.Pool;

/**
 * Pools and money: recomputes every pool's V, C, F, S from the schedule, compares the listed pools, and checks
 * each pool's payments: only its parties take part (balance), nobody is worse off than their bid/ask
 * (individual rationality), the fee payee receives exactly F, and each party's net position is the spec's
 * split with k = 0.5 (checked only when the pool has no other money violation, so a wrong payment is reported once).
 */
final class PoolChecks {

    static final double K = 0.5;
    static final String GRID_PAYEE = "grid";

    private PoolChecks() {
    }

    static Map<String, PoolCalc> recompute(InstanceIndex x, Ledger l) {
        Map<String, PoolCalc> pools = new LinkedHashMap<>();
        for (Map.Entry<String, Ledger.GridFlow> e : l.grid.entrySet()) {
            Ledger.GridFlow g = e.getValue();
            PoolCalc pc = new PoolCalc(e.getKey(), GRID_PAYEE);
            double ask = x.askJpy[x.cell(g.seller, g.slot)];
            double bid = x.bidJpy[x.cell(g.buyer, g.slot)];
            PoolCalc.Party seller = pc.party(x.siteId(g.seller));
            seller.soldKwh += g.kwh;
            seller.askValueJpy += ask * g.kwh;
            PoolCalc.Party buyer = pc.party(x.siteId(g.buyer));
            buyer.gotKwh += g.kwh;
            buyer.bidValueJpy += bid * g.kwh;
            pc.value = bid * g.kwh;
            pc.cost = ask * g.kwh;
            pc.fees = x.in.gridFeeJpyPerKwh() * g.kwh;
            pc.records = g.records;
            pools.put(pc.name, pc);
        }
        for (EvPlan plan : l.planList) {
            if (plan.stops.isEmpty()) {
                continue;
            }
            Ev ev = plan.ev;
            PoolCalc pc = new PoolCalc(ev.id(), ev.id());
            double discharged = 0;
            for (int t = 0; t < x.slots; t++) {
                int site = plan.siteAt[t];
                if (site < 0) {
                    continue;
                }
                int c = x.cell(site, t);
                if (plan.charge[t] > 0) {
                    PoolCalc.Party p = pc.party(x.siteId(site));
                    p.soldKwh += plan.charge[t];
                    p.askValueJpy += x.askJpy[c] * plan.charge[t];
                    pc.cost += x.askJpy[c] * plan.charge[t];
                }
                if (plan.discharge[t] > 0) {
                    PoolCalc.Party p = pc.party(x.siteId(site));
                    p.gotKwh += plan.discharge[t];
                    p.bidValueJpy += x.bidJpy[c] * plan.discharge[t];
                    pc.value += x.bidJpy[c] * plan.discharge[t];
                    discharged += plan.discharge[t];
                }
            }
            pc.fees = ev.feeJpyPerKwh() * discharged + ev.feeJpyPerKm() * plan.km;
            pc.records = plan.records + 1;
            pools.put(pc.name, pc);
        }
        return pools;
    }

    static void run(Map<String, PoolCalc> pools, Solution s, Violations out) {
        listed(pools, s.pools(), out);
        for (PoolCalc pc : pools.values()) {
            if (pc.surplus() < -Fmt.jpyTol(pc.records)) {
                out.add("pool-surplus", "pool " + pc.name + ": S = V " + Fmt.jpy(pc.value) + " - C " + Fmt.jpy(pc.cost)
                        + " - F " + Fmt.jpy(pc.fees) + " = " + Fmt.jpy(pc.surplus()) + " JPY < 0");
            }
        }
        Map<String, List<Integer>> byPool = new HashMap<>();
        List<Payment> payments = s.payments();
        for (int k = 0; k < payments.size(); k++) {
            Payment p = payments.get(k);
            if (p.pool() == null || !pools.containsKey(p.pool())) {
                out.add("unknown-reference", "payments[" + k + "].pool '" + p.pool()
                        + "' is not a pool of this solution (no grid delivery or itinerary makes it)");
                continue;
            }
            if (!(p.jpy() >= 0) || Double.isInfinite(p.jpy())) {
                out.add("pool-balance", "payments[" + k + "] of pool " + p.pool() + " (" + p.payer() + " -> "
                        + p.payee() + ") has jpy " + p.jpy() + "; a payment is a finite amount >= 0");
                continue;
            }
            byPool.computeIfAbsent(p.pool(), key -> new ArrayList<>()).add(k);
        }
        for (PoolCalc pc : pools.values()) {
            money(pc, payments, byPool.getOrDefault(pc.name, List.of()), out);
        }
    }

    private static void listed(Map<String, PoolCalc> pools, List<Pool> listed, Violations out) {
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < listed.size(); k++) {
            Pool p = listed.get(k);
            PoolCalc pc = p.pool() == null ? null : pools.get(p.pool());
            if (pc == null) {
                out.add("unknown-reference", "pools[" + k + "] '" + p.pool()
                        + "' is not a pool of this solution (no grid delivery or itinerary makes it)");
                continue;
            }
            if (!seen.add(p.pool())) {
                out.add("duplicate", "pools[" + k + "] lists pool " + p.pool() + " a second time");
                continue;
            }
            double tol = Fmt.jpyTol(pc.records);
            List<String> wrong = new ArrayList<>();
            compare(wrong, "valueJpy", p.valueJpy(), pc.value, tol);
            compare(wrong, "costJpy", p.costJpy(), pc.cost, tol);
            compare(wrong, "feesJpy", p.feesJpy(), pc.fees, tol);
            compare(wrong, "surplusJpy", p.surplusJpy(), pc.surplus(), tol);
            if (!wrong.isEmpty()) {
                out.add("pool-values", "pool " + pc.name + ": " + String.join(", ", wrong));
            }
        }
        for (PoolCalc pc : pools.values()) {
            if (!seen.contains(pc.name) && !pc.empty()) {
                out.add("pool-values", "pool " + pc.name + " is missing from pools (recomputed V " + Fmt.jpy(pc.value)
                        + ", C " + Fmt.jpy(pc.cost) + ", F " + Fmt.jpy(pc.fees) + ", S " + Fmt.jpy(pc.surplus()) + ")");
            }
        }
    }

    private static void compare(List<String> wrong, String field, double reported, double recomputed, double tol) {
        if (Fmt.differs(reported, recomputed, tol)) {
            wrong.add(field + " " + Fmt.jpy(reported) + " != recomputed " + Fmt.jpy(recomputed));
        }
    }

    private static void money(PoolCalc pc, List<Payment> all, List<Integer> mine, Violations out) {
        Map<String, Double> paid = new LinkedHashMap<>();
        Map<String, Double> received = new LinkedHashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (int k : mine) {
            Payment p = all.get(k);
            paid.merge(String.valueOf(p.payer()), p.jpy(), Double::sum);
            received.merge(String.valueOf(p.payee()), p.jpy(), Double::sum);
            count.merge(String.valueOf(p.payer()), 1, Integer::sum);
            count.merge(String.valueOf(p.payee()), 1, Integer::sum);
        }
        int before = out.count();
        Set<String> outsiders = new java.util.LinkedHashSet<>();
        outsiders.addAll(paid.keySet());
        outsiders.addAll(received.keySet());
        outsiders.removeIf(id -> pc.parties.containsKey(id) || id.equals(pc.feePayee));
        for (String id : outsiders) {
            out.add("pool-balance", "pool " + pc.name + ": " + id + " pays " + Fmt.jpy(paid.getOrDefault(id, 0.0))
                    + " JPY and receives " + Fmt.jpy(received.getOrDefault(id, 0.0))
                    + " JPY but is not a buyer, seller or fee payee of the pool");
        }
        for (Map.Entry<String, PoolCalc.Party> e : pc.parties.entrySet()) {
            String id = e.getKey();
            PoolCalc.Party party = e.getValue();
            if (id.equals(pc.feePayee)) {
                continue;
            }
            double in = received.getOrDefault(id, 0.0);
            double outJpy = paid.getOrDefault(id, 0.0);
            double tol = Fmt.jpyTol(count.getOrDefault(id, 0) + 1);
            double reservation = party.askValueJpy - party.bidValueJpy;
            if (in - outJpy < reservation - tol) {
                if (!party.seller()) {
                    out.add("individual-rationality", "pool " + pc.name + ": buyer " + id + " pays "
                            + Fmt.jpy(outJpy - in) + " JPY > its bid value " + Fmt.jpy(party.bidValueJpy) + " JPY ("
                            + Fmt.kwh(party.gotKwh) + " kWh)");
                } else if (!party.buyer()) {
                    out.add("individual-rationality", "pool " + pc.name + ": seller " + id + " receives "
                            + Fmt.jpy(in - outJpy) + " JPY < its ask value " + Fmt.jpy(party.askValueJpy) + " JPY ("
                            + Fmt.kwh(party.soldKwh) + " kWh)");
                } else {
                    out.add("individual-rationality", "pool " + pc.name + ": site " + id
                            + " (seller and buyer) nets " + Fmt.jpy(in - outJpy) + " JPY < ask value "
                            + Fmt.jpy(party.askValueJpy) + " - bid value " + Fmt.jpy(party.bidValueJpy) + " JPY");
                }
            }
        }
        double feeNet = received.getOrDefault(pc.feePayee, 0.0) - paid.getOrDefault(pc.feePayee, 0.0);
        if (Fmt.differs(feeNet, pc.fees, Fmt.jpyTol(count.getOrDefault(pc.feePayee, 0) + 1))) {
            out.add("fee-payee", "pool " + pc.name + ": fee payee " + pc.feePayee + " receives " + Fmt.jpy(feeNet)
                    + " JPY but the pool's fees are " + Fmt.jpy(pc.fees) + " JPY");
        }
        if (out.count() > before || pc.surplus() < -Fmt.jpyTol(pc.records)) {
            return;
        }
        split(pc, paid, received, count, out);
    }

    /** Each party's net position must be the spec's split of S (buyers get k·S by value, sellers (1−k)·S by kWh). */
    private static void split(PoolCalc pc, Map<String, Double> paid, Map<String, Double> received,
                              Map<String, Integer> count, Violations out) {
        double s = pc.surplus();
        double soldKwh = pc.soldKwh();
        for (Map.Entry<String, PoolCalc.Party> e : pc.parties.entrySet()) {
            String id = e.getKey();
            if (id.equals(pc.feePayee)) {
                continue;
            }
            PoolCalc.Party party = e.getValue();
            double sellerGets = party.askValueJpy + (soldKwh > 0 ? (1 - K) * s * party.soldKwh / soldKwh : 0);
            double buyerPays = party.bidValueJpy - (pc.value > 0 ? K * s * party.bidValueJpy / pc.value : 0);
            double expected = sellerGets - buyerPays;
            double net = received.getOrDefault(id, 0.0) - paid.getOrDefault(id, 0.0);
            if (Fmt.differs(net, expected, Fmt.jpyTol(count.getOrDefault(id, 0) + 1))) {
                boolean pays = !party.seller();
                String role = party.seller() && party.buyer() ? "site " + id + " (seller and buyer) nets "
                        : party.seller() ? "seller " + id + " receives " : "buyer " + id + " pays ";
                out.add("pool-split", "pool " + pc.name + ": " + role + Fmt.jpy(pays ? -net : net)
                        + " JPY, the split of S " + Fmt.jpy(s) + " JPY with k = " + K + " gives "
                        + Fmt.jpy(pays ? -expected : expected) + " JPY");
            }
        }
    }
}
