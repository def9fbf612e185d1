package org.secondgrid.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** Opt-in consents per data category (off unless the participant turned them on), table {@code consent}. */
public final class Consents {

    /** A category of personal data a participant may share with the grid operator. */
    public enum Category {
        SHARE_DEMAND_DATA("shareDemandData", "share-demand-data"),
        SHARE_EV_LOCATION("shareEvLocation", "share-ev-location");

        public final String field;
        public final String db;

        Category(String field, String db) {
            this.field = field;
            this.db = db;
        }
    }

    private final DataSource ds;

    public Consents(DataSource ds) {
        this.ds = ds;
    }

    public Map<Category, Boolean> of(String participantId) {
        Map<Category, Boolean> out = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            out.put(c, false);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT category, granted FROM consent WHERE participant_id = ?")) {
            ps.setString(1, participantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (Category cat : Category.values()) {
                        if (cat.db.equals(rs.getString(1))) {
                            out.put(cat, rs.getBoolean(2));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read consents: " + e.getMessage(), e);
        }
    }

    public boolean granted(String participantId, Category category) {
        return of(participantId).get(category);
    }

    /** The participants among {@code ids} who granted {@code category}. */
    public Set<String> grantedBy(Collection<String> ids, Category category) {
        Set<String> out = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT participant_id FROM consent WHERE category = ? AND granted AND participant_id = ANY (?)")) {
            ps.setString(1, category.db);
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read consents: " + e.getMessage(), e);
        }
    }

    /** Sets the given categories in one transaction. */
    public void put(String participantId, Map<Category, Boolean> values) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO consent (participant_id, category, granted) VALUES (?, ?, ?)
                ON CONFLICT (participant_id, category) DO UPDATE SET granted = EXCLUDED.granted, updated_at = now()""")) {
            c.setAutoCommit(false);
            for (Map.Entry<Category, Boolean> e : values.entrySet()) {
                ps.setString(1, participantId);
                ps.setString(2, e.getKey().db);
                ps.setBoolean(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save consents: " + e.getMessage(), e);
        }
    }
}
