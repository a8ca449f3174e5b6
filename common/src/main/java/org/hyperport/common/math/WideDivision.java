package org.hyperport.common.math;

/**
 * Unsigned division of a 128-bit dividend by a 64-bit divisor, which the JDK has no method for: x86 DIV/IDIV with a
 * 64-bit operand, and s390x DIVIDE LOGICAL and the decimal instructions, all need it.
 */
public final class WideDivision {

    private WideDivision() {
    }

    /**
     * {@code hi:lo / d}, unsigned, for {@code hi < d} unsigned (so the quotient fits in 64 bits; the caller checks):
     * the quotient goes to {@code out[0]} and the remainder to {@code out[1]}. Restoring shift-and-subtract, one
     * quotient bit per step, unless the dividend fits in 64 bits.
     */
    public static void divide(long hi, long lo, long d, long[] out) {
        if (hi == 0) {
            out[0] = Long.divideUnsigned(lo, d);
            out[1] = Long.remainderUnsigned(lo, d);
            return;
        }
        long q = 0;
        long r = hi;
        for (int bit = 63; bit >= 0; bit--) {
            boolean carry = r < 0;
            r = (r << 1) | ((lo >>> bit) & 1);
            q <<= 1;
            if (carry || Long.compareUnsigned(r, d) >= 0) {
                r -= d;
                q |= 1;
            }
        }
        out[0] = q;
        out[1] = r;
    }
}
