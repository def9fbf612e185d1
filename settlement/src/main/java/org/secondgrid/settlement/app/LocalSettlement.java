package org.secondgrid.settlement.app;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.secondgrid.settlement.chain.Anvil;
import org.secondgrid.settlement.chain.Cast;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.Toolchain;
import org.secondgrid.settlement.escrow.EscrowCheck;
import org.secondgrid.settlement.ledger.DaySettlement;
import org.secondgrid.settlement.ledger.Database;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.secondgrid.settlement.ledger.LedgerTrade;
import org.secondgrid.settlement.ledger.MeteredDay;
import org.secondgrid.settlement.ledger.OutboxRow;
import org.secondgrid.settlement.ledger.Reconciler;
import org.secondgrid.settlement.ledger.SettlementService;
import org.secondgrid.settlement.ledger.SettlementSetup;
import org.secondgrid.settlement.ledger.SolutionFile;
import org.secondgrid.settlement.source.GatewayMarketDb;
import org.secondgrid.settlement.source.GatewayStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Settlement in-process, for the demo orchestrator and tests: starts a local anvil (the project-local npm binary) with
 * its state in a data folder, opens the ledger database, deploys the contracts (or finds the recorded deployment),
 * funds escrow, settles a day from the gateway's market database (or from JSON-equivalent records), and returns a
 * summary plus a check of the balances read with {@code cast}, an independent client.
 *
 * <pre>{@code
 * try (LocalSettlement s = LocalSettlement.start(LocalSettlement.Options.defaults(Path.of(".data/demo/settlement")))) {
 *     LocalSettlement.DaySummary d = s.settleFromGateway(gatewayDataSource, "aizu-demo", day, true);
 *     LocalSettlement.CastCheck c = s.castCheck("house-7", day);   // c.matches()
 * }
 * }</pre>
 */
