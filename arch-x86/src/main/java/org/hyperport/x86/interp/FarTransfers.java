package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.SegmentInstructions.code;
import static org.hyperport.x86.interp.SegmentInstructions.conforming;
import static org.hyperport.x86.interp.SegmentInstructions.dpl;
import static org.hyperport.x86.interp.SegmentInstructions.gp;
import static org.hyperport.x86.interp.SegmentInstructions.present;
import static org.hyperport.x86.interp.SystemInstructions.gp0;
import static org.hyperport.x86.interp.SystemInstructions.mask;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;

/**
 * Transfers of control between code segments and privilege levels (SDM Vol 3A §5.8 "Privilege Level Checking When
 * Transferring Program Control Between Code Segments", Vol 2 JMP/CALL/RET far, IRET, INT n, SYSCALL/SYSRET,
 * SYSENTER/SYSEXIT). Every check happens before any register changes; stack reads for returns peek without moving
 * rSP, so a faulting instruction leaves the state as it found it.
 *
 * <p>Far JMP/CALL also go through call gates (16- and 32-bit gates outside IA-32e mode, 16-byte 64-bit gates in it;
 * Vol 3A §5.8.3-5.8.6), with the inner-stack switch from the TSS and parameter copying for a CALL to a more
 * privileged segment; the far RET to the outer level pops SS:rSP and releases the parameters. Task gates and TSS
 * descriptors as JMP/CALL targets, and IRET with NT set, switch tasks through {@link TaskSwitch} in legacy
 * protected mode; in IA-32e mode they are #GP(selector) and #GP(0) respectively. A task switch keeps the rule above
 * only up to its commit point: faults loading the new task's segments are raised in the new task (Vol 3A §8.3).
 */
final class FarTransfers {

    private static final int R11 = 11;
    /** RFLAGS bits IRET may load at any privilege: CF PF AF ZF SF TF DF OF NT. */
    private static final long IRET_ALWAYS = 0x4dd5;
    /** The flag image SYSRET loads from R11 (Vol 2 SYSRET: R11 AND 3C7FD7H). */
    private static final long SYSRET_FLAGS = 0x3c7fd7;
    private static final int FLAT_LIMIT = 0xffffffff;
    private static final int CODE_ATTR = 0xb | Segment.S | Segment.P | Segment.G;
    private static final int STACK_ATTR = 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G;
    private static final int DPL3 = 3 << 5;

    private FarTransfers() {
    }

    // ---- Stack helpers --------------------------------------------------------------------------------------------

    /** Reads {@code size} bytes at rSP + {@code offset} on the current stack without popping. */
    private static long peek(X86Interpreter x, long offset, int size) {
        int sas = x.stackAddressSize();
        long sp = (x.reg(X86CpuState.RSP, sas) + offset) & mask(sas);
        return x.load(x.linear(Operand.SS, sp), size);
    }

    private static void release(X86Interpreter x, long bytes) {
        int sas = x.stackAddressSize();
        x.setReg(X86CpuState.RSP, sas, x.reg(X86CpuState.RSP, sas) + bytes);
    }

    /** Pushes CS and the return address; a fault on the second push restores rSP. */
    private static void pushReturn(X86Interpreter x, int size) {
        long rsp = x.cpu.gpr[X86CpuState.RSP];
        try {
            x.push(size, x.cpu.cs.selector);
            x.push(size, x.nextRip);
        } catch (CpuFault f) {
            x.cpu.gpr[X86CpuState.RSP] = rsp;
            throw f;
        }
    }

    // ---- Far JMP and CALL -----------------------------------------------------------------------------------------

