package org.hyperport.common.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.IrqLine;
import org.hyperport.common.console.CapturingConsole;
import org.junit.jupiter.api.Test;

class Uart16550Test {

    private static final int THR = 0;
    private static final int RBR = 0;
    private static final int DLL = 0;
    private static final int IER = 1;
    private static final int DLM = 1;
    private static final int IIR = 2;
    private static final int FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;
    private static final int SCR = 7;

    private static final int OUT2 = 0x08;

    /** An IRQ line that remembers every level it was driven to. */
    private static final class RecordingIrq implements IrqLine {
        final List<Boolean> levels = new ArrayList<>();

        @Override
        public synchronized void set(boolean asserted) {
            levels.add(asserted);
        }

        synchronized boolean asserted() {
            return !levels.isEmpty() && levels.getLast();
        }
    }

    private final CapturingConsole console = new CapturingConsole();
    private final RecordingIrq irq = new RecordingIrq();
    private final Uart16550 uart = new Uart16550(console, irq);

    private int in(int offset) {
        return (int) uart.read(offset, 1);
    }

    private void out(int offset, int value) {
        uart.write(offset, 1, value);
    }

    // ---- reset values and probe sequences -------------------------------------------------------------------

    @Test
    void resetValuesMatchTheDatasheet() {
        int[] values = {in(IER), in(IIR), in(LCR), in(MCR), in(LSR), in(MSR)};

        assertArrayEquals(new int[] {0x00, 0x01, 0x00, 0x00, 0x60, 0xB0}, values);
    }

    @Test
    void scratchRegisterKeepsWhatIsWritten() {
        out(SCR, 0x55);
        int first = in(SCR);
        out(SCR, 0xAA);
        int second = in(SCR);

        assertEquals(0x55, first);
        assertEquals(0xAA, second);
    }

    @Test
    void ierKeepsOnlyTheFourDefinedBitsAsLinuxAutoconfigExpects() {
        out(IER, 0x00);
        int cleared = in(IER) & 0x0F;
        out(IER, 0x0F);
        int set = in(IER) & 0x0F;
        out(IER, 0xFF);
        int upperNibble = in(IER) & 0xF0;

        assertEquals(0x00, cleared);
        assertEquals(0x0F, set);
        assertEquals(0x00, upperNibble);
    }

    @Test
    void loopbackProbeReadsCtsAndDcdFromRtsAndOut2() {
        out(MCR, 0x10 | 0x0A);

        int status = in(MSR) & 0xF0;

        assertEquals(0x90, status);
    }

    @Test
    void enablingFifosSetsIirBitsSixAndSeven() {
        out(FCR, 0x01);

        int iir = in(IIR);

        assertEquals(0xC1, iir);
        assertEquals(3, iir >> 6);
    }

    @Test
    void sixtyFourByteFifoRequestIsIgnoredSoLinuxSeesA16550A() {
        out(LCR, 0x80);
        out(FCR, 0x21);

        int iir = in(IIR);

        assertEquals(0x00, iir & 0x20);
        assertEquals(0xC0, iir & 0xC0);
    }

    @Test
    void efrProbeUnderLinuxConfigModeReadsIirSoNoEnhancedUartIsDetected() {
        out(LCR, 0xBF);

        int efr = in(IIR);

        assertEquals(0x01, efr);
    }

    @Test
    void disablingFifosClearsIirFifoBits() {
        out(FCR, 0x01);
        out(FCR, 0x00);

        assertEquals(0x01, in(IIR));
    }

    @Test
    void divisorLatchIsBehindDlab() {
        out(LCR, 0x83);
        out(DLL, 0x01);
        out(DLM, 0x02);
        int dll = in(DLL);
        int dlm = in(DLM);
        out(LCR, 0x03);
        int ier = in(IER);

        assertEquals(0x01, dll);
        assertEquals(0x02, dlm);
        assertEquals(0x00, ier);
        assertEquals(0, console.output().length);
    }

    @Test
    void wideAccessIsAByteAccessAtItsOffset() {
        uart.write(SCR, 4, 0x12345678L);

        long value = uart.read(SCR, 4);

        assertEquals(0x78L, value);
    }

