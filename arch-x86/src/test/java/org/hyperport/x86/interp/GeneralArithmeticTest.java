package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.AF;
import static org.hyperport.x86.interp.GeneralMachine.CF;
import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.DATA;
import static org.hyperport.x86.interp.GeneralMachine.OF;
import static org.hyperport.x86.interp.GeneralMachine.PF;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RBX;
import static org.hyperport.x86.interp.GeneralMachine.RCX;
import static org.hyperport.x86.interp.GeneralMachine.RDX;
import static org.hyperport.x86.interp.GeneralMachine.SF;
import static org.hyperport.x86.interp.GeneralMachine.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.isa.IntegerOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Binary and decimal arithmetic, logic, shifts and rotates, bit and byte instructions (SDM Vol 1 §7.3) from raw
 * bytes; flags compared through {@link IntegerOps#STATUS}.
 */
class GeneralArithmeticTest {

    static final long STATUS = IntegerOps.STATUS;

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void addSetsOverflowSignAdjustAndParity() {
        m.set(RAX, Long.MAX_VALUE).set(RBX, 1).code(0x48, 0x01, 0xd8);   // add rax, rbx

        m.step();

        assertEquals(Long.MIN_VALUE, m.reg(RAX));
        assertEquals(OF | SF | AF | PF, m.cpu.rflags & STATUS);
        assertEquals(CODE + 3, m.cpu.rip);
    }

    @Test
    void adcAndSbbUseTheCarry() {
        m.flags(CF).set(RAX, 0xff).set(RBX, 0x1234).code(0x14, 0x00,   // adc al, 0
                0x66, 0x83, 0xdb, 0x01);                               // sbb bx, 1

        m.step();
        long adcFlags = m.cpu.rflags & STATUS;
        m.step();

        assertEquals(0, m.reg(RAX));
        assertEquals(CF | ZF | AF | PF, adcFlags);
        assertEquals(0x1232, m.reg(RBX));
    }

    @Test
    void thirtyTwoBitResultsZeroExtendAndImmediatesAreSignExtended() {
        m.set(RAX, 0xffff_ffff_0000_0000L).code(0x83, 0xc0, 0xff);    // add eax, -1

        m.step();

        assertEquals(0xffff_ffffL, m.reg(RAX));
        assertEquals(SF | PF, m.cpu.rflags & STATUS);
    }

    @Test
    void cmpAndTestOnlySetFlags() {
        m.set(RAX, 3).set(RBX, 5).code(0x48, 0x39, 0xd8,   // cmp rax, rbx
                0xa8, 0x80);                               // test al, 0x80

        m.step();
        long cmpFlags = m.cpu.rflags & STATUS;
        m.step();

        assertEquals(3, m.reg(RAX));
        assertEquals(CF | SF | AF, cmpFlags);
        assertEquals(ZF | PF, m.cpu.rflags & STATUS);
    }

    @Test
    void logicOnHigh8RegistersClearsCarryAndOverflow() {
        m.flags(CF | OF).set(RAX, 0xf0f0).set(RBX, 0x0f00).code(0x08, 0xfc);   // or ah, bh

        m.step();

        assertEquals(0xfff0, m.reg(RAX));
        assertEquals(SF | PF, m.cpu.rflags & STATUS);
    }

    @Test
    void incPreservesCarryNegAndNot() {
        m.flags(CF).set(RAX, 0xff).set(RBX, 1).set(RCX, 0xffff_ffff_0f0f_0f0fL).code(
                0xfe, 0xc0,      // inc al
                0xf7, 0xdb,      // neg ebx
                0xf7, 0xd1);     // not ecx

        m.step();
        long incFlags = m.cpu.rflags & STATUS;
        m.step();
        long negFlags = m.cpu.rflags & STATUS;
        m.step();

        assertEquals(CF | ZF | AF | PF, incFlags);
        assertEquals(0xffff_ffffL, m.reg(RBX));
        assertEquals(CF | SF | AF | PF, negFlags);
        assertEquals(0xf0f0_f0f0L, m.reg(RCX));
        assertEquals(negFlags, m.cpu.rflags & STATUS);
    }

    @Test
    void lockedAddToMemory() {
        m.ram.write64(DATA, 40);
        m.set(RBX, DATA).set(RAX, 2).code(0xf0, 0x48, 0x01, 0x03);   // lock add [rbx], rax

        m.step();

        assertEquals(42, m.ram.read64(DATA));
    }

    @Test
    void aFaultingReadModifyWriteChangesNeitherMemoryNorFlags() {
        m.ram.write64(DATA, 40);
        m.readOnly(DATA).flags(ZF | CF).set(RBX, DATA).set(RAX, 2).code(0x48, 0x01, 0x03);   // add [rbx], rax

        m.step();

        assertEquals(CpuFault.PF, m.faultVector);
        assertEquals(0x3, m.faultError);
        assertEquals(40, m.ram.read64(DATA));
        assertEquals(ZF | CF, m.cpu.rflags & STATUS);
        assertEquals(DATA, m.cpu.cr2);
    }

    @Test
    void mulWritesTheDoubleWidthProduct() {
        m.set(RAX, Long.MIN_VALUE).set(RBX, 4).code(0x48, 0xf7, 0xe3);   // mul rbx

        m.step();

        assertEquals(2, m.reg(RDX));
        assertEquals(0, m.reg(RAX));
        assertEquals(CF | OF, m.cpu.rflags & (CF | OF));
    }

    @Test
    void byteMulWritesAx() {
        m.set(RAX, 0x80).set(RBX, 2).set(RDX, 0x77).code(0xf6, 0xe3);     // mul bl

        m.step();

        assertEquals(0x100, m.reg(RAX));
        assertEquals(0x77, m.reg(RDX));
        assertEquals(CF | OF, m.cpu.rflags & (CF | OF));
    }

    @Test
    void imulInItsThreeForms() {
        m.set(RAX, -2).set(RBX, 3).code(0x48, 0xf7, 0xeb,    // imul rbx
                0x6b, 0xcb, 0xfd,                            // imul ecx, ebx, -3
                0x48, 0x0f, 0xaf, 0xc0);                     // imul rax, rax

        m.step();
        long rdx = m.reg(RDX);
        long rax = m.reg(RAX);
        m.step();
        m.step();

        assertEquals(-1, rdx);
        assertEquals(-6, rax);
        assertEquals(0xffff_fff7L, m.reg(RCX));
        assertEquals(36, m.reg(RAX));
        assertEquals(0, m.cpu.rflags & (CF | OF));
    }

    @Test
    void imulTwoOperandOverflowSetsCarryAndOverflow() {
        m.set(RAX, 1L << 62).set(RBX, 2).code(0x48, 0x0f, 0xaf, 0xc3);   // imul rax, rbx

        m.step();

        assertEquals(Long.MIN_VALUE, m.reg(RAX));
        assertEquals(CF | OF, m.cpu.rflags & (CF | OF));
    }

    @Test
    void divOfA128BitDividend() {
        m.set(RDX, 1).set(RAX, 0).set(RBX, 2).code(0x48, 0xf7, 0xf3);    // div rbx

        m.step();

        assertEquals(Long.MIN_VALUE, m.reg(RAX));
        assertEquals(0, m.reg(RDX));
    }

    @Test
    void divOfAFull128BitDividend() {
        m.set(RDX, 3).set(RAX, 5).set(RBX, 7).code(0x48, 0xf7, 0xf3);    // div rbx

        m.step();

        assertEquals(0x6db6_db6d_b6db_6db7L, m.reg(RAX));
        assertEquals(4, m.reg(RDX));
    }

    @Test
    void idivOfANegative128BitDividend() {
        m.set(RDX, -2).set(RAX, -7).set(RBX, 3).code(0x48, 0xf7, 0xfb);  // idiv rbx: (-2^64 - 7) / 3

        m.step();

        assertEquals(0xaaaa_aaaa_aaaa_aaa9L, m.reg(RAX));
        assertEquals(-2, m.reg(RDX));
    }

    @Test
    void idivWhoseQuotientIsTwoToThe63IsDivideError() {
        m.set(RDX, 1).set(RAX, 0).set(RBX, 2).code(0x48, 0xf7, 0xfb);    // idiv rbx: 2^64 / 2

        m.step();

        assertEquals(CpuFault.DE, m.faultVector);
    }

    @Test
    void idivOfThirtyTwoBitsWithANegativeDividend() {
        m.set(RDX, 0xffff_ffffL).set(RAX, 0xffff_fff9L).set(RBX, 2).code(0xf7, 0xfb);   // idiv ebx: -7 / 2

        m.step();

        assertEquals(0xffff_fffdL, m.reg(RAX));
        assertEquals(0xffff_ffffL, m.reg(RDX));
    }

    @Test
    void idivTruncatesTowardsZero() {
        m.set(RDX, -1).set(RAX, -7).set(RBX, 2).code(0x48, 0xf7, 0xfb);  // idiv rbx

        m.step();

        assertEquals(-3, m.reg(RAX));
        assertEquals(-1, m.reg(RDX));
    }

    @Test
    void byteDivSplitsAx() {
        m.set(RAX, 0x0105).set(RBX, 10).code(0xf6, 0xf3);               // div bl

        m.step();

        assertEquals(0x011a, m.reg(RAX));
    }

    @Test
    void quotientOverflowIsDivideErrorAndChangesNothing() {
        m.set(RDX, 2).set(RAX, 5).set(RBX, 2).code(0x48, 0xf7, 0xf3);    // div rbx

        m.step();

        assertEquals(CpuFault.DE, m.faultVector);
        assertEquals(5, m.reg(RAX));
        assertEquals(2, m.reg(RDX));
        assertEquals(CODE, m.cpu.rip);
    }

    @Test
    void divisionByZeroIsDivideError() {
        m.set(RAX, 5).code(0xf7, 0xf3);                                    // div ebx (ebx = 0)

        m.step();

        assertEquals(CpuFault.DE, m.faultVector);
    }

    @Test
    void idivOfTheMostNegativeByMinusOneIsDivideError() {
        m.set(RAX, Long.MIN_VALUE).set(RDX, -1).set(RBX, -1).code(0x48, 0xf7, 0xfb);

        m.step();

        assertEquals(CpuFault.DE, m.faultVector);
    }

    @Test
    void shiftsAndRotates() {
        m.set(RAX, 0x8000_0000_0000_0001L).set(RCX, 1).set(RBX, 0x81).set(RDX, 2).code(
                0x48, 0xd3, 0xe0,    // shl rax, cl
                0xd0, 0xfb,          // sar bl, 1
                0xc0, 0xc7, 0x03,    // rol bh, 3   (bh = 0)
                0xd1, 0xda);         // rcr edx, 1

        m.step();
        long shlFlags = m.cpu.rflags & STATUS;
        m.step();
        long sarFlags = m.cpu.rflags & STATUS;
        m.step();
        m.flags(CF);
        m.step();

        assertEquals(2, m.reg(RAX));
        assertEquals(CF | OF, shlFlags);
        assertEquals(0xc0, m.reg(RBX));
        assertEquals(CF | SF | PF, sarFlags);
        assertEquals(0x8000_0001L, m.reg(RDX));
        assertEquals(OF, m.cpu.rflags & (CF | OF));
    }

    @Test
    void aMaskedCountOfZeroChangesNoFlag() {
        m.flags(ZF | CF | OF).set(RAX, 5).set(RCX, 64).code(0x48, 0xd3, 0xe0);   // shl rax, cl (cl = 64)

        m.step();

        assertEquals(5, m.reg(RAX));
        assertEquals(ZF | CF | OF, m.cpu.rflags & STATUS);
    }

    @Test
    void shldAndShrd() {
        m.set(RAX, 0x0123_4567_89ab_cdefL).set(RBX, 0xf000_0000_0000_0000L).code(
                0x48, 0x0f, 0xa4, 0xd8, 0x04);    // shld rax, rbx, 4

        m.step();
        long shld = m.reg(RAX);
        m.set(RAX, 0x1234_5678).set(RBX, 0xabcd_ef01L).set(RCX, 8).code(0x0f, 0xad, 0xd8);  // shrd eax, ebx, cl
        m.step();

        assertEquals(0x1234_5678_9abc_deffL, shld);
        assertEquals(0x0112_3456L, m.reg(RAX));
        assertEquals(0, m.cpu.rflags & CF);
    }

    @Test
    void btWithARegisterOffsetModuloTheRegisterWidth() {
        m.set(RAX, 0x10).set(RCX, 68).code(0x48, 0x0f, 0xa3, 0xc8,   // bt rax, rcx
                0x0f, 0xba, 0xe0, 0x05);                             // bt eax, 5

        m.step();
        long first = m.cpu.rflags & CF;
        m.step();

        assertEquals(CF, first);
        assertEquals(0, m.cpu.rflags & CF);
        assertEquals(0x10, m.reg(RAX));
    }

    @Test
    void btsIntoMemoryAddressesABitStringBeforeAndAfterTheOperand() {
        m.set(RBX, DATA + 8).set(RCX, -1).code(0x48, 0x0f, 0xab, 0x0b,   // bts [rbx], rcx   (bit -1)
                0xf0, 0x48, 0x0f, 0xab, 0x0b);                           // lock bts [rbx], rcx

        m.step();
        long cfAfterFirst = m.cpu.rflags & CF;
        m.set(RCX, 130);
        m.step();

        assertEquals(Long.MIN_VALUE, m.ram.read64(DATA));
        assertEquals(0, cfAfterFirst);
        assertEquals(4, m.ram.read64(DATA + 8 + 16));
    }

    @Test
    void btrAndBtcWithImmediatesTakeTheOffsetModuloTheOperand() {
        m.ram.write32(DATA, 0xff);
        m.set(RBX, DATA).code(0x0f, 0xba, 0x33, 0x23,    // btr dword [rbx], 35
                0x0f, 0xba, 0x3b, 0x08);                 // btc dword [rbx], 8

        m.step();
        long cf = m.cpu.rflags & CF;
        m.step();

        assertEquals(CF, cf);
        assertEquals(0x1f7, m.ram.read32(DATA));
        assertEquals(0, m.cpu.rflags & CF);
    }

    @Test
    void bitScansAndCounts() {
        m.set(RBX, 0x0101).set(RCX, 0xff00ffL).code(
                0x48, 0x0f, 0xbc, 0xc3,          // bsf rax, rbx
                0x48, 0x0f, 0xbd, 0xd3,          // bsr rdx, rbx
                0xf3, 0x48, 0x0f, 0xb8, 0xf1,    // popcnt rsi, rcx
                0xf3, 0x0f, 0xbd, 0xf9);         // lzcnt edi, ecx

        for (int n = 0; n < 4; n++) {
            m.step();
        }

        assertEquals(0, m.reg(RAX));
        assertEquals(8, m.reg(RDX));
        assertEquals(16, m.reg(GeneralMachine.RSI));
        assertEquals(8, m.reg(GeneralMachine.RDI));
    }

    @Test
    void bsfOfZeroSetsZfAndKeepsTheDestinationAndTzcntOfZeroIsTheWidth() {
        m.set(RAX, 0x55).set(RCX, 0x66).code(0x48, 0x0f, 0xbc, 0xc3,   // bsf rax, rbx (rbx = 0)
                0xf3, 0x0f, 0xbc, 0xcb);                               // tzcnt ecx, ebx

        m.step();
        long bsfZf = m.cpu.rflags & ZF;
        m.step();

        assertEquals(0x55, m.reg(RAX));
        assertEquals(ZF, bsfZf);
        assertEquals(32, m.reg(RCX));
        assertEquals(CF, m.cpu.rflags & (CF | ZF));
    }

    @Test
    void setccWritesOneByte() {
        m.flags(ZF | SF).set(RAX, 0xffff_ffff_ffff_ffffL).code(0x0f, 0x94, 0xc0,   // sete al
                0x0f, 0x9c, 0xc4);                                                 // setl ah

        m.step();
        m.step();

        assertEquals(0xffff_ffff_ffff_0101L, m.reg(RAX));
    }

    @Test
    void decimalAdjustments() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.set(RAX, 0xae).flags(0).code(0x27);                    // daa after 0x79 + 0x35
            p.step();
            long daa = p.reg(RAX);
            long daaFlags = p.cpu.rflags & (CF | AF);
            p.set(RAX, 0xee).flags(CF | AF).code(0x2f);              // das after 0x35 - 0x47
            p.step();
            long das = p.reg(RAX);
            p.set(RAX, 0x0011).flags(AF).code(0x37);                 // aaa after 9 + 8
            p.step();
            long aaa = p.reg(RAX);
            p.set(RAX, 0x01fd).flags(AF).code(0x3f);                 // aas after 2 - 5
            p.step();
            long aas = p.reg(RAX);
            p.set(RAX, 0x3f).code(0xd4, 0x0a);                       // aam
            p.step();
            long aam = p.reg(RAX);
            p.code(0xd5, 0x0a);                                      // aad
            p.step();

            assertEquals(0x14, daa);
            assertEquals(CF | AF, daaFlags);
            assertEquals(0x88, das);
            assertEquals(0x0107, aaa);
            assertEquals(0x0007, aas);
            assertEquals(0x0603, aam);
            assertEquals(0x3f, p.reg(RAX));
        }
    }

    @Test
    void aamWithZeroIsDivideError() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.set(RAX, 0x3f).code(0xd4, 0x00);

            p.step();

            assertEquals(CpuFault.DE, p.faultVector);
        }
    }

    @Test
    void decimalInstructionsAreInvalidIn64BitMode() {
        m.code(0x27);

        m.step();

        assertEquals(CODE, m.cpu.rip);
        assertEquals(false, m.handled);
    }
}