    /**
     * JMP/CALL far (Vol 2) to a code segment at the same privilege: ptr16:16/32 or m16:16/32/64. Non-conforming
     * targets need RPL ≤ CPL and DPL = CPL, conforming ones DPL ≤ CPL (Vol 3A §5.8.1); the offset must lie within
     * the limit, or be canonical for a 64-bit target.
     */
    static void jumpOrCall(X86Interpreter x, Instruction i) {
        boolean call = i.op() == Op.CALLF;
        Operand o = i.operand(0);
        int osz;
        long offset;
        int selector;
        if (o.kind() == Operand.Kind.FAR) {
            osz = i.operandSize();
            offset = o.immediate() & mask(osz);
            selector = o.selector() & 0xffff;
        } else if (o.isMem()) {
            osz = o.size() - 2;
            offset = x.load(SegmentInstructions.at(x, o, 0), osz);
            selector = (int) x.load(SegmentInstructions.at(x, o, osz), 2);
        } else {
            throw x.fault.raise(CpuFault.UD);
        }
        if (!SystemInstructions.protectedMode(x)) {
            if (call) {
                pushReturn(x, osz);
            }
            x.desc.loadCode(selector, x.cpl());
            x.nextRip = offset;
            return;
        }
        if ((selector & 0xfffc) == 0) {
            throw gp0(x);
        }
        long d = x.desc.read(selector);
        if (SegmentInstructions.system(d)) {
            systemTarget(x, call, selector, d);
            return;
        }
        if (!code(d)) {
            throw gp(x, selector);
        }
        int cpl = x.cpl();
        boolean allowed = conforming(d) ? dpl(d) <= cpl : (selector & 3) <= cpl && dpl(d) == cpl;
        if (!allowed) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        boolean target64 = checkLongModeTarget(x, selector, d);
        checkTargetIp(x, d, target64, offset);
        if (call) {
            pushReturn(x, osz);
        }
        x.desc.loadCode(selector, cpl);
        x.nextRip = offset;
    }

    /** In IA-32e mode a code segment with both L and D set is #GP(selector); returns whether it is 64-bit. */
    private static boolean checkLongModeTarget(X86Interpreter x, int selector, long d) {
        if (!SystemInstructions.ia32e(x)) {
            return false;
        }
        if (SegmentInstructions.longCode(d) && SegmentInstructions.big(d)) {
            throw gp(x, selector);
        }
        return SegmentInstructions.longCode(d);
    }

    private static void checkTargetIp(X86Interpreter x, long d, boolean target64, long ip) {
        if (target64 ? !SystemInstructions.canonical(ip) : Long.compareUnsigned(ip, SegmentInstructions.limit(d)) > 0) {
            throw gp0(x);
        }
    }

    // ---- Call gates and task switches -----------------------------------------------------------------------------

    /**
     * A far JMP/CALL whose selector names a system descriptor (Vol 2 JMP/CALL): outside IA-32e mode a 16- or 32-bit
     * call gate, a task gate or an available TSS; in IA-32e mode only a 64-bit call gate (type 0CH), every other
     * system type being #GP(selector) there.
     */
    private static void systemTarget(X86Interpreter x, boolean call, int selector, long d) {
        int type = SegmentInstructions.type(d);
        if (SystemInstructions.ia32e(x)) {
            if (type != 0xc) {
                throw gp(x, selector);
            }
            callGate(x, call, selector, d);
            return;
        }
        switch (type) {
            case 0x4, 0xc -> callGate(x, call, selector, d);
            case 0x5 -> {
                x.idt.tasks().farToTaskGate(selector, d, call, x.cpl(), x.nextRip);
                x.nextRip = x.cpu.rip;
            }
            case 0x1, 0x3, 0x9, 0xb -> {
                x.idt.tasks().farToTss(selector, d, call, x.cpl(), x.nextRip);
                x.nextRip = x.cpu.rip;
            }
            default -> throw gp(x, selector);
        }
    }

