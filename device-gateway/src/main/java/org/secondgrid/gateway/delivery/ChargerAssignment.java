package org.secondgrid.gateway.delivery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps the EVs dispatched in a slot to charger devices: an EV at a site gets the first charger (by id)
 * of that site still free in that slot, EVs taken in id order. Every charger of the market gets a
 * setpoint each slot (0 kW and no EV when idle). An EV at a site without a free charger is reported as
 * unassigned (it cannot be told what to do).
 */
public final class ChargerAssignment {

    /** Setpoints for every charger, and the actions that found no charger. */
    public record Result(List<Setpoint> setpoints, List<DispatchPlan.Action> unassigned) {
    }

    private final Map<String, TreeSet<String>> chargersBySite = new TreeMap<>();

    /** @param chargerSites charger device id → its site id */
    public ChargerAssignment(Map<String, String> chargerSites) {
        chargerSites.forEach((charger, site) -> chargersBySite.computeIfAbsent(site, k -> new TreeSet<>()).add(charger));
    }

    public Result assign(List<DispatchPlan.Action> actions, int slot, double slotHours) {
        Set<String> taken = new HashSet<>();
        Map<String, Setpoint> byCharger = new TreeMap<>();
        List<DispatchPlan.Action> unassigned = new ArrayList<>();
        for (DispatchPlan.Action a : actions) {
            String charger = null;
            for (String c : chargersBySite.getOrDefault(a.site(), new TreeSet<>())) {
                if (!taken.contains(c)) {
                    charger = c;
                    break;
                }
            }
            if (charger == null) {
                unassigned.add(a);
                continue;
            }
            taken.add(charger);
            byCharger.put(charger, new Setpoint(charger, a.site(), slot, a.ev(), round3(a.kwh() / slotHours)));
        }
        chargersBySite.forEach((site, chargers) -> {
            for (String c : chargers) {
                byCharger.putIfAbsent(c, new Setpoint(c, site, slot, null, 0.0));
            }
        });
        return new Result(List.copyOf(byCharger.values()), unassigned);
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
