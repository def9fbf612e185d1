package org.secondgrid.settlement.ledger;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.ledger.OutboxRow.State;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/** SQL for the ledger, the outbox, nonces, participants and deployments. */
public final class LedgerStore {

    private final Database db;

    public LedgerStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    /** A ledger row with its participants' addresses, in chain order. */
    public record Row(int batch, int seq, LedgerTrade trade, String sellerAddr, String buyerAddr, String carrierAddr) {
    }

    // ---- participants -------------------------------------------------------------------------------------------

    /** Deterministic pseudonymous address of a participant without a registered one (no key needed to receive). */
    public static String derivedAddress(String participant) {
        byte[] h = Hash.sha3(("secondgrid:participant:" + participant).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Keys.toChecksumAddress(Numeric.toHexString(java.util.Arrays.copyOfRange(h, 12, 32)));
    }

    public void register(String participant, String address) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into participant(id, address) values (?, ?) on conflict (id) do update set address = excluded.address")) {
                ps.setString(1, participant);
                ps.setString(2, address.toLowerCase());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Addresses of the given participants; unknown ones get (and keep) their derived address. */
    public Map<String, String> addresses(java.util.Collection<String> participants) {
        return sql(c -> {
            Map<String, String> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select id, address from participant");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            try (PreparedStatement ins = c.prepareStatement("insert into participant(id, address) values (?, ?) on conflict do nothing")) {
                for (String p : participants) {
                    if (!out.containsKey(p)) {
                        String a = derivedAddress(p).toLowerCase();
                        out.put(p, a);
                        ins.setString(1, p);
                        ins.setString(2, a);
                        ins.addBatch();
                    }
                }
                ins.executeBatch();
            }
            return out;
        });
    }

