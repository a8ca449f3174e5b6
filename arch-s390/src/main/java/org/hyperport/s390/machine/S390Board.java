package org.hyperport.s390.machine;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.BootImage;
import org.hyperport.api.HyperportException;
import org.hyperport.api.MachineSpec;
import org.hyperport.api.VmConfig;
import org.hyperport.api.VmControl;
import org.hyperport.common.console.Console;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Platform;

/**
 * The s390x board, modelled on QEMU's {@code s390-ccw-virtio}: RAM from absolute 0, the SCLP with its VT220 console
 * ({@code sclpconsole}) and the signal-quiesce event, SIGNAL PROCESSOR between the CPUs, the hypervisor's DIAGNOSE
 * codes, the TOD clock and IPL from a kernel image ({@link S390Boot}). It is the {@link S390Platform} of every CPU.
 *
 * <p>The test ABI and power: when every CPU has entered the stopped state the VM ends, with the status of the
 * console's last {@code EXIT: STATUS=n} line if there is one (kvm-unit-tests' convention), else as powered off.
 */
public final class S390Board implements S390Platform {

    public static final long MIN_MEMORY = 1L << 20;
    /** QEMU's s390x limit on CPU addresses for a configuration ({@code S390_MAX_CPUS}). */
    public static final int MAX_CPUS = 248;

    private final VmConfig config;
    private final VmControl control;
    private final RamGuestMemory memory;
    private final Sclp sclp;
    private final Diagnose diag;
    private final TodClock tod = new TodClock();
    private final List<S390Cpu> cpus = new ArrayList<>();
    private Sigp sigp;

    public S390Board(VmConfig config, VmControl control, Console console, RamGuestMemory memory) {
        this.config = config;
        this.control = control;
        this.memory = memory;
        this.sclp = new Sclp(memory, memory.size(), console, config.smp(), false);
        this.diag = new Diagnose(control);
        console.onInput(() -> {
            if (sclp.inputArrived()) {
                serviceSignalAttention();
            }
        });
    }

    /** Validates the configuration before anything is mapped. */
    public static void checkConfig(VmConfig config) {
        if (config.memoryBytes() < MIN_MEMORY || config.memoryBytes() % MIN_MEMORY != 0) {
            throw HyperportException.badInput("--memory " + config.memoryBytes() + " bytes: s390x needs a whole "
                    + "number of MiB, at least 1M");
        }
        if (config.smp() > MAX_CPUS) {
            throw HyperportException.badInput("--smp " + config.smp() + " is too many: s390x supports up to "
                    + MAX_CPUS);
        }
    }

    /** Adds the CPUs, CPU address = index; called once by the engine after it built their interpreters. */
    public void attach(List<S390Interpreter> interpreters) {
        for (S390Interpreter i : interpreters) {
            cpus.add(new S390Cpu(i.cpuAddress(), i, S390Board::storeStatus));
        }
        this.sigp = new Sigp(cpus, memory.size(), S390Board::storeStatus);
    }

    public List<S390Cpu> cpus() {
        return cpus;
    }

    public Sclp sclp() {
        return sclp;
    }

    public TodClock clock() {
        return tod;
    }

    public MachineSpec spec() {
        return describe(config);
    }

    /** The board for {@code config}, as data. */
    public static MachineSpec describe(VmConfig config) {
        return new MachineSpec("s390-ccw-virtio", "QEMU s390-ccw-virtio",
                List.of(new MachineSpec.Region("ram", 0, config.memoryBytes(), MachineSpec.Region.Kind.RAM)),
                List.of(new MachineSpec.Device("sclp", "SERVICE CALL (B220)", "service signal 0x2401"),
                        new MachineSpec.Device("sclpconsole (vt220, event 0x1a)", "sclp event facility",
                                "service signal 0x2401"),
                        new MachineSpec.Device("sclp line-mode messages (event 0x02, output only)",
                                "sclp event facility", "-"),
                        new MachineSpec.Device("sclp signal quiesce (event 0x1d)", "sclp event facility",
                                "service signal 0x2401"),
                        new MachineSpec.Device("sigp", "SIGNAL PROCESSOR (AE), CPU addresses 0-"
                                + (config.smp() - 1), "emergency signal / external call"),
                        new MachineSpec.Device("diagnose", "DIAG 0x44, 0x9c, 0x288, 0x308, 0x500", "-"),
                        new MachineSpec.Device("tod clock", "STCK/SCK, clock comparator, cpu timer",
                                "external 0x1004/0x1005")),
                "IPL like QEMU -kernel: s390x ELF, or raw image (S390EP at 0x10008 → 0x10000, else the short IPL "
                        + "PSW); command line at 0x10480, initrd from 8 MiB, its start/size at 0x10408/0x10410");
    }