public final class LocalSettlement implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalSettlement.class);

    /**
     * @param dataDir            anvil state ({@code anvil-state.json}) and, without a ledger URL, the embedded ledger database ({@code pg/})
     * @param ledgerDatabaseUrl  PostgreSQL URL of the ledger (e.g. {@code ...?currentSchema=settlement}); null = embedded under dataDir
     * @param imbalanceJpyPerKwh price of imbalance energy with the backup retailer
     * @param batchTrades        trade records per settle transaction
     * @param keepChainState     true: anvil loads and dumps {@code dataDir/anvil-state.json} (a restart keeps balances)
     */
    public record Options(Path dataDir, String ledgerDatabaseUrl, double imbalanceJpyPerKwh, int batchTrades, boolean keepChainState) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            if (batchTrades <= 0) {
                throw new IllegalArgumentException("batchTrades must be > 0, was " + batchTrades);
            }
            if (!(imbalanceJpyPerKwh >= 0)) {
                throw new IllegalArgumentException("imbalanceJpyPerKwh must be >= 0, was " + imbalanceJpyPerKwh);
            }
        }

        public static Options defaults(Path dataDir) {
            return new Options(dataDir, null, 30.0, 400, true);
        }
    }

    /** One participant's day: energy bought/sold (Wh), money paid/received (JPY), and its balances read from the chain. */
    public record ParticipantTotal(String participant, String address, long whBought, long whSold, double paidJpy,
                                   double receivedJpy, double escrowJpy, long certificateWh) {
    }

    /**
     * A settled day: trade records (energy + imbalance), batches and their transactions, the last block, gas, the
     * per-participant totals, whether reconcile found 0 Wh / 0 JPY difference, and what was written to the gateway's
     * {@code settlement_statement} (null when the day did not come from a gateway database).
     */
    public record DaySummary(String market, LocalDate day, int tradeRecords, int energyRecords, int imbalanceRecords, int batches,
                             int confirmed, int failed, List<String> transactions, long lastBlock, long gasUsed,
                             List<ParticipantTotal> participants, boolean reconciled, GatewayStatements.Result statements) {

        /** The same summary with the statements written to the gateway. */
        public DaySummary withStatements(GatewayStatements.Result written) {
            return new DaySummary(market, day, tradeRecords, energyRecords, imbalanceRecords, batches, confirmed, failed,
                    transactions, lastBlock, gasUsed, participants, reconciled, written);
        }
    }

    /** A participant's balances read with {@code cast call} next to what the ledger implies. */
    public record CastCheck(String participant, String address, String escrowCommand, long escrowOnChain, long escrowInLedger,
                            String certificateCommand, long certificateWhOnChain, long certificateWhInLedger) {
        public boolean matches() {
            return escrowOnChain == escrowInLedger && certificateWhOnChain == certificateWhInLedger;
        }
    }

    private final Options options;
    private final Anvil anvil;
    private final Web3j web3j;
    private final Database db;
    private final LedgerStore store;
    private final ChainConfig chain;
    private final Credentials operator;
    private final Deployment deployment;
    private final Toolchain tools;

    private LocalSettlement(Options options, Toolchain tools, Anvil anvil, Web3j web3j, Database db, ChainConfig chain) {
        this.options = options;
        this.tools = tools;
        this.anvil = anvil;
        this.web3j = web3j;
        this.db = db;
        this.store = new LedgerStore(db);
        this.chain = chain;
        this.operator = chain.operator();
        this.deployment = SettlementSetup.ensureDeployment(store, web3j, chain, operator);
    }

    /** Starts anvil on 127.0.0.1 and a free port, opens the ledger and deploys (or finds) the contracts. */
    public static LocalSettlement start(Options options) {
        Toolchain tools = Toolchain.locate();
        Path dir = options.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create settlement data folder " + dir + ": " + e.getMessage());
        }
        Anvil anvil = Anvil.start(tools, options.keepChainState() ? dir.resolve("anvil-state.json") : null);
        Web3j web3j = null;
        Database db = null;
        try {
            web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
            db = options.ledgerDatabaseUrl() == null ? Database.embedded(dir.resolve("pg")) : Database.external(options.ledgerDatabaseUrl());
            LocalSettlement s = new LocalSettlement(options, tools, anvil, web3j, db, ChainConfig.local(anvil.rpcUrl()));
            log.info("settlement on {}: coin {}, settlement {}", anvil.rpcUrl(), s.deployment.coin(), s.deployment.settlement());
            return s;
        } catch (RuntimeException e) {
            if (web3j != null) {
                web3j.shutdown();
            }
            if (db != null) {
                db.close();
            }
            anvil.close();
            throw e;
        }
    }

    public String rpcUrl() {
        return anvil.rpcUrl();
    }

    public long chainId() {
        return chain.chainId();
    }

    public Deployment deployment() {
        return deployment;
    }

    public LedgerStore store() {
        return store;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** The platform deposits these JPY into each participant's escrow (coins minted against yen paid in). */
    public void fund(Map<String, Double> jpyByParticipant) {
        Map<String, Long> units = new TreeMap<>();
        jpyByParticipant.forEach((who, jpy) -> {
            if (jpy == null || !(jpy >= 0)) {
                throw new IllegalArgumentException("deposit of '" + who + "' must be >= 0 JPY, was " + jpy);
            }
            units.put(who, Math.round(jpy * 100));
        });
        SettlementSetup.fundEscrow(store, web3j, chain, operator, deployment, units);
    }

    /** The escrow check at gate closure on this chain (see {@link EscrowCheck}). */
    public EscrowCheck escrowCheck() {
        return new EscrowCheck(store, web3j, deployment, chain.chainId());
    }

    /**
     * Settles {@code market}'s {@code day} from the gateway's database: the final schedule of {@code market_schedule} and
     * what {@code metered_slot} and the chargers' readings measured. Idempotent: a day already settled sends nothing.
     * Then what the confirmed batches settled is written back to the gateway's {@code settlement_statement} (see
     * {@link GatewayStatements}; skipped with a warning when the gateway's schema has no such table).
     *
     * @param topUpEscrow deposit, for every participant who pays, what its escrow lacks for the day (demo convenience)
     */
    public DaySummary settleFromGateway(DataSource gatewayDb, String market, LocalDate day, boolean topUpEscrow) {
        GatewayMarketDb source = new GatewayMarketDb(gatewayDb);
        GatewayMarketDb.FinalSchedule schedule = source.finalSchedule(market, day);
        DaySummary d = settle(schedule.solution(), source.metered(schedule), topUpEscrow);
        return d.withStatements(writeStatements(gatewayDb, market, day));
    }

    /** Writes (upserts) the day's settled statements from this ledger into the gateway's database. */
    public GatewayStatements.Result writeStatements(DataSource gatewayDb, String market, LocalDate day) {
        return new GatewayStatements(gatewayDb).write(store, market, day, chain.chainId(), deployment);
    }

    /** As {@link #settleFromGateway(DataSource, String, LocalDate, boolean)} with the gateway's database by URL. */
    public DaySummary settleFromGateway(String gatewayDbUrl, String market, LocalDate day, boolean topUpEscrow) {
        return settleFromGateway(org.secondgrid.settlement.ledger.Database.dataSource(gatewayDbUrl, "gateway database URL"), market,
                day, topUpEscrow);
    }

    /** Settles a day's solution against metered readings (null = as scheduled). */
    public DaySummary settle(SolutionFile solution, MeteredDay metered, boolean topUpEscrow) {
        DaySettlement.settle(store, web3j, chain, operator, deployment,
                new SettlementService.Options(options.batchTrades(), 120_000), options.imbalanceJpyPerKwh(), solution,
                metered == null ? DaySettlement.asScheduled(solution) : metered, topUpEscrow);
        return summary(solution.market(), solution.deliveryDay());
    }

    /** The summary of a day already planned in the ledger (its outbox rows as they are now). */
    public DaySummary summary(String market, LocalDate day) {
        List<OutboxRow> rows = store.outbox(market, day);
        List<LedgerStore.Row> records = store.ledger(market, day, null);
        Reconciler.Report report = reconcile(day, market);
        Map<String, long[]> totals = new TreeMap<>(); // participant -> [whBought, whSold, paid, received]
        String gridOperator = SettlementSetup.GRID_OPERATOR;
        for (LedgerStore.Row row : records) {
            LedgerTrade t = row.trade();
            long[] b = totals.computeIfAbsent(t.buyer(), k -> new long[4]);
            long[] s = totals.computeIfAbsent(t.seller(), k -> new long[4]);
            long[] f = totals.computeIfAbsent(t.carrier() == null ? gridOperator : t.carrier(), k -> new long[4]);
            if (t.kind() == LedgerTrade.Kind.ENERGY) {
                b[0] += t.wh();
                s[1] += t.wh();
            }
            b[2] += t.amount() + t.fee();
            s[3] += t.amount();
            f[3] += t.fee();
        }
        Map<String, Reconciler.Line> lines = new HashMap<>();
        report.lines().forEach(l -> lines.put(l.participant(), l));
        Map<String, String> addr = store.addresses(totals.keySet());
        List<ParticipantTotal> participants = new ArrayList<>();
        totals.forEach((who, v) -> {
            Reconciler.Line l = lines.get(who);
            participants.add(new ParticipantTotal(who, addr.get(who), v[0], v[1], v[2] / 100.0, v[3] / 100.0,
                    l == null ? 0 : l.chainEscrow() / 100.0, l == null ? 0 : l.chainCert()));
        });
        List<String> txs = rows.stream().map(OutboxRow::txHash).filter(Objects::nonNull).toList();
        long lastBlock = rows.stream().map(OutboxRow::blockNumber).filter(Objects::nonNull).mapToLong(Long::longValue).max().orElse(-1);
        long gas = rows.stream().map(OutboxRow::gasUsed).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        int energy = (int) records.stream().filter(r -> r.trade().kind() == LedgerTrade.Kind.ENERGY).count();
        participants.sort(Comparator.comparing(ParticipantTotal::participant));
        return new DaySummary(market, day, records.size(), energy, records.size() - energy, rows.size(),
                (int) rows.stream().filter(r -> r.state() == OutboxRow.State.CONFIRMED).count(),
                (int) rows.stream().filter(r -> r.state() == OutboxRow.State.FAILED).count(), txs, lastBlock, gas,
                List.copyOf(participants), report.clean(), null);
    }

    /** Reconciles the day (null market = every market of the day) against the chain. */
    public Reconciler.Report reconcile(LocalDate day, String market) {
        try {
            return new Reconciler(store, web3j, deployment, chain.chainId()).reconcile(day, market);
        } catch (IOException e) {
            throw new IllegalStateException("reconcile of " + day + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code participant}'s escrow and its certificates of {@code day}'s month with {@code cast call} (foundry's
     * client, independent of web3j) and puts them next to what the ledger implies (deposits and every settled batch).
     */
    public CastCheck castCheck(String participant, LocalDate day) {
        String address = store.addresses(List.of(participant)).get(participant);
        Reconciler.Report report = reconcile(day, null);
        Reconciler.Line line = report.lines().stream().filter(l -> l.participant().equals(participant)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("participant '" + participant + "' has no settled trade on " + day));
        String month = Integer.toString(day.getYear() * 100 + day.getMonthValue());
        Cast cast = new Cast(tools, anvil.rpcUrl());
        BigInteger escrow = cast.callUint(deployment.settlement(), "escrowOf(address)(uint256)", address);
        BigInteger cert = cast.callUint(deployment.settlement(), "balanceOf(address,uint256)(uint256)", address, month);
        String base = "cast call --rpc-url " + anvil.rpcUrl() + " " + deployment.settlement() + " ";
        return new CastCheck(participant, address, base + "'escrowOf(address)(uint256)' " + address, escrow.longValueExact(),
                line.ledgerEscrow(), base + "'balanceOf(address,uint256)(uint256)' " + address + " " + month,
                cert.longValueExact(), line.ledgerCert());
    }

    /** Stops anvil (its state is dumped to the data folder when kept), the ledger database and the client. */
    @Override
    public void close() {
        web3j.shutdown();
        db.close();
        anvil.close();
    }
}
