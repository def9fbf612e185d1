package org.secondgrid.gateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metered energy per 30-minute slot from a meter's cumulative counters.
 * <ul>
 *   <li>Readings are ordered by device time (then seq); each consecutive pair contributes its counter
 *       difference, spread linearly over the time between them, so a pair that straddles a slot boundary
 *       is split in proportion to the time on each side (linear interpolation of the counter).</li>
 *   <li>A counter lower than the previous one is a meter reset: the counter restarted from 0, so the pair
 *       contributes the new value (the energy counted since the reset).</li>
 *   <li>Two readings with the same timestamp put their difference into that instant's slot.</li>
 * </ul>
 */
public final class SlotEnergy {

    public static final Duration SLOT = Duration.ofMinutes(30);
    private static final long SLOT_MS = SLOT.toMillis();

    /** One meter reading's counters. */
    public record Sample(Instant ts, long seq, double importWh, double exportWh, double pvWh) {
    }

    /** Energy of one slot. */
    public record Energy(double importWh, double exportWh, double pvWh) {
        Energy plus(double i, double e, double p) {
            return new Energy(importWh + i, exportWh + e, pvWh + p);
        }
    }

    private SlotEnergy() {
    }

    public static Instant slotStart(Instant ts) {
        return Instant.ofEpochMilli(Math.floorDiv(ts.toEpochMilli(), SLOT_MS) * SLOT_MS);
    }

    /** Energy per slot start for one meter; only slots that some pair of readings overlaps appear. */
    public static Map<Instant, Energy> compute(List<Sample> samples) {
        List<Sample> s = new ArrayList<>(samples);
        s.sort(Comparator.comparing(Sample::ts).thenComparingLong(Sample::seq));
        Map<Instant, Energy> out = new TreeMap<>();
        for (int i = 1; i < s.size(); i++) {
            Sample a = s.get(i - 1);
            Sample b = s.get(i);
            double di = delta(a.importWh(), b.importWh());
            double de = delta(a.exportWh(), b.exportWh());
            double dp = delta(a.pvWh(), b.pvWh());
            long t0 = a.ts().toEpochMilli();
            long t1 = b.ts().toEpochMilli();
            if (t1 == t0) {
                out.merge(slotStart(b.ts()), new Energy(di, de, dp), (x, y) -> x.plus(y.importWh(), y.exportWh(), y.pvWh()));
                continue;
            }
            long span = t1 - t0;
            long slot = Math.floorDiv(t0, SLOT_MS) * SLOT_MS;
            for (; slot < t1; slot += SLOT_MS) {
                long from = Math.max(slot, t0);
                long to = Math.min(slot + SLOT_MS, t1);
                if (to <= from) {
                    continue;
                }
                double f = (double) (to - from) / span;
                out.merge(Instant.ofEpochMilli(slot), new Energy(di * f, de * f, dp * f),
                        (x, y) -> x.plus(y.importWh(), y.exportWh(), y.pvWh()));
            }
        }
        return out;
    }

    /** Counter difference; a counter that went backwards was reset to 0 in between. */
    static double delta(double before, double after) {
        return after >= before ? after - before : after;
    }
}
