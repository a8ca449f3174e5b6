package org.hyperport.x86.timer;

/**
 * The time base the x86 timer devices (PIT, RTC, local APIC timer, TSC) count from: monotonic nanoseconds since an
 * arbitrary origin. The interpreter engine uses {@link HostClock}; tests use {@link ManualClock} so that every timer
 * fires at an exact, repeatable moment. Devices never read host time themselves.
 */
@FunctionalInterface
public interface VirtualClock {

    /** Nanoseconds since this clock's origin; never decreases. */
    long nanos();
}
