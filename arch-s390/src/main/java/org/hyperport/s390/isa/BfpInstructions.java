package org.hyperport.s390.isa;

import org.hyperport.s390.interp.S390Semantics;

/**
 * The instructions of {@code bfp.insns}: PoP Ch. 9 "Floating-Point Overview and Support Instructions"
 * ({@link FloatingPointSupport}) and Ch. 19 "Binary-Floating-Point Instructions" ({@link BinaryFloatingPoint},
 * on the rounding and exception core {@link Bfp}).
 */
public final class BfpInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
        FloatingPointSupport.register(r);
        BinaryFloatingPoint.register(r);
        ExtendedBfp.register(r);
    }
}
