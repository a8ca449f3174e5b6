package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.a2;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 9 "Floating-Point Overview and Support Instructions": loads and stores of floating-point registers, the
 * sign-handling and FPR-GR-transfer instructions (floating-point-support-enhancement facility 41), and the FPC
 * instructions. A short value is the left half of its register; the right half is left alone.
 */
final class FloatingPointSupport {

    private FloatingPointSupport() {
    }

    /** FPC bits that may be one (masks, flags, DXC, DFP and BFP rounding modes); others are reserved. */
    static final int FPC_VALID = 0xf8f8ff77;

    /** With the AFP-register control (CR0 bit 45) off, only FPRs 0, 2, 4, 6 exist: data exception, DXC 1. */
    static int afp(S390Interpreter c, int r) {
        if ((r & 9) != 0 && (c.state().cr[0] & S390Interpreter.CR0_AFP) == 0) {
            throw c.fault().data(1);
        }
        return r;
    }

    /** FPC instructions are BFP instructions for the AFP-register control (DXC 2). */
    static void fpcAllowed(S390Interpreter c) {
        BinaryFloatingPoint.allowed(c);
    }

    static void checkFpc(S390Interpreter c, long v) {
        int f = (int) v;
        if ((v >>> 32) != 0 || (f & ~FPC_VALID) != 0 || (f & 7) == 4 || (f & 7) == 5 || (f & 7) == 6) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
    }

    /** An extended operand: the FPR pair r, r+2; valid designations are 0, 1, 4, 5, 8, 9, 12, 13. */
    static int pair(S390Interpreter c, int r) {
        if ((r & 2) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        afp(c, r + 2);
        return afp(c, r);
    }

    /**
     * SET FPC AND SIGNAL / LOAD FPC AND SIGNAL (IEEE-exception-simulation facility 40): the new FPC's flags are
     * signalled as IEEE exceptions: disabled ones are ORed into the old flags, an enabled one interrupts (invalid,
     * division by zero, overflow, underflow, inexact in that order; overflow and underflow carry inexact in the DXC).
     */
    static void setAndSignal(S390Interpreter c, long v) {
        checkFpc(c, v);
        int nv = (int) v;
        int masks = (nv >>> 24) & 0xf8;
        int sig = (nv >>> 16) & 0xf8;
        int old = c.state().fpc & 0x00f80000;
        c.state().fpc = (nv & ~0x00f80000) | old | ((sig & ~masks) << 16);
        int trap = sig & masks;
        if (trap != 0) {
            int dxc = Integer.highestOneBit(trap);
            if ((dxc == Bfp.OVERFLOW || dxc == Bfp.UNDERFLOW) && (sig & Bfp.INEXACT) != 0) {
                dxc |= Bfp.INEXACT;
            }
            throw c.fault().data(dxc);
        }
    }

    private static Semantics loadShort(boolean mem) {
        return (c, i) -> {
            int v = mem ? (int) c.read(a2(c, i), 4) : BinaryFloatingPoint.getF(c, afp(c, i.r2));
            BinaryFloatingPoint.putF(c, afp(c, i.r1), v);
        };
    }

    private static Semantics loadLong(boolean mem) {
        return (c, i) -> {
            long v = mem ? c.read(a2(c, i), 8) : c.state().fpr[afp(c, i.r2)];
            c.state().fpr[afp(c, i.r1)] = v;
        };
    }

    private static Semantics storeShort() {
        return (c, i) -> c.write(a2(c, i), 4, c.state().fpr[afp(c, i.r1)] >>> 32);
    }

    private static Semantics storeLong() {
        return (c, i) -> c.write(a2(c, i), 8, c.state().fpr[afp(c, i.r1)]);
    }

    /** LCDFR / LNDFR / LPDFR: sign bit complemented, set, cleared; no exceptions, CC unchanged. */
    private static Semantics sign(long xor, long or, long and) {
        return (c, i) -> {
            long v = c.state().fpr[afp(c, i.r2)];
            c.state().fpr[afp(c, i.r1)] = ((v ^ xor) | or) & and;
        };
    }

    /** SET BFP/DFP ROUNDING MODE: {@code bits} of the address into the FPC field at {@code shift}. */
    private static Semantics roundingMode(int bits, int shift, boolean check) {
        return (c, i) -> {
            fpcAllowed(c);
            int m = (int) (a2(c, i) & ((1 << bits) - 1));
            if (check && (m == 4 || m == 5 || m == 6)) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int field = 7 << shift;
            c.state().fpc = (c.state().fpc & ~field) | (m << shift);
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("LER", loadShort(false));
        r.def("LE", loadShort(true));
        r.def("LEY", loadShort(true));
        r.def("LDR", loadLong(false));
        r.def("LD", loadLong(true));
        r.def("LDY", loadLong(true));
        r.def("STE", storeShort());
        r.def("STEY", storeShort());
        r.def("STD", storeLong());
        r.def("STDY", storeLong());
        r.def("LZER", (c, i) -> BinaryFloatingPoint.putF(c, afp(c, i.r1), 0));
        r.def("LZDR", (c, i) -> c.state().fpr[afp(c, i.r1)] = 0);
        r.def("LZXR", (c, i) -> {
            int p = pair(c, i.r1);
            c.state().fpr[p] = 0;
            c.state().fpr[p + 2] = 0;
        });
        r.def("LXR", (c, i) -> {
            long[] f = c.state().fpr;
            int s = pair(c, i.r2);
            int d = pair(c, i.r1);
            long hi = f[s], lo = f[s + 2];
            f[d] = hi;
            f[d + 2] = lo;
        });
        r.def("LDGR", (c, i) -> c.state().fpr[afp(c, i.r1)] = c.state().gpr[i.r2]);
        r.def("LGDR", (c, i) -> c.state().gpr[i.r1] = c.state().fpr[afp(c, i.r2)]);
        r.def("LCDFR", sign(Long.MIN_VALUE, 0, -1L));
        r.def("LNDFR", sign(0, Long.MIN_VALUE, -1L));
        r.def("LPDFR", sign(0, 0, Long.MAX_VALUE));
        r.def("CPSDR", (c, i) -> {
            long[] f = c.state().fpr;
            long s = f[afp(c, i.r3)] & Long.MIN_VALUE;
            f[afp(c, i.r1)] = (f[afp(c, i.r2)] & Long.MAX_VALUE) | s;
        });
        r.def("EFPC", (c, i) -> {
            fpcAllowed(c);
            Operands.setLow(c, i.r1, c.state().fpc);
        });
        r.def("SFPC", (c, i) -> {
            fpcAllowed(c);
            long v = c.state().gpr[i.r1] & Operands.LOW;
            checkFpc(c, v);
            c.state().fpc = (int) v;
        });
        r.def("SFASR", (c, i) -> {
            fpcAllowed(c);
            setAndSignal(c, c.state().gpr[i.r1] & Operands.LOW);
        });
        r.def("LFAS", (c, i) -> {
            fpcAllowed(c);
            setAndSignal(c, c.read(a2(c, i), 4));
        });
        r.def("LFPC", (c, i) -> {
            fpcAllowed(c);
            long v = c.read(a2(c, i), 4);
            checkFpc(c, v);
            c.state().fpc = (int) v;
        });
        r.def("STFPC", (c, i) -> {
            fpcAllowed(c);
            c.write(a2(c, i), 4, c.state().fpc & Operands.LOW);
        });
        r.def("SRNM", roundingMode(2, 0, false));
        r.def("SRNMB", roundingMode(3, 0, true));
        r.def("SRNMT", roundingMode(3, 4, false));
    }
}
