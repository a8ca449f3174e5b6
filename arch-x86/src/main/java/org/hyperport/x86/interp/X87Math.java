package org.hyperport.x86.interp;

import java.math.BigInteger;

/**
 * High-precision kernels of the x87 transcendental instructions. Every function takes exact finite operands
 * ({@code m × 2^e}, {@code m} a non-negative integer unless stated) and returns an approximation {@code M × 2^E} of
 * the mathematical result with a relative error below about 2^-240, which {@link #round} then rounds once to the
 * 64-bit significand. Series are summed in fixed point with {@link #F} fraction bits on {@link BigInteger}s.
 *
 * <p>FSIN, FCOS, FSINCOS and FPTAN reduce their argument the way x87 hardware does (SDM Vol 1 §8.3.8): modulo a
 * 66-bit approximation of π/2, {@code 0x3243F6A8885A308D3 × 2^-65}, exactly, so {@code fsin(x)} is
 * {@code sin(x - k·π66/2 + k·π/2)} with {@code k} the nearest integer to {@code x / (π66/2)}; the reduced
 * argument is then evaluated with the true functions. FPATAN, FYL2X, FYL2XP1 and F2XM1 use the true constants.
 */
final class X87Math {

    private X87Math() {
    }

    /** Fraction bits of the fixed-point arithmetic. */
    static final int F = 256;
    private static final BigInteger ONE = BigInteger.ONE.shiftLeft(F);

    /** The 66-bit π of the x87's argument reduction, as an integer: π66 = P66 × 2^-64. */
    static final BigInteger P66 = new BigInteger("3243F6A8885A308D3", 16);

    /** π, ln 2 and log2(e) in fixed point. */
    static final BigInteger PI, LN2, LOG2E;

    static {
        int g = F + 32;
        BigInteger one = BigInteger.ONE.shiftLeft(g);
        // π = 16 atan(1/5) - 4 atan(1/239) (Machin); ln 2 = 2 atanh(1/3).
        BigInteger pi = atanInv(5, g, false).shiftLeft(4).subtract(atanInv(239, g, false).shiftLeft(2));
        BigInteger ln2 = atanInv(3, g, true).shiftLeft(1);
        PI = pi.shiftRight(32);
        LN2 = ln2.shiftRight(32);
        LOG2E = one.shiftLeft(g).divide(ln2).shiftRight(32);
    }

    /** atan(1/n) or atanh(1/n) in fixed point with {@code g} fraction bits. */
    private static BigInteger atanInv(int n, int g, boolean hyperbolic) {
        BigInteger nn = BigInteger.valueOf((long) n * n);
        BigInteger power = BigInteger.ONE.shiftLeft(g).divide(BigInteger.valueOf(n));
        BigInteger sum = BigInteger.ZERO;
        for (int k = 0; power.signum() != 0; k++) {
            BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
            sum = hyperbolic || (k & 1) == 0 ? sum.add(term) : sum.subtract(term);
            power = power.divide(nn);
        }
        return sum;
    }

    /**
     * A result {@code m × 2^e} ({@code m} signed) and where the true value lies: {@code tail} 0 if it is exact, +1
     * if its magnitude is a little larger (less than one unit of {@code m}; the default for approximations), -1 if
     * a little smaller.
     */
    record Big(BigInteger m, int e, int tail) {

        Big(BigInteger m, int e) {
            this(m, e, 1);
        }

        Big negate() {
            return new Big(m.negate(), e, tail);
        }

        boolean exact() {
            return tail == 0;
        }

        int signum() {
            return m.signum();
        }
    }

    /** Fixed-point product. */
    private static BigInteger mul(BigInteger a, BigInteger b) {
        return a.multiply(b).shiftRight(F);
    }

