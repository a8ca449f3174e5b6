package org.hyperport.s390.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstructionTableTest {

    private static long bits(String hex) {
        String h = hex.replace(" ", "");
        long v = Long.parseUnsignedLong(h, 16);
        return v << (64 - 4 * h.length());
    }

    private static Insn decode(String hex) {
        Insn i = new Insn();
        assertTrue(InstructionTable.get().decode(bits(hex), i), hex);
        return i;
    }

    @Test
    void rilRelativeImmediateIsSignExtendedHalfwords() {
        Insn i = decode("c010 ffff fffe"); // larl %r1,.-4
        assertEquals("LARL", i.mnemonic());
        assertEquals(6, i.length);
        assertEquals(1, i.r1);
        assertEquals(-2, i.i2);
    }

    @Test
    void riMaskAndImmediate() {
        Insn i = decode("a7f4 0008"); // j .+16
        assertEquals("BRC", i.mnemonic());
        assertEquals(15, i.m1);
        assertEquals(8, i.i2);
    }

    @Test
    void rxyLongDisplacementIsSigned20Bits() {
        Insn i = decode("e312 3fff ff04"); // lg %r1,-1(%r2,%r3)
        assertEquals("LG", i.mnemonic());
        assertEquals(1, i.r1);
        assertEquals(2, i.x2);
        assertEquals(3, i.b2);
        assertEquals(-1, i.d2);
        Insn j = decode("e312 3001 7f04"); // lg %r1,0x7f001(%r2,%r3)
        assertEquals(0x7f001, j.d2);
    }

    @Test
    void secondByteOpcodes() {
        assertEquals("AGR", decode("b908 0012").mnemonic());
        assertEquals("LPSWE", decode("b2b2 1000").mnemonic());
        assertEquals("LCTLG", decode("eb0f 1000 002f").mnemonic());
    }

    @Test
    void unknownOpcodeDecodesToNothingWithItsLength() {
        Insn i = new Insn();
        assertFalse(InstructionTable.get().decode(bits("0000"), i));
        assertEquals(2, i.length);
        assertFalse(InstructionTable.get().decode(bits("ff00 0000 0000"), i));
        assertEquals(6, i.length);
    }
}
