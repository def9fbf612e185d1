package org.secondgrid.gateway.api;

import java.time.Clock;
import java.time.LocalDate;
import org.secondgrid.gateway.forecast.ForecastService;
import org.secondgrid.gateway.market.JobBook;
import org.secondgrid.gateway.market.MarketCycle;
import org.secondgrid.gateway.market.MarketRegistry;
import org.secondgrid.gateway.market.MarketServices;
import org.secondgrid.gateway.market.MarketSettings;
import org.secondgrid.gateway.market.OrderBook;
import org.secondgrid.gateway.market.ScheduleStore;

/** The market service (market-core) as the API uses it, with the gateway clock. */
public record Market(MarketServices services, Clock clock) {

    public MarketSettings settings() {
        return services.settings();
    }

    public MarketRegistry registry() {
        return services.registry();
    }

    public OrderBook orders() {
        return services.orders();
    }

    public JobBook jobs() {
        return services.jobs();
    }

    public ScheduleStore schedules() {
        return services.schedules();
    }

    public ForecastService forecasts() {
        return services.forecasts();
    }

    public MarketCycle cycle() {
        return services.cycle();
    }

    /** The market's local date now (by the gateway clock). */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), settings().zone());
    }

    /** The owner of a site, or null if there is no such site. */
    public String siteOwner(String siteId) {
        return registry().site(siteId).map(s -> s.ownerId()).orElse(null);
    }

    /** The owner of an EV, or null if there is no such EV. */
    public String evOwner(String evId) {
        return registry().ev(evId).map(e -> e.ownerId()).orElse(null);
    }
}
