package org.hyperport.x86.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuidModelTest {

    final int[] r = new int[4];

    @Test
    void vendorStringIsEbxEdxEcx() {
        new CpuidModel(0).query(0, 0, r);

        String vendor = new String(new byte[] {(byte) r[1], (byte) (r[1] >> 8), (byte) (r[1] >> 16),
            (byte) (r[1] >> 24), (byte) r[3], (byte) (r[3] >> 8), (byte) (r[3] >> 16), (byte) (r[3] >> 24),
            (byte) r[2], (byte) (r[2] >> 8), (byte) (r[2] >> 16), (byte) (r[2] >> 24)},
                java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("HyperportCPU", vendor);
    }

    @Test
    void linuxRequiredFeaturesArePresent() {
        // arch/x86/include/asm/required-features.h for x86-64: FPU PSE MSR PAE CX8 PGE CMOV FXSR SSE SSE2 and LM.
        int required1 = (1) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 13) | (1 << 15) | (1 << 24)
                | (1 << 25) | (1 << 26);
        new CpuidModel(0).query(1, 0, r);
        assertEquals(required1, r[3] & required1);
        new CpuidModel(0).query(0x80000001, 0, r);
        assertEquals(1 << 29, r[3] & (1 << 29));
    }

    @Test
    void apicIdIsInLeafOneEbx() {
        new CpuidModel(3).query(1, 0, r);

        assertEquals(3, r[1] >>> 24);
    }

    @Test
    void addressSizesAre48LinearAnd40Physical() {
        new CpuidModel(0).query(0x80000008, 0, r);

        assertEquals(0x3028, r[0]);
    }
}
