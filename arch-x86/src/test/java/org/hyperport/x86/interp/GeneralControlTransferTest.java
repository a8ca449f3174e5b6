package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.DATA;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RBX;
import static org.hyperport.x86.interp.GeneralMachine.RCX;
import static org.hyperport.x86.interp.GeneralMachine.RSP;
import static org.hyperport.x86.interp.GeneralMachine.STACK;
import static org.hyperport.x86.interp.GeneralMachine.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Near control transfers (SDM Vol 1 §7.3 "Control Transfer Instructions") in 64-bit, 32-bit and real mode. */
class GeneralControlTransferTest {

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void relativeJumps() {
        m.code(0xeb, 0x10);                                   // jmp +0x10

        m.step();
        long afterShort = m.cpu.rip;
        m.code(0xe9, 0x00, 0xff, 0xff, 0xff);                 // jmp -0x100
        m.step();

        assertEquals(CODE + 0x12, afterShort);
        assertEquals(CODE + 0x12 + 5 - 0x100, m.cpu.rip);
    }

    @Test
    void indirectJumpsThroughARegisterAndMemory() {
        m.ram.write64(DATA, 0x12345);
        m.set(RAX, 0x40000).set(RBX, DATA).code(0xff, 0xe0);  // jmp rax

        m.step();
        long viaRegister = m.cpu.rip;
        m.code(0xff, 0x23);                                    // jmp [rbx]
        m.step();

        assertEquals(0x40000, viaRegister);
        assertEquals(0x12345, m.cpu.rip);
    }

    @Test
    void aNonCanonicalTargetFaultsOnTheBranchItself() {
        m.set(RAX, 0x0000_8000_0000_0000L).code(0xff, 0xd0);   // call rax

        m.step();

        assertEquals(CpuFault.GP, m.faultVector);
        assertEquals(0, m.faultError);
        assertEquals(CODE, m.cpu.rip);
        assertEquals(STACK, m.reg(RSP));
    }

    @Test
    void conditionalJumps() {
        m.flags(ZF).code(0x74, 0x05);                          // je +5 (taken)

        m.step();
        long taken = m.cpu.rip;
        m.code(0x0f, 0x85, 0x00, 0x01, 0x00, 0x00);            // jne +0x100 (not taken)
        m.step();

        assertEquals(CODE + 7, taken);
        assertEquals(CODE + 13, m.cpu.rip);
    }

    @Test
    void jecxzTestsOnlyEcx() {
        m.set(RCX, 0x1_0000_0000L).code(0x67, 0xe3, 0x10);    // jecxz +0x10

        m.step();
        long jecxz = m.cpu.rip;
        m.code(0xe3, 0x10);                                    // jrcxz +0x10 (rcx != 0)
        m.step();

        assertEquals(CODE + 3 + 0x10, jecxz);
        assertEquals(CODE + 0x15, m.cpu.rip);
    }

    @Test
    void loopDecrementsRcxWithoutTouchingFlags() {
        m.set(RCX, 2).flags(ZF).code(0xe2, 0xfe);              // loop $ (to itself)

        m.step();
        long first = m.cpu.rip;
        m.step();

        assertEquals(CODE, first);
        assertEquals(CODE + 2, m.cpu.rip);
        assertEquals(0, m.reg(RCX));
        assertEquals(ZF, m.cpu.rflags & ZF);
    }

    @Test
    void loopeAndLoopneAlsoTestZf() {
        m.set(RCX, 5).flags(0).code(0xe1, 0x10);               // loope (ZF = 0: not taken)

        m.step();
        long loope = m.cpu.rip;
        m.code(0xe0, 0x10);                                    // loopne (ZF = 0: taken)
        m.step();

        assertEquals(CODE + 2, loope);
        assertEquals(CODE + 4 + 0x10, m.cpu.rip);
        assertEquals(3, m.reg(RCX));
    }

    @Test
    void aLoopWithABadTargetLeavesRcxUnchanged() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.cpu.cs.limit = 0x10010;
            p.set(RCX, 2).code(0xe2, 0x7f);                    // loop +0x7f, beyond the CS limit

