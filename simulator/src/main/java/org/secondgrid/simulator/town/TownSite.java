package org.secondgrid.simulator.town;

import java.util.ArrayList;
import java.util.List;

/**
 * A site (one grid connection with one smart meter): a house, factory or shop.
 *
 * @param owner         participant id of its owner (prosumer)
 * @param exportLimitKw backflow limit of the connection (0 = no backflow): a real inverter curtails PV above it
 * @param pvKwp         rooftop PV peak power (0 = none)
 * @param tiltDeg       panel tilt from horizontal
 * @param azimuthDeg    panel azimuth (0 = south, + west)
 * @param annualKwh     yearly consumption the load profile is scaled to
 * @param loadProfile   BDEW profile: H0 household, G0 commercial, G1 commercial weekdays 08–18
 * @param ports         chargers at the site (each its own device), 0 = none
 * @param chargerKw     charging power per charger
 * @param v2xKw         discharge power per charger into the site (0 = none)
 * @param policy        order policy: {@code auto} or {@code manual}
 */
public record TownSite(String id, Kind kind, String owner, String feeder, double lat, double lon,
                       double exportLimitKw, double pvKwp, double tiltDeg, double azimuthDeg, double annualKwh,
                       String loadProfile, int ports, double chargerKw, double v2xKw, String policy,
                       double minAskJpyPerKwh, double maxBidJpyPerKwh) {

    /** Kinds of site; the id prefix is the lower-case name. */
    public enum Kind { HOUSE, FACTORY, SHOP }

    public TownSite {
        Town.require(id != null && !id.isBlank() && !id.contains("/"), "sites[].id", id);
        String f = "sites[" + id + "].";
        Town.require(kind != null, f + "kind", kind);
        Town.require(owner != null && !owner.isBlank(), f + "owner", owner);
        Town.require(exportLimitKw >= 0, f + "exportLimitKw", exportLimitKw);
        Town.require(pvKwp >= 0, f + "pvKwp", pvKwp);
        Town.require(annualKwh >= 0, f + "annualKwh", annualKwh);
        Town.require(List.of("H0", "G0", "G1").contains(loadProfile), f + "loadProfile", loadProfile);
        Town.require(ports >= 0, f + "ports", ports);
        Town.require(chargerKw >= 0 && v2xKw >= 0, f + "chargerKw/v2xKw", chargerKw + "/" + v2xKw);
        Town.require("auto".equals(policy) || "manual".equals(policy), f + "policy", policy);
    }

    /** The site's smart meter device id. */
    public String meterId() {
        return "m-" + id;
    }

    /** Its chargers' device ids, in id order (delivery assigns the first free one). */
    public List<String> chargerIds() {
        List<String> out = new ArrayList<>(ports);
        for (int k = 1; k <= ports; k++) {
            out.add("c-" + id + "-" + k);
        }
        return out;
    }
}
