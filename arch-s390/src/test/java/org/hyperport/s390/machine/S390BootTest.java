package org.hyperport.s390.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.S390Architecture;
import org.junit.jupiter.api.Test;

class S390BootTest {

    static final long RAM = 32L << 20;
    final RamGuestMemory mem = RamGuestMemory.allocate(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, RAM);

    long boot(byte[] kernel, byte[] initrd, String cmdline) {
        return S390Boot.load(mem, RAM, new BootImage("k.img", kernel, Optional.ofNullable(initrd), cmdline));
    }

    static byte[] defaultGuest() {
        return new S390Architecture().embeddedGuest().orElseThrow().load();
    }

    String cmdline() {
        StringBuilder sb = new StringBuilder();
        for (long a = S390Boot.COMMAND_LINE; mem.read8(a) != 0; a++) {
            sb.append((char) mem.read8(a));
        }
        return sb.toString();
    }

    @Test
    void anS390ElfIsEnteredAtItsEntryWithTheCommandLineInTheParameterArea() {
        long entry = boot(defaultGuest(), null, "console=ttysclp0 quiet");

        assertEquals(0x10000, entry);
        assertEquals(0x00080000, mem.read32(0));           // the image's short IPL PSW is loaded with it
        assertEquals("console=ttysclp0 quiet", cmdline());
    }

    @Test
    void aRawImageWithS390EpIsEnteredAt0x10000() {
        byte[] k = new byte[0x20000];
        System.arraycopy("S390EP".getBytes(StandardCharsets.US_ASCII), 0, k, 0x10008, 6);
        k[0x10000] = (byte) 0xa7;

        assertEquals(0x10000, boot(k, null, "root=/dev/ram0"));
        assertEquals(0xa7, mem.read8(0x10000));
        assertEquals("root=/dev/ram0", cmdline());
    }

    @Test
    void aRawImageWithoutS390EpIsEnteredAtItsShortIplPsw() {
        byte[] k = new byte[0x3000];
        k[1] = 0x08;
        k[4] = (byte) 0x80;
        k[6] = 0x20;  // 0x80002000: 31-bit, address 0x2000

        assertEquals(0x2000, boot(k, null, "ignored"));
        assertEquals(0, mem.read8(S390Boot.COMMAND_LINE));
    }

    @Test
    void theInitrdGoesTo8MibOrAMibAboveTheKernel() {
        byte[] initrd = {1, 2, 3, 4};
        boot(defaultGuest(), initrd, "");
        assertEquals(0x800000, mem.read64(S390Boot.INITRD_START));
        assertEquals(4, mem.read64(S390Boot.INITRD_SIZE));
        assertEquals(3, mem.read8(0x800002));

        byte[] big = new byte[9 << 20];
        System.arraycopy("S390EP".getBytes(StandardCharsets.US_ASCII), 0, big, 0x10008, 6);
        boot(big, initrd, "");
        assertEquals(10L << 20, mem.read64(S390Boot.INITRD_START));
    }

    @Test
    void theCommandLineLimitComesFromTheKernelOrIsTheLegacy896() {
        byte[] k = new byte[0x20000];
        System.arraycopy("S390EP".getBytes(StandardCharsets.US_ASCII), 0, k, 0x10008, 6);
        String long1 = "x".repeat(896);
        HyperportException e = assertThrows(HyperportException.class, () -> boot(k, null, long1));
        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
        k[0x10430 + 6] = 0x10; // max_command_line_size = 4096
        boot(k, null, long1);
        assertEquals(long1, cmdline());
    }

    @Test
    void badImagesAreOneLineBadInput() {
        byte[] x86Elf = new byte[64];
        x86Elf[0] = 0x7f;
        x86Elf[1] = 'E';
        x86Elf[2] = 'L';
        x86Elf[3] = 'F';
        x86Elf[4] = 2;
        x86Elf[5] = 1;
        x86Elf[6] = 1;
        x86Elf[18] = 62;
        x86Elf[52] = 64;
        x86Elf[54] = 56;
        for (byte[] bad : new byte[][] {new byte[0], {0, 8, 0, 0}, x86Elf, shortPswOutsideRam()}) {
            HyperportException e = assertThrows(HyperportException.class, () -> boot(bad, null, ""));
            assertEquals(HyperportException.BAD_INPUT, e.exitStatus(), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("k.img"), e.getMessage());
        }
    }

    static byte[] shortPswOutsideRam() {
        byte[] k = new byte[16];
        k[4] = (byte) 0xff;
        return k;
    }

    @Test
    void theInitrdMustFitInRam() {
        HyperportException e = assertThrows(HyperportException.class,
                () -> boot(defaultGuest(), new byte[30 << 20], ""));
        assertEquals(HyperportException.BAD_INPUT, e.exitStatus());
    }
}
