package org.hyperport.x86.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final List<String> fired = new ArrayList<>();

    private TimerQueue.Timer recording(String name) {
        return timers.timer(name, now -> fired.add(name + "@" + now));
    }

    @Test
    void runsExpiredTimersInDeadlineOrder() {
        recording("c").schedule(30);
        recording("a").schedule(10);
        recording("b").schedule(20);

        timers.runExpired(25);

        assertEquals(List.of("a@25", "b@25"), fired);
        assertEquals(30, timers.nextDeadline());
    }

    @Test
    void equalDeadlinesRunInSchedulingOrder() {
        recording("first").schedule(10);
        recording("second").schedule(10);
        recording("third").schedule(10);

        timers.runExpired(10);

        assertEquals(List.of("first@10", "second@10", "third@10"), fired);
    }

    @Test
    void cancelledTimerDoesNotRun() {
        TimerQueue.Timer t = recording("t");
        t.schedule(10);

        t.cancel();
        timers.runExpired(100);

        assertEquals(List.of(), fired);
        assertEquals(TimerQueue.NEVER, timers.nextDeadline());
        assertFalse(t.armed());
    }

    @Test
    void schedulingAgainMovesTheDeadline() {
        TimerQueue.Timer t = recording("t");
        t.schedule(10);

        t.schedule(50);
        timers.runExpired(40);

        assertEquals(List.of(), fired);
        assertEquals(50, t.deadline());
    }

    @Test
    void timerRescheduledIntoThePastRunsOncePerPoll() {
        int[] runs = new int[1];
        TimerQueue.Timer[] self = new TimerQueue.Timer[1];
        self[0] = timers.timer("eager", now -> {
            runs[0]++;
            self[0].schedule(now);
        });
        self[0].schedule(5);

        timers.runExpired(100);

        assertEquals(1, runs[0]);
        assertEquals(100, timers.nextDeadline());
    }

    @Test
    void manualClockStopsAtEveryDeadlineOnTheWay() {
        TimerQueue.Timer[] self = new TimerQueue.Timer[1];
        self[0] = timers.timer("periodic", now -> {
            fired.add("tick@" + now);
            self[0].schedule(now + 30);
        });
        self[0].schedule(30);

        clock.advance(100, timers);

        assertEquals(List.of("tick@30", "tick@60", "tick@90"), fired);
        assertEquals(100, clock.nanos());
        assertEquals(120, timers.nextDeadline());
    }

    @Test
    void wakeupRunsWhenANewDeadlineBecomesTheEarliest() {
        List<Long> wakeups = new ArrayList<>();
        timers.setWakeup(() -> wakeups.add(timers.nextDeadline()));
        TimerQueue.Timer a = recording("a");
        TimerQueue.Timer b = recording("b");

        a.schedule(100);
        b.schedule(200);
        b.schedule(50);

        assertEquals(List.of(100L, 50L), wakeups);
    }

    @Test
    void pollingAndReschedulingDoNotAllocate() {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        TimerQueue.Timer[] self = new TimerQueue.Timer[4];
        for (int i = 0; i < self.length; i++) {
            int n = i;
            self[i] = timers.timer("t" + i, now -> self[n].schedule(now + 10 + n));
            self[i].schedule(10 + i);
        }
        for (long now = 0; now < 200_000; now += 7) {
            timers.runExpired(now);
        }

        long before = bean.getCurrentThreadAllocatedBytes();
        for (long now = 200_000; now < 400_000; now += 7) {
            timers.runExpired(now);
        }
        long after = bean.getCurrentThreadAllocatedBytes();

        assertEquals(0, after - before);
    }
}
