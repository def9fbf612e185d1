package org.secondgrid.settlement.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SettlementIdsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 5);

    @Test
    void sameBatchGivesSameId() {
        assertThat(SettlementIds.of("aizu-demo", DAY, 0)).isEqualTo(SettlementIds.of("aizu-demo", DAY, 0))
                .startsWith("0x").hasSize(66);
    }

    @Test
    void differentBatchDayOrMarketGivesDifferentIds() {
        String id = SettlementIds.of("aizu-demo", DAY, 0);
        assertThat(SettlementIds.of("aizu-demo", DAY, 1)).isNotEqualTo(id);
        assertThat(SettlementIds.of("aizu-demo", DAY.plusDays(1), 0)).isNotEqualTo(id);
        assertThat(SettlementIds.of("other", DAY, 0)).isNotEqualTo(id);
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> SettlementIds.of(" ", DAY, 0)).hasMessageContaining("market");
        assertThatThrownBy(() -> SettlementIds.of("m", DAY, -1)).hasMessageContaining("batch must be >= 0, was -1");
    }
}
