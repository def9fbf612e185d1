package org.secondgrid.matcher.solver;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import java.util.List;

/** The Timefold planning solution: EV routes over candidate visits, on top of the grid-cleared market. */
@PlanningSolution
public class MarketSchedule {

    @ProblemFactProperty
    private ResidualMarket residual;

    @ValueRangeProvider
    private List<Visit> visits;

    @PlanningEntityCollectionProperty
    private List<EvRoute> routes;

    @PlanningScore
    private HardSoftLongScore score;

    public MarketSchedule() {
    }

    public MarketSchedule(ResidualMarket residual, List<Visit> visits, List<EvRoute> routes) {
        this.residual = residual;
        this.visits = visits;
        this.routes = routes;
    }

    public ResidualMarket getResidual() {
        return residual;
    }

    public List<Visit> getVisits() {
        return visits;
    }

    public List<EvRoute> getRoutes() {
        return routes;
    }

    public HardSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardSoftLongScore score) {
        this.score = score;
    }
}
