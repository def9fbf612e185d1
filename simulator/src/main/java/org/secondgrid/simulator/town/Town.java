package org.secondgrid.simulator.town;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A town: its market, feeders, sites (each with one smart meter and its chargers) and EVs. Immutable; read from
 * and written to JSON by {@link TownJson}; generated from a {@link TownSpec} by {@link TownGenerator}.
 *
 * @param market     market id, e.g. {@code aizu-demo}
 * @param timeZone   the market's time zone (slots start at local midnight)
 * @param lat        town centre latitude (sun position)
 * @param lon        town centre longitude
 * @param seed       seed of the weather, loads and people (the same seed gives the same days)
 * @param slotMinutes market slot length (30)
 */
public record Town(String market, String timeZone, double lat, double lon, long seed, int slotMinutes,
                   List<TownFeeder> feeders, List<TownSite> sites, List<TownEv> evs) {

    public Town {
        require(market != null && !market.isBlank() && !market.contains("/"), "market", market);
        require(timeZone != null, "timeZone", timeZone);
        ZoneId.of(timeZone);
        require(lat >= -90 && lat <= 90, "lat", lat);
        require(lon >= -180 && lon <= 180, "lon", lon);
        require(slotMinutes > 0 && 24 * 60 % slotMinutes == 0, "slotMinutes", slotMinutes);
        feeders = List.copyOf(feeders);
        sites = List.copyOf(sites);
        evs = List.copyOf(evs);
        Map<String, TownFeeder> f = feeders.stream().collect(Collectors.toMap(TownFeeder::id, Function.identity()));
        Map<String, TownSite> s = sites.stream().collect(Collectors.toMap(TownSite::id, Function.identity()));
        for (TownSite site : sites) {
            require(f.containsKey(site.feeder()), "sites[" + site.id() + "].feeder", site.feeder());
        }
        for (TownEv ev : evs) {
            require(s.containsKey(ev.home()), "evs[" + ev.id() + "].home", ev.home());
        }
        long ids = java.util.stream.Stream.of(sites.stream().map(TownSite::id), evs.stream().map(TownEv::id),
                        sites.stream().map(TownSite::meterId), sites.stream().flatMap(x -> x.chargerIds().stream()))
                .flatMap(Function.identity()).distinct().count();
        long all = sites.size() * 2L + evs.size() + sites.stream().mapToLong(x -> x.chargerIds().size()).sum();
        require(ids == all, "ids", "not unique across sites, meters, chargers and EVs");
    }

    static void require(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("town field " + field + " has a bad value: " + value);
        }
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public int slotsPerDay() {
        return 24 * 60 / slotMinutes;
    }

    public TownSite site(String id) {
        for (TownSite s : sites) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no site '" + id + "' in town " + market);
    }

    /** A summary line: counts by kind, PV, EVs. */
    public String summary() {
        Map<TownSite.Kind, Long> byKind = sites.stream().collect(Collectors.groupingBy(TownSite::kind, Collectors.counting()));
        long pv = sites.stream().filter(x -> x.kind() == TownSite.Kind.HOUSE && x.pvKwp() > 0).count();
        double kwp = sites.stream().mapToDouble(TownSite::pvKwp).sum();
        return String.format("%s: %d houses (%d with PV), %d factories, %d shops, %d EVs, %d feeders, %.0f kWp PV",
                market, byKind.getOrDefault(TownSite.Kind.HOUSE, 0L), pv, byKind.getOrDefault(TownSite.Kind.FACTORY, 0L),
                byKind.getOrDefault(TownSite.Kind.SHOP, 0L), evs.size(), feeders.size(), kwp);
    }
}
