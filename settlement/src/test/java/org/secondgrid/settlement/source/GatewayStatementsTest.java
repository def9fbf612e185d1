package org.secondgrid.settlement.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.secondgrid.settlement.ledger.LedgerTrade;
import org.secondgrid.settlement.ledger.LedgerTrade.Kind;
import org.secondgrid.settlement.ledger.OutboxRow;

/** Statement sums count the records of confirmed batches only; the rest is listed per party as unconfirmed. */
class GatewayStatementsTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 8);

    static LedgerStore.Row row(int batch, LedgerTrade t) {
        return new LedgerStore.Row(batch, 0, t, "0xs-" + t.seller(), "0xb-" + t.buyer(), t.carrier() == null ? null : "0xc-" + t.carrier());
    }

    static OutboxRow outbox(int batch, OutboxRow.State state) {
        return new OutboxRow("id-" + batch, "m", DAY, batch, 1, state, "0xop", (long) batch, "0xtx" + batch, null,
                state == OutboxRow.State.CONFIRMED ? 100L + batch : null, null, null, null);
    }

    @Test
    void onlyConfirmedBatchesCount() {
        List<LedgerStore.Row> rows = List.of(
                row(0, new LedgerTrade("s1", "b1", null, 20, Kind.ENERGY, 800, 960, 640)),
                row(0, new LedgerTrade(LedgerTrade.RETAILER, "b1", null, 20, Kind.IMBALANCE, 200, 600, 0)),
                row(1, new LedgerTrade("s1", "b2", "ev-1", 30, Kind.ENERGY, 1_500, 1_500, 750)),
                row(2, new LedgerTrade("s1", "b1", null, 31, Kind.ENERGY, 1_000, 1_200, 800)));
        Map<Integer, OutboxRow> outbox = Map.of(0, outbox(0, OutboxRow.State.CONFIRMED), 1, outbox(1, OutboxRow.State.CONFIRMED),
                2, outbox(2, OutboxRow.State.FAILED));
        Map<String, GatewayStatements.Sums> sums = GatewayStatements.sums(rows, outbox);

        GatewayStatements.Sums b1 = sums.get("b1");
        assertThat(b1.whBought).isEqualTo(800);
        assertThat(b1.certificateWh).isEqualTo(800);
        assertThat(b1.paid).isEqualTo(960 + 640 + 600);
        assertThat(b1.imbalanceWhBought).isEqualTo(200);
        assertThat(b1.imbalancePaid).isEqualTo(600);
        assertThat(b1.confirmedBatches).containsExactly(0);
        assertThat(b1.unconfirmedBatches).containsExactly(2);
        assertThat(b1.address).isEqualTo("0xb-b1");

        GatewayStatements.Sums s1 = sums.get("s1");
        assertThat(s1.whSold).as("batch 2 failed: its 1,000 Wh are not counted").isEqualTo(2_300);
        assertThat(s1.received).isEqualTo(960 + 1_500);
        assertThat(s1.confirmedBatches).containsExactly(0, 1);

        GatewayStatements.Sums ev = sums.get("ev-1");
        assertThat(ev.whCarried).isEqualTo(1_500);
        assertThat(ev.received).isEqualTo(750);
        assertThat(ev.fees).isEqualTo(750);
        assertThat(ev.paid).isZero();
        assertThat(ev.address).isEqualTo("0xc-ev-1");

        GatewayStatements.Sums retailer = sums.get(LedgerTrade.RETAILER);
        assertThat(retailer.received).isEqualTo(600);
        assertThat(sums.get("b2").certificateWh).isEqualTo(1_500);
    }
}
