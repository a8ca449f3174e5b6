package org.hyperport.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.hyperport.api.HyperportException;

/**
 * The {@code hyperport} launcher: {@code archs}, {@code run}, {@code bench}. Every error a user can cause ends as one
 * line on stderr and a documented exit status (see {@link HyperportException}); never a stack trace.
 */
public final class Main {

    private final List<Command> commands = List.of(new ArchsCommand(), new RunCommand(), new ConformanceCommand(), new BenchCommand());

    public static void main(String[] args) {
        int status = new Main().execute(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line and returns the exit status. */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
                if (args.length > 1 && args[0].equals("help")) {
                    return execute(new String[] {args[1], "--help"}, out, err);
                }
                out.print(usage());
                return args.length == 0 ? HyperportException.BAD_INPUT : 0;
            }
            if (args[0].equals("--version")) {
                out.println("hyperport " + version());
                return 0;
            }
            Command c = commands.stream().filter(x -> x.name().equals(args[0])).findFirst().orElseThrow(
                    () -> HyperportException.badInput("unknown command '" + args[0] + "' (valid: "
                            + String.join(", ", commands.stream().map(Command::name).toList())
                            + "; see hyperport --help)"));
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            Options opts = c.options();
            opts.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
            CommandLine cmd;
            try {
                cmd = new DefaultParser().parse(opts, rest);
            } catch (ParseException e) {
                throw HyperportException.badInput(c.name() + ": " + e.getMessage() + " (see hyperport " + c.name()
                        + " --help)");
            }
            if (cmd.hasOption("help")) {
                out.print(help(c));
                return 0;
            }
            if (!cmd.getArgList().isEmpty()) {
                throw HyperportException.badInput(c.name() + ": unexpected argument '" + cmd.getArgList().getFirst()
                        + "'");
            }
            return c.run(cmd, out, err);
        } catch (HyperportException e) {
            err.println("hyperport: " + e.getMessage());
            return e.exitStatus();
        } catch (Exception | Error e) {
            err.println("hyperport: internal error: " + e);
            if (System.getenv("HYPERPORT_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return HyperportException.INTERNAL;
        }
    }

    private String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: hyperport <command> [options]\n\n");
        sb.append("A multi-architecture hypervisor on the JVM: KVM where the host runs the guest natively,\n");
        sb.append("an interpreter elsewhere.\n\ncommands:\n");
        for (Command c : commands) {
            sb.append(String.format("  %-8s %s%n", c.name(), c.summary()));
        }
        sb.append("\n'hyperport <command> --help' describes a command's options.\n");
        sb.append("exit status: the guest's own status when it reports one; 1 internal error; 2 bad input;\n");
        sb.append("3 guest crashed (triple fault, engine failure, --timeout); 4 engine unavailable.\n");
        return sb.toString();
    }

    static String help(Command c) {
        StringWriter w = new StringWriter();
        TextHelpAppendable text = new TextHelpAppendable(w);
        HelpFormatter f = HelpFormatter.builder().setHelpAppendable(text).setShowSince(false).get();
        try {
            f.printHelp("hyperport " + c.name(), c.summary(), c.options(), "", true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
