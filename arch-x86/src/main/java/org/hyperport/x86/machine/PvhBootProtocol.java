package org.hyperport.x86.machine;

import java.util.List;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.common.loader.ElfImage;

/**
 * The Xen PVH direct boot ABI (Xen {@code docs/misc/pvh.pandoc}, {@code public/arch-x86/hvm/start_info.h}; ARCHES.md
 * §1.4), which Linux vmlinux (CONFIG_PVH) and other kernels advertise with an ELF note.
 *
 * <p>An ELF32 or ELF64 for EM_386 or EM_X86_64 carrying the note {@code "Xen"}/{@code XEN_ELFNOTE_PHYS32_ENTRY} (18),
 * whose 4- or 8-byte descriptor is the 32-bit physical entry. PT_LOAD segments go to {@code p_paddr}; the initrd is
 * module 0, page-aligned at the top of low RAM. {@code hvm_start_info} version 1 at
 * {@link X86Layout#PVH_START_INFO_GPA}: magic, {@code nr_modules}/{@code modlist_paddr}, {@code cmdline_paddr},
 * {@code rsdp_paddr} 0 (no ACPI), {@code memmap_paddr}/{@code memmap_entries} from {@link E820} (PVH memory types are
 * e820's). Entry: 32-bit protected mode, paging off, at the note's address with EBX = start_info.
 */
public final class PvhBootProtocol {

    private PvhBootProtocol() {
    }

    public static final String XEN_NOTE_NAME = "Xen";
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    public static final int START_INFO_MAGIC = 0x336ec578;
    public static final int START_INFO_VERSION = 1;

    // hvm_start_info offsets.
    static final int SI_MAGIC = 0;
    static final int SI_VERSION = 4;
    static final int SI_FLAGS = 8;
    static final int SI_NR_MODULES = 12;
    static final int SI_MODLIST_PADDR = 16;
    static final int SI_CMDLINE_PADDR = 24;
    static final int SI_RSDP_PADDR = 32;
    static final int SI_MEMMAP_PADDR = 40;
    static final int SI_MEMMAP_ENTRIES = 48;
    static final int START_INFO_SIZE = 56;
    static final int MODLIST_ENTRY_SIZE = 32;
    static final int MEMMAP_ENTRY_SIZE = 24;

    /** The 32-bit physical entry point from the PVH note. */
    static long entry(ElfImage elf) {
        ElfImage.Note note = elf.findNote(XEN_NOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY).orElseThrow();
        int size = note.desc().length;
        if (size != 4 && size != 8) {
            throw X86Boot.bad(elf.name(), "PVH entry note (Xen/18) has a " + size + "-byte descriptor, need 4 or 8");
        }
        return X86Boot.require32(elf.name(), "PVH entry point", note.descValue());
    }

    /** Loads a PVH ELF: see the class comment. */
    static X86EntryState load(GuestMemory mem, BootImage image, ElfImage elf) {
        X86Boot.requireX86(elf, "PVH");
        long entry = entry(elf);
        X86Boot.requireAboveBootArea(elf);
        X86Boot.checkCmdline(image, X86Layout.CMDLINE_MAX - 1, "hyperport passes");
        long kernelEnd = elf.paddrEnd();
        X86Boot.Initrd initrd = X86Boot.placeInitrdHigh(mem, image, kernelEnd, E820.lowRamEnd(mem.size()));
        elf.loadInto(mem);
        X86Boot.writeCmdline(mem, image);

        long si = X86Layout.PVH_START_INFO_GPA;
        mem.fill(si, START_INFO_SIZE, (byte) 0);
        mem.write32LE(si + SI_MAGIC, START_INFO_MAGIC);
        mem.write32LE(si + SI_VERSION, START_INFO_VERSION);
        mem.write32LE(si + SI_FLAGS, 0);
        mem.write64LE(si + SI_CMDLINE_PADDR, X86Layout.CMDLINE_GPA);
        mem.write64LE(si + SI_RSDP_PADDR, 0);
        if (initrd.size() > 0) {
            long mod = X86Layout.PVH_MODLIST_GPA;
            mem.write64LE(mod, initrd.gpa());
            mem.write64LE(mod + 8, initrd.size());
            mem.write64LE(mod + 16, 0);
            mem.write64LE(mod + 24, 0);
            mem.write32LE(si + SI_NR_MODULES, 1);
            mem.write64LE(si + SI_MODLIST_PADDR, mod);
        }
        List<E820.Entry> map = E820.map(mem.size());
        for (int i = 0; i < map.size(); i++) {
            E820.Entry e = map.get(i);
            long at = X86Layout.PVH_MEMMAP_GPA + (long) i * MEMMAP_ENTRY_SIZE;
            mem.write64LE(at, e.gpa());
            mem.write64LE(at + 8, e.size());
            mem.write32LE(at + 16, e.type());
            mem.write32LE(at + 20, 0);
        }
        mem.write64LE(si + SI_MEMMAP_PADDR, X86Layout.PVH_MEMMAP_GPA);
        mem.write32LE(si + SI_MEMMAP_ENTRIES, map.size());
        return X86Boot.protected32(entry, 0, si, 0, 0);
    }
}
