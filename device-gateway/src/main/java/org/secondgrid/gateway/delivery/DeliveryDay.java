package org.secondgrid.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.secondgrid.matcher.domain.Instance;

/**
 * The slots of one market's delivery day: slot {@code t} covers {@code [t·slotMinutes, (t+1)·slotMinutes)}
 * from local midnight in the market's time zone.
 */
public record DeliveryDay(String market, LocalDate day, ZoneId zone, int slots, int slotMinutes) {

    public static DeliveryDay of(Instance in) {
        return new DeliveryDay(in.market(), in.deliveryDay(), ZoneId.of(in.timeZone()), in.slots(), in.slotMinutes());
    }

    public Instant start() {
        return day.atStartOfDay(zone).toInstant();
    }

    public Instant slotStart(int slot) {
        return start().plus(Duration.ofMinutes((long) slot * slotMinutes));
    }

    public Instant slotEnd(int slot) {
        return slotStart(slot + 1);
    }

    /** The slot containing {@code t}: -1 before the day, {@code slots} after it. */
    public int slotAt(Instant t) {
        long minutes = Duration.between(start(), t).toSeconds();
        if (minutes < 0) {
            return -1;
        }
        long slot = minutes / (slotMinutes * 60L);
        return (int) Math.min(slot, slots);
    }

    /** Slot length in hours (Δ). */
    public double slotHours() {
        return slotMinutes / 60.0;
    }
}
