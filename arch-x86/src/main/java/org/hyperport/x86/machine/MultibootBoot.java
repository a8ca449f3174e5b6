package org.hyperport.x86.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.loader.RawImage;

/**
 * Multiboot 0.6.96 (version 1) for bare-metal test guests such as kvm-unit-tests' {@code *.flat} (ARCHES.md §1.6).
 *
 * <p>The OS image header (§3.1.1-§3.1.3) is the first 4-byte-aligned {@code 0x1BADB002} in the first 8192 bytes whose
 * {@code magic + flags + checksum} is 0 mod 2^32. Requirement bits 0 (page-align modules) and 1 (memory information)
 * are met; bit 2 (video mode) is accepted and ignored as QEMU does (there is no framebuffer); any other bit in 0-15 is
 * refused, as §3.1.2 demands. With bit 16 the a.out-kludge address fields place the image, otherwise it must be an
 * ELF (32- or 64-bit, EM_386 or EM_X86_64) whose PT_LOAD segments go to {@code p_paddr}.
 *
 * <p>The initrd becomes module 0, page-aligned right after the image as QEMU places modules. The Multiboot
 * information (§3.3) at {@link X86Layout#MBI_GPA} has {@code mem_lower}/{@code mem_upper}, {@code cmdline},
 * {@code mods}, {@code mmap} (from {@link E820}) and {@code boot_loader_name}. Entry (§3.2): 32-bit protected mode,
 * paging off, EAX = 0x2BADB002, EBX = MBI.
 */
public final class MultibootBoot {

    private MultibootBoot() {
    }

    public static final int HEADER_MAGIC = 0x1badb002;
    public static final int BOOTLOADER_MAGIC = 0x2badb002;
    public static final int SEARCH_BYTES = 8192;
    public static final int FLAG_PAGE_ALIGN = 1;
    public static final int FLAG_MEMORY_INFO = 1 << 1;
    public static final int FLAG_VIDEO_MODE = 1 << 2;
    public static final int FLAG_AOUT_KLUDGE = 1 << 16;
    private static final int KNOWN_REQUIREMENTS = FLAG_PAGE_ALIGN | FLAG_MEMORY_INFO | FLAG_VIDEO_MODE;

    // MBI flags and offsets (§3.3).
    public static final int MBI_MEM = 1;
    public static final int MBI_CMDLINE = 1 << 2;
    public static final int MBI_MODS = 1 << 3;
    public static final int MBI_MMAP = 1 << 6;
    public static final int MBI_LOADER_NAME = 1 << 9;
    static final int MBI_FLAGS = 0;
    static final int MBI_MEM_LOWER = 4;
    static final int MBI_MEM_UPPER = 8;
    static final int MBI_CMDLINE_PTR = 16;
    static final int MBI_MODS_COUNT = 20;
    static final int MBI_MODS_ADDR = 24;
    static final int MBI_MMAP_LENGTH = 44;
    static final int MBI_MMAP_ADDR = 48;
    static final int MBI_BOOT_LOADER_NAME = 64;
    static final int MMAP_ENTRY_SIZE = 24;
    static final String LOADER_NAME = "hyperport";
    static final String MODULE_STRING = "initrd";

    /** A Multiboot header found in the image: its file offset and flags. */
    record Header(int offset, int flags) {
        boolean aoutKludge() {
            return (flags & FLAG_AOUT_KLUDGE) != 0;
        }
    }

    /** Where an a.out-kludge image goes (§3.1.3): file bytes at {@code fileOffset} to {@code [loadGpa, loadEndGpa)}. */
    record AoutLayout(long fileOffset, long loadGpa, long loadEndGpa, long bssEndGpa, long entryGpa) {
    }

    /** The first valid Multiboot header in the first {@link #SEARCH_BYTES} of {@code image}. */
    static Optional<Header> findHeader(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int limit = Math.min(image.length, SEARCH_BYTES) - 12;
        for (int off = 0; off <= limit; off += 4) {
            int flags = b.getInt(off + 4);
            if (b.getInt(off) == HEADER_MAGIC && HEADER_MAGIC + flags + b.getInt(off + 8) == 0) {
                return Optional.of(new Header(off, flags));
            }
        }
        return Optional.empty();
    }

