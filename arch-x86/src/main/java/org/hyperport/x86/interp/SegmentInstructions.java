package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;

/**
 * Segment-register loads and stores (Vol 2 MOV Sreg, PUSH/POP Sreg, LDS/LES/LFS/LGS/LSS, SWAPGS), the descriptor-table
 * registers (LGDT/LIDT/SGDT/SIDT, LLDT/SLDT, LTR/STR; Vol 3A §2.4, §2.6) and the descriptor probes VERR, VERW, LAR
 * and LSL (Vol 3A §5.10.3). Also the descriptor-field accessors the far transfers share (Vol 3A Figure 3-8).
 */
final class SegmentInstructions {

    private SegmentInstructions() {
    }

    // ---- Descriptor fields (8-byte descriptor as a long, Vol 3A Figure 3-8) ---------------------------------------

    static int type(long d) {
        return (int) (d >>> 40) & 0xf;
    }

    static boolean system(long d) {
        return (d & (1L << 44)) == 0;
    }

    static boolean code(long d) {
        return !system(d) && (d & (1L << 43)) != 0;
    }

    static boolean conforming(long d) {
        return code(d) && (d & (1L << 42)) != 0;
    }

    /** Readable code or writable data: bit 1 of the type. */
    static boolean readWrite(long d) {
        return (d & (1L << 41)) != 0;
    }

    static int dpl(long d) {
        return (int) (d >>> 45) & 3;
    }

    static boolean present(long d) {
        return (d & (1L << 47)) != 0;
    }

    /** The L flag: a 64-bit code segment. */
    static boolean longCode(long d) {
        return (d & (1L << 53)) != 0;
    }

    static boolean big(long d) {
        return (d & (1L << 54)) != 0;
    }

    /** The byte-granular limit (scaled by G). */
    static long limit(long d) {
        long raw = (d & 0xffff) | ((d >>> 32) & 0xf0000);
        return (d & (1L << 55)) != 0 ? (raw << 12) | 0xfff : raw;
    }

    static long base(long d) {
        return ((d >>> 16) & 0xffffff) | ((d >>> 32) & 0xff000000L);
    }

    static CpuFault gp(X86Interpreter x, int selector) {
        return x.fault.raise(CpuFault.GP, selector & 0xfffc);
    }

    /** Whether {@code selector} is not null and its descriptor lies within the GDT or a usable LDT. */
    static boolean inTable(X86Interpreter x, int selector) {
        if ((selector & 0xfffc) == 0) {
            return false;
        }
        X86CpuState c = x.cpu;
        boolean ldt = (selector & 4) != 0;
        if (ldt && (c.ldt.attr & Segment.UNUSABLE) != 0) {
            return false;
        }
        long limit = ldt ? c.ldt.limit & 0xffffffffL : c.gdtLimit;
        return (selector & 0xfff8L) + 7 <= limit;
    }

    /** Sets the accessed bit of the descriptor in memory if it is clear (Vol 3A §3.4.5.1). */
    static void markAccessed(X86Interpreter x, int selector, long d) {
        if ((d & (1L << 40)) == 0) {
            X86CpuState c = x.cpu;
            long table = (selector & 4) != 0 ? c.ldt.base : c.gdtBase;
            x.mem.write(table + (selector & 0xfff8L) + 5, 1, ((d >>> 40) & 0xff) | 1, false);
        }
    }

    /** The linear address of byte {@code delta} of memory operand {@code m}, wrapping at its address size. */
    static long at(X86Interpreter x, Operand m, int delta) {
        return x.linear(m.segment(), (x.offset(m) + delta) & SystemInstructions.mask(m.addressSize()));
    }

    // ---- Segment registers ----------------------------------------------------------------------------------------

    /** MOV Sreg, r/m16 (Vol 2): CS is #UD; SS inhibits interrupts for one instruction (Vol 3A §6.8.3). */
    static void moveToSreg(X86Interpreter x, int sreg, int selector) {
        switch (sreg) {
            case Operand.CS -> throw x.fault.raise(CpuFault.UD);
            case Operand.SS -> {
                x.desc.loadStack(selector);
                x.interruptShadow = true;
            }
            default -> x.desc.loadData(x.segment(sreg), selector);
        }
    }

    /** PUSH Sreg (Vol 2): the selector zero-extended to the operand size. */
    static boolean pushSreg(X86Interpreter x, Instruction i) {
        x.push(i.operandSize(), x.segment(i.operand(0).reg()).selector);
        return true;
    }

