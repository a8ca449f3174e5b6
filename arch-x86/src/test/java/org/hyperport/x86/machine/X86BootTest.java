package org.hyperport.x86.machine;

import org.hyperport.common.loader.ElfBuilder;
import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.image;
import static org.hyperport.x86.machine.TestImages.le32;
import static org.hyperport.x86.machine.TestImages.pattern;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hyperport.api.BootImage;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class X86BootTest {

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    private static byte[] pvhElf() {
        return ElfBuilder.x86_64().entry(0x1000000).load(0x1000000, 0x1000000, pattern(0x40, 0), 0x40)
                .note("Xen", 18, le32(0x1000000)).build();
    }

    private static byte[] pvhAndMultibootElf() {
        byte[] text = new byte[0x40];
        System.arraycopy(TestImages.multibootHeader(0, 0, 0, 0, 0, 0), 0, text, 0, 12);
        return new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_386).entry(0x400000)
                .load(0x400000, 0x400000, text, 0x40).note("Xen", 18, le32(0x400020)).build();
    }

    @Test
    void detectsEachFormat() {
        RamGuestMemory mem = ram(64 * MIB);
        byte[] vmlinux = ElfBuilder.x86_64().entry(0x1000000).load(0x1000000, 0x1000000, pattern(0x40, 0), 0x40)
                .build();

        X86EntryState linux = X86Boot.load(mem, image("bz", new TestImages.BzImage().build()), 1);
        X86EntryState pvh = X86Boot.load(mem, image("pvh", pvhElf()), 1);
        X86EntryState multiboot = X86Boot.load(mem, image("mb", TestImages.multibootElf(0)), 1);
        X86EntryState direct = X86Boot.load(mem, image("vmlinux", vmlinux), 1);

        assertAll(
                () -> assertEquals(Mode.LONG_64, linux.mode()),
                () -> assertEquals(X86Layout.ZERO_PAGE_GPA, linux.rsi()),
                () -> assertEquals(Mode.PROTECTED_32, pvh.mode()),
                () -> assertEquals(X86Layout.PVH_START_INFO_GPA, pvh.rbx()),
                () -> assertEquals(Mode.PROTECTED_32, multiboot.mode()),
                () -> assertEquals(MultibootBoot.BOOTLOADER_MAGIC, multiboot.rax()),
                () -> assertEquals(Mode.LONG_64, direct.mode()),
                () -> assertEquals(0x1000000, direct.rip()));
    }

    @Test
    void pvhNoteWinsOverMultibootHeader() {
        RamGuestMemory mem = ram(16 * MIB);

        X86EntryState e = X86Boot.load(mem, image("both", pvhAndMultibootElf()), 1);

        assertAll(
                () -> assertEquals(0x400020, e.rip()),
                () -> assertEquals(X86Layout.PVH_START_INFO_GPA, e.rbx()),
                () -> assertEquals(0, e.rax()));
    }

    @Test
    void alwaysWritesTheMpTable() {
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("pvh", pvhElf()), 8);

        assertAll(
                () -> assertArrayEquals("_MP_".getBytes(), read(mem, X86Layout.MP_TABLE_GPA, 4)),
                () -> assertEquals(8, mem.read8(X86Layout.MP_TABLE_GPA + 16 + 44 + 8 * 20 + 8 + 1)));
    }

    static Stream<Arguments> badImages() {
        byte[] elf = ElfBuilder.x86_64().entry(0x1000000).load(0x1000000, 0x1000000, pattern(0x40, 0), 0x40).build();
        byte[] arm = new ElfBuilder(true, ByteOrder.LITTLE_ENDIAN, 183).entry(0x1000000)
                .load(0x1000000, 0x1000000, pattern(0x40, 0), 0x40).build();
        byte[] elf32 = new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, ElfImage.EM_386).entry(0x1000000)
                .load(0x1000000, 0x1000000, pattern(0x40, 0), 0x40).build();
        return Stream.of(
                Arguments.of("empty file", (Supplier<BootImage>) () -> image("k", new byte[0]),
                        "k: not a bzImage, ELF or Multiboot image"),
                Arguments.of("random bytes", (Supplier<BootImage>) () -> image("k", pattern(20000, 0x11)),
                        "k: not a bzImage, ELF or Multiboot image"),
                Arguments.of("truncated ELF", (Supplier<BootImage>) () -> image("k", Arrays.copyOf(elf, 30)),
                        "k: truncated ELF header (30 bytes, need 64)"),
                Arguments.of("ELF segment past EOF", (Supplier<BootImage>) () -> image("k", Arrays.copyOf(elf, 150)),
                        "k: segment 0: data at offset 0x80 (0x40 bytes) lies past the end of the file (150 bytes)"),
                Arguments.of("wrong ELF machine", (Supplier<BootImage>) () -> image("k", arm),
                        "k: kernel ELF is for EM_AARCH64, not x86 (EM_X86_64 or EM_386)"),
                Arguments.of("plain ELF32", (Supplier<BootImage>) () -> image("k", elf32),
                        "k: 32-bit x86 ELF without a PVH note or Multiboot header: nothing says how to enter it"),
                Arguments.of("initrd too big", (Supplier<BootImage>) () -> image("k", elf, new byte[(int) (48 * MIB)],
                        ""), "k: memory too small: the kernel needs RAM up to 0x1000040 (17 MiB) and the initrd"
                        + " 50331648 bytes (48 MiB) more, machine has 64 MiB (RAM 0x0-0x4000000)"),
                Arguments.of("command line too long", (Supplier<BootImage>) () -> image("k", elf, new byte[0],
                        "a".repeat(3000)), "k: command line is 3000 bytes, hyperport passes at most 2047"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badImages")
    void badImageIsOneLineBadInput(String what, Supplier<BootImage> image, String message) {
        RamGuestMemory mem = ram(64 * MIB);
        BootImage bad = image.get();

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, bad, 1));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals(message, e.getMessage()),
                () -> assertTrue(!e.getMessage().contains("\n")));
    }

    @Test
    void smpIsCheckedBeforeAnythingIsWritten() {
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class,
                () -> X86Boot.load(mem, image("pvh", pvhElf()), 255));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals(0, mem.read64(0x1000000)));
    }

    @Test
    void memoryBelowOneMegIsBadInput() {
        RamGuestMemory mem = ram(512 << 10);

        HyperportException e = assertThrows(HyperportException.class,
                () -> X86Boot.load(mem, image("pvh", pvhElf()), 1));

        assertEquals("pvh: memory too small: the x86 boot structures need the first MiB of RAM, machine has"
                + " 0x80000 bytes (RAM 0x0-0x80000)", e.getMessage());
    }
}
