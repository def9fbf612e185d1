package org.secondgrid.settlement.source;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.secondgrid.settlement.ledger.LedgerTrade;
import org.secondgrid.settlement.ledger.OutboxRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a settled day really settled into the gateway's read model {@code settlement_statement} (the gateway's
 * migration V40; the gateway serves it at {@code GET /api/money} and {@code /api/tokens}): one row per market day and
 * party (a site or an EV of the gateway's registry, with its owner), summed from the ledger's records of
 * <b>confirmed</b> batches only, with their transactions and last block. Records of batches not (yet) confirmed are left
 * out and counted in {@code unconfirmed_batches} (status {@code partial}); a party without any confirmed batch gets no
 * row. Parties the registry does not know (the grid operator, the backup retailer) get none either. Idempotent: an
 * upsert on (market, delivery_day, party) that keeps the first {@code settled_at}. A gateway database without the table
 * (an older schema) is skipped with a warning.
 */
public final class GatewayStatements {

    private static final Logger log = LoggerFactory.getLogger(GatewayStatements.class);

    /** What a write did: rows written, ledger parties without a row (not in the registry), or why nothing was written. */
    public record Result(int written, int partiesWithoutOwner, int partiesWithoutConfirmedBatch, String skipped) {
        public boolean tableMissing() {
            return skipped != null;
        }
    }

    /** One party's sums (energy in Wh, money in coin units of 0.01 JPY). */
    static final class Sums {
        String address;
        long whSold;
        long whBought;
        long whCarried;
        long imbalanceWhBought;
        long imbalanceWhSold;
        long received;
        long paid;
        long fees;
        long imbalancePaid;
        long imbalanceReceived;
        long certificateWh;
        final Set<Integer> confirmedBatches = new TreeSet<>();
        final Set<Integer> unconfirmedBatches = new TreeSet<>();
    }

    private final DataSource gatewayDb;

    public GatewayStatements(DataSource gatewayDb) {
        this.gatewayDb = gatewayDb;
    }

    /** Whether the gateway's database has the read model's table. */
    public boolean tableExists() {
        try (Connection c = gatewayDb.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select to_regclass('settlement_statement') is not null")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for settlement_statement in the gateway database: " + e.getMessage(), e);
        }
    }

    /**
     * Sums per party of the ledger's records of {@code market}'s {@code day}, counting only batches whose outbox row is
     * CONFIRMED (the others are listed per party as unconfirmed). Pure: no database of the gateway involved.
     */
    static Map<String, Sums> sums(List<LedgerStore.Row> records, Map<Integer, OutboxRow> outboxByBatch) {
        Map<String, Sums> out = new TreeMap<>();
        for (LedgerStore.Row row : records) {
            OutboxRow o = outboxByBatch.get(row.batch());
            boolean confirmed = o != null && o.state() == OutboxRow.State.CONFIRMED;
            LedgerTrade t = row.trade();
            Sums seller = out.computeIfAbsent(t.seller(), k -> new Sums());
            Sums buyer = out.computeIfAbsent(t.buyer(), k -> new Sums());
            Sums carrier = t.carrier() == null ? null : out.computeIfAbsent(t.carrier(), k -> new Sums());
            seller.address = row.sellerAddr();
            buyer.address = row.buyerAddr();
            if (carrier != null) {
                carrier.address = row.carrierAddr();
            }
            for (Sums s : carrier == null ? List.of(seller, buyer) : List.of(seller, buyer, carrier)) {
                (confirmed ? s.confirmedBatches : s.unconfirmedBatches).add(row.batch());
            }
            if (!confirmed) {
                continue;
            }
            seller.received += t.amount();
            buyer.paid += t.amount() + t.fee();
            if (carrier != null) {
                carrier.received += t.fee();
                carrier.fees += t.fee();
            }
            if (t.kind() == LedgerTrade.Kind.ENERGY) {
                seller.whSold += t.wh();
                buyer.whBought += t.wh();
                buyer.certificateWh += t.wh(); // certificates are minted for energy records only
                if (carrier != null) {
                    carrier.whCarried += t.wh();
                }
            } else {
                seller.imbalanceWhSold += t.wh();
                seller.imbalanceReceived += t.amount();
                buyer.imbalanceWhBought += t.wh();
                buyer.imbalancePaid += t.amount() + t.fee();
            }
        }
        return out;
    }

    /** Writes the statements of {@code market}'s {@code day} from {@code store}'s ledger and outbox as they are now. */
    public Result write(LedgerStore store, String market, LocalDate day, long chainId, Deployment deployment) {
        if (!tableExists()) {
            String why = "the gateway database has no table settlement_statement (its schema is older than the gateway's"
                    + " migration V40): the settled statements of " + market + " " + day + " were not written; start the"
                    + " gateway once on that database (Flyway migrates it) and settle the day again (nothing is sent twice)";
            log.warn(why);
            return new Result(0, 0, 0, why);
        }
        Map<Integer, OutboxRow> outbox = new HashMap<>();
        store.outbox(market, day).forEach(o -> outbox.put(o.batch(), o));
        Map<String, Sums> sums = sums(store.ledger(market, day, null), outbox);
        long tokenId = day.getYear() * 100L + day.getMonthValue();
        Instant now = Instant.now();
        int written = 0;
        int noOwner = 0;
        int noConfirmed = 0;
        try (Connection c = gatewayDb.getConnection()) {
            c.setAutoCommit(false);
            Map<String, String[]> owners = owners(c, sums.keySet());
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into settlement_statement (market, delivery_day, party, party_kind, participant_id, wh_sold, wh_bought,
                        wh_carried, imbalance_wh_bought, imbalance_wh_sold, jpy_received, jpy_paid, fees_earned_jpy,
                        imbalance_jpy_paid, imbalance_jpy_received, token_id, certificate_wh, chain_id, coin_contract,
                        certificate_contract, party_address, tx_hashes, last_block, batches, unconfirmed_batches, status,
                        settled_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (market, delivery_day, party) do update set party_kind = excluded.party_kind,
                        participant_id = excluded.participant_id, wh_sold = excluded.wh_sold, wh_bought = excluded.wh_bought,
                        wh_carried = excluded.wh_carried, imbalance_wh_bought = excluded.imbalance_wh_bought,
                        imbalance_wh_sold = excluded.imbalance_wh_sold, jpy_received = excluded.jpy_received,
                        jpy_paid = excluded.jpy_paid, fees_earned_jpy = excluded.fees_earned_jpy,
                        imbalance_jpy_paid = excluded.imbalance_jpy_paid, imbalance_jpy_received = excluded.imbalance_jpy_received,
                        token_id = excluded.token_id, certificate_wh = excluded.certificate_wh, chain_id = excluded.chain_id,
                        coin_contract = excluded.coin_contract, certificate_contract = excluded.certificate_contract,
                        party_address = excluded.party_address, tx_hashes = excluded.tx_hashes, last_block = excluded.last_block,
                        batches = excluded.batches, unconfirmed_batches = excluded.unconfirmed_batches, status = excluded.status,
                        updated_at = excluded.updated_at""")) {
                for (var e : sums.entrySet()) {
                    String party = e.getKey();
                    Sums s = e.getValue();
                    String[] owner = owners.get(party);
                    if (owner == null) {
                        noOwner++;
                        continue;
                    }
                    if (s.confirmedBatches.isEmpty()) {
                        noConfirmed++;
                        continue;
                    }
                    List<String> txs = s.confirmedBatches.stream().map(b -> outbox.get(b).txHash()).toList();
                    long lastBlock = s.confirmedBatches.stream().map(b -> outbox.get(b).blockNumber())
                            .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(-1);
                    int i = 1;
                    ps.setString(i++, market);
                    ps.setObject(i++, day);
                    ps.setString(i++, party);
                    ps.setString(i++, owner[0]);
                    ps.setString(i++, owner[1]);
                    ps.setLong(i++, s.whSold);
                    ps.setLong(i++, s.whBought);
                    ps.setLong(i++, s.whCarried);
                    ps.setLong(i++, s.imbalanceWhBought);
                    ps.setLong(i++, s.imbalanceWhSold);
                    ps.setBigDecimal(i++, jpy(s.received));
                    ps.setBigDecimal(i++, jpy(s.paid));
                    ps.setBigDecimal(i++, jpy(s.fees));
                    ps.setBigDecimal(i++, jpy(s.imbalancePaid));
                    ps.setBigDecimal(i++, jpy(s.imbalanceReceived));
                    ps.setLong(i++, tokenId);
                    ps.setLong(i++, s.certificateWh);
                    ps.setLong(i++, chainId);
                    ps.setString(i++, deployment.coin());
                    ps.setString(i++, deployment.certificate());
                    ps.setString(i++, s.address);
                    ps.setArray(i++, c.createArrayOf("text", txs.toArray()));
                    ps.setLong(i++, lastBlock);
                    ps.setInt(i++, s.confirmedBatches.size());
                    ps.setInt(i++, s.unconfirmedBatches.size());
                    ps.setString(i++, s.unconfirmedBatches.isEmpty() ? "confirmed" : "partial");
                    ps.setTimestamp(i++, Timestamp.from(now));
                    ps.setTimestamp(i, Timestamp.from(now));
                    ps.addBatch();
                    written++;
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write settlement_statement of " + market + " " + day + " to the gateway database: "
                    + e.getMessage(), e);
        }
        log.info("{} {}: {} settled statements written to the gateway database ({} ledger parties not in its registry, {} without"
                + " a confirmed batch)", market, day, written, noOwner, noConfirmed);
        return new Result(written, noOwner, noConfirmed, null);
    }

    private static BigDecimal jpy(long units) {
        return BigDecimal.valueOf(units, 2);
    }

    /** party -> [kind ("site" or "ev"), owner participant id] from the gateway's registry. */
    private static Map<String, String[]> owners(Connection c, Set<String> parties) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        Object[] ids = parties.toArray();
        for (String[] q : List.of(new String[]{"site", "select site_id, owner_id from site where site_id = any(?)"},
                new String[]{"ev", "select ev_id, owner_id from ev where ev_id = any(?)"})) {
            try (PreparedStatement ps = c.prepareStatement(q[1])) {
                ps.setArray(1, c.createArrayOf("text", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.putIfAbsent(rs.getString(1), new String[]{q[0], rs.getString(2)});
                    }
                }
            }
        }
        return out;
    }
}
