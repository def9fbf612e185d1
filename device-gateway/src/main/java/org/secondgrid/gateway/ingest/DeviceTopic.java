package org.secondgrid.gateway.ingest;

import java.util.Optional;

/**
 * A device telemetry topic: {@code secondgrid/{market}/{kind}/{deviceId}/{message}}.
 *
 * @param market   market id, e.g. {@code aizu-demo}
 * @param kind     device kind: {@code meters}, {@code chargers}, {@code evs} or {@code weather}
 * @param deviceId the device's id
 * @param message  {@code reading}, {@code status}, {@code state} or {@code forecast}
 */
public record DeviceTopic(String market, String kind, String deviceId, String message) {

    /** Parses a topic; empty if it is not a device telemetry topic. */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] p = topic.split("/", -1);
        if (p.length != 5 || !"secondgrid".equals(p[0])) {
            return Optional.empty();
        }
        for (String part : p) {
            if (part.isEmpty() || part.contains("+") || part.contains("#")) {
                return Optional.empty();
            }
        }
        String expected = switch (p[2]) {
            case "meters" -> "reading";
            case "chargers" -> "status";
            case "evs" -> "state";
            case "weather" -> "forecast";
            default -> null;
        };
        if (!p[4].equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(new DeviceTopic(p[1], p[2], p[3], p[4]));
    }

    public String topic() {
        return "secondgrid/" + market + "/" + kind + "/" + deviceId + "/" + message;
    }
}
