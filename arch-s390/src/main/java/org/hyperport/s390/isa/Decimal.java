package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * The decimal conversions of PoP Ch. 7 that compiled code uses: CONVERT TO BINARY / DECIMAL, PACK, UNPACK.
 * (The decimal arithmetic of Ch. 8 - AP, SP, ZAP, MP, DP, CP, SRP, ED, EDMK - is not here yet.)
 */
final class Decimal {

    private Decimal() {
    }

    /**
     * Converts the {@code n}-byte packed-decimal operand at {@code a}: invalid digit or sign codes are a data
     * exception (DXC 0), a value outside the 32-bit ({@code wide} false) or 64-bit range a fixed-point-divide
     * exception; either way nothing is stored.
     */
    static long packedToBinary(S390Interpreter c, long a, int n, boolean wide) {
        long mag = 0;
        boolean big = false;
        int sign = 0;
        for (int k = 0; k < n; k++) {
            int b = (int) c.read(c.wrap(a + k), 1);
            int hi = b >>> 4;
            int lo = b & 15;
            if (hi > 9 || (k == n - 1 ? lo < 10 : lo > 9)) {
                throw c.fault().data(0);
            }
            if (Long.compareUnsigned(mag, 0x0CCCCCCCCCCCCCCCL) > 0) {
                big = true;
            }
            mag = mag * 10 + hi;
            if (k == n - 1) {
                sign = lo;
            } else {
                if (Long.compareUnsigned(mag, 0x0CCCCCCCCCCCCCCCL) > 0) {
                    big = true;
                }
                mag = mag * 10 + lo;
            }
        }
        boolean neg = sign == 0xb || sign == 0xd;
        long limit = wide ? Long.MAX_VALUE : Integer.MAX_VALUE;
        if (big || Long.compareUnsigned(mag, neg ? limit + 1 : limit) > 0) {
            throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        return neg ? -mag : mag;
    }

    private static Semantics cvb(int n, boolean wide) {
        return (c, i) -> {
            long v = packedToBinary(c, a2(c, i), n, wide);
            if (wide) {
                c.state().gpr[i.r1] = v;
            } else {
                setLow(c, i.r1, v);
            }
        };
    }

    private static Semantics cvd(int n, boolean wide) {
        return (c, i) -> {
            long a = a2(c, i);
            long v = wide ? c.state().gpr[i.r1] : (int) c.state().gpr[i.r1];
            c.probe(a, n, S390Interpreter.STORE);
            // The magnitude of -2^63 is 2^63, which unsigned division handles.
            long mag = v < 0 ? -v : v;
            long d = Long.remainderUnsigned(mag, 10);
            mag = Long.divideUnsigned(mag, 10);
            c.write(c.wrap(a + n - 1), 1, (d << 4) | (v < 0 ? 0xd : 0xc));
            for (int k = n - 2; k >= 0; k--) {
                long d0 = Long.remainderUnsigned(mag, 10);
                mag = Long.divideUnsigned(mag, 10);
                long d1 = Long.remainderUnsigned(mag, 10);
                mag = Long.divideUnsigned(mag, 10);
                c.write(c.wrap(a + k), 1, (d1 << 4) | d0);
            }
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("CVB", cvb(8, false));
        r.def("CVBY", cvb(8, false));
        r.def("CVBG", cvb(16, true));
        r.def("CVD", cvd(8, false));
        r.def("CVDY", cvd(8, false));
        r.def("CVDG", cvd(16, true));
        r.def("PACK", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            c.probe(a2, n2, S390Interpreter.FETCH);
            c.probe(a1, n1, S390Interpreter.STORE);
            // Right to left; the rightmost byte has its nibbles swapped, then two zoned digits per packed byte.
            int k2 = n2 - 1;
            for (int k1 = n1 - 1; k1 >= 0; k1--) {
                int b;
                if (k1 == n1 - 1) {
                    int z = (int) c.read(c.wrap(a2 + k2--), 1);
                    b = ((z & 15) << 4) | (z >>> 4);
                } else {
                    int lo = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) & 15 : 0;
                    int hi = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) & 15 : 0;
                    b = (hi << 4) | lo;
                }
                c.write(c.wrap(a1 + k1), 1, b);
            }
        });
        r.def("UNPK", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            c.probe(a2, n2, S390Interpreter.FETCH);
            c.probe(a1, n1, S390Interpreter.STORE);
            int k2 = n2 - 1;
            int pending = -1;
            for (int k1 = n1 - 1; k1 >= 0; k1--) {
                int b;
                if (k1 == n1 - 1) {
                    int p = (int) c.read(c.wrap(a2 + k2--), 1);
                    b = ((p & 15) << 4) | (p >>> 4);
                } else if (pending >= 0) {
                    b = 0xf0 | pending;
                    pending = -1;
                } else {
                    int p = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) : 0;
                    b = 0xf0 | (p & 15);
                    pending = p >>> 4;
                }
                c.write(c.wrap(a1 + k1), 1, b);
            }
        });
    }
}
