package org.secondgrid.settlement.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secondgrid.settlement.chain.ChainConfig;
import org.secondgrid.settlement.ledger.SolutionFile;
import org.secondgrid.settlement.ledger.SyntheticTown;

/** settle then reconcile through the CLI entry points: local anvil with its state and embedded PostgreSQL in a data folder. */
class SettlementCliIT {

    static final LocalDate DAY = LocalDate.of(2026, 12, 7);

    static String run(java.util.function.ToIntFunction<PrintStream> command, int expectedCode) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = command.applyAsInt(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isEqualTo(expectedCode);
        return out;
    }

    @Test
    void settleThenReconcileGivesZeroDifferencesAndASecondSettleChangesNothing() throws Exception {
        Path dir = Files.createTempDirectory("settlement-cli");
        SettlementConfig config = new SettlementConfig(dir.resolve("data"), null, ChainConfig.fromEnv(Map.of()), 30.0, 50);
        SyntheticTown.Day town = SyntheticTown.generate("cli-town", DAY, 30, 3, 11);
        Path solution = dir.resolve("solution.json");
        Path metered = dir.resolve("metered.json");
        SolutionFile.json().writeValue(solution.toFile(), town.solution());
        SolutionFile.json().writeValue(metered.toFile(), town.metered());

        Map<String, String> settle = Map.of("solution", solution.toString(), "metered", metered.toString(), "fund", "true");
        String out = run(ps -> SettlementCli.settle(config, settle, ps), 0);
        assertThat(out).contains("cli-town 2026-12-07").contains("0 failed");
        String rec = run(ps -> SettlementCli.reconcile(config, Map.of("day", DAY.toString()), ps), 0);
        assertThat(rec).contains("total difference: 0 Wh, 0.00 JPY -> OK");

        // the day is already planned and confirmed: settling again sends nothing, reconcile stays clean
        run(ps -> SettlementCli.settle(config, Map.of("solution", solution.toString(), "metered", metered.toString()), ps), 0);
        rec = run(ps -> SettlementCli.reconcile(config, Map.of("day", DAY.toString()), ps), 0);
        assertThat(rec).contains("-> OK").doesNotContain("unknown to the ledger");
    }

    @Test
    void badArgumentsNameTheOption() {
        assertThatThrownBy(() -> SettlementCli.day(Map.of("day", "5.12.2026"))).hasMessageContaining("--day").hasMessageContaining("5.12.2026");
        assertThatThrownBy(() -> SettlementCli.options(new String[] {"reconcile", "--day"})).hasMessageContaining("--day");
        assertThatThrownBy(() -> SettlementConfig.fromEnv(Map.of("SETTLEMENT_BATCH_TRADES", "0"))).hasMessageContaining("SETTLEMENT_BATCH_TRADES");
        assertThatThrownBy(() -> SettlementCli.reconcile(new SettlementConfig(Path.of("/nonexistent-settlement"), null,
                ChainConfig.fromEnv(Map.of()), 30, 10), Map.of("day", "2026-12-07"), System.out)).isInstanceOf(RuntimeException.class);
    }
}
