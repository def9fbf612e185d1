package org.secondgrid.gateway.delivery;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Delivery's PostgreSQL access: its inputs (chargers, metered slots, charger status readings) and its
 * results (setpoints, imbalance, backflow, retailer volumes, re-dispatch), plus the read API the
 * operator routes use ({@link #imbalance}, {@link #imbalanceByFeeder}, {@link #backflow}, {@link #retailer},
 * {@link #redispatches}).
 */
public final class DeliveryStore {

    /** Imbalance of one site in one slot, as stored. */
    public record ImbalanceRow(LocalDate day, int slot, Instant slotStart, ImbalanceRules.SiteImbalance site) {
    }

    /** Imbalance of one feeder in one slot: the sum over its sites. */
    public record FeederImbalance(int slot, Instant slotStart, String feederId, double imbalanceKwh,
                                  double retailerKwh, double retailerJpy, int sites) {
    }

    /** A backflow event as stored. */
    public record BackflowRow(LocalDate day, int slot, Instant slotStart, ImbalanceRules.BackflowEvent event) {
    }

    /** What the backup retailer supplied at one site in one slot. */
    public record RetailerVolume(int slot, Instant slotStart, String siteId, String feederId, double sellerShortKwh,
                                 double evDeficitKwh, double kwh, double jpy) {
    }

    /**
     * A market day's delivery in figures (closed slots only): gross imbalance (Σ|site imbalance|), net
     * imbalance, the retailer's kWh and JPY, backflow events and how many an EV caused, EV energy scheduled
     * and measured at buyers, and kWh moved by re-dispatch.
     */
    public record DaySummary(int closedSlots, double imbalanceAbsKwh, double imbalanceNetKwh, double retailerKwh,
                             double retailerJpy, int backflowEvents, int evCausedBackflowEvents, double backflowKwh,
                             double evScheduledDischargeKwh, double evMeasuredDischargeKwh, double redispatchedKwh) {
    }

    private final DataSource ds;

    public DeliveryStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Takes a PostgreSQL session advisory lock on {@code key} without waiting: the returned handle holds it
     * (on its own connection) until closed; null if another session holds it.
     */
    public AutoCloseable tryLock(String key) {
        try {
            Connection c = ds.getConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        return null;
                    }
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c::close; // ending the session releases the lock
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the delivery lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** Charger device id → site id, for one market. */
    public Map<String, String> chargers(String market) {
        Map<String, String> out = new TreeMap<>();
        query("SELECT device_id, site_id FROM device WHERE kind = 'chargers' AND market = ?", ps -> ps.setString(1, market),
                rs -> out.put(rs.getString(1), rs.getString(2)));
        return out;
    }

    /** Metered energy (kWh) of the given sites in the slot starting at {@code slotStart}; sites without a row are absent. */
    public Map<String, ImbalanceRules.Metered> metered(Collection<String> sites, Instant slotStart) {
        Map<String, ImbalanceRules.Metered> out = new HashMap<>();
        query("SELECT site_id, import_wh, export_wh FROM metered_slot WHERE slot_start = ? AND site_id = ANY (?)",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(slotStart));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", sites.toArray()));
                },
                rs -> out.put(rs.getString(1), new ImbalanceRules.Metered(rs.getDouble(2) / 1000.0, rs.getDouble(3) / 1000.0)));
        return out;
    }

    /**
     * Meters of the given sites whose slot is not final yet: the meter reported before {@code slotEnd} but the
     * site's {@code metered_slot} row for {@code slotStart} was not recomputed since the meter's first reading at
     * or after {@code slotEnd} arrived (or there is none yet). A meter that never reported before is not awaited.
     */
    public List<String> metersPending(String market, Collection<String> sites, Instant slotStart, Instant slotEnd) {
        List<String> out = new ArrayList<>();
        query("""
                SELECT d.device_id FROM device d
                WHERE d.kind = 'meters' AND d.market = ? AND d.site_id = ANY (?)
                  AND EXISTS (SELECT 1 FROM reading r WHERE r.device_id = d.device_id AND r.ts < ?)
                  AND NOT EXISTS (
                    SELECT 1 FROM metered_slot ms WHERE ms.site_id = d.site_id AND ms.slot_start = ?
                      AND ms.computed_at >= (SELECT r.received_at FROM reading r WHERE r.device_id = d.device_id
                                             AND r.ts >= ? ORDER BY r.ts LIMIT 1))
                ORDER BY d.device_id""", ps -> {
                    ps.setString(1, market);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", sites.toArray()));
                    ps.setTimestamp(3, Timestamp.from(slotEnd));
                    ps.setTimestamp(4, Timestamp.from(slotStart));
                    ps.setTimestamp(5, Timestamp.from(slotEnd));
                }, rs -> out.add(rs.getString(1)));
        return out;
    }

    /** Status readings of the market's chargers with {@code from ≤ ts < to}, plus each charger's last one before {@code from}. */
    public List<ChargerEnergy.Status> chargerStatuses(String market, Instant from, Instant to) {
        List<ChargerEnergy.Status> out = new ArrayList<>();
        query("""
                SELECT r.device_id, d.site_id, r.ts, r.ev_id, r.power_kw FROM reading r
                JOIN device d ON d.device_id = r.device_id AND d.kind = 'chargers' AND d.market = ?
                WHERE r.ts >= ? AND r.ts < ?
                UNION ALL
                SELECT * FROM (
                  SELECT DISTINCT ON (r.device_id) r.device_id, d.site_id, r.ts, r.ev_id, r.power_kw FROM reading r
                  JOIN device d ON d.device_id = r.device_id AND d.kind = 'chargers' AND d.market = ?
                  WHERE r.ts < ? AND r.ts >= ?
                  ORDER BY r.device_id, r.ts DESC, r.seq DESC) last_before""",
                ps -> {
                    ps.setString(1, market);
                    ps.setTimestamp(2, Timestamp.from(from));
                    ps.setTimestamp(3, Timestamp.from(to));
                    ps.setString(4, market);
                    ps.setTimestamp(5, Timestamp.from(from));
                    ps.setTimestamp(6, Timestamp.from(from.minusSeconds(6 * 3600)));
                },
                rs -> out.add(new ChargerEnergy.Status(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getDouble(5))));
        return out;
    }

    /** The next setpoint sequence number of each charger (1 for a charger never sent one). */
    public Map<String, Long> nextSetpointSeq() {
        Map<String, Long> out = new HashMap<>();
        query("SELECT charger_id, max(seq) FROM delivery_setpoint GROUP BY charger_id", ps -> { },
                rs -> out.put(rs.getString(1), rs.getLong(2) + 1));
        return out;
    }

    /** A setpoint as published, with the sequence number its message carried. */
    public record SentSetpoint(Setpoint setpoint, long seq) {
    }

    /** Stores the setpoints of one publish in one transaction. */
    public void saveSetpoints(String market, LocalDate day, List<SentSetpoint> setpoints, Instant at) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery_setpoint (market, delivery_day, slot, charger_id, site_id, ev_id, power_kw, seq, published_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (market, delivery_day, slot, charger_id) DO UPDATE SET ev_id = EXCLUDED.ev_id,
                      power_kw = EXCLUDED.power_kw, seq = EXCLUDED.seq, published_at = EXCLUDED.published_at""")) {
                for (SentSetpoint x : setpoints) {
                    Setpoint sp = x.setpoint();
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                    ps.setInt(3, sp.slot());
                    ps.setString(4, sp.chargerId());
                    ps.setString(5, sp.siteId());
                    ps.setString(6, sp.ev());
                    ps.setDouble(7, sp.powerKw());
                    ps.setLong(8, x.seq());
                    ps.setTimestamp(9, Timestamp.from(at));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + setpoints.size() + " setpoint(s) of " + market + " " + day
                    + ": " + e.getMessage(), e);
        }
    }

    /** The current dispatch stored after the last closed slot (empty before the first). */
    public List<DispatchPlan.Action> dispatch(String market, LocalDate day) {
        List<DispatchPlan.Action> out = new ArrayList<>();
        query("SELECT ev_id, site_id, slot, kwh FROM delivery_dispatch WHERE market = ? AND delivery_day = ? ORDER BY ev_id, slot",
                ps -> {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                }, rs -> out.add(new DispatchPlan.Action(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getDouble(4))));
        return out;
    }

    /** Slots of the day already evaluated. */
    public List<Integer> closedSlots(String market, LocalDate day) {
        List<Integer> out = new ArrayList<>();
        query("SELECT slot FROM delivery_slot_closed WHERE market = ? AND delivery_day = ? ORDER BY slot", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> out.add(rs.getInt(1)));
        return out;
    }

    /** Stores one closed slot's results in one transaction (idempotent per slot and site). */
    public void saveSlot(String market, LocalDate day, Instant slotStart, ImbalanceRules.SlotResult r,
                         List<Redispatcher.Redispatch> redispatches, List<DispatchPlan.Action> dispatch) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery_imbalance (market, delivery_day, slot, slot_start, site_id, feeder_id,
                      scheduled_export_kwh, metered_export_kwh, scheduled_purchase_kwh, metered_import_kwh,
                      scheduled_ev_charge_kwh, dispatched_ev_charge_kwh, measured_ev_charge_kwh,
                      scheduled_ev_discharge_kwh, dispatched_ev_discharge_kwh, measured_ev_discharge_kwh,
                      imbalance_kwh, seller_short_kwh, ev_deficit_kwh, retailer_kwh, retailer_jpy, feed_in_kwh, meter_missing)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (market, delivery_day, slot, site_id) DO NOTHING""")) {
                for (ImbalanceRules.SiteImbalance s : r.sites()) {
                    int i = 1;
                    ps.setString(i++, market);
                    ps.setDate(i++, Date.valueOf(day));
                    ps.setInt(i++, s.slot());
                    ps.setTimestamp(i++, Timestamp.from(slotStart));
                    ps.setString(i++, s.siteId());
                    ps.setString(i++, s.feederId());
                    for (double v : new double[] {s.scheduledExportKwh(), s.meteredExportKwh(), s.scheduledPurchaseKwh(),
                            s.meteredImportKwh(), s.scheduledEvChargeKwh(), s.dispatchedEvChargeKwh(), s.measuredEvChargeKwh(),
                            s.scheduledEvDischargeKwh(), s.dispatchedEvDischargeKwh(), s.measuredEvDischargeKwh(),
                            s.imbalanceKwh(), s.sellerShortKwh(), s.evDeficitKwh(), s.retailerKwh(), s.retailerJpy(), s.feedInKwh()}) {
                        ps.setDouble(i++, v);
                    }
                    ps.setBoolean(i, s.meterMissing());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery_backflow (market, delivery_day, slot, slot_start, site_id, feeder_id,
                      export_limit_kwh, metered_export_kwh, kwh_over, ev_caused, ev_discharge_kwh)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (market, delivery_day, slot, site_id) DO NOTHING""")) {
                for (ImbalanceRules.BackflowEvent b : r.backflow()) {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                    ps.setInt(3, b.slot());
                    ps.setTimestamp(4, Timestamp.from(slotStart));
                    ps.setString(5, b.siteId());
                    ps.setString(6, b.feederId());
                    ps.setDouble(7, b.exportLimitKwh());
                    ps.setDouble(8, b.meteredExportKwh());
                    ps.setDouble(9, b.kwhOver());
                    ps.setBoolean(10, b.evCaused());
                    ps.setDouble(11, b.evDischargeKwh());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery_redispatch (market, delivery_day, detected_slot, ev_id, rule, site_id, to_ev, to_slot, kwh)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Redispatcher.Redispatch d : redispatches) {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                    ps.setInt(3, d.detectedSlot());
                    ps.setString(4, d.ev());
                    ps.setString(5, d.rule());
                    ps.setString(6, d.site());
                    ps.setString(7, d.toEv());
                    ps.setObject(8, d.toSlot());
                    ps.setDouble(9, d.kwh());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM delivery_dispatch WHERE market = ? AND delivery_day = ?");
                 PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_dispatch (market, delivery_day, ev_id, slot,"
                         + " site_id, kwh) VALUES (?, ?, ?, ?, ?, ?)")) {
                del.setString(1, market);
                del.setDate(2, Date.valueOf(day));
                del.executeUpdate();
                for (DispatchPlan.Action a : dispatch) {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                    ps.setString(3, a.ev());
                    ps.setInt(4, a.slot());
                    ps.setString(5, a.site());
                    ps.setDouble(6, a.kwh());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO delivery_slot_closed (market, delivery_day, slot) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, market);
                ps.setDate(2, Date.valueOf(day));
                ps.setInt(3, r.slot());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store delivery results of " + market + " " + day + " slot " + r.slot()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Imbalance per site and slot of a market day, by slot then site. */
    public List<ImbalanceRow> imbalance(String market, LocalDate day) {
        List<ImbalanceRow> out = new ArrayList<>();
        query("""
                SELECT slot, slot_start, site_id, feeder_id, scheduled_export_kwh, metered_export_kwh, scheduled_purchase_kwh,
                  metered_import_kwh, scheduled_ev_charge_kwh, dispatched_ev_charge_kwh, measured_ev_charge_kwh,
                  scheduled_ev_discharge_kwh, dispatched_ev_discharge_kwh, measured_ev_discharge_kwh, imbalance_kwh,
                  seller_short_kwh, ev_deficit_kwh, retailer_kwh, retailer_jpy, feed_in_kwh, meter_missing
                FROM delivery_imbalance WHERE market = ? AND delivery_day = ? ORDER BY slot, site_id""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> out.add(new ImbalanceRow(day, rs.getInt(1), rs.getTimestamp(2).toInstant(),
                new ImbalanceRules.SiteImbalance(rs.getInt(1), rs.getString(3), rs.getString(4), rs.getDouble(5),
                        rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10),
                        rs.getDouble(11), rs.getDouble(12), rs.getDouble(13), rs.getDouble(14), rs.getDouble(15),
                        rs.getDouble(16), rs.getDouble(17), rs.getDouble(18), rs.getDouble(19), rs.getDouble(20),
                        rs.getBoolean(21)))));
        return out;
    }

    /** Imbalance per feeder and slot of a market day (sums over the feeder's sites). */
    public List<FeederImbalance> imbalanceByFeeder(String market, LocalDate day) {
        List<FeederImbalance> out = new ArrayList<>();
        query("""
                SELECT slot, slot_start, feeder_id, sum(imbalance_kwh), sum(retailer_kwh), sum(retailer_jpy), count(*)
                FROM delivery_imbalance WHERE market = ? AND delivery_day = ?
                GROUP BY slot, slot_start, feeder_id ORDER BY slot, feeder_id""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> out.add(new FeederImbalance(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                ImbalanceRules.r3(rs.getDouble(4)), ImbalanceRules.r3(rs.getDouble(5)),
                Math.round(rs.getDouble(6) * 100) / 100.0, rs.getInt(7))));
        return out;
    }

    /** Backflow events of a market day, by slot then site. */
    public List<BackflowRow> backflow(String market, LocalDate day) {
        List<BackflowRow> out = new ArrayList<>();
        query("""
                SELECT slot, slot_start, site_id, feeder_id, export_limit_kwh, metered_export_kwh, kwh_over, ev_caused,
                  ev_discharge_kwh FROM delivery_backflow WHERE market = ? AND delivery_day = ? ORDER BY slot, site_id""",
                ps -> {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                }, rs -> out.add(new BackflowRow(day, rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        new ImbalanceRules.BackflowEvent(rs.getInt(1), rs.getString(3), rs.getString(4), rs.getDouble(5),
                                rs.getDouble(6), rs.getDouble(7), rs.getBoolean(8), rs.getDouble(9)))));
        return out;
    }

    /** Backup-retailer volumes of a market day (site-slots with a deficit only). */
    public List<RetailerVolume> retailer(String market, LocalDate day) {
        List<RetailerVolume> out = new ArrayList<>();
        query("""
                SELECT slot, slot_start, site_id, feeder_id, seller_short_kwh, ev_deficit_kwh, retailer_kwh, retailer_jpy
                FROM delivery_imbalance WHERE market = ? AND delivery_day = ? AND retailer_kwh > 0 ORDER BY slot, site_id""",
                ps -> {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                }, rs -> out.add(new RetailerVolume(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8))));
        return out;
    }

    /** Totals of a market day (see {@link DaySummary}). */
    public DaySummary summary(String market, LocalDate day) {
        double[] imb = new double[6];
        query("""
                SELECT coalesce(sum(abs(imbalance_kwh)), 0), coalesce(sum(imbalance_kwh), 0), coalesce(sum(retailer_kwh), 0),
                  coalesce(sum(retailer_jpy), 0), coalesce(sum(scheduled_ev_discharge_kwh), 0),
                  coalesce(sum(measured_ev_discharge_kwh), 0)
                FROM delivery_imbalance WHERE market = ? AND delivery_day = ?""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> {
            for (int i = 0; i < 6; i++) {
                imb[i] = rs.getDouble(i + 1);
            }
        });
        double[] bf = new double[3];
        query("""
                SELECT count(*), count(*) FILTER (WHERE ev_caused), coalesce(sum(kwh_over), 0)
                FROM delivery_backflow WHERE market = ? AND delivery_day = ?""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> {
            bf[0] = rs.getLong(1);
            bf[1] = rs.getLong(2);
            bf[2] = rs.getDouble(3);
        });
        double[] moved = new double[1];
        query("""
                SELECT coalesce(sum(kwh), 0) FROM delivery_redispatch
                WHERE market = ? AND delivery_day = ? AND rule IN ('same-ev-later', 'other-ev')""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> moved[0] = rs.getDouble(1));
        return new DaySummary(closedSlots(market, day).size(), ImbalanceRules.r3(imb[0]), ImbalanceRules.r3(imb[1]),
                ImbalanceRules.r3(imb[2]), Math.round(imb[3] * 100) / 100.0, (int) bf[0], (int) bf[1],
                ImbalanceRules.r3(bf[2]), ImbalanceRules.r3(imb[4]), ImbalanceRules.r3(imb[5]), ImbalanceRules.r3(moved[0]));
    }

    /** Re-dispatch decisions of a market day, in the order taken. */
    public List<Redispatcher.Redispatch> redispatches(String market, LocalDate day) {
        List<Redispatcher.Redispatch> out = new ArrayList<>();
        query("""
                SELECT detected_slot, ev_id, rule, site_id, to_ev, to_slot, kwh FROM delivery_redispatch
                WHERE market = ? AND delivery_day = ? ORDER BY id""", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        }, rs -> {
            int toSlot = rs.getInt(6);
            Integer to = rs.wasNull() ? null : toSlot;
            out.add(new Redispatcher.Redispatch(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), to, rs.getDouble(7)));
        });
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Binder binder, RowReader reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("delivery query failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivery update failed: " + e.getMessage(), e);
        }
    }
}
