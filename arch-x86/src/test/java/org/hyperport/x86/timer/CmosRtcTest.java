package org.hyperport.x86.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CmosRtcTest {

    private static final long SECOND = 1_000_000_000L;
    /** A Friday. */
    private static final LocalDateTime START = LocalDateTime.of(2024, 3, 15, 13, 45, 30);

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final IrqRecorder irq8 = new IrqRecorder();
    private final CmosRtc rtc = new CmosRtc(timers, irq8, START);

    private int cmos(int index) {
        rtc.write(0, 1, index);
        return (int) rtc.read(1, 1);
    }

    private void setCmos(int index, int value) {
        rtc.write(0, 1, index);
        rtc.write(1, 1, value);
    }

    @Test
    void readsTimeAndDateInBcd() {
        int[] regs = {cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x06), cmos(0x07), cmos(0x08), cmos(0x09),
                cmos(0x32)};

        assertEquals(0x30, regs[0]);
        assertEquals(0x45, regs[1]);
        assertEquals(0x13, regs[2]);
        assertEquals(6, regs[3]);
        assertEquals(0x15, regs[4]);
        assertEquals(0x03, regs[5]);
        assertEquals(0x24, regs[6]);
        assertEquals(0x20, regs[7]);
    }

    @Test
    void resetRegistersAreTheBiosDefaults() {
        assertEquals(0x26, cmos(0x0a));
        assertEquals(0x02, cmos(0x0b));
        assertEquals(0x80, cmos(0x0d));
    }

    @Test
    void binaryTwelveHourModeMarksPm() {
        setCmos(0x0b, 0x04);

        assertEquals(0x81, cmos(0x04));
        assertEquals(45, cmos(0x02));
        assertEquals(24, cmos(0x09));
    }

    @Test
    void timeAdvancesWithTheClock() {
        clock.advance(31 * SECOND);

        assertEquals(0x01, cmos(0x00));
        assertEquals(0x46, cmos(0x02));
    }

    @Test
    void updateInProgressIsSetForTheLast244MicrosecondsOfEachSecond() {
        clock.set(SECOND - 244_001);
        int beforeWindow = cmos(0x0a);
        clock.set(SECOND - 244_000);
        int inWindow = cmos(0x0a);
        int secondsInWindow = cmos(0x00);
        clock.set(SECOND);
        int afterUpdate = cmos(0x0a);
        int secondsAfterUpdate = cmos(0x00);

        assertEquals(0x26, beforeWindow);
        assertEquals(0xa6, inWindow);
        assertEquals(0x30, secondsInWindow);
        assertEquals(0x26, afterUpdate);
        assertEquals(0x31, secondsAfterUpdate);
    }

    @Test
    void setBitStopsTheClockWhileTheGuestWritesTheTime() {
        setCmos(0x0b, 0x82);
        setCmos(0x00, 0x59);
        setCmos(0x02, 0x59);
        setCmos(0x04, 0x23);
        setCmos(0x07, 0x31);
        setCmos(0x08, 0x12);
        setCmos(0x09, 0x99);
        setCmos(0x32, 0x19);
        clock.advance(5 * SECOND);
        int uipWhileSet = cmos(0x0a) & 0x80;
        int secondsWhileSet = cmos(0x00);

        setCmos(0x0b, 0x02);
        clock.advance(SECOND);

        assertEquals(0, uipWhileSet);
        assertEquals(0x59, secondsWhileSet);
        assertEquals(LocalDateTime.of(2000, 1, 1, 0, 0, 0), rtc.time());
        assertEquals(0x20, cmos(0x32));
    }

    @Test
    void periodicInterruptAt1024HzUntilRegisterCIsRead() {
        setCmos(0x0b, 0x42);

        clock.advance(976_562, timers);
        boolean beforeFirstTick = irq8.level;
        clock.advance(1, timers);
        boolean atFirstTick = irq8.level;
        int regC = cmos(0x0c);
        boolean afterRead = irq8.level;
        clock.advance(976_562, timers);

        assertFalse(beforeFirstTick);
        assertTrue(atFirstTick);
        assertEquals(0xc0, regC);
        assertFalse(afterRead);
        assertTrue(irq8.level);
        assertEquals(2, irq8.risingEdges);
    }

    @Test
    void updateEndedInterruptOncePerSecond() {
        setCmos(0x0a, 0x20);
        setCmos(0x0b, 0x12);

        clock.advance(SECOND, timers);
        int regC = cmos(0x0c);
        int regCAgain = cmos(0x0c);

        assertEquals(1, irq8.risingEdges);
        assertEquals(0x90, regC);
        assertEquals(0x00, regCAgain);
    }

    @Test
    void alarmInterruptWhenTheTimeMatches() {
        setCmos(0x01, 0x35);
        setCmos(0x03, 0x45);
        setCmos(0x05, 0x13);
        setCmos(0x0b, 0x22);

        clock.advance(4 * SECOND, timers);
        boolean afterFour = irq8.level;
        clock.advance(SECOND, timers);

        assertFalse(afterFour);
        assertTrue(irq8.level);
        assertEquals(0xf0, cmos(0x0c));
    }

    @Test
    void dontCareAlarmBytesMatchEverySecond() {
        setCmos(0x0a, 0x20);
        setCmos(0x01, 0xc0);
        setCmos(0x03, 0xff);
        setCmos(0x05, 0xc5);
        setCmos(0x0b, 0x22);

        clock.advance(SECOND, timers);

        assertEquals(0xb0, cmos(0x0c));
    }

    @Test
    void memorySizeBytesForASmallMachine() {
        rtc.setMemorySize(128L << 20, 0);

        assertEquals(0x80, cmos(0x15));
        assertEquals(0x02, cmos(0x16));
        assertEquals(0xff, cmos(0x17));
        assertEquals(0xff, cmos(0x18));
        assertEquals(0x00, cmos(0x34));
        assertEquals(0x07, cmos(0x35));
        assertEquals(0x00, cmos(0x5b));
    }

    @Test
    void memorySizeBytesAboveFourGiB() {
        rtc.setMemorySize(3L << 30, 3L << 30);

        assertEquals(0x00, cmos(0x34));
        assertEquals(0xbf, cmos(0x35));
        assertEquals(0x00, cmos(0x5b));
        assertEquals(0xc0, cmos(0x5c));
        assertEquals(0x00, cmos(0x5d));
    }

    @Test
    void cmosRamIsReadWriteAndPort70Bit7MasksNmi() {
        rtc.write(0, 1, 0x80 | 0x40);
        rtc.write(1, 1, 0x5a);

        assertTrue(rtc.nmiDisabled());
        assertEquals(0x5a, cmos(0x40));
        assertFalse(rtc.nmiDisabled());
        assertEquals(0x5a, rtc.cmos(0x40));
    }

    @Test
    void stateRoundTripRestoresTimeRamAndFlags() {
        rtc.setMemorySize(64L << 20, 0);
        setCmos(0x0b, 0x52);
        clock.advance(3 * SECOND, timers);
        CmosRtc.State saved = rtc.state();
        CmosRtc restored = new CmosRtc(timers, new IrqRecorder(), LocalDateTime.of(1999, 1, 1, 0, 0));

        restored.restore(saved);

        assertEquals(saved, restored.state());
        assertEquals(rtc.time(), restored.time());
        assertEquals(START.plusSeconds(3), restored.time());
    }
}