    /**
     * JMP/CALL far through a call gate (Vol 3A §5.8.3-5.8.5, Vol 2 "CALL-GATE"): gate DPL ≥ CPL and ≥ RPL
     * (#GP(gate selector)), gate present (#NP(gate selector)), a non-null (#GP(0)) code segment (#GP(code selector))
     * with DPL ≤ CPL (JMP: = CPL unless conforming), 64-bit in IA-32e mode, present (#NP(code selector)). A CALL to
     * a more privileged non-conforming segment switches stacks ({@link #callInner}); everything else stays at CPL.
     * In IA-32e mode the gate is 16 bytes, with bits 63:32 of the offset in the upper half, whose type field must be
     * zero (#GP(gate selector)). The gate's offset replaces the instruction's; return frames use the gate's size.
     */
    private static void callGate(X86Interpreter x, boolean call, int gateSelector, long gate) {
        boolean gate64 = SystemInstructions.ia32e(x);
        long high = 0;
        if (gate64) {
            high = x.desc.readHigh(gateSelector);
            if (((high >>> 40) & 0x1f) != 0) {
                throw gp(x, gateSelector);
            }
        }
        int cpl = x.cpl();
        int gateDpl = dpl(gate);
        if (gateDpl < cpl || (gateSelector & 3) > gateDpl) {
            throw gp(x, gateSelector);
        }
        if (!present(gate)) {
            throw x.fault.raise(CpuFault.NP, gateSelector & 0xfffc);
        }
        int selector = (int) (gate >>> 16) & 0xffff;
        if ((selector & 0xfffc) == 0) {
            throw gp0(x);
        }
        long d = x.desc.read(selector);
        int targetDpl = dpl(d);
        if (!code(d) || targetDpl > cpl || (!call && !conforming(d) && targetDpl != cpl)) {
            throw gp(x, selector);
        }
        if (gate64 && !(SegmentInstructions.longCode(d) && !SegmentInstructions.big(d))) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        int size = gate64 ? 8 : SegmentInstructions.type(gate) == 0xc ? 4 : 2;
        long offset = (gate & 0xffff) | ((gate >>> 32) & 0xffff0000L);
        if (gate64) {
            offset |= high << 32;
        } else if (size == 2) {
            offset &= 0xffff;
        }
        if (call && !conforming(d) && targetDpl < cpl) {
            callInner(x, gate, selector, d, size, offset);
            return;
        }
        checkTargetIp(x, d, gate64, offset);
        if (call) {
            pushReturn(x, size);
        }
        x.desc.loadCode(selector, cpl);
        x.nextRip = offset;
    }

