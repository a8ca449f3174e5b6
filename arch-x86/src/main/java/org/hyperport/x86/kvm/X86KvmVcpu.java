package org.hyperport.x86.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.CpuState;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.Mmu;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.Translation;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VcpuExit;
import org.hyperport.common.kvm.KvmIoctl;
import org.hyperport.common.kvm.KvmRun;
import org.hyperport.common.kvm.KvmVcpuFd;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.cpu.X86Diagnostics;
import org.hyperport.x86.mmu.X86PageWalker;

/**
 * An x86-64 vCPU under KVM. {@link #run()} turns {@code kvm_run} exits into {@link VcpuExit}s without allocating:
 * port I/O and MMIO go through per-vCPU flyweights whose read results are copied back into {@code kvm_run} on the next
 * entry, as api.rst requires ("the userspace must complete the operation before re-entering").
 */
public final class X86KvmVcpu implements Vcpu {

    private final KvmVcpuFd fd;
    private final GuestMemory memory;
    private final MemorySegment run;
    private final Arena arena = Arena.ofShared();
    private final KvmX86Registers registers;
    private final VcpuExit.PortIo pio = new VcpuExit.PortIo(4096);
    private final VcpuExit.Mmio mmio = new VcpuExit.Mmio();
    private final MemorySegment mpState;
    private final X86CpuState scratch = new X86CpuState();
    private final Mmu mmu = new KvmMmu();
    private final CpuState state = new KvmCpuState();

    /** 0: nothing to complete; 1: a port read; 2: an MMIO read. */
    private int pending;

    X86KvmVcpu(KvmVcpuFd fd, GuestMemory memory) {
        this.fd = fd;
        this.memory = memory;
        this.run = fd.kvmRun();
        this.registers = new KvmX86Registers(fd, arena);
        this.mpState = arena.allocate(4, 4);
    }

    KvmVcpuFd fd() {
        return fd;
    }

    @Override
    public int index() {
        return fd.id();
    }

    @Override
    public VcpuExit run() {
        completePending();
        int reason = fd.run();
        if (reason != KvmVcpuFd.INTERRUPTED) {
            lastMpState = KvmIoctl.KVM_MP_STATE_RUNNABLE;
        }
        return switch (reason) {
            case KvmVcpuFd.INTERRUPTED -> interrupted();
            case KvmRun.EXIT_IO -> portIo();
            case KvmRun.EXIT_MMIO -> mmioExit();
            case KvmRun.EXIT_HLT -> KvmRun.ifFlag(run) ? VcpuExit.Stopped.INSTANCE
                    : new VcpuExit.Halted("hlt with interrupts disabled");
            case KvmRun.EXIT_SHUTDOWN -> new VcpuExit.Shutdown("triple fault (KVM_EXIT_SHUTDOWN)");
            case KvmRun.EXIT_FAIL_ENTRY -> new VcpuExit.EngineFailure(String.format(
                    "KVM_EXIT_FAIL_ENTRY: hardware entry failure reason 0x%x", KvmRun.failEntryReason(run)));
            case KvmRun.EXIT_INTERNAL_ERROR -> internalError();
            case KvmRun.EXIT_SYSTEM_EVENT -> systemEvent();
            case KvmRun.EXIT_IRQ_WINDOW_OPEN, KvmRun.EXIT_INTR -> VcpuExit.Stopped.INSTANCE;
            default -> new VcpuExit.EngineFailure("unexpected KVM exit " + KvmRun.exitName(reason)
                    + " (" + reason + ")");
        };
    }

    /** The mp_state seen at the last kick; the watchdog kicks a vCPU that has not exited for a while. */
    private volatile int lastMpState = KvmIoctl.KVM_MP_STATE_RUNNABLE;

    @Override
    public boolean dormant() {
        int s = lastMpState;
        return s == KvmIoctl.KVM_MP_STATE_UNINITIALIZED || s == KvmIoctl.KVM_MP_STATE_INIT_RECEIVED;
    }

    private VcpuExit interrupted() {
        // A kick, or the watchdog asking whether we are halted with no way to wake up.
        int r = fd.tryIoctl(KvmIoctl.KVM_GET_MP_STATE, mpState);
        if (r == 0) {
            lastMpState = mpState.get(ValueLayout.JAVA_INT, 0);
        }
        if (r == 0 && mpState.get(ValueLayout.JAVA_INT, 0) == KvmIoctl.KVM_MP_STATE_HALTED) {
            long rflags = registers.ripAndFlags()[1];
            if ((rflags & X86CpuState.RFLAGS_IF) == 0) {
                return new VcpuExit.Halted("hlt with interrupts disabled");
            }
        }
        return VcpuExit.Stopped.INSTANCE;
    }

