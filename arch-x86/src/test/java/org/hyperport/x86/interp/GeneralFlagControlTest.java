package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.AF;
import static org.hyperport.x86.interp.GeneralMachine.CF;
import static org.hyperport.x86.interp.GeneralMachine.DF;
import static org.hyperport.x86.interp.GeneralMachine.IF;
import static org.hyperport.x86.interp.GeneralMachine.OF;
import static org.hyperport.x86.interp.GeneralMachine.PF;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RSP;
import static org.hyperport.x86.interp.GeneralMachine.SF;
import static org.hyperport.x86.interp.GeneralMachine.STACK;
import static org.hyperport.x86.interp.GeneralMachine.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flag control instructions (SDM Vol 1 §7.3 "Flag Control (EFLAG) Instructions"), with the privilege rules of
 * Vol 2 "POPF" and "PUSHF".
 */
class GeneralFlagControlTest {

    static final long RF = 1 << 16, VM = 1 << 17, AC = 1 << 18, IOPL3 = 3 << 12;

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void carryAndDirectionFlagInstructions() {
        m.flags(0).code(0xf9, 0xf5, 0xf5, 0xfd, 0xf8, 0xfc);   // stc cmc cmc std clc cld

        m.step();
        long stc = m.cpu.rflags;
        m.step();
        long cmc = m.cpu.rflags;
        m.step();
        m.step();
        long std = m.cpu.rflags;
        m.step();
        m.step();

        assertEquals(2 | CF, stc);
        assertEquals(2, cmc);
        assertEquals(2 | CF | DF, std);
        assertEquals(2, m.cpu.rflags);
    }

    @Test
    void lahfAndSahfMoveTheFiveStatusFlagsThroughAh() {
        m.flags(SF | ZF | AF | PF | CF | OF).set(RAX, 0x1111_0000L).code(0x9f,   // lahf
                0xf8,                                                             // clc
                0x9e);                                                            // sahf

        m.step();
        long ax = m.reg(RAX);
        m.step();
        m.set(RAX, 0x0100);
        m.step();

        assertEquals(0x1111_d700L, ax);
        assertEquals(2 | CF | OF, m.cpu.rflags);
    }

    @Test
    void pushfClearsRfAndVmInTheImage() {
        m.flags(RF | 0x246).code(0x9c);                                         // pushfq

        m.step();

        assertEquals(0x246, m.ram.read64(STACK - 8));
        assertEquals(STACK - 8, m.reg(RSP));
    }

    @Test
    void popfAtCplZeroChangesEveryWritableFlagAndClearsRf() {
        m.ram.write64(STACK, -1L);
        m.flags(RF).code(0x9d);                                                 // popfq

        m.step();

        assertEquals(0x247fd7L, m.cpu.rflags);
        assertEquals(STACK + 8, m.reg(RSP));
    }

    @Test
    void popfAtCplThreeKeepsIfAndIoplBelowIopl() {
        m.user(0).flags(IF);
        m.ram.write64(STACK, IOPL3 | DF);
        m.code(0x9d);

        m.step();

        assertEquals(2 | IF | DF, m.cpu.rflags);
    }

    @Test
    void popfAtCplThreeWithIoplThreeChangesIfButNotIopl() {
        m.user(3).flags(IOPL3);
        m.ram.write64(STACK, IF);
        m.code(0x9d);

        m.step();

        assertEquals(2 | IOPL3 | IF, m.cpu.rflags);
    }

    @Test
    void sixteenBitPopfChangesOnlyFlags15To0() {
        m.ram.write16(STACK, 0xffff);
        m.flags(RF | AC).code(0x66, 0x9d);                                     // popf (16-bit)

        m.step();

        assertEquals(RF | AC | 0x7fd7, m.cpu.rflags);
        assertEquals(STACK + 2, m.reg(RSP));
    }

    @Test
    void realModePopfdCanChangeIopl() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.ram.write32(0x20000 + 0x8000, (int) (IOPL3 | IF));
            r.code(0x66, 0x9d);                                                 // popfd

            r.step();

            assertEquals(2 | IOPL3 | IF, r.cpu.rflags);
            assertEquals(0x8004, r.reg(RSP));
        }
    }

    @Test
    void virtual8086PopfAndPushfBelowIoplThreeAreGp() {
        try (GeneralMachine v = GeneralMachine.protected32()) {
            v.flags(VM).code(0x9d);

            v.step();
            int popf = v.faultVector;
            v.code(0x9c);
            v.step();

            assertEquals(CpuFault.GP, popf);
            assertEquals(CpuFault.GP, v.faultVector);
            assertEquals(STACK, v.reg(RSP));
        }
    }

    @Test
    void virtual8086PopfWithIoplThreeChangesIfButNotIopl() {
        try (GeneralMachine v = GeneralMachine.protected32()) {
            v.ram.write16(STACK, (int) IF);
            v.flags(VM | IOPL3).code(0x9d);                                     // popf (16-bit in VM86)

            v.step();

            assertEquals(2 | VM | IOPL3 | IF, v.cpu.rflags);
        }
    }
}
