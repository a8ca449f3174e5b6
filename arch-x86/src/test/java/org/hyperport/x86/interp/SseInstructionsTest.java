package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SSE data movement, the checks every SIMD instruction makes (CR0.EM/TS, CR4.OSFXSR/OSXMMEXCPT, alignment), MXCSR
 * access and the MMX register aliasing, from raw instruction bytes. Memory operands are [rdi] = {@code DATA}.
 * Arithmetic results are checked bit for bit against the host CPU by {@link SseOracleTest}.
 */
class SseInstructionsTest {

    static final long DATA = FpTestMachine.DATA;
    static final int RAX = X86CpuState.RAX, RDI = X86CpuState.RDI;

    final FpTestMachine m = new FpTestMachine();

    @AfterEach
    void tearDown() {
        m.close();
    }

    // ---- Moves --------------------------------------------------------------------------------------------------

    @Test
    void movapsLoadsAnAlignedOperand() {
        m.ram.write64(DATA, 0x1111_2222_3333_4444L);
        m.ram.write64(DATA + 8, 0x5555_6666_7777_8888L);
        m.cpu.gpr[RDI] = DATA;

        int v = m.run("0F 28 07");                                  // movaps xmm0, [rdi]

        assertEquals(-1, v);
        assertEquals(0x1111_2222_3333_4444L, m.lo(0));
        assertEquals(0x5555_6666_7777_8888L, m.hi(0));
    }

    @Test
    void movapsFromAMisalignedOperandIsGpAndChangesNothing() {
        m.setXmm(0, 1, 2);
        m.cpu.gpr[RDI] = DATA + 8;

        int v = m.run("0F 28 07");

        assertEquals(CpuFault.GP, v);
        assertEquals(1, m.lo(0));
        assertEquals(2, m.hi(0));
    }

    @Test
    void movupsAndLddquAcceptMisalignedOperands() {
        m.ram.write64(DATA + 3, 0xaaaa_bbbb_cccc_ddddL);
        m.ram.write64(DATA + 11, 0x1234L);
        m.cpu.gpr[RDI] = DATA + 3;

        int v1 = m.run("0F 10 07");                                 // movups xmm0, [rdi]
        int v2 = m.run("F2 0F F0 0F");                              // lddqu xmm1, [rdi]

        assertEquals(-1, v1);
        assertEquals(-1, v2);
        assertEquals(0xaaaa_bbbb_cccc_ddddL, m.lo(0));
        assertEquals(0x1234L, m.hi(1));
    }

    @Test
    void movntdqToAMisalignedOperandIsGp() {
        m.cpu.gpr[RDI] = DATA + 4;

        assertEquals(CpuFault.GP, m.run("66 0F E7 07"));            // movntdq [rdi], xmm0
    }

    @Test
    void movdqaStoresSixteenBytes() {
        m.setXmm(2, 0x0102_0304_0506_0708L, 0x090a_0b0c_0d0e_0f10L);
        m.cpu.gpr[RDI] = DATA + 16;

        m.run("66 0F 7F 17");                                       // movdqa [rdi], xmm2

        assertEquals(0x0102_0304_0506_0708L, m.ram.read64(DATA + 16));
        assertEquals(0x090a_0b0c_0d0e_0f10L, m.ram.read64(DATA + 24));
    }

    @Test
    void movssBetweenRegistersMergesTheLowLaneAndALoadZeroesTheRest() {
        m.setXmm(0, 0xffff_ffff_ffff_ffffL, -1);
        m.setXmm(1, 0x1111_1111_2222_2222L, 0x3333);
        m.setXmm(2, -1, -1);
        m.ram.write32(DATA, 0x3f80_0000);
        m.cpu.gpr[RDI] = DATA;

        m.run("F3 0F 10 C1");                                       // movss xmm0, xmm1
        m.run("F3 0F 10 17");                                       // movss xmm2, [rdi]

        assertEquals(0xffff_ffff_2222_2222L, m.lo(0));
        assertEquals(-1, m.hi(0));
        assertEquals(0x3f80_0000L, m.lo(2));
        assertEquals(0, m.hi(2));
    }

    @Test
    void movsdStoreWritesEightBytesOnly() {
        m.setXmm(3, 0x4000_0000_0000_0000L, 0x77);
        m.ram.write64(DATA + 8, 0x5a5a);
        m.cpu.gpr[RDI] = DATA;

        m.run("F2 0F 11 1F");                                       // movsd [rdi], xmm3

        assertEquals(0x4000_0000_0000_0000L, m.ram.read64(DATA));
        assertEquals(0x5a5a, m.ram.read64(DATA + 8));
    }

