package org.hyperport.x86.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hyperport.common.kvm.KvmVcpuFd;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * Marshals {@link X86CpuState} to and from {@code struct kvm_regs}, {@code kvm_sregs}, {@code kvm_fpu} and
 * {@code kvm_msrs}. Buffers are allocated once per vCPU.
 */
final class KvmX86Registers {

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;

    /** kvm_regs order: rax rbx rcx rdx rsi rdi rsp rbp r8-r15 rip rflags. */
    private static final int[] REGS_ORDER = {X86CpuState.RAX, X86CpuState.RBX, X86CpuState.RCX, X86CpuState.RDX,
        X86CpuState.RSI, X86CpuState.RDI, X86CpuState.RSP, X86CpuState.RBP, 8, 9, 10, 11, 12, 13, 14, 15};

    private final KvmVcpuFd vcpu;
    private final MemorySegment regs;
    private final MemorySegment sregs;
    private final MemorySegment fpu;
    private final MemorySegment msrs;

    KvmX86Registers(KvmVcpuFd vcpu, Arena arena) {
        this.vcpu = vcpu;
        this.regs = arena.allocate(X86KvmIoctl.SIZEOF_REGS, 8);
        this.sregs = arena.allocate(X86KvmIoctl.SIZEOF_SREGS, 8);
        this.fpu = arena.allocate(X86KvmIoctl.SIZEOF_FPU, 16);
        this.msrs = arena.allocate(8 + 16L * X86CpuState.MSRS.size(), 8);
    }

    /** Reads RIP and RFLAGS only (one ioctl), for cheap checks. */
    long[] ripAndFlags() {
        vcpu.ioctl(X86KvmIoctl.KVM_GET_REGS, regs, "KVM_GET_REGS");
        return new long[] {regs.get(U64, 128), regs.get(U64, 136)};
    }

    void read(X86CpuState s) {
        vcpu.ioctl(X86KvmIoctl.KVM_GET_REGS, regs, "KVM_GET_REGS");
        for (int i = 0; i < 16; i++) {
            s.gpr[REGS_ORDER[i]] = regs.get(U64, 8L * i);
        }
        s.rip = regs.get(U64, 128);
        s.rflags = regs.get(U64, 136);

        vcpu.ioctl(X86KvmIoctl.KVM_GET_SREGS, sregs, "KVM_GET_SREGS");
        Segment[] segs = {s.cs, s.ds, s.es, s.fs, s.gs, s.ss, s.tr, s.ldt};
        for (int i = 0; i < segs.length; i++) {
            readSegment(sregs, 24L * i, segs[i]);
        }
        s.gdtBase = sregs.get(U64, 0xC0);
        s.gdtLimit = sregs.get(ValueLayout.JAVA_SHORT, 0xC8) & 0xffff;
        s.idtBase = sregs.get(U64, 0xD0);
        s.idtLimit = sregs.get(ValueLayout.JAVA_SHORT, 0xD8) & 0xffff;
        s.cr0 = sregs.get(U64, 0xE0);
        s.cr2 = sregs.get(U64, 0xE8);
        s.cr3 = sregs.get(U64, 0xF0);
        s.cr4 = sregs.get(U64, 0xF8);
        s.cr8 = sregs.get(U64, 0x100);
        s.efer = sregs.get(U64, 0x108);
        s.apicBase = sregs.get(U64, 0x110);

        vcpu.ioctl(X86KvmIoctl.KVM_GET_FPU, fpu, "KVM_GET_FPU");
        for (int i = 0; i < 8; i++) {
            s.st[2 * i] = fpu.get(U64, 16L * i);
            s.st[2 * i + 1] = fpu.get(ValueLayout.JAVA_SHORT, 16L * i + 8) & 0xffff;
        }
        s.fcw = fpu.get(ValueLayout.JAVA_SHORT, 128) & 0xffff;
        s.fsw = fpu.get(ValueLayout.JAVA_SHORT, 130) & 0xffff;
        s.ftw = fpu.get(ValueLayout.JAVA_BYTE, 132) & 0xff;
        s.fop = fpu.get(ValueLayout.JAVA_SHORT, 134) & 0xffff;
        s.fip = fpu.get(U64, 136);
        s.fdp = fpu.get(U64, 144);
        for (int i = 0; i < 16; i++) {
            s.xmm[2 * i] = fpu.get(U64, 152 + 16L * i);
            s.xmm[2 * i + 1] = fpu.get(U64, 152 + 16L * i + 8);
        }
        s.mxcsr = fpu.get(U32, 408);

        int n = prepareMsrs();
        int got = vcpu.ioctl(X86KvmIoctl.KVM_GET_MSRS, msrs, "KVM_GET_MSRS");
        for (int i = 0; i < Math.min(n, got); i++) {
            s.msr[i] = msrs.get(U64, 8 + 16L * i + 8);
        }
    }

