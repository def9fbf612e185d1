package org.secondgrid.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.secondgrid.gateway.ingest.Reading;

/**
 * Writes one batch of accepted readings and rejected messages in a single transaction. Readings are
 * keyed by (device, seq) with {@code ON CONFLICT DO NOTHING}, so redelivered messages are stored once.
 * The slots the new meter readings touch are marked dirty in the same transaction.
 */
public final class ReadingStore {

    /** A rejected message to keep for audit. */
    public record RejectedRow(String deviceId, String topic, String code, String detail, String payload) {
    }

    private static final String INSERT_READINGS = """
            INSERT INTO reading (device_id, seq, ts, import_wh, export_wh, pv_wh, ev_id, power_kw, session_wh,
                                 lat, lon, soc_kwh, counter_reset)
            SELECT d, s, timestamptz 'epoch' + t * interval '1 millisecond', iw, ew, pw, ev, pk, sw, la, lo, so, rs
            FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::text[],
                        ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::bool[])
                 AS u(d, s, t, iw, ew, pw, ev, pk, sw, la, lo, so, rs)
            ON CONFLICT (device_id, seq) DO NOTHING""";

    private static final String INSERT_DIRTY = """
            INSERT INTO slot_dirty (site_id, slot_start)
            SELECT s, timestamptz 'epoch' + t * interval '1 millisecond' FROM unnest(?::text[], ?::bigint[]) AS u(s, t)""";

    private static final String INSERT_REJECTED = """
            INSERT INTO rejected_message (device_id, topic, code, detail, payload)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])""";

    /**
     * Commits the batch; returns how many readings were new (the rest were duplicates).
     * The connection is left in autocommit=false; on failure the transaction is rolled back.
     */
    public int write(Connection c, List<Reading> readings, List<RejectedRow> rejected) throws SQLException {
        return write(c, readings, rejected, null);
    }

    /** More rows of the same batch, written in its transaction (e.g. weather forecasts). */
    public interface ExtraRows {
        void write(Connection c) throws SQLException;
    }

    /** As {@link #write(Connection, List, List)}, also writing {@code extra} (may be null) before the commit. */
    public int write(Connection c, List<Reading> readings, List<RejectedRow> rejected, ExtraRows extra)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            if (extra != null) {
                extra.write(c);
            }
            int inserted = 0;
            if (!readings.isEmpty()) {
                List<Reading> sorted = new ArrayList<>(readings);
                sorted.sort(Comparator.comparing(Reading::deviceId).thenComparingLong(Reading::seq));
                int n = sorted.size();
                String[] d = new String[n];
                Long[] s = new Long[n];
                Long[] t = new Long[n];
                Double[] iw = new Double[n], ew = new Double[n], pw = new Double[n], pk = new Double[n],
                        sw = new Double[n], la = new Double[n], lo = new Double[n], so = new Double[n];
                String[] ev = new String[n];
                Boolean[] rs = new Boolean[n];
                TreeSet<String> dirty = new TreeSet<>();
                for (int i = 0; i < n; i++) {
                    Reading r = sorted.get(i);
                    d[i] = r.deviceId();
                    s[i] = r.seq();
                    t[i] = r.ts().toEpochMilli();
                    iw[i] = r.importWh();
                    ew[i] = r.exportWh();
                    pw[i] = r.pvWh();
                    ev[i] = r.evId();
                    pk[i] = r.powerKw();
                    sw[i] = r.sessionWh();
                    la[i] = r.lat();
                    lo[i] = r.lon();
                    so[i] = r.socKwh();
                    rs[i] = r.counterReset();
                    if (r.isMeter()) {
                        dirty.add(r.siteId() + "\u0000" + SlotEnergy.slotStart(r.ts()).toEpochMilli());
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_READINGS)) {
                    int k = 1;
                    ps.setArray(k++, c.createArrayOf("text", d));
                    ps.setArray(k++, c.createArrayOf("int8", s));
                    ps.setArray(k++, c.createArrayOf("int8", t));
                    for (Double[] a : List.of(iw, ew, pw)) {
                        ps.setArray(k++, c.createArrayOf("float8", a));
                    }
                    ps.setArray(k++, c.createArrayOf("text", ev));
                    for (Double[] a : List.of(pk, sw, la, lo, so)) {
                        ps.setArray(k++, c.createArrayOf("float8", a));
                    }
                    ps.setArray(k, c.createArrayOf("bool", rs));
                    inserted = ps.executeUpdate();
                }
                if (!dirty.isEmpty()) {
                    String[] ds = new String[dirty.size()];
                    Long[] dt = new Long[dirty.size()];
                    int i = 0;
                    for (String key : dirty) {
                        int z = key.indexOf('\u0000');
                        ds[i] = key.substring(0, z);
                        dt[i++] = Long.parseLong(key.substring(z + 1));
                    }
                    try (PreparedStatement ps = c.prepareStatement(INSERT_DIRTY)) {
                        ps.setArray(1, c.createArrayOf("text", ds));
                        ps.setArray(2, c.createArrayOf("int8", dt));
                        ps.executeUpdate();
                    }
                }
            }
            if (!rejected.isEmpty()) {
                int n = rejected.size();
                String[] d = new String[n], tp = new String[n], cd = new String[n], dt = new String[n], pl = new String[n];
                for (int i = 0; i < n; i++) {
                    RejectedRow r = rejected.get(i);
                    d[i] = r.deviceId();
                    tp[i] = r.topic();
                    cd[i] = r.code();
                    dt[i] = r.detail();
                    pl[i] = r.payload();
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_REJECTED)) {
                    ps.setArray(1, c.createArrayOf("text", d));
                    ps.setArray(2, c.createArrayOf("text", tp));
                    ps.setArray(3, c.createArrayOf("text", cd));
                    ps.setArray(4, c.createArrayOf("text", dt));
                    ps.setArray(5, c.createArrayOf("text", pl));
                    ps.executeUpdate();
                }
            }
            c.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is probably gone; the caller reconnects
            }
            throw e;
        }
    }
}
