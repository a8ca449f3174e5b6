package org.hyperport.x86.interp;

import java.math.BigInteger;

/**
 * IEEE 754 binary arithmetic on the three x86 formats: single (binary32), double (binary64) and the x87
 * double-extended format (15-bit exponent, 64-bit significand with an explicit integer bit), rounded exactly in all
 * four rounding modes, with the six exception flags of FSW and MXCSR (SDM Vol 1 §4.7-4.9, §8.5, §11.5).
 *
 * <p>Operands are unpacked into two slots ({@link #unpack}); an operation reads the slots and returns the packed
 * result, in the result format: the bits of a single (low 32) or double, or for the extended format the 64-bit
 * significand, with the sign and biased exponent left in {@link #se}. Exception flags accumulate in {@link #flags};
 * the caller clears them, and decides from them and the masks whether the result is delivered.
 *
 * <p>Every result goes through one rounding step ({@link #round}) from an exact value: the sign, the exponent of
 * the leading bit, a 64-bit normalised significand and the 64 bits below it (with a sticky bit jammed into the last
 * one, so that a 64-bit precision still has its round bit). Addition aligns in
 * 128 bits, multiplication forms the exact 128-bit product, division produces 64 quotient bits plus a remainder
 * bit, and the square root takes an exact integer root. Round-to-nearest single and double operations on normal
 * numbers use the host's IEEE arithmetic, with the inexact flag from error-free transformations.
 *
 * <p>Tininess is detected after rounding, as x86 processors do (SDM Vol 1 §4.9.1.5 leaves it to the
 * implementation); the host-CPU oracle tests pin this down. One instance per vCPU: it holds scratch state.
 */
final class FpArith {

    /** Formats. */
    static final int SINGLE = 0, DOUBLE = 1, EXTENDED = 2;
    /** Exception flags, in the bit positions of FSW and MXCSR. */
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    /** Rounding modes, in the encoding of FCW.RC and MXCSR.RC. */
    static final int RN = 0, RD = 1, RU = 2, RZ = 3;
    /** Operand classes. */
    static final int ZERO = 0, FINITE = 1, INF = 2, QNAN = 3, SNAN = 4, UNSUPPORTED = 5;

    /** The x87 exponent bias adjustment for unmasked overflow and underflow (SDM Vol 1 §4.9.1.4-5). */
    static final int X87_BIAS_ADJUST = 24576;

    private static final int[] PRECISION = {24, 53, 64};
    private static final int[] EMIN = {-126, -1022, -16382};
    private static final int[] EMAX = {127, 1023, 16383};
    /** Whether tininess is judged after rounding (with an unbounded exponent) rather than before. */
    static final boolean TININESS_AFTER_ROUNDING = true;

    // ---- Environment (set by the caller) ------------------------------------------------------------------------

    /** Rounding control. */
    int rc;
    /** Exception masks (bits 0-5: set = masked). */
    int masks = 0x3f;
    /** MXCSR.DAZ: denormal operands are read as zero (SSE only). */
    boolean daz;
    /** MXCSR.FTZ: tiny results are flushed to zero when underflow is masked (SSE only). */
    boolean ftz;
    /** x87 rules: NaN selection, re-biased results on unmasked overflow/underflow, no DAZ/FTZ. */
    boolean x87;
    /** The significand precision of extended results (FCW.PC: 24, 53 or 64). */
    int pc = 64;
    /**
     * The inexact flag is already set and masked, so an operation need not find out whether it is inexact (the
     * fast paths skip that work).
     */
    boolean inexactKnown;

    // ---- Results ------------------------------------------------------------------------------------------------

    /** Accumulated exception flags. */
    int flags;
    /** Whether the last rounding increased the magnitude (x87 C1). */
    boolean roundedUp;
    /** Sign and biased exponent of the last extended result. */
    int se;

    // ---- Unpacked operands ----------------------------------------------------------------------------------------

    final int[] cls = new int[2];
    final int[] sgn = new int[2];
    /** Exponent of the leading significand bit (unbiased). */
    final int[] exp = new int[2];
    /** Significand, normalised so that bit 63 is set for FINITE; NaNs keep the quiet bit at bit 62. */
    final long[] sig = new long[2];
    /** Whether the operand was a denormal (and read as one). */
    final boolean[] den = new boolean[2];

