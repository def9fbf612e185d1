package org.secondgrid.settlement.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.secondgrid.settlement.chain.Anvil;
import org.secondgrid.settlement.chain.Cast;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.DevAccounts;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.SettleCall;
import org.secondgrid.settlement.chain.Toolchain;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.secondgrid.settlement.ledger.OutboxRow.State;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** The settlement service on a real anvil and a real (embedded) PostgreSQL: exactly once across crashes and restarts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementServiceIT {

    static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    static final SettlementService.Options SMALL_BATCHES = new SettlementService.Options(40, 60_000);

    Toolchain tools;
    Path stateDir;
    int anvilPort;
    Anvil anvil;
    Web3j web3j;
    Database db;
    LedgerStore store;
    ChainConfig config;
    Credentials operator;
    Deployment deployment;

    @BeforeAll
    void start() throws Exception {
        tools = Toolchain.locate();
        stateDir = Files.createTempDirectory("settlement-it");
        anvilPort = Anvil.freePort();
        anvil = Anvil.start(tools, anvilPort, stateDir.resolve("anvil-state.json"));
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        db = Database.embedded(stateDir.resolve("pg"));
        store = new LedgerStore(db);
        config = ChainConfig.local(anvil.rpcUrl());
        operator = config.operator();
        deployment = SettlementSetup.ensureDeployment(store, web3j, config, operator);
    }

    @AfterAll
    void stop() {
        if (web3j != null) {
            web3j.shutdown();
        }
        if (anvil != null) {
            anvil.close();
        }
        if (db != null) {
            db.close();
        }
    }

    SettlementService service(CrashPoint.Hook hook) {
        return new SettlementService(db, web3j, config, deployment, operator, SMALL_BATCHES, hook);
    }

    /** A day of a small town: allocated, escrow funded (twice what each buyer pays), planned. */
    List<OutboxRow> planDay(String market, long seed) {
        SyntheticTown.Day town = SyntheticTown.generate(market, DAY, 36, 4, seed, market + "/");
        List<LedgerTrade> trades = new Allocator(30.0).allocate(town.solution(), town.metered());
        Map<String, Long> need = new HashMap<>();
        SettlementSetup.debits(trades).forEach((k, v) -> need.put(k, 2 * v + 100));
        SettlementSetup.fundEscrow(store, web3j, config, operator, deployment, need);
        return service(CrashPoint.Hook.NONE).plan(market, DAY, trades);
    }

    /** Number of trade records (in Settled events) and Settled events on chain for the given settlement ids. */
    int[] eventsOnChain(List<OutboxRow> rows) throws Exception {
        int traded = 0;
        int settled = 0;
        for (OutboxRow r : rows) {
            EthFilter f = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, deployment.settlement())
                    .addSingleTopic(org.web3j.abi.EventEncoder.encode(Settlement.SETTLED_EVENT))
                    .addSingleTopic(r.settlementId());
            var logs = web3j.ethGetLogs(f).send().getLogs();
            settled += logs.size();
            for (var l : logs) {
                var receipt = web3j.ethGetTransactionReceipt(((org.web3j.protocol.core.methods.response.Log) l.get()).getTransactionHash())
                        .send().getTransactionReceipt().orElseThrow();
                traded += Reconciler.tradesOf(receipt).size();
            }
        }
        return new int[] {traded, settled};
    }

    void assertSettledExactlyOnce(String market) throws Exception {
        List<OutboxRow> rows = store.outbox(market, DAY);
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.state()).isEqualTo(State.CONFIRMED));
        int ledgerRows = store.ledger(market, DAY, null).size();
        int[] events = eventsOnChain(rows);
        assertThat(events[1]).as("Settled events = batches").isEqualTo(rows.size());
        assertThat(events[0]).as("records in Settled events = ledger rows").isEqualTo(ledgerRows);
        Reconciler.Report report = new Reconciler(store, web3j, deployment, config.chainId()).reconcile(DAY, market);
        assertThat(report.lines()).allSatisfy(l -> assertThat(l.clean()).as(l.toString()).isTrue());
        assertThat(report.clean()).as(report.toString()).isTrue();
    }

    @Test
    void aDaySettlesAndCastReadsTheLedgersBalances() throws Exception {
        String market = "it-day";
        List<OutboxRow> planned = planDay(market, 1);
        assertThat(planned).hasSizeGreaterThan(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(State.PENDING));
        service(CrashPoint.Hook.NONE).run();
        assertSettledExactlyOnce(market);

        // balances through cast, an independent client, equal what the ledger implies
        Cast cast = new Cast(tools, anvil.rpcUrl());
        Map<String, long[]> expected = new HashMap<>(); // participant -> [escrow, certificate Wh]
        Map<String, Long> deposits = store.deposits();
        List<LedgerStore.Row> all = store.ledger(market, DAY, null);
        Map<String, String> addrOf = new HashMap<>();
        for (LedgerStore.Row r : all) {
            addrOf.put(r.trade().seller(), r.sellerAddr());
            addrOf.put(r.trade().buyer(), r.buyerAddr());
            if (r.carrierAddr() != null) {
                addrOf.put(r.trade().carrier(), r.carrierAddr());
            }
            expected.computeIfAbsent(r.trade().seller(), k -> new long[2])[0] += r.trade().amount();
            long[] b = expected.computeIfAbsent(r.trade().buyer(), k -> new long[2]);
            b[0] -= r.trade().amount() + r.trade().fee();
            if (r.trade().kind() == LedgerTrade.Kind.ENERGY) {
                b[1] += r.trade().wh();
            }
            String feeTo = r.trade().carrier() == null ? SettlementSetup.GRID_OPERATOR : r.trade().carrier();
            expected.computeIfAbsent(feeTo, k -> new long[2])[0] += r.trade().fee();
        }
        addrOf.put(SettlementSetup.GRID_OPERATOR, store.addresses(List.of(SettlementSetup.GRID_OPERATOR)).get(SettlementSetup.GRID_OPERATOR));
        int checked = 0;
        for (var e : expected.entrySet()) {
            String who = e.getKey();
            if (who.equals(SettlementSetup.GRID_OPERATOR)) {
                continue; // shared by every test's market
            }
            if (checked++ > 25) {
                break; // cast spawns a process per call: a sample of 26 participants keeps the test quick
            }
            long ledgerEscrow = deposits.getOrDefault(who, 0L) + e.getValue()[0];
            long ledgerCert = e.getValue()[1];
            BigInteger escrow = cast.callUint(deployment.settlement(), "escrowOf(address)(uint256)", addrOf.get(who));
            BigInteger cert = cast.callUint(deployment.certificate(), "balanceOf(address,uint256)(uint256)", addrOf.get(who), "202612");
            assertThat(escrow.longValueExact()).as("escrow of " + who).isEqualTo(ledgerEscrow);
            assertThat(cert.longValueExact()).as("certificate Wh of " + who).isEqualTo(ledgerCert);
        }
        assertThat(checked).isGreaterThan(10);
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashAtEveryStepThenARestartSettlesEveryTradeExactlyOnce(CrashPoint point) throws Exception {
        String market = "it-crash-" + point.name().toLowerCase();
        List<OutboxRow> planned = planDay(market, 2 + point.ordinal());
        String victim = planned.get(1).settlementId();
        AtomicBoolean crashed = new AtomicBoolean();
        CrashPoint.Hook hook = (p, id) -> {
            if (p == point && id.equals(victim) && crashed.compareAndSet(false, true)) {
                throw new CrashPoint.SimulatedCrash(p, id);
            }
        };
        assertThatThrownBy(() -> service(hook).run()).isInstanceOf(CrashPoint.SimulatedCrash.class);
        assertThat(crashed).isTrue();
        // a new service instance (nothing kept in memory) resumes from the outbox
        service(CrashPoint.Hook.NONE).run();
        assertSettledExactlyOnce(market);
    }

    @Test
    void anvilStoppedAndRestartedWithItsStateMidRunCompletes() throws Exception {
        String market = "it-anvil-restart";
        List<OutboxRow> planned = planDay(market, 20);
        String victim = planned.get(1).settlementId();
        AtomicReference<Thread> restarter = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        CrashPoint.Hook hook = (p, id) -> {
            if (p == CrashPoint.AFTER_SEND && id.equals(victim) && stopped.compareAndSet(false, true)) {
                // anvil mines asynchronously after eth_sendRawTransaction returns; a SIGTERM in the middle of mining
                // dumps the new account state without the block (anvil's race, not a real node's behaviour), so stop
                // it once the block is there: the service has sent and not yet seen the receipt
                String hash = store.outbox(market, DAY).stream().filter(r -> r.settlementId().equals(id)).findFirst()
                        .orElseThrow().txHash();
                long until = System.currentTimeMillis() + 10_000;
                try {
                    while (web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().isEmpty()
                            && System.currentTimeMillis() < until) {
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                anvil.close(); // SIGTERM: anvil dumps its state to the --state file
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(1_500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    anvil = Anvil.start(tools, anvilPort, stateDir.resolve("anvil-state.json"));
                });
                t.start();
                restarter.set(t);
            }
        };
        service(hook).run();
        restarter.get().join();
        assertThat(stopped).isTrue();
        assertSettledExactlyOnce(market);
    }

    @Test
    void aReplayedSettlementIdRevertsAndSettlesNothing() throws Exception {
        String market = "it-replay";
        planDay(market, 30);
        service(CrashPoint.Hook.NONE).run();
        assertSettledExactlyOnce(market);
        Reconciler.Report before = new Reconciler(store, web3j, deployment, config.chainId()).reconcile(DAY);

        // the database is lost: a fresh one plans the same trades again, with the same deterministic ids
        List<LedgerTrade> again = store.ledger(market, DAY, null).stream().map(LedgerStore.Row::trade).toList();
        List<OutboxRow> replanned;
        try (Database fresh = Database.embedded(Files.createTempDirectory(stateDir, "lost-db"))) {
            SettlementService other = new SettlementService(fresh, web3j, config, deployment, operator, SMALL_BATCHES,
                    CrashPoint.Hook.NONE);
            replanned = other.plan(market, DAY, again);
            assertThat(replanned).extracting(OutboxRow::settlementId)
                    .containsExactlyElementsOf(store.outbox(market, DAY).stream().map(OutboxRow::settlementId).toList());
            List<OutboxRow> after = other.run();
            assertThat(after).hasSize(replanned.size()).allSatisfy(r -> {
                assertThat(r.state()).isEqualTo(State.FAILED);
                assertThat(r.error()).contains("revert");
            });
        }
        // and a direct replay through the wrapper is a failed transaction
        Settlement s = deployment.settlement(web3j, operator, config.chainId());
        byte[] id = Numeric.hexStringToByteArray(replanned.getFirst().settlementId());
        SettleCall.Packed one = SettleCall.pack(List.of(new SettleCall.ChainTrade(DevAccounts.get(2).getAddress(),
                DevAccounts.get(1).getAddress(), SettleCall.ZERO_ADDRESS, 1, 0, 1, 0, 0)));
        assertThatThrownBy(() -> s.settle(id, BigInteger.valueOf(DAY.toEpochDay()), one.parties(), one.words()).send())
                .isInstanceOf(TransactionException.class);
        // balances did not move
        Map<String, Long> escrowBefore = new HashMap<>();
        before.lines().forEach(l -> escrowBefore.put(l.address(), l.chainEscrow()));
        Settlement reader = deployment.settlement(web3j, operator, config.chainId());
        for (var e : escrowBefore.entrySet()) {
            assertThat(reader.escrowOf(e.getKey()).send().longValueExact()).isEqualTo(e.getValue());
        }
    }

    @Test
    void anUnauthorisedAccountCannotSettle() throws Exception {
        String market = "it-unauthorised";
        List<OutboxRow> planned = planDay(market, 40);
        Credentials intruder = DevAccounts.get(5);
        new SettlementService(db, web3j, config, deployment, intruder, SMALL_BATCHES, CrashPoint.Hook.NONE).run();
        List<OutboxRow> rows = store.outbox(market, DAY);
        assertThat(rows).hasSize(planned.size()).allSatisfy(r -> assertThat(r.state()).isEqualTo(State.FAILED));
        Settlement reader = deployment.settlement(web3j, operator, config.chainId());
        for (OutboxRow r : rows) {
            assertThat(reader.settled(Numeric.hexStringToByteArray(r.settlementId())).send()).isFalse();
        }
        List<OutboxRow> none = new ArrayList<>(rows);
        assertThat(eventsOnChain(none)).containsExactly(0, 0);
    }
}
