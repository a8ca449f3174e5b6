package org.hyperport.x86.interp;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.CpuState;
import org.hyperport.api.Mmu;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.Translation;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VcpuExit;
import org.hyperport.common.bus.Bus;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.cpu.X86Diagnostics;
import org.hyperport.x86.intc.EmulatedIrqchip;
import org.hyperport.x86.intc.LocalApic;
import org.hyperport.x86.intc.X86InterruptSource;
import org.hyperport.x86.mmu.X86PageWalker;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;

/**
 * An x86-64 vCPU run by {@link X86Interpreter}. The interrupt controllers and timers are "in the engine", as KVM's
 * in-kernel irqchip is: their ports and MMIO pages are handled here without exits. Every other device access
 * leaves {@link #run()} as the same {@link VcpuExit.PortIo}/{@link VcpuExit.Mmio} KVM produces, so the VM core,
 * statistics and state records work identically on both engines:
 * <ul>
 *   <li>a write (OUT, MMIO store) completes the instruction and then exits with the value;</li>
 *   <li>a read (IN, MMIO load) exits before the instruction completes; the core fills in the value and the next
 *       {@code run()} re-executes the instruction, which now consumes it (instructions are restartable up to
 *       their first device read).</li>
 * </ul>
 */
public final class X86InterpVcpu implements Vcpu {

    /**
     * Instructions between checks of timers and kicks (at most; interrupts are checked after every instruction or
     * translated block). 2048 instructions take 1-20 µs; 512 cost the compute benchmark 10% in these checks.
     */
    static final int BLOCK = 2048;

    /** Thrown through the interpreter to leave an instruction for a device read; never escapes this class. */
    private static final class ExitRequest extends RuntimeException {
        ExitRequest() {
            super(null, null, false, false);
        }
    }

    private final int index;
    private final X86CpuState cpu = new X86CpuState();
    private final RamGuestMemory ram;
    private final Bus enginePio;
    private final Bus engineMmio;
    private final EmulatedIrqchip irq;
    private final LocalApic lapic;
    private final TimerQueue timers;
    private final Tsc tsc;
    private final X86Interpreter interp;
    private final VcpuExit.PortIo pio = new VcpuExit.PortIo(1);
    private final VcpuExit.Mmio mmio = new VcpuExit.Mmio();
    private final ExitRequest exitRequest = new ExitRequest();
    private final org.hyperport.x86.cpu.CpuidModel cpuid;

    /** 0 none; 1 port read returned to the core; 2 MMIO read returned to the core. */
    private int awaitingRead;
    /** A completed read value the re-executed instruction may consume. */
    private boolean readReady;
    /** 0 none; 1 port write to report; 2 MMIO write to report. */
    private int writeToReport;
    private volatile boolean kicked;
    private volatile Thread thread;
    private boolean nmiBlocked;

    X86InterpVcpu(int index, RamGuestMemory ram, Bus enginePio, Bus engineMmio, EmulatedIrqchip irq,
                  TimerQueue timers, Tsc tsc, List<X86Interpreter.Semantics> groups) {
        this.index = index;
        this.ram = ram;
        this.enginePio = enginePio;
        this.engineMmio = engineMmio;
        this.irq = irq;
        this.lapic = irq.lapic(index);
        this.timers = timers;
        this.tsc = tsc;
        this.cpuid = new org.hyperport.x86.cpu.CpuidModel(index);
        this.interp = new X86Interpreter(cpu, ram, new Platform(), new Hooks(),
                groups.toArray(X86Interpreter.Semantics[]::new));
    }

    /** The register file, for boot and tests. */
    public X86CpuState registers() {
        return cpu;
    }

    /** Drops cached translations after the register file was changed from outside. */
    void stateChanged() {
        interp.mem.flush();
    }

    public long retired() {
        return interp.retired;
    }

    /** Instructions retired by blocks translated to JVM bytecode. */
    public long retiredTranslated() {
        return interp.retiredTranslated;
    }

    /** Guest code blocks translated to JVM bytecode so far. */
    public long blocksTranslated() {
        return interp.blocksTranslated;
    }

