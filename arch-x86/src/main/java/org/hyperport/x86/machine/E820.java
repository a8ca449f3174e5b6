package org.hyperport.x86.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest RAM layout and the BIOS e820 memory map that describes it. Architectures: x86.
 *
 * <p>RAM is {@code [0, min(size, 3 GiB))} plus, for the rest, {@code [4 GiB, ...)}: the 3-4 GiB window stays free
 * for the IOAPIC (0xFEC00000), the local APIC (0xFEE00000) and MMIO devices. The map is RAM {@code [0, 0x9fc00)},
 * reserved {@code [0x9fc00, 1 MiB)} (EBDA, VGA, BIOS; the MP table lives there), RAM from 1 MiB. The APIC windows
 * are not listed: Linux reserves them from the MP table, as on QEMU and Firecracker. The same entries serve the
 * Linux zero page ({@code e820_table}, zero-page.rst), the PVH memory map (its types equal e820's, Xen
 * {@code hvm/start_info.h}) and the Multiboot {@code mmap} (type 1 available, 2 reserved; Multiboot 0.6.96 §3.3).
 */
public final class E820 {

    private E820() {
    }

    /** Usable RAM. */
    public static final int RAM = 1;
    /** Reserved: not for the OS. */
    public static final int RESERVED = 2;
    public static final int ACPI = 3;
    public static final int NVS = 4;
    public static final int UNUSABLE = 5;

    /** Start of the 32-bit MMIO hole; RAM beyond it is moved to {@link #HIGH_RAM_GPA}. */
    public static final long MMIO_HOLE_GPA = 0xC000_0000L;
    /** Where RAM above the hole resumes. */
    public static final long HIGH_RAM_GPA = 0x1_0000_0000L;

    /** One e820 entry. */
    public record Entry(long gpa, long size, int type) {
        public long end() {
            return gpa + size;
        }
    }

    /** End of RAM below the MMIO hole: {@code min(memoryBytes, 3 GiB)}. */
    public static long lowRamEnd(long memoryBytes) {
        return Math.min(memoryBytes, MMIO_HOLE_GPA);
    }

    /** RAM regions as {@code gpa, size} pairs, the form {@code RamGuestMemory.map} takes. */
    public static long[] ramRegions(long memoryBytes) {
        if (memoryBytes <= MMIO_HOLE_GPA) {
            return new long[] {0, memoryBytes};
        }
        return new long[] {0, MMIO_HOLE_GPA, HIGH_RAM_GPA, memoryBytes - MMIO_HOLE_GPA};
    }

    /** The e820 map for a machine laid out by {@link #ramRegions}. */
    public static List<Entry> map(long memoryBytes) {
        List<Entry> map = new ArrayList<>(4);
        long low = lowRamEnd(memoryBytes);
        map.add(new Entry(0, Math.min(low, X86Layout.EBDA_GPA), RAM));
        map.add(new Entry(X86Layout.EBDA_GPA, X86Layout.KERNEL_GPA - X86Layout.EBDA_GPA, RESERVED));
        if (low > X86Layout.KERNEL_GPA) {
            map.add(new Entry(X86Layout.KERNEL_GPA, low - X86Layout.KERNEL_GPA, RAM));
        }
        if (memoryBytes > MMIO_HOLE_GPA) {
            map.add(new Entry(HIGH_RAM_GPA, memoryBytes - MMIO_HOLE_GPA, RAM));
        }
        return List.copyOf(map);
    }
}
