package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Shift and rotate instructions (SDM Vol 1 §7.3 "Shift and Rotate Instructions"; Vol 2 "SAL/SAR/SHL/SHR",
 * "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). SAL is SHL. The flag rules (count masking, a masked count of 0 changing
 * nothing, OF for 1-bit counts) are {@link IntegerOps}'; SHLD and SHRD, which it does not cover, get SF, ZF and PF
 * from {@link IntegerOps#logic} and their own CF and OF.
 */
final class ShiftRotate {

    private ShiftRotate() {
    }

    /** ROL ROR RCL RCR SHL SHR SAR {@code E, count}: the count is 1, CL or an imm8. */
    static boolean shift(X86Interpreter x, Instruction i, int op) {
        ReadModifyWrite.modify(x, i, i.operand(0), op, x.read(i.operand(1)), 0);
        return true;
    }

    /** SHLD/SHRD {@code Ev, Gv, imm8/CL} (Vol 2 "SHLD", "SHRD"). */
    static boolean doubleShift(X86Interpreter x, Instruction i, int op) {
        long src = x.read(i.operand(1));
        long count = x.read(i.operand(2));
        ReadModifyWrite.modify(x, i, i.operand(0), op, src, count);
        return true;
    }

    private static int maskCount(long count, int size) {
        return (int) (count & (size == 8 ? 0x3f : 0x1f));
    }

    /**
     * SHLD: {@code dest} shifted left, filled from the high bits of {@code src}. CF is the last bit shifted out, OF
     * whether the sign changed (defined for a count of 1; the same rule for larger counts), AF cleared. A 16-bit
     * count above 16 is undefined in the SDM; it continues into {@code dest} again (dest:src:dest), as Intel cores do.
     */
    static long shld(X86CpuState s, long dest, long src, long count, int size) {
        int c = maskCount(count, size);
        long m = IntegerOps.mask(size);
        dest &= m;
        src &= m;
        if (c == 0) {
            return dest;
        }
        int bits = size * 8;
        long r;
        boolean cf;
        if (bits == 16) {
            long w = (dest << 32) | (src << 16) | dest;
            r = (w >>> (32 - c)) & m;
            cf = ((w >>> (48 - c)) & 1) != 0;
        } else {
            r = ((dest << c) | (src >>> (bits - c))) & m;
            cf = ((dest >>> (bits - c)) & 1) != 0;
        }
        return flags(s, dest, r, cf, size);
    }

    /** SHRD: {@code dest} shifted right, filled from the low bits of {@code src}; flags as {@link #shld}. */
    static long shrd(X86CpuState s, long dest, long src, long count, int size) {
        int c = maskCount(count, size);
        long m = IntegerOps.mask(size);
        dest &= m;
        src &= m;
        if (c == 0) {
            return dest;
        }
        int bits = size * 8;
        long r;
        boolean cf;
        if (bits == 16) {
            long w = (dest << 32) | (src << 16) | dest;
            r = (w >>> c) & m;
            cf = ((w >>> (c - 1)) & 1) != 0;
        } else {
            r = ((dest >>> c) | (src << (bits - c))) & m;
            cf = ((dest >>> (c - 1)) & 1) != 0;
        }
        return flags(s, dest, r, cf, size);
    }

    private static long flags(X86CpuState s, long dest, long r, boolean cf, int size) {
        IntegerOps.logic(s, r, size);
        long sign = 1L << (size * 8 - 1);
        boolean of = ((dest ^ r) & sign) != 0;
        s.rflags |= (cf ? IntegerOps.CF : 0) | (of ? IntegerOps.OF : 0);
        return r;
    }
}
