package org.secondgrid.settlement.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.secondgrid.settlement.chain.Anvil;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.chain.Deployment;
import org.secondgrid.settlement.chain.Toolchain;
import org.secondgrid.settlement.ledger.OutboxRow.State;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** The service as a separate JVM, halted (like kill -9) at a crash point, then a fresh JVM finishes: exactly once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessKillIT {

    static final LocalDate DAY = LocalDate.of(2026, 12, 8);

    Anvil anvil;
    Web3j web3j;
    Database db;
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    LedgerStore store;
    ChainConfig config;
    Deployment deployment;
    String databaseUrl;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("settlement-kill");
        anvil = Anvil.start(Toolchain.locate(), null);
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
        databaseUrl = "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
        db = Database.external(databaseUrl);
        store = new LedgerStore(db);
        config = ChainConfig.local(anvil.rpcUrl());
        deployment = SettlementSetup.ensureDeployment(store, web3j, config, config.operator());
    }

    @AfterAll
    void stop() throws Exception {
        web3j.shutdown();
        anvil.close();
        pg.close();
    }

    int runProcess(CrashPoint point, String victim) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingSettler.class.getName(),
                anvil.rpcUrl(), databaseUrl, point.name(), victim)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("settler process ends").isTrue();
        return p.exitValue();
    }

    @ParameterizedTest
    @EnumSource(value = CrashPoint.class, names = {"BEFORE_SEND", "AFTER_SEND", "BEFORE_DB_UPDATE"})
    void aKilledProcessIsResumedByTheNextOneAndSettlesEachRecordOnce(CrashPoint point) throws Exception {
        String market = "kill-" + point.name().toLowerCase();
        SyntheticTown.Day town = SyntheticTown.generate(market, DAY, 30, 3, 100 + point.ordinal(), market + "/");
        List<LedgerTrade> trades = new Allocator(30.0).allocate(town.solution(), town.metered());
        Map<String, Long> need = new HashMap<>();
        SettlementSetup.debits(trades).forEach((k, v) -> need.put(k, v + 100));
        SettlementSetup.fundEscrow(store, web3j, config, config.operator(), deployment, need);
        List<OutboxRow> planned = new SettlementService(db, web3j, config, deployment, config.operator(),
                new SettlementService.Options(40, 60_000), CrashPoint.Hook.NONE).plan(market, DAY, trades);
        assertThat(planned).hasSizeGreaterThan(1);
        String victim = planned.get(1).settlementId();

        assertThat(runProcess(point, victim)).as("first process halted at " + point).isEqualTo(CrashingSettler.HALT_CODE);
        assertThat(store.outbox(market, DAY)).anySatisfy(r -> assertThat(r.state()).isNotEqualTo(State.CONFIRMED));
        assertThat(runProcess(point, "none")).as("second process completes").isZero();

        assertThat(store.outbox(market, DAY)).allSatisfy(r -> assertThat(r.state()).isEqualTo(State.CONFIRMED));
        Reconciler.Report report = new Reconciler(store, web3j, deployment, config.chainId()).reconcile(DAY, market);
        assertThat(report.tradesOnChain()).isEqualTo(trades.size());
        assertThat(report.clean()).as(report.toString()).isTrue();
    }
}
