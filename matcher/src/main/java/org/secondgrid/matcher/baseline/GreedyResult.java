package org.secondgrid.matcher.baseline;

import java.util.List;
import org.secondgrid.matcher.domain.Solution;

/**
 * The grid-only greedy schedule and its figures.
 *
 * @param grid          deliveries seller → buyer per slot (kWh in whole Wh)
 * @param welfareJpy    Σ bid·got − Σ ask·sold − gridFee·Σ g (the spec's objective without EVs)
 * @param deliveredKwh  Σ g
 * @param curtailedKwh  Σ offers − Σ sold
 * @param unmetKwh      Σ bids − Σ got
 */
public record GreedyResult(List<Solution.GridDelivery> grid, double welfareJpy, double deliveredKwh,
                           double curtailedKwh, double unmetKwh) {

    public GreedyResult {
        grid = List.copyOf(grid);
    }
}