    private int rLsb;
    private boolean rInexact;

    void setMxcsr(int mxcsr) {
        rc = (mxcsr >>> 13) & 3;
        masks = (mxcsr >>> 7) & 0x3f;
        daz = (mxcsr & 0x40) != 0;
        ftz = (mxcsr & 0x8000) != 0;
        x87 = false;
        inexactKnown = (mxcsr & 0x1020) == 0x1020;
    }

    void setFcw(int fcw) {
        rc = (fcw >>> 10) & 3;
        masks = fcw & 0x3f;
        daz = false;
        ftz = false;
        x87 = true;
        int p = (fcw >>> 8) & 3;
        pc = p == 0 ? 24 : p == 2 ? 53 : 64;
        inexactKnown = false;
    }

    // ---- Unpacking ----------------------------------------------------------------------------------------------

    /** Unpacks {@code bits} (and {@code se} for the extended format) of format {@code f} into slot {@code k}. */
    void unpack(int k, int f, long bits, int se) {
        den[k] = false;
        sig[k] = 0;
        exp[k] = 0;
        if (f == EXTENDED) {
            sgn[k] = (se >>> 15) & 1;
            int ef = se & 0x7fff;
            if (ef == 0x7fff) {
                sig[k] = bits;
                if (bits >= 0) {
                    cls[k] = UNSUPPORTED;                               // pseudo-infinity, pseudo-NaN
                } else if ((bits << 1) == 0) {
                    cls[k] = INF;
                } else {
                    cls[k] = (bits & (1L << 62)) != 0 ? QNAN : SNAN;
                }
            } else if (ef == 0) {
                if (bits == 0) {
                    cls[k] = ZERO;
                } else {                                                // denormal or pseudo-denormal
                    int n = Long.numberOfLeadingZeros(bits);
                    cls[k] = FINITE;
                    den[k] = true;
                    sig[k] = bits << n;
                    exp[k] = EMIN[EXTENDED] - n;
                }
            } else if (bits >= 0) {
                cls[k] = UNSUPPORTED;                                   // unnormal
            } else {
                cls[k] = FINITE;
                sig[k] = bits;
                exp[k] = ef - 16383;
            }
            return;
        }
        int fracBits = f == SINGLE ? 23 : 52;
        int expMax = f == SINGLE ? 0xff : 0x7ff;
        long v = f == SINGLE ? bits & 0xffffffffL : bits;
        int align = 63 - fracBits;
        sgn[k] = (int) (v >>> (f == SINGLE ? 31 : 63)) & 1;
        int ef = (int) (v >>> fracBits) & expMax;
        long frac = v & ((1L << fracBits) - 1);
        if (ef == expMax) {
            cls[k] = frac == 0 ? INF : ((frac >>> (fracBits - 1)) & 1) != 0 ? QNAN : SNAN;
            sig[k] = (1L << 63) | (frac << align);
        } else if (ef == 0) {
            if (frac == 0 || (daz && !x87)) {
                cls[k] = ZERO;
            } else {
                long m = frac << align;
                int n = Long.numberOfLeadingZeros(m);
                cls[k] = FINITE;
                den[k] = true;
                sig[k] = m << n;
                exp[k] = EMIN[f] - n;
            }
        } else {
            cls[k] = FINITE;
            sig[k] = ((1L << fracBits) | frac) << align;
            exp[k] = ef - (expMax >> 1);
        }
    }

    boolean isNaN(int k) {
        return cls[k] == QNAN || cls[k] == SNAN;
    }

    private boolean special(int k) {
        return cls[k] >= QNAN;
    }

    // ---- Packing ------------------------------------------------------------------------------------------------

    long packZero(int f, int s) {
        return switch (f) {
            case SINGLE -> (long) s << 31;
            case DOUBLE -> (long) s << 63;
            default -> {
                se = s << 15;
                yield 0;
            }
        };
    }

    long packInf(int f, int s) {
        return switch (f) {
            case SINGLE -> ((long) s << 31) | 0x7f800000L;
            case DOUBLE -> ((long) s << 63) | 0x7ff0000000000000L;
            default -> {
                se = (s << 15) | 0x7fff;
                yield 1L << 63;
            }
        };
    }

