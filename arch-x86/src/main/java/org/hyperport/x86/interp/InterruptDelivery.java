package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * Delivery of exceptions and interrupts through the IVT or IDT (SDM Vol 3A Ch. 6): real-mode IVT (§20.1.4),
 * protected-mode interrupt and trap gates with privilege changes through the TSS (§6.12.1), task gates that switch
 * to a handler task ({@link TaskSwitch}, §6.12.2), and long-mode 64-bit gates with IST and RSPn stack switching
 * (§6.14). Faults during delivery propagate as {@link CpuFault} so the caller can escalate them to #DF or a triple
 * fault (§6.15, Table 6-5).
 */
public final class InterruptDelivery {

    private static final long IF = 1 << 9, TF = 1 << 8, NT = 1 << 14, RF = 1 << 16, VM = 1 << 17, AC = 1 << 18;

    private final X86CpuState cpu;
    private final LinearMemory mem;
    private final Descriptors desc;
    private final CpuFault fault;
    private final TaskSwitch tasks;

    public InterruptDelivery(X86CpuState cpu, LinearMemory mem, Descriptors desc, CpuFault fault) {
        this.cpu = cpu;
        this.mem = mem;
        this.desc = desc;
        this.fault = fault;
        this.tasks = new TaskSwitch(cpu, mem, desc, fault);
    }

    /** The task switcher, shared with the far JMP/CALL and IRET of {@link FarTransfers}. */
    TaskSwitch tasks() {
        return tasks;
    }

    /**
     * Delivers {@code vector}.
     *
     * @param external   from outside the instruction stream (sets EXT in error codes this delivery raises)
     * @param software   INT n / INT3 / INTO: the gate's DPL must be ≥ CPL
     * @param returnRip  the RIP to push: the faulting instruction for faults, the next one for traps and INT n
     */
    public void deliver(int vector, boolean hasErrorCode, int errorCode, boolean external, boolean software,
                        long returnRip) {
        if ((cpu.cr0 & X86CpuState.CR0_PE) == 0) {
            deliverReal(vector, returnRip);
        } else if ((cpu.efer & X86CpuState.EFER_LMA) != 0) {
            deliverLong(vector, hasErrorCode, errorCode, external, software, returnRip);
        } else {
            deliverProtected(vector, hasErrorCode, errorCode, external, software, returnRip);
        }
    }

    private int idtError(int vector, boolean external) {
        return vector * 8 + 2 + (external ? 1 : 0);
    }

    private void deliverReal(int vector, long returnRip) {
        long entry = cpu.idtBase + vector * 4L;
        if (vector * 4L + 3 > cpu.idtLimit) {
            throw fault.raise(CpuFault.GP, 0);
        }
        long ivt = mem.read(entry, 4, false, 0);
        push16(cpu.rflags);
        push16(cpu.cs.selector);
        push16(returnRip);
        cpu.rflags &= ~(IF | TF | AC | RF);
        int cs = (int) (ivt >>> 16) & 0xffff;
        cpu.cs.set(cs, (long) cs << 4, cpu.cs.limit, cpu.cs.attr);
        cpu.rip = ivt & 0xffff;
    }

    private void push16(long v) {
        long sp = (cpu.gpr[X86CpuState.RSP] - 2) & 0xffff;
        mem.write(cpu.ss.base + sp, 2, v, false);
        cpu.gpr[X86CpuState.RSP] = (cpu.gpr[X86CpuState.RSP] & ~0xffffL) | sp;
    }

