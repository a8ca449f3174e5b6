package org.hyperport.x86.intc;

/**
 * What an x86 vCPU's interrupt-acceptance logic needs from the machine's interrupt controllers: which events are
 * pending for it, and the cycles that take them. Architectures: x86. Engines: the interpreter (and a KVM split
 * irqchip, where the kernel does the CPU side). Implemented by {@link EmulatedIrqchip}.
 *
 * <p>The CPU keeps what is CPU state: RFLAGS.IF, the STI / MOV SS interrupt shadow, NMI blocking (from NMI delivery
 * to the next IRET), and whether it is halted or waiting for a startup IPI. SDM Vol 3A, "Interrupt and Exception
 * Handling" ("Priority Among Simultaneous Exceptions and Interrupts") gives the order the interpreter should follow
 * at an instruction boundary:
 * <pre>{@code
 * int e = source.events(vcpu);                       // one volatile read: cheap enough for every block
 * if (e != 0) {
 *     if ((e & INIT) != 0 && source.takeInit(vcpu)) {
 *         // reset the CPU to its INIT state; an AP now waits for a SIPI
 *     } else if (source.waitingForSipi(vcpu)) {
 *         int v = source.takeSipi(vcpu);              // -1 if none
 *         // if v >= 0: real mode, CS.selector = v << 8, CS.base = v << 12, IP = 0; start running
 *     } else if ((e & NMI) != 0 && !nmiBlocked && source.takeNmi(vcpu)) {
 *         // deliver vector 2, block NMIs until IRET, leave HLT
 *     } else if ((e & INTR) != 0 && rflagsIf && !interruptShadow) {
 *         int vector = source.acknowledge(vcpu);      // the INTA cycle: ISR is set from here on
 *         // deliver vector through the IDT, leave HLT
 *     }
 * }
 * }</pre>
 * A halted vCPU (HLT) sleeps until {@code pending(vcpu, rflagsIf)} or the next timer deadline; the irqchip's kick
 * callback wakes it when an event arrives from another thread. The guest's EOI is an ordinary APIC register write
 * (or, for the 8259, a port write); nothing here needs telling when a handler ends.
 *
 * <p>INIT and startup IPIs come only from another vCPU's interrupt command register; a SIPI is recorded only while
 * the target waits for one, so {@link #SIPI} never shows on a running CPU.
 */
public interface X86InterruptSource {

    /** A maskable interrupt (from the local APIC or, through LINT0 / ExtINT, the 8259) waits for RFLAGS.IF. */
    int INTR = 1;
    /** A non-maskable interrupt is pending. */
    int NMI = 2;
    /** An INIT is pending. */
    int INIT = 4;
    /** A startup IPI is pending (the vCPU waits for one). */
    int SIPI = 8;

    /** Number of vCPUs, numbered from 0; vCPU 0 is the bootstrap processor. */
    int vcpus();

    /** Bit set of {@link #INTR}, {@link #NMI}, {@link #INIT}, {@link #SIPI}; lock-free. */
    int events(int vcpu);

    /** Whether the vCPU has something to take now: an NMI, INIT or SIPI, or a maskable interrupt while IF is 1. */
    default boolean pending(int vcpu, boolean interruptsEnabled) {
        int e = events(vcpu);
        return (e & (NMI | INIT | SIPI)) != 0 || (interruptsEnabled && (e & INTR) != 0);
    }

    /**
     * The interrupt-acknowledge cycle for a maskable interrupt: returns the vector (0-255) and marks it in service.
     * Call it only when {@link #INTR} is pending and the CPU takes the interrupt; if the request has gone in the
     * meantime the result is a spurious vector (the APIC's from SVR, or the 8259's IR7), which the guest handles
     * without an EOI.
     */
    int acknowledge(int vcpu);

    /** Takes a pending NMI; false if there was none. */
    boolean takeNmi(int vcpu);

    /** Takes a pending INIT and resets the local APIC to its INIT state; false if there was none. */
    boolean takeInit(int vcpu);

    /** Takes a pending startup IPI: its vector (the start page number), or -1. */
    int takeSipi(int vcpu);

    /**
     * Whether the vCPU is in wait-for-SIPI state: application processors from reset and after each INIT, until a
     * startup IPI is taken. Such a vCPU executes nothing.
     */
    boolean waitingForSipi(int vcpu);
}
