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
        boolean ok = signed ? IntegerOps.idiv(hi, lo, divisor, size, pair)
                : IntegerOps.div(hi, lo, divisor, size, pair);
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
}
