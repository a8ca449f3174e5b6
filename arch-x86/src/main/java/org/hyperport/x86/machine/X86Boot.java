package org.hyperport.x86.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;
import org.hyperport.common.loader.ElfImage;
import org.hyperport.common.loader.RawImage;
import org.hyperport.x86.machine.X86EntryState.Mode;

/**
 * Loads an x86 guest image into RAM the same way for every engine, and says how the boot vCPU starts.
 *
 * <p>Formats, in the order they are recognised (ARCHES.md §1.4, §1.6):
 * <ol>
 *   <li>bzImage ("HdrS" at 0x202): {@link LinuxBootProtocol}.</li>
 *   <li>ELF with a Xen {@code XEN_ELFNOTE_PHYS32_ENTRY} note: {@link PvhBootProtocol}.</li>
 *   <li>ELF, or any file with the a.out kludge, carrying a Multiboot header: {@link MultibootBoot}.</li>
 *   <li>Other ELF64 EM_X86_64 (a vmlinux): {@link DirectElfBoot}.</li>
 * </ol>
 * Whatever the format, it writes the GDT of {@link X86Layout} for the entry mode, the identity page tables for
 * {@link Mode#LONG_64}, and the {@link MpTable} for {@code smp} CPUs. Every problem with the image, the command line,
 * the initrd or the memory size is a one-line {@link HyperportException#badInput}.
 */
public final class X86Boot {

    private X86Boot() {
    }

    static final long PAGE = 0x1000;
    private static final long MIB = 1L << 20;

    /** GDT descriptors (SDM Vol 3A §3.4.5): flat 4 GiB, granularity 4 KiB. */
    static final long GDT_CODE64 = 0x00af9b000000ffffL;
    static final long GDT_CODE32 = 0x00cf9b000000ffffL;
    static final long GDT_DATA = 0x00cf93000000ffffL;
    /** Busy TSS (type 0xB: 32-bit, or 64-bit in IA-32e mode), base 0, limit 0x67, as PVH requires of TR. */
    static final long GDT_TSS = 0x00008b0000000067L;
    /** Page-table entry bits: present, writable, page size (2 MiB in a PD). */
    static final long PTE_P_RW = 0x3;
    static final long PTE_PS = 0x80;

    /** An initrd as loaded: {@code size} bytes at {@code gpa}; both 0 when there is none. */
    record Initrd(long gpa, long size) {
        static final Initrd NONE = new Initrd(0, 0);
    }

    /**
     * Loads {@code image} into {@code mem} and writes every boot structure.
     *
     * @param mem   guest RAM laid out by {@link E820#ramRegions}; must cover at least the first MiB
     * @param image kernel, optional initrd and command line
     * @param smp   number of CPUs for the MP table (1..254)
     * @return the boot vCPU's entry state
     * @throws HyperportException {@link HyperportException#BAD_INPUT} for an unknown or corrupt image, a command line
     *                            or initrd that does not fit, too little memory or a bad {@code smp}
     */
    public static X86EntryState load(GuestMemory mem, BootImage image, int smp) {
        MpTable.check(smp);
        if (!mem.contains(0, X86Layout.KERNEL_GPA)) {
            throw HyperportException.badInput(image.name() + ": memory too small: the x86 boot structures need the"
                    + " first MiB of RAM, machine has " + RawImage.describe(mem));
        }
        byte[] k = image.kernel();
        X86EntryState entry;
        if (LinuxBootProtocol.isBzImage(k)) {
            entry = LinuxBootProtocol.load(mem, image);
        } else if (ElfImage.isElf(k)) {
            entry = loadElf(mem, image, ElfImage.parse(image.name(), k));
        } else {
            entry = MultibootBoot.findHeader(k)
                    .map(h -> MultibootBoot.load(mem, image, h, Optional.empty()))
                    .orElseThrow(() -> HyperportException.badInput(image.name()
                            + ": not a bzImage, ELF or Multiboot image"));
        }
        writeGdt(mem, entry.mode());
        if (entry.mode() == Mode.LONG_64) {
            writeIdentityMap(mem);
        }
        MpTable.write(mem, smp);
        return entry;
    }