    @Test
    void movqFromAGprZeroExtendsAndMovdToAGprZeroExtends() {
        m.setXmm(0, -1, -1);
        m.cpu.gpr[RAX] = 0x8000_0000_0000_0001L;

        m.run("66 48 0F 6E C0");                                    // movq xmm0, rax
        long afterMovq = m.hi(0);
        m.setXmm(1, 0x1234_5678_9abc_def0L, 0);
        m.cpu.gpr[X86CpuState.RCX] = -1;
        m.run("66 0F 7E C9");                                       // movd ecx, xmm1

        assertEquals(0x8000_0000_0000_0001L, m.lo(0));
        assertEquals(0, afterMovq);
        assertEquals(0x9abc_def0L, m.cpu.gpr[X86CpuState.RCX]);
    }

    @Test
    void movqXmmToXmmZeroesTheHighQuadword() {
        m.setXmm(0, 5, 6);
        m.setXmm(1, 7, 8);

        m.run("F3 0F 7E C1");                                       // movq xmm0, xmm1

        assertEquals(7, m.lo(0));
        assertEquals(0, m.hi(0));
    }

    @Test
    void movhpsAndMovlpsMoveOneQuadword() {
        m.setXmm(0, 1, 2);
        m.ram.write64(DATA, 0xabcdL);
        m.cpu.gpr[RDI] = DATA;

        m.run("0F 16 07");                                          // movhps xmm0, [rdi]
        m.run("0F 13 47 08");                                       // movlps [rdi+8], xmm0

        assertEquals(1, m.lo(0));
        assertEquals(0xabcdL, m.hi(0));
        assertEquals(1, m.ram.read64(DATA + 8));
    }

    @Test
    void movlhpsAndMovhlpsCrossHalves() {
        m.setXmm(0, 1, 2);
        m.setXmm(1, 3, 4);
        m.setXmm(2, 5, 6);

        m.run("0F 16 C1");                                          // movlhps xmm0, xmm1
        m.run("0F 12 D1");                                          // movhlps xmm2, xmm1

        assertEquals(3, m.hi(0));
        assertEquals(4, m.lo(2));
        assertEquals(6, m.hi(2));
    }

    @Test
    void movmskpsAndPmovmskbCollectSignBits() {
        m.setXmm(1, 0x8000_0000_0000_0000L, 0x8000_0000_8000_0000L);
        m.cpu.gpr[RAX] = -1;

        m.run("0F 50 C1");                                          // movmskps eax, xmm1
        long ps = m.cpu.gpr[RAX];
        m.run("66 0F D7 C1");                                       // pmovmskb eax, xmm1

        assertEquals(0b1110, ps);
        assertEquals(0x8880, m.cpu.gpr[RAX]);
    }

    @Test
    void pinsrwAndPextrwReachTheSelectedWord() {
        m.setXmm(0, 0, 0);
        m.cpu.gpr[RAX] = 0xffff_beef;

        m.run("66 0F C4 C0 05");                                    // pinsrw xmm0, eax, 5
        m.cpu.gpr[X86CpuState.RCX] = -1;
        m.run("66 0F C5 C8 05");                                    // pextrw ecx, xmm0, 5

        assertEquals(0xbeefL << 16, m.hi(0));
        assertEquals(0xbeef, m.cpu.gpr[X86CpuState.RCX]);
    }

    @Test
    void pinsrqAndPextrqMoveAQuadword() {
        m.setXmm(0, 0, 0);
        m.cpu.gpr[RAX] = 0x0123_4567_89ab_cdefL;

        m.run("66 48 0F 3A 22 C0 01");                              // pinsrq xmm0, rax, 1
        m.cpu.gpr[RAX] = 0;
        m.run("66 48 0F 3A 16 C0 01");                              // pextrq rax, xmm0, 1

        assertEquals(0x0123_4567_89ab_cdefL, m.hi(0));
        assertEquals(0x0123_4567_89ab_cdefL, m.cpu.gpr[RAX]);
    }

    @Test
    void pextrbToMemoryStoresOneByte() {
        m.setXmm(0, 0, 0x00ab_0000_0000_0000L);
        m.ram.write64(DATA, -1);
        m.cpu.gpr[RDI] = DATA;

        m.run("66 0F 3A 14 07 0E");                                 // pextrb [rdi], xmm0, 14

        assertEquals(0xffff_ffff_ffff_ffabL, m.ram.read64(DATA));
    }

