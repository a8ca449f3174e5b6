package org.hyperport.api;

/**
 * The address spaces that cross interfaces. Which ones an architecture has:
 * <ul>
 *   <li>x86-64: {@code VIRTUAL} (linear, after segmentation) → {@code PHYSICAL}.</li>
 *   <li>Power: effective ({@code VIRTUAL}) → {@code REAL}; under a hypervisor, guest real equals {@code PHYSICAL}.</li>
 *   <li>s390: {@code VIRTUAL} → {@code REAL} (DAT) → {@code ABSOLUTE} (prefixing). {@link GuestMemory} is absolute.</li>
 *   <li>IA-64: {@code VIRTUAL} (region + offset) → {@code PHYSICAL}.</li>
 * </ul>
 */
public enum AddressSpace {
    VIRTUAL, REAL, ABSOLUTE, PHYSICAL
}
