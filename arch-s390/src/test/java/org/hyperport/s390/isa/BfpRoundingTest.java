package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast short and long paths of {@link Bfp} against the exact rounding of {@link BfpExact}, for random operands
 * (subnormals, near-overflow, cancelling pairs) in every rounding method, with the overflow, underflow and
 * inexact traps disabled and enabled: same result image (scaled under a trap), same flags, same trap.
 */
class BfpRoundingTest {

    static final int[] MODES = {Bfp.RNE, Bfp.RZ, Bfp.RP, Bfp.RM, Bfp.RPS};
    static final int[] OPS = {Bfp.ADD, Bfp.MUL, Bfp.DIV, Bfp.SQRT};

    static long randomLong(SplittableRandom r) {
        long s = r.nextBoolean() ? Long.MIN_VALUE : 0;
        return switch (r.nextInt(6)) {
            case 0 -> s | (r.nextLong() & 0x000fffffffffffffL);
            case 1 -> s | ((long) r.nextInt(0x7f0, 0x7ff) << 52) | (r.nextLong() & 0xfffffffffffffL);
            case 2 -> s | ((long) r.nextInt(1, 0x60) << 52) | (r.nextLong() & 0xfffffffffffffL);
            case 3 -> s | ((long) r.nextInt(0x3f0, 0x410) << 52) | (r.nextLong() & 0xfff0000000000L);
            default -> s | ((long) r.nextInt(1, 0x7ff) << 52) | (r.nextLong() & 0xfffffffffffffL);
        };
    }

    static int randomInt(SplittableRandom r) {
        int s = r.nextBoolean() ? Integer.MIN_VALUE : 0;
        return switch (r.nextInt(5)) {
            case 0 -> s | (r.nextInt() & 0x7fffff);
            case 1 -> s | (r.nextInt(0xf0, 0xff) << 23) | (r.nextInt() & 0x7fffff);
            case 2 -> s | (r.nextInt(1, 0x20) << 23) | (r.nextInt() & 0x7fffff);
            default -> s | (r.nextInt(1, 0xff) << 23) | (r.nextInt() & 0x7fffff);
        };
    }

    static BfpExact.Val exact(int op, BfpExact.Val a, BfpExact.Val b, int mode) {
        return switch (op) {
            case Bfp.ADD -> BfpExact.add(a, b, mode);
            case Bfp.MUL -> BfpExact.mul(a, b);
            case Bfp.DIV -> BfpExact.div(a, b);
            default -> BfpExact.sqrt(a);
        };
    }

    @Test
    void longFastPathAgreesWithExactRounding() {
        SplittableRandom r = new SplittableRandom(20261122);
        for (int n = 0; n < 20000; n++) {
            long a = randomLong(r);
            long b = r.nextInt(4) == 0 ? (a ^ Long.MIN_VALUE) + r.nextInt(-2, 3) : randomLong(r);
            for (int op : OPS) {
                long aa = op == Bfp.SQRT ? a & Long.MAX_VALUE : a;
                if (op == Bfp.DIV && (b & Long.MAX_VALUE) == 0) {
                    continue;
                }
                for (int k = 0; k < 2 * MODES.length; k++) {
                    int mode = MODES[k % MODES.length];
                    int fpc = k < MODES.length ? 0 : 0x38000000;
                    Bfp fast = new Bfp(mode, fpc);
                    long got = fast.roundD(op, Double.longBitsToDouble(aa), Double.longBitsToDouble(b), 0);
                    Bfp ref = new Bfp(mode, fpc);
                    long want = BfpExact.round(ref, BfpExact.LONG,
                            exact(op, BfpExact.lng(aa), BfpExact.lng(b), mode))[0];
                    String what = String.format("op %d mode %d fpc %x a %016x b %016x", op, mode, fpc, aa, b);
                    assertEquals(Long.toHexString(want), Long.toHexString(got), what);
                    assertEquals(ref.flags, fast.flags, what);
                    assertEquals(ref.trapScaled, fast.trapScaled, what);
                    if (ref.flags != 0 && (ref.flags & Bfp.INEXACT) != 0) {
                        assertEquals(ref.incremented, fast.incremented, what);
                    }
                }
            }
        }
    }

    @Test
    void shortFastPathAgreesWithExactRounding() {
        SplittableRandom r = new SplittableRandom(20261123);
        for (int n = 0; n < 20000; n++) {
            int a = randomInt(r);
            int b = r.nextInt(4) == 0 ? (a ^ Integer.MIN_VALUE) + r.nextInt(-2, 3) : randomInt(r);
            for (int op : OPS) {
                int aa = op == Bfp.SQRT ? a & Integer.MAX_VALUE : a;
                if (op == Bfp.DIV && (b & Integer.MAX_VALUE) == 0) {
                    continue;
                }
                for (int k = 0; k < 2 * MODES.length; k++) {
                    int mode = MODES[k % MODES.length];
                    int fpc = k < MODES.length ? 0 : 0x38000000;
                    Bfp fast = new Bfp(mode, fpc);
                    int got = BinaryFloatingPoint.arithF(fast, op == Bfp.SQRT ? Bfp.ADD : op, aa, b, false);
                    if (op == Bfp.SQRT) {
                        fast = new Bfp(mode, fpc);
                        got = BinaryFloatingPoint.sqrtF(fast, aa);
                    }
                    Bfp ref = new Bfp(mode, fpc);
                    int want = (int) BfpExact.round(ref, BfpExact.SHORT,
                            exact(op, BfpExact.shrt(aa), BfpExact.shrt(b), mode))[0];
                    String what = String.format("op %d mode %d fpc %x a %08x b %08x", op, mode, fpc, aa, b);
                    assertEquals(Integer.toHexString(want), Integer.toHexString(got), what);
                    assertEquals(ref.flags, fast.flags, what);
                    assertEquals(ref.trapScaled, fast.trapScaled, what);
                    if (ref.flags != 0 && (ref.flags & Bfp.INEXACT) != 0) {
                        assertEquals(ref.incremented, fast.incremented, what);
                    }
                }
            }
        }
    }
}
