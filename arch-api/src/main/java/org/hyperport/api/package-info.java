/**
 * The hyperport service-provider interface: what an architecture backend implements and what the VM core consumes.
 *
 * <p>Every type here was shaped against four architectures at once (x86-64, 64-bit Power ISA, z/Architecture and
 * IA-64); {@code docs/ARCHITECTURE.md} walks through how each maps onto it. The rules that keep it multi-architecture:
 * <ul>
 *   <li>Addresses are {@code long}s whose parameter names say which space they are in ({@code gva}/{@code gpa} on x86,
 *       {@code ea}/{@code ra} on Power, {@code virtual}/{@code real}/{@code absolute} on s390); {@link AddressSpace}
 *       names the space where a value crosses an interface.</li>
 *   <li>Nothing assumes little-endian guests: {@link GuestMemory} reads in the architecture's byte order unless a
 *       method says otherwise.</li>
 *   <li>Registers are named, with widths up to any size ({@link RegisterDesc}), so 128-bit PSWs, 82-bit IA-64 FRs
 *       and NaT bits fit the same {@link CpuSnapshot}.</li>
 *   <li>Interrupt delivery is hidden behind {@link IrqLine}; an architecture without an interrupt controller in the x86
 *       sense (s390) implements {@link InterruptController} as its pending-interruption queue.</li>
 *   <li>Nothing throws {@code UnsupportedOperationException} because one architecture lacks a feature: such
 *       operations live in architecture-specific sub-interfaces.</li>
 * </ul>
 *
 * <p>Each (architecture, engine) pair is one Guice module, chosen once when the VM is built
 * ({@link EngineProvider#modules}); no engine test appears anywhere else.
 */
package org.hyperport.api;
