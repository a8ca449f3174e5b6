package org.hyperport.x86.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class I8254Test {

    private static final int COUNTER0 = 0;
    private static final int COUNTER1 = 1;
    private static final int COUNTER2 = 2;
    private static final int CONTROL = 3;

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final IrqRecorder irq0 = new IrqRecorder();
    private final I8254 pit = new I8254(timers, irq0);

    private void program(int counter, int controlWord, int count) {
        pit.write(CONTROL, 1, controlWord);
        pit.write(counter, 1, count & 0xff);
        pit.write(counter, 1, count >> 8);
    }

    /** Runs the machine until {@code ticks} input-clock ticks after virtual time 0. */
    private void runUntilTick(long ticks) {
        clock.advance(Ticks.toNanos(ticks, I8254.INPUT_HZ) - clock.nanos(), timers);
    }

    private int readCount16(int counter) {
        int lsb = (int) pit.read(counter, 1);
        int msb = (int) pit.read(counter, 1);
        return msb << 8 | lsb;
    }

    @Test
    void mode2RateGeneratorPulsesIrq0OncePerPeriod() {
        program(COUNTER0, 0x34, 1193);

        runUntilTick(10 * 1193 - 1);
        int beforeTenth = irq0.risingEdges;
        runUntilTick(10 * 1193);

        assertEquals(9, beforeTenth);
        assertEquals(10, irq0.risingEdges);
        assertFalse(irq0.level);
    }

    @Test
    void linuxHz250LatchGivesAFourMillisecondTick() {
        program(COUNTER0, 0x34, (1_193_182 + 125) / 250);

        clock.advance(1_000_000_000L, timers);

        assertEquals(249, irq0.risingEdges);
        assertEquals(Ticks.toNanos(250 * 4773L, I8254.INPUT_HZ), timers.nextDeadline());
    }

    @Test
    void mode2CountDecrementsFromTheReloadValueAndWraps() {
        program(COUNTER0, 0x34, 1000);

        runUntilTick(100);
        int early = readCount16(COUNTER0);
        runUntilTick(1999);
        int late = readCount16(COUNTER0);

        assertEquals(900, early);
        assertEquals(1, late);
    }

    @Test
    void mode3SquareWaveIsHighForTheFirstHalfOfEachPeriod() {
        program(COUNTER1, 0x76, 100);

        runUntilTick(49);
        boolean highAt49 = pit.output(COUNTER1);
        runUntilTick(50);
        boolean highAt50 = pit.output(COUNTER1);
        runUntilTick(100);
        boolean highAt100 = pit.output(COUNTER1);

        assertTrue(highAt49);
        assertFalse(highAt50);
        assertTrue(highAt100);
    }

    @Test
    void mode3PulsesIrq0AtTheStartOfEachPeriod() {
        program(COUNTER0, 0x36, 1000);

        runUntilTick(5000);

        assertEquals(5, irq0.risingEdges);
    }

    @Test
    void mode3CountsDownByTwoInEachHalf() {
        program(COUNTER0, 0x36, 1000);

        runUntilTick(10);
        int firstHalf = readCount16(COUNTER0);
        runUntilTick(510);
        int secondHalf = readCount16(COUNTER0);

        assertEquals(980, firstHalf);
        assertEquals(980, secondHalf);
    }

    @Test
    void counterLatchFreezesTheCountUntilBothBytesAreRead() {
        program(COUNTER0, 0x34, 0x1000);
        runUntilTick(0x10);

        pit.write(CONTROL, 1, 0x00);
        runUntilTick(0x200);
        int latched = readCount16(COUNTER0);
        int live = readCount16(COUNTER0);

        assertEquals(0x0ff0, latched);
        assertEquals(0x0e00, live);
    }

    @Test
    void readBackLatchesStatusThenCount() {
        program(COUNTER0, 0x34, 0x1234);
        runUntilTick(0x34);

        pit.write(CONTROL, 1, 0xc2);
        int status = (int) pit.read(COUNTER0, 1);
        int count = readCount16(COUNTER0);

        assertEquals(0x80 | 0x30 | 0x04, status);
        assertEquals(0x1200, count);
    }

    @Test
    void statusShowsNullCountUntilACountIsWritten() {
        pit.write(CONTROL, 1, 0xb0);

        pit.write(CONTROL, 1, 0xe8);
        int afterControlWord = (int) pit.read(COUNTER2, 1);
        pit.write(COUNTER2, 1, 0x10);
        pit.write(COUNTER2, 1, 0x00);
        pit.write(CONTROL, 1, 0xe8);
        int afterCount = (int) pit.read(COUNTER2, 1);

        assertEquals(0x40 | 0x30, afterControlWord);
        assertEquals(0x30, afterCount);
    }

    @Test
    void lsbOnlyAccessReadsAndWritesOneByte() {
        pit.write(CONTROL, 1, 0x14);
        pit.write(COUNTER0, 1, 200);

        runUntilTick(50);
        int first = (int) pit.read(COUNTER0, 1);
        int second = (int) pit.read(COUNTER0, 1);

        assertEquals(150, first);
        assertEquals(150, second);
    }

    @Test
    void msbOnlyAccessLoadsTheHighByte() {
        pit.write(CONTROL, 1, 0x24);
        pit.write(COUNTER0, 1, 0x02);

        runUntilTick(0x100);

        assertEquals(0x01, pit.read(COUNTER0, 1));
    }

    @Test
    void mode0OutputRisesAtTerminalCountAndInterruptsOnce() {
        program(COUNTER0, 0x30, 1000);

        runUntilTick(999);
        boolean before = pit.output(COUNTER0);
        runUntilTick(5000);

        assertFalse(before);
        assertTrue(pit.output(COUNTER0));
        assertEquals(1, irq0.risingEdges);
        assertEquals(TimerQueue.NEVER, timers.nextDeadline());
    }

    @Test
    void mode4StrobeInterruptsOneTickAfterTerminalCount() {
        program(COUNTER0, 0x38, 500);

        runUntilTick(500);
        int atTerminalCount = irq0.risingEdges;
        runUntilTick(501);

        assertEquals(0, atTerminalCount);
        assertEquals(1, irq0.risingEdges);
    }

    @Test
    void bcdCountingReadsDecimalDigits() {
        program(COUNTER0, 0x35, 0x1000);

        runUntilTick(1);

        assertEquals(0x0999, readCount16(COUNTER0));
    }

    @Test
    void resetStateRunsCounter0AtEighteenPointTwoHertz() {
        runUntilTick(65536 * 3L);

        assertEquals(3, irq0.risingEdges);
    }

    @Test
    void stateRoundTripKeepsCountingWhereItWas() {
        program(COUNTER0, 0x34, 1000);
        runUntilTick(250);
        I8254.State saved = pit.state();
        IrqRecorder otherIrq = new IrqRecorder();
        I8254 restored = new I8254(timers, otherIrq);

        restored.restore(saved);
        runUntilTick(2000);

        assertEquals(2, otherIrq.risingEdges);
        assertEquals(pit.state(), restored.state());
    }
}
