package org.hyperport.common.bus;

/**
 * A device window on a port-I/O or MMIO bus. Offsets are relative to the window's base; sizes are 1, 2, 4 or 8 bytes.
 * Values are in the device's register order (the bus does no byte swapping). Implementations must tolerate any offset
 * and size inside their window, since a guest chooses them: unknown registers read as all-ones or zero and ignore
 * writes, as the hardware does. Called on vCPU threads; a device shared by several vCPUs synchronises itself.
 */
public interface BusDevice {

    long read(long offset, int size);

    void write(long offset, int size, long value);
}