    private static X86EntryState loadElf(GuestMemory mem, BootImage image, ElfImage elf) {
        if (elf.findNote(PvhBootProtocol.XEN_NOTE_NAME, PvhBootProtocol.XEN_ELFNOTE_PHYS32_ENTRY).isPresent()) {
            return PvhBootProtocol.load(mem, image, elf);
        }
        Optional<MultibootBoot.Header> multiboot = MultibootBoot.findHeader(image.kernel());
        if (multiboot.isPresent()) {
            return MultibootBoot.load(mem, image, multiboot.get(), Optional.of(elf));
        }
        requireX86(elf, "kernel");
        if (!elf.is64()) {
            throw bad(image.name(), "32-bit x86 ELF without a PVH note or Multiboot header: nothing says how to"
                    + " enter it");
        }
        return DirectElfBoot.load(mem, image, elf);
    }

    /** Entry in 32-bit protected mode, paging off. */
    static X86EntryState protected32(long rip, long rax, long rbx, long rsi, long rsp) {
        return new X86EntryState(Mode.PROTECTED_32, rip, rsp, rax, rbx, rsi, 0, X86Layout.GDT_GPA,
                X86Layout.GDT_LIMIT);
    }

    /** Entry in long mode on the identity map, stack at {@link X86Layout#BOOT_STACK_GPA}, zero page in RSI. */
    static X86EntryState long64(long rip, long rsi) {
        return new X86EntryState(Mode.LONG_64, rip, X86Layout.BOOT_STACK_GPA, 0, 0, rsi, X86Layout.PML4_GPA,
                X86Layout.GDT_GPA, X86Layout.GDT_LIMIT);
    }

    /** Writes the boot GDT: null, null, code 0x10 (64-bit for {@code LONG_64}), data 0x18, TSS 0x20. */
    static void writeGdt(GuestMemory mem, Mode mode) {
        long[] gdt = {0, 0, mode == Mode.LONG_64 ? GDT_CODE64 : GDT_CODE32, GDT_DATA, GDT_TSS, 0};
        ByteBuffer b = ByteBuffer.allocate(gdt.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long d : gdt) {
            b.putLong(d);
        }
        mem.writeBytes(X86Layout.GDT_GPA, b.array());
    }

    /** Identity-maps {@link X86Layout#IDENTITY_MAP_BYTES} with 2 MiB pages (SDM Vol 3A §4.5). */
    static void writeIdentityMap(GuestMemory mem) {
        ByteBuffer pml4 = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        pml4.putLong(X86Layout.PDPT_GPA | PTE_P_RW);
        ByteBuffer pdpt = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer pds = ByteBuffer.allocate(X86Layout.PD_COUNT * 0x1000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < X86Layout.PD_COUNT; i++) {
            pdpt.putLong(X86Layout.PD_GPA + i * 0x1000L | PTE_P_RW);
        }
        for (long page = 0; page < X86Layout.PD_COUNT * 512L; page++) {
            pds.putLong(page << 21 | PTE_PS | PTE_P_RW);
        }
        mem.writeBytes(X86Layout.PML4_GPA, pml4.array());
        mem.writeBytes(X86Layout.PDPT_GPA, pdpt.array());
        mem.writeBytes(X86Layout.PD_GPA, pds.array());
    }

    /** Fails unless the command line is at most {@code max} bytes; {@code who} says whose limit it is. */
    static void checkCmdline(BootImage image, long max, String who) {
        int length = image.cmdline().getBytes(StandardCharsets.UTF_8).length;
        if (length > max) {
            throw bad(image.name(), "command line is " + length + " bytes, " + who + " at most " + max);
        }
    }

    /** Writes the command line, NUL-terminated, at {@link X86Layout#CMDLINE_GPA}. */
    static void writeCmdline(GuestMemory mem, BootImage image) {
        byte[] s = image.cmdline().getBytes(StandardCharsets.UTF_8);
        checkCmdline(image, X86Layout.CMDLINE_MAX - 1, "hyperport passes");
        mem.writeBytes(X86Layout.CMDLINE_GPA, s);
        mem.write8(X86Layout.CMDLINE_GPA + s.length, 0);
    }

