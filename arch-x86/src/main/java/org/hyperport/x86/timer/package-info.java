/**
 * x86 time: the {@link org.hyperport.x86.timer.VirtualClock} every timer counts from, the
 * {@link org.hyperport.x86.timer.TimerQueue} of device deadlines an engine polls, the TSC, and the PC's timer devices,
 * the 8254 PIT with port 0x61 and the MC146818 CMOS RTC. Engines: the interpreter (under KVM the kernel has its own).
 *
 * <p>Wiring, one set per machine:
 * <pre>{@code
 * VirtualClock clock = new HostClock();
 * TimerQueue timers = new TimerQueue(clock);
 * Tsc tsc = new Tsc(clock, 2_000_000_000L);
 * EmulatedIrqchip irqchip = new EmulatedIrqchip(smp, timers, tsc);              // org.hyperport.x86.intc
 * I8254 pit = new I8254(timers, irqchip.line(0));
 * pio.register("pit", I8254.BASE, I8254.SIZE, pit);
 * pio.register("port61", Port61.PORT, 1, new Port61(pit));
 * CmosRtc rtc = new CmosRtc(timers, irqchip.line(CmosRtc.IRQ), LocalDateTime.now(ZoneOffset.UTC));
 * rtc.setMemorySize(lowRamBytes, highRamBytes);
 * pio.register("rtc", CmosRtc.BASE, CmosRtc.SIZE, rtc);
 * }</pre>
 * and in each vCPU loop, between instruction blocks: {@code if (clock.nanos() >= timers.nextDeadline())
 * timers.runExpired(clock.nanos());}. Tests use {@link org.hyperport.x86.timer.ManualClock} and
 * {@link org.hyperport.x86.timer.ManualClock#advance(long, TimerQueue)}, which makes every timer fire at an exact time.
 */
package org.hyperport.x86.timer;
