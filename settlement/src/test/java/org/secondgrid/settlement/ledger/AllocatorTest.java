package org.secondgrid.settlement.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.settlement.ledger.LedgerTrade.Kind;
import org.secondgrid.settlement.ledger.MeteredDay.Reading;
import org.secondgrid.settlement.ledger.SolutionFile.Payment;
import org.secondgrid.settlement.ledger.SolutionFile.Trade;

class AllocatorTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    static final String R = LedgerTrade.RETAILER;
    final Allocator allocator = new Allocator(30.0); // 30 JPY/kWh = 3 coin units per Wh

    static SolutionFile gridDay(double kwh, double jpy, double fee) {
        return new SolutionFile(1, "m", DAY, List.of(new Trade("s", "b", 20, "grid", kwh, kwh)),
                List.of(new Payment("grid:s:b:20", "b", "s", jpy), new Payment("grid:s:b:20", "b", "grid-operator", fee)));
    }

    static MeteredDay meters(Reading... r) {
        return new MeteredDay("m", DAY, List.of(r));
    }

    @Test
    void meteredAsScheduledSettlesThePlanWithoutImbalance() {
        List<LedgerTrade> out = allocator.allocate(gridDay(1.0, 12.0, 8.0), meters(new Reading("s", 20, 1.0), new Reading("b", 20, 1.0)));
        assertThat(out).containsExactly(new LedgerTrade("s", "b", null, 20, Kind.ENERGY, 1000, 1200, 800));
    }

    @Test
    void buyerShortfallCapsDeliveryAndTheBuyerPaysTheImbalance() {
        List<LedgerTrade> out = allocator.allocate(gridDay(1.0, 12.0, 8.0), meters(new Reading("s", 20, 1.0), new Reading("b", 20, 0.8)));
        assertThat(out).containsExactlyInAnyOrder(
                new LedgerTrade("s", "b", null, 20, Kind.ENERGY, 800, 960, 640),
                new LedgerTrade(R, "b", null, 20, Kind.IMBALANCE, 200, 600, 0),   // b deviated: pays 200 Wh
                new LedgerTrade("s", R, null, 20, Kind.IMBALANCE, 200, 600, 0));  // s delivered them: the retailer buys
    }

    @Test
    void sellerShortfallCapsDeliveryAndTheSellerPays() {
        List<LedgerTrade> out = allocator.allocate(gridDay(1.0, 12.0, 8.0), meters(new Reading("s", 20, 0.5), new Reading("b", 20, 1.0)));
        assertThat(out).containsExactlyInAnyOrder(
                new LedgerTrade("s", "b", null, 20, Kind.ENERGY, 500, 600, 400),
                new LedgerTrade(R, "s", null, 20, Kind.IMBALANCE, 500, 1500, 0));
    }

    @Test
    void excessIsSoldByASourceAndBoughtByABuyer() {
        List<LedgerTrade> out = allocator.allocate(gridDay(1.0, 12.0, 8.0), meters(new Reading("s", 20, 1.2), new Reading("b", 20, 1.1)));
        assertThat(out).containsExactlyInAnyOrder(
                new LedgerTrade("s", "b", null, 20, Kind.ENERGY, 1000, 1200, 800),
                new LedgerTrade("s", R, null, 20, Kind.IMBALANCE, 200, 600, 0),
                new LedgerTrade(R, "b", null, 20, Kind.IMBALANCE, 100, 300, 0));
    }

    @Test
    void missingReadingMeansNothingMeasured() {
        List<LedgerTrade> out = allocator.allocate(gridDay(1.0, 12.0, 8.0), meters(new Reading("b", 20, 1.0)));
        assertThat(out).containsExactly(new LedgerTrade(R, "s", null, 20, Kind.IMBALANCE, 1000, 3000, 0));
    }

    @Test
    void sourceShortfallIsSharedProRataOfSchedule() {
        SolutionFile sol = new SolutionFile(1, "m", DAY, List.of(
                new Trade("s", "b1", 20, "grid", 1.0, 1.0), new Trade("s", "b2", 20, "grid", 3.0, 3.0)),
                List.of(new Payment("grid:s:b1:20", "b1", "s", 10.0), new Payment("grid:s:b2:20", "b2", "s", 30.0)));
        List<LedgerTrade> out = allocator.allocate(sol, meters(new Reading("s", 20, 2.0), new Reading("b1", 20, 1.0),
                new Reading("b2", 20, 3.0)));
        assertThat(out).filteredOn(t -> t.kind() == Kind.ENERGY).containsExactlyInAnyOrder(
                new LedgerTrade("s", "b1", null, 20, Kind.ENERGY, 500, 500, 0),
                new LedgerTrade("s", "b2", null, 20, Kind.ENERGY, 1500, 1500, 0));
        assertThat(out).filteredOn(t -> t.kind() == Kind.IMBALANCE)
                .containsExactly(new LedgerTrade(R, "s", null, 20, Kind.IMBALANCE, 2000, 6000, 0));
    }

    @Test
    void evPoolMoneyIsSplitPerTradeAndTheFeeGoesToTheCarrier() {
        SolutionFile sol = new SolutionFile(1, "m", DAY, List.of(
                new Trade("f1", "h7", 36, "ev-3", 1.108, 1.0), new Trade("f2", "h7", 36, "ev-3", 0.443, 0.4)),
                List.of(new Payment("ev-3", "h7", "f1", 11.08), new Payment("ev-3", "h7", "f2", 4.05),
                        new Payment("ev-3", "h7", "ev-3", 20.9)));
        List<LedgerTrade> out = allocator.allocate(sol, meters(new Reading("ev-3", 36, 1.4), new Reading("h7", 36, 1.4)));
        assertThat(out).containsExactlyInAnyOrder(
                new LedgerTrade("f1", "h7", "ev-3", 36, Kind.ENERGY, 1000, 1108, 1492),
                new LedgerTrade("f2", "h7", "ev-3", 36, Kind.ENERGY, 400, 405, 597));
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> new Allocator(-1)).hasMessageContaining("imbalance price").hasMessageContaining("-1");
        assertThatThrownBy(() -> new Reading("x", 3, -0.5)).hasMessageContaining("kwh").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> new SolutionFile(2, "m", DAY, List.of(), List.of())).hasMessageContaining("modelVersion");
        assertThatThrownBy(() -> new Trade("s", "b", 1, " ", 1, 1)).hasMessageContaining("channel");
        assertThatThrownBy(() -> new LedgerTrade("s", "b", null, 70_000, Kind.ENERGY, 1, 1, 1)).hasMessageContaining("slot");
    }

    @Test
    void readsTheMatchersSolutionJson() throws Exception {
        String json = """
                {"modelVersion":1,"market":"aizu-demo","deliveryDay":"2026-12-05","welfareJpy":1.0,
                 "solver":{"name":"t","seconds":1,"score":"0"},"grid":[],"itineraries":[],
                 "trades":[{"seller":"factory-1","buyer":"house-7","slot":36,"channel":"ev-3","kwhSold":1.551,"kwhDelivered":1.4}],
                 "payments":[{"pool":"ev-3","payer":"house-7","payee":"factory-1","jpy":15.13}],
                 "pools":[],"curtailedKwh":0,"unmetKwh":0}""";
        java.nio.file.Path f = java.nio.file.Files.createTempFile("solution", ".json");
        java.nio.file.Files.writeString(f, json);
        SolutionFile s = SolutionFile.read(f);
        assertThat(s.deliveryDay()).isEqualTo(DAY);
        assertThat(s.trades()).singleElement().satisfies(t -> assertThat(t.source()).isEqualTo("ev-3"));
        assertThat(s.payments()).hasSize(1);
    }
}
