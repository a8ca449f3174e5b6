package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390TestCpu;
import org.junit.jupiter.api.Test;

/** What the qemu-s390x oracle cannot show: AFP-register control, enabled IEEE traps, FPC checks, directed rounding. */
class BfpInstructionsTest {

    static S390TestCpu cpu(String hex, boolean afp) {
        S390TestCpu t = new S390TestCpu();
        t.load(S390TestCpu.CODE, hex);
        if (afp) {
            t.cpu.cr[0] |= S390Interpreter.CR0_AFP;
        } else {
            t.cpu.cr[0] &= ~S390Interpreter.CR0_AFP;
        }
        return t;
    }

    static int dxc(S390TestCpu t) {
        return t.ram.read32(S390Interpreter.LC_DXC) & 0xff;
    }

    static long d(double x) {
        return Double.doubleToRawLongBits(x);
    }

    @Test
    void afpRegisterWithoutAfpControlIsDataException1() {
        S390TestCpu t = cpu("2813", false);                   // ldr %f1,%f3
        t.run(1);
        assertTrue(t.waiting());
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(1, dxc(t));
        S390TestCpu ok = cpu("2802", false);                  // ldr %f0,%f2 is fine without AFP
        ok.cpu.fpr[2] = 42;
        ok.run(1);
        assertFalse(ok.waiting());
        assertEquals(42, ok.cpu.fpr[0]);
    }

    @Test
    void bfpInstructionWithoutAfpControlIsDataException2() {
        S390TestCpu t = cpu("b31a 0002", false);              // adbr %f0,%f2
        t.run(1);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(2, dxc(t));
    }

    @Test
    void enabledDivideByZeroSuppressesAndStoresDxcInFpc() {
        S390TestCpu t = cpu("b31d 0002", true);               // ddbr %f0,%f2
        t.cpu.fpr[0] = d(1.0);
        t.cpu.fpr[2] = d(0.0);
        t.cpu.fpc = 0x40000000;                               // division-by-zero mask
        t.run(1);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(0x40, dxc(t));
        assertEquals(d(1.0), t.cpu.fpr[0]);                   // suppressed
        assertEquals(0x40004000, t.cpu.fpc);                  // DXC in FPC byte 2, no flag
    }

    @Test
    void disabledDivideByZeroSetsTheFlag() {
        S390TestCpu t = cpu("b31d 0002", true);
        t.cpu.fpr[0] = d(-1.0);
        t.cpu.fpr[2] = d(0.0);
        t.run(1);
        assertEquals(d(Double.NEGATIVE_INFINITY), t.cpu.fpr[0]);
        assertEquals(0x00400000, t.cpu.fpc);
    }

    @Test
    void enabledOverflowDeliversTheScaledResult() {
        S390TestCpu t = cpu("b31c 0002", true);               // mdbr %f0,%f2
        t.cpu.fpr[0] = d(0x1p1000);
        t.cpu.fpr[2] = d(0x1p100);
        t.cpu.fpc = 0x20000000;
        t.run(1);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(0x20, dxc(t));
        assertEquals(d(Math.scalb(1.0, 1100 - 1536)), t.cpu.fpr[0]);
    }

    @Test
    void enabledUnderflowDeliversTheScaledResult() {
        S390TestCpu t = cpu("b30d 0002", true);               // debr %f0,%f2 (short)
        t.cpu.fpr[0] = (long) Float.floatToRawIntBits(0x1p-100f) << 32;
        t.cpu.fpr[2] = (long) Float.floatToRawIntBits(0x1p100f) << 32;
        t.cpu.fpc = 0x10000000;
        t.run(1);
        assertEquals(0x10, dxc(t));
        assertEquals(Float.floatToRawIntBits(Math.scalb(1f, -200 + 192)), (int) (t.cpu.fpr[0] >>> 32));
    }

