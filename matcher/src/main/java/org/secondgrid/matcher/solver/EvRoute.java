package org.secondgrid.matcher.solver;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPin;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningListVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * One EV's day: the ordered visits Timefold chooses (list variable), and the plan the {@link RoutePlanner} derives
 * from them (timing and energy per slot), cached until the visits change.
 */
@PlanningEntity
public class EvRoute {

    @PlanningId
    private String id;
    private EvInfo ev;
    private RoutePlanner planner;

    @PlanningListVariable(allowsUnassignedValues = true)
    private List<Visit> visits = new ArrayList<>();

    private List<Visit> plannedFor;
    private RoutePlan plan;
    private RoutePlan pinnedPlan;
    /** An accepted job: Timefold never moves it ({@link PlanningPin}) and no improver replaces it. */
    @PlanningPin
    private boolean fixed;

    public EvRoute() {
    }

    public EvRoute(EvInfo ev, RoutePlanner planner) {
        this.id = ev.id();
        this.ev = ev;
        this.planner = planner;
    }

    /** A route whose plan is fixed (an accepted job, or a plan under test), whatever its visits. */
    public static EvRoute pinned(EvInfo ev, RoutePlan plan) {
        EvRoute r = new EvRoute();
        r.id = ev.id();
        r.ev = ev;
        r.pinnedPlan = plan;
        return r;
    }

    /** An accepted job's day, kept exactly as given: pinned for the search and skipped by every improver. */
    public static EvRoute fixed(EvInfo ev, RoutePlan plan) {
        EvRoute r = pinned(ev, plan);
        r.fixed = true;
        return r;
    }

    public boolean isFixed() {
        return fixed;
    }

    public String getId() {
        return id;
    }

    public EvInfo getEv() {
        return ev;
    }

    public List<Visit> getVisits() {
        return visits;
    }

    public void setVisits(List<Visit> visits) {
        this.visits = visits;
    }

    /** The plan for the current visits (recomputed only when they changed). */
    public RoutePlan plan() {
        if (pinnedPlan != null) {
            return pinnedPlan;
        }
        if (plan == null || !visits.equals(plannedFor)) {
            plannedFor = List.copyOf(visits);
            plan = planner.plan(ev, plannedFor);
        }
        return plan;
    }

    public List<EnergyAction> actions() {
        return plan().actions();
    }

    @Override
    public String toString() {
        return id + visits;
    }
}
