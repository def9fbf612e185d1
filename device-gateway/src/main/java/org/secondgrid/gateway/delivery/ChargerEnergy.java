package org.secondgrid.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Energy each EV really took or gave at a charger during a slot, from the charger's status readings:
 * a reading's power (and plugged EV) holds from its timestamp until the charger's next reading, or
 * the slot end; the last reading before the slot start carries into the slot. Power with no EV plugged
 * counts for no EV. A charger with no reading in or before the slot measured nothing.
 */
public final class ChargerEnergy {

    /** One charger status reading. */
    public record Status(String chargerId, String siteId, Instant ts, String ev, double powerKw) {
    }

    /** What an EV measured at a site in a slot (kWh, both ≥ 0). */
    public record EvEnergy(String ev, String siteId, double chargeKwh, double dischargeKwh) {
        EvEnergy plus(double c, double d) {
            return new EvEnergy(ev, siteId, chargeKwh + c, dischargeKwh + d);
        }
    }

    private ChargerEnergy() {
    }

    /**
     * @param statuses readings of the chargers, including the last one before {@code from} of each charger
     * @return per (EV, site) the measured energy in {@code [from, to)}
     */
    public static List<EvEnergy> measure(List<Status> statuses, Instant from, Instant to) {
        Map<String, List<Status>> byCharger = statuses.stream()
                .collect(Collectors.groupingBy(Status::chargerId, TreeMap::new, Collectors.toList()));
        Map<String, EvEnergy> out = new TreeMap<>();
        for (List<Status> list : byCharger.values()) {
            list.sort(Comparator.comparing(Status::ts));
            for (int i = 0; i < list.size(); i++) {
                Status s = list.get(i);
                Instant start = s.ts().isBefore(from) ? from : s.ts();
                Instant end = i + 1 < list.size() ? list.get(i + 1).ts() : to;
                if (end.isAfter(to)) {
                    end = to;
                }
                if (!end.isAfter(start) || s.ev() == null) {
                    continue;
                }
                double hours = Duration.between(start, end).toMillis() / 3_600_000.0;
                double kwh = s.powerKw() * hours;
                String key = s.ev() + "\u0000" + s.siteId();
                out.merge(key, new EvEnergy(s.ev(), s.siteId(), Math.max(kwh, 0), Math.max(-kwh, 0)),
                        (a, b) -> a.plus(b.chargeKwh(), b.dischargeKwh()));
            }
        }
        return new ArrayList<>(out.values());
    }
}
