package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.Conditions;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Data transfer instructions (SDM Vol 1 §7.3 "Data Transfer Instructions": general data movement, exchange, stack
 * manipulation, type conversion; Vol 2 "MOV", "MOVZX", "MOVSX/MOVSXD", "CMOVcc", "XCHG", "BSWAP", "XADD",
 * "CMPXCHG", "CMPXCHG8B/CMPXCHG16B", "PUSH", "POP", "PUSHA/PUSHAD", "POPA/POPAD", "CBW/CWDE/CDQE",
 * "CWD/CDQ/CQO", "MOVBE"). Segment, control and debug register moves belong to the system group: they return
 * false here.
 *
 * <p>Register writes follow {@link X86Interpreter#setReg}: a 32-bit destination is zero-extended to 64 bits, also
 * when CMOVcc's condition is false (the destination is always written). CMPXCHG writes only the register it changes:
 * the destination on success, the accumulator on failure (so a failing 32-bit CMPXCHG keeps the upper half of a
 * register destination), as Intel and AMD processors do; the SDM's pseudo-code writes the destination back in both
 * cases, which is only visible in those upper halves.
 */
final class DataTransfer {

    private DataTransfer() {
    }

    private static boolean general(Operand o) {
        return o.kind() != Operand.Kind.REG || o.regClass() == Operand.RegClass.GPR
                || o.regClass() == Operand.RegClass.HIGH8;
    }

    /** MOV between general registers, memory and immediates (not Sreg, CRn, DRn). */
    static boolean mov(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        Operand s = i.operand(1);
        if (!general(d) || !general(s)) {
            return false;
        }
        x.write(d, x.read(s));
        return true;
    }

    /** MOVZX {@code Gv, Eb/Ew}. */
    static boolean movzx(X86Interpreter x, Instruction i) {
        x.write(i.operand(0), x.read(i.operand(1)));
        return true;
    }

    /** MOVSX {@code Gv, Eb/Ew} and MOVSXD {@code Gv, Ez}: the source sign-extended to the destination size. */
    static boolean movsx(X86Interpreter x, Instruction i) {
        Operand s = i.operand(1);
        x.write(i.operand(0), ReadModifyWrite.signExtend(x.read(s), s.size()));
        return true;
    }

    /** CMOVcc {@code Gv, Ev}: the source is read (and may fault) whatever the condition. */
    static boolean cmov(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        long v = x.read(i.operand(1));
        x.write(d, Conditions.test(i.condition(), x.cpu.rflags) ? v : x.read(d));
        return true;
    }

    /** XCHG {@code E, G} and {@code Zv, rAX}; with memory it is locked (Vol 2 "XCHG"). */
    static boolean xchg(X86Interpreter x, Instruction i) {
        Operand a = i.operand(0);
        Operand b = i.operand(1);
        if (b.isMem()) {
            Operand t = a;
            a = b;
            b = t;
        }
        long bv = x.read(b);
        long av = ReadModifyWrite.modify(x, i, a, ReadModifyWrite.XCHG, bv, 0);
        x.write(b, av);
        return true;
    }

    /** XADD {@code E, G}: TEMP ← SRC + DEST; SRC ← DEST; DEST ← TEMP, with ADD's flags. */
    static boolean xadd(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        Operand s = i.operand(1);
        long sv = x.read(s);
        if (d.isMem()) {
            long old = ReadModifyWrite.modify(x, i, d, ReadModifyWrite.ADD, sv, 0);
            x.write(s, old);
        } else {
            long old = x.read(d);
            long sum = ReadModifyWrite.compute(x.cpu, ReadModifyWrite.ADD, old, sv, 0, d.size());
            x.write(s, old);
            x.write(d, sum);
        }
        return true;
    }

    /**
     * CMPXCHG {@code E, G}: compares the accumulator with the destination (CMP's flags); if equal the destination
     * gets the source, otherwise the accumulator gets the destination. A memory destination is checked for writing
     * either way but, on a mismatch, is not written back (see {@link ReadModifyWrite} on atomicity).
     */
    static boolean cmpxchg(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        int size = d.size();
        long src = x.read(i.operand(1));
        long acc = x.reg(X86CpuState.RAX, size);
        if (!d.isMem()) {
            long old = x.read(d);
            IntegerOps.sub(x.cpu, acc, old, 0, size);
            if (acc == old) {
                x.write(d, src);
            } else {
                x.setReg(X86CpuState.RAX, size, old);
            }
            return true;
        }
        long la = x.address(d);
        long old;
        if (i.lock()) {
            synchronized (ReadModifyWrite.BUS_LOCK) {
                old = compareExchange(x, la, size, acc, src);
            }
        } else {
            old = compareExchange(x, la, size, acc, src);
        }
        if (acc != old) {
            x.setReg(X86CpuState.RAX, size, old);
        }
        return true;
    }

    private static long compareExchange(X86Interpreter x, long la, int size, long acc, long src) {
        x.mem.probeWrite(la, size, x.user());
        long old = x.load(la, size);
        IntegerOps.sub(x.cpu, acc, old, 0, size);
        if (acc == old) {
            x.store(la, size, src);
        }
        return old;
    }

    /**
     * CMPXCHG8B {@code m64} / CMPXCHG16B {@code m128}: compares rDX:rAX with the memory operand; if equal stores
     * rCX:rBX and sets ZF, otherwise loads it into rDX:rAX and clears ZF. Other flags are unchanged. CMPXCHG16B
     * needs a 16-byte aligned operand (#GP(0)).
     */
    static boolean cmpxchgWide(X86Interpreter x, Instruction i) {
        Operand m = i.operand(0);
        int size = m.size();
        int half = size / 2;
        long la = x.address(m);
        if (size == 16 && (la & 15) != 0) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        long expectLo = x.reg(X86CpuState.RAX, half);
        long expectHi = x.reg(X86CpuState.RDX, half);
        boolean equal;
        long lo;
        long hi;
        synchronized (ReadModifyWrite.BUS_LOCK) {
            x.mem.probeWrite(la, size, x.user());
            lo = x.load(la, half);
            hi = x.load(la + half, half);
            equal = lo == expectLo && hi == expectHi;
            if (equal) {
                x.store(la, half, x.reg(X86CpuState.RBX, half));
                x.store(la + half, half, x.reg(X86CpuState.RCX, half));
            }
        }
        x.cpu.rflags = (x.cpu.rflags & ~IntegerOps.ZF) | (equal ? IntegerOps.ZF : 0);
        if (!equal) {
            x.setReg(X86CpuState.RDX, half, hi);
            x.setReg(X86CpuState.RAX, half, lo);
        }
        return true;
    }

    /** BSWAP {@code Zv}: byte order reversed; with a 16-bit operand (undefined in the SDM) the result is 0. */
    static boolean bswap(X86Interpreter x, Instruction i) {
        Operand r = i.operand(0);
        long v = x.read(r);
        x.write(r, switch (r.size()) {
            case 8 -> Long.reverseBytes(v);
            case 4 -> Integer.reverseBytes((int) v) & 0xffffffffL;
            default -> 0;
        });
        return true;
    }

    /** MOVBE {@code Gv, Mv} / {@code Mv, Gv}: a move with the byte order reversed. */
    static boolean movbe(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        long v = x.read(i.operand(1));
        x.write(d, switch (d.size()) {
            case 8 -> Long.reverseBytes(v);
            case 4 -> Integer.reverseBytes((int) v) & 0xffffffffL;
            default -> Short.reverseBytes((short) v) & 0xffffL;
        });
        return true;
    }

    // ---- Stack manipulation ---------------------------------------------------------------------------------------

    private static boolean segmentRegister(Operand o) {
        return o.kind() == Operand.Kind.REG && o.regClass() == Operand.RegClass.SEG;
    }

    /**
     * PUSH {@code Zv / Ev / imm}: a memory source is addressed with the stack pointer before the push; PUSH rSP
     * pushes the value before the push.
     */
    static boolean push(X86Interpreter x, Instruction i) {
        Operand s = i.operand(0);
        if (segmentRegister(s)) {
            return false;
        }
        x.push(i.operandSize(), x.read(s));
        return true;
    }

    /**
     * POP {@code Zv / Ev}. A memory destination addressed with rSP is addressed with the incremented stack pointer,
     * and POP rSP loads the popped value (Vol 2 "POP"). A faulting write leaves rSP unchanged (the group restores it).
     */
    static boolean pop(X86Interpreter x, Instruction i) {
        Operand d = i.operand(0);
        if (segmentRegister(d)) {
            return false;
        }
        long v = x.pop(i.operandSize());
        x.write(d, v);
        return true;
    }

    /** PUSHA/PUSHAD: AX CX DX BX, the original SP, BP SI DI (16- and 32-bit modes only). */
    static boolean pusha(X86Interpreter x, Instruction i) {
        int size = i.operandSize();
        long sp = x.reg(X86CpuState.RSP, size);
        for (int r = X86CpuState.RAX; r <= X86CpuState.RDI; r++) {
            x.push(size, r == X86CpuState.RSP ? sp : x.reg(r, size));
        }
        return true;
    }

    /** POPA/POPAD: the reverse of PUSHA; the stored SP is skipped. */
    static boolean popa(X86Interpreter x, Instruction i) {
        int size = i.operandSize();
        long di = x.pop(size);
        long si = x.pop(size);
        long bp = x.pop(size);
        x.pop(size);
        long bx = x.pop(size);
        long dx = x.pop(size);
        long cx = x.pop(size);
        long ax = x.pop(size);
        x.setReg(X86CpuState.RDI, size, di);
        x.setReg(X86CpuState.RSI, size, si);
        x.setReg(X86CpuState.RBP, size, bp);
        x.setReg(X86CpuState.RBX, size, bx);
        x.setReg(X86CpuState.RDX, size, dx);
        x.setReg(X86CpuState.RCX, size, cx);
        x.setReg(X86CpuState.RAX, size, ax);
        return true;
    }

    // ---- Type conversion ------------------------------------------------------------------------------------------

    /** CBW/CWDE/CDQE: the lower half of rAX sign-extended into the whole operand. */
    static boolean convertAccumulator(X86Interpreter x, Instruction i) {
        int size = i.operandSize();
        x.setReg(X86CpuState.RAX, size, ReadModifyWrite.signExtend(x.reg(X86CpuState.RAX, size / 2), size / 2));
        return true;
    }

    /** CWD/CDQ/CQO: rDX ← the sign of rAX replicated. */
    static boolean convertToDouble(X86Interpreter x, Instruction i) {
        int size = i.operandSize();
        long sign = ReadModifyWrite.signExtend(x.reg(X86CpuState.RAX, size), size) >> 63;
        x.setReg(X86CpuState.RDX, size, sign);
        return true;
    }
}
