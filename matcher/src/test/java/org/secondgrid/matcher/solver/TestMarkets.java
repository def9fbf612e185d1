package org.secondgrid.matcher.solver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.io.InstanceJson;

/** Test instances and helpers to build EV routes by hand. */
final class TestMarkets {

    private TestMarkets() {
    }

    static Instance load(String resource) {
        try (InputStream in = TestMarkets.class.getResourceAsStream("/" + resource)) {
            return InstanceJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The residual market after clearing the grid of {@code instance}. */
    static ResidualMarket residual(Instance instance) {
        MarketIndex m = new MarketIndex(instance);
        return ResidualMarket.afterGrid(m, GridClearing.clear(m));
    }

    static EvRoute route(ResidualMarket r, int ev, String... visits) {
        MarketIndex m = r.market();
        var e = m.instance().evs().get(ev);
        EvRoute route = new EvRoute(new EvInfo(ev, e, m.siteIndex(e.home())), new RoutePlanner(r));
        List<Visit> list = new ArrayList<>();
        for (int i = 0; i < visits.length; i++) {
            list.add(new Visit(100 * ev + i, m.siteIndex(visits[i]), visits[i]));
        }
        route.setVisits(list);
        return route;
    }
}
