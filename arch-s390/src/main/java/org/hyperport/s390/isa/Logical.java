package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/** PoP Ch. 7 AND, OR, EXCLUSIVE OR (register, storage, immediate halves), TEST UNDER MASK, FLOGR, POPCNT. */
final class Logical {

    private Logical() {
    }

    static final Op AND32 = (c, a, b) -> cc32(c, a & b);
    static final Op OR32 = (c, a, b) -> cc32(c, a | b);
    static final Op XOR32 = (c, a, b) -> cc32(c, a ^ b);
    static final Op AND64 = (c, a, b) -> cc64(c, a & b);
    static final Op OR64 = (c, a, b) -> cc64(c, a | b);
    static final Op XOR64 = (c, a, b) -> cc64(c, a ^ b);
    static final Op AND8 = (c, a, b) -> cc32(c, (a & b) & 0xff);
    static final Op OR8 = (c, a, b) -> cc32(c, (a | b) & 0xff);
    static final Op XOR8 = (c, a, b) -> cc32(c, (a ^ b) & 0xff);

    private static long cc32(org.hyperport.s390.interp.S390Interpreter c, long r) {
        c.setCc((int) r != 0 ? 1 : 0);
        return r;
    }

    private static long cc64(org.hyperport.s390.interp.S390Interpreter c, long r) {
        c.setCc(r != 0 ? 1 : 0);
        return r;
    }

    /**
     * AND/OR/XOR IMMEDIATE into one 16- or 32-bit field of R1 ({@code shift} = field's distance from bit 63); the CC
     * reflects only that field.
     */
    private static Semantics immediateField(int bits, int shift, int kind) {
        long fieldMask = (bits == 64 ? -1L : (1L << bits) - 1) << shift;
        return (c, i) -> {
            long[] g = c.state().gpr;
            long imm = (i.i2 << shift) & fieldMask;
            long old = g[i.r1];
            long v = switch (kind) {
                case 0 -> old & (imm | ~fieldMask);
                case 1 -> old | imm;
                default -> old ^ imm;
            };
            g[i.r1] = v;
            c.setCc((v & fieldMask) != 0 ? 1 : 0);
        };
    }

    /** TEST UNDER MASK: CC 0 selected bits all zero (or mask zero), 1 mixed, 3 all ones; TMxx also 1/2 by leftmost. */
    static int testUnderMask(long value, long mask, boolean leftmostDecides) {
        long sel = value & mask;
        if (sel == 0) {
            return 0;
        }
        if (sel == mask) {
            return 3;
        }
        if (!leftmostDecides) {
            return 1;
        }
        long top = Long.highestOneBit(mask);
        return (sel & top) != 0 ? 2 : 1;
    }

    private static Semantics tmField(int shift) {
        return (c, i) -> c.setCc(testUnderMask((c.state().gpr[i.r1] >>> shift) & 0xffff, i.i2 & 0xffff, true));
    }

    static void register(S390Semantics.Registry r) {
        String[] names = {"N", "O", "X"};
        Op[] op32 = {AND32, OR32, XOR32};
        Op[] op64 = {AND64, OR64, XOR64};
        Op[] op8 = {AND8, OR8, XOR8};
        for (int k = 0; k < 3; k++) {
            String n = names[k];
            r.def(n + "R", binary(R1_32, R2_32, op32[k], LOW32));
            r.def(n + "GR", binary(R1_64, R2_64, op64[k], FULL));
            r.def(n + "RK", binary(R2_32, R3_32, op32[k], LOW32));
            r.def(n + "GRK", binary(R2_64, R3_64, op64[k], FULL));
            r.def(n, binary(R1_32, M32, op32[k], LOW32));
            r.def(n + "Y", binary(R1_32, M32, op32[k], LOW32));
            r.def(n + "G", binary(R1_64, M64, op64[k], FULL));
            r.def(n + "I", storageImmediate(1, I2_U8, op8[k], false));
            r.def(n + "IY", storageImmediate(1, I2_U8, op8[k], false));
            r.def(n + "C", StorageToStorage.logicalCharacter(k));
            r.def(n + "IHF", immediateField(32, 32, k));
            r.def(n + "ILF", immediateField(32, 0, k));
            if (k < 2) {
                r.def(n + "IHH", immediateField(16, 48, k));
                r.def(n + "IHL", immediateField(16, 32, k));
                r.def(n + "ILH", immediateField(16, 16, k));
                r.def(n + "ILL", immediateField(16, 0, k));
            }
        }
        r.def("TM", (c, i) -> c.setCc(testUnderMask(c.read(a1(c, i), 1), i.i2 & 0xff, false)));
        r.def("TMY", (c, i) -> c.setCc(testUnderMask(c.read(a1(c, i), 1), i.i2 & 0xff, false)));
        r.def("TMHH", tmField(48));
        r.def("TMHL", tmField(32));
        r.def("TMLH", tmField(16));
        r.def("TMLL", tmField(0));
        r.def("FLOGR", (c, i) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long v = g[i.r2];
            if (v == 0) {
                g[i.r1] = 64;
                g[i.r1 + 1] = 0;
                c.setCc(0);
            } else {
                int n = Long.numberOfLeadingZeros(v);
                g[i.r1] = n;
                g[i.r1 + 1] = v & ~(Long.MIN_VALUE >>> n);
                c.setCc(2);
            }
        });
        r.def("POPCNT", (c, i) -> {
            long v = c.state().gpr[i.r2];
            long out = 0;
            for (int b = 0; b < 8; b++) {
                out |= (long) Long.bitCount((v >>> (8 * b)) & 0xff) << (8 * b);
            }
            c.state().gpr[i.r1] = out;
            c.setCc(v != 0 ? 1 : 0);
        });
    }
}
