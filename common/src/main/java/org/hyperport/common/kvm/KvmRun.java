package org.hyperport.common.kvm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Accessors for the mmap'd {@code struct kvm_run} shared with the kernel. Offsets are those of the x86-64, ppc64,
 * s390x and arm64 layouts, which agree for every field used here. All accessors are static and allocation-free.
 */
public final class KvmRun {
    private KvmRun() {
    }

    public static final int EXIT_UNKNOWN = 0;
    public static final int EXIT_EXCEPTION = 1;
    public static final int EXIT_IO = 2;
    public static final int EXIT_HYPERCALL = 3;
    public static final int EXIT_DEBUG = 4;
    public static final int EXIT_HLT = 5;
    public static final int EXIT_MMIO = 6;
    public static final int EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int EXIT_SHUTDOWN = 8;
    public static final int EXIT_FAIL_ENTRY = 9;
    public static final int EXIT_INTR = 10;
    public static final int EXIT_INTERNAL_ERROR = 17;
    public static final int EXIT_SYSTEM_EVENT = 24;

    public static final int SYSTEM_EVENT_SHUTDOWN = 1;
    public static final int SYSTEM_EVENT_RESET = 2;
    public static final int SYSTEM_EVENT_CRASH = 3;

    public static final int IO_IN = 0;
    public static final int IO_OUT = 1;

    static final long IMMEDIATE_EXIT = 1;
    static final long EXIT_REASON = 8;
    static final long IF_FLAG = 13;
    static final long UNION = 32;

    private static final String[] NAMES = new String[32];

    static {
        NAMES[EXIT_UNKNOWN] = "unknown";
        NAMES[EXIT_EXCEPTION] = "exception";
        NAMES[EXIT_IO] = "io";
        NAMES[EXIT_HYPERCALL] = "hypercall";
        NAMES[EXIT_DEBUG] = "debug";
        NAMES[EXIT_HLT] = "hlt";
        NAMES[EXIT_MMIO] = "mmio";
        NAMES[EXIT_IRQ_WINDOW_OPEN] = "irq-window-open";
        NAMES[EXIT_SHUTDOWN] = "shutdown";
        NAMES[EXIT_FAIL_ENTRY] = "fail-entry";
        NAMES[EXIT_INTR] = "intr";
        NAMES[EXIT_INTERNAL_ERROR] = "internal-error";
        NAMES[EXIT_SYSTEM_EVENT] = "system-event";
    }

    /** KVM's name for an exit reason ({@code KVM_EXIT_<NAME>} lower-cased). */
    public static String exitName(int reason) {
        return reason >= 0 && reason < NAMES.length && NAMES[reason] != null ? NAMES[reason] : "reason-" + reason;
    }

    public static int exitReason(MemorySegment run) {
        return run.get(ValueLayout.JAVA_INT, EXIT_REASON);
    }

    public static boolean ifFlag(MemorySegment run) {
        return run.get(ValueLayout.JAVA_BYTE, IF_FLAG) != 0;
    }

    public static void setImmediateExit(MemorySegment run, boolean on) {
        run.set(ValueLayout.JAVA_BYTE, IMMEDIATE_EXIT, (byte) (on ? 1 : 0));
    }

    // KVM_EXIT_IO: __u8 direction; __u8 size; __u16 port; __u32 count; __u64 data_offset.
    public static int ioDirection(MemorySegment run) {
        return run.get(ValueLayout.JAVA_BYTE, UNION) & 0xff;
    }

    public static int ioSize(MemorySegment run) {
        return run.get(ValueLayout.JAVA_BYTE, UNION + 1) & 0xff;
    }

    public static int ioPort(MemorySegment run) {
        return run.get(ValueLayout.JAVA_SHORT, UNION + 2) & 0xffff;
    }

    public static int ioCount(MemorySegment run) {
        return run.get(ValueLayout.JAVA_INT, UNION + 4);
    }

    public static long ioDataOffset(MemorySegment run) {
        return run.get(ValueLayout.JAVA_LONG, UNION + 8);
    }

    // KVM_EXIT_MMIO: __u64 phys_addr; __u8 data[8]; __u32 len; __u8 is_write.
    public static long mmioAddress(MemorySegment run) {
        return run.get(ValueLayout.JAVA_LONG, UNION);
    }

    public static long mmioData(MemorySegment run) {
        return run.get(ValueLayout.JAVA_LONG_UNALIGNED, UNION + 8);
    }

    public static void setMmioData(MemorySegment run, long value) {
        run.set(ValueLayout.JAVA_LONG_UNALIGNED, UNION + 8, value);
    }

    public static int mmioLength(MemorySegment run) {
        return run.get(ValueLayout.JAVA_INT, UNION + 16);
    }

    public static boolean mmioIsWrite(MemorySegment run) {
        return run.get(ValueLayout.JAVA_BYTE, UNION + 20) != 0;
    }

    // KVM_EXIT_FAIL_ENTRY: __u64 hardware_entry_failure_reason; __u32 cpu.
    public static long failEntryReason(MemorySegment run) {
        return run.get(ValueLayout.JAVA_LONG, UNION);
    }

    // KVM_EXIT_INTERNAL_ERROR: __u32 suberror; __u32 ndata; __u64 data[16].
    public static int internalSuberror(MemorySegment run) {
        return run.get(ValueLayout.JAVA_INT, UNION);
    }

    public static int internalNdata(MemorySegment run) {
        return Math.min(16, run.get(ValueLayout.JAVA_INT, UNION + 4));
    }

    public static long internalData(MemorySegment run, int i) {
        return run.get(ValueLayout.JAVA_LONG, UNION + 8 + 8L * i);
    }

    // KVM_EXIT_SYSTEM_EVENT: __u32 type; __u32 ndata; __u64 data[16].
    public static int systemEventType(MemorySegment run) {
        return run.get(ValueLayout.JAVA_INT, UNION);
    }

    /** KVM's name for an internal-error suberror. */
    public static String suberrorName(int suberror) {
        return switch (suberror) {
            case 1 -> "emulation failure";
            case 2 -> "simultaneous exception";
            case 3 -> "delivery event";
            case 4 -> "unexpected exit reason";
            default -> "suberror " + suberror;
        };
    }
}
