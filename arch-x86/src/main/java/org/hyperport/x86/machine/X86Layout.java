package org.hyperport.x86.machine;

import java.util.List;

/**
 * Guest-physical addresses of everything the x86 boot code writes, below 1 MiB. Follows Firecracker's known-good
 * layout ({@code arch/x86_64/layout.rs}, ARCHES.md §1.4) except that the PVH memory map moves from 0x7000 to 0x6100
 * so it no longer shares the zero page, and the Multiboot structures (which Firecracker lacks) sit at 0x1000.
 * Images are loaded at or above {@link #KERNEL_GPA}; the boot code refuses segments below it.
 *
 * <pre>
 *   0x00500  GDT (6 entries)          0x06000  PVH hvm_start_info        0x09000  PML4
 *   0x01000  Multiboot info (MBI)     0x06040  PVH module list           0x0a000  PDPT
 *   0x01080  MBI module list          0x06100  PVH memory map            0x0b000  4 PDs (4 GiB, 2 MiB pages)
 *   0x01100  MBI memory map           0x07000  Linux zero page           0x20000  command line (2 KiB)
 *   0x01400  MBI strings              0x08ff0  boot stack top (RSP)      0x9fc00  EBDA (reserved to 1 MiB)
 *   0xf0000  MP floating pointer + configuration table                  0x100000 kernel
 * </pre>
 */
public final class X86Layout {

    private X86Layout() {
    }

    /** A named boot structure area, {@code [gpa, gpa+size)}. */
    public record Area(String name, long gpa, long size) {
        public long end() {
            return gpa + size;
        }
    }

    /** GDT: null, null, code 0x10, data 0x18, TSS 0x20 (16 bytes in long mode). */
    public static final long GDT_GPA = 0x500;
    public static final int GDT_ENTRIES = 6;
    public static final int GDT_LIMIT = GDT_ENTRIES * 8 - 1;
    /** Flat code selector (Linux {@code __BOOT_CS}). */
    public static final int SEL_CODE = 0x10;
    /** Flat data selector (Linux {@code __BOOT_DS}). */
    public static final int SEL_DATA = 0x18;
    /** TSS selector, base 0 limit 0x67 as PVH asks. */
    public static final int SEL_TSS = 0x20;

    /** Multiboot information structure (Multiboot 0.6.96 §3.3). */
    public static final long MBI_GPA = 0x1000;
    public static final long MBI_MODS_GPA = 0x1080;
    public static final long MBI_MMAP_GPA = 0x1100;
    public static final int MBI_MMAP_MAX = 32;
    public static final long MBI_STRINGS_GPA = 0x1400;
    public static final long MBI_STRINGS_SIZE = 0x100;

    /** Xen {@code hvm_start_info} (56 bytes), its module list and memory map. */
    public static final long PVH_START_INFO_GPA = 0x6000;
    public static final long PVH_MODLIST_GPA = 0x6040;
    public static final long PVH_MEMMAP_GPA = 0x6100;
    public static final int PVH_MEMMAP_MAX = (int) ((0x7000 - PVH_MEMMAP_GPA) / 24);

    /** Linux {@code struct boot_params}, 4 KiB. */
    public static final long ZERO_PAGE_GPA = 0x7000;
    public static final long ZERO_PAGE_SIZE = 0x1000;

    /** Initial RSP for the Linux protocols (Firecracker's BOOT_STACK_POINTER); the stack grows down to 0x8000. */
    public static final long BOOT_STACK_GPA = 0x8ff0;

    /** Identity map of the first {@link #IDENTITY_MAP_BYTES}: one PML4, one PDPT, one PD per GiB. */
    public static final long PML4_GPA = 0x9000;
    public static final long PDPT_GPA = 0xa000;
    public static final long PD_GPA = 0xb000;
    public static final int PD_COUNT = 4;
    public static final long IDENTITY_MAP_BYTES = (long) PD_COUNT << 30;

    /** Kernel command line, NUL-terminated. */
    public static final long CMDLINE_GPA = 0x20000;
    public static final int CMDLINE_MAX = 2048;

    /** Extended BIOS data area: e820 reserves from here to 1 MiB. */
    public static final long EBDA_GPA = 0x9fc00;

    /** MP floating pointer, followed by the configuration table (Intel MP 1.4 §4: 0xF0000-0xFFFFF is searched). */
    public static final long MP_TABLE_GPA = 0xf0000;
    public static final long MP_TABLE_SIZE = 0x2000;

    /** Where kernels are loaded; everything below belongs to the boot structures and the BIOS areas. */
    public static final long KERNEL_GPA = 0x100000;

    /** Every boot structure area, for overlap checks. */
    public static final List<Area> AREAS = List.of(
            new Area("gdt", GDT_GPA, GDT_ENTRIES * 8),
            new Area("mbi", MBI_GPA, MBI_MODS_GPA - MBI_GPA),
            new Area("mbi-mods", MBI_MODS_GPA, MBI_MMAP_GPA - MBI_MODS_GPA),
            new Area("mbi-mmap", MBI_MMAP_GPA, MBI_MMAP_MAX * 24L),
            new Area("mbi-strings", MBI_STRINGS_GPA, MBI_STRINGS_SIZE),
            new Area("pvh-start-info", PVH_START_INFO_GPA, 56),
            new Area("pvh-modlist", PVH_MODLIST_GPA, 32),
            new Area("pvh-memmap", PVH_MEMMAP_GPA, PVH_MEMMAP_MAX * 24L),
            new Area("zero-page", ZERO_PAGE_GPA, ZERO_PAGE_SIZE),
            new Area("boot-stack", 0x8000, BOOT_STACK_GPA + 0x10 - 0x8000),
            new Area("pml4", PML4_GPA, 0x1000),
            new Area("pdpt", PDPT_GPA, 0x1000),
            new Area("pd", PD_GPA, PD_COUNT * 0x1000L),
            new Area("cmdline", CMDLINE_GPA, CMDLINE_MAX),
            new Area("mp-table", MP_TABLE_GPA, MP_TABLE_SIZE));
}
