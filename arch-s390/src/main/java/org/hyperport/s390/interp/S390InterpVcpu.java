package org.hyperport.s390.interp;

import java.util.concurrent.locks.LockSupport;
import org.hyperport.api.CpuState;
import org.hyperport.api.Mmu;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VcpuExit;
import org.hyperport.api.VmControl;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.machine.S390Board;
import org.hyperport.s390.machine.S390Cpu;
import org.hyperport.s390.mmu.S390Mmu;

/**
 * An s390x CPU run by {@link S390Interpreter}. {@link #run()} steps the interpreter in blocks and exits only when
 * the CPU can run no more: a disabled wait with an address ending in 0xfff is QEMU's "quiesce" power-off
 * ({@link VcpuExit.Halted}); any other disabled wait is a crash ({@link VcpuExit.Shutdown}, reported with the PSW).
 * In an enabled wait the thread parks until an interruption is posted or the clock comparator / CPU timer is due.
 * A CPU in the stopped state parks and is {@link #dormant()}; it runs once another CPU starts or restarts it.
 */
public final class S390InterpVcpu implements Vcpu {

    /** Instructions between checks of orders from other CPUs and kicks. */
    static final int BLOCK = 1024;
    /** Longest park: the kick and order latency bound when nothing is due. */
    static final long MAX_PARK_NANOS = 10_000_000L;

    private final S390Cpu slot;
    private final S390Interpreter interp;
    private final S390CpuState cpu;
    private final S390Board board;
    private final VmControl control;
    private final S390Mmu mmu;
    private volatile boolean kicked;
    private volatile Thread thread;

    S390InterpVcpu(S390Cpu slot, S390Board board, VmControl control) {
        this.slot = slot;
        this.interp = slot.interpreter();
        this.cpu = interp.state();
        this.board = board;
        this.control = control;
        this.mmu = new S390Mmu(interp);
        slot.setWaker(this::wake);
    }

    public S390Interpreter interpreter() {
        return interp;
    }

    public long retired() {
        return interp.retired;
    }

    @Override
    public int index() {
        return slot.address();
    }

    @Override
    public VcpuExit run() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        while (true) {
            if (kicked) {
                kicked = false;
                return VcpuExit.Stopped.INSTANCE;
            }
            if (slot.attention && slot.service()) {
                board.cpuStopped();
            }
            if (slot.stopped()) {
                LockSupport.parkNanos(MAX_PARK_NANOS);
                continue;
            }
            if (!runBlock()) {
                continue;
            }
            // The wait state with nothing to take.
            long mask = cpu.pswMask;
            if ((mask & (S390CpuState.PSW_IO | S390CpuState.PSW_EXT | S390CpuState.PSW_MCHK)) == 0) {
                if ((cpu.pswAddr & 0xfff) == 0xfff) {
                    return new VcpuExit.Halted(String.format("disabled wait, PSW %016x %016x", cpu.psw(),
                            cpu.pswAddr));
                }
                String last = interp.describeLastProgramInterruption();
                return new VcpuExit.Shutdown((last.isEmpty() ? "disabled wait" : "disabled wait; " + last)
                        + "; recent instruction addresses " + interp.recentAddresses());
            }
            LockSupport.parkNanos(parkNanos(mask));
        }
    }

    /** Runs up to {@link #BLOCK} steps; returns true if the CPU is in the wait state with nothing to take. */
    private boolean runBlock() {
        for (int k = 0; k < BLOCK; k++) {
            if (!interp.step()) {
                return true;
            }
            if (slot.attention || kicked) {
                return false;
            }
        }
        return false;
    }

    /** How long an enabled wait may park: until the clock comparator or CPU timer is due, at most 10 ms. */
    private long parkNanos(long mask) {
        long nanos = MAX_PARK_NANOS;
        if ((mask & S390CpuState.PSW_EXT) != 0) {
            long cr0 = cpu.cr[0];
            if ((cr0 & S390Interpreter.CR0_CLOCK_COMPARATOR) != 0) {
                nanos = Math.min(nanos, board.clock().nanosUntil(cpu.clockComparator + 1, nanos));
            }
            if ((cr0 & S390Interpreter.CR0_CPU_TIMER) != 0) {
                long t = interp.cpuTimer();
                nanos = Math.min(nanos, t < 0 ? 0 : Math.min(t, (MAX_PARK_NANOS / 1000) << 12) * 1000 >>> 12);
            }
        }
        return Math.max(nanos, 1000);
    }

    @Override
    public boolean dormant() {
        return slot.stopped();
    }

    @Override
    public void kick() {
        kicked = true;
        wake();
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public CpuState state() {
        return cpu;
    }

    @Override
    public Mmu mmu() {
        return mmu;
    }


    /** "cpu N: PSW mask addr (state) bytes ..." from the register file and storage; never throws. */
    @Override
    public String describeLocation() {
        try {
            StringBuilder sb = new StringBuilder();
            long mask = cpu.psw();
            sb.append(String.format("cpu %d: PSW %016x %016x", slot.address(), mask, cpu.pswAddr));
            if ((mask & S390CpuState.PSW_WAIT) != 0) {
                boolean enabled = (mask & (S390CpuState.PSW_IO | S390CpuState.PSW_EXT
                        | S390CpuState.PSW_MCHK)) != 0;
                sb.append(enabled ? " (enabled wait)" : " (disabled wait)");
            } else {
                sb.append(" ").append(cpu.addressingMode()).append("-bit")
                        .append((mask & S390CpuState.PSW_DAT) != 0 ? ", DAT on" : ", DAT off");
                long abs = interp.absolute(cpu.pswAddr);
                if ((mask & S390CpuState.PSW_DAT) == 0 && abs >= 0 && abs + 6 <= interp.storageSize()) {
                    sb.append(", bytes");
                    for (int i = 0; i < 6; i++) {
                        sb.append(String.format(" %02x", interp.ram().read8(abs + i) & 0xff));
                    }
                }
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return "cpu " + slot.address() + ": PSW unavailable (" + e + ")";
        }
    }

    @Override
    public void close() {
    }
}
