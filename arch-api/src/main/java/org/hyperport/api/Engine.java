package org.hyperport.api;

import java.util.Locale;

/** How a vCPU executes guest code. Architectures: all (KVM only where the host runs the guest ISA natively). */
public enum Engine {
    /** Hardware-assisted through Linux KVM. */
    KVM,
    /** The Java interpreter of the architecture. */
    INTERPRETER;

    /** Command-line spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
