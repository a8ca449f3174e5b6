package org.hyperport.x86.intc;

import org.hyperport.api.IrqLine;
import org.hyperport.common.bus.BusDevice;

/**
 * The PC's pair of Intel 8259A programmable interrupt controllers: the master at ports 0x20/0x21 with the slave
 * cascaded on its IR2, the slave at 0xA0/0xA1 (IRQs 8-15), and the PIIX edge/level control registers (ELCR) at
 * 0x4D0/0x4D1. Inputs are IRQs 0-15; the output is the master's INT pin ({@link #hasInterrupt()}, with a listener
 * for changes) and the INTA cycle ({@link #acknowledge()}), which returns the vector.
 *
 * <p>From the datasheet: the ICW1-ICW4 initialisation sequence (ICW1 clears IMR and ISR, resets the edge detectors,
 * rotation and special mask mode), OCW1 (IMR), OCW2 (non-specific, specific and rotating EOIs, set priority, rotate
 * in automatic-EOI mode), OCW3 (read IRR or ISR, poll, special mask mode), fully nested and rotating priority,
 * special fully nested mode on the master, automatic EOI, and spurious interrupts: an INTA cycle with no request left
 * returns IR7's vector without setting an ISR bit, on the slave after the master has already set ISR bit 2 (Linux's
 * {@code mask_and_ack_8259A} expects exactly that). Edge or level sensing per IR comes from the ELCR (the ICW1 LTIM bit
 * forces level on a whole chip); ELCR bits for IRQs 0, 1, 2, 8 and 13 are hard-wired to edge as on the PIIX.
 *
 * <p>Modelling choices:
 * <ul>
 *   <li>An edge-triggered request latches in IRR on the input's rising edge and stays until acknowledged, even if the
 *       input falls first (the datasheet would turn that into a spurious IR7). Devices signal edges with
 *       {@link IrqLine#pulse()}, so the latch is what makes a pulse count.</li>
 *   <li>The cascade is fixed: the slave's INT output drives the master's IR2, which latches a request whenever the
 *       slave has one to present (as KVM's model does) and keeps it until the master's INTA. If the slave's request
 *       has gone by then (a level input fell), the slave answers with its IR7: the spurious IRQ 15, with the master's
 *       ISR bit 2 set. ICW3 is stored only; nothing else drives IRQ 2, and {@link #setIrq} ignores it.</li>
 *   <li>Poll mode acknowledges on the chip that was polled; polling the master while the slave requests returns
 *       level 2, and software then polls the slave.</li>
 *   <li>Only 8086 mode exists (ICW4 bit 0 is assumed); buffered mode bits are stored and ignored.</li>
 * </ul>
 *
 * <p>The reset state is uninitialised (vector base 0, IMR 0) as after power-on: a guest runs the ICW sequence before
 * unmasking anything. Thread-safety: every entry point synchronises on the lock given by the owning irqchip.
 */
public final class I8259 {

    public static final int MASTER_BASE = 0x20;
    public static final int SLAVE_BASE = 0xa0;
    public static final int ELCR_BASE = 0x4d0;
    /** Bytes of port space each of the three windows decodes. */
    public static final int WINDOW_SIZE = 2;
    public static final int CASCADE_IRQ = 2;

    private static final int MASTER_ELCR_MASK = 0xf8;
    private static final int SLAVE_ELCR_MASK = 0xde;

    private static final class Chip {
        final boolean master;
        final int elcrMask;
        int lines;
        int irr;
        int isr;
        int imr;
        int elcr;
        int vectorBase;
        int priorityAdd;
        int initStep;
        boolean needIcw4;
        boolean single;
        boolean levelTriggeredMode;
        int icw3;
        boolean autoEoi;
        boolean rotateOnAutoEoi;
        boolean specialFullyNested;
        boolean specialMask;
        boolean readIsr;
        boolean poll;

        Chip(boolean master) {
            this.master = master;
            this.elcrMask = master ? MASTER_ELCR_MASK : SLAVE_ELCR_MASK;
        }

        int levelMask() {
            return levelTriggeredMode ? 0xff : elcr;
        }

        void setInput(int ir, boolean level) {
            int bit = 1 << ir;
            if ((levelMask() & bit) != 0) {
                irr = level ? irr | bit : irr & ~bit;
            } else if (level && (lines & bit) == 0) {
                irr |= bit;
            }
            lines = level ? lines | bit : lines & ~bit;
        }

        /** Priority rank of {@code ir}: 0 is the highest. */
        int rank(int ir) {
            return (ir - priorityAdd) & 7;
        }

        /** The highest-priority IR set in {@code mask}, or -1. */
        int highest(int mask) {
            if ((mask & 0xff) == 0) {
                return -1;
            }
            for (int i = 0; i < 8; i++) {
                int ir = (i + priorityAdd) & 7;
                if ((mask & (1 << ir)) != 0) {
                    return ir;
                }
            }
            return -1;
        }

