package org.hyperport.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.hyperport.api.Architecture;
import org.hyperport.api.EngineChoice;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.HyperportException;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.hyperport.conformance.CaseResult;
import org.hyperport.conformance.ConformanceCase;
import org.hyperport.conformance.ConformanceKit;
import org.hyperport.conformance.Level;
import org.hyperport.conformance.MatrixReport;

/**
 * {@code hyperport conformance}: runs the conformance kit and prints the matrix (architecture × engine × level).
 * Exit status 0 when nothing failed (skips are fine), 1 when a case failed.
 */
final class ConformanceCommand implements Command {

    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "run the conformance kit and print the architecture x engine x level matrix";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("a").longOpt("arch").hasArg().argName("ARCH")
                        .desc("only this architecture (default: all)").get())
                .addOption(Option.builder("e").longOpt("engine").hasArg().argName("kvm|interpreter")
                        .desc("only this engine (default: all, unusable ones reported as skipped)").get())
                .addOption(Option.builder("l").longOpt("level").hasArg().argName("N")
                        .desc("only cases up to level N (0-5; default: all)").get())
                .addOption(Option.builder().longOpt("case").hasArg().argName("NAME")
                        .desc("only cases whose name contains NAME").get())
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("text|junit|markdown")
                        .desc("output format (default text)").get())
                .addOption(Option.builder("v").longOpt("verbose").desc("print each case as it finishes").get());
    }

    @Override
    public int run(CommandLine cmd, PrintStream out, PrintStream err) {
        Architectures archs = Architectures.discover();
        List<Architecture> selected = cmd.hasOption("arch") ? List.of(archs.byName(cmd.getOptionValue("arch")))
                : archs.all();
        EngineChoice engine = EngineChoice.parse(cmd.getOptionValue("engine", "auto"));
        int maxLevel = level(cmd.getOptionValue("level", "5"));
        String format = cmd.getOptionValue("format", "text");
        if (!List.of("text", "junit", "markdown").contains(format)) {
            throw HyperportException.badInput("conformance: unknown format '" + format
                    + "' (valid: text, junit, markdown)");
        }
        String only = cmd.getOptionValue("case", "");
        HostInfo host = new PosixHostInfo();
        ConformanceKit kit = new ConformanceKit(host);
        List<CaseResult> results = new ArrayList<>();
        for (Architecture a : selected) {
            for (EngineProvider p : a.engines()) {
                if (engine.engine().isPresent() && engine.engine().get() != p.engine()) {
                    continue;
                }
                for (ConformanceCase c : kit.cases(a)) {
                    if (c.level().ordinal() > maxLevel || !c.name().contains(only)) {
                        continue;
                    }
                    CaseResult r = kit.run(a, p, c);
                    results.add(r);
                    if (cmd.hasOption("verbose")) {
                        err.printf("%-4s %-40s %-12s %s (%d ms)%n", r.verdict(), c.id(), p.engine().id(), r.detail(),
                                r.millis());
                    }
                }
            }
        }
        MatrixReport report = new MatrixReport(results);
        out.print(switch (format) {
            case "junit" -> report.junitXml();
            case "markdown" -> report.markdown();
            default -> report.text();
        });
        return report.count(CaseResult.Verdict.FAIL) == 0 ? 0 : 1;
    }

    private static int level(String s) {
        String t = s.toUpperCase(java.util.Locale.ROOT).replace("L", "");
        try {
            int n = Integer.parseInt(t);
            if (n >= 0 && n < Level.values().length) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw HyperportException.badInput("conformance: invalid --level '" + s + "' (0-5)");
    }
}
