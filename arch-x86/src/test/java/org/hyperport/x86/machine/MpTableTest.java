package org.hyperport.x86.machine;

import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MpTableTest {

    private static final long FP = X86Layout.MP_TABLE_GPA;
    private static final long CT = FP + 16;

    private static int byteSum(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return IntStream.range(0, n).map(i -> b[i]).sum() & 0xff;
    }

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    @Test
    void floatingPointerAndHeaderChecksumToZero() {
        RamGuestMemory mem = ram(2 * MIB);

        long fp = MpTable.write(mem, 4);

        int size = mem.read16(CT + 4);
        assertAll(
                () -> assertEquals(FP, fp),
                () -> assertEquals(0, fp % 16),
                () -> assertArrayEquals("_MP_".getBytes(), read(mem, FP, 4)),
                () -> assertEquals((int) CT, mem.read32(FP + 4)),
                () -> assertEquals(1, mem.read8(FP + 8)),
                () -> assertEquals(4, mem.read8(FP + 9)),
                () -> assertEquals(0, mem.read8(FP + 11)),
                () -> assertEquals(0, byteSum(mem, FP, 16)),
                () -> assertArrayEquals("PCMP".getBytes(), read(mem, CT, 4)),
                () -> assertEquals(44 + 4 * 20 + 20 * 8, size),
                () -> assertEquals(4, mem.read8(CT + 6)),
                () -> assertEquals(0, byteSum(mem, CT, size)),
                () -> assertEquals(4 + 1 + 1 + 16 + 2, mem.read16(CT + 34)),
                () -> assertEquals(0xfee00000, mem.read32(CT + 36)));
    }

    @Test
    void processorBusAndIoapicEntries() {
        RamGuestMemory mem = ram(2 * MIB);

        MpTable.write(mem, 3);

        long cpu = CT + 44;
        long bus = cpu + 3 * 20;
        long ioapic = bus + 8;
        assertAll(
                () -> assertEquals(0, mem.read8(cpu)),
                () -> assertEquals(0, mem.read8(cpu + 1)),
                () -> assertEquals(0x14, mem.read8(cpu + 2)),
                () -> assertEquals(3, mem.read8(cpu + 3)),
                () -> assertEquals(1, mem.read8(cpu + 20 + 1)),
                () -> assertEquals(1, mem.read8(cpu + 20 + 3)),
                () -> assertEquals(2, mem.read8(cpu + 40 + 1)),
                () -> assertEquals(1, mem.read8(cpu + 40 + 3)),
                () -> assertEquals(1, mem.read8(bus)),
                () -> assertEquals(0, mem.read8(bus + 1)),
                () -> assertArrayEquals("ISA   ".getBytes(), read(mem, bus + 2, 6)),
                () -> assertEquals(2, mem.read8(ioapic)),
                () -> assertEquals(3, mem.read8(ioapic + 1)),
                () -> assertEquals(0x11, mem.read8(ioapic + 2)),
                () -> assertEquals(1, mem.read8(ioapic + 3)),
                () -> assertEquals(0xfec00000, mem.read32(ioapic + 4)));
    }

    @Test
    void isaIrqsMapToIoapicPinsAndLintsAreExtIntAndNmi() {
        RamGuestMemory mem = ram(2 * MIB);

        MpTable.write(mem, 2);

        long irq = CT + 44 + 2 * 20 + 8 + 8;
        long lint = irq + 16 * 8;
        assertAll(
                () -> assertEquals(3, mem.read8(irq)),
                () -> assertEquals(0, mem.read8(irq + 1)),
                () -> assertEquals(0, mem.read16(irq + 2)),
                () -> assertEquals(0, mem.read8(irq + 5)),
                () -> assertEquals(2, mem.read8(irq + 6)),
                () -> assertEquals(0, mem.read8(irq + 7)),
                () -> assertEquals(3, mem.read8(irq + 15 * 8)),
                () -> assertEquals(15, mem.read8(irq + 15 * 8 + 5)),
                () -> assertEquals(15, mem.read8(irq + 15 * 8 + 7)),
                () -> assertEquals(4, mem.read8(lint)),
                () -> assertEquals(3, mem.read8(lint + 1)),
                () -> assertEquals(0xff, mem.read8(lint + 6)),
                () -> assertEquals(0, mem.read8(lint + 7)),
                () -> assertEquals(4, mem.read8(lint + 8)),
                () -> assertEquals(1, mem.read8(lint + 8 + 1)),
                () -> assertEquals(0xff, mem.read8(lint + 8 + 6)),
                () -> assertEquals(1, mem.read8(lint + 8 + 7)));
    }

    @Test
    void largestTableFitsItsArea() {
        RamGuestMemory mem = ram(2 * MIB);

        MpTable.write(mem, 254);

        int size = mem.read16(CT + 4);
        assertAll(
                () -> assertTrue(16 + size <= X86Layout.MP_TABLE_SIZE),
                () -> assertEquals(0, byteSum(mem, CT, size)),
                () -> assertEquals(253, mem.read8(CT + 44 + 253 * 20 + 1)),
                () -> assertEquals(254, mem.read8(CT + 44 + 254 * 20 + 8 + 1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 255, 1000})
    void smpOutOfRangeIsBadInput(int smp) {
        RamGuestMemory mem = ram(2 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> MpTable.write(mem, smp));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("--smp " + smp + " is out of range: the MP table describes 1 to 254 CPUs",
                        e.getMessage()));
    }
}
