package org.hyperport.x86.machine;

import org.hyperport.common.loader.ElfBuilder;
import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.image;
import static org.hyperport.x86.machine.TestImages.le32;
import static org.hyperport.x86.machine.TestImages.le64;
import static org.hyperport.x86.machine.TestImages.pattern;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.Test;

class PvhBootProtocolTest {

    private static final long SI = X86Layout.PVH_START_INFO_GPA;

    /** A vmlinux-like ELF64: text at virtual 0xffffffff81000000, physical 16 MiB, PVH entry 0x1000100. */
    private static byte[] vmlinuxWithPvhNote(byte[] desc) {
        return ElfBuilder.x86_64().entry(0xffffffff81000000L)
                .load(0xffffffff81000000L, 0x1000000, pattern(0x200, 9), 0x4000)
                .note("Xen", 18, desc).note("Linux", 1, new byte[4]).build();
    }

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    @Test
    void entersProtectedModeAtTheNoteEntryWithStartInfoInEbx() {
        byte[] file = vmlinuxWithPvhNote(le32(0x1000100));
        RamGuestMemory mem = ram(64 * MIB);

        X86EntryState e = X86Boot.load(mem, image("vmlinux", file), 1);

        assertAll(
                () -> assertEquals(new X86EntryState(Mode.PROTECTED_32, 0x1000100, 0, 0, SI, 0, 0, 0x500, 47), e),
                () -> assertArrayEquals(pattern(0x200, 9), read(mem, 0x1000000, 0x200)),
                () -> assertEquals(0, mem.read64(0x1000200)),
                () -> assertEquals(X86Boot.GDT_CODE32, mem.read64(0x510)),
                () -> assertEquals(X86Boot.GDT_TSS, mem.read64(0x520)));
    }

    @Test
    void startInfoDescribesCmdlineInitrdAndMemoryMap() {
        byte[] file = vmlinuxWithPvhNote(le32(0x1000100));
        byte[] initrd = pattern(0x2800, 4);
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("vmlinux", file, initrd, "console=hvc0"), 1);

        long initrdGpa = 64 * MIB - 0x3000;
        long mm = X86Layout.PVH_MEMMAP_GPA;
        assertAll(
                () -> assertEquals(0x336ec578, mem.read32(SI)),
                () -> assertEquals(1, mem.read32(SI + 4)),
                () -> assertEquals(0, mem.read32(SI + 8)),
                () -> assertEquals(1, mem.read32(SI + 12)),
                () -> assertEquals(X86Layout.PVH_MODLIST_GPA, mem.read64(SI + 16)),
                () -> assertEquals(X86Layout.CMDLINE_GPA, mem.read64(SI + 24)),
                () -> assertEquals(0, mem.read64(SI + 32)),
                () -> assertEquals(mm, mem.read64(SI + 40)),
                () -> assertEquals(3, mem.read32(SI + 48)),
                () -> assertArrayEquals("console=hvc0\0".getBytes(), read(mem, X86Layout.CMDLINE_GPA, 13)),
                () -> assertEquals(initrdGpa, mem.read64(X86Layout.PVH_MODLIST_GPA)),
                () -> assertEquals(initrd.length, mem.read64(X86Layout.PVH_MODLIST_GPA + 8)),
                () -> assertEquals(0, mem.read64(X86Layout.PVH_MODLIST_GPA + 16)),
                () -> assertArrayEquals(initrd, read(mem, initrdGpa, initrd.length)),
                () -> assertEquals(0, mem.read64(mm)),
                () -> assertEquals(0x9fc00, mem.read64(mm + 8)),
                () -> assertEquals(1, mem.read32(mm + 16)),
                () -> assertEquals(0x9fc00, mem.read64(mm + 24)),
                () -> assertEquals(2, mem.read32(mm + 40)),
                () -> assertEquals(0x100000, mem.read64(mm + 48)),
                () -> assertEquals(63 * MIB, mem.read64(mm + 56)),
                () -> assertEquals(1, mem.read32(mm + 64)));
    }

    @Test
    void withoutInitrdThereAreNoModules() {
        byte[] file = vmlinuxWithPvhNote(le32(0x1000100));
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("vmlinux", file), 1);

        assertAll(
                () -> assertEquals(0, mem.read32(SI + 12)),
                () -> assertEquals(0, mem.read64(SI + 16)));
    }

    @Test
    void elf32Em386WithEightByteNoteIsAccepted() {
        byte[] file = new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_386).entry(0x200000)
                .load(0x200000, 0x200000, pattern(0x40, 1), 0x40).note("Xen", 18, le64(0x200020)).build();
        RamGuestMemory mem = ram(16 * MIB);

        X86EntryState e = X86Boot.load(mem, image("pvh32", file), 2);

        assertAll(
                () -> assertEquals(Mode.PROTECTED_32, e.mode()),
                () -> assertEquals(0x200020, e.rip()),
                () -> assertEquals(SI, e.rbx()));
    }

    @Test
    void noteWithTwoByteDescriptorIsBadInput() {
        byte[] file = vmlinuxWithPvhNote(new byte[] {1, 2});
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("v", file), 1));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("v: PVH entry note (Xen/18) has a 2-byte descriptor, need 4 or 8", e.getMessage()));
    }

    @Test
    void entryAbove4GiBIsBadInput() {
        byte[] file = vmlinuxWithPvhNote(le64(0x1_0000_0000L));
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("v", file), 1));

        assertEquals("v: PVH entry point 0x100000000 is not a 32-bit address", e.getMessage());
    }

    @Test
    void wrongMachineIsBadInput() {
        byte[] file = new ElfBuilder(true, ByteOrder.LITTLE_ENDIAN, 183).entry(0x200000)
                .load(0x200000, 0x200000, pattern(0x40, 1), 0x40).note("Xen", 18, le32(0x200000)).build();
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("a", file), 1));

        assertEquals("a: PVH ELF is for EM_AARCH64, not x86 (EM_X86_64 or EM_386)", e.getMessage());
    }

    @Test
    void kernelBeyondRamIsBadInput() {
        byte[] file = vmlinuxWithPvhNote(le32(0x1000100));
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("v", file), 1));

        assertEquals("v: memory too small: the kernel needs RAM up to 0x1004000 (17 MiB), machine has 16 MiB"
                + " (RAM 0x0-0x1000000)", e.getMessage());
    }
}
