package org.secondgrid.simulator.physics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownEv;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Weather;

/**
 * The town's state and its physics, one tick at a time (see the module README's rules table). Per site and tick:
 * chargers follow the setpoint of the slot if the named EV is parked at that site (else they are idle); an EV at home
 * outside its availability window charges up to its owner's target (the owner's own night charging); charging is
 * limited by charger, car and a full battery, discharging by charger (v2x), car and the owner's reserve
 * {@code minKwh}; a V2X inverter never pushes the meter into export (discharge ≤ load + charging − PV); PV above the
 * connection's export limit is curtailed by the inverter. Meters count import, export and PV produced (after
 * curtailment). Batteries: + η_c·charge, − discharge/η_d, − consumption·km while driving.
 */
public final class TownPhysics {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TownPhysics.class);

    /** State of an EV. */
    public static final class EvState {
        public final TownEv ev;
        public double socKwh;
        public double lat;
        public double lon;
        /** Site it is parked at, null while driving. */
        public String site;
        /** Charger it is plugged into this tick, or null. */
        public String charger;

        EvState(TownEv ev, double socKwh, double lat, double lon, String site) {
            this.ev = ev;
            this.socKwh = socKwh;
            this.lat = lat;
            this.lon = lon;
            this.site = site;
        }
    }

    /** State of a charger in the last tick. */
    public static final class ChargerState {
        public final String id;
        public final TownSite site;
        public String ev;
        public double powerKw;
        public double sessionWh;

        ChargerState(String id, TownSite site) {
            this.id = id;
            this.site = site;
        }
    }

    private final Town town;
    private final Weather weather;
    private final LoadProfiles profiles;
    private final SetpointBook setpoints;
    private final int ticksPerSlot;
    private final Map<String, TownSite> sitesById = new HashMap<>();
    private final Map<String, Integer> siteIndex = new HashMap<>();
    private final MeterCounters[] meters;
    private final double[] curtailedWh;
    private final Map<String, EvState> evs = new LinkedHashMap<>();
    private final Map<String, ChargerState> chargers = new LinkedHashMap<>();
    private final Map<String, List<ChargerState>> chargersBySite = new HashMap<>();
    /** Day plans and declared windows per EV (people write, physics reads). */
    private final Map<String, EvPlan> plans = new ConcurrentHashMap<>();
    private final Map<String, int[]> windows = new ConcurrentHashMap<>();
    private TownDay current;
    private SiteFlow[] lastFlows;
    /** kWh of discharge setpoints not done, by cause: [EV not at the site, battery at reserve or power, buyer's load]. */
    private final double[] dischargeShortKwh = new double[3];

    public TownPhysics(Town town, Weather weather, LoadProfiles profiles, SetpointBook setpoints) {
        this.town = town;
        this.weather = weather;
        this.profiles = profiles;
        this.setpoints = setpoints;
        this.ticksPerSlot = town.slotMinutes() / weather.tickMinutes();
        if (ticksPerSlot < 1 || town.slotMinutes() % weather.tickMinutes() != 0) {
            throw new IllegalArgumentException("tickMinutes " + weather.tickMinutes() + " must divide slotMinutes "
                    + town.slotMinutes());
        }
        meters = new MeterCounters[town.sites().size()];
        curtailedWh = new double[town.sites().size()];
        for (int i = 0; i < town.sites().size(); i++) {
            TownSite s = town.sites().get(i);
            sitesById.put(s.id(), s);
            siteIndex.put(s.id(), i);
            meters[i] = MeterCounters.ZERO;
            List<ChargerState> list = new ArrayList<>();
            for (String c : s.chargerIds()) {
                ChargerState cs = new ChargerState(c, s);
                chargers.put(c, cs);
                list.add(cs);
            }
            chargersBySite.put(s.id(), list);
        }
        for (TownEv ev : town.evs()) {
            TownSite home = sitesById.get(ev.home());
            evs.put(ev.id(), new EvState(ev, ev.homeTargetKwh(), home.lat(), home.lon(), home.id()));
        }
    }

    public Town town() {
        return town;
    }

    public Weather weather() {
        return weather;
    }

    public int ticksPerSlot() {
        return ticksPerSlot;
    }

    /** The EV's plan for the day from now on (null = stays home). */
    public void plan(LocalDate day, String evId, EvPlan plan) {
        plans.put(evId + "@" + day, plan);
    }

    /** The owner's declared availability window for a day (slots); outside it the owner charges at home. */
    public void window(LocalDate day, String evId, int from, int to) {
        windows.put(evId + "@" + day, new int[] {from, to});
    }

    public EvPlan planOf(LocalDate day, String evId) {
        return plans.get(evId + "@" + day);
    }

    public MeterCounters meter(int siteIndex) {
        return meters[siteIndex];
    }

    public double curtailedWh(int siteIndex) {
        return curtailedWh[siteIndex];
    }

    public Map<String, EvState> evs() {
        return evs;
    }

    public Map<String, ChargerState> chargers() {
        return chargers;
    }

    /**
     * kWh of discharge setpoints the town did not follow so far, by cause: {@code [0]} the named EV was not at the
     * charger's site, {@code [1]} its battery was at the owner's reserve (or charger/car power was lower),
     * {@code [2]} the buyer's load left no room (a V2X inverter never exports).
     */
    public double[] dischargeShortKwh() {
        return dischargeShortKwh.clone();
    }

    public SiteFlow[] lastFlows() {
        return lastFlows;
    }

    public TownDay day(LocalDate day) {
        if (current == null || !current.day().equals(day)) {
            current = TownDay.of(town, weather, profiles, day);
        }
        return current;
    }

    /** Advances the town by tick {@code tick} of local day {@code day} (starting at {@code slotStart}'s slot). */
    public SiteFlow[] step(LocalDate day, int tick, Instant slotStart) {
        TownDay d = day(day);
        double h = weather.tickMinutes() / 60.0;
        int slot = tick / ticksPerSlot;
        int slotTick = tick % ticksPerSlot;
        // 1. Where each EV is; driving uses energy and moves it.
        for (EvState e : evs.values()) {
            EvPlan plan = plans.getOrDefault(e.ev.id() + "@" + day, null);
            if (plan == null) {
                plan = EvPlan.stayHome(e.ev.home(), town.slotsPerDay());
            }
            e.charger = null;
            EvPlan.Leg leg = plan.leg(slot);
            if (leg == null) {
                e.site = plan.siteAt(slot);
                TownSite s = sitesById.get(e.site);
                e.lat = s.lat();
                e.lon = s.lon();
            } else {
                e.site = null;
                double kmTick = leg.km() / leg.slots() / ticksPerSlot;
                e.socKwh = Math.max(0, e.socKwh - e.ev.consumptionKwhPerKm() * kmTick);
                double f = ((slot - leg.firstSlot()) * ticksPerSlot + slotTick + 1.0) / (leg.slots() * ticksPerSlot);
                TownSite a = sitesById.get(leg.from());
                TownSite b = sitesById.get(leg.to());
                e.lat = a.lat() + (b.lat() - a.lat()) * f;
                e.lon = a.lon() + (b.lon() - a.lon()) * f;
            }
        }
        // 2. Chargers: setpoints first, then owners' own charging at home.
        Map<String, Double> requested = new HashMap<>();
        for (ChargerState c : chargers.values()) {
            String prevEv = c.ev;
            c.ev = null;
            c.powerKw = 0;
            Setpoint sp = setpoints.get(c.id, slotStart);
            if (sp != null && sp.ev() != null) {
                EvState e = evs.get(sp.ev());
                if (e != null && c.site.id().equals(e.site) && e.charger == null) {
                    e.charger = c.id;
                    c.ev = e.ev.id();
                    requested.put(c.id, sp.powerKw());
                } else if (sp.powerKw() < 0) {
                    dischargeShortKwh[0] += -sp.powerKw() * weather.tickMinutes() / 60.0;
                    if (slotTick == 0) {
                        LOG.info("slot {}: charger {} at {} is to discharge {} at {} kW, but that EV is {}", slot, c.id,
                                c.site.id(), sp.ev(), sp.powerKw(), e == null ? "unknown" : e.site == null ? "driving"
                                        : e.site.equals(c.site.id()) ? "on another charger there" : "at " + e.site);
                    }
                }
            }
            if (c.ev == null || !c.ev.equals(prevEv)) {
                c.sessionWh = 0;
            }
        }
        for (EvState e : evs.values()) {
            if (e.charger != null || !e.ev.home().equals(e.site)) {
                continue;
            }
            for (ChargerState c : chargersBySite.get(e.site)) {
                if (c.ev == null && setpointEv(c, slotStart) == null) {
                    int[] w = windows.getOrDefault(e.ev.id() + "@" + day,
                            new int[] {e.ev.availableFrom(), e.ev.availableTo()});
                    boolean ownTime = slot < w[0] || slot >= w[1];
                    e.charger = c.id;
                    c.ev = e.ev.id();
                    requested.put(c.id, ownTime && e.socKwh < e.ev.homeTargetKwh() ? c.site.chargerKw() : 0.0);
                    break;
                }
            }
        }
        // 3. Per site: limits, zero-export V2X, PV curtailment, meters.
        SiteFlow[] flows = new SiteFlow[town.sites().size()];
        for (int i = 0; i < flows.length; i++) {
            TownSite s = town.sites().get(i);
            double load = d.loadKw()[i][tick];
            double pvAvail = d.pvAvailKw()[i][tick];
            double charge = 0;
            List<ChargerState> cs = chargersBySite.get(s.id());
            double[] dis = new double[cs.size()];
            for (int k = 0; k < cs.size(); k++) {
                ChargerState c = cs.get(k);
                if (c.ev == null) {
                    continue;
                }
                EvState e = evs.get(c.ev);
                double p = requested.getOrDefault(c.id, 0.0);
                if (p > 0) {
                    double room = Math.max(0, (e.ev.capacityKwh() - e.socKwh) / e.ev.chargeEfficiency() / h);
                    c.powerKw = Math.min(Math.min(p, room), Math.min(s.chargerKw(), e.ev.chargeKw()));
                    charge += c.powerKw;
                } else if (p < 0) {
                    double avail = Math.max(0, (e.socKwh - e.ev.minKwh()) * e.ev.dischargeEfficiency() / h);
                    dis[k] = Math.min(Math.min(-p, avail), Math.min(s.v2xKw(), e.ev.dischargeKw()));
                    dischargeShortKwh[1] += (-p - dis[k]) * h;
                }
            }
            double room = Math.max(0, load + charge - pvAvail);
            double discharge = 0;
            for (int k = 0; k < cs.size(); k++) {
                if (dis[k] > 0) {
                    double take = Math.min(dis[k], room - discharge);
                    cs.get(k).powerKw = -take;
                    discharge += take;
                    dischargeShortKwh[2] += (dis[k] - take) * h;
                }
            }
            for (ChargerState c : cs) {
                if (c.ev != null && c.powerKw != 0) {
                    EvState e = evs.get(c.ev);
                    e.socKwh = c.powerKw > 0 ? e.socKwh + c.powerKw * h * e.ev.chargeEfficiency()
                            : e.socKwh + c.powerKw * h / e.ev.dischargeEfficiency();
                    e.socKwh = Math.clamp(e.socKwh, 0, e.ev.capacityKwh());
                    c.sessionWh += Math.abs(c.powerKw) * h * 1000;
                }
            }
            double net = load + charge - pvAvail - discharge;
            double imp = Math.max(0, net);
            double exp = Math.max(0, -net);
            double curtailed = 0;
            if (exp > s.exportLimitKw()) {
                curtailed = exp - s.exportLimitKw();
                exp = s.exportLimitKw();
            }
            double pv = pvAvail - curtailed;
            flows[i] = new SiteFlow(load, pvAvail, pv, curtailed, charge, discharge, imp, exp);
            meters[i] = meters[i].plus(imp * h * 1000, exp * h * 1000, pv * h * 1000);
            curtailedWh[i] += curtailed * h * 1000;
        }
        lastFlows = flows;
        return flows;
    }

    private String setpointEv(ChargerState c, Instant slotStart) {
        Setpoint sp = setpoints.get(c.id, slotStart);
        return sp == null ? null : sp.ev();
    }

    public int siteIndex(String siteId) {
        return siteIndex.get(siteId);
    }
}
