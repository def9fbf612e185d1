package org.secondgrid.matcher.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.secondgrid.matcher.domain.Instance;
import org.secondgrid.matcher.domain.InvalidInstanceException;
import org.secondgrid.matcher.domain.Solution;
import org.secondgrid.matcher.io.InstanceJson;
import org.secondgrid.matcher.io.SolutionJson;

/**
 * {@code ./secondgrid check i.json s.json}: prints one line per violation and a summary line.
 * Exit code 0 when the solution is feasible and its welfare right, 1 when not, 2 on bad arguments or files.
 */
public final class CheckCommand {

    public static final String USAGE = "usage: check INSTANCE.json SOLUTION.json";

    private CheckCommand() {
    }

    public static int run(List<String> args, PrintStream out) {
        if (args.size() != 2) {
            out.println(USAGE);
            return 2;
        }
        Instance in;
        Solution s;
        try {
            in = InstanceJson.read(Path.of(args.get(0)));
        } catch (IOException | InvalidInstanceException | java.nio.file.InvalidPathException e) {
            out.println("instance " + args.get(0) + ": " + describe(e));
            return 2;
        }
        try {
            s = SolutionJson.read(Path.of(args.get(1)));
        } catch (IOException | InvalidInstanceException | java.nio.file.InvalidPathException e) {
            out.println("solution " + args.get(1) + ": " + describe(e));
            return 2;
        }
        CheckReport report = SolutionChecker.check(in, s);
        report.violations().forEach(v -> out.println(v.line()));
        String welfare = "welfare reported " + Fmt.jpy(report.welfareReportedJpy()) + " JPY, recomputed "
                + Fmt.jpy(report.welfareRecomputedJpy()) + " JPY (" + report.records() + " records)";
        if (report.ok()) {
            out.println("feasible: " + welfare);
            return 0;
        }
        out.println("NOT feasible: " + report.violations().size() + " violation(s) of " + report.rules() + "; "
                + welfare);
        return 1;
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
