package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * Hardware task switching (SDM Vol 3A Ch. 8 "Task Management"), legacy protected mode only: far JMP/CALL to a TSS
 * descriptor or a task gate, interrupts and exceptions through a task gate in the IDT, and IRET with NT set (a return
 * through the previous-task link). IA-32e mode has no task switches; its callers raise #GP before getting here.
 *
 * <p>The switch follows §8.3: every check on the new TSS, the reads of its state and probes of everything the switch
 * writes (the old TSS, the busy bits in the GDT, the new TSS's link field) come first, so a fault before the commit
 * point leaves the old task untouched. After the commit point (TR loaded, old state saved) the segment descriptors of
 * the new task are loaded and checked; a fault there is raised in the context of the new task, and
 * {@link #takeNewTaskFault()} tells the interpreter not to roll RIP back to the faulting instruction.
 *
 * <p>Both TSS formats are handled (32-bit, Figure 8-2; 16-bit, Figure 8-11). CR3 is loaded from a 32-bit TSS when
 * paging is enabled; it is a static field, never saved. A 16-bit TSS has no fields for CR3, FS, GS or the upper
 * halves of the registers: here FS and GS become null and the upper register halves are kept. A new EFLAGS image
 * with VM set starts a virtual-8086 task. Every switch sets CR0.TS and clears the local breakpoint enables of DR7.
 * Not modelled: the T (debug trap) flag of the new TSS.
 */
final class TaskSwitch {

    /** What started the switch: the busy-bit, NT and back-link rules differ (Vol 3A Table 8-2). */
    enum Reason { JMP, CALL, IRET, INTERRUPT }

    private static final long NT = 1 << 14, VM = 1 << 17;
    /** EFLAGS bits a 32-bit TSS can load: everything defined except the reserved ones. */
    private static final long EFLAGS_LOADABLE = 0x3f7fd5L;
    private static final long TSS32_MIN_LIMIT = 0x67, TSS16_MIN_LIMIT = 0x2b;
    private static final int V86_ATTR = 0xf3 | Segment.S;
    private static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    private final X86CpuState cpu;
    private final LinearMemory mem;
    private final Descriptors desc;
    private final CpuFault fault;
    /** Set from the commit point of a switch until it completes: a fault now belongs to the new task. */
    private boolean committed;

    TaskSwitch(X86CpuState cpu, LinearMemory mem, Descriptors desc, CpuFault fault) {
        this.cpu = cpu;
        this.mem = mem;
        this.desc = desc;
        this.fault = fault;
    }

    /**
     * Whether the fault just raised happened after the commit point of a task switch (so RIP already holds the new
     * task's EIP and must not be rolled back); clears the indication.
     */
    boolean takeNewTaskFault() {
        boolean c = committed;
        committed = false;
        return c;
    }

    // ---- Entry points ---------------------------------------------------------------------------------------------

    /**
     * Far JMP or CALL whose selector names a TSS descriptor (Vol 2 JMP/CALL "TASK-STATE-SEGMENT"): the TSS DPL must
     * be ≥ CPL and ≥ RPL, the TSS available and in the GDT (#GP(selector)), and present (#NP(selector)).
     */
    void farToTss(int selector, long d, boolean call, int cpl, long nextEip) {
        int type = SegmentInstructions.type(d);
        boolean available = type == 1 || type == 9;
        int dpl = SegmentInstructions.dpl(d);
        if (dpl < cpl || dpl < (selector & 3) || !available || (selector & 4) != 0) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        switchTo(selector, d, call ? Reason.CALL : Reason.JMP, nextEip, 0, false, 0);
    }

    /**
     * Far JMP or CALL through a task gate in the GDT or LDT (Vol 2 JMP/CALL "TASK-GATE"): gate DPL ≥ CPL and ≥ RPL
     * (#GP(gate selector)), gate present (#NP(gate selector)), then the gate's TSS selector must name an available
     * TSS in the GDT (#GP(TSS selector)) that is present (#NP(TSS selector)).
     */
    void farToTaskGate(int gateSelector, long gate, boolean call, int cpl, long nextEip) {
        int dpl = SegmentInstructions.dpl(gate);
        if (dpl < cpl || dpl < (gateSelector & 3)) {
            throw fault.raise(CpuFault.GP, gateSelector & 0xfffc);
        }
        if (!SegmentInstructions.present(gate)) {
            throw fault.raise(CpuFault.NP, gateSelector & 0xfffc);
        }
        int tss = (int) (gate >>> 16) & 0xffff;
        long d = availableTss(tss, 0);
        switchTo(tss, d, call ? Reason.CALL : Reason.JMP, nextEip, 0, false, 0);
    }

    /**
     * An interrupt or exception through a task gate in the IDT (Vol 2 INT n "TASK-GATE"; the gate's DPL and presence
     * were checked by the caller). The old task's EIP is {@code returnEip}; an error code is pushed on the new task's
     * stack, as a doubleword for a 32-bit TSS.
     */
    void throughIdtGate(long gate, boolean external, long returnEip, boolean hasErrorCode, int errorCode) {
        int ext = external ? 1 : 0;
        int tss = (int) (gate >>> 16) & 0xffff;
        long d = availableTss(tss, ext);
        switchTo(tss, d, Reason.INTERRUPT, returnEip, ext, hasErrorCode, errorCode);
    }

    /**
     * IRET with NT set in legacy protected mode (Vol 2 IRET "TASK-RETURN"): the previous-task link of the current
     * TSS must name a busy TSS in the GDT (#TS(link)) that is present (#NP(link)).
     */
    void taskReturn(long nextEip) {
        int link = (int) mem.read(cpu.tr.base, 2, false, 0) & 0xffff;
        if ((link & 4) != 0 || (link & 0xfff8L) + 7 > cpu.gdtLimit) {
            throw fault.raise(CpuFault.TS, link & 0xfffc);
        }
        long d = desc.read(link);
        int type = SegmentInstructions.type(d);
        if (!SegmentInstructions.system(d) || (type != 3 && type != 0xb)) {
            throw fault.raise(CpuFault.TS, link & 0xfffc);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.NP, link & 0xfffc);
        }
        switchTo(link, d, Reason.IRET, nextEip, 0, false, 0);
    }

    /** The descriptor of the TSS a task gate names: global, within the GDT, an available TSS and present. */
    private long availableTss(int tss, int ext) {
        if ((tss & 4) != 0 || (tss & 0xfff8L) + 7 > cpu.gdtLimit) {
            throw fault.raise(CpuFault.GP, (tss & 0xfffc) | ext);
        }
        long d = desc.read(tss);
        int type = SegmentInstructions.type(d);
        if (!SegmentInstructions.system(d) || (type != 1 && type != 9)) {
            throw fault.raise(CpuFault.GP, (tss & 0xfffc) | ext);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.NP, (tss & 0xfffc) | ext);
        }
        return d;
    }

    // ---- The switch -----------------------------------------------------------------------------------------------

    /**
     * Switches from the current task to the one whose TSS descriptor {@code d} selector {@code selector} names (Vol 3A
     * §8.3 steps 3-14). On return RIP holds the new task's EIP.
     */
    private void switchTo(int selector, long d, Reason reason, long oldEip, int ext, boolean hasErrorCode,
                          int errorCode) {
        committed = false;
        boolean new32 = (SegmentInstructions.type(d) & 8) != 0;
        long base = SegmentInstructions.base(d);
        long limit = SegmentInstructions.limit(d);
        if (limit < (new32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT)) {
            throw fault.raise(CpuFault.TS, (selector & 0xfffc) | ext);
        }

        // Read the whole incoming state first: a page fault here changes nothing.
        long[] regs = new long[8];
        int[] segs = new int[6];
        long eip;
        long eflags;
        long cr3 = 0;
        int ldt;
        if (new32) {
            cr3 = read(base + 0x1c, 4);
            eip = read(base + 0x20, 4);
            eflags = read(base + 0x24, 4);
            for (int r = 0; r < 8; r++) {
                regs[r] = read(base + 0x28 + 4L * r, 4);
            }
            for (int s = 0; s < 6; s++) {
                segs[s] = (int) read(base + 0x48 + 4L * s, 2);
            }
            ldt = (int) read(base + 0x60, 2);
        } else {
            eip = read(base + 0x0e, 2);
            eflags = read(base + 0x10, 2);
            for (int r = 0; r < 8; r++) {
                regs[r] = read(base + 0x12 + 2L * r, 2);
            }
            for (int s = 0; s < 4; s++) {
                segs[s] = (int) read(base + 0x22 + 2L * s, 2);
            }
            ldt = (int) read(base + 0x2a, 2);
        }

        // Probe every write of the switch, and read the old descriptor's access byte, before committing.
        Segment tr = cpu.tr;
        boolean old32 = (tr.attr & 8) != 0;
        long oldBase = tr.base;
        int oldSelector = tr.selector;
        if (old32) {
            mem.probeWrite(oldBase + 0x20, 0x40, false);
        } else {
            mem.probeWrite(oldBase + 0x0e, 0x1c, false);
        }
        long oldAccessLa = cpu.gdtBase + (oldSelector & 0xfff8L) + 5;
        long newAccessLa = cpu.gdtBase + (selector & 0xfff8L) + 5;
        // A TR never loaded (null selector) has no descriptor whose busy bit could be cleared.
        boolean clearOldBusy = (reason == Reason.JMP || reason == Reason.IRET) && (oldSelector & 0xfffc) != 0;
        boolean nest = reason == Reason.CALL || reason == Reason.INTERRUPT;
        long oldAccess = 0;
        if (clearOldBusy) {
            oldAccess = mem.read(oldAccessLa, 1, false, 0);
            mem.probeWrite(oldAccessLa, 1, false);
        }
        if (reason != Reason.IRET) {
            mem.probeWrite(newAccessLa, 1, false);
        }
        if (nest) {
            mem.probeWrite(base, 2, false);
        }

        // Commit point: save the old task, mark busy bits, load TR (steps 6-11).
        if (clearOldBusy) {
            mem.write(oldAccessLa, 1, oldAccess & ~2L, false);
        }
        long savedFlags = cpu.rflags;
        if (reason == Reason.IRET) {
            savedFlags &= ~NT;
        }
        saveState(oldBase, old32, oldEip, savedFlags);
        if (nest) {
            eflags |= NT;
            mem.write(base, 2, oldSelector, false);
        }
        long busy = d | (2L << 40);
        if (reason != Reason.IRET) {
            mem.write(newAccessLa, 1, (busy >>> 40) & 0xff, false);
        }
        Descriptors.unpack(busy, selector, cpu.tr);
        committed = true;

        cpu.cr0 |= ControlRegisters.CR0_TS;
        cpu.dr[7] &= ~0x55L; // local breakpoint enables are per task (Vol 3B §18.2.4)
        if (new32 && (cpu.cr0 & X86CpuState.CR0_PG) != 0) {
            cpu.cr3 = cr3;
            mem.flush();
        }
        for (int r = 0; r < 8; r++) {
            cpu.gpr[r] = new32 ? regs[r] : (cpu.gpr[r] & ~0xffffL) | regs[r];
        }
        cpu.rflags = (eflags & (new32 ? EFLAGS_LOADABLE : 0x7fd5L)) | X86CpuState.RFLAGS_FIXED;
        cpu.rip = eip;
        loadSegments(segs, ldt, ext);

        // Step 14 and the end of INT's TASK-GATE: the new EIP must lie within CS; an error code is pushed.
        long eipLimit = cpu.cs.limit & 0xffffffffL;
        if (Long.compareUnsigned(cpu.rip, eipLimit) > 0) {
            throw fault.raise(CpuFault.GP, ext);
        }
        if (hasErrorCode) {
            pushErrorCode(new32 ? 4 : 2, errorCode, ext);
        }
        committed = false;
    }

    private long read(long la, int size) {
        return mem.read(la, size, false, 0);
    }

    /** Writes the dynamic fields of the outgoing task (Figure 8-2 or 8-11): EIP, EFLAGS, GPRs and selectors. */
    private void saveState(long base, boolean is32, long eip, long eflags) {
        Segment[] sregs = {cpu.es, cpu.cs, cpu.ss, cpu.ds, cpu.fs, cpu.gs};
        if (is32) {
            mem.write(base + 0x20, 4, eip, false);
            mem.write(base + 0x24, 4, eflags, false);
            for (int r = 0; r < 8; r++) {
                mem.write(base + 0x28 + 4L * r, 4, cpu.gpr[r], false);
            }
            for (int s = 0; s < 6; s++) {
                mem.write(base + 0x48 + 4L * s, 2, sregs[s].selector, false);
            }
        } else {
            mem.write(base + 0x0e, 2, eip, false);
            mem.write(base + 0x10, 2, eflags, false);
            for (int r = 0; r < 8; r++) {
                mem.write(base + 0x12 + 2L * r, 2, cpu.gpr[r], false);
            }
            for (int s = 0; s < 4; s++) {
                mem.write(base + 0x22 + 2L * s, 2, sregs[s].selector, false);
            }
        }
    }

    // ---- Loading the new task's segments (after the commit point) ------------------------------------------------

    /**
     * Loads LDTR and the segment registers of the new task (§8.3 step 13, the checks of Table 8-1 that follow the
     * commit point). The selectors are installed first, unusable, so that a fault leaves them visible to the handler
     * as the SDM describes; the CPL of the new task is its CS RPL (3 for a virtual-8086 task).
     */
    private void loadSegments(int[] segs, int ldt, int ext) {
        Segment[] sregs = {cpu.es, cpu.cs, cpu.ss, cpu.ds, cpu.fs, cpu.gs};
        boolean v86 = (cpu.rflags & VM) != 0;
        int cpl = v86 ? 3 : segs[CS] & 3;
        for (int s = 0; s < 6; s++) {
            int dpl = s == SS || s == CS ? cpl << 5 : 0;
            sregs[s].set(segs[s], 0, 0, Segment.UNUSABLE | dpl);
        }
        cpu.ldt.set(ldt, 0, 0, Segment.UNUSABLE);
        loadLdt(ldt, ext);
        if (v86) {
            for (int s = 0; s < 6; s++) {
                sregs[s].set(segs[s], (long) segs[s] << 4, 0xffff, V86_ATTR);
            }
            return;
        }
        loadCode(segs[CS], ext);
        loadStack(segs[SS], cpl, ext);
        for (int s : new int[] {ES, DS, FS, GS}) {
            loadData(sregs[s], segs[s], cpl, ext);
        }
    }

    private CpuFault ts(int selector, int ext) {
        return fault.raise(CpuFault.TS, (selector & 0xfffc) | ext);
    }

    /** Whether a non-null selector's descriptor lies within the GDT or the (usable) LDT. */
    private boolean inTable(int selector) {
        boolean local = (selector & 4) != 0;
        if (local && (cpu.ldt.attr & Segment.UNUSABLE) != 0) {
            return false;
        }
        long limit = local ? cpu.ldt.limit & 0xffffffffL : cpu.gdtLimit;
        return (selector & 0xfff8L) + 7 <= limit;
    }

    private void markAccessed(int selector, long d) {
        if ((d & (1L << 40)) == 0) {
            long table = (selector & 4) != 0 ? cpu.ldt.base : cpu.gdtBase;
            mem.write(table + (selector & 0xfff8L) + 5, 1, ((d >>> 40) & 0xff) | 1, false);
        }
    }

    /** LDTR: null is allowed; otherwise a present LDT descriptor in the GDT, else #TS(LDT selector). */
    private void loadLdt(int selector, int ext) {
        if ((selector & 0xfffc) == 0) {
            return;
        }
        if ((selector & 4) != 0 || (selector & 0xfff8L) + 7 > cpu.gdtLimit) {
            throw ts(selector, ext);
        }
        long d = desc.read(selector);
        if (!SegmentInstructions.system(d) || SegmentInstructions.type(d) != 2 || !SegmentInstructions.present(d)) {
            throw ts(selector, ext);
        }
        Descriptors.unpack(d, selector, cpu.ldt);
    }

    /** CS: a code segment whose DPL equals its RPL (≤ for conforming code), #TS; present, #NP. */
    private void loadCode(int selector, int ext) {
        if ((selector & 0xfffc) == 0 || !inTable(selector)) {
            throw ts(selector, ext);
        }
        long d = desc.read(selector);
        int rpl = selector & 3;
        int dpl = SegmentInstructions.dpl(d);
        if (!SegmentInstructions.code(d) || (SegmentInstructions.conforming(d) ? dpl > rpl : dpl != rpl)) {
            throw ts(selector, ext);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.NP, (selector & 0xfffc) | ext);
        }
        markAccessed(selector, d);
        Descriptors.unpack(d | (1L << 40), selector, cpu.cs);
    }

    /** SS: a writable data segment with RPL = DPL = CPL, #TS; present, #SS. */
    private void loadStack(int selector, int cpl, int ext) {
        if ((selector & 0xfffc) == 0 || !inTable(selector)) {
            throw ts(selector, ext);
        }
        long d = desc.read(selector);
        boolean writableData = !SegmentInstructions.system(d) && !SegmentInstructions.code(d)
                && SegmentInstructions.readWrite(d);
        if (!writableData || (selector & 3) != cpl || SegmentInstructions.dpl(d) != cpl) {
            throw ts(selector, ext);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.SS, (selector & 0xfffc) | ext);
        }
        markAccessed(selector, d);
        Descriptors.unpack(d | (1L << 40), selector, cpu.ss);
    }

    /**
     * DS, ES, FS, GS: null is allowed (unusable); otherwise data or readable code, with DPL ≥ max(CPL, RPL) unless
     * conforming code (#TS), and present (#NP).
     */
    private void loadData(Segment seg, int selector, int cpl, int ext) {
        if ((selector & 0xfffc) == 0) {
            seg.set(selector, 0, 0, Segment.UNUSABLE);
            return;
        }
        if (!inTable(selector)) {
            throw ts(selector, ext);
        }
        long d = desc.read(selector);
        boolean code = SegmentInstructions.code(d);
        boolean readable = !SegmentInstructions.system(d) && (!code || SegmentInstructions.readWrite(d));
        boolean privileged = SegmentInstructions.conforming(d)
                || SegmentInstructions.dpl(d) >= Math.max(cpl, selector & 3);
        if (!readable || !privileged) {
            throw ts(selector, ext);
        }
        if (!SegmentInstructions.present(d)) {
            throw fault.raise(CpuFault.NP, (selector & 0xfffc) | ext);
        }
        markAccessed(selector, d);
        Descriptors.unpack(d | (1L << 40), selector, seg);
    }

    /** Pushes the error code of an exception delivered through a task gate on the new task's stack (#SS(EXT)). */
    private void pushErrorCode(int size, int errorCode, int ext) {
        boolean big = (cpu.ss.attr & Segment.DB) != 0;
        long mask = big ? 0xffffffffL : 0xffff;
        long sp = (cpu.gpr[X86CpuState.RSP] - size) & mask;
        boolean expandDown = (cpu.ss.attr & 0x4) != 0;
        long limit = cpu.ss.limit & 0xffffffffL;
        boolean fits = expandDown ? sp > limit && sp + size - 1 <= mask : sp + size - 1 <= limit;
        if (!fits) {
            throw fault.raise(CpuFault.SS, ext);
        }
        mem.write((cpu.ss.base + sp) & 0xffffffffL, size, errorCode, cpl() == 3);
        cpu.gpr[X86CpuState.RSP] = big ? sp : (cpu.gpr[X86CpuState.RSP] & ~0xffffL) | sp;
    }

    private int cpl() {
        return desc.cpl();
    }
}
