package org.hyperport.x86.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.RawImage;

/**
 * The Linux/x86 boot protocol for bzImage files (Documentation/arch/x86/boot.rst, zero-page.rst), version 2.06 or
 * later, as a boot loader that skips the real-mode setup code.
 *
 * <p>The protected-mode kernel ({@code (setup_sects+1)*512} bytes into the file) is loaded at 1 MiB. The zero page
 * ({@code struct boot_params}) at {@link X86Layout#ZERO_PAGE_GPA} gets the file's setup header at 0x1F1 and the
 * loader's fields: {@code type_of_loader} 0xFF, {@code loadflags} LOADED_HIGH | CAN_USE_HEAP (QUIET off),
 * {@code heap_end_ptr}, {@code cmd_line_ptr}, {@code ramdisk_image/size} (+ {@code ext_} halves) and the e820 table.
 * The initrd goes page-aligned as high as {@code initrd_addr_max} and low RAM allow, above the memory the kernel
 * claims: {@code init_size} bytes from its run-time address, which for a relocatable kernel is the load address
 * rounded up to {@code kernel_alignment} but not below {@code pref_address} (boot.rst "Details of Header Fields";
 * the decompressor's {@code startup_32}/{@code startup_64} choose it that way).
 *
 * <p>Entry ("64-bit Boot Protocol", "32-bit Boot Protocol"): with {@code XLF_KERNEL_64}, long mode at load address +
 * 0x200 with identity paging; otherwise 32-bit protected mode at the load address ({@code code32_start}). Either way
 * RSI/ESI holds the zero page and RSP the {@link X86Layout#BOOT_STACK_GPA boot stack}.
 */
public final class LinuxBootProtocol {

    private LinuxBootProtocol() {
    }

    // Setup header, at the same offsets in the file and in boot_params (boot.rst "The Real-Mode Kernel Header").
    static final int SETUP_SECTS = 0x1f1;
    static final int SYSSIZE = 0x1f4;
    static final int BOOT_FLAG = 0x1fe;
    static final int JUMP = 0x200;
    static final int HEADER = 0x202;
    static final int VERSION = 0x206;
    static final int TYPE_OF_LOADER = 0x210;
    static final int LOADFLAGS = 0x211;
    static final int CODE32_START = 0x214;
    static final int RAMDISK_IMAGE = 0x218;
    static final int RAMDISK_SIZE = 0x21c;
    static final int HEAP_END_PTR = 0x224;
    static final int CMD_LINE_PTR = 0x228;
    static final int INITRD_ADDR_MAX = 0x22c;
    static final int KERNEL_ALIGNMENT = 0x230;
    static final int RELOCATABLE_KERNEL = 0x234;
    static final int XLOADFLAGS = 0x236;
    static final int CMDLINE_SIZE = 0x238;
    static final int PREF_ADDRESS = 0x258;
    static final int INIT_SIZE = 0x260;
    /** boot_params ends its setup header before {@code edd_mbr_sig_buffer} (zero-page.rst). */
    static final int SETUP_HEADER_LIMIT = 0x290;
    /** Protocol 2.06 ends its setup header after {@code cmdline_size}. */
    static final int MIN_HEADER_END = CMDLINE_SIZE + 4;

    // Other zero-page fields (zero-page.rst).
    static final int ZP_ACPI_RSDP_ADDR = 0x070;
    static final int ZP_EXT_RAMDISK_IMAGE = 0x0c0;
    static final int ZP_EXT_RAMDISK_SIZE = 0x0c4;
    static final int ZP_EXT_CMD_LINE_PTR = 0x0c8;
    static final int ZP_E820_ENTRIES = 0x1e8;
    static final int ZP_E820_TABLE = 0x2d0;
    static final int E820_MAX_ENTRIES = 128;

    public static final int HDRS = 0x53726448;  // "HdrS"
    public static final int BOOT_FLAG_MAGIC = 0xaa55;
    public static final int MIN_VERSION = 0x0206;
    public static final int LOADED_HIGH = 0x01;
    public static final int QUIET_FLAG = 0x20;
    public static final int KEEP_SEGMENTS = 0x40;
    public static final int CAN_USE_HEAP = 0x80;
    public static final int XLF_KERNEL_64 = 0x01;
    public static final int TYPE_OF_LOADER_UNDEFINED = 0xff;
    /** {@code heap_end_ptr} as boot loaders set it: 0xFE00, the end of the setup heap minus 0x200. */
    public static final int HEAP_END = 0xfe00;
    /** Offset of {@code startup_64} from the protected-mode load address. */
    public static final int ENTRY_64_OFFSET = 0x200;

