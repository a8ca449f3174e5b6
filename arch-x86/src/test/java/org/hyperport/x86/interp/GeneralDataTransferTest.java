package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.DATA;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RBP;
import static org.hyperport.x86.interp.GeneralMachine.RBX;
import static org.hyperport.x86.interp.GeneralMachine.RCX;
import static org.hyperport.x86.interp.GeneralMachine.RDI;
import static org.hyperport.x86.interp.GeneralMachine.RDX;
import static org.hyperport.x86.interp.GeneralMachine.RSI;
import static org.hyperport.x86.interp.GeneralMachine.RSP;
import static org.hyperport.x86.interp.GeneralMachine.STACK;
import static org.hyperport.x86.interp.GeneralMachine.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Data transfer instructions (SDM Vol 1 §7.3 "Data Transfer Instructions") from raw bytes. */
class GeneralDataTransferTest {

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void movImm64ThenThirtyTwoBitMoveZeroExtends() {
        m.set(RAX, -1).set(RBX, -1).code(0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, // mov rax, imm64
                0xbb, 0x78, 0x56, 0x34, 0x12);                                                   // mov ebx, imm32

        m.step();
        m.step();

        assertEquals(0x1122334455667788L, m.reg(RAX));
        assertEquals(0x12345678L, m.reg(RBX));
        assertEquals(CODE + 15, m.cpu.rip);
    }

    @Test
    void eightAndSixteenBitMovesMergeAndHigh8RegistersAreBits15To8() {
        m.set(RAX, 0x1111_2222_3333_AB44L).set(RBX, 0x5555_6666_7777_CDEFL)
                .code(0x88, 0xe0,           // mov al, ah
                      0x66, 0x89, 0xd9,     // mov cx, bx
                      0x88, 0xdf);          // mov bh, bl
        m.set(RCX, 0x9999_9999_9999_9999L);

        m.step();
        m.step();
        m.step();

        assertEquals(0x1111_2222_3333_ABABL, m.reg(RAX));
        assertEquals(0x9999_9999_9999_CDEFL, m.reg(RCX));
        assertEquals(0x5555_6666_7777_EFEFL, m.reg(RBX));
    }

    @Test
    void movWithRipRelativeAndMoffsOperands() {
        m.ram.write32(CODE + 6 + 0x100, 0xcafe);
        m.ram.write64(DATA, 0x0123_4567_89ab_cdefL);
        m.code(0x8b, 0x05, 0x00, 0x01, 0x00, 0x00,                                    // mov eax, [rip+0x100]
               0x48, 0xa1, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00);          // mov rax, [moffs64]

        m.step();
        long first = m.reg(RAX);
        m.step();

        assertEquals(0xcafe, first);
        assertEquals(0x0123_4567_89ab_cdefL, m.reg(RAX));
    }

    @Test
    void movToASegmentRegisterIsLeftToTheSystemGroup() {
        m.code(0x8e, 0xd8);             // mov ds, ax

        m.step();

        assertFalse(m.handled);
        assertEquals(CODE, m.cpu.rip);
    }

    @Test
    void movzxMovsxAndMovsxd() {
        m.set(RBX, 0x1234_5678_9abc_de80L).code(
                0x0f, 0xb6, 0xc3,           // movzx eax, bl
                0x48, 0x0f, 0xbe, 0xcb,     // movsx rcx, bl
                0x48, 0x63, 0xd3,           // movsxd rdx, ebx
                0x66, 0x0f, 0xbf, 0xf3);    // movsx si, bx
        m.set(RSI, -1);

        for (int n = 0; n < 4; n++) {
            m.step();
        }

        assertEquals(0x80, m.reg(RAX));
        assertEquals(-128, m.reg(RCX));
        assertEquals(0xffff_ffff_9abc_de80L, m.reg(RDX));
        assertEquals(0xffff_ffff_ffff_de80L, m.reg(RSI));
    }

