package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.GeneralMachine.CODE;
import static org.hyperport.x86.interp.GeneralMachine.DATA;
import static org.hyperport.x86.interp.GeneralMachine.DF;
import static org.hyperport.x86.interp.GeneralMachine.RAX;
import static org.hyperport.x86.interp.GeneralMachine.RCX;
import static org.hyperport.x86.interp.GeneralMachine.RDI;
import static org.hyperport.x86.interp.GeneralMachine.RSI;
import static org.hyperport.x86.interp.GeneralMachine.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.isa.IntegerOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** String instructions and their repeat prefixes (SDM Vol 1 §7.3 "String Operations"). */
class GeneralStringTest {

    GeneralMachine m = GeneralMachine.long64();

    @AfterEach
    void tearDown() {
        m.close();
    }

    private void put(long gpa, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        m.ram.writeBytes(gpa, b, 0, b.length);
    }

    @Test
    void repMovsbCopiesForwards() {
        put(DATA, "hello");
        m.set(RSI, DATA).set(RDI, DATA + 0x100).set(RCX, 5).code(0xf3, 0xa4);   // rep movsb

        m.step();

        assertEquals(0x6f6c6c6568L, m.ram.read64(DATA + 0x100) & 0xff_ffff_ffffL);
        assertEquals(0, m.reg(RCX));
        assertEquals(DATA + 5, m.reg(RSI));
        assertEquals(DATA + 0x105, m.reg(RDI));
        assertEquals(CODE + 2, m.cpu.rip);
    }

    @Test
    void repStosqWithDfSetGoesBackwards() {
        m.flags(DF).set(RAX, 0x1111).set(RDI, DATA + 0x18).set(RCX, 3).code(0xf3, 0x48, 0xab);   // rep stosq

        m.step();

        assertEquals(0x1111, m.ram.read64(DATA + 0x18));
        assertEquals(0x1111, m.ram.read64(DATA + 0x8));
        assertEquals(0, m.ram.read64(DATA));
        assertEquals(DATA, m.reg(RDI));
    }

    @Test
    void lodsdZeroExtendsRax() {
        m.ram.write32(DATA, 0x8765_4321);
        m.set(RAX, -1).set(RSI, DATA).code(0xad);                                   // lodsd

        m.step();

        assertEquals(0x8765_4321L, m.reg(RAX));
        assertEquals(DATA + 4, m.reg(RSI));
    }

    @Test
    void repeCmpsbStopsAtTheFirstDifference() {
        put(DATA, "abcX");
        put(DATA + 0x100, "abcY");
        m.set(RSI, DATA).set(RDI, DATA + 0x100).set(RCX, 10).code(0xf3, 0xa6);    // repe cmpsb

        m.step();

        assertEquals(6, m.reg(RCX));
        assertEquals(DATA + 4, m.reg(RSI));
        assertEquals(IntegerOps.CF | IntegerOps.SF | IntegerOps.AF | IntegerOps.PF,
                m.cpu.rflags & IntegerOps.STATUS);
    }

    @Test
    void repneScasbFindsTheTerminator() {
        put(DATA, "hello\0");
        m.set(RAX, 0).set(RDI, DATA).set(RCX, 100).code(0xf2, 0xae);               // repne scasb

        m.step();

        assertEquals(94, m.reg(RCX));
        assertEquals(DATA + 6, m.reg(RDI));
        assertEquals(ZF, m.cpu.rflags & ZF);
    }

    @Test
    void aZeroCountDoesNothing() {
        m.flags(IntegerOps.CF).set(RSI, DATA).set(RDI, DATA + 1).code(0xf3, 0xa6);  // repe cmpsb, rcx = 0

        m.step();

        assertEquals(DATA, m.reg(RSI));
        assertEquals(IntegerOps.CF, m.cpu.rflags & IntegerOps.STATUS);
        assertEquals(CODE + 2, m.cpu.rip);
    }

    @Test
    void thirtyTwoBitAddressSizeUsesEsiEdiEcxAndClearsTheirUpperHalves() {
        put(DATA, "xy");
        m.set(RSI, 0x1_0000_0000L | DATA).set(RDI, 0x2_0000_0000L | (DATA + 0x10)).set(RCX, 0x3_0000_0002L)
                .code(0x67, 0xf3, 0xa4);                                            // rep movsb (addr32)

        m.step();

        assertEquals(0x7978, m.ram.read16(DATA + 0x10));
        assertEquals(0, m.reg(RCX));
        assertEquals(DATA + 2, m.reg(RSI));
        assertEquals(DATA + 0x12, m.reg(RDI));
    }

    @Test
    void aPageFaultMidwayLeavesTheCompletedIterationsAndTheInstructionRestarts() {
        for (int b = 0; b < 32; b++) {
            m.ram.write8(DATA + 0x1000 - 16 + b, 0x40 + b);
        }
        m.unmap(DATA + 0x1000)
                .set(RSI, DATA + 0x1000 - 16).set(RDI, 0x40000).set(RCX, 32).code(0xf3, 0xa4);   // rep movsb

        m.step();
        int vector = m.faultVector;
        long rcx = m.reg(RCX);
        long rsi = m.reg(RSI);
        long rdi = m.reg(RDI);
        long rip = m.cpu.rip;
        long cr2 = m.cpu.cr2;
        m.map(DATA + 0x1000);
        m.step();

        assertEquals(CpuFault.PF, vector);
        assertEquals(16, rcx);
        assertEquals(DATA + 0x1000, rsi);
        assertEquals(0x40010, rdi);
        assertEquals(CODE, rip);
        assertEquals(DATA + 0x1000, cr2);
        assertEquals(0, m.reg(RCX));
        assertEquals(0x5f, m.ram.read8(0x40000 + 31));
        assertEquals(CODE + 2, m.cpu.rip);
    }

    @Test
    void longRepetitionsAreSplitIntoChunksWithRipOnTheInstruction() {
        m.set(RAX, 0xcc).set(RDI, DATA).set(RCX, 5000).code(0xf3, 0xaa);         // rep stosb

        m.step();
        long rcx = m.reg(RCX);
        long rip = m.cpu.rip;
        int more = m.stepUntilPast();

        assertEquals(5000 - StringInstructions.CHUNK, rcx);
        assertEquals(CODE, rip);
        assertEquals(1, more);
        assertEquals(0, m.reg(RCX));
        assertEquals(0xcc, m.ram.read8(DATA + 4999));
        assertEquals(0, m.ram.read8(DATA + 5000));
    }

    @Test
    void realModeSegmentOverrideAppliesToTheSourceAndDiWrapsAt64K() {
        try (GeneralMachine r = GeneralMachine.real16()) {
            r.cpu.es.set(0x3000, 0x30000, 0xffff, 0x93 | Segment.S);
            r.ram.write16(0x10000 + 0x100, 0xabcd);            // CS:0x100
            r.ram.write16(0x10000 + 0x102, 0x1234);
            r.set(RSI, 0x100).set(RDI, 0x7777_0000_0000_fffeL).set(RCX, 2)
                    .code(0x2e, 0xf3, 0xa5);                   // rep movsw cs:[si] -> es:[di]

            r.step();

            assertEquals(0xabcd, r.ram.read16(0x30000 + 0xfffe));
            assertEquals(0x1234, r.ram.read16(0x30000));
            assertEquals(0x7777_0000_0000_0002L, r.reg(RDI));
            assertEquals(0x104, r.reg(RSI));
            assertEquals(0, r.reg(RCX));
        }
    }
}
