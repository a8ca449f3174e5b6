package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The x87 register stack, control instructions, exception delivery and the double-precision transcendental
 * instructions, from raw instruction bytes; memory operands are [rdi] = {@code DATA}. Arithmetic, comparisons,
 * loads and stores are checked bit for bit against the host CPU by {@link FpuOracleTest}.
 */
class FpuInstructionsTest {

    static final long DATA = FpTestMachine.DATA;
    static final String ONE = "3fff:8000000000000000", ZERO = "0000:0000000000000000",
            INDEFINITE = "ffff:c000000000000000";

    final FpTestMachine m = new FpTestMachine();

    @BeforeEach
    void setUp() {
        m.cpu.gpr[X86CpuState.RDI] = DATA;
        m.run("DB E3");                                             // fninit
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    /** Pushes {@code v} with FLD m64. */
    private void push(double v) {
        m.ram.write64(DATA + 256, Double.doubleToRawLongBits(v));
        m.run("DD 87 00 01 00 00");                                 // fld qword [rdi+256]
    }

    private double st(int i) {
        return Float80.toDouble(m.cpu.st[2 * i], (int) m.cpu.st[2 * i + 1]);
    }

    // ---- The stack ----------------------------------------------------------------------------------------------

    @Test
    void fld1Fld1FaddpFsqrtIsTheSquareRootOfTwo() {
        m.run("D9 E8");                                             // fld1
        m.run("D9 E8");
        m.run("DE C1");                                             // faddp st(1), st(0)
        m.run("D9 FA");                                             // fsqrt

        assertEquals("3fff:b504f333f9de6484", m.st(0));
        assertEquals(7, m.top());
        assertEquals(0x80, m.cpu.ftw);
        assertEquals((7 << 11) | FpArith.PE, m.cpu.fsw);
    }

    @Test
    void aNinthPushOverflowsTheStackAndLoadsTheIndefinite() {
        for (int k = 0; k < 8; k++) {
            m.run("D9 E8");
        }

        m.run("D9 EE");                                             // fldz

        assertEquals(INDEFINITE, m.st(0));
        assertEquals(FpArith.IE | FpuInstructions.FSW_SF | FpuInstructions.C1, m.cpu.fsw & 0x3fff & ~0x3800);
        assertEquals(0xff, m.cpu.ftw);
    }

    @Test
    void anEmptySourceWithSt7InUseReportsTheUnderflow() {
        m.run("D9 E8");                                             // fld1: TOP=7, physical 7 valid
        m.cpu.ftw |= 1 << 6;                                        // ST(7) = physical 6 in use, ST(1) empty

        m.run("D9 C1");                                             // fld st(1)

        // Found by the opcode-map lock-step against the host CPU: the source underflow wins, C1 = 0.
        assertEquals(FpArith.IE | FpuInstructions.FSW_SF, m.cpu.fsw & 0x3fff & ~0x3800);
    }

    @Test
    void fxchFfreeAndFincstp() {
        m.run("D9 E8");                                             // fld1
        m.run("D9 EE");                                             // fldz

        m.run("D9 C9");                                             // fxch st(1)
        String afterFxch = m.st(0) + " " + m.st(1);
        m.run("DD C1");                                             // ffree st(1)
        m.run("D9 F7");                                             // fincstp

        assertEquals(ONE + " " + ZERO, afterFxch);
        assertEquals(7, m.top());
        assertEquals(0x40, m.cpu.ftw);                             // R6 (old ST0) still valid, R7 freed
    }

    @Test
    void fcmovbMovesWhenCarryIsSet() {
        push(2.0);
        push(1.0);
        m.cpu.rflags = 2 | SseInstructions.CF;

        m.run("DA C1");                                             // fcmovb st(0), st(1)

        assertEquals(2.0, st(0));
    }

    @Test
    void fxamClassifiesSt0() {
        push(-0.0);
        m.run("D9 E5");                                             // fxam
        int zero = m.cpu.fsw & (FpuInstructions.C3 | FpuInstructions.C2 | FpuInstructions.C1 | FpuInstructions.C0);
        m.run("DD D8");                                             // fstp st(0)
        m.run("D9 E5");
        int empty = m.cpu.fsw & (FpuInstructions.C3 | FpuInstructions.C2 | FpuInstructions.C0);
        push(Double.POSITIVE_INFINITY);
        m.run("D9 E5");
        int inf = m.cpu.fsw & (FpuInstructions.C3 | FpuInstructions.C2 | FpuInstructions.C1 | FpuInstructions.C0);

        assertEquals(FpuInstructions.C3 | FpuInstructions.C1, zero);
        assertEquals(FpuInstructions.C3 | FpuInstructions.C0, empty);
        assertEquals(FpuInstructions.C2 | FpuInstructions.C0, inf);
    }

    // ---- Loads, stores and conversions ---------------------------------------------------------------------------

    @Test
    void fldM32AndFstpM64() {
        m.ram.write32(DATA, Float.floatToRawIntBits(1.5f));

        m.run("D9 07");                                             // fld dword [rdi]
        m.run("DD 5F 08");                                          // fstp qword [rdi+8]

        assertEquals(Double.doubleToRawLongBits(1.5), m.ram.read64(DATA + 8));
        assertEquals(0, m.cpu.ftw);
    }

    @Test
    void fistpRoundsToEvenAndFisttpTruncates() {
        push(2.5);
        m.run("DF 3F");                                             // fistp qword [rdi]
        long rounded = m.ram.read64(DATA);
        push(-2.75);
        m.run("DD 0F");                                             // fisttp qword [rdi]

        assertEquals(2, rounded);
        assertEquals(-2, m.ram.read64(DATA));
    }

    @Test
    void fildM16AndFistM16OutOfRange() {
        m.ram.write16(DATA, 0xfff6);                               // -10
        m.run("DF 07");                                             // fild word [rdi]
        double loaded = st(0);
        push(40000.0);

        m.run("DF 17");                                             // fist word [rdi]

        assertEquals(-10.0, loaded);
        assertEquals(0x8000, m.ram.read16(DATA));
        assertEquals(FpArith.IE, m.cpu.fsw & 0x3f);
    }

    @Test
    void fbstpAndFbldRoundTripEighteenDigits() {
        m.ram.write64(DATA + 16, 0x1234_5678_9012_3456L);
        m.ram.write16(DATA + 24, 0x8012);                          // sign and the top two digits
        m.run("DF 67 10");                                          // fbld tbyte [rdi+16]
        double loaded = st(0);

        m.run("DF 37");                                             // fbstp tbyte [rdi]

        assertEquals(-121_234_567_890_123_456.0, loaded, 64.0);
        assertEquals(0x1234_5678_9012_3456L, m.ram.read64(DATA));
        assertEquals(0x8012, m.ram.read16(DATA + 8));
        assertEquals(0, m.cpu.ftw);
    }

    @Test
    void constantsRoundPerRc() {
        m.run("D9 EB");                                             // fldpi (round to nearest)
        String nearest = m.st(0);
        m.cpu.fcw = 0x37f | (FpArith.RZ << 10);
        m.run("D9 EB");

        assertEquals("4000:c90fdaa22168c235", nearest);
        assertEquals("4000:c90fdaa22168c234", m.st(0));
    }

    @Test
    void precisionControlRoundsTheSignificand() {
        m.cpu.fcw = 0x007f;                                         // PC = 24 bits
        m.run("D9 E8");                                             // fld1
        push(3.0);

        m.run("DE F9");                                             // fdivp st(1), st(0): 1/3

        assertEquals("3ffd:aaaaab0000000000", m.st(0));
        assertEquals(FpuInstructions.C1, m.cpu.fsw & FpuInstructions.C1);
    }

    @Test
    void fpremReportsTheLowQuotientBits() {
        push(2.0);
        push(7.0);

        m.run("D9 F8");                                             // fprem: 7 = 3 * 2 + 1

        assertEquals(1.0, st(0));
        assertEquals(FpuInstructions.C3 | FpuInstructions.C1,
                m.cpu.fsw & (FpuInstructions.C3 | FpuInstructions.C2 | FpuInstructions.C1 | FpuInstructions.C0));
    }

    @Test
    void fcomiSetsTheStatusFlags() {
        m.run("D9 E8");                                             // fld1
        m.run("D9 EE");                                             // fldz
        m.cpu.rflags = 2 | SseInstructions.OF | SseInstructions.ZF;

        m.run("DB F1");                                             // fcomi st(0), st(1): 0 < 1

        assertEquals(2 | SseInstructions.CF, m.cpu.rflags);
    }

    @Test
    void theInstructionAndDataPointersAreRecorded() {
        m.ram.write64(DATA + 32, Double.doubleToRawLongBits(1.0));
        m.run("D9 E8");

        m.run("DC 47 20");                                          // fadd qword [rdi+32]

        assertEquals(FpTestMachine.CODE, m.cpu.fip);
        assertEquals(DATA + 32, m.cpu.fdp);
        assertEquals(0x447, m.cpu.fop);
        assertEquals(2.0, st(0));
    }

    // ---- Control and exceptions ---------------------------------------------------------------------------------

    @Test
    void fninitResetsControlStatusAndTags() {
        m.run("D9 E8");
        m.cpu.fcw = 0;

        m.run("DB E3");

        assertEquals(0x37f, m.cpu.fcw);
        assertEquals(0, m.cpu.fsw);
        assertEquals(0, m.cpu.ftw);
    }

    @Test
    void fnstswAxAndFnstcwFldcw() {
        m.run("D9 E8");
        m.ram.write16(DATA, 0x0c7f);

        m.run("DF E0");                                             // fnstsw ax
        m.run("D9 2F");                                             // fldcw [rdi]
        m.run("D9 7F 02");                                          // fnstcw [rdi+2]

        assertEquals(7 << 11, m.cpu.gpr[X86CpuState.RAX] & 0xffff);
        assertEquals(0x0c7f, m.ram.read16(DATA + 2));
    }

    @Test
    void anUnmaskedExceptionIsPendingUntilTheNextWaitingInstruction() {
        m.cpu.fcw = 0x37f & ~FpArith.ZE;
        m.run("D9 E8");                                             // fld1
        m.run("D9 EE");                                             // fldz

        int div = m.run("DE F9");                                   // fdivp: 1/0, unmasked ZE
        String unchanged = m.st(0) + " " + m.st(1);
        int next = m.run("D9 E8");                                  // fld1: #MF
        int fnstsw = m.run("DF E0");                                // fnstsw ax: no wait, no #MF
        m.run("DB E2");                                             // fnclex
        int after = m.run("D9 E8");

        assertEquals(-1, div);
        assertEquals(ZERO + " " + ONE, unchanged);
        assertEquals(CpuFault.MF, next);
        assertEquals(-1, fnstsw);
        assertEquals(FpArith.ZE | FpuInstructions.FSW_ES | FpuInstructions.FSW_B,
                m.cpu.gpr[X86CpuState.RAX] & (0x3f | FpuInstructions.FSW_ES | FpuInstructions.FSW_B));
        assertEquals(-1, after);
    }

    @Test
    void fwaitRaisesMfForAPendingExceptionAndNmForMpWithTs() {
        m.cpu.fsw = FpArith.IE | FpuInstructions.FSW_ES | FpuInstructions.FSW_B;
        int pending = m.run("9B");                                  // fwait
        m.cpu.fsw = 0;
        m.cpu.cr0 |= SseInstructions.CR0_TS;
        int ts = m.run("9B");

        assertEquals(CpuFault.MF, pending);
        assertEquals(CpuFault.NM, ts);
    }

    @Test
    void x87WithCr0TsOrEmIsNm() {
        m.cpu.cr0 |= SseInstructions.CR0_TS;
        int ts = m.run("D9 E8");
        m.cpu.cr0 = (m.cpu.cr0 & ~SseInstructions.CR0_TS) | SseInstructions.CR0_EM;
        int em = m.run("DB E3");

        assertEquals(CpuFault.NM, ts);
        assertEquals(CpuFault.NM, em);
    }

    @Test
    void fnstenvMasksExceptionsAndFldenvRestores() {
        m.cpu.fcw = 0x0360;
        m.run("D9 E8");                                             // fld1
        m.run("D9 EE");                                             // fldz

        m.run("D9 37");                                             // fnstenv [rdi]
        int fcwAfter = m.cpu.fcw;
        m.run("DB E3");                                             // fninit
        m.run("D9 27");                                             // fldenv [rdi]

        assertEquals(0xffff_0360L, m.ram.read32(DATA) & 0xffff_ffffL);
        assertEquals(0xffff_0000L | (6 << 11), m.ram.read32(DATA + 4) & 0xffff_ffffL);
        assertEquals(0xffff_1fffL, m.ram.read32(DATA + 8) & 0xffff_ffffL);
        assertEquals(0x37f, fcwAfter);
        assertEquals(0x0360, m.cpu.fcw);
        assertEquals(6, m.top());
        assertEquals(0xc0, m.cpu.ftw);
    }

    @Test
    void fnstenvWith16BitOperandsWritesFourteenBytes() {
        m.run("D9 E8");                                             // fld1
        m.ram.write64(DATA + 8, -1);

        m.run("66 D9 37");                                          // fnstenv [rdi], 16-bit layout

        assertEquals(0x037f, m.ram.read16(DATA));
        assertEquals(7 << 11, m.ram.read16(DATA + 2));
        assertEquals(0x3fff, m.ram.read16(DATA + 4));
        assertEquals(0xffff, m.ram.read16(DATA + 14));             // beyond the image: untouched
    }

    @Test
    void fnsaveReinitialisesAndFrstorRestoresTheRegisters() {
        m.run("D9 E8");                                             // fld1
        m.run("D9 EE");                                             // fldz

        m.run("DD 37");                                             // fnsave [rdi]
        int ftwAfterSave = m.cpu.ftw;
        m.run("DD 27");                                             // frstor [rdi]

        assertEquals(0, ftwAfterSave);
        assertEquals(0, m.ram.read64(DATA + 28));                  // ST0 = +0.0 at offset 28
        assertEquals(Long.MIN_VALUE, m.ram.read64(DATA + 38));     // ST1 = 1.0
        assertEquals(ZERO + " " + ONE, m.st(0) + " " + m.st(1));
        assertEquals(0xc0, m.cpu.ftw);
    }

    // ---- Transcendental instructions (extended precision; expected values from this host's x87) ---------------

    /** Loads the 80-bit value {@code se:sig} with FLD m80. */
    private void pushRaw(int se, long sig) {
        m.ram.write64(DATA + 256, sig);
        m.ram.write16(DATA + 264, se);
        m.run("DB AF 00 01 00 00");                                 // fld tword [rdi+256]
    }

    private void fcw(int fcw) {
        m.ram.write16(DATA + 272, fcw);
        m.run("D9 AF 10 01 00 00");                                 // fldcw [rdi+272]
    }

    @Test
    void transcendentalsOfOrdinaryOperandsAreRoundedOnceAt64Bits() {
        pushRaw(0x3fff, Long.MIN_VALUE);
        m.run("D9 FE");                                             // fsin 1
        String sin1 = m.st(0);
        int fswSin = m.cpu.fsw & (FpuInstructions.C1 | 0x3f);
        pushRaw(0x3fff, Long.MIN_VALUE);
        m.run("D9 FF");                                             // fcos 1
        String cos1 = m.st(0);
        pushRaw(0x3ffe, Long.MIN_VALUE);
        m.run("D9 F2");                                             // fptan 0.5 (tan 1 is 0.1 ulp from a midpoint:
        String tan1 = m.st(1);                                      // the host's ...dc6 is not correctly rounded)
        m.run("DB E3");
        pushRaw(0x3ffe, Long.MIN_VALUE);
        m.run("D9 FB");                                             // fsincos 0.5
        String sincos = m.st(1) + " " + m.st(0);
        pushRaw(0x3ffe, Long.MIN_VALUE);
        m.run("D9 F0");                                             // f2xm1 0.5
        String exp = m.st(0);
        m.run("DB E3");
        pushRaw(0x4000, 0xc000000000000000L);                       // y = 3
        pushRaw(0x4002, 0xa000000000000000L);                       // x = 10
        m.run("D9 F1");                                             // fyl2x
        String log = m.st(0);
        pushRaw(0x3fff, Long.MIN_VALUE);                            // y = 1
        pushRaw(0x3ffd, Long.MIN_VALUE);                            // x = 0.25
        m.run("D9 F9");                                             // fyl2xp1
        String logp1 = m.st(0);
        pushRaw(0x3fff, Long.MIN_VALUE);                            // y = 1
        pushRaw(0x4000, Long.MIN_VALUE);                            // x = 2
        m.run("D9 F3");                                             // fpatan
        String atan = m.st(0);

        assertEquals("3ffe:d76aa47848677021", sin1);
        assertEquals(FpuInstructions.C1 | FpArith.PE, fswSin);
        assertEquals("3ffe:8a51407da8345c92", cos1);
        assertEquals("3ffe:8bda7adf9a3a5219", tan1);
        assertEquals("3ffd:f57743a2582f7f44 3ffe:e0a94032dbea7cee", sincos);
        assertEquals("3ffd:d413cccfe7799211", exp);
        assertEquals("4002:9f73da38d9d4a83f", log);
        assertEquals("3ffd:a4d3c25e68dc57f2", logp1);
        assertEquals("3ffd:ed63382b0dda7b45", atan);
    }

    @Test
    void fsinReducesByThe66BitPiOfTheHardware() {
        pushRaw(0x4000, 0xc90fdaa22168c235L);                       // FLDPI rounded up
        m.run("D9 FE");
        String above = m.st(0);
        pushRaw(0x4000, 0xc90fdaa22168c234L);                       // FLDPI rounded down
        m.run("D9 FE");
        String below = m.st(0);
        pushRaw(0x403d, 0xc90fdaa22168c234L);                       // π × 2^61
        m.run("D9 FE");

        assertEquals("bfbf:8000000000000000", above);              // π66 - x = -2^-64 exactly (the true π gives more)
        assertEquals("3fc0:c000000000000000", below);              // 0.75 × 2^-62
        assertEquals("bffd:bb8812abb2109e91", m.st(0));
    }

    @Test
    void roundingControlAndTheExceptionsOfTinyResults() {
        fcw(0xf7f);                                                 // round toward zero
        pushRaw(0x3fff, Long.MIN_VALUE);
        m.run("D9 FE");                                             // fsin 1
        String sinRz = m.st(0);
        pushRaw(0x3f00, 0x8000000000000001L);
        m.run("D9 FF");                                             // fcos of a tiny value: 1 - 2^-64
        String cosTinyRz = m.st(0);
        pushRaw(0x3fff, Long.MIN_VALUE);
        m.run("D9 F0");                                             // f2xm1 1
        String expOneRz = m.st(0);
        fcw(0x37f);
        m.run("DB E3");
        pushRaw(0x0000, 0x11);                                      // a denormal
        m.run("D9 FE");

        assertEquals("3ffe:d76aa47848677020", sinRz);
        assertEquals("3ffe:ffffffffffffffff", cosTinyRz);
        assertEquals("3ffe:ffffffffffffffff", expOneRz);
        assertEquals("0000:0000000000000011", m.st(0));
        assertEquals(FpuInstructions.C1 | FpArith.PE | FpArith.UE | FpArith.DE,
                m.cpu.fsw & (FpuInstructions.C1 | 0x3f));
    }

    @Test
    void specialOperandsOfTheTwoOperandInstructions() {
        pushRaw(0x0000, 0);                                         // y = +0
        pushRaw(0xbfff, Long.MIN_VALUE);                            // x = -1
        m.run("D9 F3");                                             // fpatan: π
        String pi = m.st(0);
        int fswPi = m.cpu.fsw & (FpuInstructions.C1 | 0x3f);
        m.run("DB E3");
        pushRaw(0x7fff, Long.MIN_VALUE);                            // y = +inf
        pushRaw(0xffff, Long.MIN_VALUE);                            // x = -inf
        m.run("D9 F3");                                             // fpatan: 3π/4
        String threeQuarters = m.st(0);
        m.run("DB E3");
        pushRaw(0xbfff, Long.MIN_VALUE);                            // y = -1
        pushRaw(0x0000, 0);                                         // x = +0
        m.run("D9 F1");                                             // fyl2x: +inf, ZE
        String inf = m.st(0);
        int fswInf = m.cpu.fsw & 0x3f;
        m.run("DB E3");
        pushRaw(0x4000, 0xc000000000000000L);                       // y = 3
        pushRaw(0x4002, Long.MIN_VALUE);                            // x = 8
        m.run("D9 F1");                                             // fyl2x: 9, PE all the same
        String nine = m.st(0);
        int fswNine = m.cpu.fsw & (FpuInstructions.C1 | 0x3f);
        m.run("DB E3");
        pushRaw(0x3fff, Long.MIN_VALUE);                            // y = 1
        pushRaw(0xc000, Long.MIN_VALUE);                            // x = -2, outside FYL2XP1's domain
        m.run("D9 F9");

        assertEquals("4000:c90fdaa22168c235", pi);
        assertEquals(FpuInstructions.C1 | FpArith.PE, fswPi);
        assertEquals("4000:96cbe3f9990e91a8", threeQuarters);
        assertEquals("7fff:8000000000000000", inf);
        assertEquals(FpArith.ZE, fswInf);
        assertEquals("4002:9000000000000000", nine);
        assertEquals(FpArith.PE, fswNine);
        assertEquals("c000:8000000000000000", m.st(0));            // this host's x87 returns x, with PE
        assertEquals(FpArith.PE, m.cpu.fsw & 0x3f);
    }

    @Test
    void f2xm1OutsideItsDomainReturnsTheOperand() {
        pushRaw(0x3fff, 0xc000000000000000L);                       // 1.5
        m.run("D9 F0");
        String big = m.st(0);
        int fswBig = m.cpu.fsw & (FpuInstructions.C1 | 0x3f);
        pushRaw(0xbfff, Long.MIN_VALUE);                            // -1: -1/2, PE all the same
        m.run("D9 F0");

        assertEquals("3fff:c000000000000000", big);
        assertEquals(FpArith.PE, fswBig);
        assertEquals("bffe:8000000000000000", m.st(0));
        assertEquals(FpArith.PE, m.cpu.fsw & (FpuInstructions.C1 | 0x3f));
    }

    @Test
    void sinCosAndTan() {
        push(1.0);
        m.run("D9 FE");                                             // fsin
        double sin = st(0);
        push(1.0);
        m.run("D9 F2");                                             // fptan
        double one = st(0);
        double tan = st(1);
        push(0.5);
        m.run("D9 FB");                                             // fsincos

        assertEquals(Math.sin(1.0), sin, 1e-15);
        assertEquals(1.0, one);
        assertEquals(Math.tan(1.0), tan, 1e-15);
        assertEquals(Math.cos(0.5), st(0), 1e-15);
        assertEquals(Math.sin(0.5), st(1), 1e-15);
    }

    @Test
    void fsinOfAHugeOperandSetsC2AndChangesNothing() {
        push(0x1p70);

        m.run("D9 FE");

        assertEquals(0x1p70, st(0));
        assertEquals(FpuInstructions.C2, m.cpu.fsw & FpuInstructions.C2);
    }

    @Test
    void logarithmsArctangentAndExponential() {
        push(3.0);
        push(8.0);
        m.run("D9 F1");                                             // fyl2x: 3 * log2(8)
        double yl2x = st(0);
        push(1.0);
        push(1.0);
        m.run("D9 F3");                                             // fpatan: atan2(1, 1)
        double atan = st(0);
        push(0.5);
        m.run("D9 F0");                                             // f2xm1

        assertEquals(9.0, yl2x, 1e-15);
        assertEquals(Math.PI / 4, atan, 1e-15);
        assertEquals(Math.sqrt(2) - 1, st(0), 1e-15);
    }
}
