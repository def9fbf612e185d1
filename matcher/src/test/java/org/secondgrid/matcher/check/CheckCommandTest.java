package org.secondgrid.matcher.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<String> printed() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private int run(Path i, Path s) {
        return CheckCommand.run(List.of(i.toString(), s.toString()), out);
    }

    @Test
    void feasibleSolutionExitsZero() throws IOException {
        Path i = file("i.json", Fixtures.text("/check/small-instance.json"));
        Path s = file("s.json", Fixtures.text("/check/small-solution.json"));
        assertThat(run(i, s)).isZero();
        assertThat(printed()).containsExactly("feasible: welfare reported 65.10 JPY, recomputed 65.10 JPY (8 records)");
    }

    @Test
    void violationsArePrintedOneALineAndExitOne() throws IOException {
        Path i = file("i.json", Fixtures.text("/check/small-instance.json"));
        Path s = file("s.json", Fixtures.text("/check/small-solution.json")
                .replace("\"welfareJpy\": 65.10", "\"welfareJpy\": 60.00")
                .replace("\"curtailedKwh\": 9.3", "\"curtailedKwh\": 9.0"));
        assertThat(run(i, s)).isEqualTo(1);
        assertThat(printed()).containsExactly(
                "welfare: welfareJpy 60.00 != recomputed W 65.10 JPY (tolerance 0.08 JPY for 8 records)",
                "totals: curtailedKwh 9.000 != recomputed 9.300 (offers 16.800 - sold 7.500)",
                "NOT feasible: 2 violation(s) of [totals, welfare]; welfare reported 60.00 JPY, recomputed 65.10 JPY"
                        + " (8 records)");
    }

    @Test
    void missingFileExitsTwo() throws IOException {
        Path s = file("s.json", Fixtures.text("/check/small-solution.json"));
        assertThat(run(dir.resolve("nope.json"), s)).isEqualTo(2);
        assertThat(printed()).containsExactly("instance " + dir.resolve("nope.json") + ": no such file");
    }

    @Test
    void invalidInstanceNamesFieldAndValue() throws IOException {
        Path i = file("i.json", Fixtures.text("/check/small-instance.json").replace("\"minKwh\": 8.0", "\"minKwh\": 50.0"));
        Path s = file("s.json", Fixtures.text("/check/small-solution.json"));
        assertThat(run(i, s)).isEqualTo(2);
        assertThat(printed()).singleElement().asString().startsWith("instance " + i + ": ")
                .contains("evs[0].minKwh=50.0 exceeds capacityKwh=40.0");
    }

    @Test
    void brokenSolutionExitsTwo() throws IOException {
        Path i = file("i.json", Fixtures.text("/check/small-instance.json"));
        Path s = file("s.json", "{ \"modelVersion\": 1, \"grid\": [ ");
        assertThat(run(i, s)).isEqualTo(2);
        assertThat(printed()).singleElement().asString().startsWith("solution " + s + ": solution is not valid");
    }

    @Test
    void wrongArgumentsPrintUsage() {
        assertThat(CheckCommand.run(List.of("only-one.json"), out)).isEqualTo(2);
        assertThat(printed()).containsExactly(CheckCommand.USAGE);
    }
}
