package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.post;
import static org.secondgrid.gateway.api.ApiRoute.put;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.secondgrid.gateway.auth.Consents;
import org.secondgrid.gateway.market.EvAvailability;
import org.secondgrid.gateway.market.EvJob;
import org.secondgrid.gateway.market.EvRecord;
import org.secondgrid.matcher.io.Json;

/** An EV owner's EVs, availability, location, transport jobs (accept/decline) and earnings. */
final class EvOwnerRoutes {

    private static final Set<Role> OWNER = Set.of(Role.EV_OWNER);
    private static final Set<Role> OWNER_ADMIN = Set.of(Role.EV_OWNER, Role.ADMIN);
    private static final Set<Role> OWNER_OPERATOR_ADMIN = Set.of(Role.EV_OWNER, Role.OPERATOR, Role.ADMIN);

    private EvOwnerRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/evs", OWNER, req -> myEvs(s, req)),
                get("/api/evs/{id}/availability/{day}", OWNER_ADMIN, req -> availability(s, req)),
                put("/api/evs/{id}/availability/{day}", OWNER, req -> declare(s, req)),
                get("/api/evs/{id}/location", OWNER_OPERATOR_ADMIN, req -> location(s, req)),
                get("/api/evs/{id}/jobs", OWNER_ADMIN, req -> evJobs(s, req)),
                get("/api/jobs", OWNER, req -> myJobs(s, req)),
                post("/api/jobs/{jobId}/accept", OWNER, req -> decide(s, req, true)),
                post("/api/jobs/{jobId}/decline", OWNER, req -> decide(s, req, false)),
                get("/api/earnings", OWNER, req -> earnings(s, req)));
    }

    static JsonObject evJson(EvRecord e) {
        return new JsonObject().put("id", e.id()).put("market", e.market()).put("owner", e.ownerId())
                .put("home", e.homeSiteId()).put("capacityKwh", e.capacityKwh()).put("chargeKw", e.chargeKw())
                .put("dischargeKw", e.dischargeKw()).put("chargeEfficiency", e.chargeEfficiency())
                .put("dischargeEfficiency", e.dischargeEfficiency()).put("consumptionKwhPerKm", e.consumptionKwhPerKm());
    }

    static JsonObject availabilityJson(EvAvailability a) {
        return new JsonObject().put("availableFrom", a.availableFrom()).put("availableTo", a.availableTo())
                .put("minKwh", a.minKwh()).put("initialKwh", a.initialKwh()).put("feeJpyPerKwh", a.feeJpyPerKwh())
                .put("feeJpyPerKm", a.feeJpyPerKm());
    }

    static JsonObject jobJson(EvJob j) {
        return new JsonObject().put("jobId", j.jobId()).put("market", j.market()).put("day", j.day().toString())
                .put("ev", j.evId()).put("scheduleVersion", j.scheduleVersion()).put("status", j.status().wire())
                .put("payJpy", j.payJpy()).put("offeredAt", j.offeredAt().toString())
                .put("decidedAt", j.decidedAt() == null ? null : j.decidedAt().toString())
                .put("itinerary", itinerary(j));
    }

    private static JsonObject itinerary(EvJob j) {
        try {
            return new JsonObject(Json.MAPPER.writeValueAsString(j.itinerary()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write itinerary of job " + j.jobId() + ": " + e.getMessage(), e);
        }
    }

    private static EvRecord ownEv(ApiServices s, Req req) {
        String id = req.id("id");
        return s.market().registry().ev(id).filter(e -> e.ownerId().equals(req.caller().participantId()))
                .orElseThrow(() -> ApiException.notFound("EV", id));
    }

    private static EvRecord readableEv(ApiServices s, Req req, String category, Consents.Category operatorConsent) {
        String id = req.id("id");
        Optional<EvRecord> ev = s.market().registry().ev(id);
        s.personal().read(req, "EV", id, ev.map(EvRecord::ownerId).orElse(null), category, operatorConsent);
        return ev.orElseThrow();
    }

    private static JsonObject myEvs(ApiServices s, Req req) {
        LocalDate tomorrow = s.market().today().plusDays(1);
        JsonArray out = new JsonArray();
        for (EvRecord e : s.market().registry().evsOf(req.caller().participantId())) {
            out.add(evJson(e).put("tomorrow", s.market().orders().availability(e.id(), tomorrow)
                    .map(EvOwnerRoutes::availabilityJson).orElse(null)));
        }
        return new JsonObject().put("evs", out);
    }

    private static JsonObject availability(ApiServices s, Req req) {
        LocalDate day = req.pathDay("day");
        EvRecord ev = readableEv(s, req, "availability", null);
        return new JsonObject().put("ev", ev.id()).put("day", day.toString()).put("availability",
                s.market().orders().availability(ev.id(), day).map(EvOwnerRoutes::availabilityJson).orElse(null));
    }

    private static JsonObject declare(ApiServices s, Req req) {
        LocalDate day = req.pathDay("day");
        Fields b = req.body().only("availableFrom", "availableTo", "minKwh", "initialKwh", "feeJpyPerKwh", "feeJpyPerKm");
        int slots = s.market().settings().slotsOf(day);
        int from = b.integer("availableFrom", 0, slots);
        int to = b.integer("availableTo", 0, slots);
        if (to < from) {
            throw ApiException.invalid("availableTo", "availableTo must be >= availableFrom (" + from + "), got " + to);
        }
        double min = b.number("minKwh", 0, 1000);
        double initial = b.number("initialKwh", 0, 1000);
        if (initial < min) {
            throw ApiException.invalid("initialKwh", "initialKwh must be >= minKwh (" + min + "), got " + initial);
        }
        double feeKwh = b.number("feeJpyPerKwh", 0, 1000);
        double feeKm = b.number("feeJpyPerKm", 0, 10_000);
        EvRecord ev = ownEv(s, req);
        if (initial > ev.capacityKwh()) {
            throw ApiException.invalid("initialKwh", "initialKwh must be <= the battery capacity " + ev.capacityKwh()
                    + " kWh, got " + initial);
        }
        EvAvailability a = new EvAvailability(from, to, min, initial, feeKwh, feeKm);
        s.market().orders().declareAvailability(ev.id(), day, a);
        return new JsonObject().put("ev", ev.id()).put("day", day.toString()).put("availability", availabilityJson(a));
    }

    private static JsonObject location(ApiServices s, Req req) throws Exception {
        EvRecord ev = readableEv(s, req, "location", Consents.Category.SHARE_EV_LOCATION);
        JsonObject out = new JsonObject().put("ev", ev.id()).put("reported", false);
        try (Connection c = s.ds().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ts, lat, lon, soc_kwh FROM reading WHERE device_id = ? AND lat IS NOT NULL ORDER BY ts DESC LIMIT 1")) {
            ps.setString(1, ev.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    out.put("reported", true).put("ts", rs.getTimestamp(1).toInstant().toString()).put("lat", rs.getDouble(2))
                            .put("lon", rs.getDouble(3)).put("socKwh", rs.getDouble(4));
                }
            }
        }
        return out;
    }

    private static JsonObject evJobs(ApiServices s, Req req) {
        LocalDate day = req.day();
        EvRecord ev = readableEv(s, req, "jobs", null);
        JsonArray out = new JsonArray();
        s.market().jobs().jobsOfEv(ev.id(), day).forEach(j -> out.add(jobJson(j)));
        return new JsonObject().put("ev", ev.id()).put("day", day.toString()).put("jobs", out);
    }

    private static JsonObject myJobs(ApiServices s, Req req) {
        LocalDate day = req.day();
        JsonArray out = new JsonArray();
        s.market().jobs().jobsOfOwner(req.caller().participantId(), day).forEach(j -> out.add(jobJson(j)));
        return new JsonObject().put("day", day.toString()).put("jobs", out);
    }

    private static JsonObject decide(ApiServices s, Req req, boolean accept) {
        String jobId = Fields.id("jobId", req.raw("jobId"));
        EvJob job = s.market().jobs().job(jobId)
                .filter(j -> req.caller().participantId().equals(s.market().evOwner(j.evId())))
                .orElseThrow(() -> ApiException.notFound("job", jobId));
        if (accept) {
            s.market().cycle().accept(job.jobId());
        } else {
            s.market().cycle().decline(job.jobId());
        }
        return jobJson(s.market().jobs().job(jobId).orElseThrow());
    }

    private static JsonObject earnings(ApiServices s, Req req) {
        Map<String, double[]> perEv = new TreeMap<>();
        for (EvJob j : s.market().jobs().jobsOfOwner(req.caller().participantId(), null)) {
            if (j.status() == EvJob.Status.ACCEPTED) {
                double[] v = perEv.computeIfAbsent(j.evId(), k -> new double[2]);
                v[0] += j.payJpy();
                v[1]++;
            }
        }
        JsonArray evs = new JsonArray();
        double total = 0;
        int jobs = 0;
        for (var e : perEv.entrySet()) {
            evs.add(new JsonObject().put("ev", e.getKey()).put("payJpy", Math.round(e.getValue()[0] * 100) / 100.0)
                    .put("acceptedJobs", (int) e.getValue()[1]));
            total += e.getValue()[0];
            jobs += (int) e.getValue()[1];
        }
        return new JsonObject().put("evs", evs).put("totalJpy", Math.round(total * 100) / 100.0).put("acceptedJobs", jobs);
    }
}
