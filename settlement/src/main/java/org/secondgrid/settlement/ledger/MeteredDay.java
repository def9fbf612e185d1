package org.secondgrid.settlement.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What meters and chargers measured per party and slot on the trade paths, kWh: for a source (a seller site's
 * export meter for grid trades, an EV's V2X charger for EV trades) the energy it delivered; for a buyer site the
 * energy its meter took in from the market. JSON: {@code {"market","deliveryDay","readings":[{"party","slot","kwh"}]}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeteredDay(String market, LocalDate deliveryDay, List<Reading> readings) {

    public MeteredDay {
        readings = readings == null ? List.of() : List.copyOf(readings);
    }

    public record Reading(String party, int slot, double kwh) {
        public Reading {
            if (party == null || party.isBlank()) {
                throw new IllegalArgumentException("reading party must not be blank, was '" + party + "'");
            }
            if (kwh < 0 || Double.isNaN(kwh)) {
                throw new IllegalArgumentException("reading kwh must be >= 0, was " + kwh + " for " + party + " slot " + slot);
            }
        }
    }

    /** Wh per "party@slot". */
    public Map<String, Long> whByPartySlot() {
        Map<String, Long> m = new HashMap<>();
        for (Reading r : readings) {
            m.merge(key(r.party(), r.slot()), Math.round(r.kwh() * 1000.0), Long::sum);
        }
        return m;
    }

    static String key(String party, int slot) {
        return party + "@" + slot;
    }

    public static MeteredDay read(Path file) {
        try {
            return SolutionFile.json().readValue(file.toFile(), MeteredDay.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read metered day " + file + ": " + e.getMessage(), e);
        }
    }
}
