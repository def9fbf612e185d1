package org.secondgrid.matcher.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.Json;

/**
 * A town of 5,000 sites, 48 slots and 300 EVs made of 1,000 renamed copies of the hand-computed small case
 * (300 with the EV trip, 700 grid only), so the right answer is known: every copy is feasible and the welfare
 * is 300 × 65.10 + 700 × 27.50 JPY. Prints how long the check took (a figure, not an assertion).
 */
class ScaleTest {

    private static final int COPIES = 1000;
    private static final int WITH_EV = 300;
    private static final List<String> IDS =
            List.of("factory-1", "shop-2", "house-3", "house-7", "house-8", "ev-3", "ev-4", "F1", "F2");

    private static ObjectNode inst;
    private static ObjectNode sol;

    private static String renamed(String text, int k) {
        for (String id : IDS) {
            text = text.replace(id, id + "." + k);
        }
        return text;
    }

    @BeforeAll
    static void build() throws Exception {
        String smallInst = Fixtures.text("/check/small-instance.json");
        String smallSol = Fixtures.text("/check/small-solution.json");
        inst = (ObjectNode) Json.MAPPER.readTree(smallInst);
        sol = (ObjectNode) Json.MAPPER.readTree(smallSol);
        for (String list : List.of("feeders", "sites", "offers", "bids", "evs")) {
            ((ArrayNode) inst.get(list)).removeAll();
        }
        ((ObjectNode) inst.get("distancesKm")).removeAll();
        for (String list : List.of("grid", "itineraries", "trades", "payments", "pools")) {
            ((ArrayNode) sol.get(list)).removeAll();
        }
        for (int k = 0; k < COPIES; k++) {
            ObjectNode i = (ObjectNode) Json.MAPPER.readTree(renamed(smallInst, k));
            ObjectNode s = (ObjectNode) Json.MAPPER.readTree(renamed(smallSol, k));
            if (k >= WITH_EV) {
                ((ArrayNode) i.get("evs")).removeAll();
                ((ArrayNode) s.get("itineraries")).removeAll();
                for (String list : List.of("trades", "payments", "pools")) {
                    ArrayNode a = (ArrayNode) s.get(list);
                    for (int n = a.size() - 1; n >= 0; n--) {
                        String pool = a.get(n).has("channel") ? a.get(n).get("channel").asText()
                                : a.get(n).get("pool").asText();
                        if (pool.startsWith("ev-")) {
                            a.remove(n);
                        }
                    }
                }
            } else {
                ((ArrayNode) i.get("evs")).remove(1); // ev-4 never moves; keep exactly 300 EVs
            }
            for (String list : List.of("feeders", "sites", "offers", "bids", "evs")) {
                ((ArrayNode) inst.get(list)).addAll((ArrayNode) i.get(list));
            }
            ((ObjectNode) inst.get("distancesKm")).setAll((ObjectNode) i.get("distancesKm"));
            for (String list : List.of("grid", "itineraries", "trades", "payments", "pools")) {
                ((ArrayNode) sol.get(list)).addAll((ArrayNode) s.get(list));
            }
        }
        sol.put("welfareJpy", WITH_EV * 65.10 + (COPIES - WITH_EV) * 27.50);
        sol.put("curtailedKwh", WITH_EV * 9.3 + (COPIES - WITH_EV) * 15.3);
        sol.put("unmetKwh", WITH_EV * 0.7 + (COPIES - WITH_EV) * 5.5);
    }

    private static CheckReport timed(String what, Instance in, Solution s) {
        long t0 = System.nanoTime();
        CheckReport r = SolutionChecker.check(in, s);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "check %s: %d sites x %d slots, %d EVs, %d records, %d violations in %d ms%n",
                what, in.sites().size(), in.slots(), in.evs().size(), r.records(), r.violations().size(), ms);
        return r;
    }

    @Test
    void fiveThousandSitesThreeHundredEvs() {
        Instance in = Fixtures.instance(inst);
        Solution s = Fixtures.solution(sol);
        assertThat(in.sites()).hasSize(5000);
        assertThat(in.evs()).hasSize(300);
        timed("warm-up", in, s);
        CheckReport r = timed("valid town", in, s);
        assertThat(r.violations()).isEmpty();
        assertThat(r.welfareRecomputedJpy()).isCloseTo(38780.0, within(1e-6));
        assertThat(r.records()).isEqualTo(WITH_EV * 8 + (COPIES - WITH_EV) * 2);
    }

    @Test
    void aFaultInOneCopyIsFoundWithItsIds() {
        ObjectNode bad = inst.deepCopy();
        int copy = 123;
        ObjectNode offer = (ObjectNode) bad.get("offers").get(copy * 5); // factory-1.123 slot 18
        offer.put("kwh", 2.5);
        ((ObjectNode) bad.get("offers").get(copy * 5 + 1)).put("kwh", 10.5);
        CheckReport r = timed("one fault", Fixtures.instance(bad), Fixtures.solution(sol));
        assertThat(r.violations()).extracting(Violation::line)
                .containsExactly("offer-limit: site factory-1.123 slot 18 sold 3.000 kWh > offer 2.500 kWh");
    }
}
