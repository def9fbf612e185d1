package org.secondgrid.settlement.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.escrow.EscrowCheck;
import org.secondgrid.settlement.ledger.Allocator;
import org.secondgrid.settlement.ledger.LedgerTrade;
import org.secondgrid.settlement.ledger.LedgerTrade.Kind;
import org.secondgrid.settlement.ledger.MeteredDay;
import org.secondgrid.settlement.source.GatewayFixture;
import org.secondgrid.settlement.source.GatewayMarketDb;

/**
 * A day settled from a gateway-shaped market database (final schedule, metered slots, charger readings) on a real
 * anvil through the in-process API the demo uses, the CLI's {@code --gateway-db} path, and the escrow check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewaySettlementIT {

    static final String MARKET = GatewayFixture.MARKET;
    GatewayFixture gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayFixture();
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void readsTheLatestFinalScheduleAndWhatMetersAndChargersMeasured() {
        GatewayMarketDb db = new GatewayMarketDb(gateway.dataSource);
        GatewayMarketDb.FinalSchedule schedule = db.finalSchedule(MARKET, GatewayFixture.DAY);
        assertThat(schedule.version()).isEqualTo(3);
        assertThat(schedule.solution().trades()).extracting(t -> t.kwhDelivered()).containsExactly(1.0, 2.0);

        MeteredDay metered = db.metered(schedule);
        Map<String, Double> kwh = new HashMap<>();
        metered.readings().forEach(r -> kwh.put(r.party() + "@" + r.slot(), r.kwh()));
        assertThat(kwh).containsOnly(
                Map.entry("s1@24", 1.0),  // seller's export meter
                Map.entry("b1@24", 0.8),  // buyer's import meter
                Map.entry("ev-1@36", 1.5), // what ev-1's charger discharged in slot 36 (not the other market's charger)
                Map.entry("b2@36", 2.0)); // min(scheduled 2.0, import 0.5 + 1.5 discharged at b2)

        // allocation (README rule), imbalance at 30 JPY/kWh
        List<LedgerTrade> records = new Allocator(30.0).allocate(schedule.solution(), metered);
        assertThat(records).containsExactlyInAnyOrder(
                new LedgerTrade("s1", "b1", null, 24, Kind.ENERGY, 800, 960, 640),
                new LedgerTrade("s1", "b2", "ev-1", 36, Kind.ENERGY, 1_500, 1_500, 750),
                new LedgerTrade(LedgerTrade.RETAILER, "b1", null, 24, Kind.IMBALANCE, 200, 600, 0),   // b1 took 0.2 kWh less
                new LedgerTrade("s1", LedgerTrade.RETAILER, null, 24, Kind.IMBALANCE, 200, 600, 0),   // s1's stranded 0.2 kWh
                new LedgerTrade(LedgerTrade.RETAILER, "ev-1", null, 36, Kind.IMBALANCE, 500, 1_500, 0)); // ev-1 0.5 kWh short

        assertThatThrownBy(() -> db.finalSchedule("no-such-market", GatewayFixture.DAY))
                .hasMessageContaining("no-such-market").hasMessageContaining("final");
    }

    @Test
    void theDemoApiSettlesADayFromTheGatewayDatabaseAndCastReadsTheLedgersBalances() throws Exception {
        Path dir = Files.createTempDirectory("local-settlement");
        try (LocalSettlement s = LocalSettlement.start(new LocalSettlement.Options(dir, null, 30.0, 400, true))) {
            LocalSettlement.DaySummary d = s.settleFromGateway(gateway.dataSource, MARKET, GatewayFixture.DAY, true);
            assertThat(d.tradeRecords()).isEqualTo(5);
            assertThat(d.energyRecords()).isEqualTo(2);
            assertThat(d.batches()).isEqualTo(1);
            assertThat(d.confirmed()).isEqualTo(1);
            assertThat(d.failed()).isZero();
            assertThat(d.transactions()).hasSize(1);
            assertThat(d.lastBlock()).isPositive();
            assertThat(d.gasUsed()).isPositive();
            assertThat(d.reconciled()).isTrue();
            Map<String, LocalSettlement.ParticipantTotal> p = new HashMap<>();
            d.participants().forEach(t -> p.put(t.participant(), t));
            // b1 was topped up with exactly what it pays: 9.60 + 6.40 fee + 6.00 imbalance
            assertThat(p.get("b1")).satisfies(t -> {
                assertThat(t.whBought()).isEqualTo(800);
                assertThat(t.paidJpy()).isEqualTo(22.0);
                assertThat(t.escrowJpy()).isZero();
                assertThat(t.certificateWh()).isEqualTo(800);
            });
            assertThat(p.get("s1")).satisfies(t -> {
                assertThat(t.whSold()).isEqualTo(2_300);
                assertThat(t.receivedJpy()).isEqualTo(30.6);
                assertThat(t.escrowJpy()).isEqualTo(30.6);
            });
            assertThat(p.get("ev-1").receivedJpy()).isEqualTo(7.5);
            assertThat(p.get("ev-1").paidJpy()).isEqualTo(15.0);
            assertThat(p.get("b2").certificateWh()).isEqualTo(1_500);

            // cast, an independent client, reads the same balances the ledger implies
            LocalSettlement.CastCheck b1 = s.castCheck("b1", GatewayFixture.DAY);
            assertThat(b1.matches()).as(b1.toString()).isTrue();
            assertThat(b1.certificateWhOnChain()).isEqualTo(800);
            assertThat(b1.escrowCommand()).startsWith("cast call --rpc-url " + s.rpcUrl());
            LocalSettlement.CastCheck s1 = s.castCheck("s1", GatewayFixture.DAY);
            assertThat(s1.matches()).as(s1.toString()).isTrue();
            assertThat(s1.escrowOnChain()).isEqualTo(3_060);

            // settling the day again sends nothing
            LocalSettlement.DaySummary again = s.settleFromGateway(gateway.dataSource, MARKET, GatewayFixture.DAY, true);
            assertThat(again.transactions()).isEqualTo(d.transactions());
            assertThat(s.castCheck("b1", GatewayFixture.DAY).escrowOnChain()).isZero();
        }
    }

    @Test
    void theSettledDayIsWrittenToTheGatewaysStatementsAsTheLedgerRecordedIt() throws Exception {
        gateway.downgradeFromStatements();
        Path dir = Files.createTempDirectory("statements");
        try (LocalSettlement s = LocalSettlement.start(new LocalSettlement.Options(dir, null, 30.0, 400, false))) {
            // an older gateway schema: settled all the same, the statements are skipped with a reason
            LocalSettlement.DaySummary d = s.settleFromGateway(gateway.dataSource, MARKET, GatewayFixture.DAY, true);
            assertThat(d.confirmed()).isEqualTo(1);
            assertThat(d.statements().tableMissing()).isTrue();
            assertThat(d.statements().skipped()).contains("settlement_statement").contains("V40");

            gateway.upgradeToStatements();
            LocalSettlement.DaySummary again = s.settleFromGateway(gateway.dataSource, MARKET, GatewayFixture.DAY, true);
            assertThat(again.transactions()).as("nothing sent twice").isEqualTo(d.transactions());
            // s1, b1, b2 and ev-1 are in the registry; the backup retailer is not (grid fees name no party in the ledger)
            assertThat(again.statements().written()).isEqualTo(4);
            assertThat(again.statements().partiesWithoutOwner()).isEqualTo(1);
            Map<String, Map<String, Object>> rows = statements();
            assertThat(rows.keySet()).containsExactlyInAnyOrder("s1", "b1", "b2", "ev-1");
            // every figure is the ledger's: the per-participant totals of the settled batches
            for (LocalSettlement.ParticipantTotal p : again.participants()) {
                Map<String, Object> r = rows.get(p.participant());
                if (r == null) {
                    assertThat(p.participant()).isIn("grid-operator", org.secondgrid.settlement.ledger.LedgerTrade.RETAILER);
                    continue;
                }
                assertThat(r.get("wh_sold")).as(p.participant()).isEqualTo(p.whSold());
                assertThat(r.get("wh_bought")).as(p.participant()).isEqualTo(p.whBought());
                assertThat(((java.math.BigDecimal) r.get("jpy_paid")).doubleValue()).as(p.participant()).isEqualTo(p.paidJpy());
                assertThat(((java.math.BigDecimal) r.get("jpy_received")).doubleValue()).as(p.participant()).isEqualTo(p.receivedJpy());
                assertThat(r.get("party_address")).as(p.participant()).isEqualTo(p.address());
                assertThat(r.get("certificate_wh")).as(p.participant()).isEqualTo(p.certificateWh());
                assertThat(r.get("tx_hashes")).isEqualTo(List.of(again.transactions().getFirst()));
                assertThat(r.get("last_block")).isEqualTo(again.lastBlock());
                assertThat(r.get("status")).isEqualTo("confirmed");
                assertThat(r.get("chain_id")).isEqualTo(s.chainId());
                assertThat(r.get("certificate_contract")).isEqualTo(s.deployment().certificate());
                assertThat(r.get("token_id")).isEqualTo(202612L);
            }
            // the figures themselves (settlement/README.md's allocation example): b1 8.00+... and ev-1's fee and shortfall
            assertThat(rows.get("b1")).containsEntry("participant_id", "bea").containsEntry("wh_bought", 800L)
                    .containsEntry("imbalance_wh_bought", 200L).containsEntry("certificate_wh", 800L);
            assertThat(((java.math.BigDecimal) rows.get("b1").get("imbalance_jpy_paid")).doubleValue()).isEqualTo(6.0);
            assertThat(rows.get("ev-1")).containsEntry("participant_id", "ben").containsEntry("party_kind", "ev")
                    .containsEntry("wh_carried", 1_500L).containsEntry("imbalance_wh_bought", 500L);
            assertThat(((java.math.BigDecimal) rows.get("ev-1").get("fees_earned_jpy")).doubleValue()).isEqualTo(7.5);
            assertThat(rows.get("s1")).containsEntry("wh_sold", 2_300L).containsEntry("imbalance_wh_sold", 200L);
            // a second write is an idempotent upsert: same rows, first settled_at kept
            Object settledAt = rows.get("s1").get("settled_at");
            assertThat(s.writeStatements(gateway.dataSource, MARKET, GatewayFixture.DAY).written()).isEqualTo(4);
            Map<String, Map<String, Object>> rewritten = statements();
            assertThat(rewritten.get("s1").get("settled_at")).isEqualTo(settledAt);
            rewritten.values().forEach(r -> r.remove("updated_at"));
            rows.values().forEach(r -> r.remove("updated_at"));
            assertThat(rewritten).isEqualTo(rows);
        }
        // the CLI writes them too (a new ledger on a new chain: its own transaction)
        SettlementConfig config = new SettlementConfig(dir.resolve("cli"), null, ChainConfig.fromEnv(Map.of()), 30.0, 400);
        String out = run(ps -> SettlementCli.settle(config, Map.of("day", GatewayFixture.DAY.toString(), "market", MARKET,
                "gateway-db", gateway.url(), "fund", "true"), ps), 0);
        assertThat(out).contains("4 settled statements written to the gateway database");
        assertThat(statements()).hasSize(4);
    }

    /** The gateway's settlement_statement rows of the fixture's day, by party, column -> value. */
    private Map<String, Map<String, Object>> statements() throws Exception {
        Map<String, Map<String, Object>> out = new HashMap<>();
        try (var c = gateway.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "select * from settlement_statement where market = '" + MARKET + "' and delivery_day = '" + GatewayFixture.DAY + "'")) {
            var meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(meta.getColumnName(i), v instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : v);
                }
                out.put(rs.getString("party"), row);
            }
        }
        return out;
    }

    @Test
    void escrowCheckAtGateClosureReportsUnfundedBidsFromTheChain() throws Exception {
        Path dir = Files.createTempDirectory("escrow-check");
        try (LocalSettlement s = LocalSettlement.start(new LocalSettlement.Options(dir, null, 30.0, 400, false))) {
            s.fund(Map.of("house-1", 12.50, "house-2", 100.0));
            EscrowCheck check = s.escrowCheck();
            // bids of the day: house-1 1 kWh at 25 JPY (imbalance exposure 30) + 2 kWh at 40 JPY = 110 JPY at most
            Map<String, Double> max = EscrowCheck.maxSpend(List.of(
                    new EscrowCheck.Bid("house-1", 20, 1.0, 25.0), new EscrowCheck.Bid("house-1", 21, 2.0, 40.0),
                    new EscrowCheck.Bid("house-2", 30, 2.5, 20.0), new EscrowCheck.Bid("house-3", 30, 0.1, 20.0)), 30.0);
            assertThat(max).containsOnly(Map.entry("house-1", 110.0), Map.entry("house-2", 75.0), Map.entry("house-3", 3.0));
            List<EscrowCheck.Shortfall> shortfalls = check.shortfalls(max);
            assertThat(shortfalls).extracting(EscrowCheck.Shortfall::buyer).containsExactly("house-1", "house-3");
            assertThat(shortfalls.get(0).neededUnits()).isEqualTo(11_000);
            assertThat(shortfalls.get(0).escrowUnits()).isEqualTo(1_250);
            assertThat(shortfalls.get(0).missingJpy()).isEqualTo(97.5);
            assertThat(shortfalls.get(1).escrowUnits()).isZero(); // never deposited
            assertThat(check.shortfalls(Map.of("house-1", 12.50))).isEmpty();
            assertThat(check.shortfalls(Map.of("house-1", 12.51))).singleElement()
                    .satisfies(x -> assertThat(x.missingUnits()).isEqualTo(1));
            // escrow still committed to the previous day's bids counts against it
            assertThat(check.shortfalls(Map.of("house-2", 75.0), Map.of("house-2", 30.0))).singleElement()
                    .satisfies(x -> assertThat(x.missingJpy()).isEqualTo(5.0));
            assertThat(check.missingJpyByBuyer(max)).containsOnly(Map.entry("house-1", 97.5), Map.entry("house-3", 3.0));
            assertThatThrownBy(() -> check.shortfalls(Map.of("house-1", -1.0))).hasMessageContaining("house-1")
                    .hasMessageContaining("-1.0");
        }
    }

    @Test
    void theCliSettlesADayFromTheGatewayDatabase() throws Exception {
        Path dir = Files.createTempDirectory("settlement-cli-gateway");
        SettlementConfig config = new SettlementConfig(dir.resolve("data"), null, ChainConfig.fromEnv(Map.of()), 30.0, 400);
        Map<String, String> opts = Map.of("day", GatewayFixture.DAY.toString(), "market", MARKET, "gateway-db", gateway.url(),
                "fund", "true");
        String out = run(ps -> SettlementCli.settle(config, opts, ps), 0);
        assertThat(out).contains("final schedule version 3 (matcher), 2 trades, 4 meter and charger readings")
                .contains("5 trade records, 1 batches confirmed, 0 failed");
        assertThat(run(ps -> SettlementCli.reconcile(config, Map.of("day", GatewayFixture.DAY.toString()), ps), 0))
                .contains("total difference: 0 Wh, 0.00 JPY -> OK");
        assertThatThrownBy(() -> SettlementCli.settle(config, Map.of("day", "2026-12-08", "gateway-db", gateway.url()), System.out))
                .hasMessageContaining("--market");
        assertThatThrownBy(() -> SettlementCli.settle(config, Map.of("day", "2026-12-08", "market", MARKET, "gateway-db",
                "not a url"), System.out)).hasMessageContaining("--gateway-db");
    }

    static String run(java.util.function.ToIntFunction<PrintStream> command, int expectedCode) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = command.applyAsInt(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isEqualTo(expectedCode);
        return out;
    }
}
