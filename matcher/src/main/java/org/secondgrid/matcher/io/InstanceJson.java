package org.secondgrid.matcher.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.matcher.domain.Bid;
import org.secondgrid.matcher.domain.Ev;
import org.secondgrid.matcher.domain.Feeder;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InstanceValidator;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Offer;
import org.secondgrid.matcher.domain.Site;

/** Reads and writes instance files; reading validates every rule of the contract. */
public final class InstanceJson {

    private InstanceJson() {
    }

    public static Instance read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses and validates; throws {@link InvalidInstanceException} naming every bad field and value. */
    public static Instance parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInstanceException(List.of("not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInstanceException(List.of("instance must be a JSON object"));
        }
        JsonFields f = new JsonFields();
        int modelVersion = f.integer(root, "", "modelVersion", null);
        String market = f.text(root, "", "market", null);
        String dayText = f.text(root, "", "deliveryDay", null);
        LocalDate day = null;
        try {
            day = dayText == null || dayText.isEmpty() ? null : LocalDate.parse(dayText);
        } catch (DateTimeParseException e) {
            f.problems.add("deliveryDay='" + dayText + "' is not a date (YYYY-MM-DD)");
        }
        String zone = f.text(root, "", "timeZone", "Asia/Tokyo");
        try {
            ZoneId.of(zone);
        } catch (RuntimeException e) {
            f.problems.add("timeZone='" + zone + "' is not a time zone");
        }
        int slots = f.integer(root, "", "slots", 48);
        int slotMinutes = f.integer(root, "", "slotMinutes", 30);
        double gridFee = f.number(root, "", "gridFeeJpyPerKwh", null);
        double speed = f.number(root, "", "speedKmh", null);
        List<Feeder> feeders = f.list(root, "feeders", true, (n, p) -> new Feeder(
                f.text(n, p, "id", null), f.number(n, p, "reverseCapacityKw", null)));
        List<Site> sites = f.list(root, "sites", true, (n, p) -> new Site(
                f.text(n, p, "id", null), f.text(n, p, "feeder", null),
                f.number(n, p, "lat", null), f.number(n, p, "lon", null),
                f.number(n, p, "exportLimitKw", null), f.integer(n, p, "ports", 0),
                f.number(n, p, "chargerKw", 0.0), f.number(n, p, "v2xKw", 0.0)));
        List<Offer> offers = f.list(root, "offers", false, (n, p) -> new Offer(
                f.text(n, p, "site", null), f.integer(n, p, "slot", null),
                f.number(n, p, "kwh", null), f.number(n, p, "askJpyPerKwh", null)));
        List<Bid> bids = f.list(root, "bids", false, (n, p) -> new Bid(
                f.text(n, p, "site", null), f.integer(n, p, "slot", null),
                f.number(n, p, "kwh", null), f.number(n, p, "bidJpyPerKwh", null)));
        List<Ev> evs = f.list(root, "evs", false, (n, p) -> new Ev(
                f.text(n, p, "id", null), f.text(n, p, "home", null),
                f.number(n, p, "capacityKwh", null), f.number(n, p, "initialKwh", null),
                f.number(n, p, "minKwh", null),
                f.number(n, p, "chargeKw", null), f.number(n, p, "dischargeKw", null),
                f.number(n, p, "chargeEfficiency", null), f.number(n, p, "dischargeEfficiency", null),
                f.number(n, p, "consumptionKwhPerKm", null),
                f.integer(n, p, "availableFrom", null), f.integer(n, p, "availableTo", null),
                f.number(n, p, "feeJpyPerKwh", 0.0), f.number(n, p, "feeJpyPerKm", 0.0)));
        Map<String, Map<String, Double>> distances = distances(root.get("distancesKm"), f);
        if (!f.problems.isEmpty()) {
            throw new InvalidInstanceException(f.problems);
        }
        Instance in = new Instance(modelVersion, market, day, zone, slots, slotMinutes, gridFee, speed,
                feeders, sites, offers, bids, evs, distances);
        InstanceValidator.validate(in);
        return in;
    }

    private static Map<String, Map<String, Double>> distances(JsonNode n, JsonFields f) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            f.problems.add("distancesKm=" + JsonFields.abbreviate(n) + " is not an object");
            return null;
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        n.properties().forEach(e -> {
            Map<String, Double> row = new LinkedHashMap<>();
            if (!e.getValue().isObject()) {
                f.problems.add("distancesKm['" + e.getKey() + "'] is not an object");
                return;
            }
            e.getValue().properties().forEach(c -> {
                if (!c.getValue().isNumber()) {
                    f.problems.add("distancesKm['" + e.getKey() + "']['" + c.getKey() + "']=" + c.getValue()
                            + " is not a number");
                } else {
                    row.put(c.getKey(), c.getValue().asDouble());
                }
            });
            out.put(e.getKey(), row);
        });
        return out;
    }

    public static String write(Instance instance) {
        try {
            return Json.MAPPER.writeValueAsString(instance);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("instance could not be written as JSON", e);
        }
    }
}
