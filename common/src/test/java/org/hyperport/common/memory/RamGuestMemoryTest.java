package org.hyperport.common.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.GuestMemoryException;
import org.hyperport.api.HyperportException;
import org.junit.jupiter.api.Test;

class RamGuestMemoryTest {

    @Test
    void bigEndianGuestsReadInTheirOrderAndLeAccessorsStayLittle() {
        try (RamGuestMemory m = RamGuestMemory.allocate(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, 4096)) {
            m.write32(0x100, 0x11223344);

            assertEquals(0x11, m.read8(0x100));
            assertEquals(0x44332211, m.read32LE(0x100));
            assertEquals(AddressSpace.ABSOLUTE, m.space());
        }
    }

    @Test
    void regionsAroundAHoleAreIndexedByGpa() {
        try (RamGuestMemory m = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN,
                0, 0x2000, 0x10000, 0x1000)) {
            m.write64(0x10ff8, 0x0102030405060708L);

            assertEquals(0x0102030405060708L, m.read64(0x10ff8));
            assertEquals(0x3000, m.size());
            assertTrue(m.contains(0x1000, 0x1000));
            assertFalse(m.contains(0x1ff8, 16));
            assertFalse(m.contains(0x5000, 1));
        }
    }

    @Test
    void accessOutsideRamIsABadInputErrorNamingTheRange() {
        try (RamGuestMemory m = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 4096)) {
            GuestMemoryException e = assertThrows(GuestMemoryException.class,
                    () -> m.writeBytes(4000, new byte[200]));

            assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
            assertTrue(e.getMessage().contains("0xfa0+0xc8"), e.getMessage());
        }
    }

    @Test
    void mmapBackedMemoryIsZeroedAndWritable() {
        try (RamGuestMemory m = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 1 << 20)) {
            assertEquals(0, m.read64(0x8000));
            m.fill(0x8000, 16, (byte) 0xab);
            assertEquals(0xabababab, m.read32(0x800c));
            assertEquals(1L << 20, m.regions().getFirst().host().byteSize());
        }
    }
}
