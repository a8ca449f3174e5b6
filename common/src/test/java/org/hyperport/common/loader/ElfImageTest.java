package org.hyperport.common.loader;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElfImageTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    /** Offset of the first program header's fields in an ELF64 file built by {@link ElfBuilder}. */
    private static final int PH64 = 64;

    private static byte[] code(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static byte[] simple64() {
        return ElfBuilder.x86_64().entry(0xffffffff81000010L)
                .load(0xffffffff81000000L, 0x1000000, code(0x40, 0x90), 0x100).build();
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    @Test
    void parsesElf64LittleEndianHeaderAndSegment() {
        byte[] file = simple64();

        ElfImage elf = ElfImage.parse("vmlinux", file);

        ElfImage.Segment s = elf.loadSegments().getFirst();
        assertAll(
                () -> assertTrue(elf.is64()),
                () -> assertEquals(ElfImage.ELFCLASS64, elf.elfClass()),
                () -> assertEquals(LE, elf.order()),
                () -> assertEquals(ElfImage.EM_X86_64, elf.machine()),
                () -> assertEquals(ElfImage.ET_EXEC, elf.type()),
                () -> assertEquals(0xffffffff81000010L, elf.entry()),
                () -> assertEquals(1, elf.segments().size()),
                () -> assertEquals(ElfImage.PT_LOAD, s.type()),
                () -> assertEquals(ElfImage.PF_R | ElfImage.PF_X, s.flags()),
                () -> assertEquals(0xffffffff81000000L, s.vaddr()),
                () -> assertEquals(0x1000000, s.paddr()),
                () -> assertEquals(0x40, s.filesz()),
                () -> assertEquals(0x100, s.memsz()),
                () -> assertEquals(16, s.align()),
                () -> assertEquals(0x1000010, elf.entryPaddr()),
                () -> assertEquals(0x1000100, elf.paddrEnd()));
    }

    @Test
    void parsesElf32BigEndian() {
        byte[] file = new ElfBuilder(false, BE, ElfImage.EM_S390).entry(0x10008)
                .load(0x10000, 0x20000, code(8, 1), 0x20).note("Owner", 7, new byte[] {1, 2, 3, 4}).build();

        ElfImage elf = ElfImage.parse("k32", file);

        ElfImage.Segment s = elf.loadSegments().getFirst();
        assertAll(
                () -> assertEquals(ElfImage.ELFCLASS32, elf.elfClass()),
                () -> assertEquals(BE, elf.order()),
                () -> assertEquals(ElfImage.EM_S390, elf.machine()),
                () -> assertEquals(0x10008, elf.entry()),
                () -> assertEquals(0x10000, s.vaddr()),
                () -> assertEquals(0x20000, s.paddr()),
                () -> assertEquals(8, s.filesz()),
                () -> assertEquals(0x20, s.memsz()),
                () -> assertEquals(0x20008, elf.entryPaddr()),
                () -> assertEquals(0x01020304L, elf.findNote("Owner", 7).orElseThrow().descValue()));
    }

    @Test
    void iteratesNotesOfPtNoteAndUncoveredShtNote() {
        byte[] file = ElfBuilder.x86_64().entry(0x100000).load(0x100000, 0x100000, code(4, 0), 4)
                .note("Xen", 18, le32(0x1000123))
                .note("GNU", 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                .sectionNote("Linux", 0x100, new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88})
                .build();

        ElfImage elf = ElfImage.parse("notes", file);

        assertAll(
                () -> assertEquals(3, elf.notes().size()),
                () -> assertEquals("Xen", elf.notes().get(0).name()),
                () -> assertEquals(18, elf.notes().get(0).type()),
                () -> assertEquals(0x1000123L, elf.findNote("Xen", 18).orElseThrow().descValue()),
                () -> assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                        elf.findNote("GNU", 3).orElseThrow().desc()),
                () -> assertEquals(0x8877665544332211L, elf.findNote("Linux", 0x100).orElseThrow().descValue()),
                () -> assertTrue(elf.findNote("Xen", 17).isEmpty()));
    }

    @Test
    void loadIntoCopiesFileBytesAndZeroFillsToMemsz() {
        byte[] file = simple64();
        RamGuestMemory mem = RamGuestMemory.allocate(AddressSpace.PHYSICAL, LE, 0, 32 << 20);
        mem.fill(0x1000000, 0x200, (byte) 0xAA);

        long end = ElfImage.parse("vmlinux", file).loadInto(mem);

        assertAll(
                () -> assertEquals(0x1000100, end),
                () -> assertEquals(0x90, mem.read8(0x1000000)),
                () -> assertEquals(0x90, mem.read8(0x100003f)),
                () -> assertEquals(0, mem.read8(0x1000040)),
                () -> assertEquals(0, mem.read8(0x10000ff)),
                () -> assertEquals(0xAA, mem.read8(0x1000100)));
    }

    @Test
    void loadIntoOutsideRamNamesTheAddressNeeded() {
        byte[] file = simple64();
        RamGuestMemory mem = RamGuestMemory.allocate(AddressSpace.PHYSICAL, LE, 0, 16 << 20);

        HyperportException e = assertThrows(HyperportException.class,
                () -> ElfImage.parse("vmlinux", file).loadInto(mem));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("vmlinux: kernel needs RAM up to 0x1000100, machine has 16 MiB"
                        + " (RAM 0x0-0x1000000)", e.getMessage()));
    }

    @Test
    void entryOutsideEverySegmentIsBadInput() {
        byte[] file = ElfBuilder.x86_64().entry(0x5000).load(0x100000, 0x100000, code(4, 0), 4).build();
        ElfImage elf = ElfImage.parse("bad-entry", file);

        HyperportException e = assertThrows(HyperportException.class, elf::entryPaddr);

        assertEquals("bad-entry: entry point 0x5000 is not inside any PT_LOAD segment", e.getMessage());
    }

    static Stream<Arguments> corruptFiles() {
        return Stream.of(
                Arguments.of("not ELF", (UnaryOperator<byte[]>) f -> "MZ not an elf".getBytes(),
                        "not an ELF file"),
                Arguments.of("truncated ident", (UnaryOperator<byte[]>) f -> Arrays.copyOf(f, 10),
                        "truncated ELF identification"),
                Arguments.of("truncated header", (UnaryOperator<byte[]>) f -> Arrays.copyOf(f, 40),
                        "truncated ELF header (40 bytes, need 64)"),
                Arguments.of("bad class", set8(4, 3), "bad ELF class 3"),
                Arguments.of("bad data", set8(5, 0), "bad ELF data encoding 0"),
                Arguments.of("bad ident version", set8(6, 2), "bad ELF version 2"),
                Arguments.of("bad e_version", set32(20, 7), "bad ELF version 7 in e_version"),
                Arguments.of("small e_ehsize", set16(52, 10), "e_ehsize 10"),
                Arguments.of("phdr table past EOF", set64(32, 0x10000), "program header table (offset 0x10000"),
                Arguments.of("phdr table offset wraps", set64(32, 0xfffffffffffffff0L),
                        "program header table (offset 0xfffffffffffffff0"),
                Arguments.of("small e_phentsize", set16(54, 20), "e_phentsize 20"),
                Arguments.of("filesz > memsz", set64(PH64 + 40, 0x10), "segment 0: p_filesz 0x40 is larger than"
                        + " p_memsz 0x10"),
                Arguments.of("segment data past EOF", set64(PH64 + 8, 0x100000), "segment 0: data at offset"
                        + " 0x100000 (0x40 bytes) lies past the end of the file"),
                Arguments.of("segment offset wraps", set64(PH64 + 8, 0xffffffffffffffe0L), "segment 0: data at"
                        + " offset 0xffffffffffffffe0"),
                Arguments.of("file truncated inside segment", (UnaryOperator<byte[]>) f -> Arrays.copyOf(f, 150),
                        "segment 0: data at offset"),
                Arguments.of("paddr + memsz wraps", set64(PH64 + 24, 0xffffffffffffff80L),
                        "segment 0 p_paddr 0xffffffffffffff80 + size 0x100 overflows the 64-bit address space"),
                Arguments.of("vaddr + memsz wraps", set64(PH64 + 16, 0xffffffffffffff80L),
                        "segment 0 p_vaddr 0xffffffffffffff80"),
                Arguments.of("align not a power of two", set64(PH64 + 48, 12), "p_align 0xc is not a power of two"),
                Arguments.of("shdr table past EOF", set64(40, 0x7000), "section header table (offset 0x7000"),
                Arguments.of("shdr entsize too small",
                        (UnaryOperator<byte[]>) f -> set16(58, 8).apply(set64(40, 0x80).apply(f)), "e_shentsize 8"));
    }

    private static UnaryOperator<byte[]> set8(int off, int v) {
        return f -> {
            f[off] = (byte) v;
            return f;
        };
    }

    private static UnaryOperator<byte[]> set16(int off, int v) {
        return f -> {
            ElfBuilder.put16(f, off, v, LE);
            return f;
        };
    }

    private static UnaryOperator<byte[]> set32(int off, long v) {
        return f -> {
            ElfBuilder.put32(f, off, v, LE);
            return f;
        };
    }

    private static UnaryOperator<byte[]> set64(int off, long v) {
        return f -> {
            ElfBuilder.put64(f, off, v, LE);
            return f;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptFileIsOneLineBadInput(String what, UnaryOperator<byte[]> corrupt, String expected) {
        byte[] file = corrupt.apply(simple64());

        HyperportException e = assertThrows(HyperportException.class, () -> ElfImage.parse("img.elf", file));

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertTrue(e.getMessage().startsWith("img.elf: "), e.getMessage()),
                () -> assertTrue(e.getMessage().contains(expected), e.getMessage()),
                () -> assertTrue(!e.getMessage().contains("\n"), e.getMessage()));
    }

    @Test
    void elf32SegmentEndBeyond4GiBIsBadInput() {
        byte[] file = new ElfBuilder(false, LE, ElfImage.EM_386).entry(0x100000)
                .load(0x100000, 0xfffff000L, code(4, 0), 0x2000).build();

        HyperportException e = assertThrows(HyperportException.class, () -> ElfImage.parse("k32", file));

        assertEquals("k32: segment 0 p_paddr 0xfffff000 + size 0x2000 overflows the 32-bit address space",
                e.getMessage());
    }

    @Test
    void truncatedNoteIsBadInput() {
        byte[] file = ElfBuilder.x86_64().entry(0x100000).load(0x100000, 0x100000, code(4, 0), 4)
                .note("Xen", 18, le32(0x100000)).build();
        int notePhdr = PH64 + 56;
        int noteOffset = (int) java.nio.ByteBuffer.wrap(file).order(LE).getLong(notePhdr + 8);
        ElfBuilder.put32(file, noteOffset + 4, 0x1000, LE);

        HyperportException e = assertThrows(HyperportException.class, () -> ElfImage.parse("pvh", file));

        assertEquals(String.format("pvh: segment 1: note at offset 0x%x (namesz 4, descsz 4096) runs past the end"
                + " of its area", noteOffset), e.getMessage());
    }
}
