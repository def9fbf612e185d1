package org.secondgrid.settlement.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How charger energy between two readings is split over market slots. */
class SpreadTest {

    static final Instant DAY = Instant.parse("2026-12-07T15:00:00Z"); // 2026-12-08 00:00 in Asia/Tokyo

    static Instant at(int minutes) {
        return DAY.plusSeconds(minutes * 60L);
    }

    @Test
    void energyBetweenTwoReadingsIsSplitOverTheSlotsByTime() {
        double[] a = new double[48];
        double[] b = new double[48];
        // 600 Wh from 00:20 to 00:50: 10 minutes in slot 0, 20 minutes in slot 1
        GatewayMarketDb.spread(600, at(20), at(50), DAY, 30, 48, a, b);
        assertThat(a[0]).isEqualTo(200.0);
        assertThat(a[1]).isEqualTo(400.0);
        assertThat(b).containsExactly(a);
    }

    @Test
    void aReadingThatStartsASessionCountsInTheSlotBeforeItsTime() {
        double[] a = new double[48];
        double[] b = new double[48];
        GatewayMarketDb.spread(300, at(60), at(60), DAY, 30, 48, a, b); // exactly at the start of slot 2: moved before it
        assertThat(a[1]).isEqualTo(300.0);
        GatewayMarketDb.spread(100, at(75), at(75), DAY, 30, 48, a, b);
        assertThat(a[2]).isEqualTo(100.0);
    }

    @Test
    void energyOutsideTheDayIsNotCounted() {
        double[] a = new double[48];
        double[] b = new double[48];
        // 30 minutes before midnight to 30 minutes after: half of it in slot 0
        GatewayMarketDb.spread(1_000, at(-30), at(30), DAY, 30, 48, a, b);
        assertThat(a[0]).isEqualTo(500.0);
        // after the last slot
        GatewayMarketDb.spread(1_000, at(48 * 30 + 5), at(48 * 30 + 20), DAY, 30, 48, a, b);
        GatewayMarketDb.spread(1_000, at(-20), at(-20), DAY, 30, 48, a, b);
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        assertThat(sum).isEqualTo(500.0);
    }

    @Test
    void hourSlotsTakeTwoMeteredHalfHours() {
        double[] a = new double[24];
        double[] b = new double[24];
        GatewayMarketDb.spread(900, at(50), at(80), DAY, 60, 24, a, b);
        assertThat(a[0]).isEqualTo(300.0);
        assertThat(a[1]).isEqualTo(600.0);
    }
}
