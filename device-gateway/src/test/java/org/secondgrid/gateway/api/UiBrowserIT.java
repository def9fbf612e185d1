package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web UI in Debian's headless Chromium, driven by playwright-core (npm, installed project-locally
 * into target/browser by the Maven build; no browser download): log in, see data, accept a job, another
 * owner declines hers, see the schedule change; screenshots in target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserIT {

    static final LocalDate D = LocalDate.parse("2026-12-05");
    static final Instant SIM_START = Instant.parse("2026-12-04T00:00:00Z"); // D−1 09:00 Tokyo
    static final Path BROWSER = Path.of("target/browser");
    static final String PURPOSE = "meter dispute 12";
    static final Path SHOTS = Path.of("target/screenshots");

    ApiHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new ApiHarness(SIM_START, Duration.ofSeconds(3));
        TestTown.register(h);
        Instant today = D.minusDays(1).atStartOfDay(h.market.settings().zone()).toInstant();
        h.meteredHistory("s-bob", today.minus(Duration.ofDays(14)), 14 * 48 + 18, 30,
                i -> new double[]{350 + 250 * Math.sin((i % 48) * Math.PI / 48), 20 * (i % 3), 120 * Math.max(0,
                        Math.sin(((i % 48) - 12) * Math.PI / 24))});
        h.meteredHistory("s-alice", today, 18, 30, i -> new double[]{900, 4000 * Math.max(0, Math.sin((i - 12) * Math.PI
                / 24)), 5000 * Math.max(0, Math.sin((i - 12) * Math.PI / 24))});
        h.evState("ev-bob", SIM_START.minusSeconds(300), 37.5, 139.94, 24.0);
        h.evState("ev-carol", SIM_START.minusSeconds(300), 37.501, 139.942, 41.0);
        TestTown.ordersAndAvailability(h, D);
        TestTown.ok(h.admin("POST", "/api/markets/" + TestTown.M + "/days/" + D + "/gate-closure", null));
        // the admin reads bob's meter data: bob's page shows who, when and why
        TestTown.ok(h.call("GET", "/api/sites/s-bob/metered", ApiHarness.ADMIN_TOKEN, null, "X-Purpose", PURPOSE));
        // what settlement wrote for bob's site on D-2 (the "settled on chain" table)
        h.statement("s-bob", "site", "bob", D.minusDays(2), 0, 2_500, 0, 75.5, "0xabc0000000000000000000000000000000000000000000000000000000000def");
        // what delivery would have recorded for the first half of D (the operator's charts)
        Instant d0 = D.atStartOfDay(h.market.settings().zone()).toInstant();
        try (var c = h.db.connect(); var st = c.createStatement()) {
            for (int slot = 0; slot < 30; slot++) {
                Instant start = d0.plus(Duration.ofMinutes(30L * slot));
                for (String[] r : List.of(new String[]{"s-alice", "F1"}, new String[]{"s-bob", "F2"},
                        new String[]{"s-dave", "F2"})) {
                    double imbalance = Math.round(100 * Math.sin(slot / 3.0 + r[0].length()) * (r[1].equals("F1") ? 1.5 : 0.6))
                            / 100.0;
                    st.executeUpdate("INSERT INTO delivery_imbalance VALUES ('" + TestTown.M + "', '" + D + "', " + slot
                            + ", '" + start + "', '" + r[0] + "', '" + r[1] + "', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
                            + imbalance + ", 0, 0, 0, 0, false, now())");
                }
                if (slot >= 22 && slot <= 26) {
                    st.executeUpdate("INSERT INTO delivery_backflow VALUES ('" + TestTown.M + "', '" + D + "', " + slot
                            + ", '" + start + "', 's-alice', 'F1', 0, " + (0.2 * (slot - 21)) + ", " + (0.2 * (slot - 21))
                            + ", false, 0, now())");
                }
                st.executeUpdate("INSERT INTO delivery_slot_closed VALUES ('" + TestTown.M + "', '" + D + "', " + slot
                        + ", now())");
            }
        }
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void logInSeeDataAcceptAJobAndSeeTheScheduleChange() throws Exception {
        assertThat(BROWSER.resolve("node_modules/playwright-core")).as("npm ci ran in pre-integration-test")
                .isDirectory();
        Path profile = Files.createTempDirectory("chromium-profile");
        Files.createDirectories(SHOTS);
        try (var old = Files.list(SHOTS)) {
            old.forEach(p -> p.toFile().delete());
        }
        ProcessBuilder pb = new ProcessBuilder("node", "ui-test.mjs").directory(BROWSER.toFile())
                .redirectErrorStream(true);
        pb.environment().put("BASE_URL", h.base);
        pb.environment().put("SHOT_DIR", SHOTS.toAbsolutePath().toString());
        pb.environment().put("PROFILE_DIR", profile.toString());
        pb.environment().put("DELIVERY_DAY", D.toString());
        pb.environment().put("LOGGED_PURPOSE", PURPOSE);
        Process p = pb.start();
        String out;
        try {
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as("browser script finished in 5 minutes: %s", out).isTrue();
        } finally {
            ApiHarness.deleteTree(profile);
        }
        assertThat(p.exitValue()).as(out).isZero();
        String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonObject found = new JsonObject(last);
        assertThat(found.getString("loginError")).contains("wrong password");
        assertThat(found.getString("energyStageBefore")).contains("v1").contains("gate");
        assertThat(found.getString("energyStageAfter")).contains("v2").contains("replan");
        assertThat(found.getInteger("timelineStops")).isPositive();
        assertThat(found.getString("settled")).contains(D.minusDays(2).toString()).contains("2.50").contains("confirmed")
                .contains("0xabc000").contains("(42)");
        assertThat(found.getString("certificates")).contains("2.50 kWh of " + D.minusDays(2).toString().substring(0, 7));

        // what the clicks did, seen through the API
        String bob = h.login("bob", TestTown.pw("bob"));
        String carol = h.login("carol", TestTown.pw("carol"));
        assertThat(h.call("GET", "/api/jobs?day=" + D, bob, null).array("jobs").getJsonObject(0).getString("status"))
                .isEqualTo("accepted");
        assertThat(h.call("GET", "/api/jobs?day=" + D, carol, null).array("jobs").getJsonObject(0).getString("status"))
                .isEqualTo("declined");
        assertThat(found.getInteger("consentStatus")).isEqualTo(200);
        assertThat(h.call("GET", "/api/me/consents", bob, null).body().getBoolean("shareDemandData"))
                .as("bob opted in on the page").isTrue();
        for (String shot : List.of("01-login-refused", "02-energy-bob", "03-jobs-offered", "04-jobs-accepted",
                "05-jobs-declined", "06-energy-bob-after-replan", "07-energy-alice", "08-grid-operator")) {
            Path f = SHOTS.resolve(shot + ".png");
            assertThat(f).exists();
            assertThat(Files.size(f)).as(shot).isGreaterThan(10_000);
        }
    }
}
