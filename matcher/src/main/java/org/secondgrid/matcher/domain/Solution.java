package org.secondgrid.matcher.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/** A cleared delivery day, as in {@code shared/spec/market-model.md} (model version 1). */
public record Solution(int modelVersion, String market, LocalDate deliveryDay, double welfareJpy,
                       SolverInfo solver, List<GridDelivery> grid, List<Itinerary> itineraries,
                       List<Trade> trades, List<Payment> payments, List<Pool> pools,
                       double curtailedKwh, double unmetKwh) {

    public Solution {
        grid = List.copyOf(grid);
        itineraries = List.copyOf(itineraries);
        trades = List.copyOf(trades);
        payments = List.copyOf(payments);
        pools = List.copyOf(pools);
    }

    /** Which solver produced it, how long it ran and its final score. */
    public record SolverInfo(String name, double seconds, String score) {
    }

    /** Energy {@code seller -> buyer} through the grid in one slot (kWh). */
    public record GridDelivery(String seller, String buyer, int slot, double kwh) {
    }

    /** One EV's day: its stops in order (it drives from home to the first and from the last home). */
    public record Itinerary(String ev, List<Stop> stops) {
        public Itinerary {
            stops = List.copyOf(stops);
        }
    }

    /** A run of whole slots {@code arrive..depart} at one site; {@code slots} lists only slots with energy. */
    public record Stop(String site, int arrive, int depart, List<StopSlot> slots) {
        public Stop {
            slots = List.copyOf(slots);
        }
    }

    /** Energy in one slot of a stop: a charge (taken from the site) or a discharge (into its load), kWh. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StopSlot(int slot, Double chargeKwh, Double dischargeKwh) {
        public double charge() {
            return chargeKwh == null ? 0 : chargeKwh;
        }

        public double discharge() {
            return dischargeKwh == null ? 0 : dischargeKwh;
        }
    }

    /** Traceability: which seller's energy reached which buyer, through which channel ("grid" or an EV id). */
    public record Trade(String seller, String buyer, int slot, String channel, double kwhSold, double kwhDelivered) {
    }

    /** A money flow of one pool. */
    public record Payment(String pool, String payer, String payee, double jpy) {
    }

    /** A pool's value V, cost C, fees F and surplus S = V - C - F. */
    public record Pool(String pool, double valueJpy, double costJpy, double feesJpy, double surplusJpy) {
    }
}
