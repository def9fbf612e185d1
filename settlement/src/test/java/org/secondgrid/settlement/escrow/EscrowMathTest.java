package org.secondgrid.settlement.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a buyer may pay at most, read from the spec's instance JSON, rounded to coin units. */
class EscrowMathTest {

    @Test
    void bidsOfAnInstanceAndTheirMostExpensiveOutcome() {
        String instance = """
                {"modelVersion":1,"market":"m","deliveryDay":"2026-12-05",
                 "bids":[{"site":"house-7","slot":36,"kwh":1.4,"bidJpyPerKwh":31.0},
                         {"site":"house-7","slot":37,"kwh":1.0,"bidJpyPerKwh":12.0},
                         {"site":"house-8","slot":20,"kwh":0.5,"bidJpyPerKwh":45.5}]}""";
        List<EscrowCheck.Bid> bids = EscrowCheck.bidsOf(instance);
        assertThat(bids).containsExactly(new EscrowCheck.Bid("house-7", 36, 1.4, 31.0), new EscrowCheck.Bid("house-7", 37, 1.0, 12.0),
                new EscrowCheck.Bid("house-8", 20, 0.5, 45.5));
        // 1.4 x 31 + 1.0 x max(12, 30); 0.5 x 45.5
        assertThat(EscrowCheck.maxSpend(bids, 30.0)).hasSize(2)
                .hasEntrySatisfying("house-7", v -> assertThat(v).isCloseTo(73.4, org.assertj.core.data.Offset.offset(1e-9)))
                .containsEntry("house-8", 22.75);
        assertThat(EscrowCheck.bidsOf("{\"bids\":[]}")).isEmpty();
        assertThat(EscrowCheck.bidsOf("{}")).isEmpty();
    }

    @Test
    void badBidsNameTheField() {
        assertThatThrownBy(() -> EscrowCheck.bidsOf("{\"bids\":[{\"site\":\"h\",\"slot\":1,\"kwh\":1}]}"))
                .hasMessageContaining("bids[0].bidJpyPerKwh");
        assertThatThrownBy(() -> EscrowCheck.bidsOf("{\"bids\":{}}")).hasMessageContaining("bids");
        assertThatThrownBy(() -> new EscrowCheck.Bid("h", 1, -1, 10)).hasMessageContaining("-1.0");
    }

    @Test
    void needsRoundUpToTheNextCoinUnitButNotOnFloatNoise() {
        assertThat(EscrowCheck.units(0.1 + 0.2)).isEqualTo(30);
        assertThat(EscrowCheck.units(12.501)).isEqualTo(1_251);
        assertThat(EscrowCheck.units(73.4)).isEqualTo(7_340);
        assertThat(EscrowCheck.units(0)).isZero();
    }
}
