package org.hyperport.api;

/**
 * The machine's interrupt routing, as devices are wired to it. Architectures: all.
 * <ul>
 *   <li>x86: the in-kernel (KVM) or emulated PIC/IOAPIC pair; lines are GSIs.</li>
 *   <li>Power pseries: XICS or XIVE; lines are interrupt source numbers.</li>
 *   <li>s390: there is no controller; lines are floating interruption sources (service signal, I/O subclasses) and
 *       asserting one makes an interruption pending for any enabled CPU.</li>
 *   <li>IA-64: the LSAPIC (and Ski's SSC_CONNECT_INTERRUPT table); lines are vectors.</li>
 * </ul>
 */
public interface InterruptController {

    /** Model name for dumps ({@code kvm-irqchip}, {@code xics}, {@code s390-flic}). */
    String name();

    /** Number of lines, numbered from 0. */
    int lines();

    /** Line {@code n}; throws {@link IllegalArgumentException} if out of range. */
    IrqLine line(int n);
}
