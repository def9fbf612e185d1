package org.secondgrid.matcher.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.secondgrid.matcher.domain.Instance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code generate --sites N [--evs M] [--seed S] [--day YYYY-MM-DD] [--market NAME]}: writes a seeded instance to
 * {@code out} (one record per line). Exit codes: 0 written, 2 bad arguments (the message names the flag and value).
 */
public final class GenerateCommand {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);
    static final String USAGE = "usage: generate --sites N [--evs M] [--seed S] [--day YYYY-MM-DD] [--market NAME]";

    private GenerateCommand() {
    }

    public static int run(List<String> args, PrintStream out) {
        GeneratorConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            LOG.error("generate: {}", e.getMessage());
            LOG.error(USAGE);
            return 2;
        }
        long start = System.nanoTime();
        Instance in = new InstanceGenerator().generate(config);
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            InstanceWriter.write(in, w);
            w.flush();
        } catch (IOException e) {
            LOG.error("generate: cannot write the instance: {}", e.getMessage());
            return 1;
        }
        if (out.checkError()) {
            LOG.error("generate: writing the instance to the output failed");
            return 1;
        }
        LOG.info("generated seed {} day {} ({}) in {} ms: {}", config.seed(), config.day(), DayKind.of(config.day()),
                (System.nanoTime() - start) / 1_000_000, InstanceStats.of(in));
        return 0;
    }

    /** Parses the flags; throws {@link IllegalArgumentException} naming the flag and its value. */
    static GeneratorConfig parse(List<String> args) {
        Integer sites = null;
        int evs = 0;
        long seed = 1;
        LocalDate day = GeneratorConfig.DEFAULT_DAY;
        String market = GeneratorConfig.DEFAULT_MARKET;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--sites" -> sites = integer(flag, value, 1, GeneratorConfig.MAX_SITES);
                case "--evs" -> evs = integer(flag, value, 0, GeneratorConfig.MAX_EVS);
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seed=" + value + " is not an integer");
                    }
                }
                case "--day" -> {
                    try {
                        day = LocalDate.parse(value);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("--day=" + value + " is not a date (YYYY-MM-DD)");
                    }
                }
                case "--market" -> {
                    if (value.isBlank() || value.startsWith("--")) {
                        throw new IllegalArgumentException("--market='" + value + "' must be a name");
                    }
                    market = value;
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (value '" + value + "')");
            }
        }
        if (sites == null) {
            throw new IllegalArgumentException("--sites is missing");
        }
        return new GeneratorConfig(sites, evs, seed, day, market);
    }

    private static int integer(String flag, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + "=" + value + " is not an integer");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(flag + "=" + value + " must be in [" + min + ", " + max + "]");
        }
        return v;
    }
}