    public Map<String, String> participantsByAddress() {
        return sql(c -> {
            Map<String, String> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select id, address from participant order by id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.putIfAbsent(rs.getString(2).toLowerCase(), rs.getString(1));
                }
            }
            return out;
        });
    }

    // ---- deployment ---------------------------------------------------------------------------------------------

    public Optional<Deployment> deployment(long chainId) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select coin, certificate, settlement from deployment where chain_id = ?")) {
                ps.setLong(1, chainId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Deployment(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
                }
            }
        });
    }

    public void saveDeployment(long chainId, Deployment d) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into deployment(chain_id, coin, certificate, settlement) values (?,?,?,?) "
                    + "on conflict (chain_id) do update set coin = excluded.coin, certificate = excluded.certificate, settlement = excluded.settlement")) {
                ps.setLong(1, chainId);
                ps.setString(2, d.coin());
                ps.setString(3, d.certificate());
                ps.setString(4, d.settlement());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- ledger + outbox ----------------------------------------------------------------------------------------

    public boolean planned(String market, LocalDate day) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from outbox where market = ? and day = ? limit 1")) {
                ps.setString(1, market);
                ps.setDate(2, Date.valueOf(day));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Inserts the day's ledger rows and one PENDING outbox row per batch, in one transaction. */
    public void insertPlan(String market, LocalDate day, List<List<Row>> batches) {
        tx(c -> {
            try (PreparedStatement t = c.prepareStatement("insert into ledger_trade(market, day, batch, seq, seller, buyer, carrier, "
                    + "seller_addr, buyer_addr, carrier_addr, slot, kind, wh, amount, fee) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                 PreparedStatement o = c.prepareStatement("insert into outbox(settlement_id, market, day, batch, trades, state) "
                         + "values (?,?,?,?,?,'PENDING')")) {
                for (int b = 0; b < batches.size(); b++) {
                    for (Row r : batches.get(b)) {
                        LedgerTrade lt = r.trade();
                        t.setString(1, market);
                        t.setDate(2, Date.valueOf(day));
                        t.setInt(3, b);
                        t.setInt(4, r.seq());
                        t.setString(5, lt.seller());
                        t.setString(6, lt.buyer());
                        t.setString(7, lt.carrier());
                        t.setString(8, r.sellerAddr());
                        t.setString(9, r.buyerAddr());
                        t.setString(10, r.carrierAddr());
                        t.setInt(11, lt.slot());
                        t.setShort(12, (short) lt.kind().code());
                        t.setLong(13, lt.wh());
                        t.setLong(14, lt.amount());
                        t.setLong(15, lt.fee());
                        t.addBatch();
                    }
                    t.executeBatch();
                    o.setString(1, SettlementIds.of(market, day, b));
                    o.setString(2, market);
                    o.setDate(3, Date.valueOf(day));
                    o.setInt(4, b);
                    o.setInt(5, batches.get(b).size());
                    o.executeUpdate();
                }
            }
            return null;
        });
    }

    public List<Row> ledger(String market, LocalDate day, Integer batch) {
        return sql(c -> {
            String q = "select batch, seq, seller, buyer, carrier, seller_addr, buyer_addr, carrier_addr, slot, kind, wh, amount, fee "
                    + "from ledger_trade where market = ? and day = ?" + (batch == null ? "" : " and batch = ?") + " order by batch, seq";
            try (PreparedStatement ps = c.prepareStatement(q)) {
                ps.setString(1, market);
                ps.setDate(2, Date.valueOf(day));
                if (batch != null) {
                    ps.setInt(3, batch);
                }
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LedgerTrade lt = new LedgerTrade(rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(9),
                                LedgerTrade.Kind.values()[rs.getShort(10)], rs.getLong(11), rs.getLong(12), rs.getLong(13));
                        out.add(new Row(rs.getInt(1), rs.getInt(2), lt, rs.getString(6), rs.getString(7), rs.getString(8)));
                    }
                }
                return out;
            }
        });
    }

    /** Ledger rows of every day in [from, to] whose batch the outbox has seen mined (MINED or CONFIRMED). */
    public List<Row> settledBetween(LocalDate from, LocalDate to) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select t.batch, t.seq, t.seller, t.buyer, t.carrier, t.seller_addr, t.buyer_addr, "
                    + "t.carrier_addr, t.slot, t.kind, t.wh, t.amount, t.fee from ledger_trade t join outbox o "
                    + "on o.market = t.market and o.day = t.day and o.batch = t.batch "
                    + "where t.day between ? and ? and o.state in ('MINED', 'CONFIRMED')")) {
                ps.setDate(1, Date.valueOf(from));
                ps.setDate(2, Date.valueOf(to));
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LedgerTrade lt = new LedgerTrade(rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(9),
                                LedgerTrade.Kind.values()[rs.getShort(10)], rs.getLong(11), rs.getLong(12), rs.getLong(13));
                        out.add(new Row(rs.getInt(1), rs.getInt(2), lt, rs.getString(6), rs.getString(7), rs.getString(8)));
                    }
                }
                return out;
            }
        });
    }

    public List<OutboxRow> outbox(String market, LocalDate day) {
        return outboxWhere("market = ? and day = ?", ps -> {
            ps.setString(1, market);
            ps.setDate(2, Date.valueOf(day));
        });
    }

    public List<OutboxRow> outboxOfDay(LocalDate day) {
        return outboxWhere("day = ?", ps -> ps.setDate(1, Date.valueOf(day)));
    }

    public List<OutboxRow> unfinished() {
        return outboxWhere("state in ('PENDING','SENT','MINED')", ps -> { });
    }

    public List<OutboxRow> allOutbox() {
        return outboxWhere("true", ps -> { });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<OutboxRow> outboxWhere(String where, Binder binder) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("select settlement_id, market, day, batch, trades, state, sender, nonce, tx_hash, "
                    + "raw_tx, block_number, block_hash, gas_used, error from outbox where " + where + " order by day, market, batch")) {
                binder.bind(ps);
                List<OutboxRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getInt(4), rs.getInt(5),
                                State.valueOf(rs.getString(6)), rs.getString(7), (Long) rs.getObject(8), rs.getString(9),
                                rs.getString(10), (Long) rs.getObject(11), rs.getString(12), (Long) rs.getObject(13), rs.getString(14)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Allocates the sender's next nonce (under a row lock; {@code chainNext} maps the stored next nonce to the one to
     * use, so a nonce consumed outside this ledger is skipped), signs with it through {@code signer} and records the
     * row as SENT with nonce, hash and raw transaction, all in one database transaction.
     */
    public void markSent(OutboxRow row, long chainId, String sender, LongUnaryOperator chainNext,
                         java.util.function.LongFunction<String[]> signer) {
        tx(c -> {
            long next;
            try (PreparedStatement ps = c.prepareStatement("select next_nonce from account_nonce where chain_id = ? and sender = ? for update")) {
                ps.setLong(1, chainId);
                ps.setString(2, sender.toLowerCase());
                try (ResultSet rs = ps.executeQuery()) {
                    next = rs.next() ? rs.getLong(1) : -1;
                }
            }
            long nonce = chainNext.applyAsLong(next);
            String[] hashAndRaw = signer.apply(nonce);
            try (PreparedStatement ps = c.prepareStatement("insert into account_nonce(chain_id, sender, next_nonce) values (?,?,?) "
                    + "on conflict (chain_id, sender) do update set next_nonce = excluded.next_nonce")) {
                ps.setLong(1, chainId);
                ps.setString(2, sender.toLowerCase());
                ps.setLong(3, nonce + 1);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update outbox set state = 'SENT', chain_id = ?, sender = ?, nonce = ?, tx_hash = ?, "
                    + "raw_tx = ?, updated_at = now() where settlement_id = ? and state = 'PENDING'")) {
                ps.setLong(1, chainId);
                ps.setString(2, sender.toLowerCase());
                ps.setLong(3, nonce);
                ps.setString(4, hashAndRaw[0]);
                ps.setString(5, hashAndRaw[1]);
                ps.setString(6, row.settlementId());
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("outbox row " + row.settlementId() + " is no longer PENDING");
                }
            }
            return null;
        });
    }

    public void markMined(String settlementId, long block, String blockHash, long gasUsed) {
        update("update outbox set state = 'MINED', block_number = ?, block_hash = ?, gas_used = ?, updated_at = now() "
                + "where settlement_id = ? and state = 'SENT'", ps -> {
                    ps.setLong(1, block);
                    ps.setString(2, blockHash);
                    ps.setLong(3, gasUsed);
                    ps.setString(4, settlementId);
                });
    }

    public void markConfirmed(String settlementId) {
        update("update outbox set state = 'CONFIRMED', updated_at = now() where settlement_id = ? and state = 'MINED'",
                ps -> ps.setString(1, settlementId));
    }

    /** A mined transaction vanished or moved (reorg, chain restart without its state): back to SENT, same tx. */
    public void markUnmined(String settlementId) {
        update("update outbox set state = 'SENT', block_number = null, block_hash = null, gas_used = null, updated_at = now() "
                + "where settlement_id = ? and state = 'MINED'", ps -> ps.setString(1, settlementId));
    }

    /** The contract has the settlementId but the node has no receipt for our transaction: settled, events unavailable. */
    public void markSettledWithoutReceipt(String settlementId, String note) {
        update("update outbox set state = 'CONFIRMED', error = ?, updated_at = now() where settlement_id = ? and state = 'SENT'", ps -> {
            ps.setString(1, note);
            ps.setString(2, settlementId);
        });
    }

    public void markFailed(String settlementId, String error) {
        update("update outbox set state = 'FAILED', error = ?, updated_at = now() where settlement_id = ?", ps -> {
            ps.setString(1, error);
            ps.setString(2, settlementId);
        });
    }

    /** Records the deposits made by one transaction, in one database transaction. */
    public void recordDeposits(Map<String, Long> amounts, String txHash) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into escrow_deposit(participant, amount, tx_hash) values (?,?,?)")) {
                for (var e : amounts.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setLong(2, e.getValue());
                    ps.setString(3, txHash);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public Map<String, Long> deposits() {
        return sql(c -> {
            Map<String, Long> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select participant, sum(amount) from escrow_deposit group by participant");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    private void update(String q, Binder binder) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(q)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(SqlWork<T> work) {
        try (Connection c = db.connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger database: " + e.getMessage(), e);
        }
    }

    private <T> T tx(SqlWork<T> work) {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger database: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unused")
    private static void setNullableString(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
