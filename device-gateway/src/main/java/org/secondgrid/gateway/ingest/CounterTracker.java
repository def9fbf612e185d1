package org.secondgrid.gateway.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each meter's latest counters (by seq) to detect a counter going backwards, i.e. a
 * meter reset. Out-of-order readings (lower seq than the latest) are not compared. Slot energy does
 * not depend on this flag: {@link org.secondgrid.gateway.store.SlotEnergy} re-detects resets from the data.
 */
public final class CounterTracker {

    /** The latest counters of one meter. */
    public record Last(long seq, double importWh, double exportWh, double pvWh) {
    }

    private final Map<String, Last> last = new ConcurrentHashMap<>();

    /** Seeds the tracker (e.g. from the database at start). */
    public void seed(String deviceId, Last l) {
        last.merge(deviceId, l, (a, b) -> a.seq() >= b.seq() ? a : b);
    }

    /** Returns the reading, flagged if its counters went backwards; remembers it if it is the newest. */
    public Reading track(Reading r) {
        if (!r.isMeter()) {
            return r;
        }
        double pv = r.pvWh() == null ? 0 : r.pvWh();
        Last now = new Last(r.seq(), r.importWh(), r.exportWh(), pv);
        Last prev = last.get(r.deviceId());
        if (prev == null || r.seq() > prev.seq()) {
            last.put(r.deviceId(), now);
        }
        if (prev != null && r.seq() > prev.seq()
                && (r.importWh() < prev.importWh() || r.exportWh() < prev.exportWh() || pv < prev.pvWh())) {
            return r.withCounterReset(true);
        }
        return r;
    }
}
