package org.secondgrid.settlement.app;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.secondgrid.settlement.chain.Anvil;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.Toolchain;
import org.secondgrid.settlement.ledger.DaySettlement;
import org.secondgrid.settlement.ledger.Database;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.secondgrid.settlement.ledger.MeteredDay;
import org.secondgrid.settlement.ledger.Reconciler;
import org.secondgrid.settlement.ledger.SettlementSetup;
import org.secondgrid.settlement.ledger.SolutionFile;
import org.secondgrid.settlement.source.GatewayMarketDb;
import org.secondgrid.settlement.source.GatewayStatements;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code settlement reconcile --day D [--market M]}, {@code settlement settle --solution S [--metered M] [--fund]},
 * {@code settlement settle --day D --market M --gateway-db URL [--fund]},
 * {@code settlement bench [--sites N] [--evs M] [--seed S]}. Without {@code ETH_RPC_URL} a local anvil runs on a free
 * port with its state kept in the data folder.
 */
public final class SettlementCli {

    private SettlementCli() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println("usage: settlement reconcile --day YYYY-MM-DD [--market M] | settle --solution S.json [--metered M.json] [--fund]"
                    + " | settle --day YYYY-MM-DD --market M --gateway-db postgresql://... [--fund]"
                    + " | bench [--sites N] [--evs M] [--seed S]");
            return;
        }
        try {
            Map<String, String> opts = options(args);
            SettlementConfig config = SettlementConfig.fromEnv(System.getenv());
            int code = switch (args[0]) {
                case "reconcile" -> reconcile(config, opts, out);
                case "settle" -> settle(config, opts, out);
                case "bench" -> SettlementBench.run(config, opts, out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "' (reconcile, settle, bench)");
            };
            System.exit(code);
        } catch (IllegalArgumentException e) {
            System.err.println("settlement: " + e.getMessage());
            System.exit(2);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (a.equals("--fund")) {
                m.put("fund", "true");
            } else if (i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        return m;
    }

    static LocalDate day(Map<String, String> opts) {
        String d = opts.get("day");
        if (d == null) {
            throw new IllegalArgumentException("--day is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(d);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--day must be YYYY-MM-DD, was '" + d + "'");
        }
    }

    /** The chain of the configuration, or a local anvil keeping its state under the data folder. */
    record Chain(Web3j web3j, ChainConfig config, Anvil anvil) implements AutoCloseable {
        static Chain open(SettlementConfig config, boolean mustExist) {
            if (config.chain().rpcUrl() != null) {
                return new Chain(Web3j.build(new HttpService(config.chain().rpcUrl())), config.chain(), null);
            }
            Path state = config.dataDir().toAbsolutePath().resolve("anvil-state.json");
            if (mustExist && !Files.exists(state)) {
                throw new IllegalArgumentException("no chain: ETH_RPC_URL is not set and " + state
                        + " does not exist (settle a day first, e.g. ./secondgrid bench settlement)");
            }
            try {
                Files.createDirectories(state.getParent());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create " + state.getParent() + ": " + e.getMessage());
            }
            Anvil anvil = Anvil.start(Toolchain.locate(), state);
            return new Chain(Web3j.build(new HttpService(anvil.rpcUrl())), config.chain().withRpcUrl(anvil.rpcUrl()), anvil);
        }

        @Override
        public void close() {
            web3j.shutdown();
            if (anvil != null) {
                anvil.close();
            }
        }
    }

    static int reconcile(SettlementConfig config, Map<String, String> opts, PrintStream out) {
        LocalDate day = day(opts);
        String market = opts.get("market");
        try (Database db = Database.fromEnv(config.databaseUrl(), config.dataDir().resolve("pg"));
             Chain chain = Chain.open(config, config.databaseUrl() == null)) {
            LedgerStore store = new LedgerStore(db);
            Deployment d = store.deployment(chain.config().chainId()).orElseThrow(() -> new IllegalArgumentException(
                    "the ledger has no deployment for chain id " + chain.config().chainId()));
            Reconciler.Report r = new Reconciler(store, chain.web3j(), d, chain.config().chainId()).reconcile(day, market);
            print(r, out);
            return r.clean() ? 0 : 1;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reconcile failed: " + e.getMessage(), e);
        }
    }

    static void print(Reconciler.Report r, PrintStream out) {
        out.printf("reconcile %s: %d trade records in the ledger, %d trade records in Settled events on chain%n", r.day(), r.tradesInLedger(), r.tradesOnChain());
        out.printf("%-28s %12s %14s %14s %14s%n", "participant", "diff Wh", "diff JPY", "escrow diff JPY", "cert diff Wh");
        long shown = 0;
        for (Reconciler.Line l : r.lines()) {
            if (!l.clean() || shown < 20) {
                out.printf("%-28s %12d %14.2f %14.2f %14d%n", l.participant(), l.whDiff(), l.moneyDiff() / 100.0,
                        l.escrowDiff() / 100.0, l.certDiff());
                shown++;
            }
        }
        if (r.lines().size() > shown) {
            out.printf("... %d more participants, all 0%n", r.lines().size() - shown);
        }
        r.missingSettlements().forEach(id -> out.println("batch in the ledger but not settled on chain: " + id));
        r.extraSettlements().forEach(id -> out.println("settlement on chain unknown to the ledger: " + id));
        out.printf("participants: %d, total difference: %d Wh, %.2f JPY -> %s%n", r.lines().size(), r.totalWhDiff(),
                r.totalMoneyDiff() / 100.0, r.clean() ? "OK" : "MISMATCH");
    }

    /**
     * {@code settle --solution S.json [--metered M.json] [--fund]} (JSON files) or
     * {@code settle --day D --market M --gateway-db URL [--fund]} (the final schedule and the meters of the gateway's
     * market database; {@code --database-url} is accepted for {@code --gateway-db}).
     */
    static int settle(SettlementConfig config, Map<String, String> opts, PrintStream out) {
        SolutionFile solution;
        MeteredDay metered;
        String gatewayDb = opts.getOrDefault("gateway-db", opts.get("database-url"));
        if (gatewayDb != null) {
            if (opts.containsKey("solution") || opts.containsKey("metered")) {
                throw new IllegalArgumentException("--gateway-db reads the schedule and the meters from the database: "
                        + "drop --solution/--metered");
            }
            String market = opts.get("market");
            if (market == null || market.isBlank()) {
                throw new IllegalArgumentException("--market is required with --gateway-db (e.g. --market aizu-demo)");
            }
            GatewayMarketDb source = GatewayMarketDb.connect(gatewayDb, "--gateway-db");
            GatewayMarketDb.FinalSchedule schedule = source.finalSchedule(market, day(opts));
            solution = schedule.solution();
            metered = source.metered(schedule);
            out.printf("%s %s: final schedule version %d (%s), %d trades, %d meter and charger readings%n", market, schedule.day(),
                    schedule.version(), schedule.source(), solution.trades().size(), metered.readings().size());
        } else {
            String sol = opts.get("solution");
            if (sol == null) {
                throw new IllegalArgumentException("--solution (JSON files) or --day, --market and --gateway-db (the gateway's "
                        + "database) is required");
            }
            solution = SolutionFile.read(Path.of(sol));
            metered = opts.containsKey("metered") ? MeteredDay.read(Path.of(opts.get("metered"))) : DaySettlement.asScheduled(solution);
        }
        try (Database db = Database.fromEnv(config.databaseUrl(), config.dataDir().resolve("pg"));
             Chain chain = Chain.open(config, false)) {
            LedgerStore store = new LedgerStore(db);
            var operator = chain.config().operator();
            Deployment d = SettlementSetup.ensureDeployment(store, chain.web3j(), chain.config(), operator);
            DaySettlement.Result r = DaySettlement.settle(store, chain.web3j(), chain.config(), operator, d, config.serviceOptions(),
                    config.imbalanceJpyPerKwh(), solution, metered, opts.containsKey("fund"));
            out.printf("%s %s: %d trade records, %d batches confirmed, %d failed%n", solution.market(), solution.deliveryDay(),
                    r.records().size(), r.confirmed(), r.failed());
            if (gatewayDb != null) {
                GatewayStatements.Result w = new GatewayStatements(Database.dataSource(gatewayDb, "--gateway-db"))
                        .write(store, solution.market(), solution.deliveryDay(), chain.config().chainId(), d);
                out.println(w.tableMissing() ? "settled statements not written: " + w.skipped()
                        : String.format("%d settled statements written to the gateway database (settlement_statement)", w.written()));
            }
            return r.failed() > 0 ? 1 : 0;
        }
    }
}
