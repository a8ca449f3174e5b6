package org.hyperport.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import org.hyperport.common.console.Console;
import org.hyperport.common.console.Consoles;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.hyperport.common.vm.EngineSelector;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;

/** {@code hyperport run}: boots a kernel, a bare-metal image, or the embedded default guest. */
final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "boot a guest (the embedded default guest when no --kernel is given)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("a").longOpt("arch").hasArg().argName("ARCH")
                        .desc("guest architecture (see 'hyperport archs'); required").get())
                .addOption(Option.builder("e").longOpt("engine").hasArg().argName("auto|kvm|interpreter")
                        .desc("execution engine (default auto: KVM where usable)").get())
                .addOption(Option.builder("k").longOpt("kernel").hasArg().argName("FILE")
                        .desc("kernel (bzImage, vmlinux with PVH note, Multiboot/ELF image)").get())
                .addOption(Option.builder("i").longOpt("initrd").hasArg().argName("FILE")
                        .desc("initial RAM disk").get())
                .addOption(Option.builder().longOpt("append").hasArg().argName("CMDLINE")
                        .desc("kernel command line").get())
                .addOption(Option.builder("m").longOpt("memory").hasArg().argName("SIZE")
                        .desc("guest RAM, e.g. 256M or 2G (default 256M)").get())
                .addOption(Option.builder().longOpt("smp").hasArg().argName("N")
                        .desc("number of vCPUs (default 1)").get())
                .addOption(Option.builder().longOpt("console").hasArg().argName("SPEC")
                        .desc("serial console: " + Consoles.SYNTAX + " (default stdio)").get())
                .addOption(Option.builder().longOpt("timeout").hasArg().argName("SECONDS")
                        .desc("end the VM with status 3 if the guest has not finished by then").get())
                .addOption(Option.builder().longOpt("stats")
                        .desc("print exit counts by reason and start-up timings to stderr at the end").get());
    }

    @Override
    public int run(CommandLine cmd, PrintStream out, PrintStream err) throws Exception {
        long t0 = System.nanoTime();
        if (!cmd.hasOption("arch")) {
            throw HyperportException.badInput("run: --arch is required (valid: "
                    + Architectures.discover().validNames() + ")");
        }
        Architecture arch = Architectures.discover().byName(cmd.getOptionValue("arch"));
        EngineChoice choice = EngineChoice.parse(cmd.getOptionValue("engine", "auto"));
        long memory = Sizes.parse("--memory", cmd.getOptionValue("memory", "256M"));
        long hostRam = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (hostRam > 0 && memory > hostRam) {
            throw HyperportException.badInput("--memory " + cmd.getOptionValue("memory") + " is more than this "
                    + "host's RAM (" + (hostRam >> 20) + "M)");
        }
        int smp = parseInt("--smp", cmd.getOptionValue("smp", "1"));
        long timeoutMs = cmd.hasOption("timeout") ? parseInt("--timeout", cmd.getOptionValue("timeout")) * 1000L : 0;
        Optional<Path> kernel = Optional.ofNullable(cmd.getOptionValue("kernel")).map(Path::of);
        Optional<Path> initrd = Optional.ofNullable(cmd.getOptionValue("initrd")).map(Path::of);
        String append = cmd.getOptionValue("append", "");

        BootImage image = image(arch, kernel, initrd, append);
        EngineProvider engine = EngineSelector.select(arch, choice, new PosixHostInfo());
        VmConfig config = new VmConfig(arch.id(), engine.engine(), memory, smp, kernel, initrd, append,
                cmd.hasOption("stats"));

        long t1 = System.nanoTime();
        Console console = Consoles.parse(cmd.getOptionValue("console", "stdio"));
        VmOutcome outcome;
        long t2;
        long t3;
        long t4;
        try (VirtualMachine vm = VirtualMachine.create(config, engine, console)) {
            t2 = System.nanoTime();
            vm.boot(image);
            t3 = System.nanoTime();
            outcome = vm.run(timeoutMs);
            t4 = System.nanoTime();
            console.flush();
            if (config.collectStats()) {
                printStats(err, new java.util.TreeMap<>(vm.stats()), t0, t1, t2, t3, t4);
            }
        } finally {
            console.close();
        }
        if (!outcome.message().isEmpty()) {
            err.println("hyperport: " + outcome.message());
        }
        if (!outcome.detail().isEmpty()) {
            err.print(outcome.detail());
        }
        return outcome.status();
    }

    private static void printStats(PrintStream err, Map<String, Long> stats, long t0, long t1, long t2, long t3,
                                   long t4) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long sinceJvm = System.currentTimeMillis() - jvmStart;
        err.println("--- hyperport stats ---");
        err.printf("timing: jvm start to main %d ms; options+images %.2f ms; vm create %.2f ms; boot load %.2f ms; "
                        + "guest run %.2f ms; process total %d ms%n",
                ManagementFactory.getRuntimeMXBean().getUptime() - (t4 - t0) / 1_000_000, (t1 - t0) / 1e6,
                (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, sinceJvm);
        Long retired = stats.remove("instructions retired (interpreter)");
        if (retired != null) {
            err.printf("instructions retired: %d (%.1f MIPS over the guest run)%n", retired,
                    retired / ((t4 - t3) / 1e3));
        }
        Long blocks = stats.remove("blocks translated to JVM bytecode");
        Long inBlocks = stats.remove("instructions retired in translated blocks");
        if (blocks != null && inBlocks != null) {
            err.printf("blocks translated to JVM bytecode: %d, running %d instructions (%.1f%%)%n", blocks, inBlocks,
                    retired == null || retired == 0 ? 0.0 : 100.0 * inBlocks / retired);
        }
        long total = stats.values().stream().mapToLong(Long::longValue).sum();
        err.printf("exits: %d total%n", total);
        stats.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> err.printf("  %10d  %s%n", e.getValue(), e.getKey()));
    }

    private static int parseInt(String option, String s) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw HyperportException.badInput("invalid value for " + option + ": '" + s + "' (a positive integer)");
        }
    }

    static BootImage image(Architecture arch, Optional<Path> kernel, Optional<Path> initrd, String append) {
        if (initrd.isPresent() && kernel.isEmpty()) {
            throw HyperportException.badInput("--initrd needs --kernel");
        }
        if (kernel.isEmpty()) {
            EmbeddedGuest g = arch.embeddedGuest().orElseThrow(() -> HyperportException.badInput(
                    arch.id() + " has no embedded default guest; give --kernel"));
            return new BootImage(g.name(), g.load(), Optional.empty(), append);
        }
        byte[] k = readFile("kernel", kernel.get());
        Optional<byte[]> rd = initrd.map(p -> readFile("initrd", p));
        return new BootImage(kernel.get().getFileName().toString(), k, rd, append);
    }

    private static byte[] readFile(String what, Path p) {
        try {
            if (Files.isDirectory(p)) {
                throw HyperportException.badInput(what + " " + p + " is a directory");
            }
            long size = Files.size(p);
            if (size == 0) {
                throw HyperportException.badInput(what + " " + p + " is empty");
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw HyperportException.badInput(what + " " + p + " is too large (" + size + " bytes)");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw HyperportException.badInput(what + " " + p + " does not exist");
        } catch (IOException e) {
            throw HyperportException.badInput("cannot read " + what + " " + p + ": " + e.getMessage());
        }
    }
}
