package org.hyperport.s390.decode;

/**
 * The instruction formats of z/Architecture (PoP Ch. 5 "Instruction Formats"), named as the manual names them.
 * Each format knows its length and where its fields sit; {@link #extract} fills an {@link Insn} from the
 * instruction's bytes, held left-aligned in a {@code long} (bit 0 of the instruction is bit 63 of the long).
 *
 * <p>Field names follow the manual: R (register), X (index), B (base), D (displacement; the 20-bit long
 * displacement DH‖DL of the -Y formats is sign-extended), I (immediate, sign-extended where the manual says the
 * operand is signed or relative, otherwise left unsigned and the semantics decide), M (mask), L (length), RI
 * (relative immediate, in halfwords, sign-extended).
 */
public enum Format {
    E(2), I(2), RR(2),
    RRE(4), RRD(4), RRF_A(4), RRF_B(4), RRF_C(4), RRF_D(4), RRF_E(4),
    RX_A(4), RX_B(4), RS_A(4), RS_B(4), RSI(4), RI_A(4), RI_B(4), RI_C(4), SI(4), S(4),
    RXE(6), RXF(6), RXY_A(6), RXY_B(6), RSY_A(6), RSY_B(6), RSL_A(6), RSL_B(6),
    RIE_A(6), RIE_B(6), RIE_C(6), RIE_D(6), RIE_E(6), RIE_F(6), RIE_G(6),
    RIL_A(6), RIL_B(6), RIL_C(6), RIS(6), RRS(6), SIY(6), SIL(6), SMI(6),
    SS_A(6), SS_B(6), SS_C(6), SS_D(6), SS_E(6), SS_F(6), SSE(6), SSF(6);

    /** Instruction length in bytes. */
    public final int length;

    Format(int length) {
        this.length = length;
    }

    /** The manual's spelling: {@code RRF-a}, {@code RXY-b}, {@code RIL-a}. */
    public String manualName() {
        String n = name();
        int u = n.indexOf('_');
        return u < 0 ? n : n.substring(0, u) + "-" + n.substring(u + 1).toLowerCase(java.util.Locale.ROOT);
    }

