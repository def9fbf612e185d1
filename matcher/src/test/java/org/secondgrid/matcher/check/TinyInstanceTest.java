package org.secondgrid.matcher.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.secondgrid.matcher.check.Fixtures.append;
import static org.secondgrid.matcher.check.Fixtures.instance;
import static org.secondgrid.matcher.check.Fixtures.set;
import static org.secondgrid.matcher.check.Fixtures.solution;
import static org.secondgrid.matcher.check.Fixtures.tree;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Travel;

/** The shared {@code tiny-instance.json}: a grid-only solution, the spec's EV example, and distances. */
class TinyInstanceTest {

    private final ObjectNode inst = tree("/tiny-instance.json");
    private final ObjectNode sol = tree("/check/tiny-grid-solution.json");

    @Test
    void acceptsGridOnlySolution() {
        CheckReport r = SolutionChecker.check(instance(inst), solution(sol));
        assertThat(r.violations()).isEmpty();
        assertThat(r.welfareRecomputedJpy()).isCloseTo(16.0, within(1e-9));
    }

    @Test
    void ownDistancesAgreeWithTheDomainReadingOfTheSpec() {
        Instance in = instance(inst);
        Distances mine = new Distances(in);
        Travel theirs = new Travel(in);
        for (Site a : in.sites()) {
            for (Site b : in.sites()) {
                assertThat(mine.km(a, b)).as(a.id() + " -> " + b.id()).isCloseTo(theirs.km(a.id(), b.id()),
                        within(1e-9));
                assertThat(mine.slots(a, b)).as(a.id() + " -> " + b.id()).isEqualTo(theirs.slots(a.id(), b.id()));
            }
        }
    }

    @Test
    void specExampleItineraryLosesMoneyOnKmFees() {
        // the spec's example: charge 1.551 kWh at factory-1 in slot 22, deliver 1.4 kWh to house-7 in slot 36;
        // at 20 JPY/km the round trip house-3 -> factory-1 -> house-7 -> house-3 costs more than the energy is worth
        append(sol, "/itineraries/0/stops", "{\"site\":\"factory-1\",\"arrive\":19,\"depart\":26,"
                + "\"slots\":[{\"slot\":22,\"chargeKwh\":1.551}]}");
        append(sol, "/itineraries/0/stops", "{\"site\":\"house-7\",\"arrive\":28,\"depart\":37,"
                + "\"slots\":[{\"slot\":36,\"dischargeKwh\":1.4}]}");
        Instance in = instance(inst);
        Travel travel = new Travel(in);
        double km = travel.km("house-3", "factory-1") + travel.km("factory-1", "house-7")
                + travel.km("house-7", "house-3");
        double fees = 6.0 * 1.4 + 20.0 * km;
        double s = 31.0 * 1.4 - 5.0 * 1.551 - fees;
        CheckReport r = SolutionChecker.check(in, solution(sol));
        assertThat(r.violations()).extracting(Violation::line).contains(String.format(Locale.ROOT,
                "pool-surplus: pool ev-3: S = V 43.40 - C 7.76 - F %.2f = %.2f JPY < 0", fees, s));
        assertThat(r.rules()).doesNotContain("travel", "availability", "battery-traded-negative",
                "battery-end-empty", "offer-limit", "bid-limit");
        assertThat(r.welfareRecomputedJpy()).isCloseTo(16.0 + s, within(1e-9));
    }

    @Test
    void spendingTheWholeWindowIsFeasibleAndTooEarlyIsNot() {
        append(sol, "/itineraries/0/stops", "{\"site\":\"factory-1\",\"arrive\":19,\"depart\":38,\"slots\":[]}");
        set(inst, "/evs/0/feeJpyPerKm", 0.0);
        // τ = 1 each way: leaves home in slot 18 = availableFrom, back home in slot 40 = availableTo
        assertThat(SolutionChecker.check(instance(inst), solution(sol)).rules()).doesNotContain("availability");
        set(sol, "/itineraries/0/stops/0/arrive", 18);
        assertThat(SolutionChecker.check(instance(inst), solution(sol)).violations()).extracting(Violation::line)
                .contains("availability: ev-3 drives house-3 -> factory-1 in slots 17..17, outside its window"
                        + " (availableFrom 18, back home by availableTo 40)");
    }
}