    /** A quiet NaN with the payload of {@code nanSig} (bit 63 = integer bit, bit 62 = quiet bit). */
    long packNaN(int f, int s, long nanSig) {
        return switch (f) {
            case SINGLE -> ((long) s << 31) | 0x7fc00000L | ((nanSig >>> 40) & 0x7fffffL);
            case DOUBLE -> ((long) s << 63) | 0x7ff8000000000000L | ((nanSig >>> 11) & 0xfffffffffffffL);
            default -> {
                se = (s << 15) | 0x7fff;
                yield nanSig | (3L << 62);
            }
        };
    }

    /** The default NaN ("real indefinite"): negative, quiet, zero payload. */
    long defaultNaN(int f) {
        return packNaN(f, 1, 0);
    }

    /** The largest finite magnitude of {@code f} at precision {@code p}. */
    long packMax(int f, int s, int p) {
        return packValue(f, s, p == 64 ? -1L : (1L << p) - 1, EMAX[f] - (p - 1));
    }

    /** Packs the exact value {@code m × 2^lsb} (which must be representable). */
    long packValue(int f, int s, long m, int lsb) {
        if (m == 0) {
            return packZero(f, s);
        }
        int nb = 64 - Long.numberOfLeadingZeros(m);
        int e = lsb + nb - 1;
        int emin = EMIN[f];
        if (f == EXTENDED) {
            if (e >= emin) {
                se = (s << 15) | ((e + 16383) & 0x7fff);
                return m << (64 - nb);
            }
            se = s << 15;
            return m << (lsb - (emin - 63));
        }
        int fracBits = PRECISION[f] - 1;
        long field;
        if (e >= emin) {
            long sigP = nb <= fracBits + 1 ? m << (fracBits + 1 - nb) : m >>> (nb - fracBits - 1);
            field = ((long) (e - emin + 1) << fracBits) | (sigP & ((1L << fracBits) - 1));
        } else {
            field = m << (lsb - (emin - fracBits));
        }
        return ((long) s << (f == SINGLE ? 31 : 63)) | field;
    }

    // ---- Rounding -----------------------------------------------------------------------------------------------

    /**
     * Rounds {@code (sig + lo/2^64) × 2^(e-63)} at bit weight {@code 2^lsb} in mode {@code mode}. Returns the rounded
     * integer {@code m} (the result is {@code m × 2^rLsb}); sets {@code rInexact} and whether the magnitude grew.
     */
    private long roundBits(int s, int e, long sig, long lo, int lsb, int mode) {
        long shiftL = (long) lsb - (e - 63);
        long m;
        boolean half;
        boolean rest;
        if (shiftL <= 0) {
            m = sig;
            half = lo < 0;
            rest = (lo << 1) != 0;
        } else if (shiftL < 64) {
            int shift = (int) shiftL;
            m = sig >>> shift;
            long dropped = sig << (64 - shift);
            half = dropped < 0;
            rest = (dropped << 1) != 0 || lo != 0;
        } else if (shiftL == 64) {
            m = 0;
            half = sig < 0;
            rest = (sig << 1) != 0 || lo != 0;
        } else {
            m = 0;
            half = false;
            rest = sig != 0 || lo != 0;
        }
        boolean inexact = half || rest;
        boolean inc = switch (mode) {
            case RN -> half && (rest || (m & 1) != 0);
            case RD -> s != 0 && inexact;
            case RU -> s == 0 && inexact;
            default -> false;
        };
        rLsb = lsb;
        if (inc) {
            m++;
            if (m == 0) {                                   // carry out of 64 bits
                m = 1L << 63;
                rLsb++;
            }
        }
        rInexact = inexact;
        roundedUp = inc;
        return m;
    }

