package org.secondgrid.gateway.api;

import java.time.LocalDate;
import org.secondgrid.gateway.forecast.ForecastService;
import org.secondgrid.gateway.market.JobBook;
import org.secondgrid.gateway.market.MarketCycle;
import org.secondgrid.gateway.market.MarketRegistry;
import org.secondgrid.gateway.market.MarketSettings;
import org.secondgrid.gateway.market.OrderBook;
import org.secondgrid.gateway.market.ScheduleStore;

/** The market service (market-core) as the API uses it. */
public record Market(MarketSettings settings, MarketRegistry registry, OrderBook orders, JobBook jobs,
                     ScheduleStore schedules, ForecastService forecasts, MarketCycle cycle, java.time.Clock clock) {

    /** The market's local date now (by the gateway clock). */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), settings.zone());
    }

    /** The owner of a site, or null if there is no such site. */
    public String siteOwner(String siteId) {
        return registry.site(siteId).map(s -> s.ownerId()).orElse(null);
    }

    /** The owner of an EV, or null if there is no such EV. */
    public String evOwner(String evId) {
        return registry.ev(evId).map(e -> e.ownerId()).orElse(null);
    }
}