    private void deliverProtected(int vector, boolean hasErrorCode, int errorCode, boolean external,
                                  boolean software, long returnRip) {
        if (vector * 8L + 7 > cpu.idtLimit) {
            throw fault.raise(CpuFault.GP, idtError(vector, external));
        }
        long gate = mem.read(cpu.idtBase + vector * 8L, 8, false, 0);
        int type = (int) (gate >>> 40) & 0x1f;
        int dpl = (int) (gate >>> 45) & 3;
        boolean is32 = type == 0x0e || type == 0x0f;
        boolean is16 = type == 0x06 || type == 0x07;
        boolean task = type == 0x05;
        if (!is32 && !is16 && !task) {
            throw fault.raise(CpuFault.GP, idtError(vector, external));
        }
        int cpl = desc.cpl();
        if (software && dpl < cpl) {
            throw fault.raise(CpuFault.GP, idtError(vector, false));
        }
        if ((gate & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.NP, idtError(vector, external));
        }
        if (task) {
            // A task gate (Vol 3A §6.12.2): the handler is a task; its TSS receives no frame but the error code.
            tasks.throughIdtGate(gate, external, returnRip, hasErrorCode, errorCode);
            return;
        }
        int selector = (int) (gate >>> 16) & 0xffff;
        long offset = (gate & 0xffff) | ((gate >>> 32) & 0xffff0000L);
        long target = desc.read(selector);
        int targetDpl = (int) (target >>> 45) & 3;
        boolean conforming = (target & (1L << 42)) != 0;
        int newCpl = conforming ? cpl : targetDpl;
        if (newCpl > cpl) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        int size = is32 ? 4 : 2;
        long oldFlags = cpu.rflags;
        int oldCs = cpu.cs.selector;
        int oldSs = cpu.ss.selector;
        long oldSp = cpu.gpr[X86CpuState.RSP];
        if (newCpl < cpl) {
            // Inner-privilege stack from the 32-bit TSS: ESPn at 4 + 8n, SSn at 8 + 8n (Vol 3A Figure 7-2).
            long espN = mem.read(cpu.tr.base + 4 + 8L * newCpl, 4, false, 0);
            int ssN = (int) mem.read(cpu.tr.base + 8 + 8L * newCpl, 2, false, 0);
            long ssDesc = checkInnerStack(ssN, newCpl, external);
            desc.loadCode(selector, newCpl);
            if ((ssDesc & (1L << 40)) == 0) {
                long table = (ssN & 4) != 0 ? cpu.ldt.base : cpu.gdtBase;
                mem.write(table + (ssN & 0xfff8L) + 5, 1, ((ssDesc >>> 40) & 0xff) | 1, false);
            }
            Descriptors.unpack(ssDesc | (1L << 40), ssN, cpu.ss);
            cpu.gpr[X86CpuState.RSP] = espN;
            push(size, oldSs);
            push(size, oldSp);
        } else {
            desc.loadCode(selector, newCpl);
        }
        push(size, oldFlags);
        push(size, oldCs);
        push(size, returnRip);
        if (hasErrorCode) {
            push(size, errorCode);
        }
        cpu.rflags &= ~(TF | NT | RF | VM | ((type & 1) == 0 ? IF : 0));
        cpu.rip = is32 ? offset : offset & 0xffff;
    }

    /**
     * The checks on the inner stack SSn from the TSS before a privilege change (Vol 2 INT n
     * "INTER-PRIVILEGE-LEVEL-INTERRUPT"): null is #TS(EXT); outside the table, RPL or DPL ≠ the new CPL, or not a
     * writable data segment is #TS(SS); not present is #SS(SS). They are made against the new CPL, which the CPL
     * (SS.DPL) does not show yet. Returns the descriptor.
     */
    private long checkInnerStack(int ssN, int newCpl, boolean external) {
        int ext = external ? 1 : 0;
        if ((ssN & 0xfffc) == 0) {
            throw fault.raise(CpuFault.TS, ext);
        }
        boolean local = (ssN & 4) != 0;
        long limit = local ? cpu.ldt.limit & 0xffffffffL : cpu.gdtLimit;
        if ((local && (cpu.ldt.attr & Segment.UNUSABLE) != 0) || (ssN & 0xfff8L) + 7 > limit) {
            throw fault.raise(CpuFault.TS, (ssN & 0xfffc) | ext);
        }
        long d = desc.read(ssN);
        boolean writableData = (d & (1L << 44)) != 0 && (d & (1L << 43)) == 0 && (d & (1L << 41)) != 0;
        if (!writableData || (ssN & 3) != newCpl || ((d >>> 45) & 3) != newCpl) {
            throw fault.raise(CpuFault.TS, (ssN & 0xfffc) | ext);
        }
        if ((d & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.SS, (ssN & 0xfffc) | ext);
        }
        return d;
    }

