package org.hyperport.x86.interp;

/**
 * The x87 double-extended format (SDM Vol 1 §4.2.2, §8.2): a sign, a 15-bit biased exponent and a 64-bit
 * significand whose bit 63 is the explicit integer bit. A value is held as two parts everywhere in hyperport: the
 * significand ({@code sig}, a long) and the sign with the exponent ({@code se}, the top 16 bits of the 80-bit
 * register), as in {@code X86CpuState.st}. Arithmetic lives in {@link FpArith}; this class classifies encodings and
 * holds the constants of FLD1..FLDZ and a conversion to double for diagnostics and tests.
 */
final class Float80 {

    private Float80() {
    }

    /** FXAM classes (C3, C2, C0 of SDM Vol 2 "FXAM"), and the tag of FSTENV/FSAVE. */
    static final int UNSUPPORTED = 0b000, NAN = 0b001, NORMAL = 0b010, INFINITY = 0b011, ZERO = 0b100,
            EMPTY = 0b101, DENORMAL = 0b110;

    /** Real indefinite: the default QNaN (SDM Vol 1 §4.8.3.7). */
    static final long INDEFINITE_SIG = 0xC000000000000000L;
    static final int INDEFINITE_SE = 0xFFFF;

    /** 1.0. */
    static final long ONE_SIG = 1L << 63;
    static final int ONE_SE = 0x3FFF;

    /** Classifies a register value (not considering the tag). */
    static int classify(long sig, int se) {
        int e = se & 0x7fff;
        if (e == 0x7fff) {
            if (sig >= 0) {
                return UNSUPPORTED;
            }
            return (sig << 1) == 0 ? INFINITY : NAN;
        }
        if (e == 0) {
            return sig == 0 ? ZERO : DENORMAL;
        }
        return sig < 0 ? NORMAL : UNSUPPORTED;
    }

    /** The 2-bit tag of a non-empty register (SDM Vol 1 §8.1.7): 00 valid, 01 zero, 10 special. */
    static int tag(long sig, int se) {
        return switch (classify(sig, se)) {
            case NORMAL -> 0;
            case ZERO -> 1;
            default -> 2;
        };
    }

    /**
     * The constants of FLDL2T, FLDL2E, FLDPI, FLDLG2 and FLDLN2 as 128-bit significands (high, low) and the
     * exponent of the leading bit, from which the instructions round per FCW.RC (SDM Vol 1 §8.3.8).
     */
    static final long[][] CONSTANTS = {
        {0xD49A784BCD1B8AFEL, 0x492BF6FF4DAFDB4CL, 1},   // log2(10)
        {0xB8AA3B295C17F0BBL, 0xBE87FED0691D3E88L, 0},   // log2(e)
        {0xC90FDAA22168C234L, 0xC4C6628B80DC1CD1L, 1},   // pi
        {0x9A209A84FBCFF798L, 0x8F8959AC0B7C9178L, -2},  // log10(2)
        {0xB17217F7D1CF79ABL, 0xC9E3B39803F2F6AFL, -1},  // ln(2)
    };

    /** The value as a double, rounded to nearest (for diagnostics and tests). */
    static double toDouble(long sig, int se) {
        int e = se & 0x7fff;
        double sign = (se & 0x8000) != 0 ? -1.0 : 1.0;
        if (e == 0x7fff) {
            return (sig << 1) == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (sig == 0) {
            return sign * 0.0;
        }
        int unbiased = (e == 0 ? 1 : e) - 16383 - 63;
        // Round the 64-bit significand to 53 bits by hand (round half even) so that only scalb can round again.
        int n = Long.numberOfLeadingZeros(sig);
        long norm = sig << n;
        unbiased -= n;
        long top = norm >>> 11;
        long rest = norm & 0x7ff;
        if (rest > 0x400 || (rest == 0x400 && (top & 1) != 0)) {
            top++;
        }
        return sign * Math.scalb((double) top, unbiased + 11);
    }
}
