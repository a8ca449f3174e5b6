package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FXSAVE/FXRSTOR (SDM Vol 2 "FXSAVE", Tables 3-53 and 3-56): the 512-byte image, its checks and a round trip. */
class SseStateTest {

    static final long AREA = FpTestMachine.DATA;

    final FpTestMachine m = new FpTestMachine();

    @AfterEach
    void tearDown() {
        m.close();
    }

    private void fillState() {
        X86CpuState c = m.cpu;
        c.fcw = 0x027f;
        c.fsw = (5 << 11) | FpArith.PE;
        c.ftw = 0xe0;
        c.fop = 0x1d9;
        c.fip = 0xffff_8000_1234_5678L;
        c.fdp = 0x0000_7fff_0000_1000L;
        c.mxcsr = 0x9fc0;
        for (int k = 0; k < 16; k++) {
            c.st[k] = k % 2 == 1 ? 0x3f00 + k : 0x1000L * (k + 1) | Long.MIN_VALUE;
            c.xmm[2 * k] = 0x0101_0101_0101_0101L * k;
            c.xmm[2 * k + 1] = ~(0x0101_0101_0101_0101L * k);
        }
        c.gpr[X86CpuState.RDI] = AREA;
    }

    @Test
    void fxsave64WritesTheLayoutOfTheSdm() {
        fillState();

        int v = m.run("48 0F AE 07");                               // fxsave64 [rdi]

        assertEquals(-1, v);
        assertEquals(0x027f, m.ram.read16(AREA));
        assertEquals((5 << 11) | FpArith.PE, m.ram.read16(AREA + 2));
        assertEquals(0xe0, m.ram.read8(AREA + 4));
        assertEquals(0x1d9, m.ram.read16(AREA + 6));
        assertEquals(0xffff_8000_1234_5678L, m.ram.read64(AREA + 8));
        assertEquals(0x0000_7fff_0000_1000L, m.ram.read64(AREA + 16));
        assertEquals(0x9fc0, m.ram.read32(AREA + 24));
        assertEquals(0xffff, m.ram.read32(AREA + 28));
        assertEquals(m.cpu.st[0], m.ram.read64(AREA + 32));
        assertEquals(m.cpu.st[1], m.ram.read16(AREA + 40));
        assertEquals(m.cpu.st[14], m.ram.read64(AREA + 32 + 7 * 16));
        assertEquals(m.cpu.xmm[0], m.ram.read64(AREA + 160));
        assertEquals(m.cpu.xmm[31], m.ram.read64(AREA + 160 + 15 * 16 + 8));
    }

    @Test
    void legacyFxsaveStoresA32BitInstructionPointer() {
        fillState();

        m.run("0F AE 07");                                          // fxsave [rdi]

        assertEquals(0x1234_5678L, m.ram.read64(AREA + 8));
        assertEquals(0x1000L, m.ram.read64(AREA + 16));
    }

    @Test
    void fxrstorRestoresWhatFxsaveSaved() {
        fillState();
        m.run("48 0F AE 07");                                       // fxsave64 [rdi]
        long[] st = m.cpu.st.clone();
        long[] xmm = m.cpu.xmm.clone();
        m.run("DB E3");                                             // fninit
        java.util.Arrays.fill(m.cpu.xmm, 0);
        m.cpu.mxcsr = 0x1f80;
        m.cpu.fip = 0;

        int v = m.run("48 0F AE 0F");                               // fxrstor64 [rdi]

        assertEquals(-1, v);
        assertEquals(0x027f, m.cpu.fcw);
        assertEquals((5 << 11) | FpArith.PE, m.cpu.fsw);
        assertEquals(0xe0, m.cpu.ftw);
        assertEquals(0x1d9, m.cpu.fop);
        assertEquals(0xffff_8000_1234_5678L, m.cpu.fip);
        assertEquals(0x9fc0, m.cpu.mxcsr);
        assertArrayEquals(st, m.cpu.st);
        assertArrayEquals(xmm, m.cpu.xmm);
    }

    @Test
    void fxsaveToAMisalignedAreaIsGp() {
        fillState();
        m.cpu.gpr[X86CpuState.RDI] = AREA + 8;

        assertEquals(CpuFault.GP, m.run("48 0F AE 07"));
    }

    @Test
    void fxrstorOfAnImageWithReservedMxcsrBitsIsGpAndChangesNothing() {
        fillState();
        m.run("48 0F AE 07");
        m.ram.write32(AREA + 24, 0x0001_1f80);
        m.cpu.mxcsr = 0x1f80;
        m.cpu.fcw = 0x37f;

        int v = m.run("48 0F AE 0F");

        assertEquals(CpuFault.GP, v);
        assertEquals(0x1f80, m.cpu.mxcsr);
        assertEquals(0x37f, m.cpu.fcw);
    }

    @Test
    void fxsaveWithCr0TsIsNm() {
        fillState();
        m.cpu.cr0 |= SseInstructions.CR0_TS;

        assertEquals(CpuFault.NM, m.run("48 0F AE 07"));
    }

    @Test
    void fxsaveAfterFninitShowsTheInitialState() {
        m.cpu.gpr[X86CpuState.RDI] = AREA;
        m.cpu.fsw = 0xffff;
        m.cpu.ftw = 0xff;

        m.run("DB E3");                                             // fninit
        m.run("48 0F AE 07");

        assertEquals(0x037f, m.ram.read16(AREA));
        assertEquals(0, m.ram.read16(AREA + 2));
        assertEquals(0, m.ram.read8(AREA + 4));
        assertEquals(0x1f80, m.ram.read32(AREA + 24));
    }
}