    @Test
    void cmovWithAFalseConditionStillZeroExtendsItsThirtyTwoBitDestination() {
        m.flags(0).set(RAX, 0xffff_ffff_0000_0001L).set(RBX, 7).code(0x0f, 0x44, 0xc3); // cmove eax, ebx

        m.step();

        assertEquals(1, m.reg(RAX));
    }

    @Test
    void cmovWithATrueConditionMoves() {
        m.flags(ZF).set(RAX, 1).set(RBX, 0x8000_0000_0000_0000L).code(0x48, 0x0f, 0x44, 0xc3); // cmove rax, rbx

        m.step();

        assertEquals(0x8000_0000_0000_0000L, m.reg(RAX));
    }

    @Test
    void xchgWithMemorySwapsBothWays() {
        m.ram.write64(DATA, 0xaaaa);
        m.set(RBX, DATA).set(RAX, 0xbbbb).code(0x48, 0x87, 0x03);  // xchg [rbx], rax

        m.step();

        assertEquals(0xaaaa, m.reg(RAX));
        assertEquals(0xbbbb, m.ram.read64(DATA));
    }

    @Test
    void bswapThirtyTwoAndSixtyFourBits() {
        m.set(RAX, 0xffff_ffff_1122_3344L).set(RCX, 0x0102_0304_0506_0708L)
                .code(0x0f, 0xc8, 0x48, 0x0f, 0xc9);   // bswap eax; bswap rcx

        m.step();
        m.step();

        assertEquals(0x4433_2211L, m.reg(RAX));
        assertEquals(0x0807_0605_0403_0201L, m.reg(RCX));
    }

    @Test
    void xaddExchangesAndAdds() {
        m.ram.write32(DATA, 40);
        m.set(RBX, DATA).set(RAX, 2).code(0xf0, 0x0f, 0xc1, 0x03);   // lock xadd [rbx], eax

        m.step();

        assertEquals(42, m.ram.read32(DATA));
        assertEquals(40, m.reg(RAX));
    }

    @Test
    void cmpxchgSucceedsWhenTheAccumulatorMatches() {
        m.ram.write64(DATA, 5);
        m.set(RBX, DATA).set(RAX, 5).set(RCX, 9).code(0xf0, 0x48, 0x0f, 0xb1, 0x0b); // lock cmpxchg [rbx], rcx

        m.step();

        assertEquals(9, m.ram.read64(DATA));
        assertEquals(5, m.reg(RAX));
        assertEquals(ZF, m.cpu.rflags & ZF);
    }

    @Test
    void cmpxchgFailureLoadsTheAccumulator() {
        m.ram.write64(DATA, 6);
        m.set(RBX, DATA).set(RAX, 5).set(RCX, 9).code(0x48, 0x0f, 0xb1, 0x0b);     // cmpxchg [rbx], rcx

        m.step();

        assertEquals(6, m.ram.read64(DATA));
        assertEquals(6, m.reg(RAX));
        assertEquals(0, m.cpu.rflags & ZF);
    }

    @Test
    void cmpxchg8bComparesEdxEaxAndStoresEcxEbx() {
        m.ram.write64(DATA, 0x0000_0002_0000_0001L);
        m.set(RDI, DATA).set(RAX, 1).set(RDX, 2).set(RBX, 0x33).set(RCX, 0x44)
                .code(0x0f, 0xc7, 0x0f);                                         // cmpxchg8b [rdi]

        m.step();

        assertEquals(0x0000_0044_0000_0033L, m.ram.read64(DATA));
        assertEquals(ZF, m.cpu.rflags & ZF);
    }

    @Test
    void cmpxchg16bMismatchLoadsRdxRax() {
        m.ram.write64(DATA, 7);
        m.ram.write64(DATA + 8, 8);
        m.set(RDI, DATA).flags(ZF).code(0x48, 0x0f, 0xc7, 0x0f);                // cmpxchg16b [rdi]

        m.step();

        assertEquals(7, m.reg(RAX));
        assertEquals(8, m.reg(RDX));
        assertEquals(0, m.cpu.rflags & ZF);
    }