    /**
     * Rounds the exact value {@code (-1)^s × (sig + lo/2^64) × 2^(e-63)} ({@code sig} normalised; the lowest bit
     * of {@code lo} may be a sticky bit) to format
     * {@code f}, with overflow, underflow, FTZ and inexact handling; the final step of every operation.
     */
    long round(int f, int s, int e, long sig, long lo) {
        int bigP = PRECISION[f];
        int p = f == EXTENDED ? pc : bigP;
        int emin = EMIN[f];
        boolean underflowMasked = (masks & UE) != 0;
        boolean tinyBefore = e < emin;
        boolean tiny = tinyBefore;
        if (tinyBefore && TININESS_AFTER_ROUNDING && e == emin - 1) {
            long mu = roundBits(s, e, sig, lo, e - (p - 1), rc);
            tiny = rLsb + 63 - Long.numberOfLeadingZeros(mu) < emin;
        }
        int lsb = e - (p - 1);
        boolean rebias = tiny && !underflowMasked;
        if (tinyBefore && !rebias) {
            lsb = Math.max(lsb, emin - (p - 1));     // x87 with PC < 64 denormalises at its own precision
        }
        long m = roundBits(s, e, sig, lo, lsb, rc);
        boolean inexact = rInexact;
        int l = rLsb;
        if (m != 0 && l + 63 - Long.numberOfLeadingZeros(m) > EMAX[f]) {
            return overflow(f, s, m, l, p, inexact);
        }
        if (tiny) {
            if (!x87 && ftz && underflowMasked) {
                flags |= UE | PE;
                roundedUp = false;
                return packZero(f, s);
            }
            if (!underflowMasked) {
                // Rounded with an unbounded exponent: x87 stores it re-biased, SSE stores nothing; PE if inexact.
                if (x87 && m != 0 && l + 63 - Long.numberOfLeadingZeros(m) + X87_BIAS_ADJUST < emin) {
                    flags |= UE | PE;                           // still tiny after re-biasing: a zero
                    roundedUp = false;
                    return packZero(f, s);
                }
                flags |= UE | (inexact ? PE : 0);
                return x87 ? packValue(f, s, m, l + X87_BIAS_ADJUST) : packZero(f, s);
            }
            if (inexact) {
                flags |= UE | PE;
            }
            return packValue(f, s, m, l);
        }
        if (inexact) {
            flags |= PE;
        }
        return packValue(f, s, m, l);
    }

    private long overflow(int f, int s, long m, int l, int p, boolean inexact) {
        if ((masks & OE) == 0) {
            if (x87 && l + 63 - Long.numberOfLeadingZeros(m) - X87_BIAS_ADJUST > EMAX[f]) {
                flags |= OE | PE;                               // still too large after re-biasing: infinity
                roundedUp = true;
                return packInf(f, s);
            }
            flags |= OE | (inexact ? PE : 0);
            if (x87) {
                return packValue(f, s, m, l - X87_BIAS_ADJUST);
            }
            return packInf(f, s);
        }
        flags |= OE | PE;
        boolean toInfinity = rc == RN || (rc == RD && s != 0) || (rc == RU && s == 0);
        roundedUp = toInfinity;
        return toInfinity ? packInf(f, s) : packMax(f, s, p);
    }

    // ---- NaNs and special results ----------------------------------------------------------------------------------

    /** The result when slot 0 (and slot 1 if {@code n == 2}) holds a NaN or an unsupported encoding. */
    long propagate(int f, int n) {
        boolean unsupported = cls[0] == UNSUPPORTED || (n == 2 && cls[1] == UNSUPPORTED);
        boolean signalling = cls[0] == SNAN || (n == 2 && cls[1] == SNAN);
        if (unsupported || signalling) {
            flags |= IE;
        }
        if (unsupported) {
            return defaultNaN(f);
        }
        int k;
        if (n == 1 || !isNaN(1)) {
            k = 0;
        } else if (!isNaN(0) || (x87 && cls[0] == SNAN && cls[1] == QNAN)) {
            k = 1;
        } else if (!x87 || (cls[0] == QNAN && cls[1] == SNAN)) {
            k = 0;
        } else {
            long q = 1L << 62;
            int c = Long.compareUnsigned(sig[0] | q, sig[1] | q);
            k = c > 0 || (c == 0 && sgn[0] == 0) ? 0 : 1;
        }
        return packNaN(f, sgn[k], sig[k]);
    }

    long invalid(int f) {
        flags |= IE;
        return defaultNaN(f);
    }

    private void denormals(int n) {
        if (den[0] || (n == 2 && den[1])) {
            flags |= DE;
        }
    }

    // ---- Arithmetic on the slots -----------------------------------------------------------------------------------

