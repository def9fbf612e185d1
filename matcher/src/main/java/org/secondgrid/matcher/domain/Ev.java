package org.secondgrid.matcher.domain;

/**
 * An EV declared available for the delivery day.
 *
 * @param minKwh        the owner's own energy never drops below this
 * @param availableFrom first slot it may drive away
 * @param availableTo   slot by which it is home again
 */
public record Ev(String id, String home, double capacityKwh, double initialKwh, double minKwh,
                 double chargeKw, double dischargeKw, double chargeEfficiency, double dischargeEfficiency,
                 double consumptionKwhPerKm, int availableFrom, int availableTo,
                 double feeJpyPerKwh, double feeJpyPerKm) {
}
