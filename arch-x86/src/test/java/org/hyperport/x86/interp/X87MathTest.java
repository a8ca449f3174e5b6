package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class X87MathTest {

    /** The top 128 bits of a fixed-point constant below 4, as FLDxx's {high, low} table holds them. */
    private static String top128(BigInteger fixed) {
        int shift = fixed.bitLength() - 128;
        return fixed.shiftRight(shift).toString(16);
    }

    private static String table(long[] c) {
        return FpArith.unsigned(c[0]).shiftLeft(64).or(FpArith.unsigned(c[1])).toString(16);
    }

    @Test
    void constantsAgreeWithTheFldConstants() {
        assertEquals(table(Float80.CONSTANTS[2]), top128(X87Math.PI));
        assertEquals(table(Float80.CONSTANTS[4]), top128(X87Math.LN2));
        assertEquals(table(Float80.CONSTANTS[1]), top128(X87Math.LOG2E));
    }

    @Test
    void theReductionPiIsPiTruncatedTo66Bits() {
        assertEquals(X87Math.P66, X87Math.PI.shiftRight(X87Math.F - 64));
    }

    @Test
    void roundingFollowsTheTailOfAnApproximation() {
        FpArith fp = new FpArith();
        fp.setFcw(0xf7f);                                       // toward zero
        BigInteger one = BigInteger.ONE.shiftLeft(63);
        long below = X87Math.round(fp, new X87Math.Big(one, -63, -1));
        int belowSe = fp.se;
        long above = X87Math.round(fp, new X87Math.Big(one, -63, 1));
        int aboveSe = fp.se;
        long exact = X87Math.round(fp, new X87Math.Big(one, -63, 0));
        int flags = fp.flags;

        assertEquals("3ffe:ffffffffffffffff", String.format("%04x:%016x", belowSe, below));
        assertEquals("3fff:8000000000000000", String.format("%04x:%016x", aboveSe, above));
        assertEquals(Long.MIN_VALUE, exact);
        assertEquals(FpArith.PE, flags);                        // from the two approximations only
    }
}
