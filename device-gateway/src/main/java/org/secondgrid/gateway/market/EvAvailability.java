package org.secondgrid.gateway.market;

/**
 * An EV owner's declaration for one delivery day (only declared EVs are planned).
 *
 * @param availableFrom first slot the EV may drive away (0..slots)
 * @param availableTo   slot by which it is home again (availableFrom..slots)
 * @param minKwh        reserve: the owner's own energy never drops below this
 * @param initialKwh    energy in the battery at the start of the day
 */
public record EvAvailability(int availableFrom, int availableTo, double minKwh, double initialKwh,
                             double feeJpyPerKwh, double feeJpyPerKm) {
}