    /** slot0 + slot1 (or slot0 - slot1), rounded to {@code f}. */
    long add(int f, boolean subtract) {
        roundedUp = false;
        if (special(0) || special(1)) {
            return propagate(f, 2);
        }
        int sa = sgn[0];
        int sb = sgn[1] ^ (subtract ? 1 : 0);
        if (cls[0] == INF || cls[1] == INF) {
            if (cls[0] == INF && cls[1] == INF && sa != sb) {
                return invalid(f);
            }
            denormals(2);
            return packInf(f, cls[0] == INF ? sa : sb);
        }
        denormals(2);
        if (cls[0] == ZERO) {
            return cls[1] == ZERO ? packZero(f, sa == sb ? sa : rc == RD ? 1 : 0)
                    : round(f, sb, exp[1], sig[1], 0);
        }
        if (cls[1] == ZERO) {
            return round(f, sa, exp[0], sig[0], 0);
        }
        return addFinite(f, sa, exp[0], sig[0], sb, exp[1], sig[1]);
    }

    private long addFinite(int f, int sa, int ea, long ma, int sb, int eb, long mb) {
        if (ea < eb || (ea == eb && Long.compareUnsigned(ma, mb) < 0)) {
            int ts = sa;
            sa = sb;
            sb = ts;
            int te = ea;
            ea = eb;
            eb = te;
            long tm = ma;
            ma = mb;
            mb = tm;
        }
        long d = (long) ea - eb;
        long bh;
        long bl;
        if (d == 0) {
            bh = mb;
            bl = 0;
        } else if (d < 64) {
            bh = mb >>> d;
            bl = mb << (64 - d);
        } else if (d == 64) {
            bh = 0;
            bl = mb;
        } else if (d < 128) {
            bh = 0;
            bl = (mb >>> (d - 64)) | ((mb << (128 - d)) != 0 ? 1 : 0);   // sticky jammed into the last bit
        } else {
            bh = 0;
            bl = 1;
        }
        long rh;
        long rl;
        int e = ea;
        if (sa == sb) {
            rl = bl;
            rh = ma + bh;
            if (Long.compareUnsigned(rh, ma) < 0) {
                long lost = rl & 1;
                rl = (rl >>> 1) | (rh << 63) | lost;
                rh = (rh >>> 1) | (1L << 63);
                e++;
            }
        } else {
            rl = -bl;
            rh = ma - bh - (bl != 0 ? 1 : 0);
            if (rh == 0 && rl == 0) {
                return packZero(f, rc == RD ? 1 : 0);
            }
            int n = rh != 0 ? Long.numberOfLeadingZeros(rh) : 64 + Long.numberOfLeadingZeros(rl);
            if (n >= 64) {
                rh = rl << (n - 64);
                rl = 0;
            } else if (n > 0) {
                rh = (rh << n) | (rl >>> (64 - n));
                rl <<= n;
            }
            e -= n;
        }
        return round(f, sa, e, rh, rl);
    }

    /** slot0 × slot1, rounded to {@code f}. */
    long mul(int f) {
        roundedUp = false;
        if (special(0) || special(1)) {
            return propagate(f, 2);
        }
        int s = sgn[0] ^ sgn[1];
        if (cls[0] == INF || cls[1] == INF) {
            if (cls[0] == ZERO || cls[1] == ZERO) {
                return invalid(f);
            }
            denormals(2);
            return packInf(f, s);
        }
        denormals(2);
        if (cls[0] == ZERO || cls[1] == ZERO) {
            return packZero(f, s);
        }
        long hi = Math.unsignedMultiplyHigh(sig[0], sig[1]);
        long lo = sig[0] * sig[1];
        int e = exp[0] + exp[1];
        if (hi < 0) {
            return round(f, s, e + 1, hi, lo);
        }
        return round(f, s, e, (hi << 1) | (lo >>> 63), lo << 1);
    }

