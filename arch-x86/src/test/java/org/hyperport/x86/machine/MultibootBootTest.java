package org.hyperport.x86.machine;

import org.hyperport.common.loader.ElfBuilder;
import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.image;
import static org.hyperport.x86.machine.TestImages.multibootElf;
import static org.hyperport.x86.machine.TestImages.multibootHeader;
import static org.hyperport.x86.machine.TestImages.pattern;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.Test;

class MultibootBootTest {

    private static final long MBI = X86Layout.MBI_GPA;

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    /** A flat (non-ELF) image whose first 32 bytes are an a.out-kludge header placing it at 2 MiB. */
    private static byte[] aoutImage(int flags, long loadAddr) {
        byte[] file = pattern(0x400, 1);
        byte[] h = multibootHeader(flags, 0x200000, loadAddr, 0, 0x203000, 0x200020);
        System.arraycopy(h, 0, file, 0, h.length);
        return file;
    }

    @Test
    void elfEntersProtectedModeWithMagicInEaxAndMbiInEbx() {
        byte[] file = multibootElf(0);
        RamGuestMemory mem = ram(64 * MIB);
        mem.fill(0x400000, 0x4000, (byte) 0xaa);

        X86EntryState e = X86Boot.load(mem, image("test.flat", file), 1);

        assertAll(
                () -> assertEquals(new X86EntryState(Mode.PROTECTED_32, 0x400010, 0, 0x2badb002, MBI, 0, 0, 0x500,
                        47), e),
                () -> assertEquals(0x1badb002, mem.read32(0x400000)),
                () -> assertEquals(0x90, mem.read8(0x4000ff)),
                () -> assertEquals(0, mem.read8(0x400100)),
                () -> assertEquals(0, mem.read8(0x402fff)),
                () -> assertEquals(X86Boot.GDT_CODE32, mem.read64(0x510)));
    }

    @Test
    void mbiHasMemoryCmdlineModuleMmapAndLoaderName() {
        byte[] file = multibootElf(MultibootBoot.FLAG_PAGE_ALIGN | MultibootBoot.FLAG_MEMORY_INFO);
        byte[] initrd = "NR_CPUS=1\nMEMSIZE=64\n".getBytes();
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("test.flat", file, initrd, "-smp 1"), 1);

