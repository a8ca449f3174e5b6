package org.hyperport.api;

/**
 * One virtual CPU. Architectures: all; engines: all.
 *
 * <p>{@link #run()} executes guest code until something needs the VMM and returns it as a {@link VcpuExit}. The VM
 * core handles the exit and calls {@code run()} again. The I/O exits are per-vCPU flyweights, valid until the next
 * {@code run()}, so the exit path allocates nothing.
 */
public interface Vcpu extends AutoCloseable {

    /** 0-based index; the boot processor is 0. */
    int index();

    /** Runs until the next exit. Only ever called from this vCPU's thread. */
    VcpuExit run();

    /**
     * Makes a concurrent or the next {@link #run()} return {@link VcpuExit.Stopped} promptly. Safe from any thread.
     */
    void kick();

    /**
     * Whether this vCPU is dormant: it executes nothing until another vCPU starts it (an x86 application processor
     * waiting for INIT/SIPI, a stopped s390 CPU). The VM ends as powered off when every vCPU is halted or
     * dormant. Safe to call from any thread; may lag behind the vCPU by a watchdog period.
     */
    default boolean dormant() {
        return false;
    }

    /** This vCPU's registers; see {@link CpuState} for the threading rule under KVM. */
    CpuState state();

    /** This vCPU's address translation, for dumps and debuggers. */
    Mmu mmu();

    /**
     * A one-line description of where the vCPU is (instruction pointer, mode, the instruction bytes there), for crash
     * reports. Must not throw, even when the state is garbage.
     */
    String describeLocation();

    @Override
    void close();
}
