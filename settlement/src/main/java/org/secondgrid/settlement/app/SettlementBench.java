package org.secondgrid.settlement.app;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.secondgrid.settlement.chain.Anvil;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.DevAccounts;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.Toolchain;
import org.secondgrid.settlement.contracts.generated.RegionalCoin;
import org.secondgrid.settlement.ledger.Allocator;
import org.secondgrid.settlement.ledger.CrashPoint;
import org.secondgrid.settlement.ledger.Database;
import org.secondgrid.settlement.ledger.LedgerStore;
import org.secondgrid.settlement.ledger.LedgerTrade;
import org.secondgrid.settlement.ledger.OutboxRow;
import org.secondgrid.settlement.ledger.Reconciler;
import org.secondgrid.settlement.ledger.SettlementService;
import org.secondgrid.settlement.ledger.SettlementSetup;
import org.secondgrid.settlement.ledger.SyntheticTown;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code ./secondgrid bench settlement}: settles a generated day of a large town on a fresh local anvil and prints gas
 * per settled trade record next to one plain ERC-20 transfer measured in the same run, and the time to settle the day.
 * The run's ledger and chain state stay in {@code <data dir>-bench} for {@code reconcile}.
 */
final class SettlementBench {

    private SettlementBench() {
    }

    static int run(SettlementConfig config, Map<String, String> opts, PrintStream out) {
        int sites = intOpt(opts, "sites", 5_000);
        int evs = intOpt(opts, "evs", 500);
        long seed = intOpt(opts, "seed", 7);
        LocalDate day = LocalDate.of(2026, 12, 5);
        String market = "bench-town";
        Path dir = Path.of(config.dataDir().toString() + "-bench").toAbsolutePath();
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + dir + ": " + e.getMessage());
        }
        try (Anvil anvil = Anvil.start(Toolchain.locate(), dir.resolve("anvil-state.json"));
             Database db = Database.embedded(dir.resolve("pg"))) {
            Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
            ChainConfig chain = ChainConfig.local(anvil.rpcUrl());
            Credentials operator = chain.operator();
            LedgerStore store = new LedgerStore(db);
            Deployment d = SettlementSetup.ensureDeployment(store, web3j, chain, operator);

            // baseline: one plain ERC-20 transfer between two funded accounts
            long transferGas = erc20TransferGas(web3j, chain, operator, d);

            out.printf("settlement bench: %d sites, %d EVs, seed %d, batches of <= %d records%n", sites, evs, seed, config.batchTrades());
            out.printf("  plain ERC-20 transfer (funded -> funded) in the same run: %,d gas%n", transferGas);
            boolean ok = true;
            // day 1 on fresh accounts (first storage write of every seller's account word), day 2 in steady state, and the
            // first day of the next month (every buyer's certificates of the old month move out of its account word)
            List<LocalDate> days = List.of(day, day.plusDays(1), day.withDayOfMonth(1).plusMonths(1));
            List<String> labels = List.of("day 1, fresh accounts", "day 2, steady state", "first day of a new month");
            for (int k = 0; k < days.size(); k++) {
                ok &= settleDay(config, store, web3j, chain, operator, d, market, days.get(k), sites, evs, seed + k,
                        transferGas, labels.get(k), out);
            }
            web3j.shutdown();
            out.printf("  state kept in %s: SETTLEMENT_DATA_DIR=%s ./secondgrid reconcile --day %s%n", dir,
                    config.dataDir() + "-bench", day);
            return ok ? 0 : 1;
        } catch (IOException e) {
            throw new IllegalStateException("bench failed: " + e.getMessage(), e);
        }
    }

    private static boolean settleDay(SettlementConfig config, LedgerStore store, Web3j web3j, ChainConfig chain, Credentials operator,
                                     Deployment d, String market, LocalDate day, int sites, int evs, long seed, long transferGas,
                                     String label, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        SyntheticTown.Day town = SyntheticTown.generate(market, day, sites, evs, seed);
        List<LedgerTrade> trades = new Allocator(config.imbalanceJpyPerKwh()).allocate(town.solution(), town.metered());
        long tAlloc = System.nanoTime();
        Map<String, Long> need = new HashMap<>();
        SettlementSetup.debits(trades).forEach((k, v) -> need.put(k, v + 100));
        SettlementSetup.fundEscrow(store, web3j, chain, operator, d, need);
        long tFund = System.nanoTime();

        SettlementService service = new SettlementService(store.database(), web3j, chain, d, operator, config.serviceOptions(),
                CrashPoint.Hook.NONE);
        service.plan(market, day, trades);
        List<OutboxRow> rows = service.run().stream().filter(r -> r.day().equals(day)).toList();
        long tSettle = System.nanoTime();

        long gas = rows.stream().filter(r -> r.gasUsed() != null).mapToLong(OutboxRow::gasUsed).sum();
        long confirmed = rows.stream().filter(r -> r.state() == OutboxRow.State.CONFIRMED).count();
        long energy = trades.stream().filter(t -> t.kind() == LedgerTrade.Kind.ENERGY).count();
        double perTrade = (double) gas / trades.size();
        Reconciler.Report report = new Reconciler(store, web3j, d, chain.chainId()).reconcile(day, market);
        out.printf("  %s (%s):%n", day, label);
        out.printf("    solution trades %d -> trade records %d (%d energy, %d imbalance), participants %d, batches %d, confirmed %d%n",
                town.solution().trades().size(), trades.size(), energy, trades.size() - energy, report.lines().size(), rows.size(),
                confirmed);
        out.printf("    gas %,d / %d records = %.0f gas per settled trade record = %.3f x ERC-20 transfer (goal <= 0.3)%n",
                gas, trades.size(), perTrade, perTrade / transferGas);
        out.printf("    time: allocate %.2f s, escrow top-up %.2f s, settle the day (plan + outbox to confirmed) %.2f s (goal <= 60 s)%n",
                (tAlloc - t0) / 1e9, (tFund - tAlloc) / 1e9, (tSettle - tFund) / 1e9);
        out.printf("    reconcile: %d Wh, %.2f JPY difference -> %s%n", report.totalWhDiff(), report.totalMoneyDiff() / 100.0,
                report.clean() ? "OK" : "MISMATCH");
        return report.clean() && confirmed == rows.size();
    }

    private static long erc20TransferGas(Web3j web3j, ChainConfig chain, Credentials operator, Deployment d) {
        Credentials a = DevAccounts.get(1);
        Credentials b = DevAccounts.get(2);
        try {
            RegionalCoin coinOp = d.coin(web3j, operator, chain.chainId());
            coinOp.mint(a.getAddress(), BigInteger.valueOf(1_000_000)).send();
            coinOp.mint(b.getAddress(), BigInteger.valueOf(1_000_000)).send();
            return d.coin(web3j, a, chain.chainId()).transfer(b.getAddress(), BigInteger.valueOf(12_345)).send()
                    .getGasUsed().longValueExact();
        } catch (Exception e) {
            throw new IllegalStateException("ERC-20 baseline transfer failed: " + e.getMessage(), e);
        }
    }

    private static int intOpt(Map<String, String> opts, String name, int dflt) {
        String v = opts.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a non-negative integer, was '" + v + "'");
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot clear " + dir + ": " + e.getMessage());
        }
    }
}
