package org.hyperport.s390.isa;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * IEEE 754 binary arithmetic with the z/Architecture rounding methods and exception reporting (PoP Ch. 19 "Binary-
 * Floating-Point Instructions", Ch. 9 "Floating-Point-Control Register"). One instance per instruction execution:
 * it holds the effective rounding method and collects the IEEE exceptions, whether the result was incremented,
 * and, for an enabled overflow or underflow, the scaled result the interruption delivers.
 *
 * <p>Long (double) operations start from Java's round-to-nearest-even result {@code rn} and the sign of
 * {@code exact - rn} (from an error-free transformation or, near the subnormal range, {@link BigDecimal}); the other
 * rounding methods step one unit from {@code rn}. Short (float) operations compute a 53-bit round-to-odd value in
 * double, which rounds to 24 bits correctly in every method; its overflow and an enabled underflow are decided on
 * that value scaled, which is also the result the trap delivers. A long result near overflow, or tiny with the
 * underflow trap enabled, is recomputed exactly by {@link BfpExact}. Tininess is detected before rounding.
 */
final class Bfp {

    /** IEEE exceptions in FPC mask/flag bit order (mask byte bits 0-4), and DXC bit 5 "incremented". */
    static final int INVALID = 0x80, DIVIDE = 0x40, OVERFLOW = 0x20, UNDERFLOW = 0x10, INEXACT = 0x08,
            INCREMENTED = 0x04;

    /** Rounding methods: the FPC's BFP rounding-mode values, plus round to nearest with ties away. */
    static final int RNE = 0, RZ = 1, RP = 2, RM = 3, RPS = 7, RNA = 8;

    /** Operations. */
    static final int ADD = 0, MUL = 1, DIV = 2, SQRT = 3, FMA = 4;

    static final long DNAN_D = 0x7ff8000000000000L;
    static final int DNAN_F = 0x7fc00000;

    private static final int SCALE_F = 192;

    int mode;
    int flags;
    boolean incremented;
    /** Overflow or underflow with the trap enabled: the scaled result is in {@link #scaled}. */
    boolean trapScaled;
    long scaled;
    /** Scratch of {@link BfpExact}: leading-bit exponent and inexactness of the last rounding. */
    int resultTop;
    boolean resultInexact;
    private int masks;

    Bfp(int mode, int fpc) {
        reset(mode, fpc);
    }

    /** Re-arms this instance for one instruction (the interpreter reuses one per thread: no allocation per op). */
    Bfp reset(int mode, int fpc) {
        this.mode = mode;
        this.masks = (fpc >>> 24) & 0xf8;
        flags = 0;
        incremented = false;
        trapScaled = false;
        scaled = 0;
        err = 0;
        return this;
    }

    private static final ThreadLocal<Bfp> SCRATCH = ThreadLocal.withInitial(() -> new Bfp(RNE, 0));

    /** This thread's reusable instance, re-armed. */
    static Bfp scratch(int mode, int fpc) {
        return SCRATCH.get().reset(mode, fpc);
    }

    /** The rounding method M3 selects (0: the FPC's; 1 ties away; 3 prepare for shorter precision; 4-7). */
    static int method(int m3, int fpc) {
        return switch (m3) {
            case 0 -> fpc & 7;
            case 1 -> RNA;
            case 3 -> RPS;
            case 4 -> RNE;
            case 5 -> RZ;
            case 6 -> RP;
            case 7 -> RM;
            default -> -1;
        };
    }

    boolean enabled(int exception) {
        return (masks & exception) != 0;
    }

    // ---- classification ---------------------------------------------------------------------------------------

    static boolean isNaN(long d) {
        return (d & 0x7fffffffffffffffL) > 0x7ff0000000000000L;
    }

    static boolean isSNaN(long d) {
        return isNaN(d) && (d & 0x0008000000000000L) == 0;
    }

    static boolean isNaN(int f) {
        return (f & 0x7fffffff) > 0x7f800000;
    }

    static boolean isSNaN(int f) {
        return isNaN(f) && (f & 0x00400000) == 0;
    }

    static long quiet(long d) {
        return d | 0x0008000000000000L;
    }

    static int quiet(int f) {
        return f | 0x00400000;
    }

    private static int sgn(double x) {
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    }

    private static BigDecimal big(double x) {
        return new BigDecimal(x);
    }

    // ---- long format ----------------------------------------------------------------------------------------------

    /** Sign of (exact - rn) from the last {@link #evalD}. */
    private int err;

    /** Round-to-nearest-even result of op on finite operands; sets {@link #err}. */
    private double evalD(int op, double a, double b, double c) {
        double r;
        switch (op) {
            case ADD -> {
                r = a + b;
                if (Double.isInfinite(r)) {
                    err = -sgn(r);
                } else {
                    double bb = r - a;
                    err = sgn((a - (r - bb)) + (b - bb));
                }
            }
            case MUL -> {
                r = a * b;
                if (Double.isInfinite(r)) {
                    err = -sgn(r);
                } else if (Math.abs(r) >= 0x1p-900) {
                    err = sgn(Math.fma(a, b, -r));
                } else {
                    err = big(a).multiply(big(b)).compareTo(big(r));
                }
            }
            case DIV -> {
                r = a / b;
                if (Double.isInfinite(r)) {
                    err = -sgn(r);
                } else if (Math.abs(r) >= 0x1p-900 && Math.abs(a) >= 0x1p-900) {
                    err = sgn(Math.fma(-r, b, a)) * sgn(b);
                } else {
                    err = big(a).compareTo(big(r).multiply(big(b))) * sgn(b);
                }
            }
            case SQRT -> {
                r = Math.sqrt(a);
                if (a >= 0x1p-900) {
                    err = sgn(Math.fma(-r, r, a));
                } else {
                    err = big(a).compareTo(big(r).multiply(big(r)));
                }
            }
            default -> {
                r = Math.fma(a, b, c);
                if (Double.isInfinite(r)) {
                    err = -sgn(r);
                } else {
                    err = big(a).multiply(big(b)).add(big(c)).compareTo(big(r));
                }
            }
        }
        return r;
    }

    /** One step from the round-to-nearest result {@code r} (exact - r has sign {@code e}) in method {@code m}. */
    static double adjust(double r, int e, int m) {
        if (e == 0) {
            return r;
        }
        switch (m) {
            case RZ -> {
                boolean neg = Double.doubleToRawLongBits(r) < 0;
                if (!neg && e < 0) {
                    return Math.nextDown(r);
                }
                if (neg && e > 0) {
                    return Math.nextUp(r);
                }
                return r;
            }
            case RP -> {
                return e > 0 ? Math.nextUp(r) : r;
            }
            case RM -> {
                return e < 0 ? Math.nextDown(r) : r;
            }
            case RPS -> {
                double t = adjust(r, e, RZ);
                return Double.longBitsToDouble(Double.doubleToRawLongBits(t) | 1);
            }
            default -> {
                return r;
            }
        }
    }

    static float adjust(float r, int e, int m) {
        if (e == 0) {
            return r;
        }
        switch (m) {
            case RZ -> {
                boolean neg = Float.floatToRawIntBits(r) < 0;
                if (!neg && e < 0) {
                    return Math.nextDown(r);
                }
                if (neg && e > 0) {
                    return Math.nextUp(r);
                }
                return r;
            }
            case RP -> {
                return e > 0 ? Math.nextUp(r) : r;
            }
            case RM -> {
                return e < 0 ? Math.nextDown(r) : r;
            }
            case RPS -> {
                float t = adjust(r, e, RZ);
                return Float.intBitsToFloat(Float.floatToRawIntBits(t) | 1);
            }
            default -> {
                return r;
            }
        }
    }

    /** Whether final {@code f} lies farther from zero than the exact value, given rn {@code r} and sign {@code e}. */
    private static boolean away(boolean moved, boolean negative, int e) {
        int dir = moved ? e : -e;
        return dir != 0 && (dir > 0) != negative;
    }

    /** The long result of op with the IEEE exceptions of a finite-operand computation (specials are the caller's). */
    long roundD(int op, double a, double b, double c) {
        double rn = evalD(op, a, b, c);
        int e = err;
        if (rn == 0 && e == 0 && mode == RM && (op == ADD || op == FMA)) {
            boolean plusZeros = op == ADD
                    ? Double.doubleToRawLongBits(a) == 0 && Double.doubleToRawLongBits(b) == 0
                    : (a == 0 || b == 0) && ((Double.doubleToRawLongBits(a) ^ Double.doubleToRawLongBits(b)) >= 0)
                            && Double.doubleToRawLongBits(c) == 0;
            if (!plusZeros) {
                rn = -0.0;
            }
        }
        double f = adjust(rn, e, mode);
        boolean tiny = (Math.abs(rn) < Double.MIN_NORMAL && !(rn == 0 && e == 0))
                || (Math.abs(rn) == Double.MIN_NORMAL && e * sgn(rn) < 0);
        if (Double.isInfinite(rn) || Double.isInfinite(f) || (Math.abs(f) == Double.MAX_VALUE && e != 0)
                || (tiny && enabled(UNDERFLOW))) {
            // Possible overflow, or an enabled underflow: decide on the exact value, which also gives the scaled
            // result an enabled trap delivers.
            return BfpExact.round(this, BfpExact.LONG, exact(op, a, b, c))[0];
        }
        if (e != 0) {
            flags |= INEXACT;
            if (tiny) {
                flags |= UNDERFLOW;
            }
            incremented = away(Double.doubleToRawLongBits(f) != Double.doubleToRawLongBits(rn),
                    Double.doubleToRawLongBits(f) < 0, e);
        }
        return Double.doubleToRawLongBits(f);
    }

    /** The exact value of op on finite long operands (a quotient or root carries a sticky bit). */
    private BfpExact.Val exact(int op, double a, double b, double c) {
        BfpExact.Val va = BfpExact.lng(Double.doubleToRawLongBits(a));
        BfpExact.Val vb = BfpExact.lng(Double.doubleToRawLongBits(b));
        return switch (op) {
            case ADD -> BfpExact.add(va, vb, mode);
            case MUL -> BfpExact.mul(va, vb);
            case DIV -> BfpExact.div(va, vb);
            case SQRT -> BfpExact.sqrt(va);
            default -> BfpExact.add(BfpExact.mul(va, vb), BfpExact.lng(Double.doubleToRawLongBits(c)), mode);
        };
    }

    // ---- short format ---------------------------------------------------------------------------------------------

    /** A 53-bit round-to-odd value of the exact short result (op on finite float operands). */
    static double oddF(int op, float a, float b, float c) {
        double h;
        int e;
        switch (op) {
            case ADD -> {
                h = (double) a + b;
                double bb = h - a;
                e = sgn((a - (h - bb)) + (b - bb));
            }
            case MUL -> {
                h = (double) a * b;
                e = 0;
            }
            case DIV -> {
                h = (double) a / b;
                e = sgn(Math.fma(-h, b, a)) * sgn(b);
            }
            case SQRT -> {
                h = Math.sqrt(a);
                e = sgn(Math.fma(-h, h, a));
            }
            default -> {
                double p = (double) a * b;
                h = p + c;
                double bb = h - p;
                e = sgn((p - (h - bb)) + (c - bb));
                if (h == 0 && e == 0) {
                    h = (double) Math.fma(a, b, c);
                }
            }
        }
        return toOdd(h, e);
    }

    static double toOdd(double h, int e) {
        if (e != 0 && (Double.doubleToRawLongBits(h) & 1) == 0) {
            h = e > 0 ? Math.nextUp(h) : Math.nextDown(h);
        }
        return h;
    }

    /** Rounds {@code h} (exact, or round-to-odd with at least 26 bits more than short) to short. */
    int roundF(double h) {
        float rn = (float) h;
        int e = Double.compare(h, rn) == 0 ? 0 : (h > rn ? 1 : -1);
        float f = roundTiesF(rn, e, h);
        if (Float.isInfinite(f) || Float.isInfinite(rn) || (Math.abs(f) == Float.MAX_VALUE && e != 0)) {
            double hs = Math.scalb(h, -SCALE_F);
            float rs = (float) hs;
            int es = Double.compare(hs, rs) == 0 ? 0 : (hs > rs ? 1 : -1);
            float s = roundTiesF(rs, es, hs);
            if (Math.abs(s) >= 0x1p-64f) {
                flags |= OVERFLOW;
                if (enabled(OVERFLOW)) {
                    trapScaled = true;
                    scaled = Float.floatToRawIntBits(s) & 0xffffffffL;
                    if (es != 0) {
                        flags |= INEXACT;
                        incremented = away(Float.floatToRawIntBits(s) != Float.floatToRawIntBits(rs), s < 0, es);
                    }
                    return (int) scaled;
                }
                flags |= INEXACT;
                float inf = Math.copySign(Float.POSITIVE_INFINITY, (float) h);
                f = mode == RNE || mode == RNA ? inf : adjust(inf, inf > 0 ? -1 : 1, mode);
                incremented = Float.isInfinite(f);
                return Float.floatToRawIntBits(f);
            }
        }
        boolean tiny = Math.abs(h) < Float.MIN_NORMAL && h != 0;
        if (tiny && enabled(UNDERFLOW)) {
            double hs = Math.scalb(h, SCALE_F);
            float rs = (float) hs;
            int es = Double.compare(hs, rs) == 0 ? 0 : (hs > rs ? 1 : -1);
            float s = roundTiesF(rs, es, hs);
            flags |= UNDERFLOW;
            trapScaled = true;
            scaled = Float.floatToRawIntBits(s) & 0xffffffffL;
            if (es != 0) {
                flags |= INEXACT;
                incremented = away(Float.floatToRawIntBits(s) != Float.floatToRawIntBits(rs), s < 0, es);
            }
            return (int) scaled;
        }
        if (e != 0) {
            flags |= INEXACT;
            if (tiny) {
                flags |= UNDERFLOW;
            }
            incremented = away(Float.floatToRawIntBits(f) != Float.floatToRawIntBits(rn), f < 0 || (f == 0
                    && Float.floatToRawIntBits(f) < 0), e);
        }
        return Float.floatToRawIntBits(f);
    }

    /** {@link #adjust(float, int, int)} plus ties away from zero, which needs the exact double {@code h}. */
    private float roundTiesF(float rn, int e, double h) {
        if (mode == RNA && e != 0) {
            float n = e > 0 ? Math.nextUp(rn) : Math.nextDown(rn);
            if (!Float.isInfinite(n) && (double) rn + (double) n == 2 * h && Math.abs(n) > Math.abs(rn)) {
                return n;
            }
            return rn;
        }
        return adjust(rn, e, mode);
    }

    // ---- exact values (conversions, integers) ---------------------------------------------------------------------

    static RoundingMode javaMode(int m, boolean negative) {
        return switch (m) {
            case RZ, RPS -> RoundingMode.DOWN;
            case RP -> RoundingMode.CEILING;
            case RM -> RoundingMode.FLOOR;
            case RNA -> RoundingMode.HALF_UP;
            default -> RoundingMode.HALF_EVEN;
        };
    }

    /** {@code x} rounded to an integer in method {@code m}; sets INEXACT and {@link #incremented}. */
    BigInteger toInteger(BigDecimal x, int m) {
        BigDecimal r = x.setScale(0, javaMode(m, x.signum() < 0));
        int cmp = r.compareTo(x);
        if (cmp != 0) {
            if (m == RPS && !r.toBigInteger().testBit(0)) {
                r = r.add(BigDecimal.valueOf(x.signum() < 0 ? -1 : 1));
            }
            flags |= INEXACT;
            incremented = r.abs().compareTo(x.abs()) > 0;
        }
        return r.toBigIntegerExact();
    }

    /** An exact value (a 64-bit integer) rounded to long format. */
    long fromExactD(BigDecimal x) {
        double rn = x.doubleValue();
        int e = x.compareTo(big(rn));
        double f;
        if (mode == RNA && e != 0) {
            double n = e > 0 ? Math.nextUp(rn) : Math.nextDown(rn);
            f = big(rn).add(big(n)).compareTo(x.multiply(BigDecimal.valueOf(2))) == 0
                    && Math.abs(n) > Math.abs(rn) ? n : rn;
        } else {
            f = adjust(rn, e, mode);
        }
        if (e != 0) {
            flags |= INEXACT;
            incremented = big(f).abs().compareTo(x.abs()) > 0;
        }
        return Double.doubleToRawLongBits(f);
    }

    /** An exact value (a 64-bit integer) rounded to short format. */
    int fromExactF(BigDecimal x) {
        double rn = x.doubleValue();
        int e = x.compareTo(big(rn));
        return roundF(toOdd(rn, e));
    }
}
