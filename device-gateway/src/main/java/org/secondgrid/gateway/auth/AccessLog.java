package org.secondgrid.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The data-access log: every read of a participant's personal data by someone else (who, in which
 * role, whose data, which category and subject, which resource, when, why), table {@code data_access_log}.
 */
public final class AccessLog {

    /** One read of personal data. */
    public record Entry(Instant at, String reader, String readerRole, String owner, String category, String subject,
                        String resource, String purpose) {
    }

    private final DataSource ds;
    private final Clock clock;

    public AccessLog(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public void record(String reader, String readerRole, String owner, String category, String subject,
                       String resource, String purpose) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO data_access_log (at, reader, reader_role, owner, category, subject, resource, purpose)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, reader);
            ps.setString(3, readerRole);
            ps.setString(4, owner);
            ps.setString(5, category);
            ps.setString(6, subject);
            ps.setString(7, resource);
            ps.setString(8, purpose);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the data-access log: " + e.getMessage(), e);
        }
    }

    /** The reads of {@code owner}'s data, newest first. */
    public List<Entry> forOwner(String owner, int limit) {
        List<Entry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT at, reader, reader_role, owner, category, subject, resource, purpose FROM data_access_log
                WHERE owner = ? ORDER BY at DESC, id DESC LIMIT ?""")) {
            ps.setString(1, owner);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the data-access log: " + e.getMessage(), e);
        }
    }
}