    private static byte[] initrdBytes(BootImage image) {
        return image.initrd().orElse(new byte[0]);
    }

    /**
     * Loads the initrd page-aligned as high as possible below {@code limit} and the end of low RAM, above
     * {@code kernelEnd}; first checks that the kernel itself fits in low RAM.
     */
    static Initrd placeInitrdHigh(GuestMemory mem, BootImage image, long kernelEnd, long limit) {
        byte[] data = initrdBytes(image);
        long lowEnd = E820.lowRamEnd(mem.size());
        long top = Math.min(limit, lowEnd);
        long gpa = (top - data.length) & -PAGE;
        boolean kernelFits = kernelEnd <= lowEnd
                && mem.contains(X86Layout.KERNEL_GPA, Math.max(0, kernelEnd - X86Layout.KERNEL_GPA));
        if (!kernelFits || data.length > 0 && (top < data.length || gpa < alignUp(kernelEnd, PAGE))) {
            throw tooSmall(mem, image, kernelEnd, data.length, top < lowEnd ? top : 0);
        }
        return load(mem, image, data, gpa);
    }

    /** Loads the initrd at the first page boundary after {@code kernelEnd} (QEMU's Multiboot module placement). */
    static Initrd placeInitrdAfter(GuestMemory mem, BootImage image, long kernelEnd) {
        byte[] data = initrdBytes(image);
        long lowEnd = E820.lowRamEnd(mem.size());
        long gpa = alignUp(kernelEnd, PAGE);
        if (kernelEnd > lowEnd || data.length > lowEnd - gpa) {
            throw tooSmall(mem, image, kernelEnd, data.length, 0);
        }
        return load(mem, image, data, gpa);
    }

    private static Initrd load(GuestMemory mem, BootImage image, byte[] data, long gpa) {
        if (data.length == 0) {
            return Initrd.NONE;
        }
        RawImage.of(image.name() + " initrd", data).loadAt(mem, gpa);
        return new Initrd(gpa, data.length);
    }

    private static HyperportException tooSmall(GuestMemory mem, BootImage image, long kernelEnd, long initrdSize,
                                               long initrdLimit) {
        String kernel = String.format("the kernel needs RAM up to 0x%x (%d MiB)", kernelEnd,
                (kernelEnd + MIB - 1) / MIB);
        String initrd = initrdSize == 0 ? "" : String.format(" and the initrd %d bytes (%d MiB) more", initrdSize,
                (initrdSize + MIB - 1) / MIB);
        String limit = initrdLimit == 0 ? "" : String.format(" below 0x%x", initrdLimit);
        return bad(image.name(), "memory too small: " + kernel + initrd + limit + ", machine has "
                + RawImage.describe(mem));
    }

    /** Fails unless the ELF is for EM_X86_64 or EM_386. */
    static void requireX86(ElfImage elf, String what) {
        if (elf.machine() != ElfImage.EM_X86_64 && elf.machine() != ElfImage.EM_386) {
            throw bad(elf.name(), what + " ELF is for " + ElfImage.machineName(elf.machine())
                    + ", not x86 (EM_X86_64 or EM_386)");
        }
    }

    /** Fails if a PT_LOAD segment reaches below 1 MiB, where the boot structures live. */
    static void requireAboveBootArea(ElfImage elf) {
        for (ElfImage.Segment s : elf.loadSegments()) {
            if (s.memsz() > 0 && Long.compareUnsigned(s.paddr(), X86Layout.KERNEL_GPA) < 0) {
                throw bad(elf.name(), String.format("segment %d at 0x%x-0x%x overlaps the boot structures below"
                        + " 1 MiB", s.index(), s.paddr(), s.paddr() + s.memsz()));
            }
        }
    }

    /** Fails unless a 32-bit entry point is below 4 GiB. */
    static long require32(String name, String what, long gpa) {
        if (gpa >>> 32 != 0) {
            throw bad(name, String.format("%s 0x%x is not a 32-bit address", what, gpa));
        }
        return gpa;
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    static HyperportException bad(String name, String what) {
        return HyperportException.badInput(name + ": " + what);
    }
}
