package org.secondgrid.matcher.solver;

import java.time.Duration;

/**
 * How to solve.
 *
 * @param timeLimit  hard deadline for the whole solve (grid clearing, search, pricing)
 * @param k          share of a pool's surplus that goes to its buyers (0.5 by default)
 * @param seed       random seed of the search (same seed, same machine speed: same schedule)
 * @param useEvs     false = grid only (the baseline without EVs)
 */
public record SolveOptions(Duration timeLimit, double k, long seed, boolean useEvs) {

    public static SolveOptions seconds(double seconds) {
        return new SolveOptions(Duration.ofMillis((long) (seconds * 1000)), 0.5, 0, true);
    }

    public SolveOptions withSeed(long newSeed) {
        return new SolveOptions(timeLimit, k, newSeed, useEvs);
    }
}
