package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Binary arithmetic and logical instructions (SDM Vol 1 §7.3 "Binary Arithmetic Instructions", "Logical
 * Instructions"; Vol 2 "ADD", "ADC", "SUB", "SBB", "CMP", "AND", "OR", "XOR", "TEST", "INC", "DEC", "NEG", "NOT",
 * "MUL", "IMUL", "DIV", "IDIV"). Operands come in the decoder's order, destination first.
 */
final class BinaryArithmetic {

    private BinaryArithmetic() {
    }

    /** ADD OR ADC SBB AND SUB XOR CMP TEST: {@code E,G}, {@code G,E}, {@code E,imm} and {@code rAX,imm} forms. */
    static boolean binary(X86Interpreter x, Instruction i, int op) {
        Operand d = i.operand(0);
        long b = x.read(i.operand(1));
        if (op == ReadModifyWrite.CMP || op == ReadModifyWrite.TEST) {
            ReadModifyWrite.compare(x, d, op, b);
        } else {
            ReadModifyWrite.modify(x, i, d, op, b, 0);
        }
        return true;
    }

    /** INC DEC NOT NEG {@code E}. */
    static boolean unary(X86Interpreter x, Instruction i, int op) {
        ReadModifyWrite.modify(x, i, i.operand(0), op, 0, 0);
        return true;
    }

    /**
     * MUL {@code E}: AX ← AL × src, or rDX:rAX ← rAX × src (Vol 2 "MUL"). CF = OF = whether the high half is
     * non-zero.
     */
    static boolean mul(X86Interpreter x, Instruction i, long[] pair) {
        Operand s = i.operand(0);
        int size = s.size();
        IntegerOps.mul(x.cpu, x.reg(X86CpuState.RAX, size), x.read(s), size, pair);
        writeProduct(x, size, pair);
        return true;
    }

    /**
     * IMUL (Vol 2 "IMUL"): one operand as MUL, signed; {@code G, E} and {@code G, E, imm} keep the low half of the
     * product, with CF = OF = whether it was truncated.
     */
    static boolean imul(X86Interpreter x, Instruction i, long[] pair) {
        if (i.operandCount() == 1) {
            Operand s = i.operand(0);
            int size = s.size();
            IntegerOps.imul(x.cpu, x.reg(X86CpuState.RAX, size), x.read(s), size, pair);
            writeProduct(x, size, pair);
            return true;
        }
        Operand d = i.operand(0);
        long a;
        long b;
        if (i.operandCount() == 3) {
            a = x.read(i.operand(1));
            b = x.read(i.operand(2));
        } else {
            a = x.read(d);
            b = x.read(i.operand(1));
        }
        IntegerOps.imul(x.cpu, a, b, d.size(), pair);
        x.write(d, pair[1]);
        return true;
    }

    private static void writeProduct(X86Interpreter x, int size, long[] pair) {
        if (size == 1) {
            x.setReg(X86CpuState.RAX, 2, (pair[0] << 8) | pair[1]);
        } else {
            x.setReg(X86CpuState.RDX, size, pair[0]);
            x.setReg(X86CpuState.RAX, size, pair[1]);
        }
    }

    /**
     * DIV/IDIV {@code E} (Vol 2 "DIV", "IDIV"): AX or rDX:rAX divided by the source; the quotient goes to AL/rAX and
     * the remainder to AH/rDX. A zero divisor or a quotient too large for the destination is #DE, before anything
     * changes. Flags are undefined and left unchanged.
     */
    static boolean divide(X86Interpreter x, Instruction i, boolean signed, long[] pair) {
        Operand s = i.operand(0);
        int size = s.size();
        long divisor = x.read(s);
        long hi;
        long lo;
        if (size == 1) {
            hi = x.reg(X86CpuState.RAX, 2) >>> 8;
            lo = x.reg(X86CpuState.RAX, 1);
        } else {
            hi = x.reg(X86CpuState.RDX, size);
            lo = x.reg(X86CpuState.RAX, size);
        }
        boolean ok = size == 8 ? divide64(hi, lo, divisor, signed, pair)
                : divideNarrow(hi, lo, divisor, size, signed, pair);
        if (!ok) {
            throw x.fault.raise(CpuFault.DE);
        }
        if (size == 1) {
            x.setReg(X86CpuState.RAX, 2, ((pair[1] & 0xff) << 8) | (pair[0] & 0xff));
        } else {
            x.setReg(X86CpuState.RAX, size, pair[0]);
            x.setReg(X86CpuState.RDX, size, pair[1]);
        }
        return true;
    }

