package org.secondgrid.settlement.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.settlement.ledger.LedgerTrade.Kind;
import org.secondgrid.settlement.ledger.SolutionFile.Payment;
import org.secondgrid.settlement.ledger.SolutionFile.Trade;

/**
 * Allocates metered delivery to a day's trades and prices the imbalance (rule in settlement/README.md).
 *
 * <ol>
 *   <li>Per trade k in slot t: scheduled {@code s_k} = kwhDelivered in Wh; its source X (seller for grid, EV for EV
 *       trades) and its buyer j. Factors {@code f_X = min(1, M_X/S_X)}, {@code f_j = min(1, M_j/S_j)} where M is
 *       metered and S the party's scheduled total in t.</li>
 *   <li>Delivered {@code d_k = floor(s_k * min(f_X, f_j))} Wh: pro rata of the schedule, capped by both meters.
 *       Money scales with it: {@code amount_k = floor(A_k * d_k / s_k)}, {@code fee_k = floor(F_k * d_k / s_k)}, where A_k and
 *       F_k are the trade's share (by s_k) of its pool's buyer->seller and buyer->carrier payments.</li>
 *   <li>Imbalance with the backup retailer at the imbalance price p, per party and slot:
 *       short {@code max(0, S-M)} is paid by the party (it deviated); over {@code max(0, M-S)} is sold to the
 *       retailer by a source and bought from it by a buyer; stranded {@code min(M,S) - allocated} at a source
 *       (delivered, but its buyer took less) is bought by the retailer.</li>
 * </ol>
 */
public final class Allocator {

    private final long imbalanceCentsPerKwh;

    /** @param imbalanceJpyPerKwh price of imbalance energy with the backup retailer, JPY/kWh (>= 0) */
    public Allocator(double imbalanceJpyPerKwh) {
        if (imbalanceJpyPerKwh < 0 || Double.isNaN(imbalanceJpyPerKwh)) {
            throw new IllegalArgumentException("imbalance price must be >= 0 JPY/kWh, was " + imbalanceJpyPerKwh);
        }
        this.imbalanceCentsPerKwh = Math.round(imbalanceJpyPerKwh * 100);
    }

    /** Coin units (0.01 JPY) for {@code wh} at the imbalance price, rounded half up. */
    public long imbalanceAmount(long wh) {
        return (wh * imbalanceCentsPerKwh + 500) / 1000;
    }

    public List<LedgerTrade> allocate(SolutionFile solution, MeteredDay metered) {
        Map<String, Long> m = metered.whByPartySlot();
        List<Trade> trades = solution.trades();
        Map<String, Long> schedSrc = new HashMap<>();
        Map<String, Long> schedSink = new HashMap<>();
        long[] s = new long[trades.size()];
        for (int k = 0; k < trades.size(); k++) {
            Trade t = trades.get(k);
            s[k] = Math.round(t.kwhDelivered() * 1000.0);
            schedSrc.merge(MeteredDay.key(t.source(), t.slot()), s[k], Long::sum);
            schedSink.merge(MeteredDay.key(t.buyer(), t.slot()), s[k], Long::sum);
        }
        long[][] money = moneyPerTrade(solution, s);

        List<LedgerTrade> out = new ArrayList<>();
        Map<String, Long> allocSrc = new HashMap<>();
        for (int k = 0; k < trades.size(); k++) {
            Trade t = trades.get(k);
            if (s[k] == 0) {
                continue;
            }
            String src = MeteredDay.key(t.source(), t.slot());
            String sink = MeteredDay.key(t.buyer(), t.slot());
            long mSrc = m.getOrDefault(src, 0L);
            long sSrc = schedSrc.get(src);
            long mSink = m.getOrDefault(sink, 0L);
            long sSink = schedSink.get(sink);
            // min(1, mSrc/sSrc, mSink/sSink) as a fraction num/den
            long num = 1;
            long den = 1;
            if (mSrc * den < num * sSrc) {
                num = mSrc;
                den = sSrc;
            }
            if (mSink * den < num * sSink) {
                num = mSink;
                den = sSink;
            }
            long d = Math.multiplyExact(s[k], num) / den;
            allocSrc.merge(src, d, Long::sum);
            if (d == 0) {
                continue;
            }
            long amount = Math.multiplyExact(money[k][0], d) / s[k];
            long fee = Math.multiplyExact(money[k][1], d) / s[k];
            out.add(new LedgerTrade(t.seller(), t.buyer(), t.viaGrid() ? null : t.channel(), t.slot(), Kind.ENERGY, d, amount, fee));
        }
        imbalance(schedSrc, m, allocSrc, true, out);
        imbalance(schedSink, m, null, false, out);
        return out;
    }

