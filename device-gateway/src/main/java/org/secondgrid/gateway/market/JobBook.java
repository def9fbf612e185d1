package org.secondgrid.gateway.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.Json;

/**
 * EV transport jobs (table {@code ev_job}). Reads are public; status changes go through
 * {@link MarketCycle#accept(String)} / {@link MarketCycle#decline(String)} because a decline re-plans.
 */
public final class JobBook {

    private static final String COLS = "job_id, market, delivery_day, ev_id, schedule_version, itinerary::text, pay_jpy,"
            + " status, offered_at, decided_at FROM ev_job";

    private final DataSource ds;

    public JobBook(DataSource ds) {
        this.ds = ds;
    }

    public Optional<EvJob> job(String jobId) {
        return query("SELECT " + COLS + " WHERE job_id = ?", ps -> ps.setString(1, jobId)).stream().findFirst();
    }

    /** Every job of a market's day, newest version first within an EV. */
    public List<EvJob> jobs(String market, LocalDate day) {
        return query("SELECT " + COLS + " WHERE market = ? AND delivery_day = ? ORDER BY ev_id, schedule_version DESC",
                ps -> {
                    ps.setString(1, market);
                    ps.setDate(2, Date.valueOf(day));
                });
    }

    /** Jobs of the EVs a participant owns, for one day (all days if {@code day} is null). */
    public List<EvJob> jobsOfOwner(String ownerId, LocalDate day) {
        if (day == null) {
            return query("SELECT " + COLS + " WHERE ev_id IN (SELECT ev_id FROM ev WHERE owner_id = ?)"
                    + " ORDER BY delivery_day, ev_id, schedule_version DESC", ps -> ps.setString(1, ownerId));
        }
        return query("SELECT " + COLS + " WHERE ev_id IN (SELECT ev_id FROM ev WHERE owner_id = ?) AND delivery_day = ?"
                + " ORDER BY ev_id, schedule_version DESC", ps -> {
                    ps.setString(1, ownerId);
                    ps.setDate(2, Date.valueOf(day));
                });
    }

    /** Jobs of one EV on one day. */
    public List<EvJob> jobsOfEv(String evId, LocalDate day) {
        return query("SELECT " + COLS + " WHERE ev_id = ? AND delivery_day = ? ORDER BY schedule_version DESC", ps -> {
            ps.setString(1, evId);
            ps.setDate(2, Date.valueOf(day));
        });
    }

    // ---- writes inside the cycle's transactions ----

    static String jobId(LocalDate day, String evId, int version) {
        return "job-" + day + "-" + evId + "-v" + version;
    }

    void insert(Connection c, String market, LocalDate day, String evId, int version, Solution.Itinerary it,
                double payJpy, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ev_job (job_id, market, delivery_day, ev_id, schedule_version, itinerary, pay_jpy, status,
                  offered_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, 'offered', ?)""")) {
            ps.setString(1, jobId(day, evId, version));
            ps.setString(2, market);
            ps.setDate(3, Date.valueOf(day));
            ps.setString(4, evId);
            ps.setInt(5, version);
            ps.setString(6, Json.MAPPER.writeValueAsString(it));
            ps.setDouble(7, payJpy);
            ps.setTimestamp(8, Timestamp.from(at));
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a job from {@code from} to {@code to}; false if it was not in {@code from}. */
    static boolean transition(Connection c, String jobId, EvJob.Status from, EvJob.Status to, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ev_job SET status = ?, decided_at = ? WHERE job_id = ? AND status = ?")) {
            ps.setString(1, to.wire());
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, jobId);
            ps.setString(4, from.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** Expires every offered job of a day; returns how many. */
    static int expireOffered(Connection c, String market, LocalDate day, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE ev_job SET status = 'expired', decided_at = ?
                WHERE market = ? AND delivery_day = ? AND status = 'offered'""")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, market);
            ps.setDate(3, Date.valueOf(day));
            return ps.executeUpdate();
        }
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<EvJob> query(String sql, Binder b) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            b.bind(ps);
            List<EvJob> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp decided = rs.getTimestamp(10);
                    out.add(new EvJob(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getString(4),
                            rs.getInt(5), Json.MAPPER.readValue(rs.getString(6), Solution.Itinerary.class),
                            rs.getDouble(7), EvJob.Status.parse(rs.getString(8)), rs.getTimestamp(9).toInstant(),
                            decided == null ? null : decided.toInstant()));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read jobs: " + e.getMessage(), e);
        }
    }
}
