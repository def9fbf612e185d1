package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;

/** Solving with some itineraries fixed (accepted jobs): they come out exactly as given, the rest fits around them. */
class PinnedSolveTest {

    @Test
    void aFixedItineraryComesOutIdenticalAndTheScheduleIsFeasible() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(120, 12, 3));
        Solution first = MarketSolver.solve(in, SolveOptions.seconds(3));
        assertThat(first.itineraries()).isNotEmpty();
        Solution.Itinerary accepted = first.itineraries().get(0);

        // another seed and a shorter time: the search would not reproduce the same day by itself
        Solution again = MarketSolver.solve(in, SolveOptions.seconds(2).withSeed(7),
                Map.of(accepted.ev(), accepted));

        assertThat(SolutionChecker.check(in, again).violations()).isEmpty();
        assertThat(itineraryOf(again, accepted.ev())).isEqualTo(accepted);
    }

    @Test
    void aFixedItineraryKeepsItsPortsAndTheOtherEvGoesAround() {
        Instance base = TestMarkets.load("shuttle-instance.json");
        // one port at the factory
        List<Site> sites = new ArrayList<>();
        for (Site s : base.sites()) {
            sites.add(s.id().equals("factory-1") ? new Site(s.id(), s.feeder(), s.lat(), s.lon(), s.exportLimitKw(), 1,
                    s.chargerKw(), s.v2xKw()) : s);
        }
        Ev e3 = base.evs().get(0);
        // a twin of ev-3 (same home, same battery): what ev-3 would do alone is a feasible day for it too
        Ev e7 = new Ev("ev-7", e3.home(), e3.capacityKwh(), e3.initialKwh(), e3.minKwh(), e3.chargeKw(),
                e3.dischargeKw(), e3.chargeEfficiency(), e3.dischargeEfficiency(), e3.consumptionKwhPerKm(),
                e3.availableFrom(), e3.availableTo(), e3.feeJpyPerKwh(), e3.feeJpyPerKm());
        Instance only3 = with(base, sites, List.of(e3));
        Instance both = with(base, sites, List.of(e3, e7));
        Solution.Itinerary alone3 = itineraryOf(MarketSolver.solve(only3, SolveOptions.seconds(2)), "ev-3");
        Set<Integer> factory7 = factorySlots(alone3);
        assertThat(factory7).isNotEmpty(); // alone, ev-3 charges at the factory, whose one port is then taken
        Solution.Itinerary alone7 = new Solution.Itinerary("ev-7", alone3.stops());

        Solution s = MarketSolver.solve(both, SolveOptions.seconds(2), Map.of("ev-7", alone7));

        assertThat(SolutionChecker.check(both, s).violations()).isEmpty();
        assertThat(itineraryOf(s, "ev-7")).isEqualTo(alone7);
        // ev-3 still trades, but its day moved off the factory's port in the pinned twin's slots
        Solution.Itinerary moved = itineraryOf(s, "ev-3");
        assertThat(moved).isNotEqualTo(alone3);
        assertThat(factorySlots(moved)).doesNotContainAnyElementsOf(factory7);
    }

    @Test
    void anUnknownEvInTheFixedItinerariesIsRejectedByName() {
        Instance in = TestMarkets.load("shuttle-instance.json");
        Solution.Itinerary it = new Solution.Itinerary("ev-99", List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MarketSolver.solve(in, SolveOptions.seconds(1),
                Map.of("ev-99", it))).hasMessageContaining("ev-99");
    }

    private static Instance with(Instance b, List<Site> sites, List<Ev> evs) {
        return new Instance(b.modelVersion(), b.market(), b.deliveryDay(), b.timeZone(), b.slots(), b.slotMinutes(),
                b.gridFeeJpyPerKwh(), b.speedKmh(), b.feeders(), sites, b.offers(), b.bids(), evs, b.distancesKm());
    }

    private static Solution.Itinerary itineraryOf(Solution s, String ev) {
        return s.itineraries().stream().filter(i -> i.ev().equals(ev)).findFirst()
                .orElseThrow(() -> new AssertionError("no itinerary for " + ev + " in " + s.itineraries()));
    }

    /** Slots in which the EV trades at the factory (uses its port). */
    private static Set<Integer> factorySlots(Solution.Itinerary it) {
        Set<Integer> out = new HashSet<>();
        for (Solution.Stop st : it.stops()) {
            if (st.site().equals("factory-1")) {
                for (Solution.StopSlot ss : st.slots()) {
                    if (ss.charge() > 0 || ss.discharge() > 0) {
                        out.add(ss.slot());
                    }
                }
            }
        }
        return out;
    }
}
