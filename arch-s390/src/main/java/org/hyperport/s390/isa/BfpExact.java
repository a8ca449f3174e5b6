package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Bfp.*;

import java.math.BigInteger;

/**
 * Exact binary values (significand × 2^exponent, plus a sticky bit for anything below) rounded to a BFP format in
 * any rounding method, with the IEEE exceptions recorded on a {@link Bfp}. The extended (128-bit) format is
 * computed this way throughout; results go out as raw images (extended: {@code [high, low]} doublewords).
 */
final class BfpExact {

    /** A format: precision, minimum normal exponent, maximum exponent, exponent bias, trap scale exponent. */
    record Fmt(int p, int emin, int emax, int bias, int scale, int expBits) {
    }

    static final Fmt SHORT = new Fmt(24, -126, 127, 127, 192, 8);
    static final Fmt LONG = new Fmt(53, -1022, 1023, 1023, 1536, 11);
    static final Fmt EXT = new Fmt(113, -16382, 16383, 16383, 24576, 15);

    private BfpExact() {
    }

    /** A finite value: (-1)^neg × (mag + sticky fraction) × 2^exp. */
    record Val(boolean neg, BigInteger mag, int exp, boolean sticky) {
        boolean zero() {
            return mag.signum() == 0 && !sticky;
        }
    }

    // ---- extended images ---------------------------------------------------------------------------------------------

    static final long EXT_QUIET = 0x0000800000000000L;
    static final long[] EXT_DNAN = {0x7fff800000000000L, 0};

    static int expField(long hi) {
        return (int) (hi >>> 48) & 0x7fff;
    }

    static boolean extNaN(long hi, long lo) {
        return expField(hi) == 0x7fff && ((hi & 0xffffffffffffL) != 0 || lo != 0);
    }

    static boolean extSNaN(long hi, long lo) {
        return extNaN(hi, lo) && (hi & EXT_QUIET) == 0;
    }

    static boolean extInf(long hi, long lo) {
        return expField(hi) == 0x7fff && (hi & 0xffffffffffffL) == 0 && lo == 0;
    }

    static boolean extZero(long hi, long lo) {
        return (hi & Long.MAX_VALUE) == 0 && lo == 0;
    }

    /** A finite extended image as an exact value. */
    static Val ext(long hi, long lo) {
        int ef = expField(hi);
        BigInteger f = BigInteger.valueOf(hi & 0xffffffffffffL).shiftLeft(64)
                .or(new BigInteger(Long.toUnsignedString(lo)));
        if (ef != 0) {
            f = f.setBit(112);
        }
        return new Val(hi < 0, f, (ef == 0 ? 1 : ef) - 16383 - 112, false);
    }

    /** A finite long image as an exact value. */
    static Val lng(long d) {
        int ef = (int) (d >>> 52) & 0x7ff;
        long f = d & 0xfffffffffffffL;
        if (ef != 0) {
            f |= 1L << 52;
        }
        return new Val(d < 0, BigInteger.valueOf(f), (ef == 0 ? 1 : ef) - 1023 - 52, false);
    }

    /** A finite short image as an exact value. */
    static Val shrt(int s) {
        int ef = (s >>> 23) & 0xff;
        long f = s & 0x7fffffL;
        if (ef != 0) {
            f |= 1L << 23;
        }
        return new Val(s < 0, BigInteger.valueOf(f), (ef == 0 ? 1 : ef) - 127 - 23, false);
    }

    // ---- arithmetic on exact values ----------------------------------------------------------------------------------

    static Val add(Val a, Val b, int mode) {
        int e = Math.min(a.exp, b.exp);
        BigInteger x = a.mag.shiftLeft(a.exp - e);
        BigInteger y = b.mag.shiftLeft(b.exp - e);
        BigInteger s = (a.neg ? x.negate() : x).add(b.neg ? y.negate() : y);
        if (s.signum() == 0) {
            boolean neg = a.neg && b.neg || (a.neg != b.neg || a.mag.signum() != 0) && mode == RM;
            if (a.mag.signum() == 0 && b.mag.signum() == 0 && a.neg == b.neg) {
                neg = a.neg;
            }
            return new Val(neg, BigInteger.ZERO, 0, false);
        }
        return new Val(s.signum() < 0, s.abs(), e, false);
    }

    static Val mul(Val a, Val b) {
        return new Val(a.neg != b.neg, a.mag.multiply(b.mag), a.exp + b.exp, false);
    }

    static Val div(Val a, Val b) {
        int k = Math.max(0, 120 + b.mag.bitLength() - a.mag.bitLength());
        BigInteger[] qr = a.mag.shiftLeft(k).divideAndRemainder(b.mag);
        return new Val(a.neg != b.neg, qr[0], a.exp - b.exp - k, qr[1].signum() != 0);
    }

    static Val sqrt(Val a) {
        int k = Math.max(0, 240 - a.mag.bitLength());
        if (((a.exp - k) & 1) != 0) {
            k++;
        }
        BigInteger m = a.mag.shiftLeft(k);
        BigInteger r = m.sqrt();
        return new Val(false, r, (a.exp - k) / 2, r.multiply(r).compareTo(m) != 0);
    }

    // ---- rounding -----------------------------------------------------------------------------------------------------

    /** Rounds {@code v} to {@code f} in x's method: raw image ({@code [hi, lo]}; short and long in {@code [0]}). */
    static long[] round(Bfp x, Fmt f, Val v) {
        return round(x, f, v, x.mode);
    }

