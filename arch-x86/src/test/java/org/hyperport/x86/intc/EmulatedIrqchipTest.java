package org.hyperport.x86.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.common.bus.Bus;
import org.hyperport.x86.timer.CmosRtc;
import org.hyperport.x86.timer.I8254;
import org.hyperport.x86.timer.ManualClock;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;
import org.junit.jupiter.api.Test;

class EmulatedIrqchipTest {

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final Tsc tsc = new Tsc(clock, 1_000_000_000L);
    private final EmulatedIrqchip chip = new EmulatedIrqchip(2, timers, tsc);
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");

    EmulatedIrqchipTest() {
        chip.registerDevices(pio, mmio);
    }

    private void outb(int value, int port) {
        pio.write(port, 1, value);
    }

    private void linuxPicInit() {
        outb(0x11, 0x20);
        outb(0x30, 0x21);
        outb(0x04, 0x21);
        outb(0x01, 0x21);
        outb(0x11, 0xa0);
        outb(0x38, 0xa1);
        outb(0x02, 0xa1);
        outb(0x01, 0xa1);
        outb(0x00, 0x21);
        outb(0x00, 0xa1);
    }

    /** Masks both 8259s and enables the APICs, as Linux does once it switches to the I/O APIC. */
    private void apicMode() {
        linuxPicInit();
        outb(0xff, 0x21);
        outb(0xff, 0xa1);
        chip.lapic(0).write(LocalApic.SVR, 4, 0x1ff);
        chip.lapic(1).write(LocalApic.SVR, 4, 0x1ff);
    }

    private void route(int pin, long entry) {
        mmio.write(IoApic.BASE, 4, 0x11 + 2 * pin);
        mmio.write(IoApic.BASE + 0x10, 4, entry >>> 32);
        mmio.write(IoApic.BASE, 4, 0x10 + 2 * pin);
        mmio.write(IoApic.BASE + 0x10, 4, entry & 0xffffffffL);
    }

    @Test
    void pitTickReachesTheBspThroughThe8259() {
        linuxPicInit();
        I8254 pit = new I8254(timers, chip.line(0));
        pit.write(3, 1, 0x34);
        pit.write(0, 1, 1193 & 0xff);
        pit.write(0, 1, 1193 >> 8);

        clock.advance(900_000, timers);
        int beforeTick = chip.events(0);
        clock.advance(100_000, timers);

        assertEquals(0, beforeTick);
        assertEquals(0x30, chip.acknowledge(0));
    }

    @Test
    void rtcPeriodicInterruptReachesTheBspAsIrq8() {
        linuxPicInit();
        CmosRtc rtc = new CmosRtc(timers, chip.line(CmosRtc.IRQ), LocalDateTime.of(2024, 1, 1, 0, 0));
        rtc.write(0, 1, 0x0b);
        rtc.write(1, 1, 0x42);

        clock.advance(1_000_000, timers);

        assertEquals(0x38, chip.acknowledge(0));
    }

    @Test
    void pitTickReachesTheApicThroughIoapicPin2() {
        apicMode();
        route(2, 0xef);
        I8254 pit = new I8254(timers, chip.line(0));
        pit.write(3, 1, 0x34);
        pit.write(0, 1, 1000 & 0xff);
        pit.write(0, 1, 1000 >> 8);

        clock.advance(1_000_000, timers);

        assertEquals(0xef, chip.acknowledge(0));
    }

    @Test
    void describesItselfWith24Gsis() {
        assertEquals(24, chip.lines());
        assertEquals(2, chip.vcpus());
        assertThrows(IllegalArgumentException.class, () -> chip.line(24));
    }

    @Test
    void picInterruptReachesTheBspThroughLint0VirtualWire() {
        linuxPicInit();

        chip.line(4).set(true);
        int bspEvents = chip.events(0);
        int apEvents = chip.events(1);
        int vector = chip.acknowledge(0);

        assertEquals(X86InterruptSource.INTR, bspEvents);
        assertEquals(0, apEvents);
        assertEquals(0x34, vector);
        assertEquals(0, chip.events(0));
    }

    @Test
    void interruptsEnabledGatesOnlyMaskableInterrupts() {
        linuxPicInit();

        chip.line(1).pulse();

        assertFalse(chip.pending(0, false));
        assertTrue(chip.pending(0, true));
    }

    @Test
    void gsi0GoesToIoapicPin2() {
        apicMode();
        route(2, 0x30);

        chip.line(0).pulse();

        assertEquals(0x30, chip.lapic(0).pendingVector());
        assertEquals(X86InterruptSource.INTR, chip.events(0));
    }

    @Test
    void gsi2IsNotConnected() {
        apicMode();
        route(2, 0x30);

        chip.line(2).set(true);

        assertEquals(-1, chip.lapic(0).pendingVector());
    }