    /** POP Sreg (Vol 2): loads the selector before rSP moves, so a faulting load leaves the stack unchanged. */
    static boolean popSreg(X86Interpreter x, Instruction i) {
        int size = i.operandSize();
        int sas = x.stackAddressSize();
        long sp = x.reg(X86CpuState.RSP, sas);
        int selector = (int) x.load(x.linear(Operand.SS, sp), size) & 0xffff;
        moveToSreg(x, i.operand(0).reg(), selector);
        x.setReg(X86CpuState.RSP, sas, sp + size);
        return true;
    }

    /** LDS/LES/LFS/LGS/LSS (Vol 2): a far pointer m16:16/32/64; the segment is loaded before the register. */
    static void loadFarPointer(X86Interpreter x, Instruction i) {
        Operand dst = i.operand(0);
        Operand m = i.operand(1);
        int osz = m.size() - 2;
        long offset = x.load(at(x, m, 0), osz);
        int selector = (int) x.load(at(x, m, osz), 2);
        Op op = i.op();
        if (op == Op.LSS) {
            x.desc.loadStack(selector);
        } else {
            int sreg = switch (op) {
                case LDS -> Operand.DS;
                case LES -> Operand.ES;
                case LFS -> Operand.FS;
                default -> Operand.GS;
            };
            x.desc.loadData(x.segment(sreg), selector);
        }
        x.setReg(dst.reg(), dst.size(), offset);
    }

    /** SWAPGS (Vol 2): 64-bit mode only (the decoder's o64), CPL 0; exchanges GS.base and IA32_KERNEL_GS_BASE. */
    static void swapgs(X86Interpreter x) {
        SystemInstructions.requireCpl0(x);
        int slot = Msrs.SLOT_KERNEL_GS_BASE;
        long kernel = x.cpu.msr[slot];
        x.cpu.msr[slot] = x.cpu.gs.base;
        x.cpu.gs.base = kernel;
    }

    // ---- Descriptor-table registers -------------------------------------------------------------------------------

    /**
     * LGDT/LIDT (Vol 2): privileged. The pseudo-descriptor is a 16-bit limit and a base of 64 bits in 64-bit mode,
     * otherwise 32 bits of which a 16-bit operand size keeps 24.
     */
    static void loadTableRegister(X86Interpreter x, Instruction i) {
        if (x.cpl() != 0 || SystemInstructions.v8086(x)) {
            throw SystemInstructions.gp0(x);
        }
        Operand m = i.operand(0);
        int limit = (int) x.load(at(x, m, 0), 2);
        long base;
        if (x.longMode64()) {
            base = x.load(at(x, m, 2), 8);
        } else {
            base = x.load(at(x, m, 2), 4);
            if (i.operandSize() == 2) {
                base &= 0xffffff;
            }
        }
        if (i.op() == Op.LGDT) {
            x.cpu.gdtBase = base;
            x.cpu.gdtLimit = limit;
        } else {
            x.cpu.idtBase = base;
            x.cpu.idtLimit = limit;
        }
    }

    /** SGDT/SIDT (Vol 2): not privileged (no UMIP); stores the limit and a 64-bit (64-bit mode) or 32-bit base. */
    static void storeTableRegister(X86Interpreter x, Instruction i) {
        Operand m = i.operand(0);
        boolean gdt = i.op() == Op.SGDT;
        long base = gdt ? x.cpu.gdtBase : x.cpu.idtBase;
        int limit = gdt ? x.cpu.gdtLimit : x.cpu.idtLimit;
        int baseSize = x.longMode64() ? 8 : 4;
        long la = at(x, m, 0);
        x.mem.probeWrite(la, 2 + baseSize, x.user());
        x.store(la, 2, limit);
        x.store(at(x, m, 2), baseSize, base);
    }

    /**
     * The base of a system descriptor (LDT, TSS): in IA-32e mode the descriptor is 16 bytes, bits 63:32 of the base
     * come from the upper half, whose type field must be zero and the base canonical (#GP(selector)).
     */
    private static long systemBase(X86Interpreter x, int selector, long d) {
        long base = base(d);
        if (SystemInstructions.ia32e(x)) {
            long high = x.desc.readHigh(selector);
            base |= (high & 0xffffffffL) << 32;
            if (((high >>> 40) & 0x1f) != 0 || !SystemInstructions.canonical(base)) {
                throw gp(x, selector);
            }
        }
        return base;
    }

