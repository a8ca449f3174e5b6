package org.hyperport.cli;

import java.io.PrintStream;
import org.apache.commons.cli.Options;

/** One {@code hyperport} subcommand. */
interface Command {
    String name();

    String summary();

    Options options();

    /** Runs with parsed options; returns the process exit status. */
    int run(org.apache.commons.cli.CommandLine cmd, PrintStream out, PrintStream err) throws Exception;
}
