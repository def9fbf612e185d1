package org.secondgrid.gateway.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.gateway.forecast.SiteForecast;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Offer;

class AutoOrdersTest {

    static final LocalDate D = LocalDate.of(2026, 12, 5);

    @Test
    void surplusBecomesOffersAtTheMinimumAskAndNetLoadBidsAtTheMaximumBid() {
        double[] pv = new double[48];
        double[] load = new double[48];
        for (int t = 0; t < 48; t++) {
            load[t] = 500;
        }
        pv[20] = 2500.4;  // surplus 2000.4 Wh -> offer 2.000 kWh
        pv[21] = 500.3;   // surplus 0.3 Wh -> neither
        pv[22] = 300;     // net load 200 Wh -> bid 0.2 kWh
        SiteForecast f = SiteForecast.of(D, pv, load);
        var o = InstanceBuilder.autoOrders("house-1", f, new OrderPolicy(OrderPolicy.Mode.AUTO, 2.5, 29));
        assertThat(o.offers()).containsExactly(new Offer("house-1", 20, 2.0, 2.5));
        assertThat(o.bids()).hasSize(46); // every slot but 20 (offer) and 21 (balanced)
        assertThat(o.bids()).contains(new Bid("house-1", 22, 0.2, 29), new Bid("house-1", 0, 0.5, 29));
        assertThat(o.bids()).noneMatch(b -> b.slot() == 20 || b.slot() == 21);
    }

    @Test
    void firmAutoOrdersTradeTheLowerQuantileAndTheMeanAtHalf() {
        double[] pv = new double[48];
        double[] load = new double[48];
        double[] pvSd = new double[48];
        double[] loadSd = new double[48];
        for (int t = 0; t < 48; t++) {
            load[t] = 500;
            loadSd[t] = 100;
        }
        pv[20] = 2500;
        pvSd[20] = 300;   // surplus 2000 Wh, sd hypot(300, 100) = 316.2 Wh
        pv[22] = 400;     // net load 100 Wh, sd 100 Wh: firm net load at q 0.2 is 15.8 Wh
        pv[23] = 450;     // net load 50 Wh < z·sd: no firm bid, and no offer
        SiteForecast f = SiteForecast.of(D, pv, load, pvSd, loadSd);
        var p = new OrderPolicy(OrderPolicy.Mode.AUTO, 0, 30);
        assertThat(InstanceBuilder.autoOrders("h", f, p, 0.5)).isEqualTo(InstanceBuilder.autoOrders("h", f, p));
        var firm = InstanceBuilder.autoOrders("h", f, p, 0.2);
        double z = SiteForecast.z(0.2);
        assertThat(firm.offers()).containsExactly(
                new Offer("h", 20, Math.round(2000 - z * Math.hypot(300, 100)) / 1000.0, 0));
        assertThat(firm.bids()).contains(new Bid("h", 0, Math.round(500 - z * 100) / 1000.0, 30),
                new Bid("h", 22, Math.round(100 - z * 100) / 1000.0, 30));
        assertThat(firm.bids()).noneMatch(b -> b.slot() == 23 || b.slot() == 20);
        assertThat(firm.offers().getFirst().kwh()).isLessThan(2.0);
        var split = InstanceBuilder.autoOrders("h", f, p, 0.5, 0.2);
        assertThat(split.offers()).containsExactly(new Offer("h", 20, 2.0, 0));
        assertThat(split.bids()).isEqualTo(firm.bids());
    }

    @Test
    void autoOrderQuantileIsConfigurableAndChecked() {
        assertThat(MarketSettings.defaults().autoBidQuantile()).isEqualTo(0.1);
        assertThat(MarketSettings.defaults().autoOfferQuantile()).isEqualTo(0.5);
        var half = MarketSettings.fromEnv(java.util.Map.of("AUTO_ORDER_QUANTILE", "0.5"));
        assertThat(half.autoOfferQuantile()).isEqualTo(0.5);
        assertThat(half.autoBidQuantile()).isEqualTo(0.5);
        var split = MarketSettings.fromEnv(java.util.Map.of("AUTO_ORDER_QUANTILE", "0.3", "AUTO_BID_QUANTILE", "0.2"));
        assertThat(split.autoOfferQuantile()).isEqualTo(0.3);
        assertThat(split.autoBidQuantile()).isEqualTo(0.2);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MarketSettings.fromEnv(java.util.Map.of("AUTO_ORDER_QUANTILE", "1.5")))
                .isInstanceOf(MarketException.class).hasMessageContaining("AUTO_ORDER_QUANTILE")
                .hasMessageContaining("1.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MarketSettings.fromEnv(java.util.Map.of("AUTO_OFFER_QUANTILE", "0")))
                .isInstanceOf(MarketException.class).hasMessageContaining("AUTO_OFFER_QUANTILE");
    }

    @Test
    void manualOrdersLeaveOutEmptySlots() {
        var m = new ManualOrders(List.of(new ManualOrders.Offer(10, 3, 4), new ManualOrders.Offer(11, 0, 4)),
                List.of(new ManualOrders.Bid(36, 1.25, 31)));
        var o = InstanceBuilder.manualOrders("shop-1", m);
        assertThat(o.offers()).containsExactly(new Offer("shop-1", 10, 3, 4));
        assertThat(o.bids()).containsExactly(new Bid("shop-1", 36, 1.25, 31));
    }

    @Test
    void policyModeParsesWireNamesOnly() {
        assertThat(OrderPolicy.Mode.parse("auto")).isEqualTo(OrderPolicy.Mode.AUTO);
        assertThat(OrderPolicy.Mode.parse("manual")).isEqualTo(OrderPolicy.Mode.MANUAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrderPolicy.Mode.parse("AUTO"))
                .isInstanceOf(MarketException.class).hasMessageContaining("mode").hasMessageContaining("AUTO");
    }
}
