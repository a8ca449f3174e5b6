package org.hyperport.x86.timer;

/** A {@link VirtualClock} that follows the host's monotonic clock ({@link System#nanoTime()}). */
public final class HostClock implements VirtualClock {

    private final long origin;

    /** A clock reading 0 now. */
    public HostClock() {
        this(0);
    }

    /** A clock reading {@code start} now: how a restored machine continues from the virtual time of its snapshot. */
    public HostClock(long start) {
        this.origin = System.nanoTime() - start;
    }

    @Override
    public long nanos() {
        return System.nanoTime() - origin;
    }
}
