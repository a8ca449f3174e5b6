package org.hyperport.x86.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DIV/IDIV results and the #DE conditions (SDM Vol 2 "DIV", "IDIV"). */
class DivisionTest {

    final long[] out = new long[2];

    @Test
    void unsignedDivisionOfADoubleWidthDividend() {
        assertTrue(IntegerOps.div(1, 5, 2, 8, out));           // (2^64 + 5) / 2
        assertArrayEquals(new long[] {0x8000000000000002L, 1}, out);
    }

    @Test
    void byteDivisionUsesAxAsTheDividend() {
        assertTrue(IntegerOps.div(0x01, 0x00, 3, 1, out));     // 0x100 / 3
        assertArrayEquals(new long[] {0x55, 1}, out);
    }

    @Test
    void zeroDivisorAndQuotientOverflowAreDivideErrors() {
        assertFalse(IntegerOps.div(0, 7, 0, 4, out));
        assertFalse(IntegerOps.div(1, 0, 1, 4, out));          // 2^32 / 1 does not fit in 32 bits
        assertFalse(IntegerOps.idiv(0xffffffffL, 0x80000000L, 0xffffffffL, 4, out)); // INT_MIN / -1
    }

    @Test
    void signedDivisionTruncatesTowardsZero() {
        assertTrue(IntegerOps.idiv(-1L, -7L, 2, 8, out));      // -7 / 2
        assertArrayEquals(new long[] {-3L, -1L}, out);
        assertTrue(IntegerOps.idiv(0xffff, 0xfff9, 2, 2, out)); // 16-bit -7 / 2
        assertArrayEquals(new long[] {0xfffd, 0xffff}, out);
        assertTrue(IntegerOps.idiv(0xffffffffL, 0xfffffff9L, 2, 4, out)); // 32-bit -7 / 2
        assertArrayEquals(new long[] {0xfffffffdL, 0xffffffffL}, out);
    }
}
