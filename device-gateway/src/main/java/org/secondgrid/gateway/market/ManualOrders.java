package org.secondgrid.gateway.market;

import java.util.List;

/** A site's manual per-slot orders for one delivery day (at most one offer and one bid per slot). */
public record ManualOrders(List<Offer> offers, List<Bid> bids) {

    public ManualOrders {
        offers = List.copyOf(offers);
        bids = List.copyOf(bids);
    }

    public record Offer(int slot, double kwh, double askJpyPerKwh) {
    }

    public record Bid(int slot, double kwh, double bidJpyPerKwh) {
    }
}