    @Test
    void cmpxchg16bNeedsSixteenByteAlignment() {
        m.set(RDI, DATA + 8).code(0x48, 0x0f, 0xc7, 0x0f);

        m.step();

        assertEquals(CpuFault.GP, m.faultVector);
        assertEquals(CODE, m.cpu.rip);
    }

    @Test
    void pushImmediatesAreSignExtendedToTheOperandSize() {
        m.code(0x6a, 0xff, 0x66, 0x68, 0x34, 0x12);   // push -1 (qword); push word 0x1234

        m.step();
        m.step();

        assertEquals(-1L, m.ram.read64(STACK - 8));
        assertEquals(0x1234, m.ram.read16(STACK - 10));
        assertEquals(STACK - 10, m.reg(RSP));
    }

    @Test
    void pushRspPushesTheOldValueAndPopRspLoadsThePoppedOne() {
        m.ram.write64(STACK - 8, 0);
        m.code(0x54, 0x5c);   // push rsp; pop rsp

        m.step();
        long pushed = m.ram.read64(STACK - 8);
        m.step();

        assertEquals(STACK, pushed);
        assertEquals(STACK, m.reg(RSP));
    }

    @Test
    void popToAnRspBasedAddressUsesTheIncrementedStackPointer() {
        m.ram.write64(STACK, 0x77);
        m.code(0x8f, 0x44, 0x24, 0x08);   // pop qword [rsp+8]

        m.step();

        assertEquals(STACK + 8, m.reg(RSP));
        assertEquals(0x77, m.ram.read64(STACK + 16));
    }

    @Test
    void popToAReadOnlyPageFaultsAndLeavesRspAlone() {
        m.readOnly(DATA).set(RBX, DATA).code(0x8f, 0x03);   // pop qword [rbx]

        m.step();

        assertEquals(CpuFault.PF, m.faultVector);
        assertEquals(STACK, m.reg(RSP));
    }

    @Test
    void pushadAndPopadInThirtyTwoBitMode() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            for (int r = 0; r < 8; r++) {
                p.set(r, r == RSP ? STACK : 0x100 + r);
            }
            p.code(0x60, 0x31, 0xc0, 0x31, 0xed, 0x61);   // pushad; xor eax,eax; xor ebp,ebp; popad

            p.step();
            long savedEsp = p.ram.read32(STACK - 20);
            p.step();
            p.step();
            p.step();

