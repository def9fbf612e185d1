package org.secondgrid.matcher.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.io.InstanceJson;

class GenerateCommandTest {

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = GenerateCommand.run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(expectedExit);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesAValidInstanceAndTheSameBytesForTheSameSeed() {
        String a = run(0, "--sites", "60", "--evs", "5", "--seed", "42", "--day", "2026-12-06", "--market", "m1");
        String b = run(0, "--sites", "60", "--evs", "5", "--seed", "42", "--day", "2026-12-06", "--market", "m1");
        assertThat(a).isEqualTo(b);
        Instance in = InstanceJson.parse(a);
        assertThat(in.sites()).hasSize(60);
        assertThat(in.evs()).hasSize(5);
        assertThat(in.market()).isEqualTo("m1");
        assertThat(in.deliveryDay()).isEqualTo(LocalDate.of(2026, 12, 6));
        assertThat(in).isEqualTo(new InstanceGenerator().generate(
                new GeneratorConfig(60, 5, 42, LocalDate.of(2026, 12, 6), "m1")));
        assertThat(run(0, "--sites", "60", "--evs", "5", "--seed", "43", "--day", "2026-12-06", "--market", "m1"))
                .isNotEqualTo(a);
    }

    @Test
    void defaultsAreTheSaturdayAndNoEvs() {
        Instance in = InstanceJson.parse(run(0, "--sites", "8"));
        assertThat(in.deliveryDay()).isEqualTo(GeneratorConfig.DEFAULT_DAY);
        assertThat(in.market()).isEqualTo(GeneratorConfig.DEFAULT_MARKET);
        assertThat(in.evs()).isEmpty();
    }

    @Test
    void badArgumentsExitTwoWithoutOutput() {
        assertThat(run(2, "--sites", "abc")).isEmpty();
        assertThat(run(2, "--evs", "3")).isEmpty();
        assertThat(run(2, "--sites", "5", "--colour", "red")).isEmpty();
        assertThat(run(2, "--sites")).isEmpty();
    }

    @Test
    void badArgumentMessagesNameTheFlagAndValue() {
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "abc")))
                .hasMessage("--sites=abc is not an integer");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "0")))
                .hasMessageContaining("--sites=0 must be in [1, ");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "5", "--evs", "-1")))
                .hasMessageContaining("--evs=-1 must be in [0, ");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "5", "--seed", "x1")))
                .hasMessage("--seed=x1 is not an integer");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "5", "--day", "2026-13-01")))
                .hasMessage("--day=2026-13-01 is not a date (YYYY-MM-DD)");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites", "5", "--colour", "red")))
                .hasMessageContaining("--colour").hasMessageContaining("red");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--evs", "3"))).hasMessage("--sites is missing");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("--sites"))).hasMessage("--sites needs a value");
        assertThatThrownBy(() -> GenerateCommand.parse(List.of("20"))).hasMessage("unexpected argument '20'");
    }
}
