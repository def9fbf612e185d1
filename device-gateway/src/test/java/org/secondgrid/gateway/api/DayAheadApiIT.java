package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A whole day-ahead cycle of a small town through the REST API only, on the real embedded PostgreSQL and
 * the real matcher (10 s deadline): the admin registers the town; prosumers set auto and manual orders;
 * EV owners declare availability; the admin runs gate closure; one EV owner accepts, the other declines
 * (re-plan keeps the accepted itinerary); the admin publishes the final schedule, which everyone reads.
 * (Only the metered history behind bob's auto orders is written straight to metered_slot, as ingest would.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DayAheadApiIT {

    static final LocalDate D = LocalDate.parse("2026-12-05");
    static final Instant SIM_START = Instant.parse("2026-12-04T00:00:00Z"); // D−1 09:00 Tokyo

    ApiHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new ApiHarness(SIM_START, Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void fullDayAheadCycleThroughTheApi() throws Exception {
        String m = TestTown.M;
        TestTown.register(h);
        h.meteredHistory("s-bob", D.minusDays(14).atStartOfDay(h.market.settings().zone()).toInstant(), 14 * 48, 30,
                i -> new double[]{400 + 300 * Math.sin((i % 48) * Math.PI / 48), 0, 0});
        TestTown.ordersAndAvailability(h, D);
        String alice = h.login("alice", TestTown.pw("alice"));
        String bob = h.login("bob", TestTown.pw("bob"));
        String carol = h.login("carol", TestTown.pw("carol"));
        String dave = h.login("dave", TestTown.pw("dave"));

        // orders as the owners see them: manual (alice's offers) and auto (bob's bids from his forecast)
        JsonObject aliceOrders = TestTown.ok(h.call("GET", "/api/sites/s-alice/orders/" + D, alice, null)).body();
        assertThat(aliceOrders.getString("mode")).isEqualTo("manual");
        assertThat(aliceOrders.getJsonArray("offers")).hasSize(10);
        JsonObject bobOrders = TestTown.ok(h.call("GET", "/api/sites/s-bob/orders/" + D, bob, null)).body();
        assertThat(bobOrders.getString("mode")).isEqualTo("auto");
        assertThat(bobOrders.getJsonArray("bids").size()).as("auto bids from the forecast load").isGreaterThan(20);
        JsonObject forecast = TestTown.ok(h.call("GET", "/api/sites/s-bob/forecast?day=" + D, bob, null)).body();
        assertThat(forecast.getJsonArray("slots")).hasSize(48);
        assertThat(h.call("GET", "/api/sites/s-bob/schedule?day=" + D, bob, null).body().getBoolean("available"))
                .isFalse();

        // gate closure: the real matcher clears the day and offers each EV its itinerary
        JsonObject gate = TestTown.ok(h.admin("POST", "/api/markets/" + m + "/days/" + D + "/gate-closure", null)).body();
        assertThat(gate.getString("stage")).isEqualTo("gate");
        assertThat(gate.getString("source")).as(gate.encode()).isEqualTo("matcher");
        assertThat(gate.getDouble("welfareJpy")).isPositive();
        JsonObject bobJob = onlyJob(bob);
        JsonObject carolJob = onlyJob(carol);
        assertThat(bobJob.getString("status")).isEqualTo("offered");
        assertThat(bobJob.getDouble("payJpy")).isPositive();
        assertThat(bobJob.getJsonObject("itinerary").getJsonArray("stops")).isNotEmpty();

        // bob accepts, carol declines: the day is re-planned around bob's accepted itinerary
        JsonObject accepted = TestTown.ok(h.call("POST", "/api/jobs/" + bobJob.getString("jobId") + "/accept", bob, null))
                .body();
        assertThat(accepted.getString("status")).isEqualTo("accepted");
        JsonObject declined = TestTown.ok(h.call("POST", "/api/jobs/" + carolJob.getString("jobId") + "/decline", carol,
                null)).body();
        assertThat(declined.getString("status")).isEqualTo("declined");
        ApiHarness.Res again = h.call("POST", "/api/jobs/" + carolJob.getString("jobId") + "/accept", carol, null);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);

        JsonObject day = TestTown.ok(h.admin("GET", "/api/markets/" + m + "/days/" + D, null)).body();
        List<String> stages = stages(day);
        assertThat(stages).startsWith("gate", "replan");

        // the final schedule: bob's itinerary exactly, carol's EV gone, grid re-cleared
        JsonObject fin = TestTown.ok(h.admin("POST", "/api/markets/" + m + "/days/" + D + "/final", null)).body();
        assertThat(fin.getString("stage")).isEqualTo("final");
        assertThat(fin.getInteger("itineraries")).isEqualTo(1);
        assertThat(stages(TestTown.ok(h.admin("GET", "/api/markets/" + m + "/days/" + D, null)).body()))
                .endsWith("final");
        JsonObject bobAfter = onlyJob(bob);
        assertThat(bobAfter.getString("status")).isEqualTo("accepted");
        assertThat(bobAfter.getJsonObject("itinerary")).isEqualTo(bobJob.getJsonObject("itinerary"));
        assertThat(onlyJob(carol).getString("status")).isEqualTo("declined");

        // every site's EV energy in the final schedule is exactly what bob's itinerary does there
        Map<String, Map<Integer, double[]>> itinerary = new TreeMap<>(); // site -> slot -> {charge, discharge}
        for (Object o : bobJob.getJsonObject("itinerary").getJsonArray("stops")) {
            JsonObject st = (JsonObject) o;
            for (Object x : st.getJsonArray("slots")) {
                JsonObject sl = (JsonObject) x;
                double[] v = itinerary.computeIfAbsent(st.getString("site"), k -> new TreeMap<>())
                        .computeIfAbsent(sl.getInteger("slot"), k -> new double[2]);
                v[0] += sl.getDouble("chargeKwh", 0.0);
                v[1] += sl.getDouble("dischargeKwh", 0.0);
            }
        }
        // carol is an EV owner only: her home's schedule is read by the admin, with a purpose
        Map<String, String> owners = Map.of("s-alice", alice, "s-bob", bob, "s-dave", dave,
                "s-carol", ApiHarness.ADMIN_TOKEN);
        double soldByAlice = 0;
        for (var site : owners.entrySet()) {
            JsonObject sched = TestTown.ok(h.call("GET", "/api/sites/" + site.getKey() + "/schedule?day=" + D,
                    site.getValue(), null, "X-Purpose", "day-ahead test")).body();
            assertThat(sched.getBoolean("available")).isTrue();
            assertThat(sched.getString("stage")).isEqualTo("final");
            Map<Integer, double[]> expected = itinerary.getOrDefault(site.getKey(), Map.of());
            for (Object o : sched.getJsonArray("slots")) {
                JsonObject sl = (JsonObject) o;
                double[] e = expected.getOrDefault(sl.getInteger("slot"), new double[2]);
                assertThat(sl.getDouble("soldEvKwh")).as("%s slot %s", site.getKey(), sl.getInteger("slot"))
                        .isCloseTo(e[0], within(0.001));
                assertThat(sl.getDouble("boughtEvKwh")).as("%s slot %s", site.getKey(), sl.getInteger("slot"))
                        .isCloseTo(e[1], within(0.001));
            }
            double evIn = sched.getJsonArray("slots").stream().mapToDouble(x -> ((JsonObject) x).getDouble("soldEvKwh")
                    + ((JsonObject) x).getDouble("boughtEvKwh")).sum();
            double evExpected = expected.values().stream().mapToDouble(v -> v[0] + v[1]).sum();
            assertThat(evIn).as(site.getKey()).isCloseTo(evExpected, within(0.01));
            if (site.getKey().equals("s-alice")) {
                soldByAlice = sched.getJsonObject("totals").getDouble("soldKwh");
            }
        }
        assertThat(soldByAlice).as("alice's surplus reaches buyers in bob's EV").isPositive();

        // money: alice earns, dave pays, bob's earnings are his accepted job's pay
        JsonObject aliceTrades = TestTown.ok(h.call("GET", "/api/trades?day=" + D, alice, null)).body();
        assertThat(aliceTrades.getJsonObject("totals").getDouble("earnedJpy")).isPositive();
        assertThat(aliceTrades.getJsonArray("trades").stream().allMatch(t -> ((JsonObject) t).getString("channel")
                .equals("ev-bob"))).isTrue();
        JsonObject daveTrades = TestTown.ok(h.call("GET", "/api/trades?day=" + D, dave, null)).body();
        assertThat(daveTrades.getJsonObject("totals").getDouble("paidJpy")).isPositive();
        JsonObject earnings = TestTown.ok(h.call("GET", "/api/earnings", bob, null)).body();
        assertThat(earnings.getDouble("totalJpy")).isCloseTo(bobJob.getDouble("payJpy"), within(0.01));
        assertThat(TestTown.ok(h.call("GET", "/api/earnings", carol, null)).body().getDouble("totalJpy")).isZero();

        // orders are closed once gate closure ran by the clock (D−1 10:00 Tokyo)
        h.clock.jumpTo(Instant.parse("2026-12-04T01:30:00Z"));
        ApiHarness.Res late = h.call("PUT", "/api/sites/s-alice/orders/" + D, alice, new JsonObject()
                .put("offers", new JsonArray()).put("bids", new JsonArray()));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(TestTown.ok(h.call("GET", "/api/sites/s-alice/orders/" + D, alice, null)).body()
                .getJsonArray("offers")).hasSize(10);
    }

    private JsonObject onlyJob(String token) {
        JsonArray jobs = TestTown.ok(h.call("GET", "/api/jobs?day=" + D, token, null)).array("jobs");
        assertThat(jobs).hasSize(1);
        return jobs.getJsonObject(0);
    }

    private static List<String> stages(JsonObject day) {
        List<String> out = new ArrayList<>();
        for (Object v : day.getJsonArray("versions")) {
            out.add(((JsonObject) v).getString("stage"));
        }
        return out;
    }
}