    private VcpuExit portIo() {
        int size = KvmRun.ioSize(run);
        int count = KvmRun.ioCount(run);
        boolean write = KvmRun.ioDirection(run) == KvmRun.IO_OUT;
        long off = KvmRun.ioDataOffset(run);
        if (count > pio.capacity()) {
            return new VcpuExit.EngineFailure("string I/O of " + count + " elements exceeds " + pio.capacity());
        }
        pio.reset(KvmRun.ioPort(run), size, write, count);
        if (write) {
            for (int i = 0; i < count; i++) {
                pio.set(i, readData(off + (long) i * size, size));
            }
        } else {
            pending = 1;
        }
        return pio;
    }

    private long readData(long off, int size) {
        return switch (size) {
            case 1 -> run.get(ValueLayout.JAVA_BYTE, off) & 0xffL;
            case 2 -> run.get(ValueLayout.JAVA_SHORT_UNALIGNED, off) & 0xffffL;
            default -> run.get(ValueLayout.JAVA_INT_UNALIGNED, off) & 0xffffffffL;
        };
    }

    private void writeData(long off, int size, long v) {
        switch (size) {
            case 1 -> run.set(ValueLayout.JAVA_BYTE, off, (byte) v);
            case 2 -> run.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) v);
            default -> run.set(ValueLayout.JAVA_INT_UNALIGNED, off, (int) v);
        }
    }

    private VcpuExit mmioExit() {
        int len = Math.min(8, KvmRun.mmioLength(run));
        boolean write = KvmRun.mmioIsWrite(run);
        long value = write ? KvmRun.mmioData(run) & (len == 8 ? -1L : (1L << (8 * len)) - 1) : 0;
        mmio.reset(KvmRun.mmioAddress(run), len, write, value);
        if (!write) {
            pending = 2;
        }
        return mmio;
    }

    private void completePending() {
        if (pending == 1) {
            long off = KvmRun.ioDataOffset(run);
            int size = pio.size();
            for (int i = 0; i < pio.count(); i++) {
                writeData(off + (long) i * size, size, pio.get(i));
            }
        } else if (pending == 2) {
            KvmRun.setMmioData(run, mmio.value());
        }
        pending = 0;
    }

    private VcpuExit internalError() {
        int sub = KvmRun.internalSuberror(run);
        StringBuilder sb = new StringBuilder("KVM_EXIT_INTERNAL_ERROR: ").append(KvmRun.suberrorName(sub))
                .append(" (suberror ").append(sub).append(')');
        int n = KvmRun.internalNdata(run);
        if (n > 0) {
            sb.append(", data");
            for (int i = 0; i < n; i++) {
                sb.append(String.format(" 0x%x", KvmRun.internalData(run, i)));
            }
        }
        return new VcpuExit.EngineFailure(sb.toString());
    }

    private VcpuExit systemEvent() {
        int type = KvmRun.systemEventType(run);
        return switch (type) {
            case KvmRun.SYSTEM_EVENT_SHUTDOWN -> new VcpuExit.Halted("system event: shutdown");
            case KvmRun.SYSTEM_EVENT_RESET -> new VcpuExit.Shutdown("system event: reset");
            default -> new VcpuExit.EngineFailure("KVM system event " + type);
        };
    }

    @Override
    public void kick() {
        fd.kick();
    }

    @Override
    public CpuState state() {
        return state;
    }

    @Override
    public Mmu mmu() {
        return mmu;
    }

    /** Puts the register file into KVM. */
    void load(X86CpuState s) {
        registers.write(s);
    }

    @Override
    public String describeLocation() {
        try {
            X86CpuState s = new X86CpuState();
            registers.read(s);
            return X86Diagnostics.location(index(), s, memory);
        } catch (RuntimeException e) {
            return "vcpu " + index() + " location unavailable: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }

    private final class KvmCpuState implements CpuState {
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
            registers.read(scratch);
            return scratch.snapshot();
        }

        @Override
        public void restore(CpuSnapshot snapshot) {
            registers.read(scratch);
            scratch.restore(snapshot);
            registers.write(scratch);
        }
    }

    private final class KvmMmu implements Mmu {
        @Override
        public AddressSpace outputSpace() {
            return AddressSpace.PHYSICAL;
        }

        @Override
        public Translation translate(long virtual, org.hyperport.api.Access access, int privilege) {
            registers.read(scratch);
            return X86PageWalker.walk(memory, scratch.cr0, scratch.cr3, scratch.cr4, scratch.efer, virtual, access,
                    privilege, true);
        }

        @Override
        public Translation debugTranslate(long virtual) {
            registers.read(scratch);
            return X86PageWalker.walk(memory, scratch.cr0, scratch.cr3, scratch.cr4, scratch.efer, virtual,
                    org.hyperport.api.Access.READ, 0, false);
        }
    }

}
