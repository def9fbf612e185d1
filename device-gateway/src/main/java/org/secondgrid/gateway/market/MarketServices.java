package org.secondgrid.gateway.market;

import java.time.Clock;
import javax.sql.DataSource;
import org.secondgrid.gateway.forecast.ForecastService;
import org.secondgrid.gateway.forecast.WeatherForecastStore;

/**
 * Everything of the market service, wired on one database and one clock: what the api package's routes,
 * delivery and the simulator's town import use ({@code Gateway#market()}).
 */
public record MarketServices(MarketSettings settings, MarketRegistry registry, OrderBook orders,
                             WeatherForecastStore weather, ForecastService forecasts, InstanceBuilder instances,
                             ScheduleStore schedules, JobBook jobs, MarketCycle cycle) implements AutoCloseable {

    /** Wires the services; the cycle's scheduler is not started ({@code cycle().start()}). */
    public static MarketServices create(DataSource ds, Clock clock, MarketSettings s) {
        MarketRegistry registry = new MarketRegistry(ds);
        OrderBook orders = new OrderBook(ds, clock, s, registry);
        WeatherForecastStore weather = new WeatherForecastStore(ds);
        ForecastService forecasts = new ForecastService(ds, weather, s.zone(), s.slotMinutes(), s.historyDays());
        InstanceBuilder instances = new InstanceBuilder(s, registry, orders, forecasts);
        ScheduleStore schedules = new ScheduleStore(ds);
        JobBook jobs = new JobBook(ds);
        MarketCycle cycle = new MarketCycle(ds, clock, s, registry, instances, schedules, jobs);
        return new MarketServices(s, registry, orders, weather, forecasts, instances, schedules, jobs, cycle);
    }

    @Override
    public void close() {
        cycle.close();
    }
}
