package org.hyperport.api;

import java.util.List;

/**
 * One built VM of one architecture on one engine: memory, vCPUs and the devices behind the exits. Bound by the
 * architecture's Guice module; driven by the VM core.
 */
public interface Machine extends AutoCloseable {

    MachineSpec spec();

    GuestMemory memory();

    InterruptController interruptController();

    /** The vCPUs, index order. Created by the time the machine is constructed. */
    List<? extends Vcpu> vcpus();

    /**
     * Loads the kernel (or the embedded guest) and puts every vCPU in its entry state. Bad images throw
     * {@link HyperportException} with {@link HyperportException#BAD_INPUT}.
     */
    void boot(BootImage image);

    /** Handles a port-I/O exit (x86) against the machine's devices. Unclaimed ports read as all-ones. */
    void handle(VcpuExit.PortIo io);

    /** Handles an MMIO exit. Unclaimed addresses read as all-ones and ignore writes. */
    void handle(VcpuExit.Mmio mmio);

    /** Exit counts by reason, when {@link VmConfig#collectStats()} is on; empty otherwise. */
    default java.util.Map<String, Long> stats() {
        return java.util.Map.of();
    }

    @Override
    void close();
}