    /** Whether {@code kernel} carries the setup header magic "HdrS" at 0x202. */
    public static boolean isBzImage(byte[] kernel) {
        return kernel.length >= HEADER + 4 && le(kernel).getInt(HEADER) == HDRS;
    }

    /** The parsed setup header fields this loader uses. */
    record SetupHeader(int version, int setupSects, int headerEnd, int loadflags, long initrdAddrMax,
                       long kernelAlignment, boolean relocatable, int xloadflags, long cmdlineSize,
                       long prefAddress, long initSize, int pmOffset, int pmLength) {

        String versionText() {
            return versionText(version);
        }

        static String versionText(int v) {
            return String.format("%d.%02x", v >> 8, v & 0xff);
        }
    }

    /** Validates the setup header of {@code image.kernel()}. */
    static SetupHeader parseHeader(String name, byte[] k) {
        if (k.length < MIN_HEADER_END) {
            throw bad(name, String.format("truncated bzImage (%d bytes, the setup header needs 0x%x)", k.length,
                    MIN_HEADER_END));
        }
        ByteBuffer b = le(k);
        if ((b.getShort(BOOT_FLAG) & 0xffff) != BOOT_FLAG_MAGIC) {
            throw bad(name, String.format("bzImage boot_flag is 0x%04x, not 0xaa55", b.getShort(BOOT_FLAG) & 0xffff));
        }
        int version = b.getShort(VERSION) & 0xffff;
        if (version < MIN_VERSION) {
            throw bad(name, "Linux boot protocol " + SetupHeader.versionText(version)
                    + " is too old (hyperport needs 2.06 or later)");
        }
        int headerEnd = 0x202 + (k[JUMP + 1] & 0xff);
        int needed = version >= 0x020a ? INIT_SIZE + 4 : MIN_HEADER_END;
        if (headerEnd < needed || headerEnd > SETUP_HEADER_LIMIT || headerEnd > k.length) {
            throw bad(name, String.format("bzImage setup header (protocol %s) ends at 0x%x, outside 0x%x..0x%x"
                    + " or the %d-byte file", SetupHeader.versionText(version), headerEnd, needed,
                    SETUP_HEADER_LIMIT, k.length));
        }
        int setupSects = k[SETUP_SECTS] & 0xff;
        if (setupSects == 0) {
            setupSects = 4;
        }
        int pmOffset = (setupSects + 1) * 512;
        long syssize = (b.getInt(SYSSIZE) & 0xffff_ffffL) * 16;
        if (pmOffset > k.length || syssize > k.length - pmOffset) {
            throw bad(name, String.format("truncated bzImage: %d setup sectors and 0x%x bytes of protected-mode"
                    + " code need 0x%x bytes, file has 0x%x", setupSects, syssize, pmOffset + syssize, k.length));
        }
        int loadflags = k[LOADFLAGS] & 0xff;
        if ((loadflags & LOADED_HIGH) == 0) {
            throw bad(name, "zImage (loaded at 0x10000) is not supported; use a bzImage");
        }
        boolean relocatable = k[RELOCATABLE_KERNEL] != 0;
        long kernelAlignment = b.getInt(KERNEL_ALIGNMENT) & 0xffff_ffffL;
        if (relocatable && Long.bitCount(kernelAlignment) != 1) {
            throw bad(name, String.format("bzImage kernel_alignment 0x%x is not a power of two", kernelAlignment));
        }
        boolean v210 = version >= 0x020a;
        return new SetupHeader(version, setupSects, headerEnd, loadflags, b.getInt(INITRD_ADDR_MAX) & 0xffff_ffffL,
                kernelAlignment, relocatable, version >= 0x020c ? b.getShort(XLOADFLAGS) & 0xffff : 0,
                b.getInt(CMDLINE_SIZE) & 0xffff_ffffL, v210 ? b.getLong(PREF_ADDRESS) : 0,
                v210 ? b.getInt(INIT_SIZE) & 0xffff_ffffL : 0, pmOffset, k.length - pmOffset);
    }

