package org.secondgrid.matcher.solver;

import java.util.List;

/**
 * What an EV does with its visit sequence: timed stops with energy per slot, and everything the constraints
 * judge it by. Money in units of 1e-5 JPY.
 *
 * @param reserveDeficitWh how far the owner's own energy would fall below minKwh (0 if never)
 * @param lateSlots        how many slots after availableTo the EV would be home (0 if on time)
 * @param undeliveredWh    traded energy still in the battery at the end of the day
 */
public record RoutePlan(List<PlannedStop> stops, List<EnergyAction> actions, double km, long valueUnits,
                        long costUnits, long feeUnits, long reserveDeficitWh, int lateSlots, long undeliveredWh) {

    public static final RoutePlan EMPTY = new RoutePlan(List.of(), List.of(), 0, 0, 0, 0, 0, 0, 0);

    public RoutePlan {
        stops = List.copyOf(stops);
        actions = List.copyOf(actions);
    }

    /** Pool surplus S = V - C - F of this EV's pool. */
    public long surplusUnits() {
        return valueUnits - costUnits - feeUnits;
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    public long chargedWh() {
        return actions.stream().filter(EnergyAction::charge).mapToLong(EnergyAction::wh).sum();
    }

    public long dischargedWh() {
        return actions.stream().filter(a -> !a.charge()).mapToLong(EnergyAction::wh).sum();
    }

    /** A stop: slots {@code arrive..depart} at one site, with its energy actions in time order. */
    public record PlannedStop(int site, int arrive, int depart, List<EnergyAction> actions) {
        public PlannedStop {
            actions = List.copyOf(actions);
        }
    }
}
