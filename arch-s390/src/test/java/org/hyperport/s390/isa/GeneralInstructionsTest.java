package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.s390.cpu.Facilities;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390TestCpu;
import org.junit.jupiter.api.Test;

/**
 * Unit tests for what the qemu-s390x oracle cannot check: exceptions, 24/31-bit modes, the PSW, clock and facility
 * instructions, access registers, and the instructions where qemu-s390x 7.2 deviates from the Principles of
 * Operation (STMH, UNPK, CSST function code 0, the test-only RNSBG form) or lacks them (CVB, CVBG, CVDG).
 */
class GeneralInstructionsTest {

    static final long DATA = 0x2000;

    private static S390TestCpu cpu(String hex) {
        return new S390TestCpu().load(S390TestCpu.CODE, hex);
    }

    @Test
    void stmhStoresTheHighHalves() {
        S390TestCpu t = cpu("eb12 3000 0026");           // stmh %r1,%r2,0(%r3)
        t.cpu.gpr[1] = 0x1122334455667788L;
        t.cpu.gpr[2] = 0xaabbccdd00000000L;
        t.cpu.gpr[3] = DATA;
        t.run(1);
        assertEquals(0x11223344aabbccddL, t.ram.read64(DATA));
    }

    @Test
    void unpkUsesEverySourceDigitAndPadsWithZeroZones() {
        S390TestCpu t = cpu("f331 3000 3008");           // unpk 0(4,%r3),8(2,%r3)
        t.cpu.gpr[3] = DATA;
        t.load(DATA + 8, "123c");
        t.run(1);
        assertEquals(0xf0f1f2c3, t.ram.read32(DATA));
    }

    @Test
    void packPacksZonedDigits() {
        S390TestCpu t = cpu("f231 3000 3008");           // pack 0(4,%r3),8(2,%r3)
        t.cpu.gpr[3] = DATA;
        t.load(DATA + 8, "f1c2");
        t.run(1);
        assertEquals(0x0000012c, t.ram.read32(DATA));
    }

    @Test
    void csstFunctionCode0UnequalLoadsBits32To63OfR3() {
        S390TestCpu t = cpu("c862 4000 5000");           // csst 0(%r4),0(%r5),%r6
        t.cpu.gpr[0] = 0x200;                            // fc 0 (4 bytes), sc 2 (4-byte store)
        t.cpu.gpr[1] = DATA + 0x100;
        t.cpu.gpr[4] = DATA;
        t.cpu.gpr[5] = DATA + 0x40;
        t.cpu.gpr[6] = 0xaaaaaaaa11111111L;
        t.ram.write32(DATA, 0x22222222);
        t.run(1);
        assertEquals(1, t.cpu.cc);
        assertEquals(0xaaaaaaaa22222222L, t.cpu.gpr[6]);
    }

    @Test
    void csstFunctionCode0EqualStoresBothValues() {
        S390TestCpu t = cpu("c862 4000 5000");
        t.cpu.gpr[0] = 0x100;                            // fc 0, sc 1 (2-byte store)
        t.cpu.gpr[1] = DATA + 0x100;
        t.cpu.gpr[4] = DATA;
        t.cpu.gpr[5] = DATA + 0x40;
        t.cpu.gpr[6] = 0xaaaaaaaa11111111L;
        t.ram.write32(DATA, 0x11111111);
        t.ram.write32(DATA + 0x100, 0x33333333);
        t.ram.write16(DATA + 0x110, 0x4444);
        t.run(1);
        assertEquals(0, t.cpu.cc);
        assertEquals(0x33333333, t.ram.read32(DATA));
        assertEquals(0x4444, t.ram.read16(DATA + 0x40) & 0xffff);
        assertEquals(0xaaaaaaaa11111111L, t.cpu.gpr[6]);
    }

    @Test
    void rnsbgTestOnlySetsTheCcAndLeavesR1() {
        S390TestCpu t = cpu("ec12 a82f 0854");           // rnsbg %r1,%r2,0x80|40,47,8
        t.cpu.gpr[1] = 0x123456789a0f0000L;
        t.cpu.gpr[2] = 0xff00;
        t.run(1);
        assertEquals(1, t.cpu.cc);
        assertEquals(0x123456789a0f0000L, t.cpu.gpr[1]);
    }

