package org.hyperport.x86.machine;

import org.hyperport.api.BootImage;
import org.hyperport.api.GuestMemory;
import org.hyperport.common.loader.ElfImage;

/**
 * Direct 64-bit boot of an uncompressed ELF64 x86-64 kernel (a Linux {@code vmlinux} without the PVH note), as
 * Firecracker does it: PT_LOAD segments at {@code p_paddr}, then the Linux 64-bit boot protocol (boot.rst "64-bit
 * Boot Protocol") at the physical entry point.
 *
 * <p>{@code e_entry} is translated through the PT_LOAD that holds it ({@code 0xffffffff81000000} in a segment at
 * physical 16 MiB becomes 0x1000000); Linux already stores the physical {@code phys_startup_64} there. There is no
 * setup header in the file, so the zero page gets a minimal one like Firecracker's: {@code boot_flag}, "HdrS",
 * {@code type_of_loader} 0xFF (Linux ignores the initrd when it is 0), {@code kernel_alignment} 16 MiB,
 * {@code cmdline_size}; then command line, initrd (below 2 GiB, the classic {@code initrd_addr_max}) and e820.
 */
public final class DirectElfBoot {

    private DirectElfBoot() {
    }

    /** Where the initrd must end when the kernel cannot say ({@code initrd_addr_max} 0x7fffffff). */
    static final long INITRD_LIMIT = 0x8000_0000L;
    static final long KERNEL_ALIGNMENT = 0x100_0000L;

    /** Loads a vmlinux-style ELF64: see the class comment. */
    static X86EntryState load(GuestMemory mem, BootImage image, ElfImage elf) {
        long entry = elf.entryPaddr();
        if (Long.compareUnsigned(entry, X86Layout.IDENTITY_MAP_BYTES) >= 0) {
            throw X86Boot.bad(image.name(), String.format("entry point 0x%x lies outside the %d GiB identity map",
                    entry, X86Layout.IDENTITY_MAP_BYTES >> 30));
        }
        X86Boot.requireAboveBootArea(elf);
        X86Boot.checkCmdline(image, X86Layout.CMDLINE_MAX - 1, "hyperport passes");
        X86Boot.Initrd initrd = X86Boot.placeInitrdHigh(mem, image, elf.paddrEnd(), INITRD_LIMIT);
        elf.loadInto(mem);

        long zp = X86Layout.ZERO_PAGE_GPA;
        mem.fill(zp, X86Layout.ZERO_PAGE_SIZE, (byte) 0);
        mem.write16LE(zp + LinuxBootProtocol.BOOT_FLAG, LinuxBootProtocol.BOOT_FLAG_MAGIC);
        mem.write32LE(zp + LinuxBootProtocol.HEADER, LinuxBootProtocol.HDRS);
        mem.write8(zp + LinuxBootProtocol.TYPE_OF_LOADER, LinuxBootProtocol.TYPE_OF_LOADER_UNDEFINED);
        mem.write32LE(zp + LinuxBootProtocol.KERNEL_ALIGNMENT, (int) KERNEL_ALIGNMENT);
        mem.write32LE(zp + LinuxBootProtocol.CMDLINE_SIZE, X86Layout.CMDLINE_MAX - 1);
        LinuxBootProtocol.writeBootParams(mem, image, initrd);
        return X86Boot.long64(entry, zp);
    }
}
