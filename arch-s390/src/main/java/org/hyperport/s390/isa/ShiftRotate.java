package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 SHIFT (single and double, arithmetic and logical) and ROTATE LEFT SINGLE LOGICAL. The shift amount is
 * bits 58-63 of the second-operand address (six bits even for the 32-bit shifts, PoP "Shift" instructions); the
 * arithmetic left shifts keep the sign and report overflow when a bit unlike the sign leaves bit position 1.
 */
final class ShiftRotate {

    private ShiftRotate() {
    }

    private static int amount(S390Interpreter c, org.hyperport.s390.decode.Insn i) {
        return (int) c.address(0, i.b2, i.d2) & 63;
    }

    /** Whether an arithmetic left shift of the {@code width}-bit value {@code v} by {@code n} overflows. */
    static boolean slaOverflows(long v, int n, int width) {
        long sign = v < 0 ? 1 : 0;
        long numMask = width == 64 ? Long.MAX_VALUE : (1L << (width - 1)) - 1;
        long num = v & numMask;
        for (int k = 0; k < n; k++) {
            if (((num >>> (width - 2)) & 1) != sign) {
                return true;
            }
            num = (num << 1) & numMask;
        }
        return false;
    }

    /** Arithmetic left shift of the {@code width}-bit signed value {@code v} by {@code n}, sign-extended. */
    static long shiftLeftArithmetic(long v, int n, int width) {
        long sign = v < 0 ? 1 : 0;
        long numMask = width == 64 ? Long.MAX_VALUE : (1L << (width - 1)) - 1;
        long num = v & numMask;
        num = n >= 63 ? 0 : (num << n) & numMask;
        long r = num | (sign << (width - 1));
        return width == 64 ? r : (r << (64 - width)) >> (64 - width);
    }

    /** SLA/SLAK/SLAG: {@code src} is R1 (SLA) or R3 (SLAK, SLAG). */
    private static Semantics sla(Src src, int width) {
        return (c, i) -> {
            long v = src.get(c, i);
            int n = amount(c, i);
            long r = shiftLeftArithmetic(v, n, width);
            if (width == 32) {
                setLow(c, i.r1, r);
            } else {
                c.state().gpr[i.r1] = r;
            }
            c.setCc(slaOverflows(v, n, width) ? 3 : ConditionCodes.signed(r));
            Arithmetic.fixedPointOverflow(c);
        };
    }

    private static long pair(S390Interpreter c, int r1) {
        evenPair(c, r1);
        long[] g = c.state().gpr;
        return (g[r1] << 32) | (g[r1 + 1] & LOW);
    }

    private static void setPair(S390Interpreter c, int r1, long v) {
        setLow(c, r1, v >>> 32);
        setLow(c, r1 + 1, v);
    }

    static void register(S390Semantics.Registry r) {
        r.def("SLA", sla(R1_32, 32));
        r.def("SLAK", sla(R3_32, 32));
        r.def("SLAG", sla(R3_64, 64));
        r.def("SLDA", (c, i) -> {
            long p = pair(c, i.r1);
            int n = amount(c, i);
            long v = shiftLeftArithmetic(p, n, 64);
            setPair(c, i.r1, v);
            c.setCc(slaOverflows(p, n, 64) ? 3 : ConditionCodes.signed(v));
            Arithmetic.fixedPointOverflow(c);
        });
        r.def("SLL", (c, i) -> setLow(c, i.r1, (c.state().gpr[i.r1] & LOW) << amount(c, i)));
        r.def("SLLK", (c, i) -> setLow(c, i.r1, (c.state().gpr[i.r3] & LOW) << amount(c, i)));
        r.def("SLLG", (c, i) -> c.state().gpr[i.r1] = c.state().gpr[i.r3] << amount(c, i));
        r.def("SLDL", (c, i) -> setPair(c, i.r1, pair(c, i.r1) << amount(c, i)));
        Semantics sra = (c, i) -> {
            long v = (long) (int) c.state().gpr[i.r1] >> Math.min(amount(c, i), 63);
            setLow(c, i.r1, v);
            c.setCc(ConditionCodes.signed(v));
        };
        r.def("SRA", sra);
        r.def("SRAK", (c, i) -> {
            long v = (long) (int) c.state().gpr[i.r3] >> amount(c, i);
            setLow(c, i.r1, v);
            c.setCc(ConditionCodes.signed(v));
        });
        r.def("SRAG", (c, i) -> {
            long v = c.state().gpr[i.r3] >> amount(c, i);
            c.state().gpr[i.r1] = v;
            c.setCc(ConditionCodes.signed(v));
        });
        r.def("SRDA", (c, i) -> {
            long v = pair(c, i.r1) >> amount(c, i);
            setPair(c, i.r1, v);
            c.setCc(ConditionCodes.signed(v));
        });
        r.def("SRL", (c, i) -> setLow(c, i.r1, (c.state().gpr[i.r1] & LOW) >>> amount(c, i)));
        r.def("SRLK", (c, i) -> setLow(c, i.r1, (c.state().gpr[i.r3] & LOW) >>> amount(c, i)));
        r.def("SRLG", (c, i) -> c.state().gpr[i.r1] = c.state().gpr[i.r3] >>> amount(c, i));
        r.def("SRDL", (c, i) -> setPair(c, i.r1, pair(c, i.r1) >>> amount(c, i)));
        r.def("RLL", (c, i) -> setLow(c, i.r1, Integer.rotateLeft((int) c.state().gpr[i.r3], amount(c, i))));
        r.def("RLLG", (c, i) -> c.state().gpr[i.r1] = Long.rotateLeft(c.state().gpr[i.r3], amount(c, i)));
        SelectedBits.register(r);
    }
}