    private void push(int size, long v) {
        boolean big = (cpu.ss.attr & Segment.DB) != 0;
        long sp = cpu.gpr[X86CpuState.RSP] - size;
        if (!big) {
            sp &= 0xffff;
        } else {
            sp &= 0xffffffffL;
        }
        mem.write(cpu.ss.base + sp, size, v, false);
        cpu.gpr[X86CpuState.RSP] = big ? sp : (cpu.gpr[X86CpuState.RSP] & ~0xffffL) | sp;
    }

    private void deliverLong(int vector, boolean hasErrorCode, int errorCode, boolean external, boolean software,
                             long returnRip) {
        if (vector * 16L + 15 > cpu.idtLimit) {
            throw fault.raise(CpuFault.GP, idtError(vector, external));
        }
        long lo = mem.read(cpu.idtBase + vector * 16L, 8, false, 0);
        long hi = mem.read(cpu.idtBase + vector * 16L + 8, 8, false, 0);
        int type = (int) (lo >>> 40) & 0x1f;
        int dpl = (int) (lo >>> 45) & 3;
        if (type != 0x0e && type != 0x0f) {
            throw fault.raise(CpuFault.GP, idtError(vector, external));
        }
        int cpl = desc.cpl();
        if (software && dpl < cpl) {
            throw fault.raise(CpuFault.GP, idtError(vector, false));
        }
        if ((lo & (1L << 47)) == 0) {
            throw fault.raise(CpuFault.NP, idtError(vector, external));
        }
        int selector = (int) (lo >>> 16) & 0xffff;
        int ist = (int) (lo >>> 32) & 7;
        long offset = (lo & 0xffff) | ((lo >>> 32) & 0xffff0000L) | (hi << 32);
        long target = desc.read(selector);
        if ((target & (1L << 53)) == 0 || (target & (1L << 54)) != 0) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc); // must be a 64-bit code segment (L=1, D=0)
        }
        int targetDpl = (int) (target >>> 45) & 3;
        boolean conforming = (target & (1L << 42)) != 0;
        int newCpl = conforming ? cpl : targetDpl;
        if (newCpl > cpl) {
            throw fault.raise(CpuFault.GP, selector & 0xfffc);
        }
        long oldFlags = cpu.rflags;
        int oldCs = cpu.cs.selector;
        int oldSs = cpu.ss.selector;
        long oldSp = cpu.gpr[X86CpuState.RSP];
        long rsp;
        if (ist != 0) {
            rsp = mem.read(cpu.tr.base + 0x24 + 8L * (ist - 1), 8, false, 0);
        } else if (newCpl < cpl) {
            rsp = mem.read(cpu.tr.base + 4 + 8L * newCpl, 8, false, 0);
        } else {
            rsp = oldSp;
        }
        rsp &= ~0xfL;
        // Push with supervisor rights only after all checks, so a fault here leaves CS and SS untouched.
        long[] frame = {oldSs, oldSp, oldFlags, oldCs, returnRip, errorCode};
        int n = hasErrorCode ? 6 : 5;
        // The CPU pushes SS first, so a fault reports the highest slot: probe it before the whole frame.
        mem.probeWrite(rsp - 8, 8, newCpl == 3);
        mem.probeWrite(rsp - 8L * n, 8 * n, newCpl == 3);
        for (int i = 0; i < n; i++) {
            rsp -= 8;
            mem.write(rsp, 8, frame[i], newCpl == 3);
        }
        desc.loadCode(selector, newCpl);
        if (newCpl < cpl) {
            cpu.ss.set(newCpl, 0, 0, Segment.UNUSABLE | (newCpl << 5));
        }
        cpu.gpr[X86CpuState.RSP] = rsp;
        cpu.rflags &= ~(TF | NT | RF | VM | ((type & 1) == 0 ? IF : 0));
        cpu.rip = offset;
    }
}