    public static Format ofManualName(String s) {
        return valueOf(s.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code len} bits starting at IBM bit {@code from} of a 48-bit instruction left-aligned in {@code w}. */
    static int f(long w, int from, int len) {
        return (int) ((w << from) >>> (64 - len));
    }

    private static long d20(long w) {
        long dl = f(w, 20, 12);
        long dh = (byte) f(w, 32, 8);
        return (dh << 12) | dl;
    }

    private static long sext(int v, int bits) {
        return ((long) v << (64 - bits)) >> (64 - bits);
    }

    /** Fills {@code i}'s fields from {@code w}; fields the format has not are left as they were (zero after clear). */
    void extract(long w, Insn i) {
        switch (this) {
            case E -> {
            }
            case I -> i.i1 = f(w, 8, 8);
            case RR -> {
                i.r1 = f(w, 8, 4);
                i.r2 = f(w, 12, 4);
            }
            case RRE -> {
                i.r1 = f(w, 24, 4);
                i.r2 = f(w, 28, 4);
            }
            case RRD -> {
                i.r1 = f(w, 16, 4);
                i.r3 = f(w, 24, 4);
                i.r2 = f(w, 28, 4);
            }
            case RRF_A, RRF_B -> {
                i.r3 = f(w, 16, 4);
                i.m4 = f(w, 20, 4);
                i.r1 = f(w, 24, 4);
                i.r2 = f(w, 28, 4);
            }
            case RRF_C, RRF_D, RRF_E -> {
                i.m3 = f(w, 16, 4);
                i.m4 = f(w, 20, 4);
                i.r1 = f(w, 24, 4);
                i.r2 = f(w, 28, 4);
            }
            case RX_A, RX_B -> {
                i.r1 = f(w, 8, 4);
                i.m1 = i.r1;
                i.x2 = f(w, 12, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
            }
            case RXE -> {
                i.r1 = f(w, 8, 4);
                i.x2 = f(w, 12, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
                i.m3 = f(w, 32, 4);
            }
            case RXF -> {
                i.r3 = f(w, 8, 4);
                i.x2 = f(w, 12, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
                i.r1 = f(w, 32, 4);
            }
            case RXY_A, RXY_B -> {
                i.r1 = f(w, 8, 4);
                i.m1 = i.r1;
                i.x2 = f(w, 12, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = d20(w);
            }
            case RS_A, RS_B -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.m3 = i.r3;
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
            }
            case RSY_A, RSY_B -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.m3 = i.r3;
                i.b2 = f(w, 16, 4);
                i.d2 = d20(w);
            }
            case RSL_A -> {
                i.l1 = f(w, 8, 4);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
            }
            case RSL_B -> {
                i.l2 = f(w, 8, 8);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
                i.r1 = f(w, 32, 4);
                i.m3 = f(w, 36, 4);
            }
            case RSI -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.i2 = sext(f(w, 16, 16), 16);
            }
            case RI_A, RI_B, RI_C -> {
                i.r1 = f(w, 8, 4);
                i.m1 = i.r1;
                i.i2 = sext(f(w, 16, 16), 16);
            }
            case RIE_A -> {
                i.r1 = f(w, 8, 4);
                i.i2 = sext(f(w, 16, 16), 16);
                i.m3 = f(w, 32, 4);
            }
            case RIE_B -> {
                i.r1 = f(w, 8, 4);
                i.r2 = f(w, 12, 4);
                i.i4 = sext(f(w, 16, 16), 16);
                i.m3 = f(w, 32, 4);
            }
            case RIE_C -> {
                i.r1 = f(w, 8, 4);
                i.m3 = f(w, 12, 4);
                i.i4 = sext(f(w, 16, 16), 16);
                i.i2 = sext(f(w, 32, 8), 8);
            }
            case RIE_D, RIE_E -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.i2 = sext(f(w, 16, 16), 16);
            }
            case RIE_F -> {
                i.r1 = f(w, 8, 4);
                i.r2 = f(w, 12, 4);
                i.i3 = f(w, 16, 8);
                i.i4 = f(w, 24, 8);
                i.i5 = f(w, 32, 8);
            }
            case RIE_G -> {
                i.r1 = f(w, 8, 4);
                i.m3 = f(w, 12, 4);
                i.i2 = sext(f(w, 16, 16), 16);
            }
            case RIL_A, RIL_B, RIL_C -> {
                i.r1 = f(w, 8, 4);
                i.m1 = i.r1;
                i.i2 = sext(f(w, 16, 32), 32);
            }
            case RIS -> {
                i.r1 = f(w, 8, 4);
                i.m3 = f(w, 12, 4);
                i.b4 = f(w, 16, 4);
                i.d4 = f(w, 20, 12);
                i.i2 = sext(f(w, 32, 8), 8);
            }
            case RRS -> {
                i.r1 = f(w, 8, 4);
                i.r2 = f(w, 12, 4);
                i.b4 = f(w, 16, 4);
                i.d4 = f(w, 20, 12);
                i.m3 = f(w, 32, 4);
            }
            case SI -> {
                i.i2 = f(w, 8, 8);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
            }
            case SIY -> {
                i.i2 = f(w, 8, 8);
                i.b1 = f(w, 16, 4);
                i.d1 = d20(w);
            }
            case SIL -> {
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.i2 = sext(f(w, 32, 16), 16);
            }
            case SMI -> {
                i.m1 = f(w, 8, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
                i.i2 = sext(f(w, 32, 16), 16);
            }
            case S -> {
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
            }
            case SS_A -> {
                i.l1 = f(w, 8, 8);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
            case SS_B, SS_C -> {
                i.l1 = f(w, 8, 4);
                i.l2 = f(w, 12, 4);
                i.i3 = i.l2;
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
            case SS_D -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
            case SS_E -> {
                i.r1 = f(w, 8, 4);
                i.r3 = f(w, 12, 4);
                i.b2 = f(w, 16, 4);
                i.d2 = f(w, 20, 12);
                i.b4 = f(w, 32, 4);
                i.d4 = f(w, 36, 12);
            }
            case SS_F -> {
                i.l2 = f(w, 8, 8);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
            case SSE -> {
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
            case SSF -> {
                i.r3 = f(w, 8, 4);
                i.b1 = f(w, 16, 4);
                i.d1 = f(w, 20, 12);
                i.b2 = f(w, 32, 4);
                i.d2 = f(w, 36, 12);
            }
        }
    }
}
