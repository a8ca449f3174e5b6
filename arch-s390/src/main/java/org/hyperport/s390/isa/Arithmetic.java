package org.hyperport.s390.isa;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;

/** Shared parts of the arithmetic instructions. */
public final class Arithmetic {

    private Arithmetic() {
    }

    /**
     * After an instruction set CC 3 for signed overflow: a fixed-point-overflow program interruption if the PSW's
     * program mask enables it (PoP Ch. 6 "Fixed-Point-Overflow Exception"; the operation completes).
     */
    public static void fixedPointOverflow(S390Interpreter c) {
        if (c.cc() == 3 && (c.state().programMask() & S390CpuState.PM_FIXED_OVERFLOW) != 0) {
            throw c.fault().raise(ProgramInterruption.FIXED_POINT_OVERFLOW);
        }
    }

    /**
     * An address placed in a general register (LA, LARL...): in 31-bit mode bits 33-63 take the address and bit 32
     * becomes zero, in 24-bit mode bits 40-63 take it and bits 32-39 become zero; bits 0-31 are unchanged in both
     * (PoP Ch. 7 "LOAD ADDRESS").
     */
    public static long setAddress(S390Interpreter c, int r, long address) {
        long old = c.state().gpr[r];
        return switch (c.state().addressingMode()) {
            case 64 -> address;
            case 31 -> (old & 0xffffffff00000000L) | (address & 0x7fffffffL);
            default -> (old & 0xffffffff00000000L) | (address & 0xffffffL);
        };
    }
}
