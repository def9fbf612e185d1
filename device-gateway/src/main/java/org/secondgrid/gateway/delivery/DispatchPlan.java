package org.secondgrid.gateway.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Solution;

/**
 * What every EV should do in every slot of the delivery day: the final schedule's charges and
 * discharges (kept unchanged as the market positions) and the current dispatch, which re-dispatch
 * changes for slots that have not started yet. Energies in kWh, + charge (taken from the site), −
 * discharge (delivered into the site's load).
 */
public final class DispatchPlan {

    /** One EV's energy in one slot at one site: + charge, − discharge (kWh). */
    public record Action(String ev, String site, int slot, double kwh) {
    }

    /** A run of slots {@code arrive..depart} an EV spends at one site. */
    public record Stay(String ev, String site, int arrive, int depart) {
        boolean covers(int slot) {
            return slot >= arrive && slot <= depart;
        }
    }

    private final Instance instance;
    private final Map<String, Ev> evs = new LinkedHashMap<>();
    private final Map<String, Site> sites = new HashMap<>();
    private final Map<String, List<Stay>> stays = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Action>> finalPlan = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Action>> current = new LinkedHashMap<>();

    private DispatchPlan(Instance instance) {
        this.instance = instance;
        instance.evs().forEach(e -> evs.put(e.id(), e));
        instance.sites().forEach(s -> sites.put(s.id(), s));
    }

    /** The final schedule's itineraries as a plan; a reference to an unknown EV or site is refused, naming it. */
    public static DispatchPlan of(Instance instance, Solution solution) {
        DispatchPlan p = new DispatchPlan(instance);
        for (Solution.Itinerary it : solution.itineraries()) {
            if (!p.evs.containsKey(it.ev())) {
                throw new IllegalArgumentException("itineraries[].ev='" + it.ev() + "' is not an EV of the instance");
            }
            for (Solution.Stop stop : it.stops()) {
                if (!p.sites.containsKey(stop.site())) {
                    throw new IllegalArgumentException("itineraries[ev=" + it.ev() + "].stops[].site='" + stop.site()
                            + "' is not a site of the instance");
                }
                p.stays.computeIfAbsent(it.ev(), k -> new ArrayList<>())
                        .add(new Stay(it.ev(), stop.site(), stop.arrive(), stop.depart()));
                for (Solution.StopSlot s : stop.slots()) {
                    double kwh = s.charge() - s.discharge();
                    if (kwh != 0) {
                        Action a = new Action(it.ev(), stop.site(), s.slot(), kwh);
                        p.finalPlan.computeIfAbsent(it.ev(), k -> new TreeMap<>()).put(s.slot(), a);
                        p.current.computeIfAbsent(it.ev(), k -> new TreeMap<>()).put(s.slot(), a);
                    }
                }
            }
        }
        return p;
    }

    public Instance instance() {
        return instance;
    }

    public Ev ev(String id) {
        return evs.get(id);
    }

    public Site site(String id) {
        return sites.get(id);
    }

    /** EVs that have an itinerary, in id order. */
    public List<String> scheduledEvs() {
        return stays.keySet().stream().sorted().toList();
    }

    /** The current dispatch of every EV in a slot, by EV id. */
    public List<Action> actionsAt(int slot) {
        List<Action> out = new ArrayList<>();
        for (TreeMap<Integer, Action> m : current.values()) {
            Action a = m.get(slot);
            if (a != null) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Action::ev));
        return out;
    }

    /** The final schedule's actions in a slot, by EV id. */
    public List<Action> finalActionsAt(int slot) {
        List<Action> out = new ArrayList<>();
        for (TreeMap<Integer, Action> m : finalPlan.values()) {
            Action a = m.get(slot);
            if (a != null) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Action::ev));
        return out;
    }

    /** The EV's current action in a slot, or empty. */
    public Optional<Action> action(String ev, int slot) {
        TreeMap<Integer, Action> m = current.get(ev);
        return Optional.ofNullable(m == null ? null : m.get(slot));
    }

    /** The EV's current actions after {@code slot}, in slot order. */
    public List<Action> actionsAfter(String ev, int slot) {
        TreeMap<Integer, Action> m = current.get(ev);
        return m == null ? List.of() : new ArrayList<>(m.tailMap(slot, false).values());
    }

    /** Where the EV is (per the schedule) in a slot, if at a stop. */
    public Optional<Stay> stayAt(String ev, int slot) {
        return stays.getOrDefault(ev, List.of()).stream().filter(s -> s.covers(slot)).findFirst();
    }

    /** The EV's stays, in order. */
    public List<Stay> stays(String ev) {
        return stays.getOrDefault(ev, List.of());
    }

    /** Every current action (all EVs, all slots), by EV then slot. */
    public List<Action> currentActions() {
        List<Action> out = new ArrayList<>();
        current.keySet().stream().sorted().forEach(ev -> out.addAll(current.get(ev).values()));
        return out;
    }

    /** Replaces the current dispatch with stored actions (a restart); the final schedule stays. */
    public void restore(List<Action> actions) {
        for (Action a : actions) {
            if (!evs.containsKey(a.ev()) || !sites.containsKey(a.site())) {
                throw new IllegalArgumentException("stored dispatch names ev='" + a.ev() + "' site='" + a.site()
                        + "', not in the instance");
            }
        }
        current.clear();
        for (Action a : actions) {
            set(a.ev(), a.site(), a.slot(), a.kwh());
        }
    }

    /** Sets the EV's current energy in a slot at a site (0 removes it). */
    public void set(String ev, String site, int slot, double kwh) {
        TreeMap<Integer, Action> m = current.computeIfAbsent(ev, k -> new TreeMap<>());
        if (Math.abs(kwh) < 1e-9) {
            m.remove(slot);
        } else {
            m.put(slot, new Action(ev, site, slot, kwh));
        }
    }

    /** Sum of current EV charges (+) at a site in a slot. */
    public double chargeAt(String site, int slot) {
        return actionsAt(slot).stream().filter(a -> a.site().equals(site) && a.kwh() > 0).mapToDouble(Action::kwh).sum();
    }

    /** Sum of current EV discharges (as a positive number) at a site in a slot. */
    public double dischargeAt(String site, int slot) {
        return -actionsAt(slot).stream().filter(a -> a.site().equals(site) && a.kwh() < 0).mapToDouble(Action::kwh).sum();
    }

    /** EVs charging or discharging at a site in a slot (current dispatch). */
    public long busyPortsAt(String site, int slot) {
        return actionsAt(slot).stream().filter(a -> a.site().equals(site)).count();
    }

    /** The EV's battery content (kWh) at the start of {@code slot} per the current dispatch, driving ignored (an upper bound). */
    public double socUpperBound(String ev, int slot) {
        Ev e = evs.get(ev);
        double soc = e.initialKwh();
        TreeMap<Integer, Action> m = current.get(ev);
        if (m != null) {
            for (Action a : m.headMap(slot, false).values()) {
                soc += a.kwh() > 0 ? a.kwh() * e.chargeEfficiency() : a.kwh() / e.dischargeEfficiency();
            }
        }
        return soc;
    }

    /** The highest battery content over the day per the current dispatch (driving ignored: an upper bound). */
    public double maxSocUpperBound(String ev, int fromSlot) {
        double max = socUpperBound(ev, fromSlot);
        for (int t = fromSlot + 1; t <= instance.slots(); t++) {
            max = Math.max(max, socUpperBound(ev, t));
        }
        return max;
    }
}
