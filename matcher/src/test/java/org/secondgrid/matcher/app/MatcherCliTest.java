package org.secondgrid.matcher.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatcherCliTest {

    @TempDir
    Path dir;

    private int run(ByteArrayOutputStream out, String... args) {
        return MatcherCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void generateSolveAndCheckWorkTogether() throws Exception {
        ByteArrayOutputStream generated = new ByteArrayOutputStream();
        assertThat(run(generated, "generate", "--sites", "30", "--evs", "3", "--seed", "4")).isZero();
        Path instance = dir.resolve("i.json");
        Files.write(instance, generated.toByteArray());
        Path solution = dir.resolve("s.json");
        assertThat(run(new ByteArrayOutputStream(), "solve", instance.toString(), "-o", solution.toString(),
                "--seconds", "2")).isZero();
        assertThat(solution).isNotEmptyFile();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        assertThat(run(report, "check", instance.toString(), solution.toString())).isZero();
        assertThat(report.toString(StandardCharsets.UTF_8)).startsWith("feasible");
        // a tampered welfare is caught: exit 1
        Files.writeString(solution, Files.readString(solution).replaceFirst("\"welfareJpy\" : [0-9.]+",
                "\"welfareJpy\" : 123456.0"));
        assertThat(run(new ByteArrayOutputStream(), "check", instance.toString(), solution.toString())).isEqualTo(1);
    }

    @Test
    void badInputExitsWithTwo() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"modelVersion\": 1, \"market\": \"m\"}");
        assertThat(run(new ByteArrayOutputStream(), "solve", bad.toString())).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream(), "solve", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream(), "solve", bad.toString(), "--seconds", "-1")).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream(), "frobnicate")).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream())).isEqualTo(2);
    }
}