    @Test
    void enabledInexactCompletesAndReportsIncrement() {
        S390TestCpu t = cpu("b31a 0002", true);               // adbr %f0,%f2
        t.cpu.fpr[0] = d(1.0);
        t.cpu.fpr[2] = d(0x1.8p-53);                          // rounds up in round-to-nearest
        t.cpu.fpc = 0x08000000;
        t.run(1);
        assertEquals(0x0c, dxc(t));
        assertEquals(d(Math.nextUp(1.0)), t.cpu.fpr[0]);
        assertEquals(2, (int) (t.ram.read64(S390Interpreter.LC_PGM_OLD) >>> 44) & 3);  // CC in the old PSW
    }

    @Test
    void directedRoundingOfAnAdd() {
        for (int mode : new int[] {1, 2, 3, 7}) {
            S390TestCpu t = cpu("b31a 0002", true);
            t.cpu.fpr[0] = d(1.0);
            t.cpu.fpr[2] = d(0x1p-60);
            t.cpu.fpc = mode;
            t.run(1);
            double want = mode == 2 || mode == 7 ? Math.nextUp(1.0) : 1.0;
            assertEquals(d(want), t.cpu.fpr[0], "mode " + mode);
            assertEquals(0x00080000 | mode, t.cpu.fpc);
        }
    }

    @Test
    void sfpcWithReservedBitsIsASpecificationException() {
        S390TestCpu t = cpu("b384 0010", true);               // sfpc %r1
        t.cpu.gpr[1] = 0x00000100 >>> 8 | 0x08;               // bit 28 reserved
        t.run(1);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
        S390TestCpu b = cpu("b2b8 0005", true);               // srnmb 5: invalid mode
        b.run(1);
        assertEquals(ProgramInterruption.SPECIFICATION, b.programCode());
    }

    @Test
    void convertToFixedRoundsPerM3() {
        S390TestCpu t = cpu("b399 5012", true);               // cfdbr %r1,5,%f2 (toward zero)
        t.cpu.fpr[2] = d(-2.75);
        t.run(1);
        assertEquals(-2, (int) t.cpu.gpr[1]);
        assertEquals(1, t.cpu.cc);
        S390TestCpu a = cpu("b399 1012", true);               // cfdbr %r1,1,%f2 (ties away)
        a.cpu.fpr[2] = d(2.5);
        a.run(1);
        assertEquals(3, (int) a.cpu.gpr[1]);
    }

    /** Tininess before rounding (as qemu-s390x): a product just below Nmin that rounds to Nmin underflows. */
    @Test
    void tininessIsDetectedBeforeRounding() {
        S390TestCpu t = cpu("b31c 0002", true);               // mdbr %f0,%f2
        t.cpu.fpr[0] = 0x3ff0000000000001L;                   // 1 + 2^-52
        t.cpu.fpr[2] = 0x000fffffffffffffL;                   // Nmin (1 - 2^-52)
        t.run(1);
        assertEquals(0x0010000000000000L, t.cpu.fpr[0]);
        assertEquals(0x00180000, t.cpu.fpc);                  // underflow and inexact
    }

    /** MULTIPLY long → extended is exact: (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104 (the oracle's QEMU gets MXDBR wrong). */
    @Test
    void mxdbrIsExact() {
        S390TestCpu t = cpu("b307 0042", true);               // mxdbr %f4,%f2
        t.cpu.fpr[4] = 0x3ff0000000000001L;
        t.cpu.fpr[6] = 0x1234;                                // ignored: R1 holds a long operand
        t.cpu.fpr[2] = 0x3ff0000000000001L;
        t.run(1);
        assertFalse(t.waiting());
        // extended 1 + 2^-51 + 2^-104: exponent 0x3fff; fraction bits 61 and 8 are both in the low doubleword
        assertEquals(0x3fff000000000000L, t.cpu.fpr[4]);
        assertEquals((1L << 61) | (1L << 8), t.cpu.fpr[6]);
        assertEquals(0, t.cpu.fpc);
    }