    @Test
    void pmovzxbwFromMemoryReadsEightBytes() {
        m.ram.write64(DATA, 0x8001_7f02_ff03_0405L);
        m.cpu.gpr[RDI] = DATA;

        m.run("66 0F 38 30 07");                                    // pmovzxbw xmm0, [rdi]

        assertEquals(0x00ff_0003_0004_0005L, m.lo(0));
        assertEquals(0x0080_0001_007f_0002L, m.hi(0));
    }

    @Test
    void maskmovdquStoresTheSelectedBytesAtRdi() {
        m.setXmm(0, 0x1122_3344_5566_7788L, 0x99aa_bbcc_ddee_ff00L);
        m.setXmm(1, 0x8000_0000_0000_0080L, 0x0000_0000_0000_0080L);
        m.ram.write64(DATA, 0);
        m.ram.write64(DATA + 8, 0);
        m.cpu.gpr[RDI] = DATA;

        m.run("66 0F F7 C1");                                       // maskmovdqu xmm0, xmm1

        assertEquals(0x1100_0000_0000_0088L, m.ram.read64(DATA));
        assertEquals(0, m.ram.read64(DATA + 8));
    }

    /**
     * The destination is checked as one 8- or 16-byte access before anything is stored, whatever the mask: an
     * all-zero mask at a non-canonical RDI still raises #GP, and so does a destination that only leaves the
     * canonical range in bytes the mask does not select. (KVM lock-step at CPL3: {@code 67 0f f7 e0 maskmovq mm4,
     * mm0} with MM0 = 0 at an unmapped EDI raised #PF on the host; the interpreter completed it.)
     */
    @Test
    void maskmovChecksTheWholeDestinationWhateverTheMask() {
        m.cpu.gpr[RDI] = 0x0000_8000_0000_0000L;
        m.cpu.st[0] = 0x1122_3344_5566_7788L;                       // mm0: the data
        m.cpu.st[2] = 0;                                            // mm1: an all-zero mask
        int zeroMask = m.run("0F F7 C1");                           // maskmovq mm0, mm1
        m.setXmm(0, 0x1122_3344_5566_7788L, 0x99aa_bbcc_ddee_ff00L);
        m.setXmm(1, 0x80, 0);                                       // selects byte 0 only
        m.cpu.gpr[RDI] = 0x0000_7fff_ffff_fff8L;                    // bytes 8-15 are non-canonical
        int crossing = m.run("66 0F F7 C1");                        // maskmovdqu xmm0, xmm1
        m.cpu.gpr[RDI] = DATA;
        m.ram.write64(DATA, 0);
        int inside = m.run("66 0F F7 C1");

        assertEquals(CpuFault.GP, zeroMask);
        assertEquals(CpuFault.GP, crossing);
        assertEquals(-1, inside);
        assertEquals(0x88, m.ram.read64(DATA));
    }

    @Test
    void cvttsd2siFromMemoryTruncates() {
        m.ram.write64(DATA, Double.doubleToRawLongBits(-2.75));
        m.cpu.gpr[RDI] = DATA;

        m.run("F2 48 0F 2C 07");                                    // cvttsd2si rax, [rdi]

        assertEquals(-2, m.cpu.gpr[RAX]);
    }

    @Test
    void cvtsd2siOutOfRangeGivesTheIntegerIndefinite() {
        m.setXmm(1, Double.doubleToRawLongBits(1e300), 0);

        m.run("F2 0F 2D C1");                                       // cvtsd2si eax, xmm1

        assertEquals(0x8000_0000L, m.cpu.gpr[RAX]);
        assertEquals(0x1f81, m.cpu.mxcsr);
    }

    @Test
    void roundingControlAppliesToConversions() {
        m.setXmm(1, Double.doubleToRawLongBits(2.5), 0);
        m.cpu.mxcsr = 0x1f80 | (FpArith.RU << 13);

        m.run("F2 0F 2D C1");                                       // cvtsd2si eax, xmm1

        assertEquals(3, m.cpu.gpr[RAX]);
        assertEquals(0x1f80 | (FpArith.RU << 13) | FpArith.PE, m.cpu.mxcsr);
    }

    @Test
    void pshufbSelectsAndZeroesBytes() {
        m.setXmm(0, 0x0706_0504_0302_0100L, 0x0f0e_0d0c_0b0a_0908L);
        m.setXmm(1, 0x8000_0000_0000_000fL, 0x0101_0101_0101_0101L);

        m.run("66 0F 38 00 C1");                                    // pshufb xmm0, xmm1

        assertEquals(0x0000_0000_0000_000fL, m.lo(0));
        assertEquals(0x0101_0101_0101_0101L, m.hi(0));
    }

