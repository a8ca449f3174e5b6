package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * Segment descriptors and selector loading (SDM Vol 3A §3.4-3.5 "Segment Selectors/Descriptors", §5.5-5.8
 * privilege checks for data, stack and code segments). Descriptor tables are read through {@link LinearMemory} as
 * supervisor accesses. Violations raise #GP, #SS or #NP with the selector's error code (index | TI, Vol 3A §6.13).
 */
public final class Descriptors {

    private final X86CpuState cpu;
    private final LinearMemory mem;
    private final CpuFault fault;

    public Descriptors(X86CpuState cpu, LinearMemory mem, CpuFault fault) {
        this.cpu = cpu;
        this.mem = mem;
        this.fault = fault;
    }

    /**
     * Current privilege level (Vol 3A §5.5): 0 in real mode, 3 in virtual-8086 mode, otherwise SS.DPL, which
     * always equals the CPL (it also does after a transfer to a conforming code segment, where CS.DPL does not, and
     * in the window after CR0.PE is set but before CS is reloaded). KVM and VMX use the same definition.
     */
    public int cpl() {
        if ((cpu.cr0 & X86CpuState.CR0_PE) == 0) {
            return 0;
        }
        if ((cpu.rflags & (1 << 17)) != 0) {
            return 3;
        }
        return cpu.ss.dpl();
    }

    /** Reads the 8-byte descriptor for {@code selector} from the GDT or LDT; #GP(selector) beyond the limit. */
    public long read(int selector) {
        boolean ldt = (selector & 4) != 0;
        long base = ldt ? cpu.ldt.base : cpu.gdtBase;
        long limit = ldt ? cpu.ldt.limit & 0xffffffffL : cpu.gdtLimit;
        long offset = selector & 0xfff8L;
        if ((ldt && (cpu.ldt.attr & Segment.UNUSABLE) != 0) || offset + 7 > limit) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        return mem.read(base + offset, 8, false, 0);
    }

    /** The high 8 bytes of a 16-byte system descriptor (long-mode TSS, LDT, call and interrupt gates). */
    public long readHigh(int selector) {
        boolean ldt = (selector & 4) != 0;
        long base = ldt ? cpu.ldt.base : cpu.gdtBase;
        long limit = ldt ? cpu.ldt.limit & 0xffffffffL : cpu.gdtLimit;
        long offset = (selector & 0xfff8L) + 8;
        if (offset + 7 > limit) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        return mem.read(base + offset, 8, false, 0);
    }

    /** Unpacks descriptor {@code d} into {@code seg} (Vol 3A Figure 3-8), with the limit scaled by G. */
    public static void unpack(long d, int selector, Segment seg) {
        long base = ((d >>> 16) & 0xffffff) | ((d >>> 32) & 0xff000000L);
        int limit = (int) ((d & 0xffff) | ((d >>> 32) & 0xf0000));
        int access = (int) ((d >>> 40) & 0xff);
        int flags = (int) ((d >>> 52) & 0xf);
        int attr = access & 0xff;
        if ((flags & 1) != 0) {
            attr |= Segment.AVL;
        }
        if ((flags & 2) != 0) {
            attr |= Segment.L;
        }
        if ((flags & 4) != 0) {
            attr |= Segment.DB;
        }
        if ((flags & 8) != 0) {
            attr |= Segment.G;
            limit = (limit << 12) | 0xfff;
        }
        seg.set(selector, base, limit, attr);
    }

    /** Sets the accessed bit in the descriptor in memory if it is clear (Vol 3A §3.4.5.1). */
    private void markAccessed(int selector, long d) {
        if ((d & (1L << 40)) == 0) {
            boolean ldt = (selector & 4) != 0;
            long base = ldt ? cpu.ldt.base : cpu.gdtBase;
            long la = base + (selector & 0xfff8L) + 5;
            mem.write(la, 1, ((d >>> 40) & 0xff) | 1, false);
        }
    }

