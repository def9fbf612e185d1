package org.secondgrid.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;

class DeliveryLinesTest {

    final Instance in = Fixtures.instance("aizu-demo", 1);
    final Solution sol = Fixtures.solution("aizu-demo", false);
    final DeliveryDay day = DeliveryDay.of(in);

    @Test
    void scheduleSeriesCarryTradesWithPoolPricesCurtailmentAndJobs() {
        List<String> lines = DeliveryLines.schedule(in, sol);
        long t20 = day.slotStart(20).toEpochMilli();
        long t24 = day.slotStart(24).toEpochMilli();
        // grid pool: V 42, S 18, 1.5 kWh -> buyer pays (42 - 9) / 1.5 = 22, seller gets (12 + 9) / 1.5 = 14
        assertThat(lines).contains("trade,market=aizu-demo,channel=grid,via=grid,seller=house-b,buyer=shop,feeder=F2"
                + " kwh_sold=1.5000,kwh_delivered=1.5000,buyer_price_jpy_per_kwh=22.0000,seller_price_jpy_per_kwh=14.0000 " + t20);
        // EV pool ev-1: V 162, S 110.48 over 5.4 kWh delivered -> (162 - 55.24) / 5.4 = 19.7704
        assertThat(lines).anyMatch(l -> l.startsWith("trade,market=aizu-demo,channel=ev,via=ev-1,seller=factory,buyer=house-a,feeder=F1 ")
                && l.contains("buyer_price_jpy_per_kwh=19.7704") && l.endsWith(" " + t24));
        // factory: no backflow, 20 kWh offered in slot 20, both EVs charge 6 -> 6 avoided, 14 still curtailed
        assertThat(lines).contains("curtailment,market=aizu-demo,feeder=F1,site=factory status_quo_kwh=20.0000,market_kwh=14.0000,"
                + "avoided_kwh=6.0000 " + t20);
        assertThat(lines).contains("ev_jobs,market=aizu-demo jobs=2i,evs=2i,charge_kwh=12.0000,discharge_kwh=10.8000 "
                + day.start().toEpochMilli());
    }

    @Test
    void slotSeriesCarryImbalanceBackflowFleetAndDeliveredCurtailment() {
        DispatchPlan plan = DispatchPlan.of(in, sol);
        MarketPositions market = new MarketPositions(in, sol);
        List<ChargerEnergy.EvEnergy> measured = List.of(new ChargerEnergy.EvEnergy("ev-2", "factory", 3, 0));
        Map<String, ImbalanceRules.Metered> metered = Map.of("factory", new ImbalanceRules.Metered(0, 0.4),
                "house-b", new ImbalanceRules.Metered(0, 1.5), "shop", new ImbalanceRules.Metered(2, 0));
        ImbalanceRules.SlotResult r = ImbalanceRules.evaluate(plan, market, 20, metered, measured, 40);
        Map<String, Double> dispatched = new HashMap<>(Map.of("ev-1", 3.0, "ev-2", 3.0));
        List<String> lines = DeliveryLines.slot(plan, market, "aizu-demo", day.slotStart(20), r, measured, dispatched, metered);
        long ts = day.slotStart(20).toEpochMilli();
        assertThat(lines).contains("backflow,market=aizu-demo,feeder=F1,site=factory,ev_caused=false kwh_over=0.4000,"
                + "metered_export_kwh=0.4000,export_limit_kwh=0.0000,ev_discharge_kwh=0.0000,events=1i " + ts);
        assertThat(lines).contains("ev_fleet,market=aizu-demo,ev=ev-1 scheduled_kwh=3.0000,dispatched_kwh=3.0000,"
                + "measured_kwh=0.0000,no_show=1i " + ts);
        assertThat(lines).contains("ev_fleet,market=aizu-demo,ev=ev-2 scheduled_kwh=3.0000,dispatched_kwh=3.0000,"
                + "measured_kwh=3.0000,no_show=0i " + ts);
        assertThat(lines).anyMatch(l -> l.startsWith("imbalance,market=aizu-demo,feeder=F2,site=house-b imbalance_kwh=0.0000,"));
        // only 3 kWh reached an EV at the factory: 3 avoided of the status quo's 20
        assertThat(lines).contains("curtailment_delivered,market=aizu-demo,feeder=F1,site=factory avoided_kwh=3.0000,"
                + "status_quo_kwh=20.0000 " + ts);
    }

    @Test
    void curtailmentAvoidedCountsOnlySalesAboveTheExportLimit() {
        // factory: 4 x 20 kWh offered with no backflow allowed, 12 kWh charged by EVs; house-b: 2 kWh offered,
        // 1.5 kWh may be exported anyway (3 kW x 0.5 h), its 1.5 kWh grid sale avoids nothing
        Curtailment.Total t = Curtailment.total(in, sol);
        assertThat(t.statusQuoKwh()).isEqualTo(80.5);
        assertThat(t.avoidedKwh()).isEqualTo(12.0);
        assertThat(t.marketKwh()).isEqualTo(68.5);
        assertThat(t.avoidedPercent()).isCloseTo(14.907, org.assertj.core.api.Assertions.within(0.001));
    }
}
