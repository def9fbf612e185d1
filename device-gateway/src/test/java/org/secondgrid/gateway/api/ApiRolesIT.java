package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Roles and tenants on the real API (embedded PostgreSQL, market service, real matcher): every route ×
 * every kind of caller gets the status the README's roles table says; someone else's things answer
 * exactly like things that do not exist; operator/admin reads of personal data need a purpose and land
 * in the owner's data-access log; bad input names the field and the value and saves nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiRolesIT {

    static final LocalDate D = LocalDate.parse("2026-12-05");
    /** D−1 09:00 in Tokyo: orders for D open, gate closure at 10:00. */
    static final Instant SIM_START = Instant.parse("2026-12-04T00:00:00Z");
    static final String PURPOSE = "role matrix check";

    ApiHarness h;
    Map<String, String> tokens = new LinkedHashMap<>();
    String bobJob;
    String carolJob;

    @BeforeAll
    void start() throws Exception {
        h = new ApiHarness(SIM_START, Duration.ofSeconds(3));
        TestTown.register(h);
        h.meteredHistory("s-bob", D.minusDays(14).atStartOfDay(h.market.settings().zone()).toInstant(), 14 * 48, 30,
                i -> new double[]{300 + 200 * Math.sin(i * Math.PI / 24), 0, 0});
        h.evState("ev-bob", SIM_START.minusSeconds(600), 37.5, 139.94, 21.5);
        TestTown.ordersAndAvailability(h, D);
        assertThat(h.admin("POST", "/api/markets/" + TestTown.M + "/days/" + D + "/gate-closure", null).status())
                .isEqualTo(200);
        tokens.put("none", null);
        tokens.put("alice", h.login("alice", TestTown.pw("alice")));
        tokens.put("carol", h.login("carol", TestTown.pw("carol")));
        tokens.put("olga", h.login("olga", TestTown.pw("olga")));
        tokens.put("admin", ApiHarness.ADMIN_TOKEN);
        tokens.put("bob", h.login("bob", TestTown.pw("bob")));
        bobJob = onlyJob("bob");
        carolJob = onlyJob("carol");
    }

    private String onlyJob(String who) {
        ApiHarness.Res r = h.call("GET", "/api/jobs?day=" + D, tokens.get(who), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonArray jobs = r.array("jobs");
        assertThat(jobs).as("the matcher offered %s's EV a job: %s", who, r).hasSize(1);
        return jobs.getJsonObject(0).getString("jobId");
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** One request and the status each caller must get: none, alice, carol, olga, admin token, bob (the owner). */
    record Case(String method, String path, Object body, String expected) {
    }

    private static JsonObject withoutPassword(JsonObject o) {
        o.remove("password");
        return o;
    }

    List<Case> matrix() {
        String m = TestTown.M;
        LocalDate d1 = D.plusDays(1);
        JsonObject device = new JsonObject().put("market", m).put("siteId", "s-bob").put("kind", "meters")
                .put("ratedKw", 5).put("password", "device-password");
        JsonObject avail = new JsonObject().put("availableFrom", 18).put("availableTo", 40).put("minKwh", 5)
                .put("initialKwh", 20).put("feeJpyPerKwh", 4).put("feeJpyPerKm", 5);
        return List.of(
                //                                                         none alice carol olga admin bob
                new Case("GET", "/health", null, "200 200 200 200 200 200"),
                new Case("GET", "/metrics", null, "200 200 200 200 200 200"),
                new Case("GET", "/openapi.yaml", null, "200 200 200 200 200 200"),
                new Case("PUT", "/devices/d-legacy", device, "401 403 403 403 200 403"),
                new Case("GET", "/sites/s-bob/slots", null, "401 403 403 403 200 403"),
                new Case("POST", "/api/login", new JsonObject().put("participantId", "dave")
                        .put("password", TestTown.pw("dave")), "200 200 200 200 200 200"),
                new Case("GET", "/api/me", null, "401 200 200 200 200 200"),
                new Case("GET", "/api/me/consents", null, "401 200 200 200 200 200"),
                new Case("PUT", "/api/me/consents", new JsonObject().put("shareEvLocation", false),
                        "401 200 200 200 200 200"),
                new Case("GET", "/api/me/data-access-log", null, "401 200 200 200 200 200"),
                new Case("GET", "/api/admin/participants", null, "401 403 403 403 200 403"),
                new Case("PUT", "/api/admin/participants/zed", new JsonObject().put("displayName", "Zed")
                        .put("roles", new JsonArray().add("prosumer")).put("password", "zed-password"),
                        "401 403 403 403 200 403"),
                new Case("POST", "/api/admin/participants/zed/revoke-tokens", null, "401 403 403 403 200 403"),
                new Case("GET", "/api/admin/feeders", null, "401 403 403 403 200 403"),
                new Case("PUT", "/api/admin/feeders/F9", new JsonObject().put("market", m).put("reverseCapacityKw", 5),
                        "401 403 403 403 200 403"),
                new Case("GET", "/api/admin/sites", null, "401 403 403 403 200 403"),
                new Case("PUT", "/api/admin/sites/s-zed", new JsonObject().put("market", m).put("owner", "zed")
                        .put("feeder", "F9").put("kind", "household").put("lat", 37.5).put("lon", 139.9)
                        .put("exportLimitKw", 2).put("ports", 0).put("chargerKw", 0).put("v2xKw", 0),
                        "401 403 403 403 200 403"),
                new Case("GET", "/api/admin/evs", null, "401 403 403 403 200 403"),
                new Case("PUT", "/api/admin/evs/ev-zed", new JsonObject().put("market", m).put("owner", "zed")
                        .put("home", "s-zed").put("capacityKwh", 30).put("chargeKw", 3).put("dischargeKw", 3),
                        "401 403 403 403 200 403"),
                new Case("GET", "/api/admin/devices", null, "401 403 403 403 200 403"),
                new Case("PUT", "/api/admin/devices/m-zed", withoutPassword(device.copy().put("siteId", "s-zed")),
                        "401 403 403 403 201 403"),
                new Case("GET", "/api/sites", null, "401 200 403 403 403 200"),
                new Case("GET", "/api/sites/s-bob/metered", null, "401 404 403 404 200 200"),
                new Case("GET", "/api/sites/s-bob/forecast?day=" + D, null, "401 404 403 404 200 200"),
                new Case("PUT", "/api/sites/s-bob/policy", new JsonObject().put("mode", "auto")
                        .put("minAskJpyPerKwh", 0).put("maxBidJpyPerKwh", 30), "401 404 403 403 403 200"),
                new Case("GET", "/api/sites/s-bob/orders/" + D, null, "401 404 403 403 200 200"),
                new Case("PUT", "/api/sites/s-bob/orders/" + d1, new JsonObject().put("offers", new JsonArray())
                        .put("bids", new JsonArray().add(new JsonObject().put("slot", 40).put("kwh", 1)
                                .put("bidJpyPerKwh", 30))), "401 404 403 403 403 200"),
                new Case("GET", "/api/sites/s-bob/schedule?day=" + D, null, "401 404 403 403 200 200"),
                new Case("GET", "/api/trades?day=" + D, null, "401 200 403 403 403 200"),
                new Case("GET", "/api/evs", null, "401 403 200 403 403 200"),
                new Case("GET", "/api/evs/ev-bob/availability/" + D, null, "401 403 404 403 200 200"),
                new Case("PUT", "/api/evs/ev-bob/availability/" + d1, avail, "401 403 404 403 403 200"),
                new Case("GET", "/api/evs/ev-bob/location", null, "401 403 404 404 200 200"),
                new Case("GET", "/api/evs/ev-bob/jobs?day=" + D, null, "401 403 404 403 200 200"),
                new Case("GET", "/api/jobs?day=" + D, null, "401 403 200 403 403 200"),
                new Case("POST", "/api/jobs/" + bobJob + "/decline", null, "401 403 404 403 403 -"),
                new Case("POST", "/api/jobs/" + bobJob + "/accept", null, "401 403 404 403 403 200"),
                new Case("GET", "/api/earnings", null, "401 403 200 403 403 200"),
                new Case("GET", "/api/grid/feeders?day=" + D, null, "401 403 403 200 200 403"),
                new Case("GET", "/api/grid/imbalance?day=" + D, null, "401 403 403 200 200 403"),
                new Case("GET", "/api/grid/backflow?day=" + D, null, "401 403 403 200 200 403"),
                new Case("GET", "/api/grid/curtailment?day=" + D, null, "401 403 403 200 200 403"),
                new Case("GET", "/api/grid/fleet", null, "401 403 403 200 200 403"),
                new Case("GET", "/api/markets/" + m + "/days/" + D, null, "401 403 403 403 200 403"),
                new Case("POST", "/api/markets/" + m + "/days/" + D + "/gate-closure", null, "401 403 403 403 200 403"),
                new Case("POST", "/api/markets/" + m + "/days/" + D.plusDays(3) + "/final", null,
                        "401 403 403 403 200 403"),
                new Case("GET", "/api/money?from=" + D.minusDays(7) + "&to=" + D, null, "401 200 200 403 403 200"),
                new Case("GET", "/api/tokens", null, "401 200 200 403 403 200"),
                new Case("GET", "/api/participants/bob/money", null, "401 404 404 403 200 200"),
                new Case("GET", "/api/participants/bob/tokens", null, "401 404 404 403 200 200"),
                // last: it revokes each caller's token (they log in again after the matrix); the ADMIN_TOKEN cannot log out
                new Case("POST", "/api/logout", null, "401 200 200 200 400 200"));
    }

    @Test
    @Order(1)
    void everyRouteTimesEveryCallerGetsItsStatus() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (Case c : matrix()) {
            String[] expected = c.expected().split(" ");
            int i = 0;
            for (var who : tokens.entrySet()) {
                String exp = expected[i++];
                if (exp.equals("-")) {
                    continue;
                }
                ApiHarness.Res r = h.call(c.method(), c.path(), who.getValue(), c.body(), "X-Purpose", PURPOSE);
                checked++;
                if (r.status() != Integer.parseInt(exp)) {
                    wrong.add(c.method() + " " + c.path() + " as " + who.getKey() + ": expected " + exp + ", got " + r);
                }
                if (r.status() >= 400) {
                    assertThat(r.body().getString("code")).as("JSON error of %s %s: %s", c.method(), c.path(), r)
                            .isNotBlank();
                    assertThat(r.body().containsKey("message") && r.body().containsKey("field")).isTrue();
                }
            }
            covered.add(c.method() + " " + c.path().replaceAll("\\?.*", ""));
        }
        assertThat(wrong).as("route x caller mismatches").isEmpty();
        // the logout case revoked every participant's token: each is refused now, a new login works
        for (String who : List.of("alice", "carol", "olga", "bob")) {
            assertThat(h.call("GET", "/api/me", tokens.get(who), null).status()).as("%s after logout", who).isEqualTo(401);
            tokens.put(who, h.login(who, TestTown.pw(who)));
        }
        assertThat(checked).isGreaterThan(250);
        // every documented operation is in the matrix
        assertThat(covered).hasSize(ApiOpenApiTest.documentOperationsCount());
    }

    private JsonObject feeder(String token, LocalDate day, String id) {
        return h.call("GET", "/api/grid/feeders?day=" + day, token, null).array("feeders").stream()
                .map(JsonObject.class::cast).filter(f -> f.getString("id").equals(id)).findFirst().orElseThrow();
    }

    /** A body with the id replaced, to compare someone else's thing with a thing that does not exist. */
    private static String without(ApiHarness.Res r, String id) {
        return r.raw().replace(id, "<id>");
    }

    @Test
    @Order(2)
    void someoneElsesThingsAnswerExactlyLikeThingsThatDoNotExist() {
        String alice = tokens.get("alice");
        String carol = tokens.get("carol");
        List<String[]> pairs = List.of(
                new String[]{alice, "GET", "/api/sites/%s/metered", "s-bob"},
                new String[]{alice, "GET", "/api/sites/%s/forecast?day=" + D, "s-bob"},
                new String[]{alice, "GET", "/api/sites/%s/orders/" + D, "s-bob"},
                new String[]{alice, "GET", "/api/sites/%s/schedule?day=" + D, "s-bob"},
                new String[]{alice, "PUT", "/api/sites/%s/policy", "s-bob"},
                new String[]{carol, "GET", "/api/evs/%s/availability/" + D, "ev-bob"},
                new String[]{carol, "GET", "/api/evs/%s/location", "ev-bob"},
                new String[]{carol, "GET", "/api/evs/%s/jobs?day=" + D, "ev-bob"},
                new String[]{carol, "POST", "/api/jobs/%s/accept", bobJob},
                new String[]{carol, "POST", "/api/jobs/%s/decline", bobJob},
                new String[]{tokens.get("olga"), "GET", "/api/sites/%s/metered", "s-bob"},
                new String[]{tokens.get("olga"), "GET", "/api/evs/%s/location", "ev-bob"},
                new String[]{alice, "GET", "/api/participants/%s/money", "bob"},
                new String[]{carol, "GET", "/api/participants/%s/tokens", "bob"});
        for (String[] p : pairs) {
            JsonObject body = p[1].equals("PUT") ? new JsonObject().put("mode", "auto").put("minAskJpyPerKwh", 0)
                    .put("maxBidJpyPerKwh", 30) : null;
            ApiHarness.Res theirs = h.call(p[1], String.format(p[2], p[3]), p[0], body);
            ApiHarness.Res none = h.call(p[1], String.format(p[2], "no-such-thing"), p[0], body);
            assertThat(theirs.status()).as("%s %s", p[1], p[2]).isEqualTo(404).isEqualTo(none.status());
            assertThat(without(theirs, p[3])).as("%s %s", p[1], p[2]).isEqualTo(without(none, "no-such-thing"));
            assertThat(theirs.raw()).doesNotContain("bob\"").doesNotContain("owner");
        }
        // carol's job stays offered: nobody else's accept/decline reached it
        ApiHarness.Res jobs = h.call("GET", "/api/jobs?day=" + D, carol, null);
        assertThat(jobs.array("jobs").getJsonObject(0).getString("status")).isEqualTo("offered");
    }

    @Test
    @Order(3)
    void operatorAndAdminReadsOfPersonalDataNeedAPurposeAndAreLogged() {
        String bob = tokens.get("bob");
        String olga = tokens.get("olga");
        int before = h.call("GET", "/api/me/data-access-log", bob, null).array("entries").size();

        // the owner reads freely and is not logged
        assertThat(h.call("GET", "/api/sites/s-bob/metered", bob, null).status()).isEqualTo(200);
        // admin without a purpose: refused, naming the field
        ApiHarness.Res noPurpose = h.call("GET", "/api/sites/s-bob/metered", ApiHarness.ADMIN_TOKEN, null);
        assertThat(noPurpose.status()).isEqualTo(400);
        assertThat(noPurpose.body().getString("field")).isEqualTo("X-Purpose");
        // admin with a purpose (header, and query parameter)
        assertThat(h.call("GET", "/api/sites/s-bob/metered", ApiHarness.ADMIN_TOKEN, null, "X-Purpose",
                "billing dispute 17").status()).isEqualTo(200);
        assertThat(h.call("GET", "/api/evs/ev-bob/location?purpose=stolen%20car%20report", ApiHarness.ADMIN_TOKEN,
                null).status()).isEqualTo(200);
        // an admin participant (JWT) too
        String adam = h.login("adam", TestTown.pw("adam"));
        assertThat(h.call("GET", "/api/evs/ev-bob/jobs?day=" + D, adam, null, "X-Purpose", "support ticket 4")
                .status()).isEqualTo(200);

        // the operator only after bob opts in to share demand data, with a purpose
        assertThat(h.call("GET", "/api/sites/s-bob/metered", olga, null, "X-Purpose", "feeder study").status())
                .isEqualTo(404);
        TestTown.ok(h.call("PUT", "/api/me/consents", bob, new JsonObject().put("shareDemandData", true)));
        assertThat(h.call("GET", "/api/sites/s-bob/metered", olga, null).body().getString("field")).isEqualTo("X-Purpose");
        assertThat(h.call("GET", "/api/sites/s-bob/metered", olga, null, "X-Purpose", "feeder study").status())
                .isEqualTo(200);
        // demand consent does not open the EV's location
        assertThat(h.call("GET", "/api/evs/ev-bob/location", olga, null, "X-Purpose", "feeder study").status())
                .isEqualTo(404);
        TestTown.ok(h.call("PUT", "/api/me/consents", bob, new JsonObject().put("shareDemandData", false)));
        assertThat(h.call("GET", "/api/sites/s-bob/metered", olga, null, "X-Purpose", "feeder study").status())
                .isEqualTo(404);

        JsonArray log = h.call("GET", "/api/me/data-access-log", bob, null).array("entries");
        assertThat(log.size() - before).isEqualTo(4);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < log.size() - before; i++) {
            JsonObject e = log.getJsonObject(i);
            assertThat(e.getString("at")).isNotBlank();
            lines.add(e.getString("reader") + "|" + e.getString("readerRole") + "|" + e.getString("category") + "|"
                    + e.getString("subject") + "|" + e.getString("purpose"));
        }
        assertThat(lines).containsExactly(
                "olga|operator|metered|s-bob|feeder study",
                "adam|admin|jobs|ev-bob|support ticket 4",
                "admin-token|admin|location|ev-bob|stolen car report",
                "admin-token|admin|metered|s-bob|billing dispute 17");
        // nobody else sees bob's log
        assertThat(h.call("GET", "/api/me/data-access-log", tokens.get("alice"), null).raw()).doesNotContain("s-bob");
    }

    @Test
    @Order(4)
    void badInputNamesTheFieldAndTheValueAndSavesNothing() {
        String dave = h.login("dave", TestTown.pw("dave"));
        String before = h.call("GET", "/api/sites/s-dave/orders/" + D.plusDays(1), dave, null).raw();
        JsonObject bad = new JsonObject().put("offers", new JsonArray()
                .add(new JsonObject().put("slot", 3).put("kwh", 1).put("askJpyPerKwh", 5))
                .add(new JsonObject().put("slot", 48).put("kwh", 1).put("askJpyPerKwh", 5))).put("bids", new JsonArray());
        ApiHarness.Res r = h.call("PUT", "/api/sites/s-dave/orders/" + D.plusDays(1), dave, bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().getString("field")).isEqualTo("offers[1].slot");
        assertThat(r.body().getString("message")).contains("48");
        assertThat(h.call("GET", "/api/sites/s-dave/orders/" + D.plusDays(1), dave, null).raw()).isEqualTo(before);

        record Bad(String method, String path, Object body, String field, String value) {
        }
        for (Bad b : List.of(
                new Bad("PUT", "/api/sites/s-dave/policy", new JsonObject().put("mode", "sometimes")
                        .put("minAskJpyPerKwh", 0).put("maxBidJpyPerKwh", 30), "mode", "sometimes"),
                new Bad("PUT", "/api/sites/s-dave/policy", new JsonObject().put("mode", "auto")
                        .put("minAskJpyPerKwh", -2).put("maxBidJpyPerKwh", 30), "minAskJpyPerKwh", "-2"),
                new Bad("PUT", "/api/sites/s-dave/policy", new JsonObject().put("mode", "auto").put("minAskJpyPerKwh", 0)
                        .put("maxBidJpyPerKwh", "30"), "maxBidJpyPerKwh", "'30'"),
                new Bad("PUT", "/api/sites/s-dave/policy", new JsonObject().put("mode", "auto").put("minAskJpyPerKwh", 0)
                        .put("maxBidJpyPerKwh", 30).put("maxbid", 1), "maxbid", "maxbid"),
                new Bad("PUT", "/api/sites/s-dave/orders/2026-13-01", new JsonObject(), "day", "2026-13-01"),
                new Bad("GET", "/api/sites/s-dave/schedule?day=tomorrow", null, "day", "tomorrow"),
                new Bad("GET", "/api/sites/s-dave/metered?from=yesterday", null, "from", "yesterday"),
                new Bad("PUT", "/api/sites/s-dave/policy", "{not json", "body", "")
        )) {
            ApiHarness.Res x = h.call(b.method(), b.path(), dave, b.body());
            assertThat(x.status()).as(x.toString()).isEqualTo(400);
            assertThat(x.body().getString("field")).as(x.toString()).isEqualTo(b.field());
            assertThat(x.body().getString("message")).as(x.toString()).contains(b.value());
        }
        // a participant with a bad role is not created, not even its password
        ApiHarness.Res p = h.admin("PUT", "/api/admin/participants/yuki", new JsonObject().put("displayName", "Yuki")
                .put("roles", new JsonArray().add("prosumer").add("king")).put("password", "yuki-password"));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body().getString("field")).isEqualTo("roles[1]");
        assertThat(p.body().getString("message")).contains("king");
        assertThat(h.admin("GET", "/api/admin/participants", null).raw()).doesNotContain("yuki");
        assertThat(h.call("POST", "/api/login", null, new JsonObject().put("participantId", "yuki")
                .put("password", "yuki-password")).status()).isEqualTo(401);
        // a site of an owner that does not exist is refused
        ApiHarness.Res s = h.admin("PUT", "/api/admin/sites/s-x", new JsonObject().put("market", TestTown.M)
                .put("owner", "nobody").put("feeder", "F1").put("kind", "shop").put("lat", 37.5).put("lon", 139.9)
                .put("exportLimitKw", 0).put("ports", 0).put("chargerKw", 0).put("v2xKw", 0));
        assertThat(s.status()).isEqualTo(400);
        assertThat(s.body().getString("field")).isEqualTo("owner");

        // errors of the HTTP layer are JSON too
        ApiHarness.Res text = h.call("PUT", "/api/sites/s-dave/policy", dave, null, "Content-Type", "text/plain");
        ApiHarness.Res unknown = h.call("GET", "/api/nothing-here", dave, null);
        ApiHarness.Res method = h.call("DELETE", "/api/sites", dave, null);
        ApiHarness.Res login = h.call("POST", "/api/login", null, new JsonObject().put("participantId", "dave")
                .put("password", "wrong-password"));
        ApiHarness.Res forged = h.call("GET", "/api/me", tokens.get("bob") + "x", null);
        assertThat(List.of(text.status(), unknown.status(), method.status(), login.status(), forged.status()))
                .containsExactly(415, 404, 405, 401, 401);
        for (ApiHarness.Res x : List.of(text, unknown, method, login, forged)) {
            assertThat(x.body().getString("code")).as(x.toString()).isNotBlank();
            assertThat(x.body().containsKey("field")).as(x.toString()).isTrue();
        }
    }

    @Test
    @Order(5)
    void adminCreatesADeviceAndSeesItsBrokerPasswordOnlyOnce() {
        JsonObject body = new JsonObject().put("market", TestTown.M).put("siteId", "s-dave").put("kind", "chargers")
                .put("ratedKw", 11);
        ApiHarness.Res created = h.admin("PUT", "/api/admin/devices/c-dave", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().getString("password")).hasSizeGreaterThan(20);
        ApiHarness.Res updated = h.admin("PUT", "/api/admin/devices/c-dave", body.copy().put("ratedKw", 7));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().containsKey("password")).isFalse();
        // dave sees his site's charger (no credentials)
        String dave = h.login("dave", TestTown.pw("dave"));
        ApiHarness.Res sites = h.call("GET", "/api/sites", dave, null);
        assertThat(sites.array("sites").getJsonObject(0).getJsonArray("devices").getJsonObject(0).getString("id"))
                .isEqualTo("c-dave");
        assertThat(sites.raw()).doesNotContain("password").doesNotContain("$7$");
        assertThat(h.admin("GET", "/api/admin/devices", null).raw()).contains("c-dave")
                .doesNotContain(created.body().getString("password"));
        // the registry keeps only its salted hash, which the broker checks
        String hash = new org.secondgrid.gateway.store.DeviceRepository(h.db.dataSource()).passwordHash("c-dave")
                .orElseThrow();
        assertThat(hash).startsWith("$7$").doesNotContain(created.body().getString("password"));
        assertThat(org.secondgrid.gateway.auth.PasswordHasher.verify(created.body().getString("password"), hash)).isTrue();
    }

    @Test
    @Order(6)
    void operatorViewsAreSumsPerFeederWithoutParticipantsData() throws Exception {
        String olga = tokens.get("olga");
        java.time.Instant slot30 = D.atStartOfDay(h.market.settings().zone()).toInstant().plus(Duration.ofMinutes(900));
        try (var c = h.db.connect(); var st = c.createStatement()) {
            for (String[] r : List.of(new String[]{"s-bob", "F2", "-1.25"}, new String[]{"s-dave", "F2", "0.5"},
                    new String[]{"s-alice", "F1", "2.0"})) {
                st.executeUpdate("INSERT INTO delivery_imbalance VALUES ('" + TestTown.M + "', '" + D + "', 30, '" + slot30
                        + "', '" + r[0] + "', '" + r[1] + "', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, " + r[2]
                        + ", 0, 0, 0.25, 7.5, false, now())");
            }
            st.executeUpdate("INSERT INTO delivery_backflow VALUES ('" + TestTown.M + "', '" + D + "', 30, '" + slot30
                    + "', 's-dave', 'F2', 0, 0.4, 0.4, false, 0, now())");
            st.executeUpdate("INSERT INTO delivery_slot_closed VALUES ('" + TestTown.M + "', '" + D + "', 30, now())");
        }
        ApiHarness.Res imb = h.call("GET", "/api/grid/imbalance?day=" + D, olga, null);
        assertThat(imb.status()).isEqualTo(200);
        assertThat(imb.body().getBoolean("available")).isTrue();
        Map<String, Double> perFeeder = new java.util.TreeMap<>();
        for (Object o : imb.array("feeders")) {
            JsonObject f = (JsonObject) o;
            perFeeder.put(f.getString("feeder"), f.getJsonArray("slots").getJsonObject(0).getDouble("kwh"));
        }
        assertThat(perFeeder).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("F1", 2.0, "F2", -0.75)));
        ApiHarness.Res bf = h.call("GET", "/api/grid/backflow?day=" + D, olga, null);
        assertThat(bf.array("feeders").getJsonObject(0).getString("feeder")).isEqualTo("F2");
        assertThat(bf.array("feeders").getJsonObject(0).getJsonArray("slots").getJsonObject(0).getDouble("kwh"))
                .isEqualTo(0.4);
        ApiHarness.Res feeders = h.call("GET", "/api/grid/feeders?day=" + D, olga, null);
        ApiHarness.Res fleet = h.call("GET", "/api/grid/fleet", olga, null);
        ApiHarness.Res curtailment = h.call("GET", "/api/grid/curtailment?day=" + D, olga, null);
        for (ApiHarness.Res r : List.of(imb, bf, feeders, fleet, curtailment)) {
            assertThat(r.raw()).as(r.toString()).doesNotContain("s-bob").doesNotContain("s-dave").doesNotContain("ev-bob")
                    .doesNotContain("bob").doesNotContain("lat");
        }
        JsonObject f2 = feeders.array("feeders").stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("id").equals("F2")).findFirst().orElseThrow();
        assertThat(f2.getInteger("sites")).isEqualTo(3);
        assertThat(f2.getDouble("evDeliveredKwh")).isPositive();
        assertThat(f2.getValue("sharedDemandKwh")).as("nobody on F2 shares demand data").isNull();
        assertThat(fleet.body().getInteger("evs")).as("ev-bob, ev-carol, ev-zed (the matrix made it)").isEqualTo(3);
        assertThat(fleet.body().getInteger("reporting")).isEqualTo(1);
        assertThat(fleet.body().getDouble("totalSocKwh")).isEqualTo(21.5);
        // shared demand appears only once at least 3 sites of the feeder share (2 would be their own data)
        String dave = h.login("dave", TestTown.pw("dave"));
        TestTown.ok(h.call("PUT", "/api/me/consents", tokens.get("bob"), new JsonObject().put("shareDemandData", true)));
        TestTown.ok(h.call("PUT", "/api/me/consents", dave, new JsonObject().put("shareDemandData", true)));
        assertThat(feeder(olga, D.minusDays(1), "F2").getValue("sharedDemandKwh")).isNull();
        assertThat(feeder(olga, D.minusDays(1), "F2").getInteger("sitesSharingDemand")).isEqualTo(2);
        TestTown.ok(h.call("PUT", "/api/me/consents", tokens.get("carol"), new JsonObject().put("shareDemandData", true)));
        // bob's metered import on D−1 is 300 Wh per slot on average (the sine sums to 0 over the day); dave's and carol's 0
        assertThat(feeder(olga, D.minusDays(1), "F2").getDouble("sharedDemandKwh")).isCloseTo(14.4, within(1e-6));
        for (String who : List.of("bob", "carol")) {
            TestTown.ok(h.call("PUT", "/api/me/consents", tokens.get(who), new JsonObject().put("shareDemandData", false)));
        }
        TestTown.ok(h.call("PUT", "/api/me/consents", dave, new JsonObject().put("shareDemandData", false)));

        JsonObject f1 = curtailment.array("feeders").stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("feeder").equals("F1")).findFirst().orElseThrow();
        assertThat(f1.getDouble("offeredKwh")).isEqualTo(120.0);
        // s-alice has no backflow allowed: all 120 kWh would be throttled today; what the EVs take is avoided
        assertThat(f1.getDouble("statusQuoCurtailedKwh")).isEqualTo(120.0);
        assertThat(f1.getDouble("curtailmentAvoidedKwh")).isPositive().isEqualTo(f1.getDouble("soldEvKwh"));
        assertThat(f1.getDouble("curtailedKwh")).isCloseTo(120.0 - f1.getDouble("soldEvKwh"), within(0.002));
    }
}
