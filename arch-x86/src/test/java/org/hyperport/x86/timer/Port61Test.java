package org.hyperport.x86.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.common.bus.Bus;
import org.junit.jupiter.api.Test;

/** Port 0x61 and counter 2, driven the way Linux's TSC calibration drives them. */
class Port61Test {

    /** {@code CAL_LATCH} of {@code pit_calibrate_tsc}: 10 ms of PIT ticks. */
    private static final int CAL_LATCH = (int) (I8254.INPUT_HZ / 100);

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final I8254 pit = new I8254(timers, new IrqRecorder());
    private final Bus pio = new Bus("pio");

    Port61Test() {
        pio.register("pit", I8254.BASE, I8254.SIZE, pit);
        pio.register("port61", Port61.PORT, 1, new Port61(pit));
    }

    private int inb(int port) {
        return (int) pio.read(port, 1);
    }

    private void outb(int value, int port) {
        pio.write(port, 1, value);
    }

    /** Gate high, speaker off, counter 2 in mode 0 with {@code latch}, LSB then MSB: {@code pit_calibrate_tsc}. */
    private void startCalibration(int latch) {
        outb((inb(0x61) & ~0x02) | 0x01, 0x61);
        outb(0xb0, 0x43);
        outb(latch & 0xff, 0x42);
        outb(latch >> 8, 0x42);
    }

    @Test
    void pitCalibrateTscSeesOutputRiseAfterTheLatch() {
        startCalibration(CAL_LATCH);

        int atStart = inb(0x61) & 0x20;
        clock.set(Ticks.toNanos(CAL_LATCH, I8254.INPUT_HZ) - 1);
        int justBefore = inb(0x61) & 0x20;
        clock.set(Ticks.toNanos(CAL_LATCH, I8254.INPUT_HZ));
        int atTerminalCount = inb(0x61) & 0x20;

        assertEquals(0, atStart);
        assertEquals(0, justBefore);
        assertEquals(0x20, atTerminalCount);
    }

    @Test
    void gateAndSpeakerBitsReadBackAsWritten() {
        outb(0x0f, 0x61);

        int value = inb(0x61) & 0x0f;

        assertEquals(0x0f, value);
    }

    @Test
    void loweringTheGateSuspendsMode0Counting() {
        startCalibration(1000);
        clock.set(Ticks.toNanos(400, I8254.INPUT_HZ));

        outb(0x00, 0x61);
        clock.set(Ticks.toNanos(5000, I8254.INPUT_HZ));
        int whileLow = inb(0x61) & 0x20;
        outb(0x01, 0x61);
        clock.set(Ticks.toNanos(5599, I8254.INPUT_HZ));
        int beforeResume = inb(0x61) & 0x20;
        clock.set(Ticks.toNanos(5600, I8254.INPUT_HZ));
        int afterResume = inb(0x61) & 0x20;

        assertEquals(0, whileLow);
        assertEquals(0, beforeResume);
        assertEquals(0x20, afterResume);
    }

    @Test
    void quickPitCalibrateSeesTheMsbDropEvery256Ticks() {
        startCalibration(0xffff);
        clock.set(Ticks.toNanos(256 * 3 + 10, I8254.INPUT_HZ));

        int lsb = inb(0x42);
        int msb = inb(0x42);

        assertEquals(0xfc, msb);
        assertEquals(0xf5, lsb);
    }

    @Test
    void refreshBitTogglesEvery15Microseconds() {
        clock.set(15_084);
        int first = inb(0x61) & 0x10;
        clock.set(15_085);
        int second = inb(0x61) & 0x10;

        assertEquals(0, first);
        assertEquals(0x10, second);
    }
}
