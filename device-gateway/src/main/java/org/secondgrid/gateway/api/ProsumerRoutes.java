package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.put;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.secondgrid.gateway.auth.Consents;
import org.secondgrid.gateway.forecast.SiteForecast;
import org.secondgrid.gateway.market.InstanceBuilder;
import org.secondgrid.gateway.market.ManualOrders;
import org.secondgrid.gateway.market.OrderPolicy;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.gateway.market.SiteRecord;
import org.secondgrid.matcher.domain.Solution;

/** A prosumer's sites: metered history, forecast, order policy and orders, schedule, trades. */
final class ProsumerRoutes {

    private static final Set<Role> OWNER = Set.of(Role.PROSUMER);
    /** Personal data an operator may read with the owner's consent (and an admin with a purpose). */
    private static final Set<Role> OWNER_OPERATOR_ADMIN = Set.of(Role.PROSUMER, Role.OPERATOR, Role.ADMIN);
    private static final Set<Role> OWNER_ADMIN = Set.of(Role.PROSUMER, Role.ADMIN);

    private ProsumerRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/sites", OWNER, req -> mySites(s, req)),
                get("/api/sites/{id}/metered", OWNER_OPERATOR_ADMIN, req -> metered(s, req)),
                get("/api/sites/{id}/forecast", OWNER_OPERATOR_ADMIN, req -> forecast(s, req)),
                put("/api/sites/{id}/policy", OWNER, req -> putPolicy(s, req)),
                get("/api/sites/{id}/orders/{day}", OWNER_ADMIN, req -> orders(s, req)),
                put("/api/sites/{id}/orders/{day}", OWNER, req -> putOrders(s, req)),
                get("/api/sites/{id}/schedule", OWNER_ADMIN, req -> schedule(s, req)),
                get("/api/trades", OWNER, req -> trades(s, req)));
    }

    /** The site if the caller owns it; else the same 404 as for an unknown id. */
    static SiteRecord ownSite(ApiServices s, Req req) {
        String id = req.id("id");
        return s.market().registry().site(id).filter(x -> x.ownerId().equals(req.caller().participantId()))
                .orElseThrow(() -> ApiException.notFound("site", id));
    }

    /** The site after the personal-data gate (owner, admin with purpose, operator with consent + purpose; logged). */
    static SiteRecord readableSite(ApiServices s, Req req, String category, Consents.Category operatorConsent) {
        String id = req.id("id");
        Optional<SiteRecord> site = s.market().registry().site(id);
        s.personal().read(req, "site", id, site.map(SiteRecord::ownerId).orElse(null), category, operatorConsent);
        return site.orElseThrow();
    }

    static JsonObject siteJson(SiteRecord r) {
        return new JsonObject().put("id", r.id()).put("market", r.market()).put("owner", r.ownerId())
                .put("feeder", r.feederId()).put("kind", r.kind()).put("lat", r.lat()).put("lon", r.lon())
                .put("exportLimitKw", r.exportLimitKw()).put("ports", r.ports()).put("chargerKw", r.chargerKw())
                .put("v2xKw", r.v2xKw());
    }

    static JsonObject policyJson(OrderPolicy p) {
        return new JsonObject().put("mode", p.mode().wire()).put("minAskJpyPerKwh", p.minAskJpyPerKwh())
                .put("maxBidJpyPerKwh", p.maxBidJpyPerKwh());
    }

    /** My sites with their order policy and their devices (meters, chargers) without credentials. */
    private static JsonObject mySites(ApiServices s, Req req) {
        JsonArray out = new JsonArray();
        var devices = s.devices().all();
        for (SiteRecord r : s.market().registry().sitesOf(req.caller().participantId())) {
            JsonArray own = new JsonArray();
            devices.stream().filter(d -> d.siteId().equals(r.id()) && !"evs".equals(d.kind()))
                    .sorted(java.util.Comparator.comparing(d -> d.deviceId()))
                    .forEach(d -> own.add(new JsonObject().put("id", d.deviceId()).put("kind", d.kind())
                            .put("ratedKw", d.ratedKw())));
            out.add(siteJson(r).put("policy", policyJson(s.market().orders().policy(r.id()))).put("devices", own));
        }
        return new JsonObject().put("sites", out);
    }

    private static JsonObject metered(ApiServices s, Req req) throws Exception {
        LocalDate today = s.market().today();
        Instant dayStart = s.market().settings().dayStart(today);
        Instant from = req.instant("from", dayStart);
        Instant to = req.instant("to", from.plus(Duration.ofDays(1)));
        if (!to.isAfter(from) || Duration.between(from, to).toDays() > 31) {
            throw ApiException.invalid("to", "to must be after from and at most 31 days later, got from " + from
                    + " to " + to);
        }
        SiteRecord site = readableSite(s, req, "metered", Consents.Category.SHARE_DEMAND_DATA);
        int slotMinutes = s.market().settings().slotMinutes();
        JsonArray slots = new JsonArray();
        try (Connection c = s.ds().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT slot_start, import_wh, export_wh, pv_wh FROM metered_slot WHERE site_id = ?"
                        + " AND slot_start >= ? AND slot_start < ? ORDER BY slot_start")) {
            ps.setString(1, site.id());
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant start = rs.getTimestamp(1).toInstant();
                    slots.add(new JsonObject().put("slotStart", start.toString())
                            .put("slot", (int) (Duration.between(from, start).toMinutes() / slotMinutes))
                            .put("importKwh", rs.getDouble(2) / 1000).put("exportKwh", rs.getDouble(3) / 1000)
                            .put("pvKwh", rs.getDouble(4) / 1000));
                }
            }
        }
        return new JsonObject().put("site", site.id()).put("day", from.equals(dayStart) ? today.toString() : null)
                .put("from", from.toString()).put("to", to.toString()).put("slots", slots);
    }

    private static JsonObject forecast(ApiServices s, Req req) {
        LocalDate day = req.day();
        SiteRecord site = readableSite(s, req, "forecast", Consents.Category.SHARE_DEMAND_DATA);
        SiteForecast f = s.market().forecasts().forecast(site.market(), site.id(), day);
        JsonArray slots = new JsonArray();
        for (int t = 0; t < f.pvWh().length; t++) {
            slots.add(new JsonObject().put("slot", t).put("pvKwh", f.pvWh()[t] / 1000).put("loadKwh", f.loadWh()[t] / 1000)
                    .put("surplusKwh", f.surplusWh()[t] / 1000));
        }
        return new JsonObject().put("site", site.id()).put("day", day.toString()).put("slots", slots);
    }

    private static JsonObject putPolicy(ApiServices s, Req req) {
        Fields b = req.body().only("mode", "minAskJpyPerKwh", "maxBidJpyPerKwh");
        String mode = b.oneOf("mode", List.of("auto", "manual"));
        double ask = b.number("minAskJpyPerKwh", 0, 1000);
        double bid = b.number("maxBidJpyPerKwh", 0, 1000);
        SiteRecord site = ownSite(s, req);
        OrderPolicy p = new OrderPolicy(OrderPolicy.Mode.parse(mode), ask, bid);
        s.market().orders().setPolicy(site.id(), p);
        return new JsonObject().put("site", site.id()).put("policy", policyJson(s.market().orders().policy(site.id())));
    }

    /** The site's orders for the day as gate closure would submit them: manual ones, or auto from the forecast. */
    private static JsonObject orders(ApiServices s, Req req) {
        LocalDate day = req.pathDay("day");
        SiteRecord site = readableSite(s, req, "orders", null);
        OrderPolicy p = s.market().orders().policy(site.id());
        InstanceBuilder.SiteOrders o = s.market().services().instances().ordersOf(site, day);
        JsonArray offers = new JsonArray();
        JsonArray bids = new JsonArray();
        o.offers().forEach(x -> offers.add(new JsonObject().put("slot", x.slot()).put("kwh", x.kwh())
                .put("askJpyPerKwh", x.askJpyPerKwh())));
        o.bids().forEach(x -> bids.add(new JsonObject().put("slot", x.slot()).put("kwh", x.kwh())
                .put("bidJpyPerKwh", x.bidJpyPerKwh())));
        return new JsonObject().put("site", site.id()).put("day", day.toString()).put("mode", p.mode().wire())
                .put("policy", policyJson(p)).put("offers", offers).put("bids", bids);
    }

    private static JsonObject putOrders(ApiServices s, Req req) {
        LocalDate day = req.pathDay("day");
        Fields b = req.body().only("offers", "bids");
        int slots = s.market().settings().slotsOf(day);
        List<ManualOrders.Offer> offers = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Fields o : b.objects("offers", slots)) {
            o.only("slot", "kwh", "askJpyPerKwh");
            int slot = o.integer("slot", 0, slots - 1);
            if (!seen.add(slot)) {
                throw ApiException.invalid(o.name("slot"), "at most one offer per slot: slot " + slot + " appears twice");
            }
            offers.add(new ManualOrders.Offer(slot, o.number("kwh", 0, 100_000), o.number("askJpyPerKwh", 0, 1000)));
        }
        seen.clear();
        List<ManualOrders.Bid> bids = new ArrayList<>();
        for (Fields o : b.objects("bids", slots)) {
            o.only("slot", "kwh", "bidJpyPerKwh");
            int slot = o.integer("slot", 0, slots - 1);
            if (!seen.add(slot)) {
                throw ApiException.invalid(o.name("slot"), "at most one bid per slot: slot " + slot + " appears twice");
            }
            bids.add(new ManualOrders.Bid(slot, o.number("kwh", 0, 100_000), o.number("bidJpyPerKwh", 0, 1000)));
        }
        SiteRecord site = ownSite(s, req);
        s.market().orders().putManualOrders(site.id(), day, new ManualOrders(offers, bids));
        return new JsonObject().put("site", site.id()).put("day", day.toString()).put("offers", offers.size())
                .put("bids", bids.size()).put("mode", s.market().orders().policy(site.id()).mode().wire());
    }

    private static JsonObject schedule(ApiServices s, Req req) {
        LocalDate day = req.day();
        SiteRecord site = readableSite(s, req, "schedule", null);
        Optional<PublishedSchedule> ps = s.market().schedules().latest(site.market(), day);
        JsonObject out = new JsonObject().put("site", site.id()).put("day", day.toString()).put("available", ps.isPresent());
        if (ps.isEmpty()) {
            return out;
        }
        PublishedSchedule p = ps.get();
        Solution sol = p.solution();
        int n = p.instance().slots();
        double[][] v = new double[4][n]; // sold grid, sold EV, bought grid, bought EV
        for (Solution.GridDelivery g : sol.grid()) {
            if (g.seller().equals(site.id())) {
                v[0][g.slot()] += g.kwh();
            }
            if (g.buyer().equals(site.id())) {
                v[2][g.slot()] += g.kwh();
            }
        }
        for (Solution.Itinerary it : sol.itineraries()) {
            for (Solution.Stop st : it.stops()) {
                if (st.site().equals(site.id())) {
                    for (Solution.StopSlot x : st.slots()) {
                        v[1][x.slot()] += x.charge();
                        v[3][x.slot()] += x.discharge();
                    }
                }
            }
        }
        JsonArray slots = new JsonArray();
        double sold = 0;
        double bought = 0;
        for (int t = 0; t < n; t++) {
            if (v[0][t] + v[1][t] + v[2][t] + v[3][t] > 0) {
                slots.add(new JsonObject().put("slot", t).put("soldGridKwh", round3(v[0][t])).put("soldEvKwh", round3(v[1][t]))
                        .put("boughtGridKwh", round3(v[2][t])).put("boughtEvKwh", round3(v[3][t])));
            }
            sold += v[0][t] + v[1][t];
            bought += v[2][t] + v[3][t];
        }
        return out.put("version", p.version()).put("stage", p.stage().wire()).put("source", p.source().wire())
                .put("note", p.note()).put("createdAt", p.createdAt().toString()).put("slots", slots)
                .put("totals", new JsonObject().put("soldKwh", round3(sold)).put("boughtKwh", round3(bought)))
                .put("trades", tradesOf(sol, Set.of(site.id())));
    }

    /** The trades of the given sites in a solution, with each side's money from the pool's payments. */
    static JsonArray tradesOf(Solution sol, Set<String> sites) {
        JsonArray out = new JsonArray();
        for (Solution.Trade t : sol.trades()) {
            String pool = "grid".equals(t.channel()) ? "grid:" + t.seller() + ":" + t.buyer() + ":" + t.slot() : t.channel();
            if (sites.contains(t.seller())) {
                out.add(trade(t, t.seller(), "sell", t.buyer(), t.kwhSold(), money(sol, pool, t, true)));
            }
            if (sites.contains(t.buyer())) {
                out.add(trade(t, t.buyer(), "buy", t.seller(), t.kwhDelivered(), money(sol, pool, t, false)));
            }
        }
        return out;
    }

    /**
     * A seller's income from a trade: the payments of its pool to it, shared by kWh among the pool's
     * trades of that seller; a buyer's cost likewise (including its fees in that pool).
     */
    private static double money(Solution sol, String pool, Solution.Trade t, boolean seller) {
        String who = seller ? t.seller() : t.buyer();
        double total = 0;
        for (Solution.Payment p : sol.payments()) {
            if (p.pool().equals(pool) && (seller ? p.payee().equals(who) : p.payer().equals(who))) {
                total += p.jpy();
            }
        }
        double all = 0;
        for (Solution.Trade o : sol.trades()) {
            String op = "grid".equals(o.channel()) ? "grid:" + o.seller() + ":" + o.buyer() + ":" + o.slot() : o.channel();
            if (op.equals(pool) && (seller ? o.seller().equals(who) : o.buyer().equals(who))) {
                all += seller ? o.kwhSold() : o.kwhDelivered();
            }
        }
        double mine = seller ? t.kwhSold() : t.kwhDelivered();
        return all <= 0 ? 0 : Math.round(total * mine / all * 100) / 100.0;
    }

    private static JsonObject trade(Solution.Trade t, String site, String side, String counterpart, double kwh, double jpy) {
        return new JsonObject().put("site", site).put("side", side).put("counterpart", counterpart).put("slot", t.slot())
                .put("channel", t.channel()).put("kwh", round3(kwh)).put("jpy", jpy);
    }

    private static JsonObject trades(ApiServices s, Req req) {
        LocalDate day = req.day();
        List<SiteRecord> mine = s.market().registry().sitesOf(req.caller().participantId());
        JsonArray trades = new JsonArray();
        double earned = 0;
        double paid = 0;
        double soldKwh = 0;
        double boughtKwh = 0;
        Map<String, List<SiteRecord>> byMarket = new java.util.TreeMap<>();
        mine.forEach(r -> byMarket.computeIfAbsent(r.market(), k -> new ArrayList<>()).add(r));
        JsonArray versions = new JsonArray();
        for (var e : byMarket.entrySet()) {
            Optional<PublishedSchedule> ps = s.market().schedules().latest(e.getKey(), day);
            if (ps.isEmpty()) {
                continue;
            }
            versions.add(new JsonObject().put("market", e.getKey()).put("version", ps.get().version())
                    .put("stage", ps.get().stage().wire()));
            Set<String> ids = new HashSet<>();
            e.getValue().forEach(r -> ids.add(r.id()));
            JsonArray t = tradesOf(ps.get().solution(), ids);
            for (int i = 0; i < t.size(); i++) {
                JsonObject o = t.getJsonObject(i);
                if ("sell".equals(o.getString("side"))) {
                    earned += o.getDouble("jpy");
                    soldKwh += o.getDouble("kwh");
                } else {
                    paid += o.getDouble("jpy");
                    boughtKwh += o.getDouble("kwh");
                }
                trades.add(o);
            }
        }
        return new JsonObject().put("day", day.toString()).put("schedules", versions).put("trades", trades)
                .put("totals", new JsonObject().put("earnedJpy", Math.round(earned * 100) / 100.0)
                        .put("paidJpy", Math.round(paid * 100) / 100.0).put("soldKwh", round3(soldKwh))
                        .put("boughtKwh", round3(boughtKwh)));
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