        /** The IR this chip would answer an INTA cycle with now, or -1. */
        int pending() {
            int ir = highest(irr & ~imr);
            if (ir < 0) {
                return -1;
            }
            int blocking = specialMask ? isr & ~imr : isr;
            int current = highest(blocking);
            if (current < 0 || rank(ir) < rank(current)) {
                return ir;
            }
            boolean nestedSlave = master && specialFullyNested && ir == CASCADE_IRQ && current == CASCADE_IRQ;
            return nestedSlave ? ir : -1;
        }

        void acknowledge(int ir) {
            int bit = 1 << ir;
            if ((levelMask() & bit) == 0) {
                irr &= ~bit;
            }
            if (autoEoi) {
                if (rotateOnAutoEoi) {
                    priorityAdd = (ir + 1) & 7;
                }
            } else {
                isr |= bit;
            }
        }

        void icw1(int v) {
            initStep = 2;
            needIcw4 = (v & 0x01) != 0;
            single = (v & 0x02) != 0;
            levelTriggeredMode = (v & 0x08) != 0;
            imr = 0;
            isr = 0;
            irr = lines & levelMask();
            priorityAdd = 0;
            specialMask = false;
            readIsr = false;
            poll = false;
            rotateOnAutoEoi = false;
            if (!needIcw4) {
                autoEoi = false;
                specialFullyNested = false;
            }
        }

        void data(int v) {
            switch (initStep) {
                case 2 -> {
                    vectorBase = v & 0xf8;
                    initStep = single ? (needIcw4 ? 4 : 0) : 3;
                }
                case 3 -> {
                    icw3 = v;
                    initStep = needIcw4 ? 4 : 0;
                }
                case 4 -> {
                    autoEoi = (v & 0x02) != 0;
                    specialFullyNested = (v & 0x10) != 0;
                    initStep = 0;
                }
                default -> imr = v;
            }
        }

        void ocw2(int v) {
            int level = v & 7;
            switch (v >> 5) {
                case 0 -> rotateOnAutoEoi = false;
                case 1 -> {
                    int ir = highest(isr);
                    if (ir >= 0) {
                        isr &= ~(1 << ir);
                    }
                }
                case 3 -> isr &= ~(1 << level);
                case 4 -> rotateOnAutoEoi = true;
                case 5 -> {
                    int ir = highest(isr);
                    if (ir >= 0) {
                        isr &= ~(1 << ir);
                        priorityAdd = (ir + 1) & 7;
                    }
                }
                case 6 -> priorityAdd = (level + 1) & 7;
                case 7 -> {
                    isr &= ~(1 << level);
                    priorityAdd = (level + 1) & 7;
                }
                default -> { }
            }
        }

        void ocw3(int v) {
            if ((v & 0x04) != 0) {
                poll = true;
            }
            if ((v & 0x02) != 0) {
                readIsr = (v & 0x01) != 0;
            }
            if ((v & 0x40) != 0) {
                specialMask = (v & 0x20) != 0;
            }
        }

        void setElcr(int v) {
            elcr = v & elcrMask;
            int level = levelMask();
            irr = (irr & ~level) | (lines & level);
        }

        IrqchipState.Pic state() {
            return new IrqchipState.Pic(lines, irr, isr, imr, elcr, vectorBase, priorityAdd, initStep, needIcw4,
                    single, levelTriggeredMode, icw3, autoEoi, rotateOnAutoEoi, specialFullyNested, specialMask,
                    readIsr, poll);
        }

        void restore(IrqchipState.Pic s) {
            lines = s.lines();
            irr = s.irr();
            isr = s.isr();
            imr = s.imr();
            elcr = s.elcr() & elcrMask;
            vectorBase = s.vectorBase();
            priorityAdd = s.priorityAdd();
            initStep = s.initStep();
            needIcw4 = s.needIcw4();
            single = s.single();
            levelTriggeredMode = s.levelTriggeredMode();
            icw3 = s.icw3();
            autoEoi = s.autoEoi();
            rotateOnAutoEoi = s.rotateOnAutoEoi();
            specialFullyNested = s.specialFullyNested();
            specialMask = s.specialMask();
            readIsr = s.readIsr();
            poll = s.poll();
        }
    }

    private final Object lock;
    private final Chip master = new Chip(true);
    private final Chip slave = new Chip(false);
    private IrqLine output = IrqLine.NONE;
    private boolean intr;

