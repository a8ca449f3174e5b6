package org.hyperport.api;

/**
 * One architectural register in a {@link CpuState} layout.
 *
 * @param name  the manual's spelling, lower case ({@code rax}, {@code cr0}, {@code msr}, {@code psw.mask}, {@code f12})
 * @param bits  width; any size (x86 {@code xmm0} is 128, an IA-64 FR with its sign/exponent/significand is 82)
 * @param group grouping for dumps and for comparisons that mask a class of registers
 * @param unstableBits bits of the low 64 that engines may legitimately report differently (hidden,
 *                     implementation-dependent state such as a cached segment's accessed bit); differential
 *                     comparison ignores them
 */
public record RegisterDesc(String name, int bits, Group group, long unstableBits) {

    public RegisterDesc(String name, int bits, Group group) {
        this(name, bits, group, 0);
    }

    public enum Group {
        /** General-purpose registers and the instruction pointer. */
        GENERAL,
        /** Flags, condition register, condition code, predicates. */
        FLAGS,
        /** Segment, access and region registers. */
        SEGMENT,
        /** Control, machine-state and special-purpose registers. */
        CONTROL,
        /** Floating-point and vector registers and their status. */
        FLOAT,
        /** Timers and counters; excluded from differential comparison by default because they drift. */
        TIMER
    }
}
