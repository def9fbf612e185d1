package org.secondgrid.gateway.api;

import static org.secondgrid.gateway.api.ApiRoute.get;
import static org.secondgrid.gateway.api.ApiRoute.post;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.secondgrid.gateway.market.MarketCycle;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.gateway.market.ScheduleStore;

/** Market control (admin): a day's phase and schedule versions; run gate closure or the final step now. */
final class MarketRoutes {

    private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

    private MarketRoutes() {
    }

    static List<ApiRoute> routes(ApiServices s) {
        return List.of(
                get("/api/markets/{market}/days/{day}", ADMIN, req -> status(s, req)),
                post("/api/markets/{market}/days/{day}/gate-closure", ADMIN, req -> {
                    Target t = target(s, req);
                    return summary(s.market().cycle().runGateClosure(t.market, t.day));
                }),
                post("/api/markets/{market}/days/{day}/final", ADMIN, req -> {
                    Target t = target(s, req);
                    return summary(s.market().cycle().runFinal(t.market, t.day));
                }));
    }

    private record Target(String market, LocalDate day) {
    }

    private static Target target(ApiServices s, Req req) {
        String market = req.id("market");
        LocalDate day = req.pathDay("day");
        if (!s.market().registry().markets().contains(market)) {
            throw ApiException.notFound("market", market);
        }
        return new Target(market, day);
    }

    private static JsonObject status(ApiServices s, Req req) {
        Target t = target(s, req);
        MarketCycle.DayStatus st = s.market().cycle().status(t.market, t.day);
        JsonArray versions = new JsonArray();
        for (ScheduleStore.VersionInfo v : st.versions()) {
            versions.add(new JsonObject().put("version", v.version()).put("stage", v.stage().wire())
                    .put("source", v.source().wire()));
        }
        return new JsonObject().put("market", st.market()).put("day", st.day().toString()).put("phase", st.phase().wire())
                .put("gateClosure", st.gateClosure().toString()).put("jobDeadline", st.jobDeadline().toString())
                .put("finalAt", st.finalAt().toString())
                .put("gateRanAt", str(st.gateRanAt())).put("deadlineRanAt", str(st.deadlineRanAt()))
                .put("finalRanAt", str(st.finalRanAt())).put("versions", versions);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static JsonObject summary(PublishedSchedule p) {
        return new JsonObject().put("market", p.market()).put("day", p.day().toString()).put("version", p.version())
                .put("stage", p.stage().wire()).put("source", p.source().wire()).put("note", p.note())
                .put("welfareJpy", p.solution().welfareJpy()).put("itineraries", p.solution().itineraries().size())
                .put("gridDeliveries", p.solution().grid().size()).put("trades", p.solution().trades().size())
                .put("createdAt", p.createdAt().toString());
    }
}
