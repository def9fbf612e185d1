package org.secondgrid.gateway.delivery;

import java.util.HashMap;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Solution;

/** Offers, bids and the final schedule's grid flows per (site, slot), for quick look-ups. */
public final class MarketPositions {

    private final Map<String, Offer> offers = new HashMap<>();
    private final Map<String, Bid> bids = new HashMap<>();
    private final Map<String, Double> gridSold = new HashMap<>();
    private final Map<String, Double> gridBought = new HashMap<>();

    public MarketPositions(Instance in, Solution solution) {
        in.offers().forEach(o -> offers.put(key(o.site(), o.slot()), o));
        in.bids().forEach(b -> bids.put(key(b.site(), b.slot()), b));
        for (Solution.GridDelivery g : solution.grid()) {
            gridSold.merge(key(g.seller(), g.slot()), g.kwh(), Double::sum);
            gridBought.merge(key(g.buyer(), g.slot()), g.kwh(), Double::sum);
        }
    }

    static String key(String site, int slot) {
        return site + "\u0000" + slot;
    }

    /** kWh the site sells through the grid in the slot (final schedule). */
    public double gridSold(String site, int slot) {
        return gridSold.getOrDefault(key(site, slot), 0.0);
    }

    /** kWh the site buys through the grid in the slot (final schedule). */
    public double gridBought(String site, int slot) {
        return gridBought.getOrDefault(key(site, slot), 0.0);
    }

    public double offerKwh(String site, int slot) {
        Offer o = offers.get(key(site, slot));
        return o == null ? 0 : o.kwh();
    }

    public double bidKwh(String site, int slot) {
        Bid b = bids.get(key(site, slot));
        return b == null ? 0 : b.kwh();
    }

    public Offer offer(String site, int slot) {
        return offers.get(key(site, slot));
    }

    public Bid bid(String site, int slot) {
        return bids.get(key(site, slot));
    }
}
