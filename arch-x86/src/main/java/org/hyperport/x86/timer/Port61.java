package org.hyperport.x86.timer;

import org.hyperport.common.bus.BusDevice;

/**
 * Port 0x61, "system control port B" (NMI status and control): the PC's glue between the CPU and 8254 counter 2.
 * Bit 0 is counter 2's GATE and bit 1 the speaker data enable (both read back as written), bits 2-3 (parity and
 * I/O-check NMI enables) read back as written, bit 4 toggles with the DRAM refresh clock (every
 * {@value #REFRESH_HALF_PERIOD_NANOS} ns), and bit 5 is counter 2's OUT. Bits 6-7 (parity and I/O-check errors) read
 * 0: nothing here raises them.
 *
 * <p>Linux's PIT-based TSC calibration ({@code pit_calibrate_tsc}, {@code pit_hpet_ptimer_calibrate_cpu}) writes
 * {@code (inb(0x61) & ~0x02) | 0x01} to raise the gate with the speaker off, programs counter 2 in mode 0 through
 * port 0x43/0x42 and spins until bit 5 reads 1; the older {@code quick_pit_calibrate} reads the count back instead.
 */
public final class Port61 implements BusDevice {

    public static final int PORT = 0x61;
    public static final long REFRESH_HALF_PERIOD_NANOS = 15_085;

    private final I8254 pit;
    private int control;

    public Port61(I8254 pit) {
        this.pit = pit;
    }

    @Override
    public synchronized long read(long offset, int size) {
        boolean refresh = (pit.clock().nanos() / REFRESH_HALF_PERIOD_NANOS & 1) != 0;
        return control | (refresh ? 0x10 : 0) | (pit.output(2) ? 0x20 : 0);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        control = (int) value & 0x0f;
        pit.setGate(2, (control & 1) != 0);
    }

    /** Whether the speaker is sounding (gate and data enable both set); nothing plays it. */
    public synchronized boolean speakerEnabled() {
        return (control & 3) == 3;
    }

    /** Bits 3-0 as written, for snapshots (bit 0 must match the PIT's counter 2 gate). */
    public synchronized int control() {
        return control;
    }

    public synchronized void restore(int control) {
        this.control = control & 0x0f;
        pit.setGate(2, (this.control & 1) != 0);
    }
}