    /** IPL: loads {@code image}, starts CPU 0 with PSW EA|BA at the entry; the others stay stopped. */
    public void boot(BootImage image) {
        long entry = S390Boot.load(memory, memory.size(), image);
        for (S390Cpu c : cpus) {
            c.registers().initialReset();
        }
        S390Cpu boot = cpus.getFirst();
        boot.registers().setPsw(S390CpuState.PSW_EA | S390CpuState.PSW_BA, entry);
        boot.interpreter().flushTlb();
        boot.start();
    }

    // ---- The platform --------------------------------------------------------------------------------------------

    /**
     * SERVICE CALL: the SCCB's real address must be 8-byte aligned, below 2 GiB and outside the lowcore and the
     * prefix area, and its length at least 8
     * (specification exception otherwise, as QEMU's {@code sclp_service_call}); outside storage is an addressing
     * exception. The command completes at once and the service signal is posted to the calling CPU.
     */
    @Override
    public int serviceCall(S390Interpreter cpu, int command, long sccbReal) {
        // Below 2 GiB, doubleword aligned, and not in the CPU's lowcore (real 0-8K) or prefix area (QEMU's checks).
        if ((sccbReal & ~0x7ffffff8L) != 0 || (sccbReal & ~0x1fffL) == 0
                || (sccbReal & ~0x1fffL) == cpu.state().prefix) {
            throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        long abs = cpu.absolute(sccbReal);
        if (abs + 8 > memory.size()) {
            throw cpu.fault().raise(ProgramInterruption.ADDRESSING);
        }
        if ((memory.read16(abs) & 0xffff) < 8) {
            throw cpu.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        sclp.execute(command, abs);
        cpu.postServiceSignal((int) (sccbReal & ~3L) | (sclp.eventsPending() ? 1 : 0));
        return 0;
    }

    @Override
    public int signalProcessor(S390Interpreter cpu, int order, int address, long parameter, int r1) {
        int[] st = new int[1];
        int cc = sigp.order(cpu, order, address, parameter, st);
        if (cc == 1) {
            long[] gpr = cpu.state().gpr;
            gpr[r1] = (gpr[r1] & 0xffffffff00000000L) | (st[0] & 0xffffffffL);
        }
        return cc;
    }

    @Override
    public void diagnose(S390Interpreter cpu, int code, int r1, int r3) {
        diag.execute(cpu, code, r1, r3);
    }

    @Override
    public long tod() {
        return tod.read();
    }

    /** A CPU entered the stopped state: if it was the last one operating, the VM ends (the test ABI's exit). */
    public void cpuStopped() {
        for (S390Cpu c : cpus) {
            if (!c.stopped()) {
                return;
            }
        }
        int s = sclp.exitStatus();
        if (s >= 0) {
            control.guestExit(s, "EXIT: STATUS=" + s + ", then every CPU stopped");
        } else {
            control.powerOff("every CPU stopped");
        }
    }

    /** Host-requested shutdown: the signal-quiesce event, as QEMU's system_powerdown; false if not accepted. */
    public boolean requestShutdown() {
        boolean accepted = sclp.requestQuiesce();
        if (accepted) {
            serviceSignalAttention();
        }
        return accepted;
    }

    /** Posts an attention service signal (parameter 1: event buffers pending) to an operating CPU. */
    public void serviceSignalAttention() {
        if (cpus.isEmpty()) {
            return;
        }
        S390Cpu c = attentionCpu();
        c.interpreter().postServiceSignal(1);
        c.wake();
    }

    private S390Cpu attentionCpu() {
        for (S390Cpu c : cpus) {
            if (!c.stopped()) {
                return c;
            }
        }
        return cpus.getFirst();
    }

    /**
     * STORE STATUS (PoP Ch. 4 "Store Status"; the save-area layout of ARCHES §2.2): FPRs, GPRs, PSW, prefix, FPC, TOD
     * programmable register, CPU timer, clock comparator (bits 0-55), ARs and CRs at {@code at}; with
     * {@code architectureMode} also the architectural-mode identification (1 = z/Architecture) at absolute 0xa3.
     */
    static void storeStatus(S390Interpreter cpu, long at, boolean architectureMode) {
        RamGuestMemory m = cpu.ram();
        S390CpuState s = cpu.state();
        if (architectureMode) {
            m.write8(0xa3, 1);
        }
        for (int i = 0; i < 16; i++) {
            m.write64(at + 8L * i, s.fpr[i]);
            m.write64(at + 0x80 + 8L * i, s.gpr[i]);
            m.write32(at + 0x140 + 4L * i, s.ar[i]);
            m.write64(at + 0x180 + 8L * i, s.cr[i]);
        }
        m.write64(at + 0x100, s.psw());
        m.write64(at + 0x108, s.pswAddr);
        m.write32(at + 0x118, (int) s.prefix);
        m.write32(at + 0x11c, s.fpc);
        m.write32(at + 0x124, s.todpr);
        m.write64(at + 0x128, cpu.cpuTimer());
        m.write64(at + 0x130, s.clockComparator >>> 8);
    }
}
