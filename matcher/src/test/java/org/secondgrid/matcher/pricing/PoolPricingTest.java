package org.secondgrid.matcher.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution.Payment;
import org.secondgrid.matcher.domain.Solution.Pool;
import org.secondgrid.matcher.domain.Solution.Trade;
import org.secondgrid.matcher.io.InstanceJson;
import org.secondgrid.matcher.solver.EnergyAction;
import org.secondgrid.matcher.solver.GridClearing;
import org.secondgrid.matcher.solver.MarketIndex;

class PoolPricingTest {

    private final Instance instance = load();
    private final MarketIndex m = new MarketIndex(instance);
    private final Ev ev = instance.evs().getFirst();
    private final int factory = m.siteIndex("factory-1");
    private final int house2 = m.siteIndex("house-2");
    private final int house3 = m.siteIndex("house-3");
    private final int house7 = m.siteIndex("house-7");

    private static Instance load() {
        try (InputStream in = PoolPricingTest.class.getResourceAsStream("/shuttle-instance.json")) {
            return InstanceJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private EnergyAction act(int site, int slot, long wh, boolean charge) {
        return new EnergyAction(ev.id(), 0, site, slot, wh, charge);
    }

    /** An EV that charges 2 kWh at the factory (slot 20) and 1 kWh at house-2 (slot 25), then delivers. */
    private PoolPricing.EvDay day() {
        return new PoolPricing.EvDay(ev, 6.0, List.of(
                act(factory, 20, 2000, true), act(house2, 25, 1000, true),
                act(house7, 30, 1200, false), act(house3, 31, 800, false), act(house3, 32, 700, false)));
    }

    @Test
    void gridPoolSplitsTheSurplusAndPaysTheFee() {
        var flow = new GridClearing.Flow(house2, house3, 25, 1000);
        PoolPricing.Priced p = PoolPricing.price(m, List.of(flow), List.of(), 0.5);
        Pool pool = p.pools().getFirst();
        assertThat(pool.pool()).isEqualTo("grid:house-2:house-3:25");
        // V = 30, C = 2 (ask on house-2 slot 25), F = 8, S = 20
        assertThat(pool.valueJpy()).isEqualTo(30.0);
        assertThat(pool.costJpy()).isEqualTo(2.0);
        assertThat(pool.feesJpy()).isEqualTo(8.0);
        assertThat(pool.surplusJpy()).isEqualTo(20.0);
        assertThat(p.payments()).containsExactlyInAnyOrder(
                new Payment(pool.pool(), "house-3", "house-2", 12.0),
                new Payment(pool.pool(), "house-3", PoolPricing.GRID_OPERATOR, 8.0));
        assertThat(p.trades()).containsExactly(new Trade("house-2", "house-3", 25, "grid", 1.0, 1.0));
    }

    @Test
    void evPoolIsIndividuallyRationalAndBalances() {
        PoolPricing.Priced p = PoolPricing.price(m, List.of(), List.of(day()), 0.5);
        Pool pool = p.pools().getFirst();
        double value = 31 * 1.2 + 30 * 0.8 + 30 * 0.7;
        double cost = 5 * 2.0 + 2 * 1.0;
        double fees = 6 * (1.2 + 0.8 + 0.7) + 2.0 * 6.0;
        assertThat(pool.valueJpy()).isCloseTo(value, within(0.005));
        assertThat(pool.costJpy()).isCloseTo(cost, within(0.005));
        assertThat(pool.feesJpy()).isCloseTo(fees, within(0.005));
        double s = value - cost - fees;
        assertThat(pool.surplusJpy()).isCloseTo(s, within(0.005));
        assertThat(MarketIndex.jpy(p.welfareUnits())).isCloseTo(s, within(1e-6));
        Map<String, Double> paid = new HashMap<>();
        Map<String, Double> received = new HashMap<>();
        for (Payment pay : p.payments()) {
            paid.merge(pay.payer(), pay.jpy(), Double::sum);
            received.merge(pay.payee(), pay.jpy(), Double::sum);
        }
        int records = p.payments().size();
        // buyers pay their bid value less half the surplus, pro rata to value
        assertThat(paid.get("house-7")).isCloseTo(31 * 1.2 - 0.5 * s * (31 * 1.2 / value), within(0.01 * records));
        assertThat(paid.get("house-3")).isCloseTo(30 * 1.5 - 0.5 * s * (30 * 1.5 / value), within(0.01 * records));
        assertThat(paid.get("house-7")).isLessThanOrEqualTo(31 * 1.2);
        // sellers get their ask plus half the surplus pro rata to kWh; the EV owner its fees
        assertThat(received.get("factory-1")).isCloseTo(10 + 0.5 * s * 2 / 3, within(0.01 * records));
        assertThat(received.get("house-2")).isCloseTo(2 + 0.5 * s / 3, within(0.01 * records));
        assertThat(received.get(ev.id())).isCloseTo(fees, within(0.01 * records));
        double totalPaid = paid.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(totalPaid).isCloseTo(value - 0.5 * s, within(0.01 * records));
    }

    @Test
    void buyersKeepTheWholeSurplusWithKOne() {
        PoolPricing.Priced p = PoolPricing.price(m, List.of(), List.of(day()), 1.0);
        double received = p.payments().stream().filter(x -> x.payee().equals("factory-1"))
                .mapToDouble(Payment::jpy).sum();
        assertThat(received).isCloseTo(10.0, within(0.05));
    }

    @Test
    void tradesFollowFirstInFirstOut() {
        List<Trade> trades = PoolPricing.price(m, List.of(), List.of(day()), 0.5).trades();
        double eta = ev.chargeEfficiency() * ev.dischargeEfficiency();
        // 2 kWh from the factory entered first: 2 x 0.9025 = 1.805 kWh deliverable, all to house-7 (1.2) then house-3
        assertThat(trades.getFirst()).isEqualTo(new Trade("factory-1", "house-7", 30, ev.id(),
                Math.round(1200 / eta) / 1000.0, 1.2));
        double fromFactory = trades.stream().filter(t -> t.seller().equals("factory-1"))
                .mapToDouble(Trade::kwhDelivered).sum();
        assertThat(fromFactory).isCloseTo(2.0 * eta, within(0.003));
        assertThat(trades).filteredOn(t -> t.seller().equals("house-2")).allSatisfy(t -> {
            assertThat(t.buyer()).isEqualTo("house-3");
            assertThat(t.slot()).isIn(31, 32);
        });
        double delivered = trades.stream().mapToDouble(Trade::kwhDelivered).sum();
        assertThat(delivered).isCloseTo(2.7, within(0.003));
        assertThat(trades).allSatisfy(t -> assertThat(t.kwhSold()).isCloseTo(t.kwhDelivered() / eta, within(0.002)));
    }
}