        long mods = X86Layout.MBI_MODS_GPA;
        long mmap = X86Layout.MBI_MMAP_GPA;
        assertAll(
                () -> assertEquals(0x24d, mem.read32(MBI)),
                () -> assertEquals(639, mem.read32(MBI + 4)),
                () -> assertEquals(63 * 1024, mem.read32(MBI + 8)),
                () -> assertEquals(0x20000, mem.read32(MBI + 16)),
                () -> assertArrayEquals("-smp 1\0".getBytes(), read(mem, 0x20000, 7)),
                () -> assertEquals(1, mem.read32(MBI + 20)),
                () -> assertEquals((int) mods, mem.read32(MBI + 24)),
                () -> assertEquals(0x403000, mem.read32(mods)),
                () -> assertEquals(0x403000 + initrd.length, mem.read32(mods + 4)),
                () -> assertArrayEquals("initrd\0".getBytes(), read(mem, mem.read32(mods + 8), 7)),
                () -> assertArrayEquals(initrd, read(mem, 0x403000, initrd.length)),
                () -> assertEquals(72, mem.read32(MBI + 44)),
                () -> assertEquals((int) mmap, mem.read32(MBI + 48)),
                () -> assertEquals(20, mem.read32(mmap)),
                () -> assertEquals(0, mem.read64(mmap + 4)),
                () -> assertEquals(0x9fc00, mem.read64(mmap + 12)),
                () -> assertEquals(1, mem.read32(mmap + 20)),
                () -> assertEquals(2, mem.read32(mmap + 24 + 20)),
                () -> assertEquals(0x100000, mem.read64(mmap + 48 + 4)),
                () -> assertEquals(63 * MIB, mem.read64(mmap + 48 + 12)),
                () -> assertArrayEquals("hyperport\0".getBytes(), read(mem, mem.read32(MBI + 64), 10)));
    }

    @Test
    void aoutKludgeLoadsAFlatImageAndZeroesItsBss() {
        byte[] file = aoutImage(MultibootBoot.FLAG_AOUT_KLUDGE, 0x200000);
        RamGuestMemory mem = ram(16 * MIB);
        mem.fill(0x200000, 0x4000, (byte) 0xaa);

        X86EntryState e = X86Boot.load(mem, image("kludge.bin", file), 1);

        assertAll(
                () -> assertEquals(0x200020, e.rip()),
                () -> assertEquals(0x2badb002, e.rax()),
                () -> assertArrayEquals(file, read(mem, 0x200000, file.length)),
                () -> assertEquals(0, mem.read8(0x200400)),
                () -> assertEquals(0, mem.read8(0x202fff)),
                () -> assertEquals(0xaa, mem.read8(0x203000)));
    }

    @Test
    void aoutKludgeInAnElfOverridesItsProgramHeaders() {
        byte[] text = new byte[0x40];
        // ELF32 header (52) + one program header (32) = 84, so the text and its header start 16-aligned at 96.
        byte[] h = multibootHeader(MultibootBoot.FLAG_AOUT_KLUDGE, 0x500000 + 96, 0x500000, 0, 0, 0x500000 + 128);
        System.arraycopy(h, 0, text, 0, h.length);
        byte[] file = new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_386).entry(0x400000)
                .load(0x400000, 0x400000, text, 0x40).build();
        RamGuestMemory mem = ram(16 * MIB);

        X86EntryState e = X86Boot.load(mem, image("k.elf", file), 1);

        assertAll(
                () -> assertEquals(0x500080, e.rip()),
                () -> assertArrayEquals(file, read(mem, 0x500000, file.length)),
                () -> assertEquals(0, mem.read32(0x400000)));
    }

    @Test
    void unknownRequirementBitIsBadInput() {
        byte[] file = multibootElf(1 << 3);
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("m: Multiboot header requires features hyperport lacks (flags 0x8, unknown bits"
                        + " 0x8)", e.getMessage()));
    }

    @Test
    void badChecksumMeansNoHeader() {
        byte[] file = aoutImage(MultibootBoot.FLAG_AOUT_KLUDGE, 0x200000);
        file[8]++;
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertEquals("m: not a bzImage, ELF or Multiboot image", e.getMessage());
    }

    @Test
    void headerBeyondTheFirst8KiBIsNotSeen() {
        byte[] text = new byte[0x2100];
        System.arraycopy(multibootHeader(0, 0, 0, 0, 0, 0), 0, text, 0x2000, 12);
        byte[] file = new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_386).entry(0x400000)
                .load(0x400000, 0x400000, text, text.length).build();
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertEquals("m: 32-bit x86 ELF without a PVH note or Multiboot header: nothing says how to enter it",
                e.getMessage());
    }

    @Test
    void flatImageWithoutAoutKludgeIsBadInput() {
        byte[] file = aoutImage(0, 0x200000);
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertEquals("m: Multiboot header without the a.out kludge (flag 16) needs an ELF image", e.getMessage());
    }

    @Test
    void loadAddrAboveHeaderAddrIsBadInput() {
        byte[] file = aoutImage(MultibootBoot.FLAG_AOUT_KLUDGE, 0x200100);
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertEquals("m: Multiboot load_addr 0x200100 does not fit header_addr 0x200000 at file offset 0x0",
                e.getMessage());
    }

    @Test
    void truncatedAoutHeaderIsBadInput() {
        byte[] file = Arrays.copyOf(aoutImage(MultibootBoot.FLAG_AOUT_KLUDGE, 0x200000), 20);
        RamGuestMemory mem = ram(16 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("m", file), 1));

        assertEquals("m: truncated Multiboot header: the a.out kludge (flag 16) needs 32 bytes", e.getMessage());
    }

    @Test
    void initrdThatDoesNotFitNamesBothSizes() {
        byte[] file = multibootElf(0);
        RamGuestMemory mem = ram(8 * MIB);

        HyperportException e = assertThrows(HyperportException.class,
                () -> X86Boot.load(mem, image("m", file, new byte[(int) (5 * MIB)], ""), 1));

        assertEquals("m: memory too small: the kernel needs RAM up to 0x403000 (5 MiB) and the initrd 5242880 bytes"
                + " (5 MiB) more, machine has 8 MiB (RAM 0x0-0x800000)", e.getMessage());
    }
}
