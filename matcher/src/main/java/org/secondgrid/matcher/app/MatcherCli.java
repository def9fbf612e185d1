package org.secondgrid.matcher.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.secondgrid.matcher.check.CheckCommand;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.generate.GenerateCommand;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.InstanceJson;
import org.secondgrid.matcher.io.SolutionJson;
import org.secondgrid.matcher.solver.MarketSolver;
import org.secondgrid.matcher.solver.SolveOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code ./secondgrid solve|check|generate}. Exit codes: 0 ok, 1 check found violations,
 * 2 bad input or usage.
 */
public final class MatcherCli {

    private static final Logger LOG = LoggerFactory.getLogger(MatcherCli.class);

    private MatcherCli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command; {@code out} receives the command's data output (JSON, reports). */
    public static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            LOG.error("usage: solve INSTANCE.json -o SOLUTION.json [--seconds S] | check INSTANCE.json SOLUTION.json"
                    + " | generate --sites N --evs M --seed S");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "solve" -> solve(rest, out);
                case "generate" -> GenerateCommand.run(rest, out);
                case "check" -> CheckCommand.run(rest, out);
                default -> {
                    LOG.error("unknown matcher command '{}'", args[0]);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (InvalidInstanceException e) {
            for (String p : e.problems()) {
                LOG.error("invalid input: {}", p);
            }
            return 2;
        } catch (NoSuchFileException e) {
            LOG.error("file not found: {}", e.getFile());
            return 2;
        } catch (IOException e) {
            LOG.error("cannot read or write a file: {}", e.toString());
            return 2;
        }
    }

    static int solve(List<String> args, PrintStream out) throws IOException {
        Path input = null;
        Path output = null;
        double seconds = 30;
        long seed = 0;
        boolean gridOnly = false;
        List<String> a = new ArrayList<>(args);
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            switch (arg) {
                case "-o", "--output" -> output = Path.of(value(a, ++i, arg));
                case "--seconds" -> seconds = positive(arg, value(a, ++i, arg));
                case "--seed" -> seed = parseLong(arg, value(a, ++i, arg));
                case "--grid-only" -> gridOnly = true;
                default -> {
                    if (arg.startsWith("-") || input != null) {
                        throw new UsageException("solve: unexpected argument '" + arg + "'");
                    }
                    input = Path.of(arg);
                }
            }
        }
        if (input == null) {
            throw new UsageException("solve: the instance file is missing (solve INSTANCE.json -o SOLUTION.json)");
        }
        Instance instance = InstanceJson.read(input);
        LOG.info("solving {}: {} sites, {} offers, {} bids, {} EVs, deadline {} s", input, instance.sites().size(),
                instance.offers().size(), instance.bids().size(), instance.evs().size(), seconds);
        SolveOptions options = SolveOptions.seconds(seconds).withSeed(seed);
        if (gridOnly) {
            options = new SolveOptions(options.timeLimit(), options.k(), seed, false);
        }
        Solution solution = MarketSolver.solve(instance, options);
        String json = SolutionJson.write(solution);
        if (output == null) {
            out.println(json);
        } else {
            Files.writeString(output, json + "\n");
            LOG.info("wrote {}", output);
        }
        return 0;
    }

    static String value(List<String> a, int i, String flag) {
        if (i >= a.size()) {
            throw new UsageException(flag + " needs a value");
        }
        return a.get(i);
    }

    static double positive(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new UsageException(flag + "=" + v + " must be a number > 0");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + "=" + v + " is not a number");
        }
    }

    static long parseLong(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + "=" + v + " is not an integer");
        }
    }

    /** Bad command-line usage; the message names the flag and the value. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
