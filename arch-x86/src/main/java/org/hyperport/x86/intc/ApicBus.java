package org.hyperport.x86.intc;

/**
 * The APIC bus as an interrupt source sees it: the I/O APIC's redirection entries (and, later, PCI MSIs) become
 * messages to local APICs. Delivery modes and destinations are those of the I/O APIC redirection entry and the
 * xAPIC interrupt command register (Intel 82093AA datasheet §3.2.4; SDM Vol 3A, APIC chapter, "Message Signalled
 * Interrupts" and "Determining IPI Destination").
 */
@FunctionalInterface
public interface ApicBus {

    int FIXED = 0;
    int LOWEST_PRIORITY = 1;
    int SMI = 2;
    int NMI = 4;
    int INIT = 5;
    int STARTUP = 6;
    int EXTINT = 7;

    /**
     * Sends one interrupt message.
     *
     * @param destination    8-bit xAPIC destination: an APIC ID (physical) or a logical mask; 0xFF is broadcast
     * @param logical        logical (true) or physical destination mode
     * @param deliveryMode   one of the constants above
     * @param vector         vector for fixed and lowest-priority delivery
     * @param levelTriggered level-triggered: the accepting APIC sets its TMR bit and broadcasts the EOI
     * @return whether at least one local APIC accepted it (the I/O APIC sets Remote IRR only then)
     */
    boolean deliver(int destination, boolean logical, int deliveryMode, int vector, boolean levelTriggered);
}
