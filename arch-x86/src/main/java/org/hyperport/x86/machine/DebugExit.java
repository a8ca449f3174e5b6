package org.hyperport.x86.machine;

import org.hyperport.api.VmControl;
import org.hyperport.common.bus.BusDevice;

/**
 * QEMU's {@code isa-debug-exit} at the kvm-unit-tests location (iobase 0xf4, iosize 4): any write ends the VM. QEMU
 * exits with {@code (value << 1) | 1}; hyperport exits with {@code value & 0xff} itself, so a guest that writes 0
 * makes hyperport exit 0. Reads return all-ones, as QEMU's device does.
 */
public final class DebugExit implements BusDevice {

    public static final int PORT = 0xf4;
    public static final int SIZE = 4;

    private final VmControl control;

    public DebugExit(VmControl control) {
        this.control = control;
    }

    @Override
    public long read(long offset, int size) {
        return org.hyperport.common.bus.Bus.allOnes(size);
    }

    @Override
    public void write(long offset, int size, long value) {
        control.guestExit((int) value, "isa-debug-exit write 0x" + Long.toHexString(value));
    }
}