    private final BusDevice masterPorts = new Ports(master);
    private final BusDevice slavePorts = new Ports(slave);
    private final BusDevice elcrPorts = new BusDevice() {
        @Override
        public long read(long offset, int size) {
            synchronized (lock) {
                return offset == 0 ? master.elcr : offset == 1 ? slave.elcr : 0xff;
            }
        }

        @Override
        public void write(long offset, int size, long value) {
            synchronized (lock) {
                if (offset == 0) {
                    master.setElcr((int) value);
                } else if (offset == 1) {
                    slave.setElcr((int) value);
                }
                update();
            }
        }
    };

    /** A standalone pair with its own lock. */
    public I8259() {
        this(new Object());
    }

    I8259(Object lock) {
        this.lock = lock;
    }

    /** Ports 0x20/0x21 (offset 0: ICW1/OCW2/OCW3 and IRR/ISR/poll; offset 1: ICW2-4/OCW1). */
    public BusDevice masterPorts() {
        return masterPorts;
    }

    /** Ports 0xA0/0xA1. */
    public BusDevice slavePorts() {
        return slavePorts;
    }

    /** Ports 0x4D0 (IRQs 0-7) and 0x4D1 (IRQs 8-15): 1 = level-triggered. */
    public BusDevice elcrPorts() {
        return elcrPorts;
    }

    /** Sets what follows the master's INT output (called only when it changes, with the irqchip's lock held). */
    public void setOutput(IrqLine output) {
        synchronized (lock) {
            this.output = output;
        }
    }

    /** Drives input IRQ {@code irq} (0-15; 2 is the cascade and ignored). */
    public void setIrq(int irq, boolean level) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("no 8259 IRQ " + irq);
        }
        if (irq == CASCADE_IRQ) {
            return;
        }
        synchronized (lock) {
            (irq < 8 ? master : slave).setInput(irq & 7, level);
            update();
        }
    }

    /** The master's INT output: an INTA cycle now would return a real (not spurious) vector. */
    public boolean hasInterrupt() {
        synchronized (lock) {
            return intr;
        }
    }

    /**
     * The INTA cycle: sets ISR (unless in automatic-EOI mode), clears an edge request from IRR and returns the vector
     * (vector base | IR). With nothing to deliver, returns the spurious IR7 vector of the master, or of the slave if
     * the master chose the cascade.
     */
    public int acknowledge() {
        synchronized (lock) {
            int vector;
            int ir = master.pending();
            if (ir < 0) {
                vector = master.vectorBase | 7;
            } else {
                master.acknowledge(ir);
                if (ir == CASCADE_IRQ) {
                    int sir = slave.pending();
                    if (sir < 0) {
                        vector = slave.vectorBase | 7;
                    } else {
                        slave.acknowledge(sir);
                        vector = slave.vectorBase | sir;
                    }
                } else {
                    vector = master.vectorBase | ir;
                }
            }
            update();
            return vector;
        }
    }

    IrqchipState.Pic masterState() {
        synchronized (lock) {
            return master.state();
        }
    }

    IrqchipState.Pic slaveState() {
        synchronized (lock) {
            return slave.state();
        }
    }

    /** Restores both chips; the INT output listener is told the restored level. */
    void restore(IrqchipState.Pic masterState, IrqchipState.Pic slaveState) {
        synchronized (lock) {
            master.restore(masterState);
            slave.restore(slaveState);
            intr = !intrNow();
            update();
        }
    }

    /** Latches the slave's INT into the master's IR2 request, and returns the master's INT. */
    private boolean intrNow() {
        if (slave.pending() >= 0) {
            master.irr |= 1 << CASCADE_IRQ;
        }
        return master.pending() >= 0;
    }

    private void update() {
        boolean now = intrNow();
        if (now != intr) {
            intr = now;
            output.set(now);
        }
    }

    private int poll(Chip c) {
        c.poll = false;
        int ir = c.pending();
        if (ir < 0) {
            return 0;
        }
        c.acknowledge(ir);
        update();
        return 0x80 | ir;
    }

    private final class Ports implements BusDevice {

        private final Chip chip;

        Ports(Chip chip) {
            this.chip = chip;
        }

        @Override
        public long read(long offset, int size) {
            synchronized (lock) {
                if (chip.poll) {
                    return poll(chip);
                }
                if (offset == 0) {
                    return chip.readIsr ? chip.isr : chip.irr;
                }
                return offset == 1 ? chip.imr : 0xff;
            }
        }

        @Override
        public void write(long offset, int size, long value) {
            int v = (int) value & 0xff;
            synchronized (lock) {
                if (offset == 0) {
                    if ((v & 0x10) != 0) {
                        chip.icw1(v);
                    } else if ((v & 0x08) != 0) {
                        chip.ocw3(v);
                    } else {
                        chip.ocw2(v);
                    }
                } else if (offset == 1) {
                    chip.data(v);
                }
                update();
            }
        }
    }
}