    @Test
    void ptestSetsZfAndCf() {
        m.setXmm(0, 0xf0, 0);
        m.setXmm(1, 0x0f, 0);
        m.cpu.rflags = 2 | SseInstructions.OF | SseInstructions.SF;

        m.run("66 0F 38 17 C1");                                    // ptest xmm0, xmm1

        assertEquals(2 | SseInstructions.ZF, m.cpu.rflags);
    }

    @Test
    void ucomisdOfANanIsUnordered() {
        m.setXmm(0, 0x7ff8_0000_0000_0000L, 0);
        m.setXmm(1, 0, 0);
        m.cpu.rflags = 2;

        m.run("66 0F 2E C1");                                       // ucomisd xmm0, xmm1

        assertEquals(2 | SseInstructions.ZF | SseInstructions.PF | SseInstructions.CF, m.cpu.rflags);
        assertEquals(0x1f80, m.cpu.mxcsr);
    }

    // ---- MXCSR ------------------------------------------------------------------------------------------------

    @Test
    void ldmxcsrAndStmxcsr() {
        m.ram.write32(DATA, 0x7fc0);
        m.cpu.gpr[RDI] = DATA;

        m.run("0F AE 17");                                          // ldmxcsr [rdi]
        m.run("0F AE 5F 04");                                       // stmxcsr [rdi+4]

        assertEquals(0x7fc0, m.cpu.mxcsr);
        assertEquals(0x7fc0, m.ram.read32(DATA + 4));
    }

    @Test
    void ldmxcsrWithAReservedBitIsGp() {
        m.ram.write32(DATA, 0x1_1f80);
        m.cpu.gpr[RDI] = DATA;

        int v = m.run("0F AE 17");

        assertEquals(CpuFault.GP, v);
        assertEquals(0x1f80, m.cpu.mxcsr);
    }

    @Test
    void ftzFlushesATinyResultAndDazReadsDenormalsAsZero() {
        m.setXmm(0, 0x0080_0000L, 0);                              // smallest normal single
        m.setXmm(1, 0x3f00_0000L, 0);                              // 0.5
        m.setXmm(2, 1, 0);                                         // smallest denormal
        m.setXmm(3, 0x3f80_0000L, 0);                              // 1.0
        m.cpu.mxcsr = 0x1f80 | 0x8000 | 0x40;

        m.run("F3 0F 59 C1");                                       // mulss xmm0, xmm1 (FTZ)
        m.run("F3 0F 58 D3");                                       // addss xmm2, xmm3 (DAZ)

        assertEquals(0, m.lo(0));
        assertEquals(0x3f80_0000L, m.lo(2));
        assertEquals(0x1f80 | 0x8000 | 0x40 | FpArith.UE | FpArith.PE, m.cpu.mxcsr);
    }

    // ---- Checks -----------------------------------------------------------------------------------------------

    @Test
    void sseWithoutCr4OsfxsrIsUd() {
        m.cpu.cr4 &= ~X86CpuState.CR4_OSFXSR;

        assertEquals(CpuFault.UD, m.run("0F 58 C1"));               // addps xmm0, xmm1
    }

    @Test
    void sseWithCr0EmIsUdAndWithCr0TsIsNm() {
        m.cpu.cr0 |= SseInstructions.CR0_EM;
        int em = m.run("0F 58 C1");
        m.cpu.cr0 = (m.cpu.cr0 & ~SseInstructions.CR0_EM) | SseInstructions.CR0_TS;
        int ts = m.run("0F 58 C1");

        assertEquals(CpuFault.UD, em);
        assertEquals(CpuFault.NM, ts);
    }

    @Test
    void anUnmaskedExceptionIsXmAndLeavesTheDestination() {
        m.setXmm(0, 0x3f80_0000L, 0);
        m.setXmm(1, 0, 0);
        m.cpu.mxcsr = 0x1f80 & ~(FpArith.ZE << 7);

        int v = m.run("F3 0F 5E C1");                               // divss xmm0, xmm1

        assertEquals(CpuFault.XM, v);
        assertEquals(0x3f80_0000L, m.lo(0));
        assertEquals((0x1f80 & ~(FpArith.ZE << 7)) | FpArith.ZE, m.cpu.mxcsr);
    }

    @Test
    void anUnmaskedExceptionWithoutCr4OsxmmexcptIsUd() {
        m.cpu.cr4 &= ~X86CpuState.CR4_OSXMMEXCPT;
        m.setXmm(0, 0x3f80_0000L, 0);
        m.setXmm(1, 0, 0);
        m.cpu.mxcsr = 0x1f80 & ~(FpArith.ZE << 7);

        assertEquals(CpuFault.UD, m.run("F3 0F 5E C1"));
    }

