package org.secondgrid.matcher.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.baseline.GreedyResult;
import org.secondgrid.matcher.baseline.GridGreedy;
import org.secondgrid.matcher.check.CheckReport;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.generate.GeneratorConfig;
import org.secondgrid.matcher.generate.InstanceGenerator;

/** End to end: every solution the solver returns passes the independent checker. */
class MarketSolverTest {

    @Test
    void shuttleInstanceIsFeasibleAndUsesTheEv() {
        Instance in = TestMarkets.load("shuttle-instance.json");
        Solution s = MarketSolver.solve(in, SolveOptions.seconds(2));
        CheckReport report = SolutionChecker.check(in, s);
        assertThat(report.violations()).isEmpty();
        assertThat(s.itineraries()).hasSize(1);
        assertThat(s.welfareJpy()).isGreaterThan(GridGreedy.clear(in).welfareJpy());
        assertThat(s.pools()).allSatisfy(p -> assertThat(p.surplusJpy()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void generatedTownIsFeasibleAndBeatsTheGridOnlyBaseline() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(120, 12, 3));
        Solution s = MarketSolver.solve(in, SolveOptions.seconds(4));
        CheckReport report = SolutionChecker.check(in, s);
        assertThat(report.violations()).isEmpty();
        assertThat(report.welfareRecomputedJpy()).isCloseTo(s.welfareJpy(), org.assertj.core.data.Offset.offset(0.5));
        GreedyResult greedy = GridGreedy.clear(in);
        assertThat(s.welfareJpy()).isGreaterThan(greedy.welfareJpy());
        assertThat(s.curtailedKwh()).isLessThan(greedy.curtailedKwh());
    }

    @Test
    void gridOnlyIsTheExactGridClearingAndNeverBelowTheGreedy() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(300, 0, 5));
        Solution s = MarketSolver.solve(in, new SolveOptions(Duration.ofSeconds(5), 0.5, 0, false));
        assertThat(SolutionChecker.check(in, s).violations()).isEmpty();
        assertThat(s.itineraries()).isEmpty();
        assertThat(s.welfareJpy()).isGreaterThanOrEqualTo(GridGreedy.clear(in).welfareJpy() - 0.01);
    }

    @Test
    void stopsOnTimeEvenWithAShortDeadline() {
        Instance in = new InstanceGenerator().generate(new GeneratorConfig(400, 40, 9));
        long t0 = System.nanoTime();
        Solution s = MarketSolver.solve(in, SolveOptions.seconds(1.5));
        assertThat(SolutionChecker.check(in, s).violations()).isEmpty();
        assertThat(s.solver().seconds()).isLessThan(60); // a deadline was applied at all (no timed assertion)
        assertThat(System.nanoTime() - t0).isPositive();
    }
}
