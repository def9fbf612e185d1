package org.secondgrid.gateway.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.check.CheckReport;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.solver.MarketSolver;
import org.secondgrid.matcher.solver.SolveOptions;

/** Fixing accepted itineraries on the instance, pricing, and the greedy adapter, checked by the matcher's checker. */
class ScheduleComposerTest {

    /** A factory with surplus (no export), two houses that buy, one of them with an export limit and some PV. */
    static Instance town() {
        List<Site> sites = List.of(
                new Site("factory", "F1", 37.50, 139.92, 0, 2, 50, 0),
                new Site("house-a", "F1", 37.49, 139.93, 0, 1, 6, 6),
                new Site("house-b", "F1", 37.495, 139.925, 2, 1, 6, 6));
        List<Offer> offers = List.of(new Offer("factory", 20, 30, 1), new Offer("factory", 21, 30, 1),
                new Offer("house-b", 22, 1.0, 2));
        List<Bid> bids = List.of(new Bid("house-a", 22, 0.8, 30), new Bid("house-a", 30, 3, 30),
                new Bid("house-a", 31, 3, 30));
        List<Ev> evs = List.of(
                new Ev("ev-1", "house-a", 40, 20, 8, 50, 6, 0.95, 0.95, 0.15, 16, 44, 2, 5),
                new Ev("ev-2", "house-b", 40, 20, 8, 50, 6, 0.95, 0.95, 0.15, 16, 44, 2, 5));
        return new Instance(1, "t", LocalDate.of(2026, 12, 5), "Asia/Tokyo", 48, 30, 8, 30,
                List.of(new Feeder("F1", 0)), sites, offers, bids, evs, null);
    }

    /** ev-1 charges 4 kWh at the factory in slot 20 and discharges all of it (4 x 0.95 x 0.95 = 3.61 kWh) at home. */
    static Solution.Itinerary fixedTrip() {
        return new Solution.Itinerary("ev-1", List.of(
                new Solution.Stop("factory", 19, 21, List.of(new Solution.StopSlot(20, 4.0, null))),
                new Solution.Stop("house-a", 23, 40, List.of(new Solution.StopSlot(30, null, 2.0),
                        new Solution.StopSlot(31, null, 1.61)))));
    }

    static void assertFeasible(Instance in, Solution s) {
        CheckReport r = SolutionChecker.check(in, s);
        assertThat(r.ok()).as(() -> String.join("\n", r.violations().stream().map(v -> v.line()).toList())).isTrue();
    }

    @Test
    void reduceTakesTheFixedEnergyAndPortsOut() {
        Instance r = ScheduleComposer.reduce(town(), List.of(fixedTrip()), Set.of("ev-2"));
        assertThat(r.offers()).contains(new Offer("factory", 20, 26, 1), new Offer("factory", 21, 30, 1));
        assertThat(r.bids()).contains(new Bid("house-a", 30, 1.0, 30), new Bid("house-a", 31, 1.39, 30));
        assertThat(r.sites().get(0).ports()).isEqualTo(1); // factory: 2 ports, one used by ev-1
        assertThat(r.sites().get(1).ports()).isZero();
        assertThat(r.sites().get(2).ports()).isEqualTo(1);
        assertThat(r.evs()).extracting(Ev::id).containsExactly("ev-2");
    }

    @Test
    void composedScheduleKeepsTheFixedItineraryExactlyAndPassesTheChecker() {
        Instance in = town();
        Solution s = ScheduleComposer.compose(in, List.of(fixedTrip()), Set.of(),
                reduced -> MarketSolver.solve(reduced, new SolveOptions(java.time.Duration.ofSeconds(5), 0.5, 0, false)),
                0.5);
        assertThat(s.itineraries()).containsExactly(fixedTrip());
        // the grid clears around it: house-b's 1 kWh (export limit 2 kW) reaches house-a's 0.8 kWh bid
        assertThat(s.grid()).containsExactly(new Solution.GridDelivery("house-b", "house-a", 22, 0.8));
        assertFeasible(in, s);
        // the EV's pool: 3.61 kWh delivered at 30, 4 kWh bought at 1, fees 2/kWh + 5/km
        Solution.Pool pool = s.pools().stream().filter(p -> p.pool().equals("ev-1")).findFirst().orElseThrow();
        assertThat(pool.valueJpy()).isEqualTo(108.3);
        assertThat(pool.costJpy()).isEqualTo(4.0);
        assertThat(ScheduleComposer.payOf(s, "ev-1")).isEqualTo(pool.feesJpy());
        assertThat(pool.feesJpy()).isGreaterThan(7.22); // 3.61 x 2 plus the km fee
        assertThat(s.welfareJpy()).isEqualTo(Math.round((pool.surplusJpy() + 0.8 * (30 - 2 - 8)) * 100) / 100.0);
    }

    @Test
    void pinnedReplanKeepsTheAcceptedItineraryExactlyAndPlansTheOtherEvAroundIt() {
        Instance in = town();
        Solution alone = ScheduleComposer.solvePinned(in, List.of(fixedTrip()), Set.of(),
                (sub, pinned) -> MarketSolver.solve(sub, new SolveOptions(java.time.Duration.ofSeconds(3), 0.5, 0, false),
                        pinned), 0.5);
        assertThat(alone.itineraries()).containsExactly(fixedTrip());
        assertThat(alone.grid()).containsExactly(new Solution.GridDelivery("house-b", "house-a", 22, 0.8));
        assertFeasible(in, alone);

        Solution s = ScheduleComposer.solvePinned(in, List.of(fixedTrip()), Set.of("ev-2"),
                (sub, pinned) -> MarketSolver.solve(sub, SolveOptions.seconds(3), pinned), 0.5);
        assertThat(s.itineraries()).contains(fixedTrip());
        assertThat(s.itineraries()).allSatisfy(it -> assertThat(it.ev()).isIn("ev-1", "ev-2"));
        assertFeasible(in, s);
        assertThat(s.welfareJpy()).isGreaterThanOrEqualTo(alone.welfareJpy());
    }

    @Test
    void pinnedReplanRejectsASolverThatMovesTheAcceptedItinerary() {
        Instance in = town();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScheduleComposer.solvePinned(in, List.of(fixedTrip()),
                Set.of("ev-2"), (sub, pinned) -> MarketSolver.solve(sub, SolveOptions.seconds(1)), 0.5))
                .hasMessageContaining("ev-1");
    }

    @Test
    void greedyAdapterIsAFeasiblePricedSolution() {
        Instance in = town();
        Solution g = ScheduleComposer.greedy(in, 0.5);
        assertThat(g.solver().name()).isEqualTo("greedy");
        assertThat(g.itineraries()).isEmpty();
        assertThat(g.grid()).containsExactly(new Solution.GridDelivery("house-b", "house-a", 22, 0.8));
        assertThat(g.welfareJpy()).isEqualTo(16.0); // 0.8 kWh x (30 - 2 - 8)
        assertThat(g.curtailedKwh()).isEqualTo(60.2);
        assertThat(g.unmetKwh()).isEqualTo(6.0);
        assertFeasible(in, g);
    }
}
