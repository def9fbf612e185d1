package org.secondgrid.settlement.ledger;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.secondgrid.settlement.chain.AccountTxManager;
import org.secondgrid.settlement.chain.AccountTxManager.SignedTx;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.ChainException;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.SettleCall;
import org.secondgrid.settlement.chain.SettleCall.ChainTrade;
import org.secondgrid.settlement.ledger.OutboxRow.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Settles ledger batches on chain exactly once through the outbox. Every step is recorded before the next one
 * starts, so a new instance on the same database resumes where a dead one stopped: PENDING rows get a nonce and a
 * signed transaction (stored with its hash) before anything is broadcast; SENT rows are looked up by hash and, if
 * the node does not know them, the identical signed bytes are broadcast again (same nonce, same hash); MINED rows
 * become CONFIRMED after N blocks. Batches go out in order, one in flight per account.
 */
public final class SettlementService {

    private static final Logger log = LoggerFactory.getLogger(SettlementService.class);
    public static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    /** @param maxTradesPerBatch trade records per settle transaction (sized to stay well under the block gas limit) */
    public record Options(int maxTradesPerBatch, long retryForMillis) {
        public Options {
            if (maxTradesPerBatch <= 0) {
                throw new IllegalArgumentException("SETTLEMENT_BATCH_TRADES must be > 0, was " + maxTradesPerBatch);
            }
        }

        public static Options defaults() {
            return new Options(400, 120_000);
        }
    }

    private final LedgerStore store;
    private final ChainConfig config;
    private final Deployment deployment;
    private final AccountTxManager tm;
    private final Web3j web3j;
    private final Options options;
    private final CrashPoint.Hook hook;
    private final Credentials operator;

    public SettlementService(Database db, Web3j web3j, ChainConfig config, Deployment deployment, Credentials operator,
                             Options options, CrashPoint.Hook hook) {
        this.store = new LedgerStore(db);
        this.web3j = web3j;
        this.config = config;
        this.deployment = deployment;
        this.tm = AccountTxManager.of(web3j, operator, config.chainId());
        this.options = options;
        this.hook = hook;
        this.operator = operator;
    }

    public LedgerStore store() {
        return store;
    }

