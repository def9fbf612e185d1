package org.secondgrid.simulator.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.generate.LoadProfiles;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownEv;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Weather;

class TownPhysicsTest {

    static final LocalDate SATURDAY = LocalDate.of(2026, 12, 5);
    static final LoadProfiles PROFILES = new LoadProfiles();

    static TownPhysics physics(Town town, SetpointBook book) {
        return new TownPhysics(town, new Weather(town.seed(), town.zone(), town.lat(), town.lon(), 5), PROFILES, book);
    }

    static Instant slotStart(Town town, LocalDate day, int slot) {
        return day.atStartOfDay(town.zone()).toInstant().plusSeconds(slot * 1800L);
    }

    /** Runs a whole day, checking per tick and site: balance, PV and export limits, meters count the flows. */
    static List<SiteFlow[]> runDay(TownPhysics p, LocalDate day) {
        Town town = p.town();
        List<SiteFlow[]> out = new ArrayList<>();
        double h = 5 / 60.0;
        for (int tick = 0; tick < 288; tick++) {
            MeterCounters[] before = new MeterCounters[town.sites().size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = p.meter(i);
            }
            SiteFlow[] flows = p.step(day, tick, slotStart(town, day, tick / 6));
            for (int i = 0; i < flows.length; i++) {
                SiteFlow f = flows[i];
                TownSite s = town.sites().get(i);
                assertThat(f.importKw() - f.exportKw())
                        .isCloseTo(f.loadKw() + f.chargeKw() - f.pvKw() - f.dischargeKw(), within(1e-9));
                assertThat(f.importKw() * f.exportKw()).isZero();
                assertThat(f.exportKw()).isLessThanOrEqualTo(s.exportLimitKw() + 1e-12);
                assertThat(f.pvKw()).isBetween(-1e-12, f.pvAvailKw() + 1e-12);
                assertThat(f.pvKw() + f.curtailedKw()).isCloseTo(f.pvAvailKw(), within(1e-9));
                assertThat(f.dischargeKw()).isLessThanOrEqualTo(Math.max(0, f.loadKw() + f.chargeKw() - f.pvAvailKw()) + 1e-9);
                MeterCounters d = p.meter(i).minus(before[i]);
                assertThat(d.importWh()).isCloseTo(f.importKw() * h * 1000, within(1e-6));
                assertThat(d.exportWh()).isCloseTo(f.exportKw() * h * 1000, within(1e-6));
                assertThat(d.pvWh()).isCloseTo(f.pvKw() * h * 1000, within(1e-6));
            }
            for (TownPhysics.EvState e : p.evs().values()) {
                assertThat(e.socKwh).isBetween(0.0, e.ev.capacityKwh());
            }
            out.add(flows);
        }
        return out;
    }

    @Test
    void aizuDemoSaturdayBalancesEveryMeterAndNoBackflowSitesCurtailInsteadOfExporting() {
        Town town = TownJson.load("aizu-demo");
        TownPhysics p = physics(town, new SetpointBook());
        List<SiteFlow[]> day = runDay(p, SATURDAY);
        int f1 = p.siteIndex("factory-1");
        double curtailed = p.curtailedWh(f1);
        double exported = p.meter(f1).exportWh();
        assertThat(exported).isZero();
        assertThat(curtailed).isPositive(); // a Saturday: 940 kWp against an idle factory
        assertThat(p.meter(f1).pvWh()).isPositive();
        // same factory, the Friday before: load takes more of the PV, so less is curtailed
        TownPhysics friday = physics(town, new SetpointBook());
        runDay(friday, SATURDAY.minusDays(1));
        assertThat(friday.curtailedWh(f1) / (friday.curtailedWh(f1) + friday.meter(f1).pvWh()))
                .isLessThan(curtailed / (curtailed + p.meter(f1).pvWh()));
        assertThat(day).hasSize(288);
    }

    @Test
    void sameSeedSameDay() {
        Town town = TownJson.load("aizu-demo");
        TownPhysics a = physics(town, new SetpointBook());
        TownPhysics b = physics(town, new SetpointBook());
        runDay(a, SATURDAY);
        runDay(b, SATURDAY);
        for (int i = 0; i < town.sites().size(); i++) {
            assertThat(a.meter(i)).isEqualTo(b.meter(i));
        }
    }

