package org.hyperport.x86.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.common.bus.Bus;
import org.junit.jupiter.api.Test;

class I8259Test {

    private final I8259 pic = new I8259();
    private final Bus pio = new Bus("pio");
    private final List<Boolean> intr = new ArrayList<>();

    I8259Test() {
        pio.register("master", I8259.MASTER_BASE, I8259.WINDOW_SIZE, pic.masterPorts());
        pio.register("slave", I8259.SLAVE_BASE, I8259.WINDOW_SIZE, pic.slavePorts());
        pio.register("elcr", I8259.ELCR_BASE, I8259.WINDOW_SIZE, pic.elcrPorts());
        pic.setOutput(intr::add);
    }

    private void outb(int value, int port) {
        pio.write(port, 1, value);
    }

    private int inb(int port) {
        return (int) pio.read(port, 1);
    }

    /** {@code init_8259A(0)} of arch/x86/kernel/i8259.c, then every IRQ unmasked. */
    private void linuxInit() {
        outb(0xff, 0x21);
        outb(0xff, 0xa1);
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

    private int masterIsr() {
        outb(0x0b, 0x20);
        int isr = inb(0x20);
        outb(0x0a, 0x20);
        return isr;
    }

    private int slaveIsr() {
        outb(0x0b, 0xa0);
        int isr = inb(0xa0);
        outb(0x0a, 0xa0);
        return isr;
    }

    private void pulse(int irq) {
        pic.setIrq(irq, true);
        pic.setIrq(irq, false);
    }

    @Test
    void linuxProbeReadsTheMaskBack() {
        outb(0xff, 0xa1);
        outb(0xa5, 0x21);

        assertEquals(0xa5, inb(0x21));
        assertEquals(0xff, inb(0xa1));
    }

    @Test
    void linuxInitSequenceSetsTheVectorBases() {
        linuxInit();

        pulse(1);
        int keyboard = pic.acknowledge();
        outb(0x20, 0x20);
        pulse(12);
        int mouse = pic.acknowledge();

        assertEquals(0x31, keyboard);
        assertEquals(0x3c, mouse);
    }

    @Test
    void intOutputFollowsRequestsAndAcknowledge() {
        linuxInit();

        pulse(4);
        boolean raised = pic.hasInterrupt();
        pic.acknowledge();

        assertTrue(raised);
        assertFalse(pic.hasInterrupt());
        assertEquals(List.of(true, false), intr);
    }

    @Test
    void higherPriorityNestsAndLowerWaitsForEoi() {
        linuxInit();
        pulse(3);
        pic.acknowledge();

        pulse(1);
        boolean higherDelivered = pic.hasInterrupt();
        int nested = pic.acknowledge();
        pulse(5);
        boolean lowerWhileNested = pic.hasInterrupt();
        outb(0x20, 0x20);
        boolean lowerAfterFirstEoi = pic.hasInterrupt();
        outb(0x20, 0x20);

        assertTrue(higherDelivered);
        assertEquals(0x31, nested);
        assertFalse(lowerWhileNested);
        assertFalse(lowerAfterFirstEoi);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x35, pic.acknowledge());
    }

    @Test
    void slaveInterruptSetsBothIsrsAndLinuxSpecificEoisClearThem() {
        linuxInit();
        pulse(8);

        int vector = pic.acknowledge();
        int master = masterIsr();
        int slave = slaveIsr();
        outb(0x60, 0xa0);
        outb(0x62, 0x20);

        assertEquals(0x38, vector);
        assertEquals(0x04, master);
        assertEquals(0x01, slave);
        assertEquals(0, masterIsr());
        assertEquals(0, slaveIsr());
    }

    @Test
    void levelTriggeredRequestIsRaisedAgainAfterEoiWhileTheLineIsHigh() {
        linuxInit();
        outb(0x04, 0x4d1);
        pic.setIrq(10, true);

        int vector = pic.acknowledge();
        boolean duringService = pic.hasInterrupt();
        outb(0x62, 0xa0);
        outb(0x62, 0x20);
        boolean afterEoi = pic.hasInterrupt();
        int again = pic.acknowledge();

        assertEquals(0x3a, vector);
        assertFalse(duringService);
        assertTrue(afterEoi);
        assertEquals(0x3a, again);
    }

