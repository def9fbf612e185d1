package org.secondgrid.simulator.town;

/**
 * An EV and its owner's habits.
 *
 * @param owner                participant id of its owner (ev-owner)
 * @param home                 home site id (charges there at night)
 * @param homeTargetKwh        the owner charges at home at night up to this
 * @param minKwh               the owner's reserve: the car never discharges below it for the market
 * @param availableFrom        usual first slot it may leave for a job
 * @param availableTo          usual slot by which it is back home
 */
public record TownEv(String id, String owner, String home, double capacityKwh, double chargeKw, double dischargeKw,
                     double chargeEfficiency, double dischargeEfficiency, double consumptionKwhPerKm,
                     double homeTargetKwh, double minKwh, int availableFrom, int availableTo,
                     double feeJpyPerKwh, double feeJpyPerKm) {

    public TownEv {
        Town.require(id != null && !id.isBlank() && !id.contains("/"), "evs[].id", id);
        String f = "evs[" + id + "].";
        Town.require(owner != null && !owner.isBlank(), f + "owner", owner);
        Town.require(capacityKwh > 0, f + "capacityKwh", capacityKwh);
        Town.require(chargeKw > 0 && dischargeKw >= 0, f + "chargeKw/dischargeKw", chargeKw + "/" + dischargeKw);
        Town.require(chargeEfficiency > 0 && chargeEfficiency <= 1, f + "chargeEfficiency", chargeEfficiency);
        Town.require(dischargeEfficiency > 0 && dischargeEfficiency <= 1, f + "dischargeEfficiency", dischargeEfficiency);
        Town.require(consumptionKwhPerKm >= 0, f + "consumptionKwhPerKm", consumptionKwhPerKm);
        Town.require(minKwh >= 0 && minKwh <= homeTargetKwh && homeTargetKwh <= capacityKwh, f + "minKwh/homeTargetKwh",
                minKwh + "/" + homeTargetKwh);
        Town.require(availableFrom >= 0 && availableFrom <= availableTo, f + "availableFrom/To",
                availableFrom + "/" + availableTo);
    }
}
