package org.hyperport.x86.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.HyperportException;

/**
 * The Intel MultiProcessor Specification 1.4 tables that tell a guest how many CPUs it has and how ISA interrupts
 * reach the IOAPIC. Written at {@link X86Layout#MP_TABLE_GPA} in the BIOS area 0xF0000-0xFFFFF, which §4 lists among
 * the places an OS searches for the floating pointer.
 *
 * <p>Contents: floating pointer {@code "_MP_"} (§4.1, 16 bytes, no default configuration, IMCR absent) pointing at a
 * {@code "PCMP"} configuration table (§4.2) with one processor entry per CPU (§4.3.1: local APIC ids 0..smp-1, BSP
 * flag on 0), one ISA bus (§4.3.2), one IOAPIC (§4.3.3: id {@code smp}, version 0x11, at 0xFEC00000), I/O interrupt
 * entries for ISA IRQ 0-15 to IOAPIC pins 0-15 with bus-conforming polarity and trigger (§4.3.4; KVM's default
 * routing sends GSI n to pin n, the PIT included) and local interrupt entries ExtINT → LINT0, NMI → LINT1 on every
 * local APIC (§4.3.5, as the default configurations of §5 have them). Every checksum makes its structure sum to 0.
 */
public final class MpTable {

    private MpTable() {
    }

    /** The most CPUs: APIC ids 0..253, the IOAPIC takes the next id, and 0xFF is the broadcast id. */
    public static final int MAX_CPUS = 254;
    public static final long LOCAL_APIC_GPA = 0xFEE00000L;
    public static final long IOAPIC_GPA = 0xFEC00000L;
    public static final int IOAPIC_VERSION = 0x11;
    /** Local APIC version of an integrated xAPIC (what KVM reports). */
    public static final int LOCAL_APIC_VERSION = 0x14;
    public static final int ISA_IRQS = 16;

    static final int FLOATING_SIZE = 16;
    static final int HEADER_SIZE = 44;
    static final int PROCESSOR_SIZE = 20;
    static final int SMALL_ENTRY_SIZE = 8;
    private static final int SPEC_REV_1_4 = 4;
    private static final int INT_INT = 0;
    private static final int INT_NMI = 1;
    private static final int INT_EXTINT = 3;
    /** CPU signature family 6 and feature flags FPU | APIC, as §4.3.1 would have CPUID report them. */
    private static final int CPU_SIGNATURE = 0x600;
    private static final int CPU_FEATURES = 0x201;

    /** Fails with a bad-input error unless {@code 1 <= smp <= 254}. */
    public static void check(int smp) {
        if (smp < 1 || smp > MAX_CPUS) {
            throw HyperportException.badInput("--smp " + smp + " is out of range: the MP table describes 1 to "
                    + MAX_CPUS + " CPUs");
        }
    }

    /** Bytes of the configuration table (header and base entries) for {@code smp} CPUs. */
    static int configSize(int smp) {
        return HEADER_SIZE + smp * PROCESSOR_SIZE + (1 + 1 + ISA_IRQS + 2) * SMALL_ENTRY_SIZE;
    }

    /**
     * Writes the floating pointer at {@link X86Layout#MP_TABLE_GPA} and the configuration table right after it.
     *
     * @return gpa of the floating pointer
     */
    public static long write(GuestMemory mem, int smp) {
        check(smp);
        long floatingGpa = X86Layout.MP_TABLE_GPA;
        long configGpa = floatingGpa + FLOATING_SIZE;
        mem.writeBytes(floatingGpa, floatingPointer(configGpa));
        mem.writeBytes(configGpa, configTable(smp));
        return floatingGpa;
    }

    /** The MP floating pointer structure (§4.1). */
    static byte[] floatingPointer(long configGpa) {
        ByteBuffer b = ByteBuffer.allocate(FLOATING_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("_MP_")).putInt((int) configGpa).put((byte) 1).put((byte) SPEC_REV_1_4).put((byte) 0);
        // MP feature bytes 1-5 all zero: a configuration table is present, no IMCR (virtual wire mode).
        return checksum(b.array(), 10);
    }

    /** The MP configuration table header (§4.2) and base entries (§4.3). */
    static byte[] configTable(int smp) {
        int size = configSize(smp);
        int ioapicId = smp;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("PCMP")).putShort((short) size).put((byte) SPEC_REV_1_4).put((byte) 0);
        b.put(ascii("HYPRPORT")).put(ascii("HYPERPORT   "));
        b.putInt(0).putShort((short) 0).putShort((short) (smp + 1 + 1 + ISA_IRQS + 2));
        b.putInt((int) LOCAL_APIC_GPA).putShort((short) 0).put((byte) 0).put((byte) 0);
        for (int cpu = 0; cpu < smp; cpu++) {
            int flags = 1 | (cpu == 0 ? 2 : 0);  // EN, BP
            b.put((byte) 0).put((byte) cpu).put((byte) LOCAL_APIC_VERSION).put((byte) flags);
            b.putInt(CPU_SIGNATURE).putInt(CPU_FEATURES).putLong(0);
        }
        b.put((byte) 1).put((byte) 0).put(ascii("ISA   "));
        b.put((byte) 2).put((byte) ioapicId).put((byte) IOAPIC_VERSION).put((byte) 1).putInt((int) IOAPIC_GPA);
        for (int irq = 0; irq < ISA_IRQS; irq++) {
            b.put((byte) 3).put((byte) INT_INT).putShort((short) 0).put((byte) 0).put((byte) irq)
                    .put((byte) ioapicId).put((byte) irq);
        }
        b.put((byte) 4).put((byte) INT_EXTINT).putShort((short) 0).put((byte) 0).put((byte) 0).put((byte) 0xff)
                .put((byte) 0);
        b.put((byte) 4).put((byte) INT_NMI).putShort((short) 0).put((byte) 0).put((byte) 0).put((byte) 0xff)
                .put((byte) 1);
        return checksum(b.array(), 7);
    }

    private static byte[] checksum(byte[] table, int at) {
        int sum = 0;
        for (byte x : table) {
            sum += x;
        }
        table[at] = (byte) -sum;
        return table;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
