package org.hyperport.x86.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.x86.timer.ManualClock;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;
import org.junit.jupiter.api.Test;

class LocalApicTest {

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final Tsc tsc = new Tsc(clock, 1_000_000_000L);
    private final EmulatedIrqchip chip = new EmulatedIrqchip(3, timers, tsc);
    private final LocalApic bsp = chip.lapic(0);
    private final LocalApic ap = chip.lapic(1);

    LocalApicTest() {
        enable(bsp);
        enable(ap);
        enable(chip.lapic(2));
    }

    private static void enable(LocalApic apic) {
        apic.write(LocalApic.SVR, 4, 0x1ff);
    }

    private static int reg(LocalApic apic, int offset) {
        return (int) apic.read(offset, 4);
    }

    private static void setReg(LocalApic apic, int offset, int value) {
        apic.write(offset, 4, value & 0xffffffffL);
    }

    private static void ipi(LocalApic from, int destination, int low) {
        setReg(from, LocalApic.ICR_HIGH, destination << 24);
        setReg(from, LocalApic.ICR_LOW, low);
    }

    private static void selfIpi(LocalApic apic, int vector) {
        setReg(apic, LocalApic.ICR_LOW, 0x40000 | vector);
    }

    @Test
    void resetValues() {
        EmulatedIrqchip fresh = new EmulatedIrqchip(2, timers, tsc);

        assertEquals(0x00050014, reg(fresh.lapic(0), LocalApic.VERSION));
        assertEquals(0x01000000, reg(fresh.lapic(1), LocalApic.ID));
        assertEquals(0xff, reg(fresh.lapic(0), LocalApic.SVR));
        assertEquals(0xffffffff, reg(fresh.lapic(0), LocalApic.DFR));
        assertEquals(0x700, reg(fresh.lapic(0), LocalApic.LVT_LINT0));
        assertEquals(0x10000, reg(fresh.lapic(1), LocalApic.LVT_LINT0));
        assertEquals(0xfee00900L, fresh.lapic(0).readMsr(LocalApic.MSR_APIC_BASE));
        assertEquals(0xfee00800L, fresh.lapic(1).readMsr(LocalApic.MSR_APIC_BASE));
        assertTrue(fresh.waitingForSipi(1));
        assertFalse(fresh.waitingForSipi(0));
    }

    @Test
    void claimsItsPageOnlyInXapicMode() {
        assertTrue(bsp.claims(0xfee00000L));
        assertTrue(bsp.claims(0xfee00fffL));
        assertFalse(bsp.claims(0xfee01000L));
        assertFalse(bsp.claims(0xfec00000L));
    }

    @Test
    void oneShotTimerCountsDownAndFiresOnce() {
        setReg(bsp, LocalApic.TIMER_DIVIDE, 0x3);
        setReg(bsp, LocalApic.LVT_TIMER, 0x30);
        setReg(bsp, LocalApic.TIMER_INITIAL, 1000);

        clock.advance(8_000, timers);
        int halfway = reg(bsp, LocalApic.TIMER_CURRENT);
        int pendingHalfway = bsp.pendingVector();
        clock.advance(8_000, timers);

        assertEquals(500, halfway);
        assertEquals(-1, pendingHalfway);
        assertEquals(0x30, bsp.pendingVector());
        assertEquals(0, reg(bsp, LocalApic.TIMER_CURRENT));
        assertEquals(TimerQueue.NEVER, timers.nextDeadline());
    }

    @Test
    void periodicTimerReloadsAndFiresEveryPeriod() {
        setReg(bsp, LocalApic.TIMER_DIVIDE, 0xb);
        setReg(bsp, LocalApic.LVT_TIMER, 0x20030);
        setReg(bsp, LocalApic.TIMER_INITIAL, 100);

        clock.advance(100, timers);
        int first = chip.acknowledge(0);
        setReg(bsp, LocalApic.EOI, 0);
        clock.advance(50, timers);
        int midPeriod = reg(bsp, LocalApic.TIMER_CURRENT);
        int pendingMidPeriod = bsp.pendingVector();
        clock.advance(50, timers);

        assertEquals(0x30, first);
        assertEquals(50, midPeriod);
        assertEquals(-1, pendingMidPeriod);
        assertEquals(0x30, bsp.pendingVector());
        assertEquals(300, timers.nextDeadline());
    }