    @Test
    void identityRoutingPutsGsi0OnPin0AndGsi2OnPin2() {
        EmulatedIrqchip identity = new EmulatedIrqchip(1, timers, tsc, EmulatedIrqchip.Routing.IDENTITY);
        Bus mmio2 = new Bus("mmio");
        identity.registerDevices(new Bus("pio"), mmio2);
        identity.lapic(0).write(LocalApic.SVR, 4, 0x1ff);
        identity.lapic(0).write(LocalApic.LVT_LINT0, 4, 0x10700);
        mmio2.write(IoApic.BASE, 4, 0x10);
        mmio2.write(IoApic.BASE + 0x10, 4, 0x30);
        mmio2.write(IoApic.BASE, 4, 0x14);
        mmio2.write(IoApic.BASE + 0x10, 4, 0x42);

        identity.line(0).pulse();
        int pit = identity.acknowledge(0);
        identity.line(2).pulse();
        int gsi2 = identity.acknowledge(0);

        assertEquals(0x30, pit);
        assertEquals(0x42, gsi2);
    }

    @Test
    void gsi16ReachesOnlyTheIoapic() {
        linuxPicInit();
        chip.lapic(1).write(LocalApic.SVR, 4, 0x1ff);
        route(16, 1L << 56 | 0x61);

        chip.line(16).pulse();

        assertEquals(0, chip.events(0));
        assertEquals(0x61, chip.acknowledge(1));
    }

    @Test
    void maskedIoapicPinDeliversNothing() {
        apicMode();
        route(5, 0x10045);

        chip.line(5).pulse();

        assertEquals(0, chip.events(0));
    }

    @Test
    void levelTriggeredInterruptIsRedeliveredAfterTheLapicEoiWhileAsserted() {
        apicMode();
        route(10, 0x8050);
        chip.line(10).set(true);

        int first = chip.acknowledge(0);
        int tmr = (int) chip.lapic(0).read(LocalApic.TMR + 0x20, 4);
        chip.lapic(0).write(LocalApic.EOI, 4, 0);
        int second = chip.acknowledge(0);
        chip.line(10).set(false);
        chip.lapic(0).write(LocalApic.EOI, 4, 0);

        assertEquals(0x50, first);
        assertEquals(1 << 16, tmr);
        assertEquals(0x50, second);
        assertEquals(0, chip.events(0));
        assertEquals(0, chip.ioapic().redirection(10) & IoApic.REMOTE_IRR);
    }

    @Test
    void ioapicExtIntOnPin0RunsThePicInta() {
        apicMode();
        chip.lapic(0).write(LocalApic.LVT_LINT0, 4, 0x10700);
        outb(0xfe, 0x21);
        route(0, 0x700);

        chip.line(0).pulse();
        int events = chip.events(0);
        int vector = chip.acknowledge(0);

        assertEquals(X86InterruptSource.INTR, events);
        assertEquals(0x30, vector);
    }

    @Test
    void hardwareDisabledApicPassesThePicStraightThrough() {
        linuxPicInit();
        chip.lapic(0).write(LocalApic.LVT_LINT0, 4, 0x10700);
        chip.lapic(0).writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00100L);

        chip.line(3).pulse();

        assertEquals(X86InterruptSource.INTR, chip.events(0));
        assertEquals(0x33, chip.acknowledge(0));
        assertFalse(chip.lapic(0).claims(0xfee00000L));
    }

    @Test
    void kickTellsWhichVcpuGotAnEvent() {
        List<Integer> kicked = new ArrayList<>();
        chip.setKick(kicked::add);
        apicMode();
        route(7, 1L << 56 | 0x47);

        chip.line(7).pulse();
        chip.line(7).pulse();

        assertEquals(List.of(1), kicked);
    }

    @Test
    void stateRoundTripRestoresEveryController() {
        apicMode();
        route(10, 0x8050);
        route(4, 1L << 56 | 0x44);
        chip.line(10).set(true);
        chip.acknowledge(0);
        chip.line(4).pulse();
        chip.lapic(1).write(LocalApic.TPR, 4, 0x20);
        chip.lapic(0).write(LocalApic.LVT_TIMER, 4, 0x20031);
        chip.lapic(0).write(LocalApic.TIMER_DIVIDE, 4, 0xb);
        chip.lapic(0).write(LocalApic.TIMER_INITIAL, 4, 1000);
        outb(0x08, 0x4d1);
        clock.advance(300, timers);
        IrqchipState saved = chip.state();
        EmulatedIrqchip other = new EmulatedIrqchip(2, timers, tsc);

        other.restore(saved);

        assertEquals(saved, other.state());
        assertEquals(0x44, other.acknowledge(1));
        assertEquals(700, other.lapic(0).read(LocalApic.TIMER_CURRENT, 4));
    }

    @Test
    void restoredTimerFiresOnSchedule() {
        apicMode();
        chip.lapic(0).write(LocalApic.LVT_TIMER, 4, 0x31);
        chip.lapic(0).write(LocalApic.TIMER_DIVIDE, 4, 0xb);
        chip.lapic(0).write(LocalApic.TIMER_INITIAL, 4, 1000);
        clock.advance(400, timers);
        IrqchipState saved = chip.state();
        EmulatedIrqchip other = new EmulatedIrqchip(2, timers, tsc);
        other.restore(saved);

        clock.advance(599, timers);
        int early = other.lapic(0).pendingVector();
        clock.advance(1, timers);

        assertEquals(-1, early);
        assertEquals(0x31, other.lapic(0).pendingVector());
    }

    @Test
    void restoreRejectsADifferentVcpuCount() {
        IrqchipState saved = chip.state();
        EmulatedIrqchip bigger = new EmulatedIrqchip(3, timers, tsc);

        assertThrows(IllegalArgumentException.class, () -> bigger.restore(saved));
    }
}
