package org.secondgrid.simulator.town;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TownGeneratorTest {

    @Test
    void sameSpecGivesTheSameTownAndAnotherSeedAnotherOne() {
        Town a = TownGenerator.generate(TownSpec.aizuDemo());
        Town b = TownGenerator.generate(TownSpec.aizuDemo());
        assertThat(TownJson.write(a)).isEqualTo(TownJson.write(b));
        TownSpec s = TownSpec.aizuDemo();
        Town c = TownGenerator.generate(new TownSpec(s.market(), 8, s.houses(), s.pvShare(), s.factories(), s.shops(),
                s.evs(), s.feeders(), s.manualShare()));
        assertThat(TownJson.write(c)).isNotEqualTo(TownJson.write(a));
    }

    @Test
    void aizuDemoHasTheIssuesShape() {
        Town t = TownGenerator.generate(TownSpec.aizuDemo());
        long houses = t.sites().stream().filter(s -> s.kind() == TownSite.Kind.HOUSE).count();
        long pvHouses = t.sites().stream().filter(s -> s.kind() == TownSite.Kind.HOUSE && s.pvKwp() > 0).count();
        assertThat(houses).isEqualTo(200);
        assertThat(pvHouses).isEqualTo(80);
        assertThat(t.sites()).filteredOn(s -> s.kind() == TownSite.Kind.HOUSE && s.pvKwp() > 0)
                .allSatisfy(s -> assertThat(s.pvKwp()).isBetween(3.0, 6.0));
        assertThat(t.sites()).filteredOn(s -> s.kind() == TownSite.Kind.FACTORY).hasSize(5).allSatisfy(s -> {
            assertThat(s.pvKwp()).isBetween(300.0, 1000.0);
            assertThat(s.exportLimitKw()).isZero();
            assertThat(s.loadProfile()).isEqualTo("G1");
        });
        assertThat(t.sites()).filteredOn(s -> s.kind() == TownSite.Kind.SHOP).hasSize(10)
                .allSatisfy(s -> assertThat(s.v2xKw()).isPositive());
        assertThat(t.evs()).hasSize(30).allSatisfy(e -> assertThat(e.capacityKwh()).isIn(20.0, 40.0, 62.0));
        assertThat(t.evs().stream().map(TownEv::home).distinct().count()).isEqualTo(30);
        assertThat(t.sites()).filteredOn(s -> s.kind() == TownSite.Kind.HOUSE && s.v2xKw() > 0).isNotEmpty();
        assertThat(t.feeders()).hasSize(3).allSatisfy(f -> assertThat(f.reverseCapacityKw()).isZero());
        assertThat(t.sites().stream().map(TownSite::feeder).distinct().count()).isEqualTo(3);
        assertThat(t.sites()).filteredOn(s -> "manual".equals(s.policy())).hasSize(8);
        for (TownEv e : t.evs()) {
            assertThat(t.site(e.home()).ports()).isPositive();
        }
    }

    @Test
    void committedAizuDemoFileIsTheGeneratedTown() throws Exception {
        try (InputStream in = Town.class.getResourceAsStream("/towns/aizu-demo.json")) {
            String committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(committed).isEqualTo(TownJson.write(TownGenerator.generate(TownSpec.aizuDemo())));
            assertThat(TownJson.write(TownJson.parse(committed))).isEqualTo(committed);
        }
        assertThat(TownJson.load("aizu-demo").sites()).hasSize(215);
    }

    @Test
    void badTownFilesNameTheFieldAndValue() {
        String ok = TownJson.write(TownGenerator.generate(TownSpec.small(1)));
        assertThatThrownBy(() -> TownJson.parse(ok.replaceFirst("\"exportLimitKw\" : [0-9.]+", "\"exportLimitKw\" : -3")))
                .hasMessageContaining("exportLimitKw").hasMessageContaining("-3");
        assertThatThrownBy(() -> TownJson.parse(ok.replaceFirst("\"feeder\" : \"F1\"", "\"feeder\" : \"F9\"")))
                .hasMessageContaining("feeder").hasMessageContaining("F9");
        assertThatThrownBy(() -> TownJson.load("/no/such/town.json")).hasMessageContaining("/no/such/town.json");
    }
}