    @Test
    void divideConfigurationScalesTheTick() {
        setReg(bsp, LocalApic.TIMER_DIVIDE, 0xa);
        setReg(bsp, LocalApic.LVT_TIMER, 0x30);
        setReg(bsp, LocalApic.TIMER_INITIAL, 10);

        clock.advance(128 * 4, timers);

        assertEquals(6, reg(bsp, LocalApic.TIMER_CURRENT));
        assertEquals(128 * 10, timers.nextDeadline());
    }

    @Test
    void maskedTimerCountsButDoesNotInterrupt() {
        setReg(bsp, LocalApic.TIMER_DIVIDE, 0xb);
        setReg(bsp, LocalApic.LVT_TIMER, 0x10030);
        setReg(bsp, LocalApic.TIMER_INITIAL, 100);

        clock.advance(60, timers);
        int count = reg(bsp, LocalApic.TIMER_CURRENT);
        clock.advance(100, timers);

        assertEquals(40, count);
        assertEquals(-1, bsp.pendingVector());
    }

    @Test
    void tscDeadlineTimerFiresAtTheDeadlineAndClearsTheMsr() {
        setReg(bsp, LocalApic.LVT_TIMER, 0x40030);
        bsp.writeMsr(LocalApic.MSR_TSC_DEADLINE, tsc.read() + 5_000);

        clock.advance(4_999, timers);
        int early = bsp.pendingVector();
        long armed = bsp.readMsr(LocalApic.MSR_TSC_DEADLINE);
        clock.advance(1, timers);

        assertEquals(-1, early);
        assertEquals(5_000, armed);
        assertEquals(0x30, bsp.pendingVector());
        assertEquals(0, bsp.readMsr(LocalApic.MSR_TSC_DEADLINE));
    }

    @Test
    void tscDeadlineInThePastFiresAtOnceAndInitialCountIsIgnored() {
        clock.advance(10_000);
        setReg(bsp, LocalApic.LVT_TIMER, 0x40031);
        setReg(bsp, LocalApic.TIMER_INITIAL, 5);

        bsp.writeMsr(LocalApic.MSR_TSC_DEADLINE, 1);

        assertEquals(0x31, bsp.pendingVector());
        assertEquals(0, reg(bsp, LocalApic.TIMER_INITIAL));
        assertEquals(0, reg(bsp, LocalApic.TIMER_CURRENT));
    }

    @Test
    void changingTheTimerModeDisarmsIt() {
        setReg(bsp, LocalApic.LVT_TIMER, 0x30);
        setReg(bsp, LocalApic.TIMER_INITIAL, 1000);

        setReg(bsp, LocalApic.LVT_TIMER, 0x20030);
        clock.advance(100_000, timers);

        assertEquals(0, reg(bsp, LocalApic.TIMER_INITIAL));
        assertEquals(-1, bsp.pendingVector());
    }

    @Test
    void tprMasksVectorsOfItsClassAndBelow() {
        bsp.setCr8(5);
        selfIpi(bsp, 0x45);
        selfIpi(bsp, 0x5f);

        int masked = bsp.pendingVector();
        bsp.setCr8(4);
        int sameClassAsTpr = bsp.pendingVector();
        setReg(bsp, LocalApic.TPR, 0);

        assertEquals(-1, masked);
        assertEquals(0x5f, sameClassAsTpr);
        assertEquals(0x5f, bsp.pendingVector());
        assertEquals(0, bsp.events() & X86InterruptSource.NMI);
    }

    @Test
    void inServiceVectorRaisesPprAndBlocksItsClass() {
        selfIpi(bsp, 0x61);
        int vector = chip.acknowledge(0);

        selfIpi(bsp, 0x62);
        int sameClass = bsp.pendingVector();
        selfIpi(bsp, 0x71);

        assertEquals(0x61, vector);
        assertEquals(0x60, reg(bsp, LocalApic.PPR));
        assertEquals(-1, sameClass);
        assertEquals(0x71, bsp.pendingVector());
    }