    /**
     * Executes exactly one instruction (or delivers the exception it raises), without timers, interrupts or device
     * exits: the single-step primitive lock-step tests compare against KVM's. Returns false on a triple fault.
     * Device accesses are not supported here: an instruction that needs one leaves the state unchanged and
     * returns true.
     */
    public boolean stepInstruction() {
        try {
            return interp.step();
        } catch (ExitRequest r) {
            awaitingRead = 0;
            return true;
        } finally {
            writeToReport = 0;
        }
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public VcpuExit run() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        if (awaitingRead != 0) {
            readReady = true;
            awaitingRead = 0;
        }
        while (true) {
            if (kicked) {
                kicked = false;
                return VcpuExit.Stopped.INSTANCE;
            }
            long now = timers.now();
            if (now >= timers.nextDeadline()) {
                timers.runExpired(now);
            }
            if (irq.waitingForSipi(index)) {
                int v = irq.takeSipi(index);
                if (v < 0) {
                    park(now);
                    continue;
                }
                startAp(v);
            }
            VcpuExit e = acceptEvents();
            if (e != null) {
                return e;
            }
            if (interp.halted) {
                if ((cpu.rflags & X86CpuState.RFLAGS_IF) == 0 && (irq.events(index) & X86InterruptSource.NMI) == 0) {
                    return new VcpuExit.Halted("hlt with interrupts disabled");
                }
                park(now);
                continue;
            }
            VcpuExit exit = runBlock();
            if (exit != null) {
                return exit;
            }
        }
    }

    /**
     * Up to {@link #BLOCK} instructions. The interpreter may keep status flags lazily between them; they are
     * written to {@code cpu.rflags} whenever the block ends, before events, exits or state reads.
     */
    private VcpuExit runBlock() {
        interp.beginBlock();
        try {
            for (int k = 0; k < BLOCK; ) {
                int n;
                try {
                    n = interp.stepBlock(BLOCK - k);
                } catch (ExitRequest r) {
                    return awaitingRead == 1 ? pio : mmio;
                }
                if (writeToReport != 0) {
                    int w = writeToReport;
                    writeToReport = 0;
                    return w == 1 ? pio : mmio;
                }
                if (n < 0) {
                    return new VcpuExit.Shutdown("triple fault");
                }
                k += n;
                if (interp.halted || kicked || deliverable(irq.events(index))) {
                    break;
                }
            }
            return null;
        } finally {
            interp.syncFlags();
        }
    }

    /**
     * Whether pending events {@code e} could be taken now ({@link #acceptEvents}): a maskable interrupt waits while
     * IF is 0 and an NMI while NMIs are blocked, so they need not end the block after every instruction.
     */
    private boolean deliverable(int e) {
        return e != 0 && ((e & ~(X86InterruptSource.INTR | X86InterruptSource.NMI)) != 0
                || ((e & X86InterruptSource.NMI) != 0 && !nmiBlocked)
                || ((e & X86InterruptSource.INTR) != 0 && (cpu.rflags & X86CpuState.RFLAGS_IF) != 0));
    }

    /** SDM Vol 3A §6.9 order at an instruction boundary: INIT, NMI, then maskable interrupts. */
    private VcpuExit acceptEvents() {
        int e = irq.events(index);
        if (e == 0) {
            return null;
        }
        if ((e & X86InterruptSource.INIT) != 0 && irq.takeInit(index)) {
            interp.halted = false;
            return null; // the AP now waits for a SIPI; the BSP's INIT is not modelled further
        }
        if ((e & X86InterruptSource.NMI) != 0 && !nmiBlocked && irq.takeNmi(index)) {
            interp.halted = false;
            if (!interp.deliverExternal(2)) {
                return new VcpuExit.Shutdown("triple fault delivering NMI");
            }
            return null;
        }
        if ((e & X86InterruptSource.INTR) != 0 && (cpu.rflags & X86CpuState.RFLAGS_IF) != 0
                && !interp.interruptShadow) {
            int vector = irq.acknowledge(index);
            interp.halted = false;
            if (!interp.deliverExternal(vector)) {
                return new VcpuExit.Shutdown("triple fault delivering vector " + vector);
            }
        }
        return null;
    }

    private void startAp(int vector) {
        cpu.cr0 = X86CpuState.CR0_ET;
        cpu.cs.set(vector << 8, (long) vector << 12, 0xffff, 0x9b | org.hyperport.x86.cpu.Segment.S);
        cpu.rip = 0;
        interp.halted = false;
        interp.mem.flush();
    }

    private void park(long now) {
        long deadline = timers.nextDeadline();
        long wait = deadline == TimerQueue.NEVER ? 10_000_000L : Math.max(10_000L, Math.min(deadline - now,
                10_000_000L));
        LockSupport.parkNanos(wait);
    }

    @Override
    public boolean dormant() {
        return irq.waitingForSipi(index);
    }