            assertEquals(STACK, savedEsp);
            assertEquals(0x100, p.reg(RAX));
            assertEquals(0x105, p.reg(RBP));
            assertEquals(STACK, p.reg(RSP));
        }
    }

    @Test
    void typeConversions() {
        m.set(RAX, 0x80).code(0x66, 0x98,    // cbw
                0x98,                        // cwde
                0x48, 0x98,                  // cdqe
                0x48, 0x99);                 // cqo

        m.step();
        long cbw = m.reg(RAX);
        m.step();
        long cwde = m.reg(RAX);
        m.step();
        m.step();

        assertEquals(0xff80, cbw);
        assertEquals(0xffff_ff80L, cwde);
        assertEquals(-128, m.reg(RAX));
        assertEquals(-1, m.reg(RDX));
    }

    @Test
    void cdqWritesEdxZeroExtended() {
        m.set(RAX, 0x7fff_ffff).set(RDX, -1).code(0x99);   // cdq

        m.step();

        assertEquals(0, m.reg(RDX));
    }

    @Test
    void movbeLoadsAndStoresByteSwapped() {
        m.ram.write32(DATA, 0x1122_3344);
        m.set(RBX, DATA).set(RCX, 0x0102_0304_0506_0708L)
                .code(0x0f, 0x38, 0xf0, 0x03,            // movbe eax, [rbx]
                      0x48, 0x0f, 0x38, 0xf1, 0x4b, 0x08); // movbe [rbx+8], rcx

        m.step();
        m.step();

        assertEquals(0x4433_2211L, m.reg(RAX));
        assertEquals(0x0807_0605_0403_0201L, m.ram.read64(DATA + 8));
    }

    @Test
    void leaComputesTheAddressAtTheAddressSizeAndTruncatesToTheOperandSize() {
        m.set(RBX, 0xffff_ffff_ffff_fff0L).set(RCX, 8).code(
                0x67, 0x48, 0x8d, 0x04, 0x8b,    // lea rax, [ebx+ecx*4]
                0x66, 0x8d, 0x14, 0x8b);         // lea dx, [rbx+rcx*4]
        m.set(RDX, 0x5555_5555_5555_5555L);

        m.step();
        m.step();

        assertEquals(0x10, m.reg(RAX));
        assertEquals(0x5555_5555_5555_0010L, m.reg(RDX));
    }

    @Test
    void xlatIndexesRbxWithTheUnsignedAl() {
        m.ram.write8(DATA + 0xf0, 0x5a);
        m.set(RBX, DATA).set(RAX, 0x12f0).code(0xd7);

        m.step();

        assertEquals(0x125a, m.reg(RAX));
    }

    @Test
    void enterWithNestingCopiesFramePointersAndLeaveUndoesIt() {
        m.ram.write64(0x7f000 - 8, 0xdead);                  // the enclosing frame's display entry
        m.set(RBP, 0x7f000).code(0xc8, 0x20, 0x00, 0x02,     // enter 0x20, 2
                0xc9);                                       // leave

        m.step();
        long rbp = m.reg(RBP);
        long rsp = m.reg(RSP);
        long saved = m.ram.read64(STACK - 8);
        long copied = m.ram.read64(STACK - 16);
        long frame = m.ram.read64(STACK - 24);
        m.step();

        assertEquals(STACK - 8, rbp);
        assertEquals(STACK - 24 - 0x20, rsp);
        assertEquals(0x7f000, saved);
        assertEquals(0xdead, copied);
        assertEquals(STACK - 8, frame);
        assertEquals(0x7f000, m.reg(RBP));
        assertEquals(STACK, m.reg(RSP));
    }

    @Test
    void enterThatFaultsChangesNoRegister() {
        m.unmap(0x7eff8).set(RBP, 0x7f000).code(0xc8, 0x20, 0x00, 0x02);   // the display read faults

        boolean delivered = m.step();

        assertFalse(delivered);
        assertEquals(CpuFault.PF, m.faultVector);
        assertEquals(0x7f000, m.reg(RBP));
        assertEquals(STACK, m.reg(RSP));
    }

    @Test
    void aSixteenBitStackSegmentWrapsSpAndKeepsTheUpperHalfOfEsp() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.cpu.ss.attr &= ~org.hyperport.x86.cpu.Segment.DB;
            p.cpu.ss.base = 0x40000;
            p.set(RSP, 0x1_0002).set(RAX, 0xcafe_f00dL).code(0x50,     // push eax
                    0x41);                                              // inc ecx
            p.set(RCX, 0xffff_ffffL);

            p.step();
            p.step();

            assertEquals(0x1_fffe, p.reg(RSP));
            assertEquals(0xcafe_f00d, p.ram.read32(0x4fffe));
            assertEquals(0, p.reg(RCX));
        }
    }

    @Test
    void sixteenBitOperandsInRealMode() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.set(RBX, 0x10).set(RSI, 0x4).set(RAX, 0xffff_0000L);
            r.ram.write16(0x20000 + 0x14, 0xbeef);
            r.code(0x8b, 0x00,          // mov ax, [bx+si]
                   0x50,                // push ax
                   0x66, 0x5a);         // pop edx (32-bit operand size via 66)
            r.set(RDX, 0x1111_1111_0000_0000L);

            r.step();
            r.step();
            long sp = r.reg(RSP);
            r.step();

            assertEquals(0xffff_beefL, r.reg(RAX));
            assertEquals(0x7ffe, sp);
            assertEquals(0xbeef, r.ram.read16(0x20000 + 0x7ffe));
            assertEquals(0x8002, r.reg(RSP));
        }
    }
}
