package org.hyperport.x86.machine;

import static org.hyperport.x86.machine.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class E820Test {

    private static final long GIB = 1L << 30;

    @Test
    void smallMachineHasLowRamReservedBiosAreaAndRamFromOneMeg() {
        List<E820.Entry> map = E820.map(128 * MIB);

        assertEquals(List.of(
                new E820.Entry(0, 0x9fc00, E820.RAM),
                new E820.Entry(0x9fc00, 0x60400, E820.RESERVED),
                new E820.Entry(0x100000, 127 * MIB, E820.RAM)), map);
    }

    @Test
    void ramAboveThreeGibMovesToFourGib() {
        List<E820.Entry> map = E820.map(5 * GIB);

        assertEquals(List.of(
                new E820.Entry(0, 0x9fc00, E820.RAM),
                new E820.Entry(0x9fc00, 0x60400, E820.RESERVED),
                new E820.Entry(0x100000, 3 * GIB - MIB, E820.RAM),
                new E820.Entry(4 * GIB, 2 * GIB, E820.RAM)), map);
    }

    @Test
    void ramRegionsMatchTheMap() {
        long[] small = E820.ramRegions(256 * MIB);
        long[] exact = E820.ramRegions(3 * GIB);
        long[] big = E820.ramRegions(8 * GIB);

        assertArrayEquals(new long[] {0, 256 * MIB}, small);
        assertArrayEquals(new long[] {0, 3 * GIB}, exact);
        assertArrayEquals(new long[] {0, 3 * GIB, 4 * GIB, 5 * GIB}, big);
    }

    @Test
    void lowRamEndStopsAtTheHole() {
        assertEquals(64 * MIB, E820.lowRamEnd(64 * MIB));
        assertEquals(3 * GIB, E820.lowRamEnd(16 * GIB));
    }
}
