package org.hyperport.api;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One guest instruction-set architecture, discovered at run time through {@link java.util.ServiceLoader}.
 *
 * <p>Architectures: all. An implementation is stateless; everything per-VM comes from the Guice modules of its
 * {@link EngineProvider}s.
 */
public interface Architecture {

    /** Canonical command-line id: {@code x86_64}, {@code ppc64}, {@code ppc64le}, {@code s390x} or {@code ia64}. */
    String id();

    /** Other names accepted on the command line ({@code amd64}, {@code x86-64}, ...). Never includes {@link #id()}. */
    Set<String> aliases();

    /** One line for {@code hyperport archs}. */
    String description();

    /** Byte order of the guest's data accesses after reset (x86 and IA-64 little, s390 and pseries big). */
    ByteOrder byteOrder();

    /** Natural register width in bits (64 for all four current architectures). */
    int wordBits();

    /** Engines this architecture offers, most preferred first; {@code auto} picks the first usable one. */
    List<EngineProvider> engines();

    /** The machine this architecture boots, as a description (memory map, devices, boot protocol). */
    MachineSpec machine(VmConfig config);

    /** The small bare-metal guest that {@code hyperport run} boots when no kernel is given, if this backend ships one. */
    Optional<EmbeddedGuest> embeddedGuest();

    /** Whether {@code name} (any case) names this architecture. */
    default boolean matches(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return id().equals(n) || aliases().contains(n);
    }
}
