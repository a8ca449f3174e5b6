package org.hyperport.s390.machine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The TOD clock (PoP Ch. 4 "TOD Clock"): 64 bits, bit 51 ticks once a microsecond, epoch 1900-01-01 00:00 UTC. It
 * follows host UTC at start and the host's monotonic clock afterwards. Every read returns a value greater than the
 * previous one (the bits below bit 51 break ties), as STORE CLOCK requires of one configuration.
 */
public final class TodClock {

    /** The TOD value of the Unix epoch, 1970-01-01 00:00 UTC: 2,208,988,800 s after 1900, times 2^12 per µs. */
    public static final long UNIX_EPOCH = 0x7D91048BCA000000L;

    private final long baseTod;
    private final long baseNanos;
    private final AtomicLong last = new AtomicLong();

    public TodClock() {
        this(System.currentTimeMillis() * 1000L, System.nanoTime());
    }

    /** A clock reading {@code unixMicros} at host monotonic time {@code nanos}; for tests. */
    public TodClock(long unixMicros, long nanos) {
        this.baseTod = UNIX_EPOCH + (unixMicros << 12);
        this.baseNanos = nanos;
    }

    /** The current TOD value: strictly increasing across all callers. */
    public long read() {
        long now = baseTod + (((System.nanoTime() - baseNanos) << 12) / 1000);
        while (true) {
            long prev = last.get();
            long next = Long.compareUnsigned(now, prev) > 0 ? now : prev + 1;
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /** Host nanoseconds until the TOD clock reaches {@code tod} (0 if it has), capped at {@code max}. */
    public long nanosUntil(long tod, long max) {
        long now = read();
        if (Long.compareUnsigned(tod, now) <= 0) {
            return 0;
        }
        long delta = tod - now;
        if (Long.compareUnsigned(delta, (max / 1000) << 12) >= 0) {
            return max;
        }
        return delta * 1000 >>> 12;
    }
}