    @Test
    void eoiClearsTheHighestInServiceVectorFirst() {
        selfIpi(bsp, 0x40);
        chip.acknowledge(0);
        selfIpi(bsp, 0x80);
        chip.acknowledge(0);

        setReg(bsp, LocalApic.EOI, 0);

        assertEquals(0, reg(bsp, LocalApic.ISR + 0x40));
        assertEquals(1, reg(bsp, LocalApic.ISR + 0x20));
        assertEquals(0x40, reg(bsp, LocalApic.PPR));
    }

    @Test
    void acknowledgeWithNothingDeliverableReturnsTheSpuriousVector() {
        setReg(bsp, LocalApic.LVT_LINT0, 0x10700);

        int vector = chip.acknowledge(0);

        assertEquals(0xff, vector);
        assertEquals(0, reg(bsp, LocalApic.ISR + 0x70));
    }

    @Test
    void fixedIpiReachesTheDestinationApicOnly() {
        ipi(bsp, 1, 0xf1);

        assertEquals(X86InterruptSource.INTR, chip.events(1));
        assertEquals(0, chip.events(2));
        assertEquals(0xf1, chip.acknowledge(1));
    }

    @Test
    void logicalFlatDestinationMatchesTheLdrBits() {
        setReg(ap, LocalApic.LDR, 0x02000000);
        setReg(chip.lapic(2), LocalApic.LDR, 0x04000000);

        ipi(bsp, 0x06, 0x800 | 0xe1);

        assertEquals(0xe1, ap.pendingVector());
        assertEquals(0xe1, chip.lapic(2).pendingVector());
        assertEquals(-1, bsp.pendingVector());
    }

    @Test
    void logicalClusterDestinationMatchesClusterAndBits() {
        setReg(ap, LocalApic.DFR, 0x0fffffff);
        setReg(ap, LocalApic.LDR, 0x21000000);
        setReg(chip.lapic(2), LocalApic.DFR, 0x0fffffff);
        setReg(chip.lapic(2), LocalApic.LDR, 0x11000000);

        ipi(bsp, 0x21, 0x800 | 0xe2);

        assertEquals(0xe2, ap.pendingVector());
        assertEquals(-1, chip.lapic(2).pendingVector());
    }

    @Test
    void allExcludingSelfShorthand() {
        setReg(bsp, LocalApic.ICR_LOW, 0xc0000 | 0xd0);

        assertEquals(-1, bsp.pendingVector());
        assertEquals(0xd0, ap.pendingVector());
        assertEquals(0xd0, chip.lapic(2).pendingVector());
    }

    @Test
    void lowestPriorityGoesToTheApicWithTheLowestPpr() {
        setReg(bsp, LocalApic.TPR, 0x30);
        setReg(ap, LocalApic.TPR, 0x40);
        setReg(chip.lapic(2), LocalApic.TPR, 0x20);

        ipi(bsp, 0xff, 0x100 | 0xc1);

        assertEquals(-1, ap.pendingVector());
        assertEquals(-1, bsp.pendingVector());
        assertEquals(0xc1, chip.lapic(2).pendingVector());
    }

    @Test
    void nmiIpiIsAnEventTakenOnce() {
        ipi(bsp, 1, 0x400);

        int events = chip.events(1);
        boolean taken = chip.takeNmi(1);
        boolean takenAgain = chip.takeNmi(1);

        assertEquals(X86InterruptSource.NMI, events);
        assertTrue(taken);
        assertFalse(takenAgain);
        assertFalse(chip.pending(1, false));
    }

    @Test
    void initSipiSipiStartsAnApplicationProcessor() {
        ipi(bsp, 1, 0xc500);
        ipi(bsp, 1, 0x8500);
        int afterInit = chip.events(1);
        boolean init = chip.takeInit(1);
        ipi(bsp, 1, 0x4608);
        int afterSipi = chip.events(1);
        int vector = chip.takeSipi(1);
        ipi(bsp, 1, 0x4608);

        assertEquals(X86InterruptSource.INIT, afterInit);
        assertTrue(init);
        assertEquals(X86InterruptSource.SIPI, afterSipi);
        assertEquals(8, vector);
        assertFalse(chip.waitingForSipi(1));
        assertEquals(0, chip.events(1));
        assertEquals(-1, chip.takeSipi(1));
    }