    /** Validates the a.out-kludge fields of {@code h}. */
    static AoutLayout aoutLayout(String name, byte[] image, Header h) {
        if (h.offset() + 32 > image.length) {
            throw X86Boot.bad(name, "truncated Multiboot header: the a.out kludge (flag 16) needs 32 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long headerAddr = b.getInt(h.offset() + 12) & 0xffff_ffffL;
        long loadAddr = b.getInt(h.offset() + 16) & 0xffff_ffffL;
        long loadEndAddr = b.getInt(h.offset() + 20) & 0xffff_ffffL;
        long bssEndAddr = b.getInt(h.offset() + 24) & 0xffff_ffffL;
        long entryAddr = b.getInt(h.offset() + 28) & 0xffff_ffffL;
        long fileOffset = h.offset() - (headerAddr - loadAddr);
        if (loadAddr > headerAddr || fileOffset < 0) {
            throw X86Boot.bad(name, String.format("Multiboot load_addr 0x%x does not fit header_addr 0x%x at file"
                    + " offset 0x%x", loadAddr, headerAddr, h.offset()));
        }
        long available = image.length - fileOffset;
        long loadEnd = loadEndAddr == 0 ? loadAddr + available : loadEndAddr;
        if (loadEnd < loadAddr || loadEnd - loadAddr > available) {
            throw X86Boot.bad(name, String.format("Multiboot load_end_addr 0x%x lies past the end of the file"
                    + " (%d bytes from load_addr 0x%x)", loadEndAddr, available, loadAddr));
        }
        long bssEnd = bssEndAddr == 0 ? loadEnd : bssEndAddr;
        if (bssEnd < loadEnd) {
            throw X86Boot.bad(name, String.format("Multiboot bss_end_addr 0x%x is below load_end_addr 0x%x",
                    bssEndAddr, loadEnd));
        }
        if (loadAddr < X86Layout.KERNEL_GPA) {
            throw X86Boot.bad(name, String.format("Multiboot load_addr 0x%x overlaps the boot structures below"
                    + " 1 MiB", loadAddr));
        }
        return new AoutLayout(fileOffset, loadAddr, loadEnd, bssEnd, entryAddr);
    }

    /** Loads a Multiboot image: see the class comment. {@code elf} is the parsed image if it is an ELF. */
    static X86EntryState load(GuestMemory mem, BootImage image, Header h, Optional<ElfImage> elf) {
        String name = image.name();
        int unsupported = h.flags() & 0xffff & ~KNOWN_REQUIREMENTS;
        if (unsupported != 0) {
            throw X86Boot.bad(name, String.format("Multiboot header requires features hyperport lacks"
                    + " (flags 0x%x, unknown bits 0x%x)", h.flags(), unsupported));
        }
        X86Boot.checkCmdline(image, X86Layout.CMDLINE_MAX - 1, "hyperport passes");
        long entry;
        long kernelEnd;
        Runnable loadKernel;
        if (h.aoutKludge()) {
            AoutLayout a = aoutLayout(name, image.kernel(), h);
            RawImage.requireRam(mem, name, a.loadGpa(), a.bssEndGpa() - a.loadGpa());
            RawImage run = new RawImage(name, image.kernel(), (int) a.fileOffset(),
                    (int) (a.loadEndGpa() - a.loadGpa()));
            entry = a.entryGpa();
            kernelEnd = a.bssEndGpa();
            loadKernel = () -> run.loadAt(mem, a.loadGpa(), a.bssEndGpa() - a.loadGpa());
        } else {
            ElfImage e = elf.orElseThrow(() -> X86Boot.bad(name, "Multiboot header without the a.out kludge"
                    + " (flag 16) needs an ELF image"));
            X86Boot.requireX86(e, "Multiboot");
            X86Boot.requireAboveBootArea(e);
            entry = X86Boot.require32(name, "Multiboot entry point", e.entryPaddr());
            kernelEnd = e.paddrEnd();
            loadKernel = () -> e.loadInto(mem);
        }
        X86Boot.Initrd initrd = X86Boot.placeInitrdAfter(mem, image, kernelEnd);
        loadKernel.run();
        X86Boot.writeCmdline(mem, image);
        writeInfo(mem, initrd);
        return X86Boot.protected32(entry, BOOTLOADER_MAGIC, X86Layout.MBI_GPA, 0, 0);
    }

    /** Writes the Multiboot information structure and what it points to. */
    static void writeInfo(GuestMemory mem, X86Boot.Initrd initrd) {
        long mbi = X86Layout.MBI_GPA;
        long strings = X86Layout.MBI_STRINGS_GPA;
        mem.fill(mbi, strings + X86Layout.MBI_STRINGS_SIZE - mbi, (byte) 0);
        byte[] loader = (LOADER_NAME + "\0").getBytes(StandardCharsets.US_ASCII);
        long moduleString = strings + loader.length;
        mem.writeBytes(strings, loader);
        mem.writeBytes(moduleString, (MODULE_STRING + "\0").getBytes(StandardCharsets.US_ASCII));

        long lowEnd = E820.lowRamEnd(mem.size());
        mem.write32LE(mbi + MBI_FLAGS, MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER_NAME);
        mem.write32LE(mbi + MBI_MEM_LOWER, (int) (X86Layout.EBDA_GPA / 1024));
        mem.write32LE(mbi + MBI_MEM_UPPER, (int) ((lowEnd - X86Layout.KERNEL_GPA) / 1024));
        mem.write32LE(mbi + MBI_CMDLINE_PTR, (int) X86Layout.CMDLINE_GPA);
        mem.write32LE(mbi + MBI_MODS_COUNT, initrd.size() > 0 ? 1 : 0);
        mem.write32LE(mbi + MBI_MODS_ADDR, (int) X86Layout.MBI_MODS_GPA);
        if (initrd.size() > 0) {
            long mod = X86Layout.MBI_MODS_GPA;
            mem.write32LE(mod, (int) initrd.gpa());
            mem.write32LE(mod + 4, (int) (initrd.gpa() + initrd.size()));
            mem.write32LE(mod + 8, (int) moduleString);
        }
        List<E820.Entry> map = E820.map(mem.size());
        for (int i = 0; i < map.size(); i++) {
            E820.Entry e = map.get(i);
            long at = X86Layout.MBI_MMAP_GPA + (long) i * MMAP_ENTRY_SIZE;
            mem.write32LE(at, MMAP_ENTRY_SIZE - 4);
            mem.write64LE(at + 4, e.gpa());
            mem.write64LE(at + 12, e.size());
            mem.write32LE(at + 20, e.type());
        }
        mem.write32LE(mbi + MBI_MMAP_LENGTH, map.size() * MMAP_ENTRY_SIZE);
        mem.write32LE(mbi + MBI_MMAP_ADDR, (int) X86Layout.MBI_MMAP_GPA);
        mem.write32LE(mbi + MBI_BOOT_LOADER_NAME, (int) strings);
    }
}