    @Test
    void enabledUnderflowOfALongQuotientDeliversTheScaledResult() {
        S390TestCpu t = cpu("b31d 0002", true);               // ddbr %f0,%f2
        t.cpu.fpr[0] = d(0x1p-1000);
        t.cpu.fpr[2] = d(0x1p100);
        t.cpu.fpc = 0x10000000;
        t.run(1);
        assertEquals(0x10, dxc(t));
        assertEquals(d(Math.scalb(1.0, -1100 + 1536)), t.cpu.fpr[0]);
    }

    @Test
    void disabledOverflowInEachRoundingMode() {
        double[] want = {Double.POSITIVE_INFINITY, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.MAX_VALUE};
        for (int mode = 0; mode < 4; mode++) {
            S390TestCpu t = cpu("b31a 0002", true);           // adbr %f0,%f2
            t.cpu.fpr[0] = d(Double.MAX_VALUE);
            t.cpu.fpr[2] = d(Double.MAX_VALUE);
            t.cpu.fpc = mode;
            t.run(1);
            assertEquals(d(want[mode]), t.cpu.fpr[0], "mode " + mode);
            assertEquals(0x00280000 | mode, t.cpu.fpc);       // overflow and inexact
        }
    }

    @Test
    void inexactSuppressionControlOfTheAForms() {
        S390TestCpu t = cpu("b344 0412", true);               // ledbra %f1,0,%f2,4
        t.cpu.fpr[2] = d(0.1);
        t.cpu.fpc = 0x08000000;                               // inexact trap enabled but suppressed by M4
        t.run(1);
        assertFalse(t.waiting());
        assertEquals(Float.floatToRawIntBits(0.1f), (int) (t.cpu.fpr[1] >>> 32));
        assertEquals(0x08000000, t.cpu.fpc);
    }

    @Test
    void enabledOverflowOfAnExtendedProduct() {
        S390TestCpu t = cpu("b34c 0004", true);               // mxbr %f0,%f4
        t.cpu.fpr[0] = 0x7ffe000000000000L;                   // 2^16383
        t.cpu.fpr[2] = 0;
        t.cpu.fpr[4] = 0x4001000000000000L;                   // 4
        t.cpu.fpr[6] = 0;
        t.cpu.fpc = 0x20000000;
        t.run(1);
        assertEquals(0x20, dxc(t));
        assertEquals((long) (16385 - 24576 + 16383) << 48, t.cpu.fpr[0]);   // 2^(16385 - 24576)
        assertEquals(0, t.cpu.fpr[2]);
    }

    @Test
    void invalidExtendedPairIsASpecificationException() {
        S390TestCpu t = cpu("b34a 0024", true);               // axbr %f2,%f4: 2 is not a pair designation
        t.run(1);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void sfasrSignalsAnEnabledFlag() {
        S390TestCpu t = cpu("b385 0010", true);               // sfasr %r1
        t.cpu.gpr[1] = 0x20200000;                            // overflow mask and overflow flag
        t.run(1);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(0x20, dxc(t));
        assertEquals(0x20002000, t.cpu.fpc);                  // masks loaded, flag not set, DXC in byte 2
    }

    /** MAX + a tiny value overflows when rounding up (the tiny addend must not be lost deciding it). */
    @Test
    void roundingUpPastMaxIsAnOverflow() {
        S390TestCpu t = cpu("b31a 0002", true);               // adbr %f0,%f2
        t.cpu.fpr[0] = d(Double.MAX_VALUE);
        t.cpu.fpr[2] = d(Double.MIN_VALUE);
        t.cpu.fpc = 2;                                        // toward +infinity
        t.run(1);
        assertEquals(d(Double.POSITIVE_INFINITY), t.cpu.fpr[0]);
        assertEquals(0x00280002, t.cpu.fpc);
    }
}
