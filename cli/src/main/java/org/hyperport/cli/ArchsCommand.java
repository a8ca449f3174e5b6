package org.hyperport.cli;

import java.io.PrintStream;
import java.util.TreeSet;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.hyperport.api.Architecture;
import org.hyperport.api.Availability;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VmConfig;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;

/** {@code hyperport archs}: every architecture, its engines, and whether each can run on this host and why. */
final class ArchsCommand implements Command {

    @Override
    public String name() {
        return "archs";
    }

    @Override
    public String summary() {
        return "list architectures and engines, and whether each engine is usable here";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder("v").longOpt("verbose")
                .desc("also print each machine's memory map and devices").get());
    }

    @Override
    public int run(CommandLine cmd, PrintStream out, PrintStream err) {
        HostInfo host = new PosixHostInfo();
        out.println("host: " + host.machine() + ", /dev/kvm: " + host.kvm().status().name().toLowerCase()
                + " (" + host.kvm().detail() + ")");
        for (Architecture a : Architectures.discover().all()) {
            out.printf("%n%-8s %s, %d-bit, %s-endian (aliases: %s)%n", a.id(), a.description(), a.wordBits(),
                    a.byteOrder().toString().startsWith("LITTLE") ? "little" : "big",
                    String.join(", ", new TreeSet<>(a.aliases())));
            for (EngineProvider p : a.engines()) {
                Availability av = p.probe(host);
                out.printf("  %-12s %-9s %s  [needs: %s]%n", p.engine().id(), av.usable() ? "usable" : "unusable",
                        av.reason(), p.requirement());
            }
            if (cmd.hasOption("verbose")) {
                VmConfig sample = new VmConfig(a.id(), a.engines().getFirst().engine(), 256L << 20, 1,
                        java.util.Optional.empty(), java.util.Optional.empty(), "", false);
                MachineSpec m = a.machine(sample);
                out.printf("  machine %s (modelled on %s), boot: %s%n", m.name(), m.modelledOn(), m.bootProtocol());
                for (MachineSpec.Region r : m.memoryMap()) {
                    out.printf("    %-8s 0x%012x-0x%012x %s%n", r.kind().name().toLowerCase(), r.base(), r.end(),
                            r.name());
                }
                for (MachineSpec.Device d : m.devices()) {
                    out.printf("    %-26s %-22s %s%n", d.name(), d.location(), d.interrupt());
                }
            }
        }
        return 0;
    }
}
