package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.Conditions;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Near control transfers (SDM Vol 1 §7.3 "Control Transfer Instructions", "Enter and Leave Instructions"; Vol 2
 * "JMP", "Jcc", "LOOP/LOOPcc", "CALL", "RET", "ENTER", "LEAVE"). Far transfers, INT and IRET belong to the system
 * group.
 *
 * <p>Relative targets come from the decoder already truncated to the operand size; register and memory targets are
 * read at the operand size. A target outside the code segment limit (outside 64-bit mode) or not canonical (in
 * 64-bit mode) raises #GP(0) on the branch instruction itself, with nothing changed.
 */
final class ControlTransfer {

    private ControlTransfer() {
    }

    /** The branch target of operand {@code o}: a REL target, or a register/memory operand read at its size. */
    private static long target(X86Interpreter x, Operand o) {
        return o.kind() == Operand.Kind.REL ? o.target() : x.read(o);
    }

    /** Checks {@code target} against the code segment (limit, or canonical form in 64-bit mode) and jumps there. */
    static void jumpTo(X86Interpreter x, long target) {
        if (x.longMode64()) {
            if ((target << 16 >> 16) != target) {
                throw x.fault.raise(CpuFault.GP, 0);
            }
        } else if (Long.compareUnsigned(target, x.cpu.cs.limit & 0xffffffffL) > 0) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        x.nextRip = target;
    }

    /** JMP {@code rel8/rel16/rel32 / Ev}. */
    static boolean jmp(X86Interpreter x, Instruction i) {
        jumpTo(x, target(x, i.operand(0)));
        return true;
    }

    /** Jcc {@code rel}: taken when the condition holds. */
    static boolean jcc(X86Interpreter x, Instruction i) {
        if (Conditions.test(i.condition(), x.cpu.rflags)) {
            jumpTo(x, i.operand(0).target());
        }
        return true;
    }

    /** JCXZ/JECXZ/JRCXZ {@code rel8}: taken when CX, ECX or RCX (by address size) is 0. */
    static boolean jrcxz(X86Interpreter x, Instruction i) {
        if (x.reg(X86CpuState.RCX, i.addressSize()) == 0) {
            jumpTo(x, i.operand(0).target());
        }
        return true;
    }

    /**
     * LOOP/LOOPE/LOOPNE {@code rel8}: decrements CX/ECX/RCX (by address size, flags unchanged) and branches while it
     * is not 0 (and, for LOOPE/LOOPNE, while ZF is 1/0). The count is written only after the target is checked.
     */
    static boolean loop(X86Interpreter x, Instruction i, int zf) {
        int as = i.addressSize();
        long count = ReadModifyWrite.truncate(x.reg(X86CpuState.RCX, as) - 1, as);
        boolean taken = count != 0
                && (zf < 0 || ((x.cpu.rflags & IntegerOps.ZF) != 0) == (zf == 1));
        if (taken) {
            jumpTo(x, i.operand(0).target());
        }
        x.setReg(X86CpuState.RCX, as, count);
        return true;
    }

    /** CALL {@code rel / Ev} (near): pushes the return address at the operand size, then jumps. */
    static boolean call(X86Interpreter x, Instruction i) {
        long target = target(x, i.operand(0));
        jumpTo(x, target);
        x.push(i.operandSize(), i.nextIp());
        return true;
    }

    /** RET / RET {@code imm16} (near): pops the return address, then releases {@code imm16} more bytes. */
    static boolean ret(X86Interpreter x, Instruction i) {
        long target = x.pop(i.operandSize());
        jumpTo(x, target);
        if (i.operandCount() == 1) {
            int sas = x.stackAddressSize();
            x.setReg(X86CpuState.RSP, sas, x.reg(X86CpuState.RSP, sas) + i.operand(0).immediate());
        }
        return true;
    }

    /**
     * ENTER {@code imm16, imm8}: pushes rBP, copies {@code imm8 mod 32 - 1} frame pointers from the enclosing frame
     * and the new frame pointer (when the level is not 0), sets rBP to the new frame and allocates {@code imm16}
     * bytes. The operand size sizes the pushes and the rBP value; the stack address size, rSP and the frame-pointer
     * walk. Registers are written only after the last push.
     */
    static boolean enter(X86Interpreter x, Instruction i) {
        int os = i.operandSize();
        int sas = x.stackAddressSize();
        long alloc = i.operand(0).immediate() & 0xffff;
        int level = (int) (i.operand(1).immediate() & 31);
        long sp = x.reg(X86CpuState.RSP, sas);
        long bp = x.reg(X86CpuState.RBP, sas);
        sp = pushAt(x, sp, sas, os, bp);
        long frame = sp;
        if (level > 0) {
            for (int n = 1; n < level; n++) {
                bp = ReadModifyWrite.truncate(bp - os, sas);
                sp = pushAt(x, sp, sas, os, x.load(x.linear(Operand.SS, bp), os));
            }
            sp = pushAt(x, sp, sas, os, frame);
        }
        x.setReg(X86CpuState.RBP, os, frame);
        x.setReg(X86CpuState.RSP, sas, sp - alloc);
        return true;
    }

    private static long pushAt(X86Interpreter x, long sp, int sas, int size, long v) {
        long nsp = ReadModifyWrite.truncate(sp - size, sas);
        x.store(x.linear(Operand.SS, nsp), size, v);
        return nsp;
    }

    /** LEAVE: rSP ← rBP (at the stack address size), then rBP ← pop (at the operand size). */
    static boolean leave(X86Interpreter x, Instruction i) {
        int os = i.operandSize();
        int sas = x.stackAddressSize();
        long sp = x.reg(X86CpuState.RBP, sas);
        long v = x.load(x.linear(Operand.SS, sp), os);
        x.setReg(X86CpuState.RSP, sas, sp + os);
        x.setReg(X86CpuState.RBP, os, v);
        return true;
    }
}
