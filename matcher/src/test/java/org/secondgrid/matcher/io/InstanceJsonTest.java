package org.secondgrid.matcher.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Travel;

class InstanceJsonTest {

    static String tiny() throws IOException {
        try (InputStream in = InstanceJsonTest.class.getResourceAsStream("/tiny-instance.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheSpecExample() throws IOException {
        Instance in = InstanceJson.parse(tiny());
        assertThat(in.sites()).hasSize(4);
        assertThat(in.evs().getFirst().availableTo()).isEqualTo(40);
        assertThat(in.slotHours()).isEqualTo(0.5);
        Travel travel = new Travel(in);
        assertThat(travel.km("factory-1", "house-7")).isGreaterThan(1).isLessThan(5);
        assertThat(travel.slots("factory-1", "house-7")).isEqualTo(1);
        assertThat(travel.slots("house-7", "house-7")).isZero();
    }

    @Test
    void roundTripsThroughWrite() throws IOException {
        Instance in = InstanceJson.parse(tiny());
        assertThat(InstanceJson.parse(InstanceJson.write(in))).isEqualTo(in);
    }

    @Test
    void rejectsMinAboveCapacityNamingFieldAndValue() throws IOException {
        String bad = tiny().replace("\"minKwh\": 8.0", "\"minKwh\": 50.0");
        assertThatThrownBy(() -> InstanceJson.parse(bad)).isInstanceOf(InvalidInstanceException.class)
                .hasMessageContaining("evs[0].minKwh=50.0 exceeds capacityKwh=40.0");
    }

    @Test
    void rejectsEveryBrokenRuleAtOnce() throws IOException {
        String bad = tiny()
                .replace("\"feeder\": \"F2\", \"lat\": 37.50", "\"feeder\": \"F9\", \"lat\": 37.50")
                .replace("\"slot\": 36", "\"slot\": 48")
                .replace("\"chargeEfficiency\": 0.95", "\"chargeEfficiency\": 1.2")
                .replace("\"availableFrom\": 18", "\"availableFrom\": 41")
                .replace("\"kwh\": 1.5", "\"kwh\": -1.5");
        assertThatThrownBy(() -> InstanceJson.parse(bad)).isInstanceOfSatisfying(InvalidInstanceException.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "sites[1].feeder='F9' is not a feeder id",
                        "bids[0].slot=48 must be in [0, 47]",
                        "evs[0].chargeEfficiency=1.2 must be in (0, 1]",
                        "evs[0].availableFrom=41 exceeds availableTo=40",
                        "offers[1].kwh=-1.5 must be a finite number >= 0"));
    }

    @Test
    void rejectsDuplicatesAndDanglingReferences() throws IOException {
        String bad = tiny().replace("\"id\": \"house-7\"", "\"id\": \"house-3\"");
        assertThatThrownBy(() -> InstanceJson.parse(bad)).hasMessageContaining("sites[3].id='house-3' is not unique")
                .hasMessageContaining("bids[0].site='house-7' is not a site id");
        String twice = tiny().replace("\"slot\": 25, \"kwh\": 0.8", "\"slot\": 36, \"kwh\": 0.8")
                .replace("\"site\": \"house-3\", \"slot\": 36", "\"site\": \"house-7\", \"slot\": 36");
        assertThatThrownBy(() -> InstanceJson.parse(twice))
                .hasMessageContaining("bids[1] is a second order for site 'house-7' slot 36");
    }

    @Test
    void rejectsWrongTypesAndMalformedJson() throws IOException {
        String wrongType = tiny().replace("\"capacityKwh\": 40.0", "\"capacityKwh\": \"forty\"");
        assertThatThrownBy(() -> InstanceJson.parse(wrongType))
                .hasMessageContaining("evs[0].capacityKwh=\"forty\" is not a number");
        assertThatThrownBy(() -> InstanceJson.parse("{\"modelVersion\": 1,"))
                .isInstanceOf(InvalidInstanceException.class).hasMessageContaining("not valid JSON");
    }
}
