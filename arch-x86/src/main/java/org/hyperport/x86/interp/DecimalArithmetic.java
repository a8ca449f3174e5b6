package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Decimal arithmetic instructions (SDM Vol 1 §7.3 "Decimal Arithmetic Instructions"; Vol 2 "DAA", "DAS", "AAA",
 * "AAS", "AAM", "AAD"). They are invalid in 64-bit mode, which the decoder reports as #UD. SF, ZF and PF come from
 * {@link IntegerOps#logic} of the adjusted AL, and the flags the SDM leaves undefined are cleared with it (OF after
 * DAA/DAS; CF, OF, AF after AAM/AAD) or left unchanged (SF, ZF, PF, OF after AAA/AAS).
 */
final class DecimalArithmetic {

    private DecimalArithmetic() {
    }

    private static boolean af(X86CpuState s) {
        return (s.rflags & IntegerOps.AF) != 0;
    }

    private static void setCfAf(X86CpuState s, boolean cf, boolean af) {
        s.rflags = (s.rflags & ~(IntegerOps.CF | IntegerOps.AF)) | (cf ? IntegerOps.CF : 0)
                | (af ? IntegerOps.AF : 0);
    }

    /** DAA: decimal adjust AL after a packed-BCD addition. */
    static boolean daa(X86Interpreter x) {
        X86CpuState s = x.cpu;
        long oldAl = x.reg(X86CpuState.RAX, 1);
        boolean oldCf = IntegerOps.cf(s);
        long al = oldAl;
        boolean af = (al & 0xf) > 9 || af(s);
        if (af) {
            al += 6;
        }
        boolean cf = oldAl > 0x99 || oldCf;
        if (cf) {
            al += 0x60;
        }
        al &= 0xff;
        IntegerOps.logic(s, al, 1);
        setCfAf(s, cf, af);
        x.setReg(X86CpuState.RAX, 1, al);
        return true;
    }

    /** DAS: decimal adjust AL after a packed-BCD subtraction. */
    static boolean das(X86Interpreter x) {
        X86CpuState s = x.cpu;
        long oldAl = x.reg(X86CpuState.RAX, 1);
        boolean oldCf = IntegerOps.cf(s);
        long al = oldAl;
        boolean cf = false;
        boolean af = (al & 0xf) > 9 || af(s);
        if (af) {
            cf = oldCf || al < 6;
            al -= 6;
        }
        if (oldAl > 0x99 || oldCf) {
            al -= 0x60;
            cf = true;
        }
        al &= 0xff;
        IntegerOps.logic(s, al, 1);
        setCfAf(s, cf, af);
        x.setReg(X86CpuState.RAX, 1, al);
        return true;
    }

    /** AAA: ASCII adjust after addition; AX ← AX + 106H on a decimal carry, then AL ← AL AND 0FH. */
    static boolean aaa(X86Interpreter x) {
        return asciiAdjust(x, 0x106);
    }

    /** AAS: ASCII adjust after subtraction; AX ← AX − 6, AH ← AH − 1 on a decimal borrow, then AL ← AL AND 0FH. */
    static boolean aas(X86Interpreter x) {
        return asciiAdjust(x, -0x106);
    }

    private static boolean asciiAdjust(X86Interpreter x, int adjust) {
        X86CpuState s = x.cpu;
        long ax = x.reg(X86CpuState.RAX, 2);
        boolean carry = (ax & 0xf) > 9 || af(s);
        if (carry) {
            ax += adjust;
        }
        ax = (ax & 0xff00) | (ax & 0x0f);
        setCfAf(s, carry, carry);
        x.setReg(X86CpuState.RAX, 2, ax);
        return true;
    }

    /** AAM imm8: AH ← AL / imm8, AL ← AL mod imm8; #DE for 0. */
    static boolean aam(X86Interpreter x, Instruction i) {
        long base = i.operand(0).immediate() & 0xff;
        if (base == 0) {
            throw x.fault.raise(CpuFault.DE);
        }
        long al = x.reg(X86CpuState.RAX, 1);
        long r = al % base;
        IntegerOps.logic(x.cpu, r, 1);
        x.setReg(X86CpuState.RAX, 2, ((al / base) << 8) | r);
        return true;
    }

    /** AAD imm8: AL ← (AL + AH × imm8) AND FFH, AH ← 0. */
    static boolean aad(X86Interpreter x, Instruction i) {
        long base = i.operand(0).immediate() & 0xff;
        long ax = x.reg(X86CpuState.RAX, 2);
        long al = ((ax & 0xff) + (ax >>> 8) * base) & 0xff;
        IntegerOps.logic(x.cpu, al, 1);
        x.setReg(X86CpuState.RAX, 2, al);
        return true;
    }
}