    void write(X86CpuState s) {
        for (int i = 0; i < 16; i++) {
            regs.set(U64, 8L * i, s.gpr[REGS_ORDER[i]]);
        }
        regs.set(U64, 128, s.rip);
        regs.set(U64, 136, s.rflags);
        vcpu.ioctl(X86KvmIoctl.KVM_SET_REGS, regs, "KVM_SET_REGS");

        // Read first so interrupt_bitmap and anything else we do not model round-trips.
        vcpu.ioctl(X86KvmIoctl.KVM_GET_SREGS, sregs, "KVM_GET_SREGS");
        Segment[] segs = {s.cs, s.ds, s.es, s.fs, s.gs, s.ss, s.tr, s.ldt};
        for (int i = 0; i < segs.length; i++) {
            writeSegment(sregs, 24L * i, segs[i]);
        }
        sregs.set(U64, 0xC0, s.gdtBase);
        sregs.set(ValueLayout.JAVA_SHORT, 0xC8, (short) s.gdtLimit);
        sregs.set(U64, 0xD0, s.idtBase);
        sregs.set(ValueLayout.JAVA_SHORT, 0xD8, (short) s.idtLimit);
        sregs.set(U64, 0xE0, s.cr0);
        sregs.set(U64, 0xE8, s.cr2);
        sregs.set(U64, 0xF0, s.cr3);
        sregs.set(U64, 0xF8, s.cr4);
        sregs.set(U64, 0x100, s.cr8);
        sregs.set(U64, 0x108, s.efer);
        sregs.set(U64, 0x110, s.apicBase);
        vcpu.ioctl(X86KvmIoctl.KVM_SET_SREGS, sregs, "KVM_SET_SREGS");

        fpu.fill((byte) 0);
        for (int i = 0; i < 8; i++) {
            fpu.set(U64, 16L * i, s.st[2 * i]);
            fpu.set(ValueLayout.JAVA_SHORT, 16L * i + 8, (short) s.st[2 * i + 1]);
        }
        fpu.set(ValueLayout.JAVA_SHORT, 128, (short) s.fcw);
        fpu.set(ValueLayout.JAVA_SHORT, 130, (short) s.fsw);
        fpu.set(ValueLayout.JAVA_BYTE, 132, (byte) s.ftw);
        fpu.set(ValueLayout.JAVA_SHORT, 134, (short) s.fop);
        fpu.set(U64, 136, s.fip);
        fpu.set(U64, 144, s.fdp);
        for (int i = 0; i < 16; i++) {
            fpu.set(U64, 152 + 16L * i, s.xmm[2 * i]);
            fpu.set(U64, 152 + 16L * i + 8, s.xmm[2 * i + 1]);
        }
        fpu.set(U32, 408, s.mxcsr);
        vcpu.ioctl(X86KvmIoctl.KVM_SET_FPU, fpu, "KVM_SET_FPU");

        int n = prepareMsrs();
        for (int i = 0; i < n; i++) {
            msrs.set(U64, 8 + 16L * i + 8, s.msr[i]);
        }
        vcpu.ioctl(X86KvmIoctl.KVM_SET_MSRS, msrs, "KVM_SET_MSRS");
    }

    private int prepareMsrs() {
        int n = X86CpuState.MSRS.size();
        msrs.set(U32, 0, n);
        msrs.set(U32, 4, 0);
        int i = 0;
        for (int index : X86CpuState.MSRS.keySet()) {
            msrs.set(U32, 8 + 16L * i, index);
            msrs.set(U32, 8 + 16L * i + 4, 0);
            i++;
        }
        return n;
    }

    // struct kvm_segment: u64 base; u32 limit; u16 selector; u8 type, present, dpl, db, s, l, g, avl, unusable, pad.
    private static void readSegment(MemorySegment m, long off, Segment s) {
        s.base = m.get(U64, off);
        s.limit = m.get(U32, off + 8);
        s.selector = m.get(ValueLayout.JAVA_SHORT, off + 12) & 0xffff;
        int attr = m.get(ValueLayout.JAVA_BYTE, off + 14) & 0xf;
        attr |= flag(m, off + 15, Segment.P);
        attr |= (m.get(ValueLayout.JAVA_BYTE, off + 16) & 3) << 5;
        attr |= flag(m, off + 17, Segment.DB);
        attr |= flag(m, off + 18, Segment.S);
        attr |= flag(m, off + 19, Segment.L);
        attr |= flag(m, off + 20, Segment.G);
        attr |= flag(m, off + 21, Segment.AVL);
        attr |= flag(m, off + 22, Segment.UNUSABLE);
        s.attr = attr;
    }

    private static int flag(MemorySegment m, long off, int bit) {
        return m.get(ValueLayout.JAVA_BYTE, off) != 0 ? bit : 0;
    }

    private static void writeSegment(MemorySegment m, long off, Segment s) {
        m.set(U64, off, s.base);
        m.set(U32, off + 8, s.limit);
        m.set(ValueLayout.JAVA_SHORT, off + 12, (short) s.selector);
        m.set(ValueLayout.JAVA_BYTE, off + 14, (byte) s.type());
        m.set(ValueLayout.JAVA_BYTE, off + 15, (byte) ((s.attr & Segment.P) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 16, (byte) s.dpl());
        m.set(ValueLayout.JAVA_BYTE, off + 17, (byte) ((s.attr & Segment.DB) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 18, (byte) ((s.attr & Segment.S) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 19, (byte) ((s.attr & Segment.L) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 20, (byte) ((s.attr & Segment.G) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 21, (byte) ((s.attr & Segment.AVL) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 22, (byte) ((s.attr & Segment.UNUSABLE) != 0 ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, off + 23, (byte) 0);
    }
}
