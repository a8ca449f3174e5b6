package org.hyperport.s390.isa;

/**
 * The condition-code rules shared by many instructions (PoP Appendix C "Condition-Setting Instructions").
 */
public final class ConditionCodes {

    private ConditionCodes() {
    }

    /** Signed result: 0 zero, 1 negative, 2 positive. */
    public static int signed(long r) {
        return r == 0 ? 0 : r < 0 ? 1 : 2;
    }

    /** Signed 32-bit result. */
    public static int signed32(int r) {
        return r == 0 ? 0 : r < 0 ? 1 : 2;
    }

    /** Signed addition a + b = r (64-bit): overflow gives 3. */
    public static int add64(long a, long b, long r) {
        return ((a ^ r) & (b ^ r)) < 0 ? 3 : signed(r);
    }

    /** Signed addition of 32-bit values. */
    public static int add32(int a, int b, int r) {
        return ((a ^ r) & (b ^ r)) < 0 ? 3 : signed32(r);
    }

    /** Signed subtraction a - b = r (64-bit). */
    public static int sub64(long a, long b, long r) {
        return ((a ^ b) & (a ^ r)) < 0 ? 3 : signed(r);
    }

    public static int sub32(int a, int b, int r) {
        return ((a ^ b) & (a ^ r)) < 0 ? 3 : signed32(r);
    }

    /** Logical addition: bit 1 of the CC is the carry, bit 0 whether the result is non-zero. */
    public static int addLogical(boolean carry, boolean nonZero) {
        return (carry ? 2 : 0) | (nonZero ? 1 : 0);
    }

    /** Logical subtraction: CC 1 borrow non-zero, 2 no-borrow zero, 3 no-borrow non-zero (0 cannot occur). */
    public static int subLogical(boolean borrow, boolean nonZero) {
        return (borrow ? 0 : 2) | (nonZero ? 1 : 0);
    }

    /** Comparison: 0 equal, 1 first low, 2 first high. */
    public static int compare(long a, long b) {
        return a == b ? 0 : a < b ? 1 : 2;
    }

    public static int compareLogical(long a, long b) {
        int c = Long.compareUnsigned(a, b);
        return c == 0 ? 0 : c < 0 ? 1 : 2;
    }
}