    private void imbalance(Map<String, Long> sched, Map<String, Long> metered, Map<String, Long> alloc, boolean source,
                           List<LedgerTrade> out) {
        sched.keySet().stream().sorted().forEach(key -> {
            int at = key.lastIndexOf('@');
            String party = key.substring(0, at);
            int slot = Integer.parseInt(key.substring(at + 1));
            long sWh = sched.get(key);
            long mWh = metered.getOrDefault(key, 0L);
            long shortWh = Math.max(0, sWh - mWh);
            long overWh = Math.max(0, mWh - sWh);
            if (shortWh > 0) { // the party deviated: it pays for the gap
                out.add(imb(LedgerTrade.RETAILER, party, slot, shortWh));
            }
            if (overWh > 0) {
                out.add(source ? imb(party, LedgerTrade.RETAILER, slot, overWh) : imb(LedgerTrade.RETAILER, party, slot, overWh));
            }
            if (source) {
                long stranded = Math.min(mWh, sWh) - alloc.getOrDefault(key, 0L);
                if (stranded > 0) {
                    out.add(imb(party, LedgerTrade.RETAILER, slot, stranded));
                }
            }
        });
    }

    private LedgerTrade imb(String seller, String buyer, int slot, long wh) {
        return new LedgerTrade(seller, buyer, null, slot, Kind.IMBALANCE, wh, imbalanceAmount(wh), 0);
    }

    /** [k][0] = scheduled buyer->seller coin units of trade k, [k][1] = scheduled fee units. */
    private static long[][] moneyPerTrade(SolutionFile solution, long[] s) {
        List<Trade> trades = solution.trades();
        // pool of a trade: grid:{seller}:{buyer}:{slot} or the EV id
        Map<String, Long> paid = new HashMap<>(); // pool|payer|payee -> units
        for (Payment p : solution.payments()) {
            paid.merge(p.pool() + "|" + p.payer() + "|" + p.payee(), Math.round(p.jpy() * 100), Long::sum);
        }
        Map<String, Long> feeTo = new HashMap<>(); // pool|payer -> fee units (payee neither a seller of that buyer nor ...)
        Map<String, Long> sellerShare = new HashMap<>(); // pool|buyer|seller -> sum s
        Map<String, Long> buyerShare = new HashMap<>(); // pool|buyer -> sum s
        for (int k = 0; k < trades.size(); k++) {
            Trade t = trades.get(k);
            String pool = pool(t);
            sellerShare.merge(pool + "|" + t.buyer() + "|" + t.seller(), s[k], Long::sum);
            buyerShare.merge(pool + "|" + t.buyer(), s[k], Long::sum);
        }
        for (Payment p : solution.payments()) {
            boolean toSeller = sellerShare.containsKey(p.pool() + "|" + p.payer() + "|" + p.payee());
            if (!toSeller) {
                feeTo.merge(p.pool() + "|" + p.payer(), Math.round(p.jpy() * 100), Long::sum);
            }
        }
        long[][] out = new long[trades.size()][2];
        for (int k = 0; k < trades.size(); k++) {
            Trade t = trades.get(k);
            String pool = pool(t);
            long ss = sellerShare.get(pool + "|" + t.buyer() + "|" + t.seller());
            long bs = buyerShare.get(pool + "|" + t.buyer());
            if (ss > 0) {
                out[k][0] = Math.multiplyExact(paid.getOrDefault(pool + "|" + t.buyer() + "|" + t.seller(), 0L), s[k]) / ss;
            }
            if (bs > 0) {
                out[k][1] = Math.multiplyExact(feeTo.getOrDefault(pool + "|" + t.buyer(), 0L), s[k]) / bs;
            }
        }
        return out;
    }

    static String pool(Trade t) {
        return t.viaGrid() ? "grid:" + t.seller() + ":" + t.buyer() + ":" + t.slot() : t.channel();
    }
}
