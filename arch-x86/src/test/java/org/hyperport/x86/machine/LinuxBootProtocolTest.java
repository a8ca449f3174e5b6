package org.hyperport.x86.machine;

import static org.hyperport.x86.machine.TestImages.MIB;
import static org.hyperport.x86.machine.TestImages.image;
import static org.hyperport.x86.machine.TestImages.pattern;
import static org.hyperport.x86.machine.TestImages.ram;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.Test;

class LinuxBootProtocolTest {

    private static final long ZP = X86Layout.ZERO_PAGE_GPA;

    private static byte[] read(RamGuestMemory mem, long gpa, int n) {
        byte[] b = new byte[n];
        mem.readBytes(gpa, b, 0, n);
        return b;
    }

    @Test
    void bzImage64LoadsAtOneMegAndEntersLongModeAt0x200() {
        TestImages.BzImage bz = new TestImages.BzImage();
        byte[] file = bz.build();
        RamGuestMemory mem = ram(128 * MIB);

        X86EntryState e = X86Boot.load(mem, image("bzImage", file), 1);

        assertAll(
                () -> assertEquals(new X86EntryState(Mode.LONG_64, 0x100200, 0x8ff0, 0, 0, ZP, 0x9000, 0x500, 47), e),
                () -> assertArrayEquals(bz.pm, read(mem, 0x100000, bz.pm.length)),
                () -> assertEquals(X86Boot.GDT_CODE64, mem.read64(0x510)),
                () -> assertEquals(X86Boot.GDT_DATA, mem.read64(0x518)),
                () -> assertEquals(X86Boot.GDT_TSS, mem.read64(0x520)),
                () -> assertEquals(0xa003, mem.read64(0x9000)),
                () -> assertEquals(0xb003, mem.read64(0xa000)),
                () -> assertEquals(0xe003, mem.read64(0xa018)),
                () -> assertEquals(0x83, mem.read64(0xb000)),
                () -> assertEquals(0x200083, mem.read64(0xb008)),
                () -> assertEquals((2047L << 21) | 0x83, mem.read64(0xeff8)));
    }

    @Test
    void zeroPageCarriesHeaderCopyAndLoaderFields() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.loadflags = LinuxBootProtocol.LOADED_HIGH | LinuxBootProtocol.QUIET_FLAG;
        byte[] file = bz.build();
        RamGuestMemory mem = ram(128 * MIB);

        X86Boot.load(mem, image("bzImage", file, new byte[0], "console=ttyS0 quiet"), 1);

