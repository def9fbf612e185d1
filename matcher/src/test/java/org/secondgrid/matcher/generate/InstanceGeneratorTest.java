package org.secondgrid.matcher.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;
import org.secondgrid.matcher.domain.Travel;
import org.secondgrid.matcher.io.InstanceJson;

class InstanceGeneratorTest {

    private static final InstanceGenerator GENERATOR = new InstanceGenerator();

    private static Instance town(int sites, int evs, long seed) {
        return GENERATOR.generate(new GeneratorConfig(sites, evs, seed));
    }

    private static List<Site> kind(Instance in, String prefix) {
        return in.sites().stream().filter(s -> s.id().startsWith(prefix + "-")).toList();
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDiffers() {
        String a = InstanceWriter.write(town(200, 30, 7));
        String b = InstanceWriter.write(new InstanceGenerator().generate(new GeneratorConfig(200, 30, 7)));
        String c = InstanceWriter.write(town(200, 30, 8));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(InstanceJson.parse(c).offers()).isNotEqualTo(InstanceJson.parse(a).offers());
    }

    @ParameterizedTest
    @CsvSource({"1,0,1", "1,3,2", "4,2,3", "5,1,4", "10,3,5", "57,8,6", "200,30,7", "2000,120,8", "30,100,9"})
    void generatedInstancesPassValidationAndRoundTrip(int sites, int evs, long seed) {
        Instance in = town(sites, evs, seed);
        Instance back = InstanceJson.parse(InstanceWriter.write(in));
        assertThat(back).isEqualTo(in);
        assertThat(back.sites()).hasSize(sites);
        assertThat(back.evs()).hasSize(evs);
        assertThat(back.slots()).isEqualTo(48);
        assertThat(back.slotMinutes()).isEqualTo(30);
        assertThat(back.gridFeeJpyPerKwh()).isEqualTo(8.0);
        assertThat(back.speedKmh()).isEqualTo(30.0);
        assertThat(back.distancesKm()).isNull();
        assertThat(back.deliveryDay()).isEqualTo(LocalDate.of(2026, 12, 5));
        for (Offer o : back.offers()) {
            assertThat(o.kwh()).isPositive();
            assertThat(o.kwh() * 1000).isCloseTo(Math.rint(o.kwh() * 1000), org.assertj.core.data.Offset.offset(1e-6));
        }
        Set<String> sitesWithOffer = new HashSet<>();
        back.offers().forEach(o -> sitesWithOffer.add(o.site() + "/" + o.slot()));
        for (Bid b : back.bids()) {
            assertThat(b.kwh()).isPositive();
            assertThat(sitesWithOffer.contains(b.site() + "/" + b.slot()))
                    .as("%s offers and bids in slot %d", b.site(), b.slot()).isFalse();
        }
    }

    @Test
    void dayAndMarketAreTakenFromTheConfig() {
        Instance in = GENERATOR.generate(new GeneratorConfig(20, 2, 1, LocalDate.of(2027, 6, 16), "test-town"));
        assertThat(in.deliveryDay()).isEqualTo(LocalDate.of(2027, 6, 16));
        assertThat(in.market()).isEqualTo("test-town");
    }

    @Test
    void townHasTheIssuesMixOfSitesAndFeeders() {
        Instance in = town(1000, 50, 11);
        List<Site> factories = kind(in, "factory");
        List<Site> shops = kind(in, "shop");
        List<Site> houses = kind(in, "house");
        assertThat(factories).hasSize(25);
        assertThat(shops).hasSize(50);
        assertThat(houses).hasSize(925);
        assertThat(factories).allSatisfy(f -> {
            assertThat(f.exportLimitKw()).isZero();
            assertThat(f.ports()).isBetween(2, 6);
            assertThat(f.chargerKw()).isEqualTo(50.0);
        });
        assertThat(shops).allSatisfy(s -> {
            assertThat(s.exportLimitKw()).isZero();
            assertThat(s.ports()).isBetween(1, 2);
            assertThat(s.v2xKw()).isBetween(10.0, 20.0);
        });
        assertThat(houses).allSatisfy(h -> assertThat(h.exportLimitKw()).isIn(0.0, 1.0, 2.0, 3.0, 4.0));
        assertThat(houses.stream().filter(h -> h.exportLimitKw() > 0).count()).isPositive();

        // Houses with any offer have PV: about 40-60 % of them (fewer if some PV never beats the load).
        Set<String> offering = new HashSet<>();
        in.offers().forEach(o -> offering.add(o.site()));
        long pvHouses = houses.stream().filter(h -> offering.contains(h.id())).count();
        assertThat(pvHouses).isBetween(houses.size() * 30L / 100, houses.size() * 62L / 100);

        // About one feeder per 70 sites, most with no reverse capacity, the others 5-50 kW.
        assertThat(in.feeders().size()).isBetween(10, 14);
        assertThat(in.feeders()).allSatisfy(f -> assertThat(f.reverseCapacityKw() == 0
                || f.reverseCapacityKw() >= 5 && f.reverseCapacityKw() <= 50).isTrue());
        long zero = in.feeders().stream().filter(f -> f.reverseCapacityKw() == 0).count();
        assertThat(zero * 2).isGreaterThan(in.feeders().size());
        Set<String> used = new HashSet<>();
        in.sites().forEach(s -> used.add(s.feeder()));
        assertThat(used).containsExactlyInAnyOrderElementsOf(in.feeders().stream().map(Feeder::id).toList());
    }

    @Test
    void smallTownsHaveAFactoryFromFiveSites() {
        assertThat(kind(town(4, 0, 1), "factory")).isEmpty();
        assertThat(kind(town(5, 0, 1), "factory")).hasSize(1);
        assertThat(kind(town(10, 0, 1), "shop")).hasSize(1);
        assertThat(town(3, 0, 1).feeders()).hasSize(1);
    }

    @Test
    void townRadiusGrowsWithTheSquareRootOfTheSiteCount() {
        double small = maxKmFromCentre(town(200, 0, 3));
        double large = maxKmFromCentre(town(5000, 0, 3));
        assertThat(small).isLessThanOrEqualTo(0.15 * Math.sqrt(200) + 0.01).isGreaterThan(0.15 * Math.sqrt(200) * 0.8);
        assertThat(large).isLessThanOrEqualTo(0.15 * Math.sqrt(5000) + 0.05).isGreaterThan(0.15 * Math.sqrt(5000) * 0.8);
    }

    private static double maxKmFromCentre(Instance in) {
        return in.sites().stream().mapToDouble(s -> Travel.greatCircleKm(InstanceGenerator.CENTER_LAT,
                InstanceGenerator.CENTER_LON, s.lat(), s.lon())).max().orElseThrow();
    }

    @Test
    void factoriesHaveMiddaySurplusOnTheSaturdayAndFarLessOnAWeekday() {
        for (long seed = 1; seed <= 6; seed++) {
            Instance saturday = GENERATOR.generate(new GeneratorConfig(200, 0, seed));
            Instance wednesday = GENERATOR.generate(new GeneratorConfig(200, 0, seed, LocalDate.of(2026, 12, 2), "m"));
            for (Site f : kind(saturday, "factory")) {
                double midday = saturday.offers().stream()
                        .filter(o -> o.site().equals(f.id()) && o.slot() >= 22 && o.slot() <= 26)
                        .mapToDouble(Offer::kwh).sum();
                assertThat(midday).as("seed %d %s offers 11:00-13:30 on Saturday", seed, f.id()).isGreaterThan(10);
            }
            double sat = factoryOffered(saturday);
            double wed = factoryOffered(wednesday);
            assertThat(sat).as("seed %d factory surplus Saturday vs Wednesday", seed).isGreaterThan(3 * wed);
        }
    }

    private static double factoryOffered(Instance in) {
        return in.offers().stream().filter(o -> o.site().startsWith("factory-")).mapToDouble(Offer::kwh).sum();
    }

    @Test
    void noPvAtNightAndEverySiteBidsAtNightNearTheRetailTariff() {
        Instance in = town(300, 0, 5);
        assertThat(in.offers()).allSatisfy(o -> assertThat(o.slot()).isBetween(13, 33));
        for (Site s : in.sites()) {
            Bid night = in.bids().stream().filter(b -> b.site().equals(s.id()) && b.slot() == 2).findFirst()
                    .orElseThrow(() -> new AssertionError(s.id() + " has no bid at 01:00"));
            if (s.id().startsWith("shop-")) {
                assertThat(night.bidJpyPerKwh()).isBetween(27.0, 29.0);
            } else {
                assertThat(night.bidJpyPerKwh()).isBetween(28.0, 32.0);
            }
        }
        assertThat(in.offers()).allSatisfy(o -> assertThat(o.askJpyPerKwh()).isBetween(0.0, 10.0));
        // Household night load is a few hundred Wh per half hour, not kWh.
        assertThat(in.bids().stream().filter(b -> b.site().startsWith("house-") && b.slot() == 2)
                .mapToDouble(Bid::kwh).average().orElseThrow()).isBetween(0.05, 0.5);
    }

    @Test
    void evsAndTheirHomesAreInTheIssuesRanges() {
        Instance in = town(400, 120, 21);
        Map<String, Site> sites = new HashMap<>();
        in.sites().forEach(s -> sites.put(s.id(), s));
        int v2h = 0;
        Set<Double> capacities = new HashSet<>();
        for (Ev e : in.evs()) {
            Site home = sites.get(e.home());
            assertThat(home.id()).startsWith("house-");
            assertThat(home.ports()).isEqualTo(1);
            if (home.v2xKw() > 0) {
                v2h++;
                assertThat(home.chargerKw()).isEqualTo(6.0);
                assertThat(home.v2xKw()).isEqualTo(6.0);
            }
            capacities.add(e.capacityKwh());
            assertThat(e.capacityKwh()).isIn(20.0, 40.0, 62.0);
            assertThat(e.chargeKw()).isBetween(6.0, 50.0);
            assertThat(e.dischargeKw()).isEqualTo(6.0);
            assertThat(e.chargeEfficiency()).isBetween(0.9, 0.95);
            assertThat(e.dischargeEfficiency()).isBetween(0.9, 0.95);
            assertThat(e.consumptionKwhPerKm()).isBetween(0.12, 0.2);
            assertThat(e.availableFrom()).isBetween(14, 20);
            assertThat(e.availableTo()).isBetween(34, 44);
            assertThat(e.feeJpyPerKwh()).isBetween(2.0, 6.0);
            assertThat(e.feeJpyPerKm()).isBetween(5.0, 20.0);
            assertThat(e.initialKwh()).isBetween(0.5 * e.capacityKwh(), 0.9 * e.capacityKwh());
            assertThat(e.minKwh()).isBetween(0.2 * e.capacityKwh(), 0.4 * e.capacityKwh())
                    .isLessThanOrEqualTo(e.initialKwh());
        }
        assertThat(capacities).containsExactlyInAnyOrder(20.0, 40.0, 62.0);
        assertThat(v2h).isBetween(20, 80);
        assertThat(in.evs().stream().map(Ev::home).distinct().count()).isEqualTo(120);
        long homesWithPorts = in.sites().stream().filter(s -> s.id().startsWith("house-") && s.ports() > 0).count();
        assertThat(homesWithPorts).isEqualTo(120);
    }

    @Test
    void moreEvsThanHomesShareHomes() {
        Instance in = town(12, 40, 2);
        assertThat(in.evs()).hasSize(40);
        assertThat(in.evs().stream().map(Ev::home).distinct().count()).isEqualTo(kind(in, "house").size());
    }

    @Test
    void evCountDoesNotChangeTheOrders() {
        Instance a = town(150, 0, 4);
        Instance b = town(150, 25, 4);
        assertThat(b.offers()).isEqualTo(a.offers());
        assertThat(b.bids()).isEqualTo(a.bids());
    }
}