    /**
     * MOV/POP to DS, ES, FS or GS in protected mode (Vol 3A §5.7): a null selector loads an unusable segment;
     * otherwise the descriptor must be a data or readable code segment with DPL ≥ max(CPL, RPL) (unless conforming
     * code), present (#NP otherwise).
     */
    public void loadData(Segment seg, int selector) {
        if ((cpu.cr0 & X86CpuState.CR0_PE) == 0 || (cpu.rflags & (1 << 17)) != 0) {
            seg.set(selector & 0xffff, (selector & 0xffffL) << 4, seg.limit, seg.attr);
            return;
        }
        if ((selector & 0xfffc) == 0) {
            seg.set(selector & 0xffff, 0, 0, Segment.UNUSABLE);
            return;
        }
        long d = read(selector);
        int type = (int) ((d >>> 40) & 0xf);
        boolean s = (d & (1L << 44)) != 0;
        int dpl = (int) ((d >>> 45) & 3);
        boolean code = (type & 8) != 0;
        boolean readable = !code || (type & 2) != 0;
        boolean conforming = code && (type & 4) != 0;
        int rpl = selector & 3;
        if (!s || !readable || (!conforming && dpl < Math.max(cpl(), rpl))) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        if ((d & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        markAccessed(selector, d);
        unpack(d | (1L << 40), selector, seg);
    }

    /**
     * MOV/POP SS in protected mode (Vol 3A §5.7.1): RPL and DPL must equal CPL and the segment must be a writable
     * data segment; a null selector is #GP(0) except in 64-bit mode at CPL < 3. Not present is #SS.
     */
    public void loadStack(int selector) {
        if ((cpu.cr0 & X86CpuState.CR0_PE) == 0 || (cpu.rflags & (1 << 17)) != 0) {
            cpu.ss.set(selector & 0xffff, (selector & 0xffffL) << 4, cpu.ss.limit, cpu.ss.attr);
            return;
        }
        int cpl = cpl();
        if ((selector & 0xfffc) == 0) {
            boolean long64 = (cpu.efer & X86CpuState.EFER_LMA) != 0 && (cpu.cs.attr & Segment.L) != 0;
            if (long64 && cpl < 3 && (selector & 3) == cpl) {
                cpu.ss.set(selector & 0xffff, 0, 0, Segment.UNUSABLE | (cpl << 5));
                return;
            }
            throw fault.raise(CpuFault.GP, 0);
        }
        long d = read(selector);
        int type = (int) ((d >>> 40) & 0xf);
        boolean s = (d & (1L << 44)) != 0;
        int dpl = (int) ((d >>> 45) & 3);
        boolean writableData = (type & 8) == 0 && (type & 2) != 0;
        if (!s || !writableData || (selector & 3) != cpl || dpl != cpl) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        if ((d & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.SS, selector & 0xfffc);
        }
        markAccessed(selector, d);
        unpack(d | (1L << 40), selector, cpu.ss);
    }

    /**
     * Loads CS for a far JMP/CALL/RET/IRET to a code segment at privilege {@code newCpl} (Vol 3A §5.8.1): the
     * caller has already checked the transfer's privilege rules; this checks the descriptor is present code and
     * installs it with RPL = newCpl.
     */
    public void loadCode(int selector, int newCpl) {
        if ((cpu.cr0 & X86CpuState.CR0_PE) == 0 || (cpu.rflags & (1 << 17)) != 0) {
            cpu.cs.set(selector & 0xffff, (selector & 0xffffL) << 4, cpu.cs.limit, cpu.cs.attr);
            return;
        }
        if ((selector & 0xfffc) == 0) {
            throw fault.raise(CpuFault.GP, 0);
        }
        long d = read(selector);
        boolean s = (d & (1L << 44)) != 0;
        boolean code = (d & (1L << 43)) != 0;
        if (!s || !code) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        if ((d & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        markAccessed(selector, d);
        unpack(d | (1L << 40), (selector & 0xfffc) | newCpl, cpu.cs);
    }
}