    /**
     * CALL through a call gate to a more privileged non-conforming segment (Vol 3A §5.8.5, Vol 2 CALL
     * "MORE-PRIVILEGE"). The inner stack comes from the current TSS: SSn:ESPn of a 32-bit TSS (SPn of a 16-bit one),
     * #TS(TSS selector) beyond its limit, checked as a writable data segment with RPL = DPL = the new CPL (#TS(SS),
     * #SS(SS) if absent, #TS(0) if null); in IA-32e mode RSPn of the 64-bit TSS with SS a null selector whose RPL is
     * the new CPL. The new stack receives the caller's SS and rSP, then (32- and 16-bit gates) the gate's parameter
     * count of parameters copied from the caller's stack, then CS and the return address. The whole frame is checked
     * against the new stack (#SS(SS)) and probed before any register changes.
     */
    private static void callInner(X86Interpreter x, long gate, int selector, long d, int size, long offset) {
        X86CpuState c = x.cpu;
        boolean gate64 = size == 8;
        int newCpl = dpl(d);
        int tss = c.tr.selector & 0xfffc;
        long trLimit = c.tr.limit & 0xffffffffL;
        int newSs;
        long newSp;
        if (gate64) {
            long at = 8L * newCpl + 4;
            if (at + 7 > trLimit) {
                throw x.fault.raise(CpuFault.TS, tss);
            }
            newSp = x.mem.read(c.tr.base + at, 8, false, 0);
            newSs = newCpl;
        } else if ((c.tr.attr & 8) != 0) {
            long at = 8L * newCpl + 4;
            if (at + 5 > trLimit) {
                throw x.fault.raise(CpuFault.TS, tss);
            }
            newSp = x.mem.read(c.tr.base + at, 4, false, 0);
            newSs = (int) x.mem.read(c.tr.base + at + 4, 2, false, 0);
        } else {
            long at = 4L * newCpl + 2;
            if (at + 3 > trLimit) {
                throw x.fault.raise(CpuFault.TS, tss);
            }
            newSp = x.mem.read(c.tr.base + at, 2, false, 0);
            newSs = (int) x.mem.read(c.tr.base + at + 2, 2, false, 0);
        }
        long sd = 0;
        if (!gate64) {
            if ((newSs & 0xfffc) == 0) {
                throw x.fault.raise(CpuFault.TS, 0);
            }
            if (!SegmentInstructions.inTable(x, newSs)) {
                throw x.fault.raise(CpuFault.TS, newSs & 0xfffc);
            }
            sd = x.desc.read(newSs);
            boolean writableData = !SegmentInstructions.system(sd) && !code(sd) && SegmentInstructions.readWrite(sd);
            if (!writableData || (newSs & 3) != newCpl || dpl(sd) != newCpl) {
                throw x.fault.raise(CpuFault.TS, newSs & 0xfffc);
            }
            if (!present(sd)) {
                throw x.fault.raise(CpuFault.SS, newSs & 0xfffc);
            }
        }

        // The frame, in push order: SS, rSP, the parameters (the highest-addressed first), CS, the return address.
        int params = gate64 ? 0 : (int) (gate >>> 32) & 0x1f;
        long[] frame = new long[4 + params];
        int sas = x.stackAddressSize();
        long oldSp = x.reg(X86CpuState.RSP, sas);
        frame[0] = c.ss.selector;
        frame[1] = oldSp & mask(size);
        for (int k = 0; k < params; k++) {
            long at = (oldSp + (long) size * (params - 1 - k)) & mask(sas);
            frame[2 + k] = x.load(x.linear(Operand.SS, at), size);
        }
        frame[2 + params] = c.cs.selector;
        frame[3 + params] = x.nextRip;

        // Where each slot goes on the new stack, within its limit (or canonical in IA-32e mode).
        long[] la = new long[frame.length];
        long spMask = gate64 ? -1L : SegmentInstructions.big(sd) ? 0xffffffffL : 0xffff;
        long sp = newSp & spMask;
        for (int k = 0; k < frame.length; k++) {
            sp = (sp - size) & spMask;
            if (gate64) {
                if (!SystemInstructions.canonical(sp) || !SystemInstructions.canonical(sp + size - 1)) {
                    throw x.fault.raise(CpuFault.SS, 0);
                }
                la[k] = sp;
            } else {
                if (!fitsStack(sd, sp, size, spMask)) {
                    throw x.fault.raise(CpuFault.SS, newSs & 0xfffc);
                }
                la[k] = (SegmentInstructions.base(sd) + sp) & 0xffffffffL;
            }
        }
        checkTargetIp(x, d, gate64, offset);
        for (long a : la) {
            x.mem.probeWrite(a, size, false);
        }

        // Commit: CS, SS and rSP, then the frame.
        x.desc.loadCode(selector, newCpl);
        if (gate64) {
            c.ss.set(newCpl, 0, 0, Segment.UNUSABLE | (newCpl << 5));
            c.gpr[X86CpuState.RSP] = sp;
        } else {
            SegmentInstructions.markAccessed(x, newSs, sd);
            Descriptors.unpack(sd | (1L << 40), newSs, c.ss);
            if (spMask == 0xffff) {
                c.gpr[X86CpuState.RSP] = (c.gpr[X86CpuState.RSP] & ~0xffffL) | sp;
            } else {
                c.gpr[X86CpuState.RSP] = sp;
            }
        }
        for (int k = 0; k < frame.length; k++) {
            x.mem.write(la[k], size, frame[k], false);
        }
        x.nextRip = offset;
    }

    /** Whether {@code size} bytes at offset {@code sp} lie within stack segment {@code sd} (expand-up or down). */
    private static boolean fitsStack(long sd, long sp, int size, long spMask) {
        long limit = SegmentInstructions.limit(sd);
        long last = sp + size - 1;
        if ((SegmentInstructions.type(sd) & 4) != 0) {
            return sp > limit && last <= spMask;
        }
        return last <= limit;
    }

    // ---- Far RET and IRET -----------------------------------------------------------------------------------------

    /**
     * The return CS checks shared by RET far and IRET (Vol 2 RET "RETURN-TO-OTHER-PRIVILEGE-LEVEL", IRET
     * "PROTECTED-MODE-RETURN"): a present code segment, RPL ≥ CPL, DPL = RPL (non-conforming) or DPL ≤ RPL.
     */
    private static long checkReturnCs(X86Interpreter x, int selector, int cpl) {
        if ((selector & 0xfffc) == 0) {
            throw gp0(x);
        }
        long d = x.desc.read(selector);
        int rpl = selector & 3;
        if (!code(d) || rpl < cpl || (conforming(d) ? dpl(d) > rpl : dpl(d) != rpl)) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        return d;
    }

