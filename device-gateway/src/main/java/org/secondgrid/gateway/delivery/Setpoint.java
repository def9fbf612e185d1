package org.secondgrid.gateway.delivery;

/**
 * What one charger should do during one slot: {@code powerKw} + charge / − discharge / 0 idle, for
 * {@code ev} (null when none).
 */
public record Setpoint(String chargerId, String siteId, int slot, String ev, double powerKw) {

    /** MQTT topic of the charger's setpoints. */
    public static String topic(String market, String chargerId) {
        return "secondgrid/" + market + "/chargers/" + chargerId + "/setpoint";
    }
}
