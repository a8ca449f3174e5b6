package org.hyperport.conformance;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.InterruptController;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.Translation;
import org.hyperport.api.Vcpu;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;

/** The L0 and built-in L2 cases: SPI contracts every (architecture, engine) must keep, checked from the host. */
final class SpiContracts {

    private SpiContracts() {
    }

    static List<ConformanceCase> cases(String arch) {
        List<ConformanceCase> l = new ArrayList<>();
        l.add(host(arch, "cpu-state-layout", Level.L0,
                "register names are unique and a snapshot holds exactly the layout, in order",
                SpiContracts::cpuStateLayout));
        l.add(host(arch, "cpu-state-roundtrip", Level.L0,
                "a restored snapshot reads back identically, including a changed register",
                SpiContracts::cpuStateRoundTrip));
        l.add(host(arch, "mmu-debug-walk-is-pure", Level.L0,
                "debugTranslate answers the same twice and writes no guest memory",
                SpiContracts::mmuDebugWalkIsPure));
        l.add(host(arch, "intc-lines", Level.L0,
                "every line exists and an out-of-range line is an IllegalArgumentException",
                SpiContracts::intcLines));
        l.add(host(arch, "machine-spec", Level.L0,
                "the memory map is sorted and disjoint and its RAM matches the configured size",
                SpiContracts::machineSpec));
        l.add(host(arch, "embedded-guest", Level.L2,
                "the embedded default guest prints, takes its timer interrupts and exits 0",
                SpiContracts::embeddedGuest));
        return l;
    }

    private static ConformanceCase host(String arch, String name, Level level, String description,
                                        ConformanceCase.Check check) {
        return new ConformanceCase(arch, name, level, "spi", description, new ConformanceCase.HostCheck(check));
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static void cpuStateLayout(CaseContext ctx) {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            Vcpu cpu = vm.machine().vcpus().getFirst();
            List<RegisterDesc> layout = cpu.state().layout();
            Set<String> names = new HashSet<>();
            for (RegisterDesc d : layout) {
                require(names.add(d.name()), "duplicate register " + d.name());
                require(d.bits() > 0, d.name() + " has width " + d.bits());
            }
            CpuSnapshot s = cpu.state().snapshot();
            require(s.architecture().equals(ctx.arch().id()), "snapshot says " + s.architecture());
            require(List.copyOf(s.values().keySet()).equals(layout.stream().map(RegisterDesc::name).toList()),
                    "snapshot registers differ from the layout");
            for (RegisterDesc d : layout) {
                require(s.get(d.name()).bitLength() <= d.bits(), d.name() + " wider than " + d.bits() + " bits");
            }
        }
    }

    static void cpuStateRoundTrip(CaseContext ctx) {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            Vcpu cpu = vm.machine().vcpus().getFirst();
            CpuSnapshot before = cpu.state().snapshot();
            RegisterDesc gpr = cpu.state().layout().stream().filter(d -> d.group() == RegisterDesc.Group.GENERAL
                    && d.bits() == 64).findFirst().orElseThrow(() -> new AssertionError("no 64-bit GPR"));
            BigInteger value = new BigInteger("0123456789abcdef", 16);
            LinkedHashMap<String, BigInteger> changed = new LinkedHashMap<>(before.values());
            changed.put(gpr.name(), value);
            CpuSnapshot wanted = new CpuSnapshot(before.architecture(), changed, before.layout());

            cpu.state().restore(wanted);
            CpuSnapshot after = cpu.state().snapshot();

            Optional<CpuSnapshot.Difference> d = wanted.firstDifference(after, GuestRun.COMPARED);
            require(d.isEmpty(), "after restore: " + d.map(Object::toString).orElse(""));
        }
    }

    static void mmuDebugWalkIsPure(CaseContext ctx) {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            GuestMemory mem = vm.machine().memory();
            long window = Math.min(mem.size(), 4L << 20);
            byte[] before = new byte[(int) window];
            mem.readBytes(0, before, 0, before.length);
            Vcpu cpu = vm.machine().vcpus().getFirst();
            long[] probes = {0, 0x1000, 0x100000, 0x123456, 0x7fff_f000L, -4096L};
            for (long va : probes) {
                Translation a = cpu.mmu().debugTranslate(va);
                Translation b = cpu.mmu().debugTranslate(va);
                require(a.equals(b), "debugTranslate(0x" + Long.toHexString(va) + ") changed: " + a + " then " + b);
            }
            byte[] after = new byte[before.length];
            mem.readBytes(0, after, 0, after.length);
            require(java.util.Arrays.equals(before, after), "debugTranslate wrote guest memory");
        }
    }

    static void intcLines(CaseContext ctx) {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            InterruptController ic = vm.machine().interruptController();
            require(ic.lines() > 0, ic.name() + " has no lines");
            for (int i = 0; i < ic.lines(); i++) {
                require(ic.line(i) != null, "line " + i + " is null");
            }
            boolean rejected = false;
            try {
                ic.line(ic.lines());
            } catch (IllegalArgumentException e) {
                rejected = true;
            }
            require(rejected, "line(" + ic.lines() + ") was not rejected");
        }
    }

    static void machineSpec(CaseContext ctx) {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            MachineSpec spec = vm.machine().spec();
            long ram = 0;
            long end = Long.MIN_VALUE;
            for (MachineSpec.Region r : spec.memoryMap()) {
                require(r.size() > 0, r.name() + " is empty");
                require(end == Long.MIN_VALUE || Long.compareUnsigned(r.base(), end) >= 0,
                        r.name() + " overlaps or is out of order");
                end = r.end();
                if (r.kind() == MachineSpec.Region.Kind.RAM) {
                    ram += r.size();
                }
            }
            require(ram == ctx.config(1).memoryBytes(), "RAM in the map " + ram + " != configured "
                    + ctx.config(1).memoryBytes());
            require(vm.machine().memory().size() == ram, "GuestMemory size " + vm.machine().memory().size());
        }
    }

    static void embeddedGuest(CaseContext ctx) throws InterruptedException {
        try (VirtualMachine vm = ctx.bootedEmbeddedGuest()) {
            VmOutcome o = vm.run(ConformanceKit.TIMEOUT_MS);
            require(o.status() == 0, "exit status " + o.status() + " " + o.message());
        }
    }
}