    @Test
    void aMaskedExceptionSetsItsFlagAndDelivers() {
        m.setXmm(0, 0x3f80_0000L, 0);
        m.setXmm(1, 0x8000_0000L, 0);                              // -0.0

        m.run("F3 0F 5E C1");                                       // divss xmm0, xmm1

        assertEquals(0xff80_0000L, m.lo(0));                       // -infinity
        assertEquals(0x1f80 | FpArith.ZE, m.cpu.mxcsr);
    }

    // ---- MMX ----------------------------------------------------------------------------------------------------

    @Test
    void anMmxInstructionSetsTopToZeroTagsValidAndTheExponentToOnes() {
        m.cpu.fsw = 3 << 11;
        m.cpu.st[2 * 5] = 0x0101_0101_0101_0101L;                // ST(5) = physical R0 = MM0
        m.cpu.st[2 * 6] = 0x0202_0202_0202_0202L;                // ST(6) = physical R1 = MM1

        m.run("0F FC C1");                                          // paddb mm0, mm1

        assertEquals(0, m.top());
        assertEquals(0xff, m.cpu.ftw);
        assertEquals(0x0303_0303_0303_0303L, m.cpu.st[0]);
        assertEquals(0xffff, m.cpu.st[1]);
    }

    @Test
    void emmsEmptiesTheTagWord() {
        m.cpu.ftw = 0xff;

        m.run("0F 77");                                             // emms

        assertEquals(0, m.cpu.ftw);
    }

    @Test
    void mmxMovesBetweenMemoryGprAndRegisters() {
        m.ram.write64(DATA, 0x1122_3344_5566_7788L);
        m.cpu.gpr[RDI] = DATA;

        m.run("0F 6F 17");                                          // movq mm2, [rdi]
        m.run("0F 7E D0");                                          // movd eax, mm2
        m.run("F3 0F D6 CA");                                       // movq2dq xmm1, mm2

        assertEquals(0x5566_7788L, m.cpu.gpr[RAX]);
        assertEquals(0x1122_3344_5566_7788L, m.lo(1));
        assertEquals(0, m.hi(1));
    }

    @Test
    void mmxNeedsNoOsfxsrButCr0EmIsUd() {
        m.cpu.cr4 &= ~X86CpuState.CR4_OSFXSR;
        int withoutOsfxsr = m.run("0F EF C0");                      // pxor mm0, mm0
        m.cpu.cr0 |= SseInstructions.CR0_EM;
        int withEm = m.run("0F EF C0");

        assertEquals(-1, withoutOsfxsr);
        assertEquals(CpuFault.UD, withEm);
    }

    @Test
    void anMmxInstructionWithAPendingX87ExceptionIsMf() {
        m.cpu.fsw = FpuInstructions.FSW_ES | FpuInstructions.FSW_B | FpArith.ZE;

        assertEquals(CpuFault.MF, m.run("0F EF C0"));
    }

    @Test
    void conversionsBetweenMmxAndXmmRegisters() {
        m.cpu.st[2] = 0xffff_fffd_0000_0007L;                     // mm1 = {7, -3}
        m.setXmm(0, -1, 0x55);
        m.setXmm(1, ((long) Float.floatToRawIntBits(-1.5f) << 32) | Float.floatToRawIntBits(2.75f), 0);

        m.run("0F 2A C1");                                          // cvtpi2ps xmm0, mm1
        m.run("0F 2C D1");                                          // cvttps2pi mm2, xmm1

        assertEquals(((long) Float.floatToRawIntBits(-3f) << 32) | Float.floatToRawIntBits(7f), m.lo(0));
        assertEquals(0x55, m.hi(0));
        assertEquals(0xffff_ffff_0000_0002L, m.cpu.st[4]);
        assertEquals(0xff, m.cpu.ftw);
    }

    @Test
    void pmaddwdAndPsadbwOnMmxRegisters() {
        m.cpu.st[0] = 0x0002_0003_8000_8000L;                     // mm0
        m.cpu.st[2] = 0x0004_0005_8000_8000L;                     // mm1
        m.cpu.st[4] = 0x0000_0000_0000_00ffL;                     // mm2
        m.cpu.st[6] = 0x0000_0000_0000_0001L;                     // mm3

        m.run("0F F5 C1");                                          // pmaddwd mm0, mm1
        m.run("0F F6 D3");                                          // psadbw mm2, mm3

        assertEquals(0x0000_0017_8000_0000L, m.cpu.st[0]);
        assertEquals(0xfe, m.cpu.st[4]);
    }
}