    /** slot0 ÷ slot1, rounded to {@code f}. */
    long div(int f) {
        roundedUp = false;
        if (special(0) || special(1)) {
            return propagate(f, 2);
        }
        int s = sgn[0] ^ sgn[1];
        if (cls[0] == INF) {
            if (cls[1] == INF) {
                return invalid(f);
            }
            denormals(2);
            return packInf(f, s);
        }
        if (cls[1] == INF) {
            denormals(2);
            return packZero(f, s);
        }
        if (cls[1] == ZERO) {
            if (cls[0] == ZERO) {
                return invalid(f);
            }
            flags |= ZE;
            return packInf(f, s);
        }
        denormals(2);
        if (cls[0] == ZERO) {
            return packZero(f, s);
        }
        long ma = sig[0];
        long mb = sig[1];
        int e = exp[0] - exp[1];
        long r = ma;
        boolean top = false;
        if (Long.compareUnsigned(ma, mb) < 0) {
            e--;
            top = r < 0;
            r <<= 1;
        }
        long q = 0;
        for (int k = 0; k < 65; k++) {                  // 64 quotient bits and the round bit
            q = k < 64 ? q << 1 : q;
            boolean bit = top || Long.compareUnsigned(r, mb) >= 0;
            if (bit) {
                r -= mb;
                q |= k < 64 ? 1 : 0;
            }
            if (k == 64) {
                return round(f, s, e, q, (bit ? 1L << 63 : 0) | (r != 0 ? 1 : 0));
            }
            top = r < 0;
            r <<= 1;
        }
        throw new AssertionError();
    }