    /** The value of {@code b} in fixed point (truncated toward minus infinity). */
    private static BigInteger fixed(Big b) {
        int s = b.e() + F;
        return s >= 0 ? b.m().shiftLeft(s) : b.m().shiftRight(-s);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(1, new byte[] {(byte) (v >>> 56), (byte) (v >>> 48), (byte) (v >>> 40),
            (byte) (v >>> 32), (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** (x^2 in fixed point) for x = m × 2^e, possibly zero when x is tiny. */
    private static BigInteger square(BigInteger m, int e) {
        int s = 2 * e + F;
        BigInteger sq = m.multiply(m);
        return s >= 0 ? sq.shiftLeft(s) : sq.shiftRight(-s);
    }

    // ---- sin, cos, tan ------------------------------------------------------------------------------------------

    /**
     * {sin x, cos x, tan x or null (then sin/cos)} for x = (-1)^neg × sig × 2^(exp-63), |x| < 2^63, reduced by
     * π66/2 as the hardware does.
     */
    static Big[] sinCos(boolean neg, long sig, int exp) {
        BigInteger r;
        int re;
        long k = 0;
        int xe = exp - 63;
        BigInteger x = unsigned(sig);
        if (xe + 65 >= 0) {
            BigInteger num = x.shiftLeft(xe + 65);
            BigInteger[] qr = num.add(P66.shiftRight(1)).divideAndRemainder(P66);
            k = qr[0].longValue();
            r = num.subtract(qr[0].multiply(P66));
            re = -65;
        } else {
            r = x;
            re = xe;
        }
        if (neg) {
            r = r.negate();
            k = -k;
        }
        // sin r = r × S(r²), cos r = C(r²).
        BigInteger t = square(r, re);
        BigInteger s = BigInteger.ZERO;
        BigInteger c = BigInteger.ZERO;
        BigInteger ts = ONE;                        // t^n / (2n+1)!
        BigInteger tc = ONE;                        // t^n / (2n)!
        for (int n = 0; ts.signum() != 0 || tc.signum() != 0; n++) {
            s = (n & 1) == 0 ? s.add(ts) : s.subtract(ts);
            c = (n & 1) == 0 ? c.add(tc) : c.subtract(tc);
            ts = mul(ts, t).divide(BigInteger.valueOf((2L * n + 2) * (2L * n + 3)));
            tc = mul(tc, t).divide(BigInteger.valueOf((2L * n + 1) * (2L * n + 2)));
        }
        Big sin = new Big(r.multiply(s), re - F);
        Big cos = new Big(c, -F);
        if (t.signum() == 0) {
            // |r| < 2^-128: sin r = r - r³/6 and cos r = 1 - r²/2 are a little smaller than r and 1.
            sin = new Big(r, re, -1);
            cos = new Big(ONE, -F, -1);
        }
        // tan x = tan r for even k: when r is so small that t underflowed, a little larger than r.
        Big tan = (k & 1) == 0 && t.signum() == 0 ? new Big(r, re, 1) : null;
        return switch ((int) (k & 3)) {
            case 0 -> new Big[] {sin, cos, tan};
            case 1 -> new Big[] {cos, sin.negate(), null};
            case 2 -> new Big[] {sin.negate(), cos.negate(), tan};
            default -> new Big[] {cos.negate(), sin, null};
        };
    }

    /** a / b with about F significant bits. */
    static Big divide(Big a, Big b) {
        int shift = F + b.m().bitLength() - a.m().bitLength() + 8;
        BigInteger q = (shift >= 0 ? a.m().shiftLeft(shift) : a.m().shiftRight(-shift)).divide(b.m());
        return new Big(q, a.e() - b.e() - shift);
    }

    // ---- 2^x - 1 -------------------------------------------------------------------------------------------------

    /** 2^x - 1 for x = (-1)^neg × sig × 2^(exp-63), |x| ≤ 64 or so. */
    static Big exp2m1(boolean neg, long sig, int exp) {
        BigInteger x = unsigned(sig);
        if (neg) {
            x = x.negate();
        }
        int xe = exp - 63;
        if (exp >= 0) {
            // 2^x = 2^n × 2^f with f in [-1/2, 1/2]; 2^x - 1 = 2^n × (2^f - 1) + (2^n - 1).
            BigInteger xf = xe >= -F ? x.shiftLeft(xe + F) : x.shiftRight(-xe - F);
            BigInteger n = xf.add(ONE.shiftRight(1)).shiftRight(F);
            BigInteger f = xf.subtract(n.shiftLeft(F));
            BigInteger em1 = expm1Fixed(mul(f, LN2));
            int ni = n.intValueExact();
            BigInteger v = em1.add(ONE);                         // 2^f
            BigInteger res = ni >= 0 ? v.shiftLeft(ni).subtract(ONE) : v.subtract(ONE.shiftLeft(-ni));
            if (exp == 0 && sig == Long.MIN_VALUE && !neg) {
                // x = 1: this host's x87 rounds 1 as if it were a little smaller (round to nearest gives 1 with C1
                // set, toward zero 1 - 2^-64). x = -1 gives -1/2 exactly (the caller reports PE for both).
                return new Big(res.shiftLeft(64).subtract(BigInteger.ONE), -F - 64 - Math.max(0, -ni));
            }
            if (exp == 0 && sig == Long.MIN_VALUE) {
                return new Big(res, -F - Math.max(0, -ni), 0);
            }
            return new Big(res, -F - Math.max(0, -ni));
        }
        // |x| < 1: expm1(y) = y × E(y), y = x ln 2, relative to y.
        BigInteger ym = x.multiply(LN2);                         // y = ym × 2^(xe - F)
        int ye = xe - F;
        BigInteger yFix = fixed(new Big(ym, ye));
        BigInteger e = BigInteger.ZERO;
        BigInteger term = ONE;                                   // y^n / (n+1)!
        for (int n = 0; term.signum() != 0; n++) {
            e = e.add(term);
            term = mul(term, yFix).divide(BigInteger.valueOf(n + 2));
        }
        return new Big(ym.multiply(e), ye - F);
    }

    /** e^y - 1 in fixed point for |y| ≤ 1. */
    private static BigInteger expm1Fixed(BigInteger y) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger term = y;
        for (int n = 1; term.signum() != 0; n++) {
            sum = sum.add(term);
            term = mul(term, y).divide(BigInteger.valueOf(n + 1));
        }
        return sum;
    }

    // ---- Logarithms ----------------------------------------------------------------------------------------------

    /** log2(m × 2^e) for an integer m > 0, with about F significant bits (exactly zero when the value is 1). */
    static Big log2(BigInteger m, int e) {
        int bl = m.bitLength();
        int n = bl - 1 + e;
        // m / 2^(bl-1) in [1, 2); above √2 halve it: compare m² with 2^(2bl-1).
        BigInteger d = BigInteger.ONE.shiftLeft(bl - 1);
        if (m.multiply(m).compareTo(BigInteger.ONE.shiftLeft(2 * bl - 1)) > 0) {
            d = d.shiftLeft(1);
            n++;
        }
        BigInteger num = m.subtract(d);
        BigInteger den = m.add(d);
        Big ln;
        if (num.signum() == 0) {
            ln = new Big(BigInteger.ZERO, 0);
        } else {
            // ln(m/d) = 2 atanh(u), u = (m - d) / (m + d), |u| < 0.172.
            int s = den.bitLength() - num.abs().bitLength() + F;
            BigInteger um = num.shiftLeft(s).divide(den);       // u = um × 2^-s
            ln = new Big(um.multiply(atanhFactor(square(um, -s))).shiftLeft(1), -s - F);
        }
        // log2 = n + ln × log2(e)
        Big l = new Big(ln.m().multiply(LOG2E), ln.e() - F);
        if (num.signum() == 0) {
            return new Big(BigInteger.valueOf(n), 0, 0);
        }
        if (n == 0) {
            return l;
        }
        int shift = -l.e();
        return new Big(BigInteger.valueOf(n).shiftLeft(shift).add(l.m()), l.e());
    }

    /** log2(1 + x) for x = (-1)^neg × sig × 2^(exp-63) > -1. */
    static Big log2p1(boolean neg, long sig, int exp) {
        BigInteger x = unsigned(sig);
        int xe = exp - 63;
        if (exp < -F) {
            // log2(1+x) = x log2(e) (1 - x/2 + ...), relative error below 2^-F.
            return new Big((neg ? x.negate() : x).multiply(LOG2E), xe - F);
        }
        if (xe >= 0) {
            BigInteger v = x.shiftLeft(xe);
            return log2(neg ? BigInteger.ONE.subtract(v) : BigInteger.ONE.add(v), 0);
        }
        BigInteger one = BigInteger.ONE.shiftLeft(-xe);
        return log2(neg ? one.subtract(x) : one.add(x), xe);
    }

    /** Σ t^n / (2n+1) in fixed point (atanh(u) = u × this, t = u²). */
    private static BigInteger atanhFactor(BigInteger t) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger power = ONE;
        for (int n = 0; power.signum() != 0; n++) {
            sum = sum.add(power.divide(BigInteger.valueOf(2L * n + 1)));
            power = mul(power, t);
        }
        return sum;
    }

    // ---- atan2 ---------------------------------------------------------------------------------------------------

    /**
     * atan2(y, x) for finite non-zero y = (-1)^yNeg × ySig × 2^(yExp-63) and x likewise: the angle of (x, y) in
     * (-π, π].
     */
    static Big atan2(boolean yNeg, long ySig, int yExp, boolean xNeg, long xSig, int xExp) {
        BigInteger ym = unsigned(ySig);
        BigInteger xm = unsigned(xSig);
        boolean swap = yExp > xExp || (yExp == xExp && Long.compareUnsigned(ySig, xSig) > 0);
        // q = min/max in (0, 1], as qm × 2^qe with about F bits.
        BigInteger num = swap ? xm : ym;
        BigInteger den = swap ? ym : xm;
        int ediff = swap ? xExp - yExp : yExp - xExp;          // <= 0
        int s = F + 8;
        BigInteger qm = num.shiftLeft(s).divide(den);
        int qe = ediff - s;
        Big a = atan(qm, qe);                                   // in [0, π/4]
        BigInteger v = null;
        if (swap || xNeg) {
            v = fixed(a);
            if (swap) {
                v = PI.shiftRight(1).subtract(v);
            }
            if (xNeg) {
                v = PI.subtract(v);
            }
            a = new Big(v, -F);
        }
        return yNeg ? a.negate() : a;
    }

    /** atan(q) for q = m × 2^e in (0, 1]. */
    private static Big atan(BigInteger m, int e) {
        if (e + m.bitLength() <= -3) {                         // q < 1/8: atan q = q × Σ (-t)^n/(2n+1)
            BigInteger t = square(m, e);
            return t.signum() == 0 ? new Big(m, e, -1) : new Big(m.multiply(atanFactor(t)), e - F);
        }
        // Two halvings, atan q = 2 atan(q / (1 + √(1 + q²))), bring q below tan(π/16).
        BigInteger q = fixed(new Big(m, e));
        for (int k = 0; k < 2; k++) {
            BigInteger root = ONE.add(mul(q, q)).shiftLeft(F).sqrt();
            q = q.shiftLeft(F).divide(ONE.add(root));
        }
        return new Big(mul(q, atanFactor(mul(q, q))).shiftLeft(2), -F);
    }

    /** Σ (-t)^n / (2n+1) in fixed point. */
    private static BigInteger atanFactor(BigInteger t) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger power = ONE;
        for (int n = 0; power.signum() != 0; n++) {
            BigInteger term = power.divide(BigInteger.valueOf(2L * n + 1));
            sum = (n & 1) == 0 ? sum.add(term) : sum.subtract(term);
            power = mul(power, t);
        }
        return sum;
    }

    // ---- Rounding ------------------------------------------------------------------------------------------------

    /** π × q / 4. */
    static Big piQuarters(int q) {
        return new Big(PI.multiply(BigInteger.valueOf(q)), -F - 2);
    }

    /**
     * Rounds a non-zero result (exact, or an approximation with its {@code tail}) into {@code fp} as an extended
     * value at 64-bit precision (FCW.PC does not apply, SDM Vol 1 §8.1.5.2), with the flags and C1 information of
     * {@link FpArith#round}; returns the significand ({@code fp.se} holds sign and exponent).
     */
    static long round(FpArith fp, Big v) {
        BigInteger m = v.m().abs();
        int e = v.e();
        if (v.tail() < 0) {
            // Just below |m|: m - 1/2 unit (then the sticky bit), at least 130 bits wide.
            int widen = Math.max(0, 130 - m.bitLength());
            m = m.shiftLeft(widen + 1).subtract(BigInteger.ONE);
            e -= widen + 1;
        }
        int bl = m.bitLength();
        int shift = bl - 128;
        BigInteger top = shift >= 0 ? m.shiftRight(shift) : m.shiftLeft(-shift);
        long sig = top.shiftRight(64).longValue();
        long lo = top.longValue();
        if (v.tail() != 0 || (shift > 0 && m.getLowestSetBit() < shift)) {
            lo |= 1;                                            // sticky
        }
        int pc = fp.pc;
        fp.pc = 64;
        try {
            return fp.round(FpArith.EXTENDED, v.signum() < 0 ? 1 : 0, e + bl - 1, sig, lo);
        } finally {
            fp.pc = pc;
        }
    }
}
