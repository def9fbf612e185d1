package org.secondgrid.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Participants' API passwords, kept only as salted PBKDF2 hashes ({@link PasswordHasher}) in table
 * {@code api_credential}; the roles are the participant's (market registry).
 */
public final class Credentials {

    private final DataSource ds;
    private final int iterations;
    /** Checked against when the id is unknown, so that an unknown id costs as much time as a wrong password. */
    private final String dummy;

    public Credentials(DataSource ds, int iterations) {
        this.ds = ds;
        this.iterations = iterations;
        this.dummy = PasswordHasher.hash("not-a-password", iterations);
    }

    /** Sets the password inside the caller's transaction (so a participant is never half-saved). */
    public void put(Connection c, String participantId, String password) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO api_credential (participant_id, password_hash) VALUES (?, ?)
                ON CONFLICT (participant_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()""")) {
            ps.setString(1, participantId);
            ps.setString(2, PasswordHasher.hash(password, iterations));
            ps.executeUpdate();
        }
    }

    /** True if the participant has a login and the password matches (unknown id and wrong password look the same). */
    public boolean check(String participantId, String password) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT password_hash FROM api_credential WHERE participant_id = ?")) {
            ps.setString(1, participantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    PasswordHasher.verify(password, dummy);
                    return false;
                }
                return PasswordHasher.verify(password, rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read credentials: " + e.getMessage(), e);
        }
    }
}
