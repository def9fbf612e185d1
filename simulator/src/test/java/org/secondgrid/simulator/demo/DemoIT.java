package org.secondgrid.simulator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secondgrid.simulator.town.TownGenerator;
import org.secondgrid.simulator.town.TownJson;
import org.secondgrid.simulator.town.TownSpec;

/**
 * The whole demo on real components (embedded HiveMQ + PostgreSQL, the gateway's market and delivery, anvil and the
 * settlement ledger) on a small town, with one EV forced to stay home although it accepted a job.
 */
class DemoIT {

    @Test
    void smallTownDeliversByEvSettlesOnChainAndRecordsTheNoShow(@TempDir Path dir) throws Exception {
        // one factory with a no-backflow connection (Saturday surplus), two shops with V2B chargers, 30 houses, 6 EVs
        Path town = dir.resolve("demo-it.json");
        Files.writeString(town, TownJson.write(TownGenerator.generate(new TownSpec("demo-it", 7, 30, 0.4, 1, 2, 6, 1, 0.0))));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DemoMain.DemoResult r;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            r = DemoMain.runForTest(out, Map.of("exit", "true", "town", town.toString(), "http-port", "0",
                    "warmup-days", "14", "tick", "15", "matcher-seconds", "5", "replan-seconds", "2", "force-no-shows", "1"));
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        System.err.println(printed);
        assertThat(r).as(printed).isNotNull();
        assertThat(r.evMeasuredKwh()).as("EV-delivered kWh measured at chargers").isGreaterThan(0);
        assertThat(r.evCausedBackflow()).as("EV-caused backflow events").isZero();
        DemoMain.Settled s = r.settled();
        assertThat(s.error()).as("settlement error").isNull();
        assertThat(s.day().batches()).isPositive();
        assertThat(s.day().confirmed()).isEqualTo(s.day().batches());
        assertThat(s.day().reconciled()).isTrue();
        assertThat(s.cast()).as("a balance read back with cast").isNotNull();
        assertThat(s.cast().escrowOnChain()).isEqualTo(s.cast().escrowInLedger());
        assertThat(s.cast().certificateWhOnChain()).isEqualTo(s.cast().certificateWhInLedger());
        assertThat(r.forcedNoShows()).as("the forced no-show").hasSize(1);
        assertThat(r.noShowSitesEvDeficitKwh() + r.noShowSitesRetailerKwh())
                .as("EV deficit or backup-retailer kWh at the no-show's scheduled sites").isGreaterThan(0);
    }
}