    @Override
    public void kick() {
        kicked = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Wakes the vCPU if it is halted: an interrupt arrived from another thread. */
    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public CpuState state() {
        return new CpuState() {
            @Override
            public String architecture() {
                return X86CpuState.ARCH;
            }

            @Override
            public List<RegisterDesc> layout() {
                return X86CpuState.layout();
            }

            @Override
            public CpuSnapshot snapshot() {
                cpu.msr[X86CpuState.msrSlot(0x10)] = tsc.read();
                return cpu.snapshot();
            }

            @Override
            public void restore(CpuSnapshot snapshot) {
                cpu.restore(snapshot);
                interp.mem.flush();
            }
        };
    }

    @Override
    public Mmu mmu() {
        return new Mmu() {
            @Override
            public AddressSpace outputSpace() {
                return AddressSpace.PHYSICAL;
            }

            @Override
            public Translation translate(long virtual, org.hyperport.api.Access access, int privilege) {
                return X86PageWalker.walk(ram, cpu.cr0, cpu.cr3, cpu.cr4, cpu.efer, virtual, access, privilege,
                        true);
            }

            @Override
            public Translation debugTranslate(long virtual) {
                return X86PageWalker.walk(ram, cpu.cr0, cpu.cr3, cpu.cr4, cpu.efer, virtual,
                        org.hyperport.api.Access.READ, 0, false);
            }
        };
    }

    @Override
    public String describeLocation() {
        return X86Diagnostics.location(index, cpu, ram);
    }

    @Override
    public void close() {
    }

    /** Device access from the interpreter: engine-internal devices directly, the rest as exits. */
    private final class Platform implements X86Platform {
        @Override
        public long ioIn(int port, int size) {
            if (enginePio.claims(port)) {
                return enginePio.read(port, size);
            }
            if (readReady && pio.port() == port && pio.size() == size && !pio.isWrite()) {
                readReady = false;
                return pio.get(0);
            }
            pio.reset(port, size, false, 1);
            awaitingRead = 1;
            throw exitRequest;
        }

        @Override
        public void ioOut(int port, int size, long value) {
            if (enginePio.claims(port)) {
                enginePio.write(port, size, value);
                return;
            }
            if (writeToReport != 0) {
                throw exitRequestAfterWrite();
            }
            pio.reset(port, size, true, 1).set(0, value);
            writeToReport = 1;
        }

        @Override
        public long mmioRead(long gpa, int size) {
            if (lapic.claims(gpa)) {
                return lapic.read(gpa & 0xfff, size);
            }
            if (engineMmio.claims(gpa)) {
                return engineMmio.read(gpa, size);
            }
            if (readReady && mmio.gpa() == gpa && mmio.size() == size && !mmio.isWrite()) {
                readReady = false;
                return mmio.value();
            }
            mmio.reset(gpa, size, false, 0);
            awaitingRead = 2;
            throw exitRequest;
        }

        @Override
        public void mmioWrite(long gpa, int size, long value) {
            if (lapic.claims(gpa)) {
                lapic.write(gpa & 0xfff, size, value);
                return;
            }
            if (engineMmio.claims(gpa)) {
                engineMmio.write(gpa, size, value);
                return;
            }
            if (writeToReport != 0) {
                throw exitRequestAfterWrite();
            }
            mmio.reset(gpa, size, true, value);
            writeToReport = 2;
        }
    }

    /**
     * A second device write within one instruction (REP OUTS): stop this iteration so the first write is reported
     * first; the string instruction resumes where it stopped.
     */
    private ExitRequest exitRequestAfterWrite() {
        awaitingRead = 0;
        return exitRequest;
    }

    private final class Hooks implements CpuHooks {
        @Override
        public long tsc() {
            return tsc.read();
        }

        @Override
        public void setTsc(long value) {
            tsc.write(value);
        }

        @Override
        public void cpuid(int eax, int ecx, int[] out) {
            cpuid.query(eax, ecx, out);
        }

        @Override
        public boolean readMsr(int index, long[] out) {
            if (lapic.claimsMsr(index)) {
                if (!lapic.msrReadable(index)) {
                    throw interp.fault.raise(CpuFault.GP, 0);
                }
                out[0] = lapic.readMsr(index);
                return true;
            }
            return false;
        }

        @Override
        public boolean writeMsr(int index, long value) {
            if (lapic.claimsMsr(index)) {
                if (!lapic.writeMsr(index, value)) {
                    throw interp.fault.raise(CpuFault.GP, 0);
                }
                return true;
            }
            return false;
        }
    }
}