    @Test
    void initResetsTheApicButKeepsItsId() {
        setReg(ap, LocalApic.TPR, 0x30);
        selfIpi(ap, 0x90);

        ipi(bsp, 1, 0x4500);
        chip.takeInit(1);

        assertEquals(0x01000000, reg(ap, LocalApic.ID));
        assertEquals(0, reg(ap, LocalApic.TPR));
        assertEquals(0xff, reg(ap, LocalApic.SVR));
        assertEquals(-1, ap.pendingVector());
        assertTrue(chip.waitingForSipi(1));
    }

    @Test
    void illegalVectorIsLatchedInEsrByTheNextWrite() {
        ipi(bsp, 1, 0x05);

        int beforeLatch = reg(bsp, LocalApic.ESR);
        setReg(bsp, LocalApic.ESR, 0);
        int afterLatch = reg(bsp, LocalApic.ESR);
        setReg(bsp, LocalApic.ESR, 0);

        assertEquals(0, beforeLatch);
        assertEquals(LocalApic.ESR_SEND_ILLEGAL_VECTOR, afterLatch);
        assertEquals(0, reg(bsp, LocalApic.ESR));
        assertEquals(-1, ap.pendingVector());
    }

    @Test
    void errorInterruptUsesTheLvtErrorVector() {
        setReg(bsp, LocalApic.LVT_ERROR, 0xfe);

        ipi(bsp, 1, 0x05);

        assertEquals(0xfe, bsp.pendingVector());
    }

    @Test
    void softwareDisabledApicRefusesFixedInterruptsAndMasksLvts() {
        setReg(ap, LocalApic.LVT_TIMER, 0x30);
        setReg(ap, LocalApic.SVR, 0xff);

        ipi(bsp, 1, 0xf1);
        setReg(ap, LocalApic.LVT_LINT1, 0x400);

        assertEquals(-1, ap.pendingVector());
        assertEquals(0x10030, reg(ap, LocalApic.LVT_TIMER));
        assertEquals(0x10400, reg(ap, LocalApic.LVT_LINT1));
    }

    @Test
    void lint1InNmiModeRaisesAnNmi() {
        setReg(bsp, LocalApic.LVT_LINT1, 0x400);

        bsp.setLint1(true);

        assertEquals(X86InterruptSource.NMI, chip.events(0));
    }

    @Test
    void x2apicModeMovesRegistersToMsrs() {
        boolean switched = ap.writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00000L | 0xc00);

        assertTrue(switched);
        assertFalse(ap.claims(0xfee00000L));
        assertEquals(1, ap.readMsr(0x802));
        assertEquals(0x00000002, ap.readMsr(0x80d));
        assertTrue(ap.msrReadable(0x808));
        assertFalse(ap.msrReadable(0x80e));
        assertFalse(bsp.msrReadable(0x802));
    }

    @Test
    void x2apicIcrIsOneMsrWithA32BitDestination() {
        ap.writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00000L | 0xc00);

        boolean sent = ap.writeMsr(0x830, 0xb1);
        boolean selfSent = ap.writeMsr(0x83f, 0xb2);

        assertTrue(sent);
        assertTrue(selfSent);
        assertEquals(0xb1, bsp.pendingVector());
        assertEquals(0xb2, ap.pendingVector());
    }

    @Test
    void x2apicRejectsReservedWrites() {
        ap.writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00000L | 0xc00);

        assertFalse(ap.writeMsr(0x80b, 1));
        assertTrue(ap.writeMsr(0x80b, 0));
        assertFalse(ap.writeMsr(0x802, 7));
        assertFalse(ap.writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00000L | 0x800));
    }

    @Test
    void apicBaseRejectsX2apicWithoutEnable() {
        assertFalse(ap.writeMsr(LocalApic.MSR_APIC_BASE, 0xfee00000L | 0x400));
        assertEquals(0xfee00800L, ap.readMsr(LocalApic.MSR_APIC_BASE));
    }
}
