package org.hyperport.x86.timer;

/** Conversions between virtual nanoseconds and the ticks of a clock of {@code hz} cycles per second, without overflow. */
final class Ticks {

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Ticks() {
    }

    /** Ticks of an {@code hz} clock that has run for {@code nanos} (rounded down). */
    static long fromNanos(long nanos, long hz) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        return seconds * hz + rest * hz / NANOS_PER_SECOND;
    }

    /** The first nanosecond at which {@link #fromNanos} reaches {@code ticks}; {@code Long.MAX_VALUE} if beyond reach. */
    static long toNanos(long ticks, long hz) {
        long seconds = Math.floorDiv(ticks, hz);
        long rest = Math.floorMod(ticks, hz);
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        return seconds * NANOS_PER_SECOND + Math.ceilDiv(rest * NANOS_PER_SECOND, hz);
    }
}
