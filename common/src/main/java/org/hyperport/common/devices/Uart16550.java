package org.hyperport.common.devices;

import org.hyperport.api.IrqLine;
import org.hyperport.common.bus.BusDevice;
import org.hyperport.common.console.Console;

/**
 * A National Semiconductor PC16550D UART ("16550A" to Linux), as COM1/COM2 on a PC, over an 8-byte port window.
 * Registers follow the datasheet's Table II: RBR/THR and DLL at +0, IER and DLM at +1 (DLM/DLL when LCR.DLAB is
 * set), IIR (read) / FCR (write) at +2, LCR +3, MCR +4, LSR +5, MSR +6, SCR +7. Every access is a byte access: a
 * wider one reads or writes only the byte at its offset.
 *
 * <p>What is modelled, and what is simplified:
 * <ul>
 *   <li>Transmission is instantaneous: a THR write goes straight to the {@link Console} (or, in loopback mode, to the
 *       receiver), so LSR.THRE and LSR.TEMT always read 1 and the THR-empty interrupt is pending again right after
 *       each write.</li>
 *   <li>The receiver holds 1 byte (16450 mode) or 16 (FIFO mode, FCR bit 0). It is filled from the console only while
 *       it has room, so console input is never overrun: unread bytes wait in the console's queue. Overrun (LSR.OE)
 *       happens only in loopback mode, where the guest feeds the receiver itself.</li>
 *   <li>Interrupt identification, highest priority first: receiver line status (IER bit 2; LSR OE/PE/FE/BI, cleared by
 *       reading LSR), received data (IER bit 0; in FIFO mode IIR 0x04 once the trigger level is reached, else the
 *       character-timeout code 0x0C at once instead of after four character times; cleared by reading RBR below the
 *       level), THR empty (IER bit 1; cleared by reading IIR while it is the reported source, or by writing THR; set
 *       again when the THR empties and whenever IER bit 1 goes from 0 to 1), modem status (IER bit 3; MSR delta bits,
 *       cleared by reading MSR). IIR bits 7-6 read 11 while the FIFOs are enabled; bits 5-4 read 0, so Linux's
 *       autoconfig identifies a plain 16550A.</li>
 *   <li>Modem lines: outside loopback the host side holds CTS, DSR and DCD active (MSR 0xB0). In loopback (MCR bit
 *       4) CTS, DSR, RI and DCD follow RTS, DTR, OUT1 and OUT2, with delta bits, as Linux's loopback probe expects
 *       (MCR 0x1A reads back MSR 0x90 in the upper nibble).</li>
 *   <li>The interrupt output reaches {@link IrqLine} only while MCR.OUT2 is set and loopback is off. On a PC the
 *       UART's INTR pin is wired through a buffer enabled by OUT2, and the datasheet forces the OUT pins inactive in
 *       loopback mode. Linux's 8250 driver sets OUT2 for every port with an IRQ ("Most PC uarts need OUT2 raised to
 *       enable interrupts", {@code serial8250_do_startup}). QEMU's {@code hw/char/serial.c} does not model this gate
 *       and raises its IRQ from IIR alone; a guest that enables UART interrupts without OUT2 gets them under QEMU but
 *       not here or on real hardware.</li>
 *   <li>Divisor, word length, parity and break are stored and read back but do not affect timing or data.</li>
 * </ul>
 *
 * <p>vCPU threads and the console's reader thread both enter the device; every entry point is synchronized, and the
 * IRQ level is recomputed after every register access and console notification ({@link IrqLine#set} is called only
 * when the level changes).
 */
public final class Uart16550 implements BusDevice {

    /** Bytes of port space the device decodes. */
    public static final int WINDOW_SIZE = 8;
    /** Receiver FIFO depth in FIFO mode. */
    public static final int FIFO_SIZE = 16;

    private static final int IER_ERBFI = 0x01;
    private static final int IER_ETBEI = 0x02;
    private static final int IER_ELSI = 0x04;
    private static final int IER_EDSSI = 0x08;

