package org.hyperport.api;

/**
 * What a device or vCPU may ask of the VM as a whole. Devices get this, never the VM core itself.
 * All methods are safe to call from any thread; the first request to end the VM wins.
 */
public interface VmControl {

    /** The guest finished and reported {@code status} (debug-exit port, SSC_EXIT, SIGP stop after EXIT:...). */
    void guestExit(int status, String how);

    /** The guest powered the machine off (ACPI S5, RTAS power-off, SCLP, poweroff -f). Ends the VM with status 0. */
    void powerOff(String how);

    /** The guest asked for a reset. hyperport does not reboot: it ends the VM with status 0, as QEMU's -no-reboot. */
    void reset(String how);

    /** The guest can no longer run (triple fault, engine failure); ends the VM with {@link HyperportException#GUEST_CRASH}. */
    void crash(String diagnosis);

    /**
     * hyperport's extension of the guest test ABI: records the full CPU state of the vCPU whose exit is being
     * handled, labelled {@code tag}, for differential comparison between engines. Must be called on that vCPU's
     * thread, from within exit handling (x86: a write to port 0xf8).
     */
    void recordState(long tag);

    /** Whether the VM is ending; vCPU loops check it between exits. */
    boolean stopping();
}
