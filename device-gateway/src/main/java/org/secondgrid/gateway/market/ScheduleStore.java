package org.secondgrid.gateway.market;

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
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.InstanceJson;
import org.secondgrid.matcher.io.SolutionJson;

/** Published schedules (table {@code market_schedule}): every version of every delivery day. */
public final class ScheduleStore {

    private final DataSource ds;

    public ScheduleStore(DataSource ds) {
        this.ds = ds;
    }

    /** A version without its JSON, for listings. */
    public record VersionInfo(int version, PublishedSchedule.Stage stage, PublishedSchedule.Source source,
                              double welfareJpy, int itineraries, String note, Instant createdAt) {
    }

    /** The final schedule of a day (what delivery and settlement use), once published. */
    public Optional<PublishedSchedule> finalSchedule(String market, LocalDate day) {
        return one("stage = 'final'", market, day);
    }

    /** The newest version of a day, whatever its stage. */
    public Optional<PublishedSchedule> latest(String market, LocalDate day) {
        return one("true", market, day);
    }

    public Optional<PublishedSchedule> version(String market, LocalDate day, int version) {
        return one("version = " + version, market, day);
    }

    public List<VersionInfo> versions(String market, LocalDate day) {
        List<VersionInfo> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT version, stage, source, (solution_json->>'welfareJpy')::float8,
                  coalesce(jsonb_array_length(solution_json->'itineraries'), 0), note, created_at
                FROM market_schedule WHERE market = ? AND delivery_day = ? ORDER BY version""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VersionInfo(rs.getInt(1), stage(rs.getString(2)), source(rs.getString(3)),
                            rs.getDouble(4), rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list schedules: " + e.getMessage(), e);
        }
    }

    /** Stores a new version inside the caller's transaction; returns its number. */
    int insert(Connection c, String market, LocalDate day, PublishedSchedule.Stage stage,
               PublishedSchedule.Source source, Instance instance, Solution solution, String note, Instant at)
            throws SQLException {
        int version;
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "market_schedule:" + market + ":" + day);
            lock.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(version), 0) + 1 FROM market_schedule WHERE market = ? AND delivery_day = ?")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO market_schedule (market, delivery_day, version, stage, source, instance_json, solution_json,
                  note, created_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            ps.setInt(3, version);
            ps.setString(4, stage.wire());
            ps.setString(5, source.wire());
            ps.setString(6, InstanceJson.write(instance));
            ps.setString(7, SolutionJson.write(solution));
            ps.setString(8, note);
            ps.setTimestamp(9, Timestamp.from(at));
            ps.executeUpdate();
        }
        return version;
    }

    private Optional<PublishedSchedule> one(String where, String market, LocalDate day) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, stage, source, instance_json::text, solution_json::text, note, created_at"
                        + " FROM market_schedule WHERE market = ? AND delivery_day = ? AND " + where
                        + " ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PublishedSchedule(market, day, rs.getInt(1), stage(rs.getString(2)),
                        source(rs.getString(3)), InstanceJson.parse(rs.getString(4)), SolutionJson.parse(rs.getString(5)),
                        rs.getString(6), rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schedule of " + market + " " + day + ": " + e.getMessage(), e);
        }
    }

    private static PublishedSchedule.Stage stage(String s) {
        return PublishedSchedule.Stage.valueOf(s.toUpperCase(Locale.ROOT));
    }

    private static PublishedSchedule.Source source(String s) {
        return PublishedSchedule.Source.valueOf(s.toUpperCase(Locale.ROOT));
    }
}
