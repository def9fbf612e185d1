package org.secondgrid.matcher.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Solution;

/**
 * Seeded random mutations of the valid solution (numbers, ids, removed records): the checker never throws and
 * reports only known rule names. With seed 20261205, 8 of 590 mutants pass, all benign (solver info, a value set
 * to itself, a first stop moved one slot earlier, which is still feasible); the floor below allows for that.
 */
class RobustnessTest {

    private static final double[] NUMBERS = {-1, 0, 0.5, 3.0, 17, 47, 48, 100, -0.001, 1e6};
    private static final String[] IDS = {"house-3", "house-7", "house-8", "factory-1", "ev-3", "ev-4", "grid",
            "nobody", ""};

    private record Leaf(ObjectNode parent, String field) {
    }

    private static void leaves(JsonNode n, List<Leaf> out, List<ArrayNode> arrays) {
        if (n instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isValueNode()) {
                    out.add(new Leaf(o, e.getKey()));
                } else {
                    leaves(e.getValue(), out, arrays);
                }
            });
        } else if (n instanceof ArrayNode a) {
            if (!a.isEmpty()) {
                arrays.add(a);
            }
            a.forEach(c -> leaves(c, out, arrays));
        }
    }

    @Test
    void randomMutationsNeverCrashTheChecker() {
        Instance in = Fixtures.instance(Fixtures.tree("/check/small-instance.json"));
        Random random = new Random(20261205);
        Set<String> known = new HashSet<>(SolutionChecker.RULES);
        int checked = 0;
        int caught = 0;
        for (int round = 0; round < 600; round++) {
            ObjectNode sol = Fixtures.tree("/check/small-solution.json");
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                List<Leaf> leaves = new ArrayList<>();
                List<ArrayNode> arrays = new ArrayList<>();
                leaves(sol, leaves, arrays);
                if (random.nextInt(5) == 0 && !arrays.isEmpty()) {
                    ArrayNode a = arrays.get(random.nextInt(arrays.size()));
                    a.remove(random.nextInt(a.size()));
                    continue;
                }
                Leaf leaf = leaves.get(random.nextInt(leaves.size()));
                JsonNode old = leaf.parent().get(leaf.field());
                if (old.isNumber()) {
                    double v = NUMBERS[random.nextInt(NUMBERS.length)];
                    if (old.isIntegralNumber()) {
                        leaf.parent().put(leaf.field(), (int) v);
                    } else {
                        leaf.parent().put(leaf.field(), v);
                    }
                } else {
                    leaf.parent().put(leaf.field(), IDS[random.nextInt(IDS.length)]);
                }
            }
            Solution s;
            try {
                s = Fixtures.solution(sol);
            } catch (InvalidInstanceException e) {
                continue; // e.g. a number where the reader wants a date: the CLI exits 2
            }
            CheckReport[] r = new CheckReport[1];
            assertThatCode(() -> r[0] = SolutionChecker.check(in, s)).as("mutated solution %s", sol)
                    .doesNotThrowAnyException();
            assertThat(r[0].rules()).as("rules of %s", sol).isSubsetOf(known);
            checked++;
            if (!r[0].ok()) {
                caught++;
            }
        }
        System.out.printf("robustness: %d mutated solutions checked, %d rejected%n", checked, caught);
        assertThat(checked).isGreaterThan(400);
        assertThat(caught).isGreaterThan(checked * 8 / 10);
    }

    @Test
    void everyRuleNameIsDocumented() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/java/org/secondgrid/matcher/check/package-info.java"));
        assertThat(SolutionChecker.RULES).doesNotHaveDuplicates().allMatch(r -> r.matches("[a-z]+(-[a-z]+)*"))
                .allSatisfy(r -> assertThat(doc).contains("<td>" + r + "</td>"));
    }
}