    /**
     * Records a day's trade records in the ledger and the outbox (idempotent: a day already planned is left as it
     * is). Records are sorted by buyer address (the contract nets each buyer's run into one update) and cut into
     * batches of at most {@code maxTradesPerBatch}; each batch gets its deterministic settlementId.
     */
    public List<OutboxRow> plan(String market, LocalDate day, List<LedgerTrade> trades) {
        if (store.planned(market, day)) {
            log.info("{} {} already planned; resuming its outbox", market, day);
            return store.outbox(market, day);
        }
        Set<String> parties = new HashSet<>();
        for (LedgerTrade t : trades) {
            parties.add(t.seller());
            parties.add(t.buyer());
            if (t.carrier() != null) {
                parties.add(t.carrier());
            }
        }
        Map<String, String> addr = store.addresses(parties);
        List<LedgerStore.Row> rows = new ArrayList<>();
        for (LedgerTrade t : trades) {
            rows.add(new LedgerStore.Row(0, 0, t, addr.get(t.seller()), addr.get(t.buyer()),
                    t.carrier() == null ? null : addr.get(t.carrier())));
        }
        rows = localityOrder(rows);
        List<List<LedgerStore.Row>> batches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += options.maxTradesPerBatch()) {
            List<LedgerStore.Row> b = new ArrayList<>();
            List<LedgerStore.Row> slice = rows.subList(i, Math.min(rows.size(), i + options.maxTradesPerBatch()));
            for (int s = 0; s < slice.size(); s++) {
                LedgerStore.Row r = slice.get(s);
                b.add(new LedgerStore.Row(batches.size(), s, r.trade(), r.sellerAddr(), r.buyerAddr(), r.carrierAddr()));
            }
            batches.add(b);
        }
        store.insertPlan(market, day, batches);
        log.info("{} {}: {} trade records in {} batches", market, day, rows.size(), batches.size());
        return store.outbox(market, day);
    }

    /**
     * Orders records so that each buyer's records are contiguous (the contract nets a run of one buyer into one
     * escrow debit and one certificate mint) and buyers that share sellers are close (breadth-first over the
     * buyer-seller graph, ignoring the backup retailer, who trades with everyone): a batch then touches fewer
     * distinct accounts, and every account's first (cold) storage access in a transaction is the expensive one.
     * Deterministic: the same records always give the same order, hence the same batches and settlementIds.
     */
    static List<LedgerStore.Row> localityOrder(List<LedgerStore.Row> rows) {
        Comparator<LedgerStore.Row> within = Comparator.comparingInt((LedgerStore.Row r) -> r.trade().slot())
                .thenComparing(r -> r.trade().seller()).thenComparing(r -> r.trade().kind())
                .thenComparing(r -> String.valueOf(r.trade().carrier())).thenComparingLong(r -> r.trade().wh())
                .thenComparingLong(r -> r.trade().amount()).thenComparingLong(r -> r.trade().fee());
        java.util.TreeMap<String, List<LedgerStore.Row>> byBuyer = new java.util.TreeMap<>();
        java.util.TreeMap<String, java.util.TreeSet<String>> buyersOfSeller = new java.util.TreeMap<>();
        for (LedgerStore.Row r : rows) {
            byBuyer.computeIfAbsent(r.trade().buyer(), k -> new ArrayList<>()).add(r);
            if (!r.trade().seller().equals(LedgerTrade.RETAILER) && !r.trade().buyer().equals(LedgerTrade.RETAILER)) {
                buyersOfSeller.computeIfAbsent(r.trade().seller(), k -> new java.util.TreeSet<>()).add(r.trade().buyer());
            }
        }
        List<LedgerStore.Row> out = new ArrayList<>(rows.size());
        Set<String> seen = new HashSet<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
        for (String start : byBuyer.keySet()) {
            if (!seen.add(start)) {
                continue;
            }
            queue.add(start);
            while (!queue.isEmpty()) {
                String buyer = queue.poll();
                List<LedgerStore.Row> own = byBuyer.get(buyer);
                own.sort(within);
                out.addAll(own);
                java.util.TreeSet<String> sellers = new java.util.TreeSet<>();
                own.forEach(r -> sellers.add(r.trade().seller()));
                for (String seller : sellers) {
                    for (String next : buyersOfSeller.getOrDefault(seller, new java.util.TreeSet<>())) {
                        if (seen.add(next)) {
                            queue.add(next);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Works the outbox until every batch is CONFIRMED or FAILED; returns the final rows. */
    public List<OutboxRow> run() {
        long deadline = System.currentTimeMillis() + options.retryForMillis();
        while (true) {
            List<OutboxRow> open = store.unfinished();
            if (open.isEmpty()) {
                return store.allOutbox();
            }
            OutboxRow row = open.getFirst();
            try {
                switch (row.state()) {
                    case PENDING -> signAndSend(row);
                    case SENT -> pollSent(row);
                    case MINED -> confirm(row);
                    default -> throw new IllegalStateException("unexpected state " + row.state());
                }
                deadline = System.currentTimeMillis() + options.retryForMillis();
            } catch (ChainException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                log.warn("chain not reachable or refused ({}); batch {} stays {}, retrying", e.getMessage(), row.settlementId(), row.state());
                sleep(Math.max(200, config.pollMillis() * 5));
            }
        }
    }

    private void signAndSend(OutboxRow row) {
        hook.at(CrashPoint.BEFORE_SIGN, row.settlementId());
        List<ChainTrade> trades = store.ledger(row.market(), row.day(), row.batch()).stream()
                .map(r -> new ChainTrade(r.sellerAddr(), r.buyerAddr(), r.carrierAddr() == null ? ZERO_ADDRESS : r.carrierAddr(),
                        r.trade().slot(), r.trade().kind().code(), r.trade().wh(), r.trade().amount(), r.trade().fee()))
                .toList();
        String data = SettleCall.encode(row.settlementId(), row.day().toEpochDay(), trades);
        BigInteger estimate;
        try {
            estimate = tm.estimateGas(deployment.settlement(), data);
        } catch (ChainException e) {
            if (e.getMessage().contains("revert") || e.getMessage().contains("execution")) {
                store.markFailed(row.settlementId(), "settle would revert: " + e.getMessage());
                log.error("batch {} ({} {} #{}) would revert, marked FAILED: {}", row.settlementId(), row.market(), row.day(),
                        row.batch(), e.getMessage());
                return;
            }
            throw e;
        }
        BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(30_000));
        BigInteger blockLimit = blockGasLimit();
        if (gasLimit.compareTo(blockLimit) > 0) {
            throw new IllegalStateException("batch " + row.settlementId() + " needs " + gasLimit + " gas, over the block gas limit "
                    + blockLimit + ": lower SETTLEMENT_BATCH_TRADES (now " + options.maxTradesPerBatch() + ")");
        }
        BigInteger gasPrice = tm.gasPrice();
        long minedNonce = tm.minedNonce();
        store.markSent(row, config.chainId(), tm.address(), stored -> Math.max(stored, minedNonce), nonce -> {
            SignedTx tx = tm.sign(nonce, deployment.settlement(), data, gasLimit, gasPrice);
            return new String[] {tx.hash(), tx.raw()};
        });
        OutboxRow sent = store.outbox(row.market(), row.day()).stream()
                .filter(r -> r.settlementId().equals(row.settlementId())).findFirst().orElseThrow();
        log.info("batch {} #{} signed: nonce {} tx {}", row.day(), row.batch(), sent.nonce(), sent.txHash());
        hook.at(CrashPoint.BEFORE_SEND, row.settlementId());
        tm.broadcast(new SignedTx(sent.txHash(), sent.nonce(), sent.rawTx()));
        hook.at(CrashPoint.AFTER_SEND, row.settlementId());
    }

    private void pollSent(OutboxRow row) {
        Optional<TransactionReceipt> receipt = tm.receipt(row.txHash());
        if (receipt.isEmpty()) {
            if (!tm.known(row.txHash())) {
                if (tm.minedNonce() > row.nonce()) {
                    if (settledOnChain(row.settlementId())) {
                        // the node executed it but lost the transaction and its receipt (e.g. a dev chain's state
                        // dumped mid-block): the batch IS settled on chain; never send it again
                        store.markSettledWithoutReceipt(row.settlementId(), "node lost tx " + row.txHash()
                                + " and its receipt, but settled(settlementId) is true on chain: events of this batch unavailable");
                        log.error("batch {}: node lost tx {} but the contract has the settlementId; marked CONFIRMED without receipt",
                                row.settlementId(), row.txHash());
                        return;
                    }
                    store.markFailed(row.settlementId(), "nonce " + row.nonce() + " was used by another transaction; tx "
                            + row.txHash() + " can never be mined (settlementId settled on chain: check with reconcile)");
                    log.error("batch {}: nonce {} consumed by another transaction", row.settlementId(), row.nonce());
                    return;
                }
                log.info("tx {} (nonce {}) unknown to the node: broadcasting the identical signed transaction again",
                        row.txHash(), row.nonce());
                tm.broadcast(new SignedTx(row.txHash(), row.nonce(), row.rawTx()));
            }
            sleep(config.pollMillis());
            return;
        }
        TransactionReceipt r = receipt.get();
        hook.at(CrashPoint.BEFORE_DB_UPDATE, row.settlementId());
        if (!r.isStatusOK()) {
            store.markFailed(row.settlementId(), "reverted in block " + r.getBlockNumber() + ": " + r.getRevertReason());
            log.error("batch {} reverted on chain (tx {})", row.settlementId(), row.txHash());
            return;
        }
        store.markMined(row.settlementId(), r.getBlockNumber().longValueExact(), r.getBlockHash(), r.getGasUsed().longValueExact());
        hook.at(CrashPoint.AFTER_MINED, row.settlementId());
    }

    private void confirm(OutboxRow row) {
        long latest = tm.blockNumber();
        if (latest < row.blockNumber() + config.confirmations()) {
            sleep(config.pollMillis());
            return;
        }
        Optional<TransactionReceipt> again = tm.receipt(row.txHash());
        if (again.isEmpty() || !again.get().getBlockHash().equalsIgnoreCase(row.blockHash())) {
            log.warn("tx {} left block {} (reorg or chain restart); back to SENT", row.txHash(), row.blockNumber());
            store.markUnmined(row.settlementId());
            return;
        }
        store.markConfirmed(row.settlementId());
        log.info("batch {} #{} confirmed in block {} ({} gas)", row.day(), row.batch(), row.blockNumber(), row.gasUsed());
    }

    private boolean settledOnChain(String settlementId) {
        try {
            return deployment.settlement(web3j, operator, config.chainId())
                    .settled(org.web3j.utils.Numeric.hexStringToByteArray(settlementId)).send();
        } catch (Exception e) {
            throw new ChainException("settled(" + settlementId + ") failed: " + e.getMessage(), e);
        }
    }

    private BigInteger blockGasLimit() {
        try {
            return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getGasLimit();
        } catch (java.io.IOException e) {
            throw new ChainException("eth_getBlockByNumber failed: " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public State stateOf(String settlementId) {
        return store.allOutbox().stream().filter(r -> r.settlementId().equals(settlementId)).findFirst()
                .map(OutboxRow::state).orElseThrow();
    }
}