    private static final int IIR_NONE = 0x01;
    private static final int IIR_LINE_STATUS = 0x06;
    private static final int IIR_RX_DATA = 0x04;
    private static final int IIR_RX_TIMEOUT = 0x0C;
    private static final int IIR_THR_EMPTY = 0x02;
    private static final int IIR_MODEM_STATUS = 0x00;
    private static final int IIR_FIFOS_ENABLED = 0xC0;

    private static final int FCR_ENABLE = 0x01;
    private static final int FCR_CLEAR_RX = 0x02;
    private static final int FCR_KEPT = 0xC9;

    private static final int LCR_DLAB = 0x80;

    private static final int MCR_DTR = 0x01;
    private static final int MCR_RTS = 0x02;
    private static final int MCR_OUT1 = 0x04;
    private static final int MCR_OUT2 = 0x08;
    private static final int MCR_LOOP = 0x10;

    private static final int LSR_DR = 0x01;
    private static final int LSR_OE = 0x02;
    private static final int LSR_ERRORS = 0x1E;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private static final int MSR_DCTS = 0x01;
    private static final int MSR_DDSR = 0x02;
    private static final int MSR_TERI = 0x04;
    private static final int MSR_DDCD = 0x08;
    private static final int MSR_DELTAS = 0x0F;
    private static final int MSR_CTS = 0x10;
    private static final int MSR_DSR = 0x20;
    private static final int MSR_RI = 0x40;
    private static final int MSR_DCD = 0x80;

    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

    private final Console console;
    private final IrqLine irq;

    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead;
    private int rxCount;
    private int lastReceived;
    private int ier;
    private int fcr;
    private int lcr;
    private int mcr;
    private int lineErrors;
    private int msr;
    private int scr;
    private int dll;
    private int dlm;
    private boolean thrEmptyPending;
    private boolean irqAsserted;

    public Uart16550(Console console, IrqLine irq) {
        this.console = console;
        this.irq = irq;
        reset();
        console.onInput(this::consoleInput);
    }

