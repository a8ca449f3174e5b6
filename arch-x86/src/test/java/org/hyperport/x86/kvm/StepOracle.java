package org.hyperport.x86.kvm;

import org.hyperport.api.CpuSnapshot;

/**
 * Something that runs one instruction of the {@link LockstepRig} guest: KVM, QEMU TCG, or the interpreter itself.
 * The descriptor tables and handlers are in place from the start; each step brings its own code, data and state.
 */
interface StepOracle extends AutoCloseable {

    /** The state after one step and the data region, or why this oracle could not judge the case. */
    record Outcome(CpuSnapshot state, byte[] data, String notJudged) {

        static Outcome notJudged(String why) {
            return new Outcome(null, null, why);
        }
    }

    String name();

    /**
     * Places {@code code} at {@link LockstepRig#IP} (followed by HLT) and {@code data} at {@link LockstepRig#DATA},
     * loads {@code before}, runs exactly one instruction (with the exception it raises delivered), and reads back.
     */
    Outcome step(CpuSnapshot before, byte[] code, byte[] data) throws Exception;

    /** Runs one more instruction from where the last step stopped, without reloading anything. */
    Outcome resume(int dataLength) throws Exception;

    @Override
    void close() throws Exception;
}
