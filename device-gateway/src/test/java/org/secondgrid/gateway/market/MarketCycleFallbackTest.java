package org.secondgrid.gateway.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.solver.MarketSolver;

/** A market never goes without a schedule: the matcher failing in any way gives the greedy one, with the reason. */
class MarketCycleFallbackTest {

    final MarketCycle cycle = new MarketCycle(null, Clock.systemUTC(), MarketSettings.defaults(), null, null, null, null);
    final Instance town = ScheduleComposerTest.town();

    @Test
    void throwingMatcher() {
        cycle.setMatcher((in, o) -> {
            throw new IllegalStateException("no feasible start");
        });
        MarketCycle.Outcome o = cycle.solveOrGreedy(town, Duration.ofSeconds(5), "test");
        assertThat(o.source()).isEqualTo(PublishedSchedule.Source.GREEDY);
        assertThat(o.note()).contains("the matcher failed").contains("no feasible start");
        assertThat(o.solution().solver().name()).isEqualTo("greedy");
        assertThat(SolutionChecker.check(town, o.solution()).ok()).isTrue();
    }

    @Test
    void matcherMissingItsDeadline() {
        cycle.setMatcher((in, o) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MarketSolver.solve(in, o);
        });
        MarketCycle.Outcome o = cycle.solveOrGreedy(town, Duration.ofMillis(200), "test");
        assertThat(o.source()).isEqualTo(PublishedSchedule.Source.GREEDY);
        assertThat(o.note()).contains("missed its deadline of 0.2 s");
    }

    @Test
    void matcherScheduleThatFailsTheChecker() {
        cycle.setMatcher((in, o) -> {
            Solution s = MarketSolver.solve(in, o);
            return new Solution(s.modelVersion(), s.market(), s.deliveryDay(), s.welfareJpy() + 1000, s.solver(),
                    s.grid(), s.itineraries(), s.trades(), s.payments(), s.pools(), s.curtailedKwh(), s.unmetKwh());
        });
        MarketCycle.Outcome o = cycle.solveOrGreedy(town, Duration.ofSeconds(1), "test");
        assertThat(o.source()).isEqualTo(PublishedSchedule.Source.GREEDY);
        assertThat(o.note()).contains("failed the checker");
    }

    @Test
    void workingMatcher() {
        MarketCycle.Outcome o = cycle.solveOrGreedy(town, Duration.ofSeconds(1), "test");
        assertThat(o.source()).isEqualTo(PublishedSchedule.Source.MATCHER);
        assertThat(o.note()).isNull();
        assertThat(o.solution().solver().name()).isEqualTo("timefold");
    }

    @Test
    void replanWithAFailingMatcherKeepsTheAcceptedItinerary() {
        cycle.setMatcher((in, o) -> {
            throw new IllegalStateException("boom");
        });
        Solution.Itinerary fixed = ScheduleComposerTest.fixedTrip();
        MarketCycle.Outcome o = cycle.composeChecked(town, List.of(fixed), Set.of("ev-2"), Duration.ofSeconds(2), "test");
        assertThat(o.source()).isEqualTo(PublishedSchedule.Source.GREEDY);
        assertThat(o.note()).contains("boom");
        assertThat(o.solution().itineraries()).containsExactly(fixed);
        assertThat(SolutionChecker.check(town, o.solution()).ok()).isTrue();
    }
}
