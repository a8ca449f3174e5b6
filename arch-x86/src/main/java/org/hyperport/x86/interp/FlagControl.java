package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Flag control instructions (SDM Vol 1 §7.3 "Flag Control (EFLAG) Instructions"; Vol 2 "CLC", "STC", "CMC", "CLD",
 * "STD", "LAHF", "SAHF", "PUSHF/PUSHFD/PUSHFQ", "POPF/POPFD/POPFQ"). CLI and STI are system instructions.
 */
final class FlagControl {

    static final long TF = 1 << 8, IF = 1 << 9, DF = 1 << 10, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16,
            VM = 1 << 17, AC = 1 << 18, ID = 1 << 21;
    /** The flags POPF can ever change (never RF, VM, VIF, VIP): Vol 2 "POPF" Operation. */
    static final long POPF_WRITABLE = IntegerOps.STATUS | TF | IF | DF | IOPL | NT | AC | ID;

    private FlagControl() {
    }

    /** CLC, STC, CMC, CLD, STD: {@code rflags ← (rflags AND NOT clear) XOR toggle}. */
    static boolean set(X86Interpreter x, long clear, long toggle) {
        x.cpu.rflags = (x.cpu.rflags & ~clear) ^ toggle;
        return true;
    }

    /** LAHF: AH ← SF:ZF:0:AF:0:PF:1:CF. */
    static boolean lahf(X86Interpreter x) {
        long f = (x.cpu.rflags & (IntegerOps.SF | IntegerOps.ZF | IntegerOps.AF | IntegerOps.PF | IntegerOps.CF))
                | X86CpuState.RFLAGS_FIXED;
        x.cpu.gpr[X86CpuState.RAX] = (x.cpu.gpr[X86CpuState.RAX] & ~0xff00L) | (f << 8);
        return true;
    }

    /** SAHF: SF ZF AF PF CF ← AH bits 7, 6, 4, 2, 0. */
    static boolean sahf(X86Interpreter x) {
        long mask = IntegerOps.SF | IntegerOps.ZF | IntegerOps.AF | IntegerOps.PF | IntegerOps.CF;
        long ah = (x.cpu.gpr[X86CpuState.RAX] >>> 8) & 0xff;
        x.cpu.rflags = (x.cpu.rflags & ~mask) | (ah & mask);
        return true;
    }

    private static int iopl(long rflags) {
        return (int) ((rflags >>> 12) & 3);
    }

    /**
     * PUSHF/PUSHFD/PUSHFQ: pushes RFLAGS with VM and RF cleared in the image (16 bits: FLAGS). In virtual-8086 mode
     * with IOPL &lt; 3 it is #GP(0) (CR4.VME's virtual-interrupt flags are not modelled).
     */
    static boolean pushf(X86Interpreter x, Instruction i) {
        long f = x.cpu.rflags;
        if ((f & VM) != 0 && iopl(f) < 3) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        x.push(i.operandSize(), f & ~(VM | RF));
        return true;
    }

    /**
     * POPF/POPFD/POPFQ (Vol 2 "POPF" Operation): VM, VIF, VIP and the reserved bits never change, RF is cleared by
     * the 32- and 64-bit forms, IOPL changes only at CPL 0 (or in real mode), IF only when CPL ≤ IOPL; in
     * virtual-8086 mode IOPL must be 3 (else #GP(0)) and IOPL does not change; the 16-bit form changes bits 15:0
     * only. Bit 1 stays set.
     */
    static boolean popf(X86Interpreter x, Instruction i) {
        long f = x.cpu.rflags;
        int size = i.operandSize();
        long writable = POPF_WRITABLE;
        if ((f & VM) != 0) {
            if (iopl(f) < 3) {
                throw x.fault.raise(CpuFault.GP, 0);
            }
            writable &= ~IOPL;
        } else {
            int cpl = x.cpl();
            if (cpl > 0) {
                writable &= ~IOPL;
            }
            if (cpl > iopl(f)) {
                writable &= ~IF;
            }
        }
        if (size == 2) {
            writable &= 0xffff;
        } else {
            f &= ~RF;
        }
        long v = x.pop(size);
        x.cpu.rflags = (f & ~writable) | (v & writable) | X86CpuState.RFLAGS_FIXED;
        return true;
    }
}
