package org.secondgrid.settlement.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.secondgrid.settlement.ledger.Database;
import org.secondgrid.settlement.ledger.MeteredDay;
import org.secondgrid.settlement.ledger.SolutionFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a delivery day from the gateway's market database (read only): the final schedule from {@code market_schedule}
 * (stage {@code final}, highest version: the spec's instance and solution JSON) and what meters and chargers measured,
 * from {@code metered_slot} (per site and 30-minute slot) and the chargers' {@code reading} rows (device kind
 * {@code chargers}: ev_id, power_kw, session_wh). The result is the same {@link SolutionFile} and {@link MeteredDay}
 * the JSON-file path reads, so one allocation rule serves both (settlement/README.md, "Metered input from the gateway").
 *
 * <ul>
 *   <li>grid seller site, slot t: its export meter, {@code metered_slot.export_wh};</li>
 *   <li>EV (source of EV trades), slot t: the energy its chargers discharged in t (session_wh increments while the
 *       charger reported negative power, split over slots by time);</li>
 *   <li>buyer site, slot t: {@code min(scheduled, import_wh + EV energy discharged at the site's chargers)}: what the
 *       site took in, up to its trades (consumption beyond its bids is its ordinary retail supply, outside the market).</li>
 * </ul>
 */
public final class GatewayMarketDb {

    private static final Logger log = LoggerFactory.getLogger(GatewayMarketDb.class);
    /** Resolution of the gateway's metered_slot table. */
    public static final int METERED_SLOT_MINUTES = 30;

    private final DataSource dataSource;

    public GatewayMarketDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The gateway's PostgreSQL by URL ({@code postgresql://user:password@host:port/db}); {@code what} names the option. */
    public static GatewayMarketDb connect(String url, String what) {
        return new GatewayMarketDb(Database.dataSource(url, what));
    }

    /** The part of the instance JSON that fixes the day's time axis. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstanceHeader(String market, LocalDate deliveryDay, String timeZone, Integer slots, Integer slotMinutes) {
        public ZoneId zone() {
            try {
                return ZoneId.of(timeZone == null || timeZone.isBlank() ? "Asia/Tokyo" : timeZone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("instance timeZone is not a time zone: '" + timeZone + "'");
            }
        }

        public int slotCount() {
            return slots == null ? 48 : slots;
        }

        public int minutes() {
            return slotMinutes == null ? 30 : slotMinutes;
        }
    }

    /** A day's final schedule: the solution (trades, payments) and the instance's time axis. */
    public record FinalSchedule(String market, LocalDate day, int version, String source, InstanceHeader instance,
                                SolutionFile solution) {
        /** Start of slot {@code slot} of the delivery day in the market's time zone. */
        public Instant slotStart(int slot) {
            return day.atStartOfDay(instance.zone()).toInstant().plus(Duration.ofMinutes((long) slot * instance.minutes()));
        }
    }

    /** The final schedule of {@code market} on {@code day}; a clear error if the market has none (yet). */
    public FinalSchedule finalSchedule(String market, LocalDate day) {
        String sql = "select version, source, instance_json::text, solution_json::text from market_schedule "
                + "where market = ? and delivery_day = ? and stage = 'final' order by version desc limit 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, market);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no final schedule for market '" + market + "' on " + day
                            + " in market_schedule (stage 'final')");
                }
                int version = rs.getInt(1);
                String source = rs.getString(2);
                InstanceHeader header = SolutionFile.json().readValue(rs.getString(3), InstanceHeader.class);
                SolutionFile solution = SolutionFile.json().readValue(rs.getString(4), SolutionFile.class);
                if (!solution.market().equals(market) || !solution.deliveryDay().equals(day)) {
                    throw new IllegalArgumentException("market_schedule version " + version + " of " + market + " " + day
                            + " holds a solution of " + solution.market() + " " + solution.deliveryDay());
                }
                if (header.minutes() <= 0 || header.minutes() % METERED_SLOT_MINUTES != 0) {
                    throw new IllegalArgumentException("instance slotMinutes must be a multiple of " + METERED_SLOT_MINUTES
                            + " (the gateway meters 30-minute slots), was " + header.minutes());
                }
                return new FinalSchedule(market, day, version, source, header, solution);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read market_schedule of " + market + " " + day + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("market_schedule of " + market + " " + day + " holds JSON that does not parse: "
                    + e.getMessage(), e);
        }
    }

    /** What meters and chargers measured on the schedule's trade paths, as settlement's {@link MeteredDay}. */
    public MeteredDay metered(FinalSchedule schedule) {
        SolutionFile s = schedule.solution();
        Map<String, Long> scheduledIntake = new HashMap<>(); // buyer@slot -> Wh
        Set<String> gridSellers = new TreeSet<>();
        Set<String> evs = new TreeSet<>();
        Set<String> buyers = new TreeSet<>();
        for (SolutionFile.Trade t : s.trades()) {
            scheduledIntake.merge(t.buyer() + "@" + t.slot(), Math.round(t.kwhDelivered() * 1000.0), Long::sum);
            buyers.add(t.buyer());
            if (t.viaGrid()) {
                gridSellers.add(t.seller());
            } else {
                evs.add(t.channel());
            }
        }
        Set<String> sites = new TreeSet<>(gridSellers);
        sites.addAll(buyers);
        Instant from = schedule.slotStart(0);
        Instant to = schedule.slotStart(schedule.instance().slotCount());
        Map<String, double[]> meters = meteredSlots(sites, schedule, from, to); // site -> [import, export] per slot, flattened
        Discharges discharged = discharges(schedule, from, to);

        List<MeteredDay.Reading> readings = new ArrayList<>();
        TreeMap<String, Double> sourceWh = new TreeMap<>();
        for (SolutionFile.Trade t : s.trades()) {
            String key = t.source() + "@" + t.slot();
            if (sourceWh.containsKey(key)) {
                continue;
            }
            double wh = t.viaGrid() ? slotValue(meters, t.seller(), t.slot(), 1)
                    : discharged.byEv().getOrDefault(t.channel(), new double[schedule.instance().slotCount()])[t.slot()];
            sourceWh.put(key, wh);
        }
        Set<String> both = new TreeSet<>();
        for (var e : new TreeMap<>(scheduledIntake).entrySet()) {
            int at = e.getKey().lastIndexOf('@');
            String site = e.getKey().substring(0, at);
            int slot = Integer.parseInt(e.getKey().substring(at + 1));
            double took = slotValue(meters, site, slot, 0)
                    + discharged.bySite().getOrDefault(site, new double[schedule.instance().slotCount()])[slot];
            double wh = Math.min(e.getValue(), took);
            if (sourceWh.containsKey(e.getKey())) {
                both.add(e.getKey()); // a site selling and buying in one slot: one reading per party and slot
                continue;
            }
            readings.add(new MeteredDay.Reading(site, slot, wh / 1000.0));
        }
        sourceWh.forEach((key, wh) -> {
            int at = key.lastIndexOf('@');
            readings.add(new MeteredDay.Reading(key.substring(0, at), Integer.parseInt(key.substring(at + 1)), wh / 1000.0));
        });
        if (!both.isEmpty()) {
            log.warn("{} {}: {} site-slots both sell and buy; their export reading is used for both roles: {}", schedule.market(),
                    schedule.day(), both.size(), both.size() > 5 ? List.copyOf(both).subList(0, 5) + " ..." : both);
        }
        log.info("{} {}: {} readings from {} metered sites and {} EVs' chargers (schedule version {})", schedule.market(),
                schedule.day(), readings.size(), meters.size(), discharged.byEv().size(), schedule.version());
        return new MeteredDay(schedule.market(), schedule.day(), readings);
    }

    private static double slotValue(Map<String, double[]> meters, String site, int slot, int column) {
        double[] v = meters.get(site);
        return v == null ? 0 : v[slot * 2 + column];
    }

    /** site -> [import_wh, export_wh] of each market slot (index slot*2 + column), summed over the meter's 30-minute slots. */
    private Map<String, double[]> meteredSlots(Set<String> sites, FinalSchedule schedule, Instant from, Instant to) {
        Map<String, double[]> out = new HashMap<>();
        if (sites.isEmpty()) {
            return out;
        }
        int n = schedule.instance().slotCount();
        long minutes = schedule.instance().minutes();
        String sql = "select site_id, slot_start, import_wh, export_wh from metered_slot "
                + "where site_id = any(?) and slot_start >= ? and slot_start < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", sites.toArray()));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant start = rs.getTimestamp(2).toInstant();
                    int slot = (int) (Duration.between(from, start).toMinutes() / minutes);
                    if (slot < 0 || slot >= n) {
                        continue;
                    }
                    double[] v = out.computeIfAbsent(rs.getString(1), k -> new double[n * 2]);
                    v[slot * 2] += rs.getDouble(3);
                    v[slot * 2 + 1] += rs.getDouble(4);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read metered_slot: " + e.getMessage(), e);
        }
        return out;
    }

    /** Wh discharged per EV and slot, and per site (of the charger) and slot. */
    record Discharges(Map<String, double[]> byEv, Map<String, double[]> bySite) {
    }

    /**
     * Charger readings of the market's chargers around the day: a reading continuing the previous one's session (same
     * EV, session_wh not lower) moved {@code session_wh - previous} Wh over the time between them, in the direction of
     * the power reported at the interval's start (the end's if that was 0); a reading that starts a session moved its
     * session_wh at its own time. Discharged energy is split over the slots the interval overlaps, by time.
     */
    private Discharges discharges(FinalSchedule schedule, Instant from, Instant to) {
        int n = schedule.instance().slotCount();
        Map<String, double[]> byEv = new HashMap<>();
        Map<String, double[]> bySite = new HashMap<>();
        String sql = "select d.device_id, d.site_id, r.ts, r.ev_id, r.power_kw, r.session_wh from reading r "
                + "join device d on d.device_id = r.device_id where d.kind = 'chargers' and d.market = ? "
                + "and r.ts > ? and r.ts <= ? order by r.device_id, r.ts, r.seq";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            // a day of a town's charger statuses can be millions of rows: stream them (cursor) instead of loading all
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            ps.setFetchSize(10_000);
            ps.setString(1, schedule.market());
            ps.setTimestamp(2, Timestamp.from(from.minus(Duration.ofHours(6))));
            ps.setTimestamp(3, Timestamp.from(to.plus(Duration.ofHours(6))));
            String prevDevice = null;
            String prevEv = null;
            double prevSession = 0;
            double prevPower = 0;
            Instant prevTs = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String device = rs.getString(1);
                    String site = rs.getString(2);
                    Instant ts = rs.getTimestamp(3).toInstant();
                    String ev = rs.getString(4);
                    double power = rs.getDouble(5);
                    Object sessionValue = rs.getObject(6);
                    double session = sessionValue == null ? prevSession : ((Number) sessionValue).doubleValue();
                    boolean sameSession = device.equals(prevDevice) && ev != null && ev.equals(prevEv) && session >= prevSession;
                    if (ev != null && sessionValue != null) {
                        double moved = sameSession ? session - prevSession : session;
                        double direction = sameSession && prevPower != 0 ? prevPower : power;
                        if (moved > 0 && direction < 0) {
                            Instant start = sameSession ? prevTs : ts;
                            spread(moved, start, ts, from, schedule.instance().minutes(), n,
                                    byEv.computeIfAbsent(ev, k -> new double[n]), bySite.computeIfAbsent(site, k -> new double[n]));
                        }
                    }
                    prevDevice = device;
                    prevEv = ev;
                    prevSession = session;
                    prevPower = power;
                    prevTs = ts;
                }
            }
            c.commit();
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read charger readings: " + e.getMessage(), e);
        }
        return new Discharges(byEv, bySite);
    }

    /** Adds {@code wh} moved during (start, end] to the slots it overlaps, in proportion to time (all at end if start == end). */
    static void spread(double wh, Instant start, Instant end, Instant dayStart, long slotMinutes, int slots, double[] a, double[] b) {
        long slotMs = slotMinutes * 60_000;
        long s = Duration.between(dayStart, start).toMillis();
        long e = Duration.between(dayStart, end).toMillis();
        if (e <= s) {
            long slot = Math.floorDiv(Math.max(e - 1, 0), slotMs);
            if (e > 0 && slot < slots) {
                a[(int) slot] += wh;
                b[(int) slot] += wh;
            }
            return;
        }
        for (long slot = Math.max(0, Math.floorDiv(s, slotMs)); slot < slots && slot * slotMs < e; slot++) {
            long lo = Math.max(s, slot * slotMs);
            long hi = Math.min(e, (slot + 1) * slotMs);
            if (hi > lo) {
                double part = wh * (hi - lo) / (e - s);
                a[(int) slot] += part;
                b[(int) slot] += part;
            }
        }
    }
}