    /**
     * The end of the memory the kernel claims once running: {@code init_size} bytes from its run-time address (see
     * the class comment), and at least the loaded image.
     */
    static long kernelEnd(SetupHeader h, long loadGpa) {
        long runtime = loadGpa;
        if (h.prefAddress() != 0) {
            runtime = h.relocatable()
                    ? Math.max(alignUp(loadGpa, h.kernelAlignment()), h.prefAddress())
                    : h.prefAddress();
        }
        return Math.max(loadGpa + h.pmLength(), runtime + h.initSize());
    }

    /** Loads a bzImage: see the class comment. */
    static X86EntryState load(GuestMemory mem, BootImage image) {
        String name = image.name();
        byte[] k = image.kernel();
        SetupHeader h = parseHeader(name, k);
        long loadGpa = X86Layout.KERNEL_GPA;
        long kernelEnd = kernelEnd(h, loadGpa);
        long cmdlineMax = Math.min(h.cmdlineSize(), X86Layout.CMDLINE_MAX - 1);
        X86Boot.checkCmdline(image, cmdlineMax, h.cmdlineSize() < X86Layout.CMDLINE_MAX - 1
                ? "the kernel accepts" : "hyperport passes");
        long initrdLimit = Math.min(h.initrdAddrMax() + 1, E820.lowRamEnd(mem.size()));
        X86Boot.Initrd initrd = X86Boot.placeInitrdHigh(mem, image, kernelEnd, initrdLimit);

        new RawImage(name, k, h.pmOffset(), h.pmLength()).loadAt(mem, loadGpa);
        long zp = X86Layout.ZERO_PAGE_GPA;
        mem.fill(zp, X86Layout.ZERO_PAGE_SIZE, (byte) 0);
        mem.writeBytes(zp + SETUP_SECTS, k, SETUP_SECTS, h.headerEnd() - SETUP_SECTS);
        mem.write8(zp + TYPE_OF_LOADER, TYPE_OF_LOADER_UNDEFINED);
        mem.write8(zp + LOADFLAGS, (h.loadflags() | LOADED_HIGH | CAN_USE_HEAP) & ~(QUIET_FLAG | KEEP_SEGMENTS));
        mem.write32LE(zp + CODE32_START, (int) loadGpa);
        mem.write16LE(zp + HEAP_END_PTR, HEAP_END);
        writeBootParams(mem, image, initrd);

        return (h.xloadflags() & XLF_KERNEL_64) != 0
                ? X86Boot.long64(loadGpa + ENTRY_64_OFFSET, zp)
                : X86Boot.protected32(loadGpa, 0, 0, zp, X86Layout.BOOT_STACK_GPA);
    }

    /**
     * Writes the boot_params fields every Linux entry shares: command line, initrd and e820 table. The setup header
     * part must already be in place.
     */
    static void writeBootParams(GuestMemory mem, BootImage image, X86Boot.Initrd initrd) {
        long zp = X86Layout.ZERO_PAGE_GPA;
        X86Boot.writeCmdline(mem, image);
        mem.write32LE(zp + CMD_LINE_PTR, (int) X86Layout.CMDLINE_GPA);
        mem.write32LE(zp + ZP_EXT_CMD_LINE_PTR, (int) (X86Layout.CMDLINE_GPA >>> 32));
        mem.write32LE(zp + RAMDISK_IMAGE, (int) initrd.gpa());
        mem.write32LE(zp + ZP_EXT_RAMDISK_IMAGE, (int) (initrd.gpa() >>> 32));
        mem.write32LE(zp + RAMDISK_SIZE, (int) initrd.size());
        mem.write32LE(zp + ZP_EXT_RAMDISK_SIZE, (int) (initrd.size() >>> 32));
        mem.write64LE(zp + ZP_ACPI_RSDP_ADDR, 0);
        List<E820.Entry> map = E820.map(mem.size());
        for (int i = 0; i < map.size(); i++) {
            E820.Entry e = map.get(i);
            long at = zp + ZP_E820_TABLE + i * 20L;
            mem.write64LE(at, e.gpa());
            mem.write64LE(at + 8, e.size());
            mem.write32LE(at + 16, e.type());
        }
        mem.write8(zp + ZP_E820_ENTRIES, map.size());
    }

    private static ByteBuffer le(byte[] k) {
        return ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    private static HyperportException bad(String name, String what) {
        return HyperportException.badInput(name + ": " + what);
    }
}