        assertAll(
                () -> assertArrayEquals(Arrays.copyOfRange(file, 0x1f1, 0x210), read(mem, ZP + 0x1f1, 0x210 - 0x1f1)),
                () -> assertArrayEquals(Arrays.copyOfRange(file, 0x238, 0x268), read(mem, ZP + 0x238, 0x268 - 0x238)),
                () -> assertEquals(0x53726448, mem.read32(ZP + 0x202)),
                () -> assertEquals(0x020f, mem.read16(ZP + 0x206)),
                () -> assertEquals(0xff, mem.read8(ZP + 0x210)),
                () -> assertEquals(0x81, mem.read8(ZP + 0x211)),
                () -> assertEquals(0x100000, mem.read32(ZP + 0x214)),
                () -> assertEquals(0xfe00, mem.read16(ZP + 0x224)),
                () -> assertEquals(0x20000, mem.read32(ZP + 0x228)),
                () -> assertEquals(0, mem.read32(ZP + 0xc8)),
                () -> assertArrayEquals("console=ttyS0 quiet\0".getBytes(), read(mem, 0x20000, 20)),
                () -> assertEquals(0, mem.read32(ZP + 0x218)),
                () -> assertEquals(0, mem.read32(ZP + 0x21c)),
                () -> assertEquals(0, mem.read8(ZP + 0x1ef)));
    }

    @Test
    void e820TableInZeroPage() {
        byte[] file = new TestImages.BzImage().build();
        RamGuestMemory mem = ram(128 * MIB);

        X86Boot.load(mem, image("bzImage", file), 1);

        long t = ZP + 0x2d0;
        assertAll(
                () -> assertEquals(3, mem.read8(ZP + 0x1e8)),
                () -> assertEquals(0, mem.read64(t)),
                () -> assertEquals(0x9fc00, mem.read64(t + 8)),
                () -> assertEquals(E820.RAM, mem.read32(t + 16)),
                () -> assertEquals(0x9fc00, mem.read64(t + 20)),
                () -> assertEquals(0x100000 - 0x9fc00, mem.read64(t + 28)),
                () -> assertEquals(E820.RESERVED, mem.read32(t + 36)),
                () -> assertEquals(0x100000, mem.read64(t + 40)),
                () -> assertEquals(127 * MIB, mem.read64(t + 48)),
                () -> assertEquals(E820.RAM, mem.read32(t + 56)));
    }

    @Test
    void initrdGoesPageAlignedToTheTopOfLowRam() {
        byte[] file = new TestImages.BzImage().build();
        byte[] initrd = pattern(0x12345, 5);
        RamGuestMemory mem = ram(128 * MIB);

        X86Boot.load(mem, image("bzImage", file, initrd, ""), 1);

        long expected = (128 * MIB - initrd.length) & ~0xfffL;
        assertAll(
                () -> assertEquals(expected, mem.read32(ZP + 0x218) & 0xffffffffL),
                () -> assertEquals(0, mem.read32(ZP + 0xc0)),
                () -> assertEquals(initrd.length, mem.read32(ZP + 0x21c)),
                () -> assertEquals(0, mem.read32(ZP + 0xc4)),
                () -> assertArrayEquals(initrd, read(mem, expected, initrd.length)));
    }

    @Test
    void initrdStaysBelowInitrdAddrMax() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initrdAddrMax = 64 * MIB - 1;
        byte[] initrd = pattern(0x3000, 1);
        RamGuestMemory mem = ram(128 * MIB);

        X86Boot.load(mem, image("bzImage", bz.build(), initrd, ""), 1);

        assertEquals(64 * MIB - 0x3000, mem.read32(ZP + 0x218));
    }

    @Test
    void kernelWithoutXlfKernel64EntersProtectedModeAtCode32Start() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.xloadflags = 0;
        RamGuestMemory mem = ram(64 * MIB);

        X86EntryState e = X86Boot.load(mem, image("bzImage32", bz.build()), 1);

        assertAll(
                () -> assertEquals(new X86EntryState(Mode.PROTECTED_32, 0x100000, 0x8ff0, 0, 0, ZP, 0, 0x500, 47), e),
                () -> assertEquals(X86Boot.GDT_CODE32, mem.read64(0x510)),
                () -> assertEquals(X86Boot.GDT_TSS, mem.read64(0x520)));
    }

    @Test
    void setupSectsZeroMeansFour() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.setupSects = 0;
        RamGuestMemory mem = ram(64 * MIB);

        X86Boot.load(mem, image("bzImage", bz.build()), 1);

        assertArrayEquals(bz.pm, read(mem, 0x100000, bz.pm.length));
    }

    @Test
    void kernelEndUsesPrefAddressAndInitSizeForRelocatableKernels() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initSize = 0x3f97000;
        LinuxBootProtocol.SetupHeader h = LinuxBootProtocol.parseHeader("k", bz.build());

        long end = LinuxBootProtocol.kernelEnd(h, 0x100000);

        assertEquals(0x1000000 + 0x3f97000, end);
    }

    private static HyperportException loadFails(TestImages.BzImage bz, long memory, byte[] initrd, String cmdline) {
        byte[] file = bz.build();
        RamGuestMemory mem = ram(memory);
        return assertThrows(HyperportException.class,
                () -> X86Boot.load(mem, image("vmlinuz", file, initrd, cmdline), 1));
    }

    @Test
    void protocolOlderThan206IsBadInputNamingTheVersion() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.version = 0x0205;

        HyperportException e = loadFails(bz, 64 * MIB, new byte[0], "");

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("vmlinuz: Linux boot protocol 2.05 is too old (hyperport needs 2.06 or later)",
                        e.getMessage()));
    }

    @Test
    void commandLineLongerThanCmdlineSizeIsBadInput() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.cmdlineSize = 16;

        HyperportException e = loadFails(bz, 64 * MIB, new byte[0], "console=ttyS0 root");

        assertEquals("vmlinuz: command line is 18 bytes, the kernel accepts at most 16", e.getMessage());
    }

    @Test
    void commandLineLongerThanTheBufferIsBadInput() {
        TestImages.BzImage bz = new TestImages.BzImage();

        HyperportException e = loadFails(bz, 64 * MIB, new byte[0], "x".repeat(2048));

        assertEquals("vmlinuz: command line is 2048 bytes, hyperport passes at most 2047", e.getMessage());
    }

    @Test
    void kernelInitSizeBeyondRamIsMemoryTooSmall() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initSize = 0x3f97000;

        HyperportException e = loadFails(bz, 64 * MIB, new byte[0], "");

        assertAll(
                () -> assertEquals(HyperportException.BAD_INPUT, e.exitStatus()),
                () -> assertEquals("vmlinuz: memory too small: the kernel needs RAM up to 0x4f97000 (80 MiB),"
                        + " machine has 64 MiB (RAM 0x0-0x4000000)", e.getMessage()));
    }

    @Test
    void initrdThatDoesNotFitNamesBothSizes() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.initSize = 0x1000000;

        HyperportException e = loadFails(bz, 40 * MIB, new byte[(int) (10 * MIB)], "");

        assertEquals("vmlinuz: memory too small: the kernel needs RAM up to 0x2000000 (32 MiB) and the initrd"
                + " 10485760 bytes (10 MiB) more, machine has 40 MiB (RAM 0x0-0x2800000)", e.getMessage());
    }

    @Test
    void badBootFlagIsBadInput() {
        byte[] file = new TestImages.BzImage().build();
        file[0x1fe] = 0;
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("k", file), 1));

        assertEquals("k: bzImage boot_flag is 0xaa00, not 0xaa55", e.getMessage());
    }

    @Test
    void truncatedProtectedModePartIsBadInput() {
        byte[] file = Arrays.copyOf(new TestImages.BzImage().build(), 5 * 512 + 0x800);
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("k", file), 1));

        assertEquals("k: truncated bzImage: 4 setup sectors and 0x1000 bytes of protected-mode code need 0x1a00"
                + " bytes, file has 0x1200", e.getMessage());
    }

    @Test
    void truncatedSetupHeaderIsBadInput() {
        byte[] file = Arrays.copyOf(new TestImages.BzImage().build(), 0x220);
        RamGuestMemory mem = ram(64 * MIB);

        HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image("k", file), 1));

        assertEquals("k: truncated bzImage (544 bytes, the setup header needs 0x23c)", e.getMessage());
    }

    @Test
    void zImageIsBadInput() {
        TestImages.BzImage bz = new TestImages.BzImage();
        bz.loadflags = 0;

        HyperportException e = loadFails(bz, 64 * MIB, new byte[0], "");

        assertEquals("vmlinuz: zImage (loaded at 0x10000) is not supported; use a bzImage", e.getMessage());
    }
}
