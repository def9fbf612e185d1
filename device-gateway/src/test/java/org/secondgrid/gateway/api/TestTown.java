package org.secondgrid.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * A small town registered through the admin API: a factory with surplus and no backflow on feeder F1
 * (reverse capacity 0), houses and a shop with demand on feeder F2, two EVs (bob's, carol's), an
 * operator and an admin participant. Passwords are "{id}-password".
 */
final class TestTown {

    static final String M = ApiHarness.MARKET;

    private TestTown() {
    }

    static String pw(String id) {
        return id + "-password";
    }

    static void register(ApiHarness h) {
        participant(h, "alice", "Alice's factory", "prosumer");
        participant(h, "bob", "Bob", "prosumer", "ev-owner");
        participant(h, "carol", "Carol", "ev-owner");
        participant(h, "dave", "Dave's shop", "prosumer");
        participant(h, "olga", "Grid operator", "operator");
        participant(h, "adam", "Platform admin", "admin");
        h.adminPut("/api/admin/feeders/F1", new JsonObject().put("market", M).put("reverseCapacityKw", 0));
        h.adminPut("/api/admin/feeders/F2", new JsonObject().put("market", M).put("reverseCapacityKw", 0));
        site(h, "s-alice", "alice", "F1", "factory", 37.4900, 139.9300, 2, 11, 0);
        site(h, "s-bob", "bob", "F2", "household", 37.5000, 139.9400, 1, 6, 6);
        site(h, "s-carol", "carol", "F2", "household", 37.5010, 139.9420, 1, 6, 6);
        site(h, "s-dave", "dave", "F2", "shop", 37.5020, 139.9380, 2, 11, 11);
        ev(h, "ev-bob", "bob", "s-bob", 40, 6);
        ev(h, "ev-carol", "carol", "s-carol", 60, 11);
    }

    /** Orders and availability for {@code day} through the owners' own logins. */
    static void ordersAndAvailability(ApiHarness h, LocalDate day) {
        String alice = h.login("alice", pw("alice"));
        String dave = h.login("dave", pw("dave"));
        String bob = h.login("bob", pw("bob"));
        String carol = h.login("carol", pw("carol"));
        // alice: manual offers 10:00-15:00, 12 kWh per slot at 5 JPY/kWh (no backflow: only EVs can take it away)
        ok(h.call("PUT", "/api/sites/s-alice/policy", alice, new JsonObject().put("mode", "manual")
                .put("minAskJpyPerKwh", 5).put("maxBidJpyPerKwh", 30)));
        JsonArray offers = new JsonArray();
        for (int t = 20; t < 30; t++) {
            offers.add(new JsonObject().put("slot", t).put("kwh", 12.0).put("askJpyPerKwh", 5.0));
        }
        ok(h.call("PUT", "/api/sites/s-alice/orders/" + day, alice, new JsonObject().put("offers", offers)
                .put("bids", new JsonArray())));
        // dave: manual bids 16:00-21:00, 6 kWh per slot at 32 JPY/kWh
        ok(h.call("PUT", "/api/sites/s-dave/policy", dave, new JsonObject().put("mode", "manual")
                .put("minAskJpyPerKwh", 0).put("maxBidJpyPerKwh", 32)));
        JsonArray bids = new JsonArray();
        for (int t = 32; t < 42; t++) {
            bids.add(new JsonObject().put("slot", t).put("kwh", 6.0).put("bidJpyPerKwh", 32.0));
        }
        ok(h.call("PUT", "/api/sites/s-dave/orders/" + day, dave, new JsonObject().put("offers", new JsonArray())
                .put("bids", bids)));
        // bob: auto (bids = forecast load from his metered history, at the retail tariff)
        ok(h.call("PUT", "/api/sites/s-bob/policy", bob, new JsonObject().put("mode", "auto")
                .put("minAskJpyPerKwh", 0).put("maxBidJpyPerKwh", 30)));
        JsonObject avail = new JsonObject().put("availableFrom", 18).put("availableTo", 46).put("minKwh", 8)
                .put("initialKwh", 20).put("feeJpyPerKwh", 4).put("feeJpyPerKm", 5);
        ok(h.call("PUT", "/api/evs/ev-bob/availability/" + day, bob, avail));
        ok(h.call("PUT", "/api/evs/ev-carol/availability/" + day, carol, avail.copy().put("initialKwh", 30)));
    }

    static ApiHarness.Res ok(ApiHarness.Res r) {
        if (r.status() != 200) {
            throw new AssertionError(r.toString());
        }
        return r;
    }

    private static void participant(ApiHarness h, String id, String name, String... roles) {
        h.adminPut("/api/admin/participants/" + id, new JsonObject().put("displayName", name)
                .put("roles", new JsonArray(java.util.List.of(roles))).put("password", pw(id)));
    }

    private static void site(ApiHarness h, String id, String owner, String feeder, String kind, double lat, double lon,
                             int ports, double chargerKw, double v2xKw) {
        h.adminPut("/api/admin/sites/" + id, new JsonObject().put("market", M).put("owner", owner).put("feeder", feeder)
                .put("kind", kind).put("lat", lat).put("lon", lon).put("exportLimitKw", 0).put("ports", ports)
                .put("chargerKw", chargerKw).put("v2xKw", v2xKw));
    }

    private static void ev(ApiHarness h, String id, String owner, String home, double capacity, double kw) {
        h.adminPut("/api/admin/evs/" + id, new JsonObject().put("market", M).put("owner", owner).put("home", home)
                .put("capacityKwh", capacity).put("chargeKw", kw).put("dischargeKw", kw));
    }
}