    @Test
    void rnsbgAndsOnlyTheSelectedBits() {
        S390TestCpu t = cpu("ec12 282f 0854");           // rnsbg %r1,%r2,40,47,8
        t.cpu.gpr[1] = 0x123456789a0f0000L;
        t.cpu.gpr[2] = 0xf000;
        t.run(1);
        assertEquals(0, t.cpu.cc);
        assertEquals(0x123456789a000000L, t.cpu.gpr[1]);
    }

    @Test
    void selectedBitsMaskWrapsPastBit63() {
        assertEquals(0xffffe01fffffffffL, SelectedBits.mask(27, 18));
        assertEquals(0x0000000000ff0000L, SelectedBits.mask(40, 47));
        assertEquals(-1L, SelectedBits.mask(0, 63));
        assertEquals(0x8000000000000001L, SelectedBits.mask(63, 0));
    }

    @Test
    void cvbConvertsANegativePackedNumber() {
        S390TestCpu t = cpu("4f10 3000");                // cvb %r1,0(%r3)
        t.cpu.gpr[1] = 0x5555555500000000L;
        t.cpu.gpr[3] = DATA;
        t.load(DATA, "0000 0000 0012 345d");
        t.run(1);
        assertEquals(0x55555555ffffcfc7L, t.cpu.gpr[1]);
    }

    @Test
    void cvbWithAnInvalidSignIsADataException() {
        S390TestCpu t = cpu("4f10 3000");
        t.cpu.gpr[3] = DATA;
        t.load(DATA, "0000 0000 0012 3455");
        t.run(2);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(0, t.ram.read32(S390Interpreter.LC_DXC));
    }

    @Test
    void cvbBeyond32BitsIsAFixedPointDivideException() {
        S390TestCpu t = cpu("4f10 3000");
        t.cpu.gpr[1] = 7;
        t.cpu.gpr[3] = DATA;
        t.load(DATA, "0000 0214 7483 648c");         // +2147483648
        t.run(2);
        assertEquals(ProgramInterruption.FIXED_POINT_DIVIDE, t.programCode());
        assertEquals(7, t.cpu.gpr[1]);
    }

    @Test
    void cvbgAndCvdgRoundTripTheMostNegativeValue() {
        S390TestCpu t = cpu("e310 3000 002e e320 3000 000e"); // cvdg %r1,0(%r3); cvbg %r2,0(%r3)
        t.cpu.gpr[1] = Long.MIN_VALUE;
        t.cpu.gpr[3] = DATA;
        t.run(2);
        assertEquals(0x0000000000009223L, t.ram.read64(DATA));
        assertEquals(0x372036854775808dL, t.ram.read64(DATA + 8));
        assertEquals(Long.MIN_VALUE, t.cpu.gpr[2]);
    }

