package org.secondgrid.matcher.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One delivery day of one market, as in {@code shared/spec/market-model.md} (model version 1).
 * Energy in kWh, power in kW, money in JPY, prices in JPY/kWh, distances in km.
 *
 * @param distancesKm optional explicit distances {@code a -> b -> km}; null = great-circle x 1.3
 */
public record Instance(int modelVersion, String market, LocalDate deliveryDay, String timeZone,
                       int slots, int slotMinutes, double gridFeeJpyPerKwh, double speedKmh,
                       List<Feeder> feeders, List<Site> sites, List<Offer> offers, List<Bid> bids,
                       List<Ev> evs, Map<String, Map<String, Double>> distancesKm) {

    public static final int MODEL_VERSION = 1;

    public Instance {
        feeders = List.copyOf(feeders);
        sites = List.copyOf(sites);
        offers = List.copyOf(offers);
        bids = List.copyOf(bids);
        evs = List.copyOf(evs);
    }

    /** Slot length in hours (Δ). */
    public double slotHours() {
        return slotMinutes / 60.0;
    }
}
