package org.hyperport.x86.machine;

import org.hyperport.common.loader.ElfBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.BootImage;
import org.hyperport.common.memory.RamGuestMemory;

/** Synthetic guest images and memories for the boot tests. */
final class TestImages {

    private TestImages() {
    }

    static final long MIB = 1L << 20;

    static RamGuestMemory ram(long bytes) {
        return RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, bytes);
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** Distinct bytes, so that a misplaced copy shows. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    static BootImage image(String name, byte[] kernel) {
        return new BootImage(name, kernel, Optional.empty(), "");
    }

    static BootImage image(String name, byte[] kernel, byte[] initrd, String cmdline) {
        return new BootImage(name, kernel, Optional.of(initrd), cmdline);
    }

    static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /**
     * A bzImage with a protocol-2.15 style setup header: {@code setupSects} setup sectors, then {@code pm} as the
     * protected-mode kernel. Defaults mirror Debian's 6.1 kernel: relocatable, 2 MiB alignment, pref_address 16 MiB,
     * XLF_KERNEL_64, initrd_addr_max 0x7fffffff, cmdline_size 2047.
     */
    static final class BzImage {
        int version = 0x020f;
        int setupSects = 4;
        int loadflags = LinuxBootProtocol.LOADED_HIGH;
        int xloadflags = 0x7f;
        long initrdAddrMax = 0x7fffffffL;
        long kernelAlignment = 0x200000;
        boolean relocatable = true;
        long cmdlineSize = 2047;
        long prefAddress = 0x1000000;
        long initSize = 0x400000;
        byte[] pm = pattern(0x1000, 3);

        byte[] build() {
            int setup = ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
            ByteBuffer b = ByteBuffer.allocate(setup + pm.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0x1f1, (byte) setupSects);
            b.putInt(0x1f4, (pm.length + 15) / 16);
            b.putShort(0x1fe, (short) 0xaa55);
            b.put(0x200, (byte) 0xeb).put(0x201, (byte) (0x268 - 0x202));
            b.putInt(0x202, LinuxBootProtocol.HDRS);
            b.putShort(0x206, (short) version);
            b.put(0x211, (byte) loadflags);
            b.putInt(0x214, 0x100000);
            b.putInt(0x22c, (int) initrdAddrMax);
            b.putInt(0x230, (int) kernelAlignment);
            b.put(0x234, (byte) (relocatable ? 1 : 0));
            b.put(0x235, (byte) 0x15);
            b.putShort(0x236, (short) xloadflags);
            b.putInt(0x238, (int) cmdlineSize);
            b.putLong(0x258, prefAddress);
            b.putInt(0x260, (int) initSize);
            b.put(setup, pm);
            return b.array();
        }
    }

    /** A 12-byte Multiboot header, or 32 bytes with the a.out kludge fields when {@code flags} has bit 16. */
    static byte[] multibootHeader(int flags, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr,
                                  long entryAddr) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MultibootBoot.HEADER_MAGIC).putInt(flags).putInt(-(MultibootBoot.HEADER_MAGIC + flags));
        b.putInt((int) headerAddr).putInt((int) loadAddr).putInt((int) loadEndAddr).putInt((int) bssEndAddr)
                .putInt((int) entryAddr);
        return b.array();
    }

    /** Like kvm-unit-tests' {@code *.flat}: an elf32-i386 at 4 MiB whose text starts with a Multiboot header. */
    static byte[] multibootElf(int flags) {
        byte[] text = new byte[0x100];
        System.arraycopy(multibootHeader(flags, 0, 0, 0, 0, 0), 0, text, 0, 12);
        Arrays.fill(text, 12, text.length, (byte) 0x90);
        return new ElfBuilder(false, ByteOrder.LITTLE_ENDIAN, org.hyperport.common.loader.ElfImage.EM_386)
                .entry(0x400010).load(0x400000, 0x400000, text, 0x3000).build();
    }
}
