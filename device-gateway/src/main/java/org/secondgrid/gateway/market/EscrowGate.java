package org.secondgrid.gateway.market;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Instance;

/**
 * Bids need enough escrow at gate closure, so a settlement never fails for lack of funds. The gateway does not talk
 * to the chain itself: whoever runs settlement hands it a check (settlement's {@code EscrowCheck#missingJpyByBuyer}),
 * taking each buyer's most possible spend in JPY and answering the JPY each buyer is missing (absent or 0 = funded).
 * A buyer that is short loses all of its bids for the day before the matcher runs; nothing else changes.
 */
public interface EscrowGate extends Function<Map<String, Double>, Map<String, Double>> {

    /** The outcome of the check on one instance: the instance with funded bids only, and who was dropped why. */
    record Checked(Instance instance, Map<String, Double> missingJpyByBuyer) {
        public String note() {
            if (missingJpyByBuyer.isEmpty()) {
                return null;
            }
            StringBuilder sb = new StringBuilder("bids dropped at gate closure for lack of escrow:");
            missingJpyByBuyer.forEach((b, jpy) -> sb.append(' ').append(b).append(" short ")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", jpy)).append(" JPY;"));
            return sb.substring(0, sb.length() - 1);
        }
    }

    /**
     * The most each buyer can spend on its bids: every bid fully delivered at its price, or undelivered and charged
     * at the backup retailer's imbalance price, whichever is more.
     */
    static Map<String, Double> maxSpend(List<Bid> bids, double imbalanceJpyPerKwh) {
        Map<String, Double> out = new TreeMap<>();
        for (Bid b : bids) {
            out.merge(b.site(), b.kwh() * Math.max(b.bidJpyPerKwh(), imbalanceJpyPerKwh), Double::sum);
        }
        return out;
    }

    /** Applies the check: drops every bid of a buyer the gate says is short. */
    static Checked apply(EscrowGate gate, Instance in, double imbalanceJpyPerKwh) {
        Map<String, Double> missing = new TreeMap<>();
        gate.apply(maxSpend(in.bids(), imbalanceJpyPerKwh)).forEach((buyer, jpy) -> {
            if (jpy != null && jpy > 0) {
                missing.put(buyer, jpy);
            }
        });
        if (missing.isEmpty()) {
            return new Checked(in, Map.of());
        }
        List<Bid> funded = in.bids().stream().filter(b -> !missing.containsKey(b.site())).toList();
        Instance out = new Instance(in.modelVersion(), in.market(), in.deliveryDay(), in.timeZone(), in.slots(),
                in.slotMinutes(), in.gridFeeJpyPerKwh(), in.speedKmh(), in.feeders(), in.sites(), in.offers(), funded,
                in.evs(), in.distancesKm());
        return new Checked(out, Map.copyOf(missing));
    }
}
