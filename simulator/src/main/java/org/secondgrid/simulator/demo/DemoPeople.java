package org.secondgrid.simulator.demo;

import java.time.LocalDate;
import org.secondgrid.gateway.app.Gateway;
import org.secondgrid.gateway.market.PublishedSchedule;
import org.secondgrid.simulator.app.SimulationRun;
import org.secondgrid.simulator.people.TownPeople;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The town's people plus the market's clock-driven steps, in the demo's order on D−1: orders and availability
 * (08:00), gate closure with the matcher then owners answer their jobs (12:00), job deadline and final schedule then
 * the EVs load their itineraries (17:30). The gateway's own scheduler is off in the demo, so the steps run here at
 * these simulated times.
 */
final class DemoPeople implements SimulationRun.People {

    private static final Logger log = LoggerFactory.getLogger(DemoPeople.class);

    private final TownPeople people;
    private final Gateway gw;
    private final String market;
    /** The one delivery day the demo runs: the market steps of the day after it (on day D itself) are skipped. */
    private final LocalDate deliveryDay;

    DemoPeople(TownPeople people, Gateway gw, String market, LocalDate deliveryDay) {
        this.people = people;
        this.gw = gw;
        this.market = market;
        this.deliveryDay = deliveryDay;
    }

    @Override
    public void beforeGate(LocalDate day) {
        if (day.isAfter(deliveryDay)) {
            log.info("market steps for {} skipped: the demo delivers {} only", day, deliveryDay);
            return;
        }
        people.beforeGate(day);
    }

    @Override
    public void answerJobs(LocalDate day) {
        if (day.isAfter(deliveryDay)) {
            return;
        }
        long t0 = System.nanoTime();
        PublishedSchedule s = gw.market().cycle().runGateClosure(market, day);
        log.info("gate closure {} {}: {} schedule v{} in {} ms ({} itineraries)", market, day, s.source(), s.version(),
                (System.nanoTime() - t0) / 1_000_000, s.solution().itineraries().size());
        people.answerJobs(day);
    }

    @Override
    public void finalPlans(LocalDate day) {
        if (day.isAfter(deliveryDay)) {
            return;
        }
        gw.market().cycle().runJobDeadline(market, day);
        PublishedSchedule f = gw.market().cycle().runFinal(market, day);
        log.info("final schedule {} {}: v{} ({} itineraries)", market, day, f.version(), f.solution().itineraries().size());
        people.finalPlans(day);
    }
}