    static long[] round(Bfp x, Fmt f, Val v, int mode) {
        if (v.zero()) {
            return encode(f, v.neg, BigInteger.ZERO, 0, true);
        }
        int n = v.mag.bitLength();
        int top = v.exp + n - 1;                       // exponent of the leading bit (mag > 0 when not zero)
        if (v.mag.signum() == 0) {
            top = v.exp - 1;
        }
        boolean tiny = top < f.emin;
        long[] r = roundAt(x, f, v, mode, 0);
        int topR = x.resultTop;
        if (topR > f.emax) {
            x.flags |= OVERFLOW;
            if (x.enabled(OVERFLOW)) {
                x.trapScaled = true;
                long[] s = roundAt(x, f, v, mode, -f.scale);
                if (x.resultInexact) {
                    x.flags |= INEXACT;
                }
                return s;
            }
            x.flags |= INEXACT;
            boolean toInf = switch (mode) {
                case RZ, RPS -> false;
                case RP -> !v.neg;
                case RM -> v.neg;
                default -> true;
            };
            x.incremented = toInf;
            return toInf ? encodeInf(f, v.neg) : encodeMax(f, v.neg);
        }
        if (tiny && x.enabled(UNDERFLOW)) {
            x.flags |= UNDERFLOW;
            x.trapScaled = true;
            long[] s = roundAt(x, f, v, mode, f.scale);
            if (x.resultInexact) {
                x.flags |= INEXACT;
            }
            return s;
        }
        if (x.resultInexact) {
            x.flags |= INEXACT;
            if (tiny) {
                x.flags |= UNDERFLOW;
            }
        }
        return r;
    }

    /** Rounds with the exponent shifted by {@code bias} (0, or ∓scale for a trap result). Not re-entrant. */
    private static long[] roundAt(Bfp x, Fmt f, Val v, int mode, int bias) {
        int e = v.exp + bias;
        int n = v.mag.bitLength();
        int top = e + n - 1;
        int lsb = Math.max(top - (f.p - 1), f.emin - (f.p - 1));
        int shift = lsb - e;
        BigInteger q;
        int cmpHalf;                                    // remainder vs half an ulp: -1, 0, 1
        boolean inexact;
        if (shift > 0) {
            q = v.mag.shiftRight(shift);
            BigInteger rem = v.mag.subtract(q.shiftLeft(shift));
            BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
            int c = rem.compareTo(half);
            cmpHalf = c != 0 ? c : (v.sticky ? 1 : 0);
            inexact = rem.signum() != 0 || v.sticky;
        } else {
            q = v.mag.shiftLeft(-shift);
            cmpHalf = v.sticky ? -1 : -2;
            inexact = v.sticky;
        }
        boolean up = false;
        if (inexact) {
            up = switch (mode) {
                case RZ -> false;
                case RP -> !v.neg;
                case RM -> v.neg;
                case RPS -> !q.testBit(0);
                case RNA -> cmpHalf >= 0;
                default -> cmpHalf > 0 || (cmpHalf == 0 && q.testBit(0));
            };
        }
        if (up) {
            q = q.add(BigInteger.ONE);
            if (q.bitLength() > f.p) {
                q = q.shiftRight(1);
                lsb++;
            }
        }
        x.incremented = up;
        x.resultInexact = inexact;
        x.resultTop = q.signum() == 0 ? Integer.MIN_VALUE : lsb + q.bitLength() - 1;
        if (x.resultTop > f.emax && bias == 0) {
            return null;
        }
        return encode(f, v.neg, q, lsb, false);
    }

    /** Packs sign, significand q (≤ p bits) and the exponent of its last bit. */
    static long[] encode(Fmt f, boolean neg, BigInteger q, int lsb, boolean zero) {
        int frac = f.p - 1;
        long ef;
        BigInteger fr;
        if (zero || q.signum() == 0) {
            ef = 0;
            fr = BigInteger.ZERO;
        } else if (q.bitLength() < f.p) {
            ef = 0;                                      // subnormal: lsb is emin - (p - 1)
            fr = q;
        } else {
            ef = lsb + frac + f.bias;
            fr = q.clearBit(frac);
        }
        if (f == EXT) {
            long hi = (neg ? Long.MIN_VALUE : 0) | (ef << 48) | fr.shiftRight(64).longValue();
            long lo = fr.longValue();
            return new long[] {hi, lo};
        }
        long bits = (neg ? 1L : 0) << (f.p - 1 + f.expBits) | (ef << frac) | fr.longValue();
        return new long[] {bits};
    }

    static long[] encodeInf(Fmt f, boolean neg) {
        if (f == EXT) {
            return new long[] {(neg ? Long.MIN_VALUE : 0) | 0x7fff000000000000L, 0};
        }
        long ef = (1L << f.expBits) - 1;
        return new long[] {(neg ? 1L : 0) << (f.p - 1 + f.expBits) | ef << (f.p - 1)};
    }

    static long[] encodeMax(Fmt f, boolean neg) {
        if (f == EXT) {
            return new long[] {(neg ? Long.MIN_VALUE : 0) | 0x7ffeffffffffffffL, -1L};
        }
        long ef = (1L << f.expBits) - 2;
        return new long[] {(neg ? 1L : 0) << (f.p - 1 + f.expBits) | ef << (f.p - 1) | ((1L << (f.p - 1)) - 1)};
    }
}
