package org.secondgrid.settlement.ledger;

import java.io.IOException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.secondgrid.settlement.chain.ChainException;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.SettleCall;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Compares a day's on-chain trade records (the Settled events' packed records) and the participants' balances with the ledger. Per participant: Wh
 * bought (certificates) and net money of the day from events vs ledger; escrow and certificate balances on chain vs
 * what the ledger implies (deposits + every settled day's net; certificates of the day's month).
 */
public final class Reconciler {

    /** One participant's differences (chain minus ledger): Wh and coin units (0.01 JPY). */
    public record Line(String participant, String address, long ledgerWh, long chainWh, long ledgerNet, long chainNet,
                       long ledgerEscrow, long chainEscrow, long ledgerCert, long chainCert) {
        public long whDiff() {
            return chainWh - ledgerWh;
        }

        public long moneyDiff() {
            return chainNet - ledgerNet;
        }

        public long escrowDiff() {
            return chainEscrow - ledgerEscrow;
        }

        public long certDiff() {
            return chainCert - ledgerCert;
        }

        public boolean clean() {
            return whDiff() == 0 && moneyDiff() == 0 && escrowDiff() == 0 && certDiff() == 0;
        }
    }

    /**
     * @param extraSettlements   settlementIds of the day on chain that the ledger does not know (would be double settlement)
     * @param missingSettlements batches of the day the ledger has but the chain has not (yet) settled
     */
    public record Report(LocalDate day, List<Line> lines, int tradesOnChain, int tradesInLedger, List<String> extraSettlements,
                         List<String> missingSettlements) {
        public long totalWhDiff() {
            return lines.stream().mapToLong(l -> Math.abs(l.whDiff()) + Math.abs(l.certDiff())).sum();
        }

        public long totalMoneyDiff() {
            return lines.stream().mapToLong(l -> Math.abs(l.moneyDiff()) + Math.abs(l.escrowDiff())).sum();
        }

        public boolean clean() {
            return totalWhDiff() == 0 && totalMoneyDiff() == 0 && extraSettlements.isEmpty() && missingSettlements.isEmpty()
                    && tradesOnChain == tradesInLedger;
        }
    }

    private final LedgerStore store;
    private final Web3j web3j;
    private final Deployment deployment;
    private final long chainId;

    public Reconciler(LedgerStore store, Web3j web3j, Deployment deployment, long chainId) {
        this.store = store;
        this.web3j = web3j;
        this.deployment = deployment;
        this.chainId = chainId;
    }

    public Report reconcile(LocalDate day) throws IOException {
        return reconcile(day, null);
    }

    /** Reconciles one market's day ({@code market} null = every market of the day). */
    public Report reconcile(LocalDate day, String market) throws IOException {
        Credentials reader = Credentials.create("0x01"); // read-only calls; never signs
        Settlement settlement = deployment.settlement(web3j, reader, chainId);
        String gridOperator;
        try {
            gridOperator = settlement.gridOperator().send().toLowerCase();
        } catch (Exception e) {
            throw new ChainException("cannot read gridOperator: " + e.getMessage(), e);
        }
        Map<String, String> idOf = store.participantsByAddress();
        idOf.putIfAbsent(gridOperator, "grid-operator");

        // ledger side, day D
        Map<String, long[]> ledgerDay = new HashMap<>(); // address -> [whBought, net]
        List<LedgerStore.Row> rows = new ArrayList<>();
        List<OutboxRow> outbox = store.outboxOfDay(day).stream().filter(o -> market == null || o.market().equals(market)).toList();
        for (OutboxRow o : outbox) {
            rows.addAll(store.ledger(o.market(), day, o.batch()));
        }
        for (LedgerStore.Row r : rows) {
            apply(ledgerDay, r.sellerAddr(), r.buyerAddr(), r.carrierAddr() == null ? gridOperator : r.carrierAddr(),
                    r.trade().kind().code(), r.trade().wh(), r.trade().amount(), r.trade().fee());
        }
        // chain side, day D: the records in the Settled events of the day's settle transactions
        Map<String, long[]> chainDay = new HashMap<>();
        Set<String> knownIds = new HashSet<>();
        List<String> missing = new ArrayList<>();
        int onChain = 0;
        for (OutboxRow o : store.allOutbox()) {
            knownIds.add(o.settlementId().toLowerCase());
        }
        for (OutboxRow o : outbox) {
            knownIds.add(o.settlementId().toLowerCase());
            if (o.txHash() == null) {
                missing.add(o.settlementId());
                continue;
            }
            TransactionReceipt receipt = web3j.ethGetTransactionReceipt(o.txHash()).send().getTransactionReceipt().orElse(null);
            if (receipt == null || !receipt.isStatusOK()) {
                missing.add(o.settlementId());
                continue;
            }
            for (SettleCall.ChainTrade e : tradesOf(receipt)) {
                onChain++;
                String carrier = e.carrier().equalsIgnoreCase(SettlementService.ZERO_ADDRESS) ? gridOperator : e.carrier();
                apply(chainDay, e.seller(), e.buyer(), carrier, e.kind(), e.wh(), e.amount(), e.fee());
            }
        }
        List<String> extra = new ArrayList<>();
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, deployment.settlement())
                .addSingleTopic(EventEncoder.encode(Settlement.SETTLED_EVENT));
        for (EthLog.LogResult<?> lr : web3j.ethGetLogs(filter).send().getLogs()) {
            Log log = (Log) lr.get();
            String id = log.getTopics().get(1).toLowerCase();
            long logDay = new BigInteger(log.getData().substring(2, 66), 16).longValueExact();
            if (logDay == day.toEpochDay() && !knownIds.contains(id)) {
                extra.add(id);
            }
        }

