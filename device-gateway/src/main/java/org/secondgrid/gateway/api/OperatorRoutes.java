package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.secondgrid.gateway.auth.Consents;
import org.secondgrid.gateway.delivery.Curtailment;
import org.secondgrid.gateway.market.EvRecord;
import org.secondgrid.gateway.market.FeederRecord;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.gateway.market.SiteRecord;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

/**
 * The grid operator's views, aggregated per feeder (no participant's data): feeders and scheduled
 * flows, imbalance and backflow per slot, curtailment avoided, the EV fleet. Demand figures include
 * only sites whose owners opted in to share demand data, and only when at least
 * {@link #MIN_SITES_IN_AGGREGATE} such sites are on the feeder.
 */
final class OperatorRoutes {

    static final Set<Role> OPERATOR = Set.of(Role.OPERATOR, Role.ADMIN);
    /**
     * A feeder's shared demand is shown only when at least this many sites share it: a sum over one or
     * two sites would be those sites' own data.
     */
    static final int MIN_SITES_IN_AGGREGATE = 3;

    private OperatorRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/grid/feeders", OPERATOR, req -> feeders(s, req)),
                get("/api/grid/imbalance", OPERATOR, req -> s.grid().imbalance(req.day())),
                get("/api/grid/backflow", OPERATOR, req -> s.grid().backflow(req.day())),
                get("/api/grid/curtailment", OPERATOR, req -> curtailment(s, req)),
                get("/api/grid/fleet", OPERATOR, req -> fleet(s)));
    }

    private static JsonObject feeders(ApiServices s, Req req) throws Exception {
        LocalDate day = req.day();
        JsonArray out = new JsonArray();
        for (String market : s.market().registry().markets()) {
            List<SiteRecord> sites = s.market().registry().sites(market);
            Map<String, String> feederOf = new HashMap<>();
            sites.forEach(x -> feederOf.put(x.id(), x.feederId()));
            Optional<PublishedSchedule> ps = s.market().schedules().latest(market, day);
            Map<String, double[]> flows = new HashMap<>(); // feeder -> {grid in, grid out, EV delivered}
            ps.ifPresent(p -> {
                for (Solution.GridDelivery g : p.solution().grid()) {
                    String fs = feederOf.get(g.seller());
                    String fb = feederOf.get(g.buyer());
                    if (fs != null && !fs.equals(fb)) {
                        flows.computeIfAbsent(fs, k -> new double[3])[1] += g.kwh();
                        if (fb != null) {
                            flows.computeIfAbsent(fb, k -> new double[3])[0] += g.kwh();
                        }
                    }
                }
                for (Solution.Itinerary it : p.solution().itineraries()) {
                    for (Solution.Stop st : it.stops()) {
                        String f = feederOf.get(st.site());
                        if (f != null) {
                            flows.computeIfAbsent(f, k -> new double[3])[2] += st.slots().stream()
                                    .mapToDouble(Solution.StopSlot::discharge).sum();
                        }
                    }
                }
            });
            Set<String> sharing = s.consents().grantedBy(sites.stream().map(SiteRecord::ownerId).distinct().toList(),
                    Consents.Category.SHARE_DEMAND_DATA);
            Instant from = s.market().settings().dayStart(day);
            Map<String, Double> demand = sharedDemand(s, sites, sharing, from, from.plus(Duration.ofDays(1)));
            for (FeederRecord f : s.market().registry().feeders(market)) {
                double[] v = flows.getOrDefault(f.id(), new double[3]);
                long n = sites.stream().filter(x -> x.feederId().equals(f.id())).count();
                long shared = sites.stream().filter(x -> x.feederId().equals(f.id()) && sharing.contains(x.ownerId())).count();
                out.add(new JsonObject().put("id", f.id()).put("market", market).put("reverseCapacityKw", f.reverseCapacityKw())
                        .put("sites", n).put("scheduledImportKwh", ProsumerRoutes.round3(v[0]))
                        .put("scheduledExportKwh", ProsumerRoutes.round3(v[1]))
                        .put("evDeliveredKwh", ProsumerRoutes.round3(v[2]))
                        .put("sitesSharingDemand", shared)
                        .put("sharedDemandKwh", shared < MIN_SITES_IN_AGGREGATE ? null
                                : ProsumerRoutes.round3(demand.getOrDefault(f.id(), 0.0))));
            }
        }
        return new JsonObject().put("day", day.toString()).put("feeders", out);
    }

    /** Metered import per feeder over the sites whose owners share demand data (kWh). */
    private static Map<String, Double> sharedDemand(ApiServices s, List<SiteRecord> sites, Set<String> sharing,
                                                    Instant from, Instant to) throws Exception {
        Map<String, String> feederOf = new HashMap<>();
        sites.stream().filter(x -> sharing.contains(x.ownerId())).forEach(x -> feederOf.put(x.id(), x.feederId()));
        Map<String, Double> out = new HashMap<>();
        if (feederOf.isEmpty()) {
            return out;
        }
        try (Connection c = s.ds().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT site_id, sum(import_wh) FROM metered_slot WHERE site_id = ANY (?) AND slot_start >= ?"
                        + " AND slot_start < ? GROUP BY site_id")) {
            ps.setArray(1, c.createArrayOf("text", feederOf.keySet().toArray()));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(feederOf.get(rs.getString(1)), rs.getDouble(2) / 1000, Double::sum);
                }
            }
        }
        return out;
    }

    /**
     * Per feeder: offered surplus, what the schedule sold of it (grid, EVs), and delivery's curtailment
     * figures against the status quo without a market (offered surplus above the export limit is
     * throttled today; sales beyond the limit avoid that).
     */
    private static JsonObject curtailment(ApiServices s, Req req) {
        LocalDate day = req.day();
        JsonArray out = new JsonArray();
        for (String market : s.market().registry().markets()) {
            Optional<PublishedSchedule> ps = s.market().schedules().latest(market, day);
            if (ps.isEmpty()) {
                continue;
            }
            Instance in = ps.get().instance();
            Solution sol = ps.get().solution();
            Map<String, String> feederOf = new HashMap<>();
            in.sites().forEach(x -> feederOf.put(x.id(), x.feeder()));
            // offered, sold via grid, sold into EVs, status quo curtailed, curtailed with the market, avoided
            Map<String, double[]> v = new LinkedHashMap<>();
            in.feeders().forEach(f -> v.put(f.id(), new double[6]));
            in.offers().forEach(o -> v.get(feederOf.get(o.site()))[0] += o.kwh());
            sol.grid().forEach(g -> v.get(feederOf.get(g.seller()))[1] += g.kwh());
            sol.itineraries().forEach(it -> it.stops().forEach(st -> v.get(feederOf.get(st.site()))[2] += st.slots()
                    .stream().mapToDouble(Solution.StopSlot::charge).sum()));
            for (Curtailment.SiteSlot c : Curtailment.of(in, sol)) {
                double[] x = v.get(c.feederId());
                x[3] += c.statusQuoKwh();
                x[4] += c.marketKwh();
                x[5] += c.avoidedKwh();
            }
            v.forEach((f, x) -> out.add(new JsonObject().put("feeder", f).put("market", market)
                    .put("scheduleVersion", ps.get().version()).put("stage", ps.get().stage().wire())
                    .put("offeredKwh", ProsumerRoutes.round3(x[0])).put("soldGridKwh", ProsumerRoutes.round3(x[1]))
                    .put("soldEvKwh", ProsumerRoutes.round3(x[2]))
                    .put("statusQuoCurtailedKwh", ProsumerRoutes.round3(x[3]))
                    .put("curtailedKwh", ProsumerRoutes.round3(x[4]))
                    .put("curtailmentAvoidedKwh", ProsumerRoutes.round3(x[5]))));
        }
        return new JsonObject().put("day", day.toString()).put("feeders", out);
    }

    /** EVs per home feeder: how many, how many reported in the last hour, charging/discharging now, kWh stored. */
    private static JsonObject fleet(ApiServices s) throws Exception {
        Instant now = s.clock().instant();
        Instant since = now.minus(Duration.ofHours(1));
        Map<String, double[]> byFeeder = new LinkedHashMap<>(); // evs, reporting, charging, discharging, soc
        int evs = 0;
        int reporting = 0;
        double soc = 0;
        try (Connection c = s.ds().getConnection()) {
            for (String market : s.market().registry().markets()) {
                Map<String, String> feederOf = new HashMap<>();
                s.market().registry().sites(market).forEach(x -> feederOf.put(x.id(), x.feederId()));
                List<EvRecord> fleet = s.market().registry().evs(market);
                Map<String, Double> socOf = latestPerDevice(c, "soc_kwh", null,
                        fleet.stream().map(EvRecord::id).toList(), since, now);
                Map<String, Double> powerOf = latestPerDevice(c, "power_kw", "ev_id", s.devices().all().stream()
                        .filter(d -> "chargers".equals(d.kind()) && market.equals(d.market())).map(d -> d.deviceId())
                        .toList(), since, now);
                for (EvRecord e : fleet) {
                    double[] v = byFeeder.computeIfAbsent(feederOf.getOrDefault(e.homeSiteId(), "?"), k -> new double[5]);
                    v[0]++;
                    evs++;
                    Double evSoc = socOf.get(e.id());
                    if (evSoc != null) {
                        v[1]++;
                        v[4] += evSoc;
                        reporting++;
                        soc += evSoc;
                    }
                    Double power = powerOf.get(e.id());
                    if (power != null && power > 0.01) {
                        v[2]++;
                    } else if (power != null && power < -0.01) {
                        v[3]++;
                    }
                }
            }
        }
        JsonArray rows = new JsonArray();
        byFeeder.forEach((f, v) -> rows.add(new JsonObject().put("feeder", f).put("evs", (int) v[0])
                .put("reporting", (int) v[1]).put("charging", (int) v[2]).put("discharging", (int) v[3])
                .put("socKwh", ProsumerRoutes.round3(v[4]))));
        return new JsonObject().put("at", now.toString()).put("evs", evs).put("reporting", reporting)
                .put("totalSocKwh", ProsumerRoutes.round3(soc)).put("byFeeder", rows);
    }

    /**
     * The latest non-null {@code column} of each device in [from, to], keyed by the device id or, with
     * {@code keyColumn}, by that column of the same reading (a charger's plugged-in EV).
     */
    private static Map<String, Double> latestPerDevice(Connection c, String column, String keyColumn, List<String> ids,
                                                       Instant from, Instant to) throws Exception {
        Map<String, Double> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String key = keyColumn == null ? "device_id" : keyColumn;
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (device_id) " + key + ", " + column
                + " FROM reading WHERE device_id = ANY (?) AND ts >= ? AND ts <= ? AND " + column + " IS NOT NULL"
                + " ORDER BY device_id, ts DESC")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        out.put(rs.getString(1), rs.getDouble(2));
                    }
                }
            }
        }
        return out;
    }
}
