package org.secondgrid.simulator.people;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.Json;
import org.secondgrid.simulator.app.SimConfig;
import org.secondgrid.simulator.app.SimulationRun;
import org.secondgrid.simulator.physics.EvPlan;
import org.secondgrid.simulator.physics.MeterCounters;
import org.secondgrid.simulator.physics.TownPhysics;
import org.secondgrid.simulator.town.Town;
import org.secondgrid.simulator.town.TownEv;
import org.secondgrid.simulator.town.TownFeeder;
import org.secondgrid.simulator.town.TownSite;
import org.secondgrid.simulator.weather.Streams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The town's people on the market's REST API: the admin enrols participants, feeders, sites and EVs; prosumers set
 * their order policy (most {@code auto}, the town file's {@code manual} ones enter per-slot orders each day from
 * their own meter's yesterday); EV owners declare availability (with probability {@code declareRate}), accept each
 * offered job with probability {@code acceptanceRate} (else decline) and load their accepted itinerary into the car,
 * which stays home anyway with probability {@code noShowRate}. Every draw is seeded by (town seed, day, EV).
 */
public final class TownPeople implements SimulationRun.People {

    private static final Logger log = LoggerFactory.getLogger(TownPeople.class);
    private static final double SPEED_KMH = 30.0;

    private final Town town;
    private final SimConfig config;
    private final MarketClient api;
    private SimulationRun run;
    private boolean available = true;
    private final Map<String, Integer> decisions = new LinkedHashMap<>();

    public TownPeople(Town town, SimConfig config, MarketClient api) {
        this.town = town;
        this.config = config;
        this.api = api;
    }

    public void attach(SimulationRun run) {
        this.run = run;
    }

    private int forcedNoShows;
    private final List<String> noShows = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Makes the first {@code n} EVs (in town order) holding an accepted job stay home regardless of the no-show rate:
     * a deterministic no-show for tests and demos.
     */
    public void forceNoShows(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("forced no-shows must be >= 0, was " + n);
        }
        this.forcedNoShows = n;
    }

    /** The EVs that were forced to no-show (see {@link #forceNoShows(int)}). */
    public List<String> forcedNoShowEvs() {
        return List.copyOf(noShows);
    }

    public Map<String, Integer> decisions() {
        return decisions;
    }

    /** Enrols the town through the admin API; false (and people stay idle) if the gateway has no market API. */
    public boolean enrol() {
        SecureRandom rnd = new SecureRandom();
        try {
            for (TownFeeder f : town.feeders()) {
                api.admin("PUT", "/api/admin/feeders/" + f.id(),
                        Map.of("market", town.market(), "reverseCapacityKw", f.reverseCapacityKw()));
            }
            Map<String, List<String>> roles = new LinkedHashMap<>();
            for (TownSite s : town.sites()) {
                roles.computeIfAbsent(s.owner(), k -> new ArrayList<>(List.of("prosumer")));
            }
            for (TownEv ev : town.evs()) {
                List<String> r = roles.computeIfAbsent(ev.owner(), k -> new ArrayList<>());
                if (!r.contains("ev-owner")) {
                    r.add("ev-owner");
                }
            }
            List<Runnable> calls = new ArrayList<>();
            for (Map.Entry<String, List<String>> p : roles.entrySet()) {
                byte[] b = new byte[12];
                rnd.nextBytes(b);
                String pw = HexFormat.of().formatHex(b);
                api.credentials(p.getKey(), pw);
                calls.add(() -> api.admin("PUT", "/api/admin/participants/" + p.getKey(),
                        Map.of("displayName", p.getKey(), "roles", p.getValue(), "password", pw)));
            }
            parallel(calls);
            calls.clear();
            for (TownSite s : town.sites()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("market", town.market());
                body.put("owner", s.owner());
                body.put("feeder", s.feeder());
                body.put("lat", s.lat());
                body.put("lon", s.lon());
                body.put("exportLimitKw", s.exportLimitKw());
                body.put("ports", s.ports());
                body.put("chargerKw", s.chargerKw());
                body.put("v2xKw", s.v2xKw());
                body.put("kind", switch (s.kind()) {
                    case HOUSE -> "household";
                    case FACTORY -> "factory";
                    case SHOP -> "shop";
                });
                calls.add(() -> api.admin("PUT", "/api/admin/sites/" + s.id(), body));
            }
            parallel(calls);
            calls.clear();
            for (TownEv ev : town.evs()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("market", town.market());
                body.put("owner", ev.owner());
                body.put("home", ev.home());
                body.put("capacityKwh", ev.capacityKwh());
                body.put("chargeKw", ev.chargeKw());
                body.put("dischargeKw", ev.dischargeKw());
                body.put("chargeEfficiency", ev.chargeEfficiency());
                body.put("dischargeEfficiency", ev.dischargeEfficiency());
                body.put("consumptionKwhPerKm", ev.consumptionKwhPerKm());
                calls.add(() -> api.admin("PUT", "/api/admin/evs/" + ev.id(), body));
            }
            parallel(calls);
            calls.clear();
            for (TownSite s : town.sites()) {
                calls.add(() -> api.as(s.owner(), "PUT", "/api/sites/" + s.id() + "/policy", Map.of("mode", s.policy(),
                        "minAskJpyPerKwh", s.minAskJpyPerKwh(), "maxBidJpyPerKwh", s.maxBidJpyPerKwh())));
            }
            parallel(calls);
            log.info("enrolled {} participants, {} sites, {} EVs through the admin API", roles.size(), town.sites().size(),
                    town.evs().size());
            return true;
        } catch (MarketClient.ApiException e) {
            if (e.status == 404 || e.status == 405) {
                available = false;
                log.warn("the gateway has no market API yet ({}): people stay idle, EVs stay home", e.getMessage());
                return false;
            }
            throw e;
        }
    }

    /** Runs independent API calls 4 at a time; the first failure is rethrown. */
    private static void parallel(List<Runnable> calls) {
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (Runnable r : calls) {
                fs.add(pool.submit(r));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private SplittableRandom draw(LocalDate day, int entity, int purpose) {
        return Streams.of(town.seed() + purpose * 7919L, Streams.PEOPLE, day, entity);
    }

    @Override
    public void beforeGate(LocalDate day) {
        TownPhysics physics = run.physics();
        for (int i = 0; i < town.evs().size(); i++) {
            TownEv ev = town.evs().get(i);
            SplittableRandom r = draw(day, i, 1);
            if (r.nextDouble() >= config.declareRate()) {
                continue;
            }
            int from = Math.clamp(ev.availableFrom() + r.nextInt(-2, 3), 0, town.slotsPerDay());
            int to = Math.clamp(ev.availableTo() + r.nextInt(-2, 3), from, town.slotsPerDay());
            double soc = physics.evs().get(ev.id()).socKwh;
            double initial = Math.round(Math.min(ev.capacityKwh(), Math.max(soc, ev.homeTargetKwh())) * 1000) / 1000.0;
            physics.window(day, ev.id(), from, to);
            if (!available) {
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("availableFrom", from);
            body.put("availableTo", to);
            body.put("minKwh", ev.minKwh());
            body.put("initialKwh", initial);
            body.put("feeJpyPerKwh", ev.feeJpyPerKwh());
            body.put("feeJpyPerKm", ev.feeJpyPerKm());
            safely(() -> api.as(ev.owner(), "PUT", "/api/evs/" + ev.id() + "/availability/" + day, body));
        }
        if (!available) {
            return;
        }
        for (TownSite s : town.sites()) {
            if ("manual".equals(s.policy())) {
                safely(() -> api.as(s.owner(), "PUT", "/api/sites/" + s.id() + "/orders/" + day, manualOrders(s, day)));
            }
        }
    }

    /** A manual prosumer's orders for D: yesterday's metered surplus per slot as offers, net import as bids. */
    Map<String, Object> manualOrders(TownSite s, LocalDate day) {
        List<Map<String, Object>> offers = new ArrayList<>();
        List<Map<String, Object>> bids = new ArrayList<>();
        Instant from = day.minusDays(2).atStartOfDay(town.zone()).toInstant();
        Map<Instant, MeterCounters> metered = run.metered(s.id());
        for (int t = 0; t < town.slotsPerDay(); t++) {
            MeterCounters m = metered.get(from.plusSeconds(t * 60L * town.slotMinutes()));
            if (m == null) {
                continue;
            }
            double net = (m.exportWh() - m.importWh()) / 1000.0;
            if (net > 0.05) {
                offers.add(Map.of("slot", t, "kwh", Math.round(net * 1000) / 1000.0, "askJpyPerKwh", s.minAskJpyPerKwh()));
            } else if (net < -0.05) {
                bids.add(Map.of("slot", t, "kwh", Math.round(-net * 1000) / 1000.0, "bidJpyPerKwh", s.maxBidJpyPerKwh()));
            }
        }
        return Map.of("offers", offers, "bids", bids);
    }

    @Override
    public void answerJobs(LocalDate day) {
        if (!available) {
            return;
        }
        for (int round = 0; round < 3; round++) {
            int answered = 0;
            for (int i = 0; i < town.evs().size(); i++) {
                TownEv ev = town.evs().get(i);
                for (JsonNode job : jobs(ev, day)) {
                    if (!"offered".equals(job.path("status").asText()) || !ev.id().equals(evOf(job))) {
                        continue;
                    }
                    String id = job.has("jobId") ? job.path("jobId").asText() : job.path("id").asText();
                    boolean accept = draw(day, i, 2 + round).nextDouble() < config.acceptanceRate();
                    safely(() -> api.as(ev.owner(), "POST", "/api/jobs/" + id + (accept ? "/accept" : "/decline"), null));
                    decisions.merge(accept ? "accepted" : "declined", 1, Integer::sum);
                    answered++;
                }
            }
            if (answered == 0) {
                break;
            }
        }
    }

    @Override
    public void finalPlans(LocalDate day) {
        if (!available) {
            return;
        }
        for (int i = 0; i < town.evs().size(); i++) {
            TownEv ev = town.evs().get(i);
            for (JsonNode job : jobs(ev, day)) {
                if (!"accepted".equals(job.path("status").asText()) || !ev.id().equals(evOf(job))) {
                    continue;
                }
                boolean forced = forcedNoShows > 0;
                if (forced || draw(day, i, 9).nextDouble() < config.noShowRate()) {
                    if (forced) {
                        forcedNoShows--;
                        noShows.add(ev.id());
                    }
                    decisions.merge("no-show", 1, Integer::sum);
                    log.info("{} will not show up for its job on {}", ev.id(), day);
                    break;
                }
                try {
                    Solution.Itinerary it = Json.MAPPER.treeToValue(job.path("itinerary"), Solution.Itinerary.class);
                    run.physics().plan(day, ev.id(), EvPlan.of(town, ev.home(), it, SPEED_KMH));
                } catch (Exception e) {
                    log.warn("{}: job itinerary unreadable ({}): stays home", ev.id(), e.getMessage());
                }
                break;
            }
        }
    }

    private static String evOf(JsonNode job) {
        if (job.hasNonNull("ev")) {
            return job.path("ev").asText();
        }
        if (job.hasNonNull("evId")) {
            return job.path("evId").asText();
        }
        return job.path("itinerary").path("ev").asText();
    }

    private List<JsonNode> jobs(TownEv ev, LocalDate day) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonNode n = api.as(ev.owner(), "GET", "/api/jobs?day=" + day, null);
            JsonNode list = n.isArray() ? n : n.path("jobs");
            list.forEach(out::add);
        } catch (RuntimeException e) {
            log.warn("{}: jobs for {} unavailable: {}", ev.owner(), day, e.getMessage());
        }
        return out;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("{}", e.getMessage());
        }
    }
}
