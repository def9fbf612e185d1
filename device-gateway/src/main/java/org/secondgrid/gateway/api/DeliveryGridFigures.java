package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.secondgrid.gateway.delivery.DeliveryStore;

/**
 * Imbalance and backflow per slot and feeder from delivery's store (sums over each feeder's sites: no
 * participant's data). {@code available} is true once delivery closed at least one slot of the day.
 */
public final class DeliveryGridFigures implements GridFigures {

    private final DeliveryStore store;
    private final Supplier<List<String>> markets;

    public DeliveryGridFigures(DeliveryStore store, Supplier<List<String>> markets) {
        this.store = store;
        this.markets = markets;
    }

    @Override
    public JsonObject imbalance(LocalDate day) {
        JsonArray feeders = new JsonArray();
        boolean available = false;
        for (String m : markets.get()) {
            available |= !store.closedSlots(m, day).isEmpty();
            Map<String, JsonArray> byFeeder = new TreeMap<>();
            for (DeliveryStore.FeederImbalance f : store.imbalanceByFeeder(m, day)) {
                byFeeder.computeIfAbsent(f.feederId(), k -> new JsonArray()).add(new JsonObject().put("slot", f.slot())
                        .put("kwh", f.imbalanceKwh()).put("retailerKwh", f.retailerKwh()).put("retailerJpy", f.retailerJpy()));
            }
            byFeeder.forEach((f, slots) -> feeders.add(new JsonObject().put("feeder", f).put("market", m).put("slots", slots)));
        }
        return new JsonObject().put("day", day.toString()).put("available", available).put("feeders", feeders)
                .put("note", available ? "metered − scheduled per feeder; + more energy than scheduled"
                        : "delivery has not closed a slot of this day yet");
    }

    @Override
    public JsonObject backflow(LocalDate day) {
        JsonArray feeders = new JsonArray();
        boolean available = false;
        int evCaused = 0;
        for (String m : markets.get()) {
            available |= !store.closedSlots(m, day).isEmpty();
            Map<String, Map<Integer, double[]>> byFeeder = new TreeMap<>();
            for (DeliveryStore.BackflowRow r : store.backflow(m, day)) {
                double[] v = byFeeder.computeIfAbsent(r.event().feederId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.slot(), k -> new double[2]);
                v[0] += r.event().kwhOver();
                v[1] += r.event().evCaused() ? 1 : 0;
                evCaused += r.event().evCaused() ? 1 : 0;
            }
            byFeeder.forEach((f, slots) -> {
                JsonArray a = new JsonArray();
                slots.forEach((slot, v) -> a.add(new JsonObject().put("slot", slot)
                        .put("kwh", Math.round(v[0] * 1000) / 1000.0).put("evCausedSites", (int) v[1])));
                feeders.add(new JsonObject().put("feeder", f).put("market", m).put("slots", a));
            });
        }
        return new JsonObject().put("day", day.toString()).put("available", available).put("feeders", feeders)
                .put("evCausedEvents", evCaused)
                .put("note", available ? "metered export above the connections' export limits, summed per feeder"
                        : "delivery has not closed a slot of this day yet");
    }
}
