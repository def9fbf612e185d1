package org.secondgrid.gateway.ingest;

/**
 * A registered device.
 *
 * @param deviceId    device id, also its MQTT user name
 * @param market      market it publishes in
 * @param siteId      site it belongs to
 * @param kind        {@code meters}, {@code chargers}, {@code evs} or {@code weather} (a weather forecast provider;
 *                    its site id is not used)
 * @param ratedKw     rated power (meter connection, charger power, EV charge power)
 * @param capacityKwh battery capacity for EVs, else null
 */
public record Device(String deviceId, String market, String siteId, String kind, double ratedKw, Double capacityKwh) {

    public Device {
        if (deviceId == null || deviceId.isBlank() || deviceId.contains("/") || deviceId.contains("+")
                || deviceId.contains("#")) {
            throw new IllegalArgumentException("device id must be a non-empty topic level, got '" + deviceId + "'");
        }
        if (!"meters".equals(kind) && !"chargers".equals(kind) && !"evs".equals(kind) && !"weather".equals(kind)) {
            throw new IllegalArgumentException("device kind must be meters, chargers, evs or weather, got '" + kind + "'");
        }
        if (!(ratedKw >= 0)) {
            throw new IllegalArgumentException("ratedKw must be >= 0, got " + ratedKw);
        }
    }

    /** The one topic this device may publish on in its market. */
    public String telemetryTopic() {
        String message = switch (kind) {
            case "meters" -> "reading";
            case "chargers" -> "status";
            case "weather" -> "forecast";
            default -> "state";
        };
        return "secondgrid/" + market + "/" + kind + "/" + deviceId + "/" + message;
    }
}
