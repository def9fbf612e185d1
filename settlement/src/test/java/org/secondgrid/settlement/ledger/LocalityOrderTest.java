package org.secondgrid.settlement.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalityOrderTest {

    static List<LedgerStore.Row> rows(long seed) {
        SyntheticTown.Day town = SyntheticTown.generate("m", LocalDate.of(2026, 12, 5), 60, 5, seed);
        List<LedgerStore.Row> out = new ArrayList<>();
        for (LedgerTrade t : new Allocator(30).allocate(town.solution(), town.metered())) {
            out.add(new LedgerStore.Row(0, 0, t, LedgerStore.derivedAddress(t.seller()), LedgerStore.derivedAddress(t.buyer()), null));
        }
        return out;
    }

    @Test
    void eachBuyersRecordsAreContiguousAndNothingIsLostOrDuplicated() {
        List<LedgerStore.Row> in = rows(3);
        List<LedgerStore.Row> out = SettlementService.localityOrder(in);
        assertThat(out).containsExactlyInAnyOrderElementsOf(in);
        Set<String> closed = new HashSet<>();
        String current = null;
        for (LedgerStore.Row r : out) {
            String b = r.trade().buyer();
            if (!b.equals(current)) {
                assertThat(closed.add(b)).as("buyer " + b + " appears in one run only").isTrue();
                current = b;
            }
        }
    }

    @Test
    void theOrderDoesNotDependOnTheInputOrder() {
        List<LedgerStore.Row> in = rows(4);
        List<LedgerStore.Row> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(9));
        assertThat(SettlementService.localityOrder(shuffled)).containsExactlyElementsOf(SettlementService.localityOrder(in));
    }
}
