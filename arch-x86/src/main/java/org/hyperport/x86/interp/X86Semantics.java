package org.hyperport.x86.interp;

import java.util.List;

/**
 * The semantic groups the interpreter runs, in the order they are tried. An operation no group implements raises
 * #UD in the guest. Until the general-purpose and system groups exist the engine reports itself unusable.
 */
public final class X86Semantics {

    private X86Semantics() {
    }

    /** A fresh set per vCPU: some groups keep per-vCPU scratch state. */
    public static List<X86Interpreter.Semantics> groups() {
        return List.of(new GeneralInstructions(), new SystemInstructions(), new SseInstructions(),
                new FpuInstructions());
    }

    /** Whether enough of the instruction set exists to run guests. */
    public static boolean complete() {
        return groups().size() >= 2;
    }
}
