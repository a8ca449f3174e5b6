package org.hyperport.x86.interp;

/**
 * What the interpreter's system instructions need from the machine besides I/O and memory ({@link X86Platform}):
 * time, the CPUID model, MSRs owned by devices (local APIC, x2APIC, TSC deadline), and HLT. The engine implements
 * it; unit tests supply fakes.
 */
public interface CpuHooks {

    /** The time-stamp counter (RDTSC, RDTSCP, IA32_TSC reads). */
    long tsc();

    /** Sets the time-stamp counter (WRMSR IA32_TSC). */
    void setTsc(long value);

    /** CPUID leaf {@code eax}, subleaf {@code ecx} into {@code out} = EAX, EBX, ECX, EDX. */
    void cpuid(int eax, int ecx, int[] out);

    /**
     * Reads an MSR that belongs to the machine rather than the CPU core (IA32_APIC_BASE, x2APIC 0x800-0x8ff,
     * TSC_DEADLINE). Returns false if the machine does not own {@code index}.
     */
    boolean readMsr(int index, long[] out);

    /** Writes a machine-owned MSR; false if not owned. An invalid value for an owned MSR throws #GP itself. */
    boolean writeMsr(int index, long value);
}
