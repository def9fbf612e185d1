package org.secondgrid.gateway.settled;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** Reads the settled statements ({@code settlement_statement}) of a participant; the gateway never writes them. */
public final class StatementStore {

    private final DataSource ds;

    public StatementStore(DataSource ds) {
        this.ds = ds;
    }

    /** The statements of {@code participantId}'s sites and EVs with a delivery day in [from, to] (null = open), by day and party. */
    public List<Statement> ofParticipant(String participantId, LocalDate from, LocalDate to) {
        String sql = "SELECT market, delivery_day, party, party_kind, participant_id, wh_sold, wh_bought, wh_carried,"
                + " imbalance_wh_bought, imbalance_wh_sold, jpy_received, jpy_paid, fees_earned_jpy, imbalance_jpy_paid,"
                + " imbalance_jpy_received, token_id, certificate_wh, chain_id, coin_contract, certificate_contract,"
                + " party_address, tx_hashes, last_block, batches, unconfirmed_batches, status, settled_at, updated_at"
                + " FROM settlement_statement WHERE participant_id = ?"
                + " AND delivery_day >= coalesce(?::date, '-infinity'::date) AND delivery_day <= coalesce(?::date, 'infinity'::date)"
                + " ORDER BY delivery_day, market, party";
        List<Statement> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, participantId);
            ps.setObject(2, from);
            ps.setObject(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array a = rs.getArray(22);
                    List<String> txs = a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
                    out.add(new Statement(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getBigDecimal(11), rs.getBigDecimal(12), rs.getBigDecimal(13), rs.getBigDecimal(14),
                            rs.getBigDecimal(15), rs.getLong(16), rs.getLong(17), rs.getLong(18), rs.getString(19),
                            rs.getString(20), rs.getString(21), txs, rs.getLong(23), rs.getInt(24), rs.getInt(25),
                            rs.getString(26), rs.getTimestamp(27).toInstant(), rs.getTimestamp(28).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read settlement_statement of " + participantId + ": " + e.getMessage(), e);
        }
        return out;
    }
}
