package org.secondgrid.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.secondgrid.gateway.ingest.Reading;

/**
 * Re-sends stored readings (PostgreSQL, the record) to the time-series store, e.g. after the store was
 * lost or points queued in memory died with the process. Points are idempotent (measurement, device,
 * device timestamp), so re-sending what is already there changes nothing.
 */
public final class TimeSeriesRebuild {

    private TimeSeriesRebuild() {
    }

    /** Streams readings with device time in [from, to) into the writer; returns how many were queued. */
    public static long run(DataSource ds, TimeSeriesWriter writer, Instant from, Instant to)
            throws SQLException, InterruptedException {
        long n = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // server-side cursor
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT r.device_id, d.kind, d.site_id, r.seq, r.ts, r.import_wh, r.export_wh, r.pv_wh, r.ev_id,
                           r.power_kw, r.session_wh, r.lat, r.lon, r.soc_kwh, r.counter_reset
                    FROM reading r JOIN device d ON d.device_id = r.device_id
                    WHERE r.ts >= ? AND r.ts < ?""")) {
                ps.setFetchSize(5000);
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Reading> chunk = new ArrayList<>(5000);
                    while (rs.next()) {
                        chunk.add(new Reading(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getTimestamp(5).toInstant(), dbl(rs, 6), dbl(rs, 7), dbl(rs, 8), rs.getString(9),
                                dbl(rs, 10), dbl(rs, 11), dbl(rs, 12), dbl(rs, 13), dbl(rs, 14), rs.getBoolean(15)));
                        if (chunk.size() == 5000) {
                            writer.put(chunk);
                            n += chunk.size();
                            chunk.clear();
                        }
                    }
                    writer.put(chunk);
                    n += chunk.size();
                }
            }
            c.commit();
        }
        return n;
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
