package org.hyperport.x86.interp;

import java.util.List;

/**
 * The semantic groups the interpreter runs, in the order they are tried. An operation no group implements raises
 * #UD in the guest.
 */
public final class X86Semantics {

    private X86Semantics() {
    }

    /** A fresh set per vCPU: some groups keep per-vCPU scratch state. */
    public static List<X86Interpreter.Semantics> groups() {
        return List.of(new GeneralInstructions(), new SystemInstructions(), new SseInstructions(),
                new FpuInstructions());
    }
}
