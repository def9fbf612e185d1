package org.secondgrid.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Recomputes {@code metered_slot} for the slots that new meter readings touched. The touched slots
 * are taken from {@code slot_dirty} (written in the readings' own transaction) and deleted in the same
 * transaction as the recomputed slots are written, so nothing is missed across restarts; a per-site
 * advisory lock keeps two gateway instances from overwriting each other with stale sums. The writer
 * only appends to {@code slot_dirty} (no unique key), so its commits never wait for a refresh.
 */
public final class SlotRefresher {

    private final DataSource ds;

    public SlotRefresher(DataSource ds) {
        this.ds = ds;
    }

    /** Processes up to {@code limit} dirty (site, slot) rows; returns how many it took. */
    public int refreshOnce(int limit) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Instant[]> ranges = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        DELETE FROM slot_dirty WHERE ctid IN
                          (SELECT ctid FROM slot_dirty ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING site_id, slot_start""")) {
                    ps.setInt(1, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Instant slot = rs.getTimestamp(2).toInstant();
                            ranges.merge(rs.getString(1), new Instant[]{slot, slot.plus(SlotEnergy.SLOT)},
                                    (a, b) -> new Instant[]{min(a[0], b[0]), max(a[1], b[1])});
                        }
                    }
                }
                List<String> sites = new ArrayList<>(ranges.keySet());
                sites.sort(null);
                for (String site : sites) {
                    Instant[] r = ranges.get(site);
                    recompute(c, site, r[0], r[1]);
                }
                c.commit();
                return ranges.values().size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Refreshes until no dirty slot is left. */
    public void refreshAll() throws SQLException {
        while (refreshOnce(2000) > 0) {
            // keep going
        }
    }

    private void recompute(Connection c, String site, Instant lo, Instant hi) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "metered_slot:" + site);
            ps.execute();
        }
        List<String> meters = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT device_id FROM device WHERE site_id = ? AND kind = 'meters' ORDER BY device_id")) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    meters.add(rs.getString(1));
                }
            }
        }
        // Widen [lo, hi) to every slot a pair of readings around the touched slots can reach.
        Instant from = lo;
        Instant to = hi;
        for (String m : meters) {
            Instant pred = single(c, "SELECT max(ts) FROM reading WHERE device_id = ? AND ts < ?", m, lo);
            Instant succ = single(c, "SELECT min(ts) FROM reading WHERE device_id = ? AND ts >= ?", m, hi);
            if (pred != null) {
                from = min(from, SlotEnergy.slotStart(pred));
            }
            if (succ != null) {
                to = max(to, SlotEnergy.slotStart(succ).plus(SlotEnergy.SLOT));
            }
        }
        Map<Instant, SlotEnergy.Energy> site_ = new TreeMap<>();
        for (String m : meters) {
            List<SlotEnergy.Sample> samples = samples(c, m, from, to);
            for (var e : SlotEnergy.compute(samples).entrySet()) {
                if (!e.getKey().isBefore(from) && e.getKey().isBefore(to)) {
                    site_.merge(e.getKey(), e.getValue(), (x, y) -> x.plus(y.importWh(), y.exportWh(), y.pvWh()));
                }
            }
        }
        if (site_.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO metered_slot (site_id, slot_start, import_wh, export_wh, pv_wh, computed_at)
                VALUES (?, ?, ?, ?, ?, now())
                ON CONFLICT (site_id, slot_start) DO UPDATE SET import_wh = EXCLUDED.import_wh,
                  export_wh = EXCLUDED.export_wh, pv_wh = EXCLUDED.pv_wh, computed_at = now()""")) {
            for (var e : site_.entrySet()) {
                ps.setString(1, site);
                ps.setTimestamp(2, Timestamp.from(e.getKey()));
                ps.setDouble(3, e.getValue().importWh());
                ps.setDouble(4, e.getValue().exportWh());
                ps.setDouble(5, e.getValue().pvWh());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<SlotEnergy.Sample> samples(Connection c, String meter, Instant from, Instant to)
            throws SQLException {
        String cols = "ts, seq, coalesce(import_wh, 0), coalesce(export_wh, 0), coalesce(pv_wh, 0)";
        String sql = "(SELECT " + cols + " FROM reading WHERE device_id = ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT 1)"
                + " UNION ALL (SELECT " + cols + " FROM reading WHERE device_id = ? AND ts >= ? AND ts < ?)"
                + " UNION ALL (SELECT " + cols + " FROM reading WHERE device_id = ? AND ts >= ? ORDER BY ts, seq LIMIT 1)";
        List<SlotEnergy.Sample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, meter);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setString(3, meter);
            ps.setTimestamp(4, Timestamp.from(from));
            ps.setTimestamp(5, Timestamp.from(to));
            ps.setString(6, meter);
            ps.setTimestamp(7, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SlotEnergy.Sample(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getDouble(3),
                            rs.getDouble(4), rs.getDouble(5)));
                }
            }
        }
        return out;
    }

    private static Instant single(Connection c, String sql, String meter, Instant t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, meter);
            ps.setTimestamp(2, Timestamp.from(t));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp ts = rs.getTimestamp(1);
                return ts == null ? null : ts.toInstant();
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
