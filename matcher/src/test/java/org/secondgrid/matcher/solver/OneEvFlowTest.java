package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;

/** The one-EV flow gives the amounts LP's optimum (GLOP) on random itineraries, and amounts that keep its rules. */
class OneEvFlowTest {

    @BeforeAll
    static void lpSolverLoads() {
        assumeThat(AmountsLp.Lp.available()).as("OR-Tools GLOP loads here").isTrue();
    }

    @Test
    void sameOptimumAsTheLpOnRandomItinerariesOfAGeneratedTown() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(120, 12, 7));
        MarketIndex m = new MarketIndex(in);
        ResidualMarket left = ResidualMarket.afterGrid(m, GridClearing.clear(m));
        long[][] offer = new long[m.siteCount()][m.slots()];
        long[][] bid = new long[m.siteCount()][m.slots()];
        for (int s = 0; s < m.siteCount(); s++) {
            for (int t = 0; t < m.slots(); t++) {
                // half the time the full orders (big amounts, the room binds), else what the grid leaves
                offer[s][t] = s % 2 == 0 ? m.offerWh(s, t) : left.offerLeftWh(s, t);
                bid[s][t] = s % 2 == 0 ? m.bidWh(s, t) : left.bidLeftWh(s, t);
            }
        }
        AmountsLp.Supply supply = new AmountsLp.Supply(offer, bid);
        List<Integer> sites = new ArrayList<>();
        for (int s = 0; s < m.siteCount(); s++) {
            if (m.site(s).ports() > 0) {
                sites.add(s);
            }
        }
        Random rnd = new Random(3);
        int compared = 0;
        int paying = 0;
        int infeasible = 0;
        for (int trial = 0; trial < 3000 && compared < 600; trial++) {
            int v = rnd.nextInt(in.evs().size());
            Ev ev = in.evs().get(v);
            EvInfo info = new EvInfo(v, ev, m.siteIndex(ev.home()));
            int n = 1 + rnd.nextInt(4);
            int[] stops = new int[n];
            for (int k = 0; k < n; k++) {
                stops[k] = rnd.nextInt(3) == 0 ? info.home() : sites.get(rnd.nextInt(sites.size()));
            }
            int[] legs = new int[n - 1];
            int from = ev.availableFrom() + 1;
            for (int k = 0; k < n - 1; k++) {
                from += 1 + rnd.nextInt(Math.max(1, (ev.availableTo() - from) / (n - k)));
                legs[k] = from;
            }
            FixedItinerary it = FixedItinerary.of(m, info, stops, legs);
            if (it == null) {
                continue;
            }
            compared++;
            AmountsLp.Amounts lp = AmountsLp.solve(m, supply, List.of(it), null, false, true);
            OneEvFlow.Result flow = OneEvFlow.solve(m, supply, it, true);
            if (lp == null) {
                assertThat(flow).as("pool cannot pay: no flow either, %s", it).isNull();
                infeasible++;
                continue;
            }
            assertThat(flow).as("LP feasible, flow too: %s", it).isNotNull();
            assertThat(flow.objectiveJpy()).isCloseTo(lp.objectiveJpy(), offset(1e-5 + 1e-7 * lp.objectiveJpy()));
            assertThat(OneEvFlow.value(m, supply, it))
                    .isCloseTo(lp.objectiveJpy() - MarketIndex.jpy(it.kmFeeUnits()), offset(1e-4));
            if (flow.objectiveJpy() > 1) {
                paying++;
                assertKeepsTheRules(m, supply, it, flow);
            }
        }
        assertThat(compared).isGreaterThan(300);
        assertThat(paying).as("itineraries that trade").isGreaterThan(20);
        assertThat(infeasible).as("itineraries that cannot pay").isGreaterThan(5);
    }

    /** Power, offer and bid per slot, the room the owner's energy leaves, nothing left on board at the end. */
    private static void assertKeepsTheRules(MarketIndex m, AmountsLp.Supply supply, FixedItinerary it,
                                            OneEvFlow.Result r) {
        Ev ev = it.ev().ev();
        double p = 0;
        double value = 0;
        for (int t = 0; t < m.slots(); t++) {
            double c = r.chargeKwh()[t];
            double e = r.dischargeKwh()[t];
            if (c > 1e-9 || e > 1e-9) {
                int site = siteAt(it, t);
                assertThat(site).as("energy only at a stop, slot %d", t).isGreaterThanOrEqualTo(0);
                assertThat(c).isLessThanOrEqualTo(supply.offerWh()[site][t] / 1000.0 + 1e-9);
                assertThat(e).isLessThanOrEqualTo(supply.bidWh()[site][t] / 1000.0 + 1e-9);
                assertThat(c).isLessThanOrEqualTo(m.site(site).chargerKw() * m.slotHours() + 1e-9);
                assertThat(e).isLessThanOrEqualTo(m.site(site).v2xKw() * m.slotHours() + 1e-9);
                value += e * (m.bidCents(site, t) / 100.0 - MarketIndex.cents(ev.feeJpyPerKwh()) / 100.0)
                        - c * m.askCents(site, t) / 100.0;
            }
            p += ev.chargeEfficiency() * c - e / ev.dischargeEfficiency();
            assertThat(p).as("traded energy at boundary %d", t + 1).isGreaterThanOrEqualTo(-1e-9);
            assertThat(p).isLessThanOrEqualTo(ev.capacityKwh() - it.ownWh()[t + 1] / 1000 + 1e-9);
        }
        assertThat(p).as("all traded energy delivered").isCloseTo(0, offset(1e-9));
        assertThat(value).isCloseTo(r.objectiveJpy(), offset(1e-6));
    }

    private static int siteAt(FixedItinerary it, int t) {
        for (int k = 0; k < it.stopCount(); k++) {
            if (t >= it.firstEnergySlot(k) && t <= it.lastEnergySlot(k)) {
                return it.sites()[k];
            }
        }
        return -1;
    }
}
