package org.hyperport.s390.isa;

import org.hyperport.s390.interp.S390Semantics;

/**
 * The instructions of PoP Ch. 7 "General Instructions", registered by table mnemonic from one class per section
 * of the chapter, each built from the shared {@link Operands} parts and {@link ConditionCodes} rules.
 */
public final class GeneralInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
        FixedPoint.register(r);
        Logical.register(r);
        LoadStore.register(r);
        ShiftRotate.register(r);
        Branching.register(r);
        Interlocked.register(r);
        StorageToStorage.register(r);
        UnicodeConversion.register(r);
        Decimal.register(r);
        Miscellaneous.register(r);
    }
}