    /**
     * Division of a dividend of at most 64 bits (8-, 16- and 32-bit operands) with {@code long} arithmetic; the
     * quotient must fit the operand size as an unsigned or signed number. ({@link IntegerOps#idiv} is not used: its
     * 32-bit form takes a negative dividend for an overflow.)
     */
    private static boolean divideNarrow(long hi, long lo, long divisor, int size, boolean signed, long[] pair) {
        int bits = size * 8;
        long m = IntegerOps.mask(size);
        long d = divisor & m;
        if (d == 0) {
            return false;
        }
        long n = ((hi & m) << bits) | (lo & m);
        long q;
        long r;
        if (signed) {
            long sn = (n << (64 - 2 * bits)) >> (64 - 2 * bits);
            long sd = ReadModifyWrite.signExtend(d, size);
            if (sn == Long.MIN_VALUE && sd == -1) {
                return false;
            }
            q = sn / sd;
            r = sn % sd;
            long limit = 1L << (bits - 1);
            if (q < -limit || q >= limit) {
                return false;
            }
        } else {
            q = Long.divideUnsigned(n, d);
            r = Long.remainderUnsigned(n, d);
            if (Long.compareUnsigned(q, m) > 0) {
                return false;
            }
        }
        pair[0] = q & m;
        pair[1] = r & m;
        return true;
    }

    /**
     * 128-by-64-bit division, allocation-free: a dividend that is the sign extension of its low half (what compilers
     * emit after CQO) is divided with {@code long} arithmetic, anything else by {@link #divideUnsigned128} on the
     * magnitudes.
     */
    private static boolean divide64(long hi, long lo, long divisor, boolean signed, long[] pair) {
        if (divisor == 0) {
            return false;
        }
        if (!signed) {
            if (Long.compareUnsigned(hi, divisor) >= 0) {
                return false;
            }
            divideUnsigned128(hi, lo, divisor, pair);
            return true;
        }
        if (hi == (lo >> 63)) {
            if (lo == Long.MIN_VALUE && divisor == -1) {
                return false;
            }
            pair[0] = lo / divisor;
            pair[1] = lo % divisor;
            return true;
        }
        boolean negative = hi < 0;
        if (negative) {
            lo = -lo;
            hi = ~hi + (lo == 0 ? 1 : 0);
        }
        long magnitude = divisor < 0 ? -divisor : divisor;
        if (Long.compareUnsigned(hi, magnitude) >= 0) {
            return false;
        }
        divideUnsigned128(hi, lo, magnitude, pair);
        long q = pair[0];
        if (negative != divisor < 0) {
            if (Long.compareUnsigned(q, Long.MIN_VALUE) > 0) {
                return false;
            }
            q = -q;
        } else if (q < 0) {
            return false;
        }
        pair[0] = q;
        pair[1] = negative ? -pair[1] : pair[1];
        return true;
    }

    /** {@code hi:lo / d} unsigned, for {@code hi < d} (so the quotient fits): restoring shift-and-subtract. */
    private static void divideUnsigned128(long hi, long lo, long d, long[] pair) {
        if (hi == 0) {
            pair[0] = Long.divideUnsigned(lo, d);
            pair[1] = Long.remainderUnsigned(lo, d);
            return;
        }
        long q = 0;
        long r = hi;
        for (int bit = 63; bit >= 0; bit--) {
            boolean carry = r < 0;
            r = (r << 1) | ((lo >>> bit) & 1);
            q <<= 1;
            if (carry || Long.compareUnsigned(r, d) >= 0) {
                r -= d;
                q |= 1;
            }
        }
        pair[0] = q;
        pair[1] = r;
    }
}