    /**
     * The SS checks for a return to privilege {@code cpl}: RPL and DPL equal to it, a present writable data segment
     * (#SS(selector) if absent). A null SS is allowed only for a return to 64-bit code below ring 3, with RPL = the
     * new CPL.
     */
    private static void checkReturnStack(X86Interpreter x, int selector, int cpl, boolean target64) {
        if ((selector & 0xfffc) == 0) {
            if (target64 && cpl != 3 && (selector & 3) == cpl) {
                return;
            }
            throw gp0(x);
        }
        if ((selector & 3) != cpl) {
            throw gp(x, selector);
        }
        long d = x.desc.read(selector);
        if (SegmentInstructions.system(d) || code(d) || !SegmentInstructions.readWrite(d) || dpl(d) != cpl) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.SS, selector & 0xfffc);
        }
    }

    /** Loads SS after {@link #checkReturnStack}: a null selector becomes an unusable SS with DPL = the new CPL. */
    private static void loadReturnStack(X86Interpreter x, int selector, int cpl) {
        if ((selector & 0xfffc) == 0) {
            x.cpu.ss.set(selector, 0, 0, Segment.UNUSABLE | (cpl << 5));
            return;
        }
        long d = x.desc.read(selector);
        SegmentInstructions.markAccessed(x, selector, d);
        Descriptors.unpack(d | (1L << 40), selector, x.cpu.ss);
    }

    /**
     * After a return to an outer privilege level, ES, DS, FS and GS holding data or non-conforming code segments
     * more privileged than the new CPL become null (Vol 3A §5.8.6). Only the selector and usability change: the
     * FS/GS bases of 64-bit mode survive, as on hardware.
     */
    private static void invalidateDataSegments(X86Interpreter x, int cpl) {
        X86CpuState c = x.cpu;
        invalidate(c.es, cpl);
        invalidate(c.ds, cpl);
        invalidate(c.fs, cpl);
        invalidate(c.gs, cpl);
    }

    private static void invalidate(Segment s, int cpl) {
        boolean conformingCode = (s.attr & 0xc) == 0xc;
        if ((s.attr & Segment.UNUSABLE) == 0 && !conformingCode && s.dpl() < cpl) {
            s.selector = 0;
            s.attr |= Segment.UNUSABLE;
        }
    }

    /**
     * RET far (Vol 2): to the same privilege, or to an outer one, popping SS:rSP as well; {@code imm16} is released
     * from both stacks. Real and virtual-8086 mode just pop IP and CS.
     */
    static void farReturn(X86Interpreter x, Instruction i) {
        int osz = i.operandSize();
        long imm = i.operandCount() > 0 ? i.operand(0).immediate() & 0xffff : 0;
        long ip = peek(x, 0, osz);
        int selector = (int) peek(x, osz, osz) & 0xffff;
        if (!SystemInstructions.protectedMode(x)) {
            x.desc.loadCode(selector, x.cpl());
            release(x, 2L * osz + imm);
            x.nextRip = ip;
            return;
        }
        int cpl = x.cpl();
        long d = checkReturnCs(x, selector, cpl);
        int rpl = selector & 3;
        boolean target64 = checkLongModeTarget(x, selector, d);
        checkTargetIp(x, d, target64, ip);
        if (rpl == cpl) {
            x.desc.loadCode(selector, cpl);
            release(x, 2L * osz + imm);
        } else {
            long sp = peek(x, 2L * osz + imm, osz);
            int ss = (int) peek(x, 3L * osz + imm, osz) & 0xffff;
            checkReturnStack(x, ss, rpl, target64);
            x.desc.loadCode(selector, rpl);
            loadReturnStack(x, ss, rpl);
            x.setReg(X86CpuState.RSP, osz, sp + imm);
            invalidateDataSegments(x, rpl);
        }
        x.nextRip = ip;
    }

    /**
     * IRET/IRETD/IRETQ (Vol 2): real mode, virtual-8086 mode at IOPL 3, a return to virtual-8086 mode, and protected
     * and IA-32e mode returns to the same or an outer privilege. In 64-bit mode SS:RSP is always popped.
     */
    static void interruptReturn(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        int osz = i.operandSize();
        if ((c.cr0 & X86CpuState.CR0_PE) == 0) {
            realModeReturn(x, osz, false);
            return;
        }
        if ((c.rflags & SystemInstructions.VM) != 0) {
            if (SystemInstructions.iopl(x) != 3) {
                throw gp0(x);
            }
            realModeReturn(x, osz, true);
            return;
        }
        if ((c.rflags & SystemInstructions.NT) != 0) {
            if (SystemInstructions.ia32e(x)) {
                throw gp0(x); // IA-32e mode has no task switches
            }
            x.idt.tasks().taskReturn(x.nextRip);
            x.nextRip = c.rip;
            return;
        }
        long ip = peek(x, 0, osz);
        int selector = (int) peek(x, osz, osz) & 0xffff;
        long flags = peek(x, 2L * osz, osz);
        int cpl = x.cpl();
        if (!SystemInstructions.ia32e(x) && osz == 4 && (flags & SystemInstructions.VM) != 0 && cpl == 0) {
            returnToV86(x, ip, selector, flags);
            return;
        }
        long d = checkReturnCs(x, selector, cpl);
        int rpl = selector & 3;
        boolean target64 = checkLongModeTarget(x, selector, d);
        boolean popStack = rpl > cpl || x.longMode64();
        long sp = 0;
        int ss = 0;
        if (popStack) {
            sp = peek(x, 3L * osz, osz);
            ss = (int) peek(x, 4L * osz, osz) & 0xffff;
            checkReturnStack(x, ss, rpl, target64);
        }
        checkTargetIp(x, d, target64, ip);
        loadFlags(x, flags, osz, cpl);
        x.desc.loadCode(selector, rpl);
        if (popStack) {
            loadReturnStack(x, ss, rpl);
            x.setReg(X86CpuState.RSP, osz, sp);
        } else {
            release(x, 3L * osz);
        }
        if (rpl > cpl) {
            invalidateDataSegments(x, rpl);
        }
        x.nextRip = ip;
    }

    /**
     * The RFLAGS update of a protected-mode IRET (Vol 2 IRET): IF only when CPL ≤ IOPL, IOPL/VIF/VIP only at CPL 0,
     * RF/AC/ID only with a 32/64-bit operand; VM is never loaded here.
     */
    private static void loadFlags(X86Interpreter x, long flags, int osz, int cpl) {
        long m = IRET_ALWAYS;
        if (osz >= 4) {
            m |= SystemInstructions.RF | SystemInstructions.AC | SystemInstructions.ID;
        }
        if (cpl <= SystemInstructions.iopl(x)) {
            m |= SystemInstructions.IF;
        }
        if (cpl == 0) {
            m |= SystemInstructions.IOPL;
            if (osz >= 4) {
                m |= SystemInstructions.VIF | SystemInstructions.VIP;
            }
        }
        x.cpu.rflags = (x.cpu.rflags & ~m) | (flags & m) | X86CpuState.RFLAGS_FIXED;
    }

    /** IRET in real-address mode, or in virtual-8086 mode at IOPL 3 (which keeps IOPL, VM, VIF, VIP). */
    private static void realModeReturn(X86Interpreter x, int osz, boolean v86) {
        long ip = peek(x, 0, osz);
        int selector = (int) peek(x, osz, osz) & 0xffff;
        long flags = peek(x, 2L * osz, osz);
        x.desc.loadCode(selector, x.cpl());
        release(x, 3L * osz);
        long f = x.cpu.rflags;
        if (osz == 2) {
            long keep = v86 ? ~0xffffL | SystemInstructions.IOPL : ~0xffffL;
            f = (f & keep) | (flags & 0xffff & ~keep);
        } else {
            long keep = v86 ? 0x1a3000L : 0x1a0000L;
            f = (flags & 0x257fd5L & ~keep) | (f & keep);
        }
        x.cpu.rflags = (f & ~0x8028L) | X86CpuState.RFLAGS_FIXED;
        x.nextRip = ip;
    }

    /**
     * IRETD at CPL 0 with VM set in the flags image (Vol 2 IRET "RETURN-TO-VIRTUAL-8086-MODE"): also pops ESP, SS, ES,
     * DS, FS and GS, loaded as virtual-8086 segments.
     */
    private static void returnToV86(X86Interpreter x, long ip, int cs, long flags) {
        X86CpuState c = x.cpu;
        long esp = peek(x, 12, 4);
        int[] sel = new int[5];
        for (int k = 0; k < 5; k++) {
            sel[k] = (int) peek(x, 16 + 4L * k, 4) & 0xffff;
        }
        c.rflags = (flags & 0x3f7fd7L) | X86CpuState.RFLAGS_FIXED;
        Segment[] segs = {c.ss, c.es, c.ds, c.fs, c.gs};
        for (int k = 0; k < 5; k++) {
            segs[k].set(sel[k], (long) sel[k] << 4, 0xffff, 0xf3 | Segment.S);
        }
        c.cs.set(cs, (long) cs << 4, 0xffff, 0xf3 | Segment.S);
        c.gpr[X86CpuState.RSP] = esp;
        x.nextRip = ip & 0xffff;
    }

    // ---- Software interrupts --------------------------------------------------------------------------------------

    /**
     * INT n, INT3, INTO and INT1 (Vol 2 INT n/INTO/INT3/INT1): delivered as traps with the next instruction as return
     * address. INT n, INT3 and INTO are software interrupts (gate DPL ≥ CPL); INT1 is not. INT n in virtual-8086
     * mode below IOPL 3 is #GP(0); INTO does nothing unless OF is set.
     */
    static void softwareInterrupt(X86Interpreter x, Instruction i) {
        int vector;
        boolean software = true;
        switch (i.op()) {
            case INT3 -> vector = CpuFault.BP;
            case INTO -> {
                if ((x.cpu.rflags & SystemInstructions.OF) == 0) {
                    return;
                }
                vector = CpuFault.OF;
            }
            case INT1 -> {
                vector = CpuFault.DB;
                software = false;
            }
            default -> {
                if (SystemInstructions.v8086(x) && SystemInstructions.iopl(x) < 3) {
                    throw gp0(x);
                }
                vector = (int) i.operand(0).immediate() & 0xff;
            }
        }
        x.idt.deliver(vector, false, 0, false, software, x.nextRip);
        x.nextRip = x.cpu.rip;
    }

    // ---- Fast system calls ----------------------------------------------------------------------------------------

    /**
     * SYSCALL (Vol 2): 64-bit mode (o64), #UD unless EFER.SCE. RCX ← next RIP, R11 ← RFLAGS, RFLAGS &= ~IA32_FMASK,
     * CS/SS ← flat ring-0 descriptors with selectors STAR[47:32] and +8, RIP ← LSTAR.
     */
    static void syscall(X86Interpreter x) {
        X86CpuState c = x.cpu;
        if ((c.efer & X86CpuState.EFER_SCE) == 0) {
            throw x.fault.raise(CpuFault.UD);
        }
        int selector = (int) (c.msr[Msrs.SLOT_STAR] >>> 32) & 0xffff;
        c.gpr[X86CpuState.RCX] = x.nextRip;
        c.gpr[R11] = c.rflags;
        c.rflags = (c.rflags & ~c.msr[Msrs.SLOT_SFMASK] & ~SystemInstructions.RF) | X86CpuState.RFLAGS_FIXED;
        c.cs.set(selector & 0xfffc, 0, FLAT_LIMIT, CODE_ATTR | Segment.L);
        c.ss.set((selector + 8) & 0xfffc, 0, FLAT_LIMIT, STACK_ATTR);
        x.nextRip = c.msr[Msrs.SLOT_LSTAR];
    }

    /**
     * SYSRET (Vol 2): 64-bit mode, #UD unless EFER.SCE, #GP(0) at CPL > 0 or (to 64-bit code) for a non-canonical
     * RCX. REX.W returns to 64-bit code with CS = STAR[63:48]+16, otherwise to 32-bit code with CS = STAR[63:48];
     * SS = STAR[63:48]+8; all with RPL 3. RFLAGS ← R11 (RF and VM cleared).
     */
    static void sysret(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        if ((c.efer & X86CpuState.EFER_SCE) == 0) {
            throw x.fault.raise(CpuFault.UD);
        }
        SystemInstructions.requireCpl0(x);
        boolean to64 = i.operandSize() == 8;
        long rip = to64 ? c.gpr[X86CpuState.RCX] : c.gpr[X86CpuState.RCX] & 0xffffffffL;
        if (!SystemInstructions.canonical(rip)) {
            throw gp0(x);
        }
        int base = (int) (c.msr[Msrs.SLOT_STAR] >>> 48) & 0xffff;
        if (to64) {
            c.cs.set(((base + 16) & 0xffff) | 3, 0, FLAT_LIMIT, CODE_ATTR | Segment.L | DPL3);
        } else {
            c.cs.set(base | 3, 0, FLAT_LIMIT, CODE_ATTR | Segment.DB | DPL3);
        }
        c.ss.set(((base + 8) & 0xffff) | 3, 0, FLAT_LIMIT, STACK_ATTR | DPL3);
        c.rflags = (c.gpr[R11] & SYSRET_FLAGS) | X86CpuState.RFLAGS_FIXED;
        x.nextRip = rip;
    }

    /**
     * SYSENTER (Vol 2): #GP(0) in real mode or with a null IA32_SYSENTER_CS. Flat ring-0 CS (64-bit in IA-32e mode)
     * and SS = CS+8; RSP/RIP from SYSENTER_ESP/EIP (32 bits outside IA-32e mode); VM, IF and RF cleared.
     */
    static void sysenter(X86Interpreter x) {
        X86CpuState c = x.cpu;
        int cs = (int) c.msr[Msrs.SLOT_SYSENTER_CS] & 0xffff;
        if ((c.cr0 & X86CpuState.CR0_PE) == 0 || (cs & 0xfffc) == 0) {
            throw gp0(x);
        }
        boolean lma = SystemInstructions.ia32e(x);
        c.rflags &= ~(SystemInstructions.VM | SystemInstructions.IF | SystemInstructions.RF);
        c.cs.set(cs & 0xfffc, 0, FLAT_LIMIT, CODE_ATTR | (lma ? Segment.L : Segment.DB));
        c.ss.set((cs + 8) & 0xfffc, 0, FLAT_LIMIT, STACK_ATTR);
        long esp = c.msr[Msrs.SLOT_SYSENTER_ESP];
        long eip = c.msr[Msrs.SLOT_SYSENTER_EIP];
        c.gpr[X86CpuState.RSP] = lma ? esp : esp & 0xffffffffL;
        x.nextRip = lma ? eip : eip & 0xffffffffL;
    }

    /**
     * SYSEXIT (Vol 2): CPL 0 in protected mode with a non-null SYSENTER_CS, else #GP(0). REX.W returns to 64-bit
     * code (CS = SYSENTER_CS+32, SS = +40, RSP ← RCX, RIP ← RDX, which must be canonical); otherwise to 32-bit code
     * (CS = +16, SS = +24, ESP ← ECX, EIP ← EDX). RPL 3 throughout.
     */
    static void sysexit(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        int cs = (int) c.msr[Msrs.SLOT_SYSENTER_CS] & 0xffff;
        if ((c.cr0 & X86CpuState.CR0_PE) == 0 || x.cpl() != 0 || (cs & 0xfffc) == 0) {
            throw gp0(x);
        }
        boolean to64 = i.operandSize() == 8;
        long rip = to64 ? c.gpr[X86CpuState.RDX] : c.gpr[X86CpuState.RDX] & 0xffffffffL;
        if (!SystemInstructions.canonical(rip)) {
            throw gp0(x);
        }
        if (to64) {
            c.cs.set(((cs + 32) & 0xffff) | 3, 0, FLAT_LIMIT, CODE_ATTR | Segment.L | DPL3);
            c.ss.set(((cs + 40) & 0xffff) | 3, 0, FLAT_LIMIT, STACK_ATTR | DPL3);
            c.gpr[X86CpuState.RSP] = c.gpr[X86CpuState.RCX];
        } else {
            c.cs.set(((cs + 16) & 0xffff) | 3, 0, FLAT_LIMIT, CODE_ATTR | Segment.DB | DPL3);
            c.ss.set(((cs + 24) & 0xffff) | 3, 0, FLAT_LIMIT, STACK_ATTR | DPL3);
            c.gpr[X86CpuState.RSP] = c.gpr[X86CpuState.RCX] & 0xffffffffL;
        }
        x.nextRip = rip;
    }
}