        // balances: escrow = deposits + net of every ledger day; certificates of the day's month
        Map<String, Long> deposits = store.deposits();
        Map<String, long[]> ledgerAll = new HashMap<>();
        for (LedgerStore.Row r : store.settledBetween(LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31))) {
            apply(ledgerAll, r.sellerAddr(), r.buyerAddr(), r.carrierAddr() == null ? gridOperator : r.carrierAddr(),
                    r.trade().kind().code(), r.trade().wh(), r.trade().amount(), r.trade().fee());
        }
        Map<String, long[]> ledgerMonth = new HashMap<>();
        for (LedgerStore.Row r : store.settledBetween(day.withDayOfMonth(1), day.withDayOfMonth(day.lengthOfMonth()))) {
            apply(ledgerMonth, r.sellerAddr(), r.buyerAddr(), r.carrierAddr() == null ? gridOperator : r.carrierAddr(),
                    r.trade().kind().code(), r.trade().wh(), r.trade().amount(), r.trade().fee());
        }
        BigInteger month = BigInteger.valueOf(day.getYear() * 100L + day.getMonthValue());
        Set<String> addresses = new HashSet<>(ledgerDay.keySet());
        addresses.addAll(chainDay.keySet());
        Map<String, Line> lines = new TreeMap<>();
        List<String> all = new ArrayList<>(addresses);
        java.util.Collections.sort(all);
        Map<String, Long> escrowOn = new HashMap<>();
        Map<String, Long> certOn = new HashMap<>();
        for (int i = 0; i < all.size(); i += 500) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + 500));
            try {
                List<?> e = settlement.escrowOfBatch(chunk).send();
                List<?> c = settlement.balanceOfBatch(chunk, java.util.Collections.nCopies(chunk.size(), month)).send();
                for (int k = 0; k < chunk.size(); k++) {
                    escrowOn.put(chunk.get(k), ((BigInteger) e.get(k)).longValueExact());
                    certOn.put(chunk.get(k), ((BigInteger) c.get(k)).longValueExact());
                }
            } catch (Exception ex) {
                throw new ChainException("cannot read balances: " + ex.getMessage(), ex);
            }
        }
        for (String a : all) {
            String id = idOf.getOrDefault(a, a);
            long[] l = ledgerDay.getOrDefault(a, new long[2]);
            long[] c = chainDay.getOrDefault(a, new long[2]);
            long expectedEscrow = ledgerAll.getOrDefault(a, new long[2])[1] + deposits.getOrDefault(id, 0L);
            lines.put(id, new Line(id, a, l[0], c[0], l[1], c[1], expectedEscrow, escrowOn.get(a),
                    ledgerMonth.getOrDefault(a, new long[2])[0], certOn.get(a)));
        }
        return new Report(day, List.copyOf(lines.values()), onChain, rows.size(), extra, missing);
    }

    /** Every trade record settled by the transaction of {@code receipt}, decoded from its Settled events. */
    public static List<SettleCall.ChainTrade> tradesOf(TransactionReceipt receipt) {
        List<SettleCall.ChainTrade> out = new ArrayList<>();
        for (Settlement.SettledEventResponse e : Settlement.getSettledEvents(receipt)) {
            out.addAll(SettleCall.unpack(e.parties, e.trades));
        }
        return out;
    }

    private static void apply(Map<String, long[]> m, String seller, String buyer, String feeTo, int kind, long wh, long amount, long fee) {
        long[] b = m.computeIfAbsent(buyer.toLowerCase(), k -> new long[2]);
        if (kind == LedgerTrade.Kind.ENERGY.code()) {
            b[0] += wh;
        }
        b[1] -= amount + fee;
        m.computeIfAbsent(seller.toLowerCase(), k -> new long[2])[1] += amount;
        m.computeIfAbsent(feeTo.toLowerCase(), k -> new long[2])[1] += fee;
    }
}