    /** √slot0, rounded to {@code f}. */
    long sqrt(int f) {
        roundedUp = false;
        if (special(0)) {
            return propagate(f, 1);
        }
        int s = sgn[0];
        if (cls[0] == ZERO) {
            return packZero(f, s);
        }
        if (s != 0) {
            return invalid(f);
        }
        if (cls[0] == INF) {
            return packInf(f, 0);
        }
        denormals(1);
        int lsbExp = exp[0] - 63;
        int shift = (lsbExp & 1) == 0 ? 192 : 191;
        BigInteger n = unsigned(sig[0]).shiftLeft(shift);             // a 128-bit root: 64 bits and 64 more
        BigInteger[] rootRem = n.sqrtAndRemainder();
        long hi = rootRem[0].shiftRight(64).longValue();
        long lo = rootRem[0].longValue() | (rootRem[1].signum() != 0 ? 1 : 0);
        int rootLsb = (lsbExp - shift) / 2;
        return round(f, 0, rootLsb + 127, hi, lo);
    }

    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
    }

    /** Slot 0 converted to format {@code f}: widening is exact, narrowing rounds. */
    long convert(int f) {
        roundedUp = false;
        if (special(0)) {
            return propagate(f, 1);
        }
        if (cls[0] == INF) {
            return packInf(f, sgn[0]);
        }
        if (cls[0] == ZERO) {
            return packZero(f, sgn[0]);
        }
        denormals(1);
        return round(f, sgn[0], exp[0], sig[0], 0);
    }

    /**
     * Compares slot 0 with slot 1: -1, 0, 1, or 2 for unordered. Signals IE for SNaNs and unsupported encodings,
     * and for QNaNs when {@code signalQuiet} (the ordered comparisons); DE for denormals otherwise.
     */
    int compare(boolean signalQuiet) {
        if (special(0) || special(1)) {
            if (signalQuiet || cls[0] == SNAN || cls[1] == SNAN || cls[0] == UNSUPPORTED || cls[1] == UNSUPPORTED) {
                flags |= IE;
            }
            return 2;
        }
        denormals(2);
        return compareOrdered();
    }

    private int compareOrdered() {
        boolean za = cls[0] == ZERO;
        boolean zb = cls[1] == ZERO;
        if (za && zb) {
            return 0;
        }
        if (za) {
            return sgn[1] != 0 ? 1 : -1;
        }
        if (zb) {
            return sgn[0] != 0 ? -1 : 1;
        }
        if (sgn[0] != sgn[1]) {
            return sgn[0] != 0 ? -1 : 1;
        }
        int m;
        if (cls[0] == INF || cls[1] == INF) {
            m = cls[0] == cls[1] ? 0 : cls[0] == INF ? 1 : -1;
        } else if (exp[0] != exp[1]) {
            m = exp[0] > exp[1] ? 1 : -1;
        } else {
            m = Long.signum(Long.compareUnsigned(sig[0], sig[1]));
        }
        return sgn[0] != 0 ? -m : m;
    }

    /**
     * Slot 0 converted to a signed integer of {@code size} bytes (2, 4, 8) in mode {@code mode}. An out-of-range
     * value, a NaN or an infinity signals IE and gives the integer indefinite (only the sign bit set).
     */
    long toInt(int size, int mode) {
        roundedUp = false;
        long indefinite = 1L << (size * 8 - 1);
        if (cls[0] >= INF) {
            flags |= IE;
            return indefinite;
        }
        if (cls[0] == ZERO) {
            return 0;
        }
        int s = sgn[0];
        int e = exp[0];
        if (e > 63) {
            flags |= IE;
            return indefinite;
        }
        long m = roundBits(s, e, sig[0], 0, 0, mode);
        boolean inexact = rInexact;
        if (rLsb != 0) {                                                // carried out of 64 bits
            flags |= IE;
            roundedUp = false;
            return indefinite;
        }
        boolean fits = s == 0 ? Long.compareUnsigned(m, indefinite) < 0 : Long.compareUnsigned(m, indefinite) <= 0;
        if (!fits) {
            flags |= IE;
            roundedUp = false;
            return indefinite;
        }
        if (inexact) {
            flags |= PE;
        }
        long v = s != 0 ? -m : m;
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** The signed integer {@code v} converted to format {@code f}. */
    long fromInt(int f, long v) {
        roundedUp = false;
        if (v == 0) {
            return packZero(f, 0);
        }
        int s = v < 0 ? 1 : 0;
        long mag = v < 0 ? -v : v;
        int n = Long.numberOfLeadingZeros(mag);
        return round(f, s, 63 - n, mag << n, 0);
    }

    /**
     * Slot 0 rounded to an integral value in format {@code f} (ROUNDSS, FRNDINT): NaNs propagate, infinities and
     * zeros are returned unchanged, and PE is signalled for inexact results unless {@code suppressInexact}.
     */
    long roundToIntegral(int f, long bits, int bitsSe, int mode, boolean suppressInexact, boolean signalDenormal) {
        roundedUp = false;
        if (special(0)) {
            return propagate(f, 1);
        }
        if (cls[0] == INF || cls[0] == ZERO) {
            return cls[0] == INF ? packInf(f, sgn[0]) : packZero(f, sgn[0]);
        }
        if (signalDenormal) {
            denormals(1);
        }
        int s = sgn[0];
        if (exp[0] >= PRECISION[f] - 1) {
            se = bitsSe;
            return bits;
        }
        long m = roundBits(s, exp[0], sig[0], 0, 0, mode);
        if (rInexact && !suppressInexact) {
            flags |= PE;
        }
        return packValue(f, s, m, rLsb);
    }

    // ---- Convenience for the SSE formats ----------------------------------------------------------------------------

    private static boolean normalOrZeroD(long b) {
        long ef = (b >>> 52) & 0x7ff;
        return (ef != 0 && ef != 0x7ff) || (b << 1) == 0;
    }

    private static boolean normalOrZeroS(long b) {
        long ef = (b >>> 23) & 0xff;
        return (ef != 0 && ef != 0xff) || ((b << 33) == 0);
    }

    private static boolean safeD(double r) {
        double a = Math.abs(r);
        return a >= 0x1p-900 && a <= 0x1p900;
    }

    private static boolean safeS(float r) {
        float a = Math.abs(r);
        return a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE;
    }

    /**
     * The host fast path: round-to-nearest single/double +, -, ×, ÷ and √ of normal numbers with a normal result
     * ({@code op}: 0 add, 1 sub, 2 mul, 3 div, 4 sqrt). Returns false if the operation needs the exact path.
     */
    private boolean fast(int f, int op, long a, long b) {
        if (rc != RN || x87) {
            return false;
        }
        if (f == DOUBLE) {
            if (!normalOrZeroD(a) || (op != 4 && !normalOrZeroD(b))) {
                return false;
            }
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double r;
            boolean exact;
            switch (op) {
                case 0, 1 -> {
                    double yy = op == 1 ? -y : y;
                    r = x + yy;
                    if (!(Math.abs(r) >= Double.MIN_NORMAL && Math.abs(r) <= Double.MAX_VALUE)) {
                        return false;
                    }
                    if (inexactKnown) {
                        exact = true;
                    } else {
                        double bb = r - x;
                        exact = ((x - (r - bb)) + (yy - bb)) == 0;
                    }
                }
                case 2 -> {
                    r = x * y;
                    if (!safeD(r)) {
                        return false;
                    }
                    exact = inexactKnown || Math.fma(x, y, -r) == 0;
                }
                case 3 -> {
                    if (!safeD(x) || !safeD(y)) {
                        return false;
                    }
                    r = x / y;
                    if (!safeD(r)) {
                        return false;
                    }
                    exact = inexactKnown || Math.fma(-r, y, x) == 0;
                }
                default -> {
                    if (!safeD(x) || x < 0) {
                        return false;
                    }
                    r = Math.sqrt(x);
                    exact = inexactKnown || Math.fma(-r, r, x) == 0;
                }
            }
            if (!exact) {
                flags |= PE;
            }
            fastResult = Double.doubleToRawLongBits(r);
            return true;
        }
        if (!normalOrZeroS(a) || (op != 4 && !normalOrZeroS(b))) {
            return false;
        }
        double x = Float.intBitsToFloat((int) a);
        double y = Float.intBitsToFloat((int) b);
        double d;
        boolean exact;
        switch (op) {
            case 0, 1 -> {
                double yy = op == 1 ? -y : y;
                d = x + yy;
                double bb = d - x;
                exact = ((x - (d - bb)) + (yy - bb)) == 0;
            }
            case 2 -> {
                d = x * y;
                exact = true;
            }
            case 3 -> {
                if (y == 0) {
                    return false;
                }
                d = x / y;
                exact = inexactKnown || Math.fma(-d, y, x) == 0;
            }
            default -> {
                if (x < 0) {
                    return false;
                }
                d = Math.sqrt(x);
                exact = inexactKnown || Math.fma(-d, d, x) == 0;
            }
        }
        float r = (float) d;
        if (!safeS(r)) {
            return false;
        }
        if (!exact || r != d) {
            flags |= PE;
        }
        fastResult = Float.floatToRawIntBits(r) & 0xffffffffL;
        return true;
    }

    private long fastResult;

    /** a + b in single or double. */
    long add(int f, long a, long b) {
        if (fast(f, 0, a, b)) {
            return fastResult;
        }
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        return add(f, false);
    }

    long sub(int f, long a, long b) {
        if (fast(f, 1, a, b)) {
            return fastResult;
        }
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        return add(f, true);
    }

    long mul(int f, long a, long b) {
        if (fast(f, 2, a, b)) {
            return fastResult;
        }
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        return mul(f);
    }

    long div(int f, long a, long b) {
        if (fast(f, 3, a, b)) {
            return fastResult;
        }
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        return div(f);
    }

    long sqrt(int f, long a) {
        if (fast(f, 4, a, 0)) {
            return fastResult;
        }
        unpack(0, f, a, 0);
        return sqrt(f);
    }

    /**
     * MINSS/MAXSS and the packed forms (SDM Vol 2 "MINPS"): the second operand when either is a NaN (IE, even for
     * QNaNs) or both are zeros, else the smaller (larger).
     */
    long minMax(int f, long a, long b, boolean max) {
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        if (isNaN(0) || isNaN(1)) {
            flags |= IE;
            return cls[1] == ZERO ? packZero(f, sgn[1]) : b;          // a denormal read as zero under DAZ
        }
        denormals(2);
        int c = compareOrdered();
        boolean first = max ? c > 0 : c < 0;
        if (first) {
            return cls[0] == ZERO ? packZero(f, sgn[0]) : a;
        }
        return cls[1] == ZERO ? packZero(f, sgn[1]) : b;
    }

    /** Compares two single or double values; see {@link #compare(boolean)}. */
    int compare(int f, long a, long b, boolean signalQuiet) {
        unpack(0, f, a, 0);
        unpack(1, f, b, 0);
        return compare(signalQuiet);
    }

    long convert(int from, int to, long a) {
        unpack(0, from, a, 0);
        return convert(to);
    }

    long toInt(int f, long a, int size, boolean truncate) {
        unpack(0, f, a, 0);
        return toInt(size, truncate ? RZ : rc);
    }
}
