package org.hyperport.x86.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TscTest {

    private final ManualClock clock = new ManualClock();
    private final Tsc tsc = new Tsc(clock, 2_500_000_000L);

    @Test
    void countsAtItsFrequency() {
        clock.set(1_000_000_001L);

        assertEquals(2_500_000_002L, tsc.read());
    }

    @Test
    void writeMovesTheCounterAndItKeepsCounting() {
        clock.set(1_000);
        tsc.write(10);

        clock.advance(4);

        assertEquals(20, tsc.read());
    }

    @Test
    void nanosAtIsTheFirstTimeTheCounterReachesTheValue() {
        clock.set(1_000);
        tsc.write(0);

        long when = tsc.nanosAt(26);

        assertEquals(1_011, when);
        assertEquals(27, tsc.at(when));
        assertEquals(25, tsc.at(when - 1));
    }

    @Test
    void ticksConvertLargeTimesWithoutOverflow() {
        long tenYears = 10L * 365 * 86_400 * 1_000_000_000L;

        long ticks = Ticks.fromNanos(tenYears, 3_000_000_000L);

        assertEquals(10L * 365 * 86_400 * 3_000_000_000L, ticks);
        assertEquals(tenYears, Ticks.toNanos(ticks, 3_000_000_000L));
    }
}
