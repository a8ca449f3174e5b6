package org.hyperport.api;

import com.google.inject.Module;
import java.util.List;

/**
 * One (architecture, engine) pair: what it needs from the host and the Guice modules that build its machine.
 *
 * <p>The modules must bind {@link Machine}. They may inject the core bindings listed in {@code docs/ARCHITECTURE.md}
 * ({@link VmConfig}, {@link VmControl} and the console). This is the only place where the engine is chosen.
 */
public interface EngineProvider {

    Engine engine();

    /** Human description of the host requirement, e.g. "x86_64 host with read-write /dev/kvm". */
    String requirement();

    /** Whether this engine can run on {@code host}, with the reason. Must not throw. */
    Availability probe(HostInfo host);

    /** The Guice modules for one VM of this architecture on this engine. */
    List<Module> modules(VmConfig config);
}
