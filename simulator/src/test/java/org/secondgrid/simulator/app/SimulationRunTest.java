package org.secondgrid.simulator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.simulator.device.DeviceMessage;
import org.secondgrid.simulator.device.Telemetry;
import org.secondgrid.simulator.physics.MeterCounters;
import org.secondgrid.simulator.physics.SetpointBook;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownGenerator;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.town.TownSpec;

class SimulationRunTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Records what devices send, checking per device: own topic, increasing seq, never-decreasing counters. */
    static final class Recorder implements Telemetry {
        final List<DeviceMessage> all = new ArrayList<>();
        final Map<String, JsonNode> last = new HashMap<>();

        @Override
        public void send(List<DeviceMessage> messages) {
            for (DeviceMessage m : messages) {
                assertThat(m.topic()).startsWith("secondgrid/").contains("/" + m.deviceId() + "/");
                JsonNode n;
                try {
                    n = JSON.readTree(m.payload());
                } catch (Exception e) {
                    throw new AssertionError(m.payload(), e);
                }
                JsonNode prev = last.put(m.deviceId(), n);
                if (prev != null) {
                    assertThat(n.get("seq").asLong()).isGreaterThan(prev.get("seq").asLong());
                    for (String f : new String[] {"importWh", "exportWh", "pvWh"}) {
                        if (n.has(f)) {
                            assertThat(n.get(f).asDouble()).isGreaterThanOrEqualTo(prev.get(f).asDouble());
                        }
                    }
                }
                all.add(m);
            }
        }
    }

    static final Town TOWN = TownGenerator.generate(TownSpec.small(11));
    static final Instant START = LocalDate.of(2026, 12, 4).atStartOfDay(TOWN.zone()).toInstant();

    @Test
    void aDayPublishesEveryDeviceEachTickAndTheLedgerAddsUpToTheCounters() {
        Recorder rec = new Recorder();
        SimulationRun run = new SimulationRun(TOWN, SimConfig.defaults(), rec, new SetpointBook(), null, START, true);
        run.begin();
        run.advanceTo(START.plus(Duration.ofDays(1)));
        int devices = SimulationRun.devices(TOWN).size() - 1;
        int chargers = (int) SimulationRun.devices(TOWN).stream().filter(d -> "chargers".equals(d.kind())).count();
        assertThat(chargers).isPositive();
        // meters and EVs: the first readings and one per tick end; chargers: one per tick start
        assertThat(rec.all.stream().filter(m -> !m.topic().endsWith("/forecast")))
                .hasSize((devices - chargers) * 289 + chargers * 288);
        assertThat(rec.all).filteredOn(m -> m.topic().endsWith("/status")).first()
                .satisfies(m -> assertThat(m.payload()).contains("\"ts\":\"2026-12-04T00:00:00+09:00\""));
        assertThat(rec.all).filteredOn(m -> m.topic().endsWith("/reading")).first()
                .satisfies(m -> assertThat(m.payload()).contains("\"ts\":\"2026-12-04T00:00:00+09:00\""));
        // the weather service published D+1's forecast at 06:00
        assertThat(rec.all).filteredOn(m -> m.topic().endsWith("/forecast")).singleElement()
                .satisfies(m -> assertThat(m.payload()).contains("\"day\":\"2026-12-05\"").contains("\"slotMinutes\":30"));
        for (int i = 0; i < TOWN.sites().size(); i++) {
            TownSite s = TOWN.sites().get(i);
            Map<Instant, MeterCounters> slots = run.metered(s.id());
            assertThat(slots).hasSize(48);
            double imp = slots.values().stream().mapToDouble(MeterCounters::importWh).sum();
            double pv = slots.values().stream().mapToDouble(MeterCounters::pvWh).sum();
            JsonNode lastReading = rec.last.get(s.meterId());
            assertThat(imp).isCloseTo(lastReading.get("importWh").asDouble(), within(1e-6));
            assertThat(pv).isCloseTo(lastReading.get("pvWh").asDouble(), within(1e-6));
        }
    }

    @Test
    void warmUpPublishesLessButMetersTheSameSlotsAndCountersContinue() {
        Recorder a = new Recorder();
        SimulationRun plain = new SimulationRun(TOWN, SimConfig.defaults(), a, new SetpointBook(), null, START, true);
        plain.begin();
        plain.advanceTo(START.plus(Duration.ofDays(2)));

        Recorder live = new Recorder();
        Recorder bulk = new Recorder();
        SimulationRun warmed = new SimulationRun(TOWN, SimConfig.defaults(), live, new SetpointBook(), null, START, true);
        warmed.warmUp(START.plus(Duration.ofDays(1)), bulk, 6);
        warmed.begin(); // no-op: the warm-up began the run
        warmed.advanceTo(START.plus(Duration.ofDays(2)));

        long meters = TOWN.sites().size();
        assertThat(bulk.all.stream().filter(m -> m.topic().endsWith("/reading")).count()).isEqualTo(meters * 49);
        assertThat(bulk.all).noneMatch(m -> m.topic().endsWith("/status") || m.topic().endsWith("/state"));
        assertThat(live.all.stream().filter(m -> m.topic().endsWith("/reading")).count()).isEqualTo(meters * 288);
        for (TownSite s : TOWN.sites()) {
            Map<Instant, MeterCounters> x = plain.metered(s.id());
            Map<Instant, MeterCounters> y = warmed.metered(s.id());
            assertThat(y.keySet()).isEqualTo(x.keySet());
            for (Instant slot : x.keySet()) {
                assertThat(y.get(slot).importWh()).isCloseTo(x.get(slot).importWh(), within(1e-6));
                assertThat(y.get(slot).pvWh()).isCloseTo(x.get(slot).pvWh(), within(1e-6));
            }
            // live readings continue the warm-up's counters (no reset)
            String lastBulk = bulk.last.get(s.meterId()).get("importWh").asText();
            assertThat(live.all.stream().filter(m -> m.deviceId().equals(s.meterId())).findFirst().orElseThrow().payload())
                    .doesNotContain("\"importWh\":0,");
            assertThat(Double.parseDouble(lastBulk)).isLessThanOrEqualTo(
                    live.last.get(s.meterId()).get("importWh").asDouble());
        }
    }
}