    /** Master reset: the datasheet's reset values (IER 0, IIR 0x01, LCR 0, MCR 0, LSR 0x60), FIFOs off and empty. */
    public synchronized void reset() {
        rxHead = 0;
        rxCount = 0;
        lastReceived = 0;
        ier = 0;
        fcr = 0;
        lcr = 0;
        mcr = 0;
        lineErrors = 0;
        msr = modemLines();
        scr = 0;
        dll = 0x0C;
        dlm = 0;
        thrEmptyPending = false;
        fillFromConsole();
        updateIrq();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 0 || offset >= WINDOW_SIZE) {
            return 0xFF;
        }
        int value = switch ((int) offset) {
            case 0 -> dlab() ? dll : readRbr();
            case 1 -> dlab() ? dlm : ier;
            case 2 -> readIir();
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> readLsr();
            case 6 -> readMsr();
            default -> scr;
        };
        updateIrq();
        return value;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 0 || offset >= WINDOW_SIZE) {
            return;
        }
        int v = (int) (value & 0xFF);
        switch ((int) offset) {
            case 0 -> {
                if (dlab()) {
                    dll = v;
                } else {
                    transmit(v);
                }
            }
            case 1 -> {
                if (dlab()) {
                    dlm = v;
                } else {
                    writeIer(v);
                }
            }
            case 2 -> writeFcr(v);
            case 3 -> lcr = v;
            case 4 -> writeMcr(v);
            case 7 -> scr = v;
            default -> {
                // LSR and MSR are read-only (their factory-test writes are not modelled).
            }
        }
        updateIrq();
    }

    /** Console listener: pulls newly arrived bytes into the receiver. */
    private synchronized void consoleInput() {
        fillFromConsole();
        updateIrq();
    }

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }

    private boolean fifoEnabled() {
        return (fcr & FCR_ENABLE) != 0;
    }

    private boolean loopback() {
        return (mcr & MCR_LOOP) != 0;
    }

    private int rxCapacity() {
        return fifoEnabled() ? FIFO_SIZE : 1;
    }

    private int readRbr() {
        if (rxCount > 0) {
            lastReceived = rx[rxHead] & 0xFF;
            rxHead = (rxHead + 1) % FIFO_SIZE;
            rxCount--;
            fillFromConsole();
        }
        return lastReceived;
    }

    private int readIir() {
        int id = pendingInterrupt();
        if (id == IIR_THR_EMPTY) {
            thrEmptyPending = false;
        }
        return id | (fifoEnabled() ? IIR_FIFOS_ENABLED : 0);
    }

    private int readLsr() {
        int value = lineErrors | (rxCount > 0 ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
        lineErrors = 0;
        return value;
    }

    private int readMsr() {
        int value = msr;
        msr &= ~MSR_DELTAS;
        return value;
    }

    private void transmit(int b) {
        if (loopback()) {
            receive(b);
        } else {
            console.write(b);
        }
        thrEmptyPending = true;
    }

    private void writeIer(int v) {
        int changed = ier ^ (v & 0x0F);
        ier = v & 0x0F;
        if ((changed & IER_ETBEI) != 0) {
            thrEmptyPending = (ier & IER_ETBEI) != 0;
        }
    }

    private void writeFcr(int v) {
        boolean enable = (v & FCR_ENABLE) != 0;
        if (enable != fifoEnabled() || (enable && (v & FCR_CLEAR_RX) != 0)) {
            rxHead = 0;
            rxCount = 0;
        }
        fcr = enable ? v & FCR_KEPT : 0;
        fillFromConsole();
    }

    private void writeMcr(int v) {
        mcr = v & 0x1F;
        int lines = modemLines();
        int changed = (msr ^ lines) & ~MSR_DELTAS;
        int deltas = ((changed & MSR_CTS) != 0 ? MSR_DCTS : 0)
                | ((changed & MSR_DSR) != 0 ? MSR_DDSR : 0)
                | ((changed & MSR_DCD) != 0 ? MSR_DDCD : 0)
                | ((changed & MSR_RI) != 0 && (lines & MSR_RI) == 0 ? MSR_TERI : 0);
        msr = lines | (msr & MSR_DELTAS) | deltas;
        fillFromConsole();
    }

    /** CTS, DSR, RI and DCD as the UART sees them: looped back from MCR, or the host side's steady "connected". */
    private int modemLines() {
        if (!loopback()) {
            return MSR_CTS | MSR_DSR | MSR_DCD;
        }
        return ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0)
                | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0)
                | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
    }

    /** A byte arriving at the receiver from the line (loopback): overruns when there is no room. */
    private void receive(int b) {
        if (rxCount < rxCapacity()) {
            rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
            rxCount++;
        } else if (fifoEnabled()) {
            lineErrors |= LSR_OE;
        } else {
            rx[rxHead] = (byte) b;
            lineErrors |= LSR_OE;
        }
    }

    private void fillFromConsole() {
        if (loopback()) {
            return;
        }
        while (rxCount < rxCapacity()) {
            int b = console.poll();
            if (b < 0) {
                return;
            }
            rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
            rxCount++;
        }
    }

    private int pendingInterrupt() {
        if ((ier & IER_ELSI) != 0 && (lineErrors & LSR_ERRORS) != 0) {
            return IIR_LINE_STATUS;
        }
        if ((ier & IER_ERBFI) != 0 && rxCount > 0) {
            boolean triggered = !fifoEnabled() || rxCount >= TRIGGER_LEVELS[(fcr >> 6) & 3];
            return triggered ? IIR_RX_DATA : IIR_RX_TIMEOUT;
        }
        if ((ier & IER_ETBEI) != 0 && thrEmptyPending) {
            return IIR_THR_EMPTY;
        }
        if ((ier & IER_EDSSI) != 0 && (msr & MSR_DELTAS) != 0) {
            return IIR_MODEM_STATUS;
        }
        return IIR_NONE;
    }

    private void updateIrq() {
        boolean level = pendingInterrupt() != IIR_NONE && (mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
        if (level != irqAsserted) {
            irqAsserted = level;
            irq.set(level);
        }
    }
}
