package org.hyperport.x86.timer;

/**
 * A {@link VirtualClock} that moves only when told to, for deterministic tests. {@link #advance(long, TimerQueue)}
 * stops at every deadline on the way and runs it, as an engine polling between every instruction block would.
 */
public final class ManualClock implements VirtualClock {

    private volatile long now;

    public ManualClock() {
        this(0);
    }

    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long nanos() {
        return now;
    }

    /** Moves the clock to {@code nanos}; time never goes backwards. Runs no timers. */
    public synchronized void set(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("clock at " + now + " cannot go back to " + nanos);
        }
        now = nanos;
    }

    /** Moves the clock forward by {@code delta} nanoseconds. Runs no timers. */
    public void advance(long delta) {
        set(now + delta);
    }

    /**
     * Moves the clock forward by {@code delta} nanoseconds, stopping at each deadline of {@code timers} that falls in
     * the interval (in deadline order, including ones scheduled by the callbacks on the way) and running it.
     */
    public void advance(long delta, TimerQueue timers) {
        long target = now + delta;
        long ranAt = Long.MIN_VALUE;
        while (true) {
            long next = timers.nextDeadline();
            if (next > target) {
                break;
            }
            long at = Math.max(next, now);
            if (at == ranAt) {
                throw new IllegalStateException("a timer keeps re-arming at or before " + at);
            }
            set(at);
            timers.runExpired(at);
            ranAt = at;
        }
        set(target);
        timers.runExpired(target);
    }
}
