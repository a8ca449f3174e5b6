package org.hyperport.x86.machine;

import static org.hyperport.x86.machine.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.machine.X86EntryState.Mode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the ELF parser and the PVH loader against a real Linux {@code vmlinux} (for instance the XZ payload of
 * Debian's 6.1 bzImage, at {@code payload_offset}/{@code payload_length} of its setup header, decompressed). Runs
 * when {@code HYPERPORT_LINUX_VMLINUX} names the file, or the Debian vmlinux cached
 * by the conformance suite's {@code DebianGuest} is present.
 */
class RealVmlinuxTest {

    private static final String ENV = "HYPERPORT_LINUX_VMLINUX";

    private byte[] kernel;
    private String name;

    @BeforeEach
    void readKernel() throws IOException {
        // The variable, or the Debian kernel the conformance suite's DebianGuest caches.
        String path = java.util.Optional.ofNullable(System.getenv(ENV)).orElseGet(() -> {
            java.nio.file.Path cached = java.nio.file.Path.of(java.util.Optional.ofNullable(
                    System.getenv("HYPERPORT_CACHE")).orElse(System.getProperty("user.home") + "/.cache/hyperport"),
                    "debian", "amd64", "vmlinux");
            return java.nio.file.Files.isRegularFile(cached) ? cached.toString() : null;
        });
        System.out.println(ENV + "=" + path);
        assumeTrue(path != null && Files.isRegularFile(Path.of(path)),
                ENV + "=" + path + " does not name a vmlinux file; skipping the real-kernel check");
        kernel = Files.readAllBytes(Path.of(path));
        name = Path.of(path).getFileName().toString();
    }

    @Test
    void parsesProgramHeadersAndThePvhNote() {
        ElfImage elf = ElfImage.parse(name, kernel);

        long pvhEntry = PvhBootProtocol.entry(elf);
        assertAll(
                () -> assertTrue(elf.is64()),
                () -> assertEquals(ElfImage.EM_X86_64, elf.machine()),
                () -> assertEquals(0x1000000, elf.entryPaddr()),
                () -> assertTrue(elf.loadSegments().size() >= 2),
                () -> assertTrue(elf.loadSegments().stream().allMatch(s -> s.paddr() >= 0x1000000)),
                () -> assertTrue(pvhEntry > 0x1000000 && pvhEntry < elf.paddrEnd(), Long.toHexString(pvhEntry)),
                () -> assertTrue(elf.notes().stream().filter(n -> n.name().equals("Xen")).count() >= 10));
    }

    @Test
    void loadsThroughPvh() {
        ElfImage elf = ElfImage.parse(name, kernel);
        ElfImage.Segment first = elf.loadSegments().getFirst();
        BootImage image = new BootImage(name, kernel, Optional.of(new byte[4096]), "console=ttyS0");
        try (RamGuestMemory mem = RamGuestMemory.map(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 256 * MIB)) {

            X86EntryState e = X86Boot.load(mem, image, 1);

            byte[] loaded = new byte[4096];
            mem.readBytes(first.paddr(), loaded, 0, loaded.length);
            assertAll(
                    () -> assertEquals(Mode.PROTECTED_32, e.mode()),
                    () -> assertEquals(PvhBootProtocol.entry(elf), e.rip()),
                    () -> assertEquals(X86Layout.PVH_START_INFO_GPA, e.rbx()),
                    () -> assertEquals(PvhBootProtocol.START_INFO_MAGIC, mem.read32(X86Layout.PVH_START_INFO_GPA)),
                    () -> assertEquals(1, mem.read32(X86Layout.PVH_START_INFO_GPA + 12)),
                    () -> assertArrayEquals(Arrays.copyOfRange(kernel, (int) first.offset(),
                            (int) first.offset() + 4096), loaded));
        }
    }
}
