package org.secondgrid.gateway.market;

/**
 * An EV owned by a participant; its id is the EV's device id and the instance's {@code evs[].id}.
 * What changes per day (window, reserve, fees, initial energy) is in {@link EvAvailability}.
 */
public record EvRecord(String id, String market, String ownerId, String homeSiteId, double capacityKwh,
                       double chargeKw, double dischargeKw, double chargeEfficiency, double dischargeEfficiency,
                       double consumptionKwhPerKm) {
}
