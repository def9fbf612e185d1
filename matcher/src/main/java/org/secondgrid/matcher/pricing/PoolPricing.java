package org.secondgrid.matcher.pricing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Solution.Payment;
import org.secondgrid.matcher.domain.Solution.Pool;
import org.secondgrid.matcher.domain.Solution.Trade;
import org.secondgrid.matcher.solver.EnergyAction;
import org.secondgrid.matcher.solver.GridClearing;
import org.secondgrid.matcher.solver.MarketIndex;

/**
 * Pools, payments and trade records exactly as the model contract says. Each grid delivery is a pool, each EV's
 * day is a pool. In a pool with value V, cost C, fees F and surplus S = V - C - F, buyer j pays
 * {@code bid_j·e_j − k·S·(bid_j·e_j / V)}, seller i gets {@code ask_i·c_i + (1−k)·S·(c_i / Σc)}, the fees go to the
 * EV owner (payee = the EV id) or the grid operator (payee "grid"). Values are computed exactly in 1e-5 JPY.
 */
public final class PoolPricing {

    /** Payee of grid fees. */
    public static final String GRID_OPERATOR = "grid";
    public static final double DEFAULT_K = 0.5;

    /** Everything priced: pools, payments, trade records and the welfare (sum of pool surpluses, 1e-5 JPY). */
    public record Priced(List<Pool> pools, List<Payment> payments, List<Trade> trades, long welfareUnits) {
    }

    /** One EV's energy actions in time order. */
    public record EvDay(Ev ev, double km, List<EnergyAction> actions) {
    }

    private final MarketIndex m;
    private final double k;
    private final List<Pool> pools = new ArrayList<>();
    private final List<Payment> payments = new ArrayList<>();
    private final List<Trade> trades = new ArrayList<>();
    private long welfare;

    private PoolPricing(MarketIndex m, double k) {
        if (!(k >= 0 && k <= 1)) {
            throw new IllegalArgumentException("k=" + k + " must be in [0, 1]");
        }
        this.m = m;
        this.k = k;
    }

    public static Priced price(MarketIndex m, List<GridClearing.Flow> grid, List<EvDay> evs, double k) {
        PoolPricing p = new PoolPricing(m, k);
        for (GridClearing.Flow f : grid) {
            p.gridPool(f);
        }
        for (EvDay d : evs) {
            if (!d.actions().isEmpty()) {
                p.evPool(d);
            }
        }
        return new Priced(p.pools, p.payments, p.trades, p.welfare);
    }

    private static double round2(double jpy) {
        return Math.round(jpy * 100) / 100.0;
    }

    private static double kwh(double wh) {
        return Math.round(wh) / 1000.0;
    }

    private void gridPool(GridClearing.Flow f) {
        String seller = m.site(f.seller()).id();
        String buyer = m.site(f.buyer()).id();
        String name = "grid:" + seller + ":" + buyer + ":" + f.slot();
        long v = m.bidCents(f.buyer(), f.slot()) * f.wh();
        long c = m.askCents(f.seller(), f.slot()) * f.wh();
        long fee = m.gridFeeCents() * f.wh();
        long s = v - c - fee;
        welfare += s;
        pools.add(new Pool(name, jpy(v), jpy(c), jpy(fee), jpy(s)));
        double toSeller = MarketIndex.jpy(c) + (1 - k) * MarketIndex.jpy(s);
        payments.add(new Payment(name, buyer, seller, round2(toSeller)));
        if (fee > 0) {
            payments.add(new Payment(name, buyer, GRID_OPERATOR, jpy(fee)));
        }
        trades.add(new Trade(seller, buyer, f.slot(), "grid", kwh(f.wh()), kwh(f.wh())));
    }

    private static double jpy(long units) {
        return round2(MarketIndex.jpy(units));
    }

    private void evPool(EvDay d) {
        Ev ev = d.ev();
        Map<Integer, Long> valueByBuyer = new LinkedHashMap<>();
        Map<Integer, Long> costBySeller = new LinkedHashMap<>();
        Map<Integer, Long> whBySeller = new LinkedHashMap<>();
        long v = 0;
        long c = 0;
        long delivered = 0;
        long charged = 0;
        for (EnergyAction a : d.actions()) {
            if (a.charge()) {
                long cost = m.askCents(a.site(), a.slot()) * a.wh();
                costBySeller.merge(a.site(), cost, Long::sum);
                whBySeller.merge(a.site(), a.wh(), Long::sum);
                c += cost;
                charged += a.wh();
            } else {
                long value = m.bidCents(a.site(), a.slot()) * a.wh();
                valueByBuyer.merge(a.site(), value, Long::sum);
                v += value;
                delivered += a.wh();
            }
        }
        long fee = MarketIndex.cents(ev.feeJpyPerKwh()) * delivered + Math.round(ev.feeJpyPerKm() * d.km() * 1e5);
        long s = v - c - fee;
        welfare += s;
        pools.add(new Pool(ev.id(), jpy(v), jpy(c), jpy(fee), jpy(s)));
        // what each receiver is owed: sellers their ask plus their share of (1-k)·S, the EV owner its fees
        Map<String, Double> owed = new LinkedHashMap<>();
        double sJpy = MarketIndex.jpy(s);
        for (Map.Entry<Integer, Long> e : costBySeller.entrySet()) {
            double share = charged == 0 ? 0 : (double) whBySeller.get(e.getKey()) / charged;
            owed.merge(m.site(e.getKey()).id(), MarketIndex.jpy(e.getValue()) + (1 - k) * sJpy * share, Double::sum);
        }
        owed.merge(ev.id(), MarketIndex.jpy(fee), Double::sum);
        double owedTotal = owed.values().stream().mapToDouble(Double::doubleValue).sum();
        // each buyer pays its due, split over the receivers in proportion to what they are owed
        for (Map.Entry<Integer, Long> e : valueByBuyer.entrySet()) {
            double due = MarketIndex.jpy(e.getValue()) - k * sJpy * ((double) e.getValue() / v);
            String buyer = m.site(e.getKey()).id();
            for (Map.Entry<String, Double> r : owed.entrySet()) {
                double amount = owedTotal == 0 ? 0 : due * r.getValue() / owedTotal;
                if (Math.abs(amount) >= 0.005) {
                    payments.add(new Payment(ev.id(), buyer, r.getKey(), round2(amount)));
                }
            }
        }
        fifoTrades(d);
    }

    /** Discharged energy matched first-in-first-out to the energy that entered the battery earliest. */
    private void fifoTrades(EvDay d) {
        Ev ev = d.ev();
        double etaC = ev.chargeEfficiency();
        double etaD = ev.dischargeEfficiency();
        Deque<double[]> battery = new ArrayDeque<>(); // {seller site, Wh in the battery}
        for (EnergyAction a : d.actions()) {
            if (a.charge()) {
                battery.addLast(new double[] {a.site(), etaC * a.wh()});
                continue;
            }
            double need = a.wh() / etaD; // Wh to take out of the battery
            while (need > 1e-9 && !battery.isEmpty()) {
                double[] head = battery.peekFirst();
                double take = Math.min(head[1], need);
                head[1] -= take;
                need -= take;
                if (head[1] <= 1e-9) {
                    battery.pollFirst();
                }
                trades.add(new Trade(m.site((int) head[0]).id(), m.site(a.site()).id(), a.slot(), ev.id(),
                        Math.round(take / etaC) / 1000.0, Math.round(take * etaD) / 1000.0));
            }
        }
    }
}
