package org.secondgrid.gateway.delivery;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;

/**
 * A small delivery day: a no-backflow factory sells to two houses through two EVs (6 kWh each, slots 20–21,
 * delivered 2.7 kWh in slots 24–25), house-b sells 1.5 kWh to the shop through the grid in slot 20.
 */
public final class Fixtures {

    public static final LocalDate DAY = LocalDate.of(2026, 12, 5);

    private Fixtures() {
    }

    /** @param houseAPorts ports at house-a; @param ev2ToHouseA ev-2 delivers at house-a in slot 26 instead of house-b in 24–25 */
    public static Instance instance(String market, int houseAPorts) {
        List<Offer> offers = new ArrayList<>();
        for (int t = 20; t <= 23; t++) {
            offers.add(new Offer("factory", t, 20, 5));
        }
        offers.add(new Offer("house-b", 20, 2, 8));
        List<Bid> bids = new ArrayList<>();
        for (int t = 24; t <= 27; t++) {
            bids.add(new Bid("house-a", t, 4, 30));
            bids.add(new Bid("house-b", t, 4, 30));
        }
        bids.add(new Bid("shop", 20, 5, 28));
        return new Instance(1, market, DAY, "Asia/Tokyo", 48, 30, 8, 30,
                List.of(new Feeder("F1", 0), new Feeder("F2", 0)),
                List.of(new Site("factory", "F1", 37.50, 139.90, 0, 2, 6, 0),
                        new Site("house-a", "F1", 37.49, 139.93, 3, houseAPorts, 6, 6),
                        new Site("house-b", "F2", 37.48, 139.94, 3, 1, 6, 6),
                        new Site("shop", "F2", 37.48, 139.95, 10, 0, 0, 0)),
                offers, bids,
                List.of(ev("ev-1", "house-a"), ev("ev-2", "house-b")), null);
    }

    static Ev ev(String id, String home) {
        return new Ev(id, home, 40, 20, 8, 6, 6, 0.95, 0.95, 0.15, 18, 30, 4, 20);
    }

    static Solution.StopSlot charge(int slot, double kwh) {
        return new Solution.StopSlot(slot, kwh, null);
    }

    static Solution.StopSlot discharge(int slot, double kwh) {
        return new Solution.StopSlot(slot, null, kwh);
    }

    /** The schedule described above; with {@code ev2ToHouseA}, ev-2 charges 3 kWh in slot 20 and delivers 2.7 at house-a in slot 26. */
    public static Solution solution(String market, boolean ev2ToHouseA) {
        Solution.Itinerary ev1 = new Solution.Itinerary("ev-1", List.of(
                new Solution.Stop("factory", 19, 22, List.of(charge(20, 3), charge(21, 3))),
                new Solution.Stop("house-a", 23, 27, List.of(discharge(24, 2.7), discharge(25, 2.7)))));
        Solution.Itinerary ev2 = ev2ToHouseA
                ? new Solution.Itinerary("ev-2", List.of(
                        new Solution.Stop("factory", 19, 22, List.of(charge(20, 3))),
                        new Solution.Stop("house-a", 23, 27, List.of(discharge(26, 2.7)))))
                : new Solution.Itinerary("ev-2", List.of(
                        new Solution.Stop("factory", 19, 22, List.of(charge(20, 3), charge(21, 3))),
                        new Solution.Stop("house-b", 23, 27, List.of(discharge(24, 2.7), discharge(25, 2.7)))));
        List<Solution.Trade> trades = List.of(
                new Solution.Trade("house-b", "shop", 20, "grid", 1.5, 1.5),
                new Solution.Trade("factory", "house-a", 24, "ev-1", 2.992, 2.7),
                new Solution.Trade("factory", "house-a", 25, "ev-1", 2.992, 2.7));
        List<Solution.Pool> pools = List.of(
                new Solution.Pool("grid:house-b:shop:20", 42, 12, 12, 18),
                new Solution.Pool("ev-1", 162, 29.92, 21.6, 110.48));
        return new Solution(1, market, DAY, 128.48, new Solution.SolverInfo("test", 0, "0hard/0soft"),
                List.of(new Solution.GridDelivery("house-b", "shop", 20, 1.5)), List.of(ev1, ev2), trades, List.of(),
                pools, 60, 20);
    }
}
