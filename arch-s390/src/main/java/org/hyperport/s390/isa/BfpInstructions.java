package org.hyperport.s390.isa;

import org.hyperport.s390.interp.S390Semantics;

/** The instructions of PoP Ch. 19 "Binary-Floating-Point Instructions". */
public final class BfpInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
    }
}
