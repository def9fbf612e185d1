package org.secondgrid.matcher.exact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.check.SolutionChecker;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.solver.MarketSolver;
import org.secondgrid.matcher.solver.SolveOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The solver's welfare against the exact MILP optimum on tiny seeded instances. The floor is the worst ratio
 * measured when it was set (see the README's benchmark figures), so a regression fails the build; the full
 * 20-instance figure comes from {@code ./secondgrid bench matcher}.
 */
class OptimalityRatioTest {

    private static final Logger LOG = LoggerFactory.getLogger(OptimalityRatioTest.class);
    // measured with the LP polish: worst 0.9987, mean 0.9997 at 1.5 s per seed on the loaded 2-core box (README);
    // the floors leave room for a slower CI machine
    static final double FLOOR = 0.97;
    static final double MEAN_FLOOR = 0.99;

    @Test
    void solverReachesTheFloorOfTheExactOptimum() {
        double worst = Double.MAX_VALUE;
        double sum = 0;
        int n = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Instance in = SmallInstances.tiny(seed);
            Solution s = MarketSolver.solve(in, SolveOptions.seconds(4));
            assertThat(SolutionChecker.check(in, s).violations()).as("seed %d", seed).isEmpty();
            ExactMilp.ExactResult exact = ExactMilp.solve(in, 120);
            // the optimum lies between the MILP's best solution and its bound: against the bound when the MILP
            // could not close the gap in time (a ratio that can only be too low, never too high)
            double reference = exact.optimal() ? exact.welfareJpy() : exact.bestBoundJpy();
            double ratio = reference <= 1e-9 ? 1 : s.welfareJpy() / reference;
            LOG.info("tiny seed {}: solver {} JPY, {} {} JPY, ratio {}", seed, s.welfareJpy(),
                    exact.optimal() ? "optimum" : "MILP bound", String.format("%.2f", reference),
                    String.format("%.4f", ratio));
            assertThat(s.welfareJpy()).isLessThanOrEqualTo(reference + 0.05);
            worst = Math.min(worst, ratio);
            sum += ratio;
            n++;
        }
        LOG.info("tiny instances: worst ratio {}, mean {}", String.format("%.4f", worst),
                String.format("%.4f", sum / n));
        assertThat(worst).isGreaterThanOrEqualTo(FLOOR);
        assertThat(sum / n).isGreaterThanOrEqualTo(MEAN_FLOOR);
    }
}
