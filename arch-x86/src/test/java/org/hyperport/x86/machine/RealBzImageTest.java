package org.hyperport.x86.machine;

import static org.hyperport.x86.machine.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.api.HyperportException;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the bzImage loader against a real kernel (for instance Debian bookworm's
 * {@code /boot/vmlinuz-6.1.0-*-amd64}, extracted from {@code linux-image-6.1.0-*-amd64-unsigned} with
 * {@code dpkg-deb -x}). Runs when {@code HYPERPORT_LINUX_BZIMAGE} names the file, or the Debian
 * kernel cached by the conformance suite's {@code DebianGuest} is present.
 */
class RealBzImageTest {

    private static final String ENV = "HYPERPORT_LINUX_BZIMAGE";

    private byte[] kernel;
    private String name;

    @BeforeEach
    void readKernel() throws IOException {
        // The variable, or the Debian kernel the conformance suite's DebianGuest caches.
        String path = java.util.Optional.ofNullable(System.getenv(ENV)).orElseGet(() -> {
            java.nio.file.Path cached = java.nio.file.Path.of(java.util.Optional.ofNullable(
                    System.getenv("HYPERPORT_CACHE")).orElse(System.getProperty("user.home") + "/.cache/hyperport"),
                    "debian", "amd64", "vmlinuz");
            return java.nio.file.Files.isRegularFile(cached) ? cached.toString() : null;
        });
        String reason = ENV + "=" + path + " does not name a bzImage file; skipping the real-kernel check";
        System.out.println(ENV + "=" + path);
        assumeTrue(path != null && Files.isRegularFile(Path.of(path)), reason);
        kernel = Files.readAllBytes(Path.of(path));
        name = Path.of(path).getFileName().toString();
    }

    @Test
    void headerIsSane() {
        LinuxBootProtocol.SetupHeader h = LinuxBootProtocol.parseHeader(name, kernel);

        assertAll(
                () -> assertTrue(h.version() >= 0x020f, "version " + h.versionText()),
                () -> assertEquals(LinuxBootProtocol.XLF_KERNEL_64, h.xloadflags() & LinuxBootProtocol.XLF_KERNEL_64),
                () -> assertTrue(h.relocatable()),
                () -> assertTrue(h.cmdlineSize() >= 255),
                () -> assertTrue(h.initSize() > h.pmLength(), "init_size covers the decompressed kernel"),
                () -> assertEquals(0, h.pmOffset() % 512));
    }

    @Test
    void loadsWithInitrdAndEntersLongMode() {
        byte[] initrd = TestImages.pattern((int) MIB, 3);
        BootImage image = new BootImage(name, kernel, Optional.of(initrd), "console=ttyS0 earlyprintk=ttyS0");
        LinuxBootProtocol.SetupHeader h = LinuxBootProtocol.parseHeader(name, kernel);
        try (RamGuestMemory mem = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 256 * MIB)) {

            X86EntryState e = X86Boot.load(mem, image, 2);

            long zp = X86Layout.ZERO_PAGE_GPA;
            long ramdisk = mem.read32(zp + 0x218) & 0xffffffffL;
            byte[] loaded = new byte[4096];
            mem.readBytes(X86Layout.KERNEL_GPA, loaded, 0, loaded.length);
            assertAll(
                    () -> assertEquals(Mode.LONG_64, e.mode()),
                    () -> assertEquals(0x100200, e.rip()),
                    () -> assertEquals(zp, e.rsi()),
                    () -> assertEquals(h.version(), mem.read16(zp + 0x206)),
                    () -> assertEquals(0xff, mem.read8(zp + 0x210)),
                    () -> assertArrayEquals(Arrays.copyOfRange(kernel, h.pmOffset(), h.pmOffset() + 4096), loaded),
                    () -> assertTrue(ramdisk >= LinuxBootProtocol.kernelEnd(h, X86Layout.KERNEL_GPA)),
                    () -> assertEquals(256 * MIB - MIB, ramdisk),
                    () -> assertEquals(MIB, mem.read32(zp + 0x21c)));
        }
    }

    @Test
    void tooLittleMemoryForInitSizeIsBadInput() {
        BootImage image = new BootImage(name, kernel, Optional.empty(), "");
        try (RamGuestMemory mem = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 32 * MIB)) {

            HyperportException e = assertThrows(HyperportException.class, () -> X86Boot.load(mem, image, 1));

            assertTrue(e.getMessage().startsWith(name + ": memory too small: the kernel needs RAM up to 0x"),
                    e.getMessage());
        }
    }
}
