package org.hyperport.x86.machine;

import org.hyperport.common.loader.ElfBuilder;
import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.image;
import static org.hyperport.x86.machine.TestImages.pattern;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.Test;

class DirectElfBootTest {

    private static final long ZP = X86Layout.ZERO_PAGE_GPA;

    private static byte[] vmlinux(long entry) {
        return ElfBuilder.x86_64().entry(entry)
                .load(0xffffffff81000000L, 0x1000000, pattern(0x300, 2), 0x2000)
                .load(0xffffffff82000000L, 0x2000000, pattern(0x100, 8), 0x100).build();
    }

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    @Test
    void highVirtualEntryIsTranslatedToItsSegmentsPhysicalAddress() {
        byte[] file = vmlinux(0xffffffff81000040L);
        RamGuestMemory mem = ram(64 * MIB);

        X86EntryState e = X86Boot.load(mem, image("vmlinux", file), 1);

        assertAll(
                () -> assertEquals(new X86EntryState(Mode.LONG_64, 0x1000040, 0x8ff0, 0, 0, ZP, 0x9000, 0x500, 47), e),
                () -> assertArrayEquals(pattern(0x300, 2), read(mem, 0x1000000, 0x300)),
                () -> assertArrayEquals(pattern(0x100, 8), read(mem, 0x2000000, 0x100)),
                () -> assertEquals(X86Boot.GDT_CODE64, mem.read64(0x510)),
                () -> assertEquals(0xa003, mem.read64(0x9000)));
    }

    @Test
    void physicalEntryIsTakenAsIs() {
        byte[] file = vmlinux(0x1000000);
        RamGuestMemory mem = ram(64 * MIB);

        X86EntryState e = X86Boot.load(mem, image("vmlinux", file), 1);

        assertEquals(0x1000000, e.rip());
    }

    @Test
    void zeroPageHasMinimalHeaderCmdlineInitrdAndE820() {
        byte[] file = vmlinux(0xffffffff81000000L);
        byte[] initrd = pattern(0x1800, 6);
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("vmlinux", file, initrd, "root=/dev/vda"), 1);

        assertAll(
                () -> assertEquals(0xaa55, mem.read16(ZP + 0x1fe)),
                () -> assertEquals(0x53726448, mem.read32(ZP + 0x202)),
                () -> assertEquals(0xff, mem.read8(ZP + 0x210)),
                () -> assertEquals(0x1000000, mem.read32(ZP + 0x230)),
                () -> assertEquals(0x20000, mem.read32(ZP + 0x228)),
                () -> assertArrayEquals("root=/dev/vda\0".getBytes(), read(mem, 0x20000, 14)),
                () -> assertEquals(64 * MIB - 0x2000, mem.read32(ZP + 0x218)),
                () -> assertEquals(0x1800, mem.read32(ZP + 0x21c)),
                () -> assertArrayEquals(initrd, read(mem, 64 * MIB - 0x2000, initrd.length)),
                () -> assertEquals(3, mem.read8(ZP + 0x1e8)),
                () -> assertEquals(0x100000, mem.read64(ZP + 0x2d0 + 40)));
    }

    @Test
    void initrdStaysBelow2GiB() {
        byte[] file = vmlinux(0xffffffff81000000L);
        try (RamGuestMemory mem = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 2304 * MIB)) {

            X86Boot.load(mem, image("vmlinux", file, new byte[0x1000], ""), 1);

            assertEquals(0x7fff_f000, mem.read32(ZP + 0x218));
        }
    }

    @Test
    void segmentBelowOneMegIsBadInput() {
        byte[] file = ElfBuilder.x86_64().entry(0x8000).load(0x8000, 0x8000, pattern(0x10, 0), 0x10).build();
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("low", file), 1));

        assertEquals("low: segment 0 at 0x8000-0x8010 overlaps the boot structures below 1 MiB", e.getMessage());
    }

    @Test
    void entryOutsideEverySegmentIsBadInput() {
        byte[] file = vmlinux(0xffffffff90000000L);
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("v", file), 1));

        assertEquals("v: entry point 0xffffffff90000000 is not inside any PT_LOAD segment", e.getMessage());
    }
}