    @Test
    void evFollowsItsItineraryAndChargersFollowSetpointsWithinBatteryLimits() {
        Town town = TownJson.load("aizu-demo");
        TownEv ev = town.evs().getFirst();
        SetpointBook book = new SetpointBook();
        TownPhysics p = physics(town, book);
        // charge at factory-1 in slots 20..25, discharge at shop-1 in slots 30..33, home by 40
        Solution.Itinerary it = new Solution.Itinerary(ev.id(), List.of(
                new Solution.Stop("factory-1", 20, 25, List.of()),
                new Solution.Stop("shop-1", 30, 33, List.of())));
        p.plan(SATURDAY, ev.id(), EvPlan.of(town, ev.home(), it, 30));
        String fc = town.site("factory-1").chargerIds().getFirst();
        String sc = town.site("shop-1").chargerIds().getFirst();
        for (int s = 20; s <= 25; s++) {
            book.put(new Setpoint(fc, slotStart(town, SATURDAY, s), ev.id(), 50.0));
        }
        for (int s = 30; s <= 33; s++) {
            book.put(new Setpoint(sc, slotStart(town, SATURDAY, s), ev.id(), -10.0));
        }
        // a setpoint for an EV that is not there does nothing
        book.put(new Setpoint(fc, slotStart(town, SATURDAY, 35), ev.id(), 50.0));
        double h = 5 / 60.0;
        double soc = p.evs().get(ev.id()).socKwh;
        double charged = 0;
        double discharged = 0;
        double shopChargerKw = 0;
        for (int tick = 0; tick < 288; tick++) {
            int slot = tick / 6;
            p.step(SATURDAY, tick, slotStart(town, SATURDAY, slot));
            TownPhysics.EvState e = p.evs().get(ev.id());
            TownPhysics.ChargerState c = p.chargers().get(fc);
            if (slot >= 20 && slot <= 25) {
                assertThat(e.site).isEqualTo("factory-1");
                assertThat(c.ev).isEqualTo(ev.id());
                assertThat(c.powerKw).isBetween(0.0, Math.min(50.0, ev.chargeKw()));
                charged += c.powerKw * h;
            } else if (slot >= 30 && slot <= 33) {
                TownPhysics.ChargerState sh = p.chargers().get(sc);
                assertThat(e.site).isEqualTo("shop-1");
                assertThat(sh.ev).isEqualTo(ev.id());
                assertThat(-sh.powerKw).isBetween(0.0, Math.min(town.site("shop-1").v2xKw(), ev.dischargeKw()));
                shopChargerKw = Math.min(shopChargerKw, sh.powerKw);
                discharged += -sh.powerKw * h;
                assertThat(e.socKwh).isGreaterThanOrEqualTo(ev.minKwh() - 1e-9);
            } else if (slot == 35) {
                assertThat(c.ev).isNull();
                assertThat(c.powerKw).isZero();
            }
            if (slot == 27) {
                assertThat(p.planOf(SATURDAY, ev.id()).siteAt(slot)).isIn(null, "shop-1");
            }
            if (slot >= 41) {
                assertThat(e.site).isEqualTo(ev.home());
            }
        }
        assertThat(charged).isPositive();
        assertThat(discharged).isPositive();
        assertThat(shopChargerKw).isNegative();
        double km = EvPlan.km(town, ev.home(), "factory-1") + EvPlan.km(town, "factory-1", "shop-1")
                + EvPlan.km(town, "shop-1", ev.home());
        double expected = Math.min(ev.capacityKwh(), soc + charged * ev.chargeEfficiency())
                - discharged / ev.dischargeEfficiency() - km * ev.consumptionKwhPerKm();
        // after slot 40 the owner may charge at home again (outside the window): compare before that
        assertThat(p.evs().get(ev.id()).socKwh).isGreaterThanOrEqualTo(Math.max(0, expected) - 1e-6);
    }

    @Test
    void homeChargingFillsTheCarAtNightButNeverAboveItsCapacityAndDischargeStopsAtTheReserve() {
        Town town = TownJson.load("aizu-demo");
        TownEv ev = town.evs().stream().filter(e -> town.site(e.home()).v2xKw() > 0).findFirst().orElseThrow();
        SetpointBook book = new SetpointBook();
        TownPhysics p = physics(town, book);
        String hc = town.site(ev.home()).chargerIds().getFirst();
        p.evs().get(ev.id()).socKwh = ev.minKwh() + 1.0;
        for (int s = ev.availableFrom(); s < ev.availableTo(); s++) {
            book.put(new Setpoint(hc, slotStart(town, SATURDAY, s), ev.id(), -6.0));
        }
        runDay(p, SATURDAY);
        // discharged at most 1 kWh × η out of its reserve margin, then recharged at night to the owner's target
        assertThat(p.evs().get(ev.id()).socKwh).isLessThanOrEqualTo(ev.capacityKwh());
        assertThat(p.evs().get(ev.id()).socKwh).isGreaterThan(ev.minKwh());
    }
}
