package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;

/**
 * Port I/O (SDM Vol 1 Ch. 19 "Input/Output", Vol 2 IN/OUT/INS/OUTS) through {@link X86Platform#ioIn} and
 * {@link X86Platform#ioOut}, with the protected-mode I/O permission check of Vol 1 §19.5: allowed when CPL ≤ IOPL
 * (never in virtual-8086 mode), otherwise every bit of the access in the TSS I/O permission bitmap must be clear.
 *
 * <p>REP INS/OUTS runs at most {@value #BATCH} iterations per step and then re-executes itself, so interrupts are
 * taken between batches; rCX, rSI and rDI are updated after every element, so a fault restarts exactly where it
 * happened.
 */
final class IoInstructions {

    static final int BATCH = 4096;
    private static final long DF = 1 << 10;
    /** Offset of the I/O map base address in a 32-bit or 64-bit TSS (Vol 3A Figures 9-2, 9-11). */
    private static final int IO_MAP_BASE = 0x66;

    private IoInstructions() {
    }

    static void execute(X86Interpreter x, Instruction i) {
        switch (i.op()) {
            case IN -> {
                Operand dst = i.operand(0);
                int port = (int) x.read(i.operand(1)) & 0xffff;
                checkPermission(x, port, dst.size());
                x.write(dst, x.platform.ioIn(port, dst.size()));
            }
            case OUT -> {
                Operand src = i.operand(1);
                int port = (int) x.read(i.operand(0)) & 0xffff;
                checkPermission(x, port, src.size());
                x.platform.ioOut(port, src.size(), x.read(src));
            }
            default -> string(x, i, i.op() == Op.INS);
        }
    }

    /**
     * The I/O permission check of Vol 1 §19.5.2: TR must hold a 32/64-bit TSS whose limit covers the two bitmap
     * bytes of the access; any set bit for ports {@code port..port+size-1} is #GP(0).
     */
    static void checkPermission(X86Interpreter x, int port, int size) {
        X86CpuState c = x.cpu;
        if ((c.cr0 & X86CpuState.CR0_PE) == 0
                || (!SystemInstructions.v8086(x) && x.cpl() <= SystemInstructions.iopl(x))) {
            return;
        }
        Segment tr = c.tr;
        long limit = tr.limit & 0xffffffffL;
        if ((tr.attr & Segment.UNUSABLE) != 0 || (tr.type() != 9 && tr.type() != 0xb) || limit < IO_MAP_BASE + 1) {
            throw SystemInstructions.gp0(x);
        }
        long offset = x.mem.read(tr.base + IO_MAP_BASE, 2, false, 0) + (port >>> 3);
        if (offset + 1 > limit) {
            throw SystemInstructions.gp0(x);
        }
        long bits = x.mem.read(tr.base + offset, 2, false, 0);
        if (((bits >>> (port & 7)) & ((1 << size) - 1)) != 0) {
            throw SystemInstructions.gp0(x);
        }
    }

    /**
     * INS/OUTS (Vol 2): one element between DX and ES:rDI (INS, not overridable) or seg:rSI (OUTS), rDI/rSI
     * stepping by DF; with REP (F2 acts like F3 here), rCX elements. INS probes the destination before reading the
     * port, so a page fault does not consume device data.
     */
    private static void string(X86Interpreter x, Instruction i, boolean in) {
        Operand m = i.operand(in ? 0 : 1);
        int size = m.size();
        int as = m.addressSize();
        int port = (int) x.reg(X86CpuState.RDX, 2);
        checkPermission(x, port, size);
        int index = in ? X86CpuState.RDI : X86CpuState.RSI;
        long step = (x.cpu.rflags & DF) != 0 ? -size : size;
        if (!i.rep() && !i.repne()) {
            element(x, in, m.segment(), index, as, port, size, step);
            return;
        }
        long count = x.reg(X86CpuState.RCX, as);
        for (int n = 0; count != 0 && n < BATCH; n++) {
            element(x, in, m.segment(), index, as, port, size, step);
            count--;
            x.setReg(X86CpuState.RCX, as, count);
        }
        if (count != 0) {
            x.nextRip = i.ip();
        }
    }

    private static void element(X86Interpreter x, boolean in, int sreg, int index, int as, int port, int size,
                                long step) {
        long offset = x.reg(index, as);
        long la = x.linear(sreg, offset);
        if (in) {
            x.mem.probeWrite(la, size, x.user());
            x.store(la, size, x.platform.ioIn(port, size));
        } else {
            x.platform.ioOut(port, size, x.load(la, size));
        }
        x.setReg(index, as, offset + step);
    }
}
