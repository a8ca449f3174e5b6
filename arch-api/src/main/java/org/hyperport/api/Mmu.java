package org.hyperport.api;

/**
 * One address-translation model (x86 4-level paging, Power radix or hashed page table, s390 DAT, IA-64 TLB/VHPT).
 * Architectures: all. Each model is one class; translation is a pure function of the architectural state it reads.
 */
public interface Mmu {

    /** The space translation starts from: {@link AddressSpace#VIRTUAL} for every current architecture. */
    default AddressSpace inputSpace() {
        return AddressSpace.VIRTUAL;
    }

    /** The space of {@link Translation.Mapped#address()}: PHYSICAL (x86, IA-64), REAL (Power, s390). */
    AddressSpace outputSpace();

    /**
     * Translates as the CPU would for {@code access} at {@code privilege} (0 = most privileged; x86 CPL, IA-64 PL;
     * Power and s390 use 0 for supervisor/problem-state off and 3 for user/problem state), including side effects
     * such as accessed/dirty bits and TLB fills.
     */
    Translation translate(long virtual, Access access, int privilege);

    /** Like {@link #translate} for a supervisor read, but with no side effects at all. For dumps and debuggers. */
    Translation debugTranslate(long virtual);
}
