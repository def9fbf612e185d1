package org.secondgrid.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Settled money and kWh certificates (the settlement_statement rows settlement writes) through the real API on an
 * embedded PostgreSQL: the owner sees them, others get what the tenant rules say, an admin's read is logged; logout and
 * an admin's revoke-tokens turn tokens into 401; the 6th bad login in a row answers 429 with Retry-After.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoneyAuthIT {

    static final Instant SIM_START = Instant.parse("2026-12-10T00:00:00Z");
    static final LocalDate D1 = LocalDate.parse("2026-12-05");
    static final LocalDate D2 = LocalDate.parse("2026-12-06");
    static final String TX1 = "0x" + "1".repeat(64);
    static final String TX2 = "0x" + "2".repeat(64);
    static final String TX3 = "0x" + "3".repeat(64);

    ApiHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new ApiHarness(SIM_START, Duration.ofSeconds(3));
        TestTown.register(h);
        // bob: his site sold on D1 and bought on D2; his EV earned carrying fees on D2; alice's factory sold on D1
        h.statement("s-bob", "site", "bob", D1, 1_200, 0, 30.25, 0, TX1);
        h.statement("s-bob", "site", "bob", D2, 0, 2_500, 0, 80.5, TX2);
        h.statement("ev-bob", "ev", "bob", D2, 0, 0, 12.75, 3.0, TX3);
        h.statement("s-alice", "site", "alice", D1, 9_000, 0, 100, 0, TX1);
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theOwnerSeesWhatWasSettledOthersDoNotAndAnAdminsReadIsLogged() {
        String bob = h.login("bob", TestTown.pw("bob"));
        ApiHarness.Res money = h.call("GET", "/api/money?from=2026-12-01&to=2026-12-09", bob, null);
        assertThat(money.status()).as(money.toString()).isEqualTo(200);
        JsonArray days = money.array("days");
        assertThat(days).hasSize(2);
        JsonObject d1 = days.getJsonObject(0);
        assertThat(d1.getString("day")).isEqualTo("2026-12-05");
        assertThat(d1.getLong("whSold")).isEqualTo(1_200);
        assertThat(d1.getDouble("jpyReceived")).isEqualTo(30.25);
        assertThat(d1.getJsonArray("txHashes")).containsExactly(TX1);
        assertThat(d1.getLong("lastBlock")).isEqualTo(42);
        assertThat(d1.getString("status")).isEqualTo("confirmed");
        JsonObject d2 = days.getJsonObject(1);
        assertThat(d2.getJsonArray("parties")).hasSize(2);
        assertThat(d2.getLong("whBought")).isEqualTo(2_500);
        assertThat(d2.getDouble("jpyPaid")).isEqualTo(83.5);
        assertThat(d2.getDouble("jpyReceived")).isEqualTo(12.75);
        assertThat(d2.getJsonArray("txHashes")).containsExactly(TX2, TX3);
        JsonObject totals = money.body().getJsonObject("totals");
        assertThat(totals.getLong("whSold")).isEqualTo(1_200);
        assertThat(totals.getLong("whBought")).isEqualTo(2_500);
        assertThat(totals.getDouble("netJpy")).isEqualTo(30.25 + 12.75 - 83.5);
        assertThat(money.raw()).doesNotContain("s-alice");
        // a range without settled days is empty, not an error
        assertThat(h.call("GET", "/api/money?from=2026-11-01&to=2026-11-30", bob, null).array("days")).isEmpty();

        ApiHarness.Res tokens = h.call("GET", "/api/tokens", bob, null);
        assertThat(tokens.status()).isEqualTo(200);
        JsonObject holding = tokens.array("holdings").getJsonObject(0);
        assertThat(tokens.array("holdings")).hasSize(1);
        assertThat(holding.getLong("tokenId")).isEqualTo(202612);
        assertThat(holding.getString("month")).isEqualTo("2026-12");
        assertThat(holding.getLong("wh")).isEqualTo(2_500);
        assertThat(holding.getString("party")).isEqualTo("s-bob");
        assertThat(holding.getString("verify")).contains("balanceOf(address,uint256)(uint256)").contains(holding.getString("address"))
                .contains(holding.getString("contract")).endsWith(" 202612");

        // carol (ev-owner) has nothing settled; the operator gets nothing personal
        String carol = h.login("carol", TestTown.pw("carol"));
        ApiHarness.Res carols = h.call("GET", "/api/money?from=2026-12-01&to=2026-12-09", carol, null);
        assertThat(carols.array("days")).isEmpty();
        assertThat(carols.raw()).doesNotContain("s-bob").doesNotContain(TX1);
        assertThat(h.call("GET", "/api/tokens", carol, null).array("holdings")).isEmpty();
        String olga = h.login("olga", TestTown.pw("olga"));
        assertThat(h.call("GET", "/api/money", olga, null).status()).isEqualTo(403);
        assertThat(h.call("GET", "/api/participants/bob/money", olga, null, "X-Purpose", "curious").status()).isEqualTo(403);
        // someone else's statement answers exactly like a participant that does not exist
        for (String path : List.of("/api/participants/%s/money", "/api/participants/%s/tokens")) {
            ApiHarness.Res theirs = h.call("GET", String.format(path, "bob"), carol, null);
            ApiHarness.Res none = h.call("GET", String.format(path, "nobody"), carol, null);
            assertThat(theirs.status()).as(path).isEqualTo(404).isEqualTo(none.status());
            assertThat(theirs.raw().replace("bob", "<id>")).isEqualTo(none.raw().replace("nobody", "<id>"));
        }
        // the owner through the participant path too
        assertThat(h.call("GET", "/api/participants/bob/money?from=2026-12-01&to=2026-12-09", bob, null).array("days"))
                .hasSize(2);

        // the admin: a purpose is required, then the read is in bob's data-access log
        int before = h.call("GET", "/api/me/data-access-log", bob, null).array("entries").size();
        ApiHarness.Res noPurpose = h.call("GET", "/api/participants/bob/money", ApiHarness.ADMIN_TOKEN, null);
        assertThat(noPurpose.status()).isEqualTo(400);
        assertThat(noPurpose.body().getString("field")).isEqualTo("X-Purpose");
        ApiHarness.Res admin = h.call("GET", "/api/participants/bob/money?from=2026-12-05&to=2026-12-05",
                ApiHarness.ADMIN_TOKEN, null, "X-Purpose", "billing dispute 99");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.array("days")).hasSize(1);
        assertThat(h.call("GET", "/api/participants/bob/tokens?purpose=certificate%20audit", ApiHarness.ADMIN_TOKEN, null)
                .array("holdings")).hasSize(1);
        JsonArray log = h.call("GET", "/api/me/data-access-log", bob, null).array("entries");
        assertThat(log.size() - before).isEqualTo(2);
        assertThat(log.getJsonObject(0).getString("category")).isEqualTo("tokens");
        assertThat(log.getJsonObject(0).getString("purpose")).isEqualTo("certificate audit");
        assertThat(log.getJsonObject(1).getString("category")).isEqualTo("money");
        assertThat(log.getJsonObject(1).getString("reader")).isEqualTo("admin-token");
        assertThat(log.getJsonObject(1).getString("purpose")).isEqualTo("billing dispute 99");
    }

    @Test
    void everyQueryFieldIsValidatedByName() {
        String bob = h.login("bob", TestTown.pw("bob"));
        record Bad(String query, String field, String value) {
        }
        for (Bad b : List.of(
                new Bad("from=2026-13-01", "from", "2026-13-01"),
                new Bad("from=yesterday&to=2026-12-09", "from", "yesterday"),
                new Bad("to=12/09/2026", "to", "12/09/2026"),
                new Bad("from=2026-12-09&to=2026-12-01", "to", "2026-12-01"),
                new Bad("from=2025-01-01&to=2026-12-09", "to", "2025-01-01"),
                new Bad("form=2026-12-01", "form", "form"))) {
            ApiHarness.Res r = h.call("GET", "/api/money?" + b.query(), bob, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.body().getString("code")).isEqualTo("INVALID_FIELD");
            assertThat(r.body().getString("field")).as(r.toString()).isEqualTo(b.field());
            assertThat(r.body().getString("message")).as(r.toString()).contains(b.value());
        }
        ApiHarness.Res t = h.call("GET", "/api/tokens?month=2026-12", bob, null);
        assertThat(t.status()).isEqualTo(400);
        assertThat(t.body().getString("field")).isEqualTo("month");
        // an admin's refused request writes nothing to the log
        int before = h.call("GET", "/api/me/data-access-log", bob, null).array("entries").size();
        assertThat(h.call("GET", "/api/participants/bob/money?from=nope", ApiHarness.ADMIN_TOKEN, null, "X-Purpose",
                "support ticket 5").body().getString("field")).isEqualTo("from");
        assertThat(h.call("GET", "/api/me/data-access-log", bob, null).array("entries").size()).isEqualTo(before);
    }

    @Test
    void logoutAndAdminRevocationTurnTokensInto401() {
        String first = h.login("dave", TestTown.pw("dave"));
        String second = h.login("dave", TestTown.pw("dave"));
        assertThat(h.call("GET", "/api/me", first, null).status()).isEqualTo(200);
        ApiHarness.Res out = h.call("POST", "/api/logout", first, null);
        assertThat(out.status()).as(out.toString()).isEqualTo(200);
        for (String path : List.of("/api/me", "/api/sites", "/api/money")) {
            ApiHarness.Res r = h.call("GET", path, first, null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.body().getString("code")).isEqualTo("UNAUTHORIZED");
            assertThat(r.body().getString("field")).isEqualTo("Authorization");
            assertThat(r.body().getString("message")).contains("revoked");
        }
        assertThat(h.call("POST", "/api/logout", first, null).status()).as("logging out twice").isEqualTo(401);
        assertThat(h.call("GET", "/api/me", second, null).status()).as("dave's other token").isEqualTo(200);
        // the ADMIN_TOKEN is configuration: it cannot log out
        ApiHarness.Res adminOut = h.call("POST", "/api/logout", ApiHarness.ADMIN_TOKEN, null);
        assertThat(adminOut.status()).isEqualTo(400);
        assertThat(adminOut.body().getString("field")).isEqualTo("Authorization");

        // an admin revokes every token dave holds
        String adam = h.login("adam", TestTown.pw("adam"));
        assertThat(h.call("POST", "/api/admin/participants/dave/revoke-tokens", second, null).status()).isEqualTo(403);
        ApiHarness.Res revoked = h.call("POST", "/api/admin/participants/dave/revoke-tokens", adam, null);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.body().getString("tokensValidAfter")).isNotBlank();
        assertThat(h.call("GET", "/api/me", second, null).status()).isEqualTo(401);
        String third = h.login("dave", TestTown.pw("dave"));
        assertThat(h.call("GET", "/api/me", third, null).status()).as("a login after the revocation").isEqualTo(200);
        assertThat(h.call("GET", "/api/me", adam, null).status()).as("only dave's tokens").isEqualTo(200);
        assertThat(h.call("POST", "/api/admin/participants/nobody/revoke-tokens", adam, null).status()).isEqualTo(404);
    }

    @Test
    void theSixthBadLoginIsRefusedWith429AndRetryAfter() throws Exception {
        JsonObject wrong = new JsonObject().put("participantId", "alice").put("password", "not-alices-password");
        for (int i = 1; i <= 5; i++) {
            assertThat(h.call("POST", "/api/login", null, wrong).status()).as("bad login %d", i).isEqualTo(401);
        }
        var raw = h.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base + "/api/login"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        wrong.encode())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(429);
        JsonObject body = new JsonObject(raw.body());
        assertThat(body.getString("code")).isEqualTo("TOO_MANY_ATTEMPTS");
        assertThat(body.getString("field")).isEqualTo("participantId");
        assertThat(body.getString("message")).contains("alice");
        long retryAfter = Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(800L, 900L);
        // the right password does not get in while the id is locked; other ids still log in
        ApiHarness.Res right = h.call("POST", "/api/login", null, new JsonObject().put("participantId", "alice")
                .put("password", TestTown.pw("alice")));
        assertThat(right.status()).isEqualTo(429);
        assertThat(h.login("carol", TestTown.pw("carol"))).isNotBlank();
    }
}
