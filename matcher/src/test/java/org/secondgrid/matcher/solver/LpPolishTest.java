package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.exact.SmallInstances;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;

/** The LP polish: better days from a given schedule, every one of them feasible, never a worse schedule. */
class LpPolishTest {

    @BeforeAll
    static void lpSolverLoads() {
        assumeThat(LpPolish.available()).as("OR-Tools GLOP loads here").isTrue();
    }

    private static List<EvRoute> greedyShuttle(Instance in, MarketIndex m, ResidualMarket residual) {
        List<EvRoute> routes = new ArrayList<>();
        for (int v = 0; v < in.evs().size(); v++) {
            Ev ev = in.evs().get(v);
            EvRoute r = new EvRoute(new EvInfo(v, ev, m.siteIndex(ev.home())), new RoutePlanner(residual));
            r.setVisits(new ArrayList<>(List.of(new Visit(0, m.siteIndex("factory-1"), "factory-1"),
                    new Visit(1, m.siteIndex("shop-1"), "shop-1"))));
            routes.add(r);
        }
        return routes;
    }

    @Test
    void aGreedyShuttleGetsBetterAndStaysFeasible() {
        for (long seed : new long[] {1, 6}) {
            Instance in = SmallInstances.tiny(seed);
            MarketIndex m = new MarketIndex(in);
            ResidualMarket residual = ResidualMarket.afterGrid(m, GridClearing.clear(m));
            List<EvRoute> routes = greedyShuttle(in, m, residual);
            LpPolish polish = new LpPolish(m);
            long before = polish.welfare(routes.stream().map(EvRoute::plan).toList());
            long gained = polish.polish(routes, residual, System.nanoTime() + 2_000_000_000L);
            long after = polish.welfare(routes.stream().map(EvRoute::plan).toList());
            assertThat(gained).as("seed %d", seed).isPositive();
            assertThat(after).isEqualTo(before + gained);
            SiteSlotUsage usage = new SiteSlotUsage();
            for (EvRoute r : routes) {
                RoutePlan p = r.plan();
                assertThat(p.undeliveredWh()).isZero();
                assertThat(p.reserveDeficitWh()).isZero();
                assertThat(p.lateSlots()).isZero();
                assertThat(p.surplusUnits()).isNotNegative();
                // every slot's energy within the whole market's offers and bids (the grid clears on the rest)
                for (EnergyAction a : p.actions()) {
                    assertThat(a.wh()).isLessThanOrEqualTo(a.charge() ? m.offerWh(a.site(), a.slot())
                            : m.bidWh(a.site(), a.slot()));
                    assertThat(a.slot()).isBetween(r.getEv().ev().availableFrom(),
                            r.getEv().ev().availableTo() - 1);
                }
                usage.add(p);
            }
        }
    }

    @Test
    void oneEvAtATimeInABigTownGainsAndEveryDayFitsNextToTheOthers() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(150, 12, 5));
        MarketIndex m = new MarketIndex(in);
        assertThat(LpPolish.isJoint(m)).isFalse();
        ResidualMarket residual = ResidualMarket.afterGrid(m, GridClearing.clear(m));
        RoutePlanner planner = new RoutePlanner(residual);
        List<EvRoute> routes = new ArrayList<>();
        for (int v = 0; v < in.evs().size(); v++) {
            Ev ev = in.evs().get(v);
            routes.add(new EvRoute(new EvInfo(v, ev, m.siteIndex(ev.home())), planner));
        }
        InitialRoutes.build(new MarketSchedule(residual, CandidateVisits.of(residual, routes.size()), routes),
                planner);
        List<RoutePlan> first = routes.stream().map(EvRoute::plan).toList();
        assertThat(first).anyMatch(p -> !p.isEmpty());
        LpPolish polish = new LpPolish(m);
        long before = polish.welfare(first);
        // a generous deadline: the passes stop on their own once no EV's day gets better at the widest level
        long gained = polish.polish(routes, residual, System.nanoTime() + 60_000_000_000L);
        long after = polish.welfare(routes.stream().map(EvRoute::plan).toList());
        assertThat(gained).isPositive();
        assertThat(after).isGreaterThanOrEqualTo(before + gained);
        SiteSlotUsage usage = new SiteSlotUsage();
        for (int v = 0; v < routes.size(); v++) {
            RoutePlan p = routes.get(v).plan();
            assertThat(p.surplusUnits()).as("ev %d", v).isGreaterThanOrEqualTo(first.get(v).surplusUnits());
            assertThat(p.undeliveredWh()).isZero();
            assertThat(p.reserveDeficitWh()).isZero();
            assertThat(p.lateSlots()).isZero();
            assertThat(usage.fits(p, residual)).as("ev %d fits next to the others (energy, ports)", v).isTrue();
            usage.add(p);
        }
    }

    @Test
    void anEmptyScheduleIsLeftAlone() {
        Instance in = SmallInstances.tiny(1);
        MarketIndex m = new MarketIndex(in);
        ResidualMarket residual = ResidualMarket.afterGrid(m, GridClearing.clear(m));
        Ev ev = in.evs().getFirst();
        List<EvRoute> routes = new ArrayList<>(List.of(new EvRoute(new EvInfo(0, ev, m.siteIndex(ev.home())),
                new RoutePlanner(residual))));
        assertThat(new LpPolish(m).polish(routes, residual, System.nanoTime() + 1_000_000_000L)).isZero();
        assertThat(routes.getFirst().plan().isEmpty()).isTrue();
    }

    @Test
    void neighboursKeepEveryTimingRule() {
        Instance in = SmallInstances.tiny(6);
        MarketIndex m = new MarketIndex(in);
        Ev ev = in.evs().getFirst();
        EvInfo info = new EvInfo(0, ev, m.siteIndex(ev.home()));
        FixedItinerary it = null;
        for (int leg = ev.availableFrom() + 2; it == null; leg++) {
            it = FixedItinerary.of(m, info, new int[] {m.siteIndex("factory-1"), m.siteIndex("shop-1")},
                    new int[] {leg});
        }
        List<FixedItinerary> next = new LpPolish(m).neighbours(info, it, true);
        assertThat(next).hasSizeGreaterThan(20);
        for (FixedItinerary n : next) {
            if (n == null) {
                continue; // home
            }
            int prev = info.home();
            int depart = ev.availableFrom() - 1;
            for (int k = 0; k < n.stopCount(); k++) {
                assertThat(n.sites()[k]).isNotEqualTo(k == 0 ? -1 : n.sites()[k - 1]);
                assertThat(n.arrive()[k]).isGreaterThanOrEqualTo(depart + 1 + m.travelSlots(prev, n.sites()[k]));
                assertThat(n.depart()[k]).isGreaterThanOrEqualTo(n.arrive()[k]).isLessThan(m.slots());
                prev = n.sites()[k];
                depart = n.depart()[k];
            }
            assertThat(depart + m.travelSlots(prev, info.home()) + 1).isLessThanOrEqualTo(ev.availableTo());
        }
    }
}
