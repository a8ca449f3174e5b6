package org.hyperport.x86.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;

/** After CMP a,b each condition must agree with the comparison it names (SDM Vol 1 Table B-1). */
class ConditionsTest {

    @Test
    void conditionsAfterCompareMatchJavaComparisons() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long a = r.nextInt(5) == 0 ? r.nextLong(4) - 2 : r.nextLong();
            long b = r.nextInt(5) == 0 ? a : r.nextLong();
            X86CpuState s = new X86CpuState();
            IntegerOps.sub(s, a, b, 0, 8);
            long f = s.rflags;
            String ctx = Long.toHexString(a) + " cmp " + Long.toHexString(b);

            assertEquals(Long.compareUnsigned(a, b) < 0, Conditions.test(0x2, f), "B " + ctx);
            assertEquals(Long.compareUnsigned(a, b) >= 0, Conditions.test(0x3, f), "AE " + ctx);
            assertEquals(a == b, Conditions.test(0x4, f), "E " + ctx);
            assertEquals(a != b, Conditions.test(0x5, f), "NE " + ctx);
            assertEquals(Long.compareUnsigned(a, b) <= 0, Conditions.test(0x6, f), "BE " + ctx);
            assertEquals(Long.compareUnsigned(a, b) > 0, Conditions.test(0x7, f), "A " + ctx);
            assertEquals(a < b, Conditions.test(0xc, f), "L " + ctx);
            assertEquals(a >= b, Conditions.test(0xd, f), "GE " + ctx);
            assertEquals(a <= b, Conditions.test(0xe, f), "LE " + ctx);
            assertEquals(a > b, Conditions.test(0xf, f), "G " + ctx);
            assertEquals(overflows(a, b), Conditions.test(0x0, f), "O " + ctx);
            assertEquals((a - b) < 0, Conditions.test(0x8, f), "S " + ctx);
        }
    }

    private static boolean overflows(long a, long b) {
        try {
            Math.subtractExact(a, b);
            return false;
        } catch (ArithmeticException e) {
            return true;
        }
    }

    @Test
    void parityConditionsReadPf() {
        assertEquals(true, Conditions.test(0xa, IntegerOps.PF));
        assertEquals(false, Conditions.test(0xb, IntegerOps.PF));
    }
}