            p.step();

            assertEquals(CpuFault.GP, p.faultVector);
            assertEquals(2, p.reg(RCX));
        }
    }

    @Test
    void callPushesTheReturnAddressAndRetPopsIt() {
        m.code(0xe8, 0x00, 0x10, 0x00, 0x00);                  // call +0x1000

        m.step();
        long target = m.cpu.rip;
        long pushed = m.ram.read64(STACK - 8);
        m.code(0xc2, 0x10, 0x00);                              // ret 0x10
        m.step();

        assertEquals(CODE + 5 + 0x1000, target);
        assertEquals(CODE + 5, pushed);
        assertEquals(CODE + 5, m.cpu.rip);
        assertEquals(STACK + 0x10, m.reg(RSP));
    }

    @Test
    void retToANonCanonicalAddressFaultsWithRspUnchanged() {
        m.ram.write64(STACK, 0x8000_0000_0000_0000L);
        m.code(0xc3);

        m.step();

        assertEquals(CpuFault.GP, m.faultVector);
        assertEquals(STACK, m.reg(RSP));
        assertEquals(CODE, m.cpu.rip);
    }

    @Test
    void sixteenBitOperandSizeTruncatesTheTargetIn32BitMode() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.code(0x66, 0xe9, 0x00, 0x00);                    // jmp +0 with a 16-bit operand size

            p.step();

            assertEquals(0x0004, p.cpu.rip);
        }
    }

    @Test
    void sixteenBitCallPushesAWordIn32BitMode() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.set(RAX, 0x1234_5678).code(0x66, 0xff, 0xd0);   // call ax

            p.step();

            assertEquals(0x5678, p.cpu.rip);
            assertEquals(STACK - 2, p.reg(RSP));
            assertEquals(0x0003, p.ram.read16(STACK - 2));
        }
    }

    @Test
    void jumpBeyondTheCodeSegmentLimitIsGp() {
        try (GeneralMachine p = GeneralMachine.protected32()) {
            p.cpu.cs.limit = 0xffff;
            p.code(0xe9, 0x00, 0x00, 0x01, 0x00);             // jmp +0x10000

            p.step();

            assertEquals(CpuFault.GP, p.faultVector);
            assertEquals(CODE, p.cpu.rip);
        }
    }

    @Test
    void realModeCallAndRetUseSixteenBitIpAndSp() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.code(0xe8, 0xfd, 0x00);                          // call +0xfd -> ip 0x100

            r.step();
            long ip = r.cpu.rip;
            long sp = r.reg(RSP);
            r.code(0xc3);                                      // ret
            r.step();

            assertEquals(0x100, ip);
            assertEquals(0x7ffe, sp);
            assertEquals(0x0003, r.ram.read16(0x20000 + 0x7ffe));
            assertEquals(0x0003, r.cpu.rip);
            assertEquals(0x8000, r.reg(RSP));
        }
    }

    @Test
    void realModeLoopCountsInCxOnlyAndA67PrefixMakesItEcx() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.set(RCX, 0x1234_0001L).code(0xe2, 0x10,               // loop +0x10 (cx 1 -> 0: not taken)
                    0x67, 0xe2, 0x10);                              // loop +0x10 with ecx (0x12340000 -> taken)

            r.step();
            long cx = r.reg(RCX);
            r.step();

            assertEquals(0x1234_0000L, cx);
            assertEquals(0x1233_ffffL, r.reg(RCX));
            assertEquals(0x15, r.cpu.rip);
        }
    }

    @Test
    void realModeRelativeJumpWrapsAtSixtyFourKilobytes() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.code(0xe9, 0xfd, 0xff);                          // jmp -3 -> ip 0 again
            r.step();
            long first = r.cpu.rip;
            r.code(0xe9, 0xf0, 0xff);                          // jmp -0x10 -> ip 0xfff3
            r.step();

            assertEquals(0, first);
            assertEquals(0xfff3, r.cpu.rip);
        }
    }
}
