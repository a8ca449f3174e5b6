package org.hyperport.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.hyperport.api.Architecture;
import org.hyperport.api.BootImage;
import org.hyperport.api.EmbeddedGuest;
import org.hyperport.api.EngineChoice;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HyperportException;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.Consoles;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.hyperport.common.vm.EngineSelector;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;

/**
 * {@code hyperport bench}: measurements of the VMM itself, printed one per line as {@code name key=value ...} so
 * scripts can compare them with the C reference ({@code bench/kvm-pio}).
 * <ul>
 *   <li>{@code pio}: the x86 {@code pio-bench} guest writes port 0x80 in a loop; every write is a KVM exit handled by
 *       the Java run loop. Reports ns per exit, after one warm-up run.</li>
 *   <li>{@code vm-create}: builds, boots and closes the embedded default guest's VM repeatedly (no guest run) and
 *       reports the median set-up time.</li>
 * </ul>
 */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure the VMM: port-I/O exit round trip (pio) and VM set-up time (vm-create)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("only").hasArg().argName("pio|vm-create|mips")
                        .desc("run one benchmark (default: all)").get())
                .addOption(Option.builder().longOpt("arch").hasArg().argName("ARCH")
                        .desc("architecture whose interpreter the mips benchmark runs (default x86_64)").get())
                .addOption(Option.builder().longOpt("runs").hasArg().argName("N")
                        .desc("measured runs per benchmark (default 3)").get())
                .addOption(Option.builder().longOpt("exits").hasArg().argName("N")
                        .desc("port writes per pio run (default 200000)").get());
    }

    @Override
    public int run(CommandLine cmd, PrintStream out, PrintStream err) throws Exception {
        String only = cmd.getOptionValue("only", "all");
        if (!List.of("all", "pio", "vm-create", "mips").contains(only)) {
            throw HyperportException.badInput("bench: unknown benchmark '" + only
                    + "' (valid: pio, vm-create, mips)");
        }
        int runs = positive("--runs", cmd.getOptionValue("runs", "3"));
        int exits = positive("--exits", cmd.getOptionValue("exits", "200000"));
        if (cmd.hasOption("arch") && !only.equals("mips")) {
            throw HyperportException.badInput("bench: --arch applies to --only mips (pio and vm-create measure "
                    + "x86_64 on KVM)");
        }
        if (only.equals("mips")) {
            Architecture arch = Architectures.discover().byName(cmd.getOptionValue("arch", "x86_64"));
            benchMips(arch, EngineSelector.select(arch, EngineChoice.INTERPRETER, new PosixHostInfo()), runs, out);
            return 0;
        }
        Architecture x86 = Architectures.discover().byName("x86_64");
        EngineProvider kvm = EngineSelector.select(x86, EngineChoice.KVM, new PosixHostInfo());
        if (only.equals("all") || only.equals("pio")) {
            benchPio(x86, kvm, runs, exits, out);
        }
        if (only.equals("all") || only.equals("vm-create")) {
            benchCreate(x86, kvm, Math.max(runs, 10), out);
        }
        return 0;
    }

    private static VmConfig config(Architecture arch, EngineProvider engine, boolean stats) {
        return new VmConfig(arch.id(), engine.engine(), 64L << 20, 1, Optional.empty(), Optional.empty(), "",
                stats);
    }

    private static int positive(String option, String s) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw HyperportException.badInput("bench: invalid value for " + option + ": '" + s + "'");
    }

    private static void benchPio(Architecture x86, EngineProvider kvm, int runs, int count, PrintStream out)
            throws Exception {
        byte[] guest = new EmbeddedGuest("pio-bench", "machine/pio-bench.elf", x86.getClass()).load();
        // Time a long and a short run and divide the difference by the difference in exits, so VM start-up, the
        // banner and the exit cancel out and only the loop's round trips remain (the C reference times its loop).
        int small = Math.max(1, count / 10);
        double best = Double.MAX_VALUE;
        long exits = count;
        for (int r = 0; r <= runs; r++) {
            long big = timedPioRun(x86, kvm, guest, count);
            long little = timedPioRun(x86, kvm, guest, small);
            double ns = (big - little) / (double) (count - small);
            if (r > 0) {
                best = Math.min(best, ns);
            }
        }
        out.printf("pio-roundtrip-java exits=%d ns_per_exit=%.1f (best of %d after 1 warm-up)%n", exits, best, runs);
    }

    private static long timedPioRun(Architecture x86, EngineProvider kvm, byte[] guest, int count)
            throws InterruptedException {
        try (VirtualMachine vm = VirtualMachine.create(config(x86, kvm, true), kvm, Consoles.none())) {
            vm.boot(new BootImage("pio-bench", guest, Optional.empty(), "count=" + count));
            long t0 = System.nanoTime();
            VmOutcome o = vm.run(600_000);
            long t1 = System.nanoTime();
            long seen = vm.stats().getOrDefault("io out 0x80", 0L);
            if (o.status() != 0 || seen != count) {
                throw new HyperportException(HyperportException.INTERNAL, "pio-bench guest failed: status "
                        + o.status() + " " + o.message() + ", " + seen + " of " + count + " exits");
            }
            return t1 - t0;
        }
    }

    /**
     * Instruction rate of an architecture's interpreter on its build of the compute-heavy {@code mips-bench} guest
     * ({@code guests/common/c/bench/mips-bench.c}), best of {@code runs}.
     */
    private static void benchMips(Architecture arch, EngineProvider interp, int runs, PrintStream out)
            throws InterruptedException {
        if (arch.getClass().getResource("machine/mips-bench.elf") == null) {
            throw HyperportException.badInput("bench: " + arch.id() + " has no mips-bench guest");
        }
        byte[] guest = new EmbeddedGuest("mips-bench", "machine/mips-bench.elf", arch.getClass()).load();
        double best = 0;
        long instructions = 0;
        double seconds = 0;
        for (int r = 0; r < runs; r++) {
            try (VirtualMachine vm = VirtualMachine.create(config(arch, interp, true), interp, Consoles.none())) {
                vm.boot(new BootImage("mips-bench", guest, Optional.empty(), ""));
                long t0 = System.nanoTime();
                VmOutcome o = vm.run(600_000);
                double s = (System.nanoTime() - t0) / 1e9;
                if (o.status() != 0) {
                    throw new HyperportException(HyperportException.INTERNAL, "mips-bench guest failed: "
                            + o.message());
                }
                long n = vm.stats().getOrDefault("instructions retired (interpreter)", 0L);
                if (n / s / 1e6 > best) {
                    best = n / s / 1e6;
                    instructions = n;
                    seconds = s;
                }
            }
        }
        out.printf("interpreter-mips arch=%s instructions=%d seconds=%.2f mips=%.1f (best of %d)%n", arch.id(),
                instructions, seconds, best, runs);
    }

    private static void benchCreate(Architecture x86, EngineProvider kvm, int runs, PrintStream out) {
        byte[] guest = x86.embeddedGuest().orElseThrow().load();
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            try (VirtualMachine vm = VirtualMachine.create(config(x86, kvm, false), kvm, Consoles.none())) {
                vm.boot(new BootImage("default", guest, Optional.empty(), ""));
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double first = ms[0];
        java.util.Arrays.sort(ms);
        out.printf("vm-create first_ms=%.2f median_ms=%.2f min_ms=%.2f runs=%d (64M RAM, 1 vCPU, create+boot load)%n",
                first, ms[runs / 2], ms[0], runs);
    }
}
