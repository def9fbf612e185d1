package org.secondgrid.matcher.app;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code ./secondgrid solve|check|generate}. Exit codes: 0 ok, 1 check failed, 2 bad input. */
public final class MatcherCli {

    private static final Logger LOG = LoggerFactory.getLogger(MatcherCli.class);

    private MatcherCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            LOG.error("usage: solve|check|generate ...");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        LOG.error("secondgrid {}: not implemented yet ({} arguments)", args[0], rest.length);
        return 2;
    }
}
