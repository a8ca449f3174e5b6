package org.hyperport.x86.machine;

import org.hyperport.api.VmControl;
import org.hyperport.common.bus.BusDevice;

/**
 * The part of the 8042 keyboard controller a VMM needs: the status register (no data, input buffer empty) and the
 * CPU reset line, pulsed by command 0xFE to port 0x64 (Linux's {@code reboot=k}, the default fallback). Ports 0x60
 * (data, offset 0) and 0x64 (command/status, offset 4) are one window of 5 bytes.
 */
public final class I8042 implements BusDevice {

    public static final int BASE = 0x60;
    public static final int SIZE = 5;
    private static final int CMD_PULSE_RESET = 0xFE;

    private final VmControl control;

    public I8042(VmControl control) {
        this.control = control;
    }

    @Override
    public long read(long offset, int size) {
        // Status: output buffer empty, input buffer empty, system flag set (POST passed).
        return offset == 4 ? 0x04 : 0x00;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset == 4 && (value & 0xff) == CMD_PULSE_RESET) {
            control.reset("i8042 reset line (0xfe to port 0x64)");
        }
    }
}