    @Test
    void sam31ThenTamReportsThe31BitMode() {
        S390TestCpu t = cpu("010d 010b");                // sam31; tam
        t.run(2);
        assertEquals(31, t.cpu.addressingMode());
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void sam24AboveSixteenMegabytesIsASpecificationException() {
        S390TestCpu t = new S390TestCpu(32 << 20);
        t.load(0x1000000, "010c");
        t.cpu.setPsw(S390TestCpu.PSW_64, 0x1000000);
        t.run(2);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void epswSplitsThePswIntoTwoLowHalves() {
        S390TestCpu t = cpu("b98d 0012");                // epsw %r1,%r2
        t.cpu.gpr[1] = 0x1111111100000000L;
        t.cpu.cc = 2;
        long psw = t.cpu.psw();
        t.run(1);
        assertEquals(0x1111111100000000L | (psw >>> 32), t.cpu.gpr[1]);
        assertEquals(psw & 0xffffffffL, t.cpu.gpr[2]);
    }

    @Test
    void stfleStoresTheFacilityListAndTheDoublewordCount() {
        S390TestCpu t = cpu("b2b0 3000");                // stfle 0(%r3)
        t.cpu.gpr[3] = DATA;
        t.cpu.gpr[0] = Facilities.doublewords() - 1;
        t.run(1);
        for (int k = 0; k < Facilities.doublewords(); k++) {
            assertEquals(Facilities.doubleword(k), t.ram.read64(DATA + 8L * k));
        }
        assertEquals(Facilities.doublewords() - 1, t.cpu.gpr[0]);
        assertEquals(0, t.cpu.cc);
        assertTrue((t.ram.read64(DATA) & (1L << (63 - 45))) != 0, "facility 45 (z196)");
    }

    @Test
    void stfleWithTooShortABufferStoresWhatFitsAndSetsCc3() {
        S390TestCpu t = cpu("b2b0 3000");                // stfle 0(%r3)
        t.cpu.gpr[3] = DATA;
        t.cpu.gpr[0] = 0;
        t.run(1);
        assertEquals(Facilities.doubleword(0), t.ram.read64(DATA));
        assertEquals(0, t.ram.read64(DATA + 8), "only one doubleword stored");
        assertEquals(Facilities.doublewords() - 1, t.cpu.gpr[0]);
        assertEquals(3, t.cpu.cc);
    }

    @Test
    void stckAndStckeStoreTheTodClock() {
        S390TestCpu t = cpu("b205 3000 b278 3010");      // stck 0(%r3); stcke 16(%r3)
        t.cpu.gpr[3] = DATA;
        t.tod = 0x0123456789abcdefL;
        t.cpu.todpr = 0xbeef;
        t.run(2);
        assertEquals(0x0123456789abcdefL, t.ram.read64(DATA));
        assertEquals(0x000123456789abcdL, t.ram.read64(DATA + 16));
        assertEquals(0xef0000000000beefL, t.ram.read64(DATA + 24));
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void trapWithoutATrapControlBlockIsASpecialOperationException() {
        S390TestCpu t = cpu("01ff");
        t.run(2);
        assertEquals(ProgramInterruption.SPECIAL_OPERATION, t.programCode());
    }

    @Test
    void bassmTo31BitModeLinksWithBit63() {
        S390TestCpu t = cpu("0ce5");                     // bassm %r14,%r5
        t.cpu.gpr[5] = 0x80020000L;
        t.run(1);
        assertEquals((S390TestCpu.CODE + 2) | 1, t.cpu.gpr[14]);
        assertEquals(31, t.cpu.addressingMode());
        assertEquals(0x20000, t.cpu.pswAddr);
    }

    @Test
    void bsmTo64BitModeBranchesToTheEvenAddress() {
        S390TestCpu t = cpu("0be5");                     // bsm %r14,%r5
        t.cpu.setPsw(S390CpuState.PSW_BA, S390TestCpu.CODE);
        t.cpu.gpr[14] = 0x1234567800000000L;
        t.cpu.gpr[5] = 0x30001;
        t.run(1);
        assertEquals(0x1234567880000000L, t.cpu.gpr[14], "31-bit mode: bit 32 of R1 is set");
        assertEquals(64, t.cpu.addressingMode());
        assertEquals(0x30000, t.cpu.pswAddr);
    }

    @Test
    void laeInPrimaryModeClearsTheAccessRegister() {
        S390TestCpu t = cpu("5112 3010");                // lae %r1,16(%r2,%r3)
        t.cpu.gpr[2] = 0x100;
        t.cpu.gpr[3] = 0x200;
        t.cpu.ar[1] = 99;
        t.run(1);
        assertEquals(0x310, t.cpu.gpr[1]);
        assertEquals(0, t.cpu.ar[1]);
    }

    @Test
    void accessRegistersRoundTrip() {
        // sar %a4,%r1; ear %r2,%a4; stam %a0,%a3,0(%r3); lam %a0,%a3,0(%r3)
        S390TestCpu t = cpu("b24e 0041 b24f 0024 9b03 3000 9a03 3000");
        t.cpu.gpr[1] = 0xffffffff87654321L;
        t.cpu.gpr[2] = 0x1111111100000000L;
        t.cpu.gpr[3] = DATA;
        t.cpu.ar[0] = 1;
        t.cpu.ar[3] = 4;
        t.run(3);
        assertEquals(0x87654321, t.cpu.ar[4]);
        assertEquals(0x1111111187654321L, t.cpu.gpr[2]);
        assertEquals(0x0000000100000000L, t.ram.read64(DATA));
        t.cpu.ar[0] = 0;
        t.run(1);
        assertEquals(1, t.cpu.ar[0]);
        assertEquals(4, t.cpu.ar[3]);
    }

    @Test
    void divideByZeroIsSuppressed() {
        S390TestCpu t = cpu("1d24");                     // dr %r2,%r4
        t.cpu.gpr[2] = 5;
        t.cpu.gpr[3] = 6;
        t.run(2);
        assertEquals(ProgramInterruption.FIXED_POINT_DIVIDE, t.programCode());
        assertEquals(S390TestCpu.CODE + 2, t.programOldAddr());
        assertEquals(5, t.cpu.gpr[2]);
        assertEquals(6, t.cpu.gpr[3]);
    }

    @Test
    void divideQuotientBeyond32BitsIsAFixedPointDivideException() {
        S390TestCpu t = cpu("1d24");
        t.cpu.gpr[2] = 1;                                // dividend 2^32
        t.cpu.gpr[3] = 0;
        t.cpu.gpr[4] = 1;
        t.run(2);
        assertEquals(ProgramInterruption.FIXED_POINT_DIVIDE, t.programCode());
    }

    @Test
    void oddRegisterPairIsASpecificationException() {
        S390TestCpu t = cpu("1d14");                     // dr %r1,%r4
        t.cpu.gpr[4] = 1;
        t.run(2);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void misalignedCompareAndSwapIsASpecificationException() {
        S390TestCpu t = cpu("ba12 3002");                // cs %r1,%r2,2(%r3)
        t.cpu.gpr[3] = DATA;
        t.run(2);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void misalignedRelativeLongLoadIsASpecificationException() {
        S390TestCpu t = cpu("c418 0000 0006");           // lgrl %r1,.+12 (a word, not a doubleword, boundary)
        t.run(2);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void slaOverflowStoresTheResultThenInterruptsWhenEnabled() {
        S390TestCpu t = cpu("8b10 0001");                // sla %r1,1
        t.cpu.gpr[1] = 0x40000000;
        t.cpu.pswMask |= (long) S390CpuState.PM_FIXED_OVERFLOW << S390CpuState.PSW_PROGRAM_MASK_SHIFT;
        t.run(2);
        assertEquals(ProgramInterruption.FIXED_POINT_OVERFLOW, t.programCode());
        assertEquals(S390TestCpu.CODE + 4, t.programOldAddr());
        assertEquals(0, t.cpu.gpr[1]);
    }

    @Test
    void slaKeepsTheSignAndShiftsOnlyNumericBits() {
        S390TestCpu t = cpu("8b10 0004");                // sla %r1,4
        t.cpu.gpr[1] = 0xfffffffff8000001L;
        t.run(1);
        assertEquals(0xffffffff80000010L, t.cpu.gpr[1]);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void compareAndTrapIsADataExceptionWithDxcFF() {
        S390TestCpu t = cpu("b972 8012");                // crte %r1,%r2
        t.cpu.gpr[1] = 3;
        t.cpu.gpr[2] = 0x7700000003L;
        t.run(2);
        assertEquals(ProgramInterruption.DATA, t.programCode());
        assertEquals(0xff, t.ram.read32(S390Interpreter.LC_DXC));
    }

    @Test
    void loadAddressIn24And31BitModes() {
        S390TestCpu t = cpu("4112 3000 4112 3000");      // la %r1,0(%r2,%r3) twice
        t.cpu.setPsw(S390CpuState.PSW_BA, S390TestCpu.CODE);
        t.cpu.gpr[1] = -1L;
        t.cpu.gpr[2] = 0x92345678L;
        t.run(1);
        assertEquals(0xffffffff12345678L, t.cpu.gpr[1]);
        t.cpu.setPsw(0, S390TestCpu.CODE + 4);
        t.run(1);
        assertEquals(0xffffffff00345678L, t.cpu.gpr[1]);
    }

    @Test
    void branchAndLinkIn24BitModeSavesIlcCcAndProgramMask() {
        S390TestCpu t = cpu("45e0 3000");                // bal %r14,0(%r3)
        t.cpu.setPsw(((long) 8 << S390CpuState.PSW_PROGRAM_MASK_SHIFT), S390TestCpu.CODE);
        t.cpu.cc = 2;
        t.cpu.gpr[14] = 0x5555555500000000L;
        t.cpu.gpr[3] = 0x3000;
        t.run(1);
        assertEquals(0x55555555a8010004L, t.cpu.gpr[14]);
        assertEquals(0x3000, t.cpu.pswAddr);
    }

    @Test
    void supervisorCallStoresItsNumberAndPointsPastIt() {
        S390TestCpu t = cpu("0a4d");                     // svc 77
        t.run(2);
        assertEquals(77, t.ram.read16(S390Interpreter.LC_SVC_CODE) & 0xffff);
        assertEquals(S390TestCpu.CODE + 2, t.ram.read64(S390Interpreter.LC_SVC_OLD + 8));
    }

    @Test
    void mvclWithDestructiveOverlapSetsCc3AndMovesNothing() {
        S390TestCpu t = cpu("0e24");                     // mvcl %r2,%r4
        t.cpu.gpr[2] = DATA + 1;
        t.cpu.gpr[3] = 16;
        t.cpu.gpr[4] = DATA;
        t.cpu.gpr[5] = 16;
        t.ram.write64(DATA, 0x0102030405060708L);
        t.run(1);
        assertEquals(3, t.cpu.cc);
        assertEquals(0x0102030405060708L, t.ram.read64(DATA));
        assertEquals(16, t.cpu.gpr[3]);
    }

    @Test
    void ecagSummaryReportsNoCaches() {
        S390TestCpu t = cpu("eb10 0000 004c");           // ecag %r1,%r0,0
        t.cpu.gpr[1] = 5;
        t.run(1);
        assertEquals(0, t.cpu.gpr[1]);
        assertFalse(t.waiting());
    }

    @Test
    void mvcleEndsWithCc3AfterAPageAndCompletesWhenReExecuted() {
        S390TestCpu t = cpu("a824 00aa");                // mvcle %r2,%r4,0xaa
        t.cpu.gpr[2] = DATA;
        t.cpu.gpr[3] = 5000;
        t.cpu.gpr[4] = 0x8000;
        t.cpu.gpr[5] = 0;
        t.run(1);
        assertEquals(3, t.cpu.cc);
        assertEquals(DATA + 4096, t.cpu.gpr[2]);
        assertEquals(5000 - 4096, t.cpu.gpr[3]);
        t.cpu.pswAddr = S390TestCpu.CODE;
        t.run(1);
        assertEquals(2, t.cpu.cc, "first operand longer: the rest is padding");
        assertEquals(0, t.cpu.gpr[3]);
        assertEquals(0xaa, t.ram.read8(DATA + 4999) & 0xff);
    }

    /** Runs one SS decimal instruction on op1 at DATA and op2 at DATA+16; returns op1's first four bytes. */
    private static S390TestCpu decimal(String insn, String op1, String op2) {
        S390TestCpu t = cpu(insn);
        t.cpu.gpr[3] = DATA;
        t.load(DATA, op1);
        t.load(DATA + 16, op2);
        t.run(1);
        return t;
    }

    @Test
    void addDecimalOfOppositeSigns() {
        S390TestCpu t = decimal("fa21 3000 3010", "00123c", "456d");     // ap 0(3),16(2): 123 + -456
        assertEquals(0x00333d00, t.ram.read32(DATA) & 0xffffff00);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void addDecimalOverflowKeepsTheLowDigitsAndSetsCc3() {
        S390TestCpu t = decimal("fa21 3000 3010", "99999c", "001c");
        assertEquals(0x00000c00, t.ram.read32(DATA) & 0xffffff00);
        assertEquals(3, t.cpu.cc);
    }

    @Test
    void subtractDecimalToZeroIsPositiveZero() {
        S390TestCpu t = decimal("fb21 3000 3010", "00123d", "123d");
        assertEquals(0x00000c00, t.ram.read32(DATA) & 0xffffff00);
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void zeroAndAddIgnoresTheFirstOperandsContents() {
        S390TestCpu t = decimal("f821 3000 3010", "ffffff", "456d");
        assertEquals(0x00456d00, t.ram.read32(DATA) & 0xffffff00);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void compareDecimalTreatsMinusZeroAsZero() {
        S390TestCpu t = decimal("f921 3000 3010", "00000c", "000d");
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void multiplyDecimal() {
        S390TestCpu t = decimal("fc31 3000 3010", "0000123c", "045d");   // 123 * -45
        assertEquals(0x0005535d, t.ram.read32(DATA));
    }

    @Test
    void divideDecimalPlacesQuotientThenRemainder() {
        S390TestCpu t = decimal("fd31 3000 3010", "0001234c", "010c");   // 1234 / 10
        assertEquals(0x123c004c, t.ram.read32(DATA));
    }

    @Test
    void divideDecimalByZeroIsADecimalDivideException() {
        S390TestCpu t = cpu("fd31 3000 3010");
        t.cpu.gpr[3] = DATA;
        t.load(DATA, "0001234c");
        t.load(DATA + 16, "000c");
        t.run(2);
        assertEquals(ProgramInterruption.DECIMAL_DIVIDE, t.programCode());
    }

    @Test
    void shiftAndRoundDecimal() {
        S390TestCpu t = decimal("f020 3000 0002", "00123c", "");       // srp 0(3),2,0: 123 -> 12300
        assertEquals(0x12300c00, t.ram.read32(DATA) & 0xffffff00);
        assertEquals(2, t.cpu.cc);
        S390TestCpu u = decimal("f025 3000 003f", "00125d", "");       // srp 0(3),-1,5: -125 -> -13
        assertEquals(0x00013d00, u.ram.read32(DATA) & 0xffffff00);
        assertEquals(1, u.cpu.cc);
    }

    private static final String EDIT_PATTERN = "4020 2021 204b 2020 20c3 d9";   // " dd(d.ddd" then "CR"

    @Test
    void editANegativeAmountKeepsTheCreditSymbol() {
        S390TestCpu t = decimal("de0a 3000 3010", EDIT_PATTERN, "0012 345d"); // ed 0(11,%r3),16(%r3)
        assertEquals(0x404040f1f24bf3f4L, t.ram.read64(DATA));
        assertEquals(0xf5c3d9, t.ram.read32(DATA + 8) >>> 8);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void editAPositiveAmountBlanksTheCreditSymbol() {
        S390TestCpu t = decimal("de0a 3000 3010", EDIT_PATTERN, "0012 345c");
        assertEquals(0xf54040, t.ram.read32(DATA + 8) >>> 8);
        assertEquals(2, t.cpu.cc);
    }

    @Test
    void editZeroUnderASignificanceStarter() {
        S390TestCpu t = decimal("de0a 3000 3010", EDIT_PATTERN, "0000 000c");
        assertEquals(0x40404040f04bf0f0L, t.ram.read64(DATA));
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void editAndMarkPointsGr1AtTheFirstSignificantDigit() {
        S390TestCpu t = cpu("df0a 3000 3010");
        t.cpu.gpr[3] = DATA;
        t.cpu.gpr[1] = 0x77;
        t.load(DATA, EDIT_PATTERN);
        t.load(DATA + 16, "0012 345d");
        t.run(1);
        assertEquals(DATA + 3, t.cpu.gpr[1]);
    }

    @Test
    void divideDecimalWithAQuotientBeyond64Bits() {
        // dp 0(16,%r3),16(1,%r3): 28 nines / 7 = 1428571428571428571428571428 remainder 3, a 28-digit quotient.
        S390TestCpu t = cpu("fdf0 3000 3010");
        t.cpu.gpr[3] = DATA;
        t.load(DATA, "0009 9999 9999 9999 9999 9999 9999 999c".replace(" ", ""));
        t.load(DATA + 16, "7c");
        t.run(1);
        assertEquals(0x0142857142857142L, t.ram.read64(DATA));
        assertEquals(0x8571428571428c3cL, t.ram.read64(DATA + 8));
    }

    @Test
    void packAsciiUsesEveryCharacterOfAShortOperand() {
        S390TestCpu t = cpu("e902 3000 3020");           // pka 0(%r3),32(3,%r3)
        t.cpu.gpr[3] = DATA;
        t.load(DATA + 32, "313233");
        t.run(1);
        assertEquals(0, t.ram.read64(DATA));
        assertEquals(0x000000000000123cL, t.ram.read64(DATA + 8));
    }

    @Test
    void unpackUnicodeWritesTwoByteDigitsAndTheSignCc() {
        S390TestCpu t = cpu("e205 3000 3020");           // unpku 0(6,%r3),32(%r3)
        t.cpu.gpr[3] = DATA;
        t.load(DATA + 32, "0000 0000 0000 0000 0000 0000 0000 123d".replace(" ", ""));
        t.run(1);
        assertEquals(0x003100320033L, t.ram.read64(DATA) >>> 16);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void translateOneToTwoStopsAtTheTwoByteTestCharacter() {
        S390TestCpu t = cpu("b992 0024");                // trot %r2,%r4
        t.cpu.gpr[0] = 0x1234;
        t.cpu.gpr[1] = DATA;                             // table: entry k = 0x1200 + k, entry 3 = 0x1234
        for (int k = 0; k < 8; k++) {
            t.ram.write16(DATA + 2L * k, k == 3 ? 0x1234 : 0x1200 + k);
        }
        t.cpu.gpr[2] = DATA + 0x100;
        t.cpu.gpr[3] = 3;
        t.cpu.gpr[4] = DATA + 0x80;
        t.load(DATA + 0x80, "010503");
        t.run(1);
        assertEquals(1, t.cpu.cc);
        assertEquals(0x12011205, t.ram.read32(DATA + 0x100));
        assertEquals(1, t.cpu.gpr[3]);
        assertEquals(DATA + 0x82, t.cpu.gpr[4]);
    }
}
