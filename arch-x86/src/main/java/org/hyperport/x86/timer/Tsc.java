package org.hyperport.x86.timer;

/**
 * The time-stamp counter of a machine, derived from the {@link VirtualClock} at a fixed rate so that RDTSC, the local
 * APIC's TSC-deadline mode (MSR 0x6E0) and Linux's PIT-based TSC calibration all agree. A guest write to IA32_TSC
 * (MSR 0x10) moves the offset. One instance serves every vCPU (the TSCs are synchronised).
 */
public final class Tsc {

    private final VirtualClock clock;
    private final long hz;
    private volatile long offset;

    public Tsc(VirtualClock clock, long hz) {
        if (hz <= 0 || hz > 8_000_000_000L) {
            throw new IllegalArgumentException("TSC frequency " + hz + " Hz out of range");
        }
        this.clock = clock;
        this.hz = hz;
    }

    public long hz() {
        return hz;
    }

    /** RDTSC. */
    public long read() {
        return at(clock.nanos());
    }

    /** The TSC value at virtual time {@code nanos}. */
    public long at(long nanos) {
        return Ticks.fromNanos(nanos, hz) + offset;
    }

    /** WRMSR IA32_TSC: the counter reads {@code value} now and counts on from there. */
    public void write(long value) {
        offset = value - Ticks.fromNanos(clock.nanos(), hz);
    }

    /** The first virtual time at which the counter reads at least {@code tsc}. */
    public long nanosAt(long tsc) {
        return Ticks.toNanos(tsc - offset, hz);
    }

    /** For snapshots: the value added to the clock-derived count. */
    public long offset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }
}
