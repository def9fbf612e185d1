package org.secondgrid.simulator.device;

/**
 * A simulated device as the gateway registers it.
 *
 * @param kind        {@code meters}, {@code chargers}, {@code evs} or {@code weather}
 * @param siteId      the site it belongs to (an EV: its home; the weather provider: the market)
 * @param ratedKw     rated power (the gateway checks charger power against it)
 * @param capacityKwh EV battery capacity, else null
 */
public record SimDevice(String id, String market, String kind, String siteId, double ratedKw, Double capacityKwh) {

    public String telemetryTopic() {
        String leaf = switch (kind) {
            case "meters" -> "reading";
            case "chargers" -> "status";
            case "evs" -> "state";
            case "weather" -> "forecast";
            default -> throw new IllegalStateException("unknown device kind " + kind);
        };
        return "secondgrid/" + market + "/" + kind + "/" + id + "/" + leaf;
    }

    public String setpointTopic() {
        return "secondgrid/" + market + "/chargers/" + id + "/setpoint";
    }
}