    @Test
    void offsetsOutsideTheWindowReadAllOnes() {
        assertEquals(0xFFL, uart.read(8, 1));
    }

    // ---- data path -------------------------------------------------------------------------------------------

    @Test
    void thrWritesReachTheConsole() {
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            out(THR, b);
        }

        assertEquals("hi\n", console.outputText());
        assertEquals(0x60, in(LSR) & 0x60);
    }

    @Test
    void consoleInputIsReadThroughRbrAndSetsDataReady() {
        console.feed("ab");

        int lsrBefore = in(LSR);
        int first = in(RBR);
        int second = in(RBR);
        int lsrAfter = in(LSR);

        assertEquals(0x61, lsrBefore);
        assertEquals('a', first);
        assertEquals('b', second);
        assertEquals(0x60, lsrAfter);
    }

    @Test
    void without16550FifoOnlyOneByteIsHeldAndTheRestWaitsInTheConsole() {
        console.feed("xyz");

        int held = console.pendingInput();
        int first = in(RBR);
        int afterOneRead = console.pendingInput();

        assertEquals(2, held);
        assertEquals('x', first);
        assertEquals(1, afterOneRead);
    }

    @Test
    void fifoHoldsSixteenBytes() {
        out(FCR, 0x01);
        console.feed("0123456789abcdefXY");

        assertEquals(2, console.pendingInput());
    }

    @Test
    void fifoClearDiscardsReceivedBytes() {
        out(FCR, 0x01);
        console.feed("abc");
        out(FCR, 0x03);

        assertEquals(0x60, in(LSR));
    }

    @Test
    void loopbackSendsTransmittedBytesToTheReceiverNotTheConsole() {
        out(MCR, 0x10);
        out(THR, 'Q');

        int lsr = in(LSR);
        int received = in(RBR);

        assertEquals(0x61, lsr);
        assertEquals('Q', received);
        assertEquals(0, console.output().length);
    }

    @Test
    void loopbackOverrunSetsOeAndReadingLsrClearsIt() {
        out(FCR, 0x01);
        out(MCR, 0x10);
        for (int i = 0; i < Uart16550.FIFO_SIZE + 1; i++) {
            out(THR, 'a' + i);
        }

        int first = in(LSR);
        int second = in(LSR);

        assertEquals(0x63, first);
        assertEquals(0x61, second);
    }

    @Test
    void consoleInputWaitsWhileInLoopback() {
        out(MCR, 0x10);
        console.feed("k");
        int lsrInLoopback = in(LSR);
        out(MCR, 0x00);

        int lsrAfter = in(LSR);

        assertEquals(0x60, lsrInLoopback);
        assertEquals(0x61, lsrAfter);
    }

    // ---- interrupts ------------------------------------------------------------------------------------------

    @Test
    void thrEmptyInterruptIsRaisedWhenEnabledAndClearedByReadingIir() {
        out(MCR, OUT2);
        out(IER, 0x02);
        boolean raised = irq.asserted();

        int iir = in(IIR);

        assertTrue(raised);
        assertEquals(0x02, iir);
        assertFalse(irq.asserted());
        assertEquals(0x01, in(IIR));
    }

    @Test
    void thrEmptyInterruptReturnsAfterTheNextTransmit() {
        out(MCR, OUT2);
        out(IER, 0x02);
        in(IIR);

        out(THR, 'x');

        assertTrue(irq.asserted());
        assertEquals(0x02, in(IIR));
    }

    @Test
    void reenablingEtbeiRaisesThrEmptyAgainAsLinuxStartupTestsExpect() {
        out(IER, 0x02);
        int first = in(IIR);
        out(IER, 0x00);
        out(IER, 0x02);

        int second = in(IIR);

        assertEquals(0x02, first);
        assertEquals(0x02, second);
    }

    @Test
    void receivedDataInterruptIsRaisedByConsoleInputAndClearedByReadingRbr() {
        out(MCR, OUT2);
        out(IER, 0x01);
        console.feed("z");
        boolean raised = irq.asserted();
        int iir = in(IIR);

        in(RBR);

        assertTrue(raised);
        assertEquals(0x04, iir);
        assertFalse(irq.asserted());
    }

    @Test
    void fifoBelowTriggerLevelReportsCharacterTimeout() {
        out(MCR, OUT2);
        out(FCR, 0x41);
        out(IER, 0x01);
        console.feed("ab");

        int iir = in(IIR);

        assertEquals(0xCC, iir);
        assertTrue(irq.asserted());
    }

    @Test
    void fifoAtTriggerLevelReportsReceivedData() {
        out(MCR, OUT2);
        out(FCR, 0x41);
        out(IER, 0x01);
        console.feed("abcd");

        int iir = in(IIR);

        assertEquals(0xC4, iir);
    }

    @Test
    void lineStatusInterruptIsRaisedByOverrunAndClearedByReadingLsr() {
        out(IER, 0x04);
        out(MCR, 0x10);
        out(THR, '1');
        out(THR, '2');
        int iir = in(IIR);

        in(LSR);

        assertEquals(0x06, iir);
        assertEquals(0x01, in(IIR));
    }

    @Test
    void modemStatusInterruptIsRaisedByLineChangesAndClearedByReadingMsr() {
        out(IER, 0x08);
        out(MCR, 0x10);
        in(MSR);
        out(MCR, 0x13);
        int iir = in(IIR);
        int msr = in(MSR);

        int after = in(IIR);

        assertEquals(0x00, iir);
        assertEquals(0x33, msr);
        assertEquals(0x01, after);
    }

    @Test
    void modemStatusInterruptDrivesTheLineWhenOut2IsSetOutsideLoopback() {
        out(MCR, 0x10);
        out(MCR, 0x00);
        out(IER, 0x08);

        out(MCR, OUT2);

        assertTrue(irq.asserted());
        assertEquals(0x00, in(IIR));
    }

    @Test
    void priorityIsLineStatusThenDataThenThrEmptyThenModemStatus() {
        out(MCR, 0x10);
        out(MCR, 0x11);
        out(THR, '1');
        out(THR, '2');
        out(IER, 0x0F);

        int first = in(IIR);
        in(LSR);
        int second = in(IIR);
        in(RBR);
        int third = in(IIR);
        int fourth = in(IIR);
        in(MSR);
        int fifth = in(IIR);

        assertArrayEquals(new int[] {0x06, 0x04, 0x02, 0x00, 0x01},
                new int[] {first, second, third, fourth, fifth});
    }

    @Test
    void interruptLineIsGatedByOut2() {
        out(IER, 0x02);
        boolean withoutOut2 = irq.asserted();

        out(MCR, OUT2);

        assertFalse(withoutOut2);
        assertTrue(irq.asserted());
    }

    @Test
    void interruptLineIsQuietInLoopbackEvenWithOut2() {
        out(IER, 0x02);

        out(MCR, 0x10 | OUT2);

        assertFalse(irq.asserted());
        assertEquals(0x02, in(IIR));
    }

    @Test
    void irqLineIsDrivenOnlyOnLevelChanges() {
        out(MCR, OUT2);
        out(IER, 0x02);
        out(SCR, 1);
        out(SCR, 2);
        in(IIR);
        in(IIR);

        assertEquals(List.of(true, false), irq.levels);
    }

    @Test
    void linuxStartupTxenProbeSeesThrEmpty() {
        out(LCR, 0x03);
        out(MCR, OUT2 | 0x03);
        out(IER, 0x02);
        int lsr = in(LSR);
        int iir = in(IIR);
        out(IER, 0x00);

        assertEquals(0x60, lsr & 0x60);
        assertEquals(0x00, iir & 0x01);
    }

    @Test
    void resetRestoresPowerOnState() {
        out(FCR, 0x01);
        out(IER, 0x0F);
        out(LCR, 0x1B);
        out(MCR, 0x1F);

        uart.reset();

        assertArrayEquals(new int[] {0x00, 0x01, 0x00, 0x00, 0x60, 0xB0},
                new int[] {in(IER), in(IIR), in(LCR), in(MCR), in(LSR), in(MSR)});
    }
}
