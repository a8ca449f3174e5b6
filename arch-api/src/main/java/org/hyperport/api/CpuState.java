package org.hyperport.api;

import java.util.List;

/**
 * The architectural state of one vCPU, by name. Architectures: all; each documents its layout in its
 * {@code <Arch>CpuState} class.
 *
 * <p>Under KVM, {@link #snapshot()} and {@link #restore} issue register ioctls and so may only be called on the vCPU's
 * own thread or while the vCPU is not in {@link Vcpu#run()}.
 */
public interface CpuState {

    String architecture();

    /** Every register this state holds, in dump order. The layout is fixed per architecture, not per engine. */
    List<RegisterDesc> layout();

    /** Reads all registers. */
    CpuSnapshot snapshot();

    /**
     * Writes every register present in {@code snapshot}; registers it lacks keep their values.
     *
     * @throws IllegalArgumentException if the snapshot is of another architecture or names an unknown register
     */
    void restore(CpuSnapshot snapshot);
}