    /**
     * LLDT (Vol 2): privileged; a null selector makes LDTR unusable; otherwise a present LDT descriptor (type 2) in
     * the GDT, else #GP(selector) or #NP(selector).
     */
    static void lldt(X86Interpreter x, Instruction i) {
        SystemInstructions.requireCpl0(x);
        int selector = (int) x.read(i.operand(0)) & 0xffff;
        if ((selector & 0xfffc) == 0) {
            x.cpu.ldt.set(selector, 0, 0, Segment.UNUSABLE);
            return;
        }
        if ((selector & 4) != 0) {
            throw gp(x, selector);
        }
        long d = x.desc.read(selector);
        if (!system(d) || type(d) != 2) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        long base = systemBase(x, selector, d);
        Descriptors.unpack(d, selector, x.cpu.ldt);
        x.cpu.ldt.base = base;
    }

    /**
     * LTR (Vol 2): privileged; the selector must name a present available TSS in the GDT (a 16-bit TSS only outside
     * IA-32e mode), which is marked busy in memory and in TR. A null selector is #GP(0).
     */
    static void ltr(X86Interpreter x, Instruction i) {
        SystemInstructions.requireCpl0(x);
        int selector = (int) x.read(i.operand(0)) & 0xffff;
        if ((selector & 0xfffc) == 0) {
            throw SystemInstructions.gp0(x);
        }
        if ((selector & 4) != 0) {
            throw gp(x, selector);
        }
        long d = x.desc.read(selector);
        int type = type(d);
        boolean available = type == 9 || (type == 1 && !SystemInstructions.ia32e(x));
        if (!system(d) || !available) {
            throw gp(x, selector);
        }
        if (!present(d)) {
            throw x.fault.raise(CpuFault.NP, selector & 0xfffc);
        }
        long base = systemBase(x, selector, d);
        long busy = d | (2L << 40);
        x.mem.write(x.cpu.gdtBase + (selector & 0xfff8L) + 5, 1, (busy >>> 40) & 0xff, false);
        Descriptors.unpack(busy, selector, x.cpu.tr);
        x.cpu.tr.base = base;
    }

    // ---- Descriptor probes ----------------------------------------------------------------------------------------

    private static boolean privileged(X86Interpreter x, int selector, long d) {
        return dpl(d) >= Math.max(x.cpl(), selector & 3);
    }

    private static void setZf(X86Interpreter x, boolean z) {
        x.cpu.rflags = z ? x.cpu.rflags | SystemInstructions.ZF : x.cpu.rflags & ~SystemInstructions.ZF;
    }

    /**
     * VERR/VERW (Vol 2): ZF ← whether the segment can be read (data, or readable code; conforming code regardless
     * of privilege) or written (writable data) at max(CPL, RPL). Bad selectors clear ZF instead of faulting.
     */
    static void verify(X86Interpreter x, Instruction i) {
        int selector = (int) x.read(i.operand(0)) & 0xffff;
        boolean ok = false;
        if (inTable(x, selector)) {
            long d = x.desc.read(selector);
            if (i.op() == Op.VERR) {
                ok = !system(d) && (!code(d) || readWrite(d)) && (conforming(d) || privileged(x, selector, d));
            } else {
                ok = !system(d) && !code(d) && readWrite(d) && privileged(x, selector, d);
            }
        }
        setZf(x, ok);
    }

    /**
     * LAR/LSL (Vol 2): for a descriptor visible at max(CPL, RPL) (conforming code always) and of a type the
     * instruction accepts (Tables in LAR/LSL: fewer system types in IA-32e mode), ZF ← 1 and the register gets the
     * access rights (descriptor bits 55:32 masked with 00F0FF00H) or the scaled limit; otherwise ZF ← 0 and the
     * register is unchanged.
     */
    static void accessRightsOrLimit(X86Interpreter x, Instruction i) {
        boolean lar = i.op() == Op.LAR;
        int selector = (int) x.read(i.operand(1)) & 0xffff;
        boolean ok = false;
        long d = 0;
        if (inTable(x, selector)) {
            d = x.desc.read(selector);
            if (!system(d)) {
                ok = conforming(d) || privileged(x, selector, d);
            } else {
                ok = systemTypeAllowed(type(d), lar, SystemInstructions.ia32e(x)) && privileged(x, selector, d);
            }
        }
        if (ok) {
            Operand dst = i.operand(0);
            x.setReg(dst.reg(), dst.size(), lar ? (d >>> 32) & 0x00f0ff00L : limit(d));
        }
        setZf(x, ok);
    }

    private static boolean systemTypeAllowed(int type, boolean lar, boolean ia32e) {
        if (ia32e) {
            return type == 2 || type == 9 || type == 0xb || (lar && type == 0xc);
        }
        return switch (type) {
            case 1, 2, 3, 9, 0xb -> true;
            case 4, 5, 0xc -> lar;
            default -> false;
        };
    }
}