    @Test
    void elcrKeepsTheHardWiredEdgeBits() {
        outb(0xff, 0x4d0);
        outb(0xff, 0x4d1);

        assertEquals(0xf8, inb(0x4d0));
        assertEquals(0xde, inb(0x4d1));
    }

    @Test
    void edgeRequestLatchesInIrrAfterAPulse() {
        linuxInit();
        outb(0xff, 0x21);

        pulse(4);
        outb(0x0a, 0x20);

        assertEquals(0x10, inb(0x20));
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void vanishedLevelRequestGivesSpuriousIrq7WithoutIsr() {
        linuxInit();
        outb(0x20, 0x4d0);
        pic.setIrq(5, true);
        pic.setIrq(5, false);

        int vector = pic.acknowledge();

        assertEquals(0x37, vector);
        assertEquals(0, masterIsr());
    }

    @Test
    void vanishedSlaveRequestGivesSpuriousIrq15WithMasterIsr2Set() {
        linuxInit();
        outb(0x08, 0x4d1);
        pic.setIrq(11, true);
        pic.setIrq(11, false);

        boolean stillRaised = pic.hasInterrupt();
        int vector = pic.acknowledge();

        assertTrue(stillRaised);
        assertEquals(0x3f, vector);
        assertEquals(0x04, masterIsr());
        assertEquals(0, slaveIsr());
    }

    @Test
    void autoEoiLeavesIsrClear() {
        outb(0x11, 0x20);
        outb(0x30, 0x21);
        outb(0x04, 0x21);
        outb(0x03, 0x21);
        outb(0x00, 0x21);
        pulse(1);

        int vector = pic.acknowledge();

        assertEquals(0x31, vector);
        assertEquals(0, masterIsr());
    }

    @Test
    void rotateOnNonSpecificEoiMakesTheServicedIrqLowestPriority() {
        linuxInit();
        pulse(3);
        pic.acknowledge();
        outb(0xa0, 0x20);

        pulse(1);
        pulse(4);
        int first = pic.acknowledge();

        assertEquals(0x34, first);
    }

    @Test
    void setPriorityCommandChoosesTheLowestPriorityIrq() {
        linuxInit();
        outb(0xc5, 0x20);
        pulse(7);
        pulse(6);

        int first = pic.acknowledge();

        assertEquals(0x36, first);
    }

    @Test
    void pollCommandReturnsTheLevelAndAcknowledgesIt() {
        linuxInit();
        pulse(3);

        outb(0x0c, 0x20);
        int poll = inb(0x20);

        assertEquals(0x83, poll);
        assertEquals(0x08, masterIsr());
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void specialMaskModeLetsLowerPrioritiesInWhileTheMaskedLevelIsInService() {
        linuxInit();
        pulse(3);
        pic.acknowledge();

        outb(0x68, 0x20);
        outb(0x08, 0x21);
        pulse(5);

        assertTrue(pic.hasInterrupt());
        assertEquals(0x35, pic.acknowledge());
    }

    @Test
    void maskedRequestWaitsUntilUnmasked() {
        linuxInit();
        outb(0x10, 0x21);
        pulse(4);

        boolean whileMasked = pic.hasInterrupt();
        outb(0x00, 0x21);

        assertFalse(whileMasked);
        assertTrue(pic.hasInterrupt());
    }

    @Test
    void icw1ClearsTheMaskAndIsr() {
        linuxInit();
        outb(0x10, 0x21);
        pulse(3);
        pulse(1);
        pic.acknowledge();

        outb(0x11, 0x20);
        outb(0x30, 0x21);
        outb(0x04, 0x21);
        outb(0x01, 0x21);

        assertEquals(0, inb(0x21));
        assertEquals(0, masterIsr());
        assertFalse(pic.hasInterrupt());
    }
}
