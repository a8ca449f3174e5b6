package org.hyperport.x86.intc;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.common.bus.BusDevice;

/**
 * The Intel 82093AA I/O APIC at 0xFEC00000: IOREGSEL at +0x00 selects an indirect register, IOWIN at +0x10 reads
 * and writes it. Registers: IOAPICID (0x00, bits 27-24), IOAPICVER (0x01, version 0x11, 24 entries), IOAPICARB (0x02)
 * and the redirection table (0x10 + 2n low, 0x11 + 2n high) for pins 0-23. Each entry holds the vector (7-0), the
 * delivery mode (10-8: fixed, lowest priority, SMI, NMI, INIT, ExtINT), destination mode (11), delivery status (12,
 * read-only, always idle here since delivery is immediate), polarity (13), Remote IRR (14, read-only), trigger mode
 * (15), mask (16) and the destination (63-56). All entries reset masked.
 *
 * <p>Pins are asserted by {@link #setPin}; an asserted pin is active whatever its polarity bit says (the bit is stored
 * and read back), because devices drive logical levels, as under KVM and QEMU. An edge-triggered entry delivers on
 * each rising edge while unmasked; edges on a masked pin are lost, as the datasheet says (KVM instead holds one until
 * unmasked). A level-triggered fixed or lowest-priority entry delivers while the pin is asserted, unmasked and Remote
 * IRR is clear, and sets Remote IRR when a local APIC accepts the message; the local APIC's EOI for that vector
 * ({@link #eoi}) clears it and delivers again if the pin is still asserted. NMI, SMI, INIT and ExtINT entries deliver
 * on rising edges only, whatever their trigger bit. This is the version-0x11 part: there is no EOI register at +0x40.
 */
public final class IoApic implements BusDevice {

    public static final long BASE = 0xfec00000L;
    /** Bytes of MMIO the window decodes (IOREGSEL at 0x00, IOWIN at 0x10; the rest reads 0). */
    public static final int WINDOW_SIZE = 0x1000;
    public static final int PINS = 24;
    public static final int VERSION = 0x11;

    public static final int IOREGSEL = 0x00;
    public static final int IOWIN = 0x10;
    public static final int REG_ID = 0x00;
    public static final int REG_VERSION = 0x01;
    public static final int REG_ARBITRATION = 0x02;
    public static final int REG_REDIRECTION = 0x10;

    public static final long MASKED = 1L << 16;
    public static final long LEVEL_TRIGGERED = 1L << 15;
    public static final long REMOTE_IRR = 1L << 14;
    public static final long ACTIVE_LOW = 1L << 13;
    public static final long LOGICAL = 1L << 11;
    private static final long WRITABLE_LOW = 0x1afffL;

    private final ApicBus bus;
    private final Object lock;
    private final long[] redirection = new long[PINS];
    private int id;
    private int ioregsel;
    private int pinLevels;

    /** A standalone I/O APIC with its own lock. */
    public IoApic(ApicBus bus) {
        this(bus, new Object());
    }

    IoApic(ApicBus bus, Object lock) {
        this.bus = bus;
        this.lock = lock;
        java.util.Arrays.fill(redirection, MASKED);
    }

    @Override
    public long read(long offset, int size) {
        synchronized (lock) {
            int shift = (int) (offset & 3) * 8;
            long value;
            if ((offset & ~3L) == IOREGSEL) {
                value = ioregsel;
            } else if ((offset & ~3L) == IOWIN) {
                value = readRegister(ioregsel) & 0xffffffffL;
            } else {
                return 0;
            }
            value >>>= shift;
            return size >= 4 ? value : value & ((1L << (size * 8)) - 1);
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        synchronized (lock) {
            if (offset == IOREGSEL) {
                ioregsel = (int) value & 0xff;
            } else if (offset == IOWIN && size >= 4) {
                writeRegister(ioregsel, (int) value);
            }
        }
    }

    /** Drives pin {@code pin} (true = asserted). */
    public void setPin(int pin, boolean level) {
        if (pin < 0 || pin >= PINS) {
            throw new IllegalArgumentException("no I/O APIC pin " + pin);
        }
        synchronized (lock) {
            int bit = 1 << pin;
            boolean was = (pinLevels & bit) != 0;
            pinLevels = level ? pinLevels | bit : pinLevels & ~bit;
            if (level && !was) {
                service(pin);
            }
        }
    }

    /** The end of interrupt for {@code vector}, broadcast by a local APIC for a level-triggered interrupt. */
    public void eoi(int vector) {
        synchronized (lock) {
            for (int pin = 0; pin < PINS; pin++) {
                long e = redirection[pin];
                if ((e & REMOTE_IRR) != 0 && (e & 0xff) == vector) {
                    redirection[pin] = e & ~REMOTE_IRR;
                    if ((pinLevels & (1 << pin)) != 0) {
                        service(pin);
                    }
                }
            }
        }
    }

    /** Redirection entry {@code pin} as the guest would read it. */
    public long redirection(int pin) {
        synchronized (lock) {
            return redirection[pin];
        }
    }

    IrqchipState.Ioapic state() {
        synchronized (lock) {
            List<Long> entries = new ArrayList<>(PINS);
            for (long e : redirection) {
                entries.add(e);
            }
            return new IrqchipState.Ioapic(id, ioregsel, pinLevels, entries);
        }
    }

    void restore(IrqchipState.Ioapic s) {
        if (s.redirection().size() != PINS) {
            throw new IllegalArgumentException("an I/O APIC has " + PINS + " pins, not " + s.redirection().size());
        }
        synchronized (lock) {
            id = s.id();
            ioregsel = s.ioregsel();
            pinLevels = s.pinLevels();
            for (int i = 0; i < PINS; i++) {
                redirection[i] = s.redirection().get(i);
            }
        }
    }

    private int readRegister(int r) {
        if (r == REG_ID || r == REG_ARBITRATION) {
            return id << 24;
        }
        if (r == REG_VERSION) {
            return (PINS - 1) << 16 | VERSION;
        }
        int pin = (r - REG_REDIRECTION) >> 1;
        if (pin < 0 || pin >= PINS) {
            return 0;
        }
        long e = redirection[pin];
        return (r & 1) == 0 ? (int) e : (int) (e >>> 32);
    }

    private void writeRegister(int r, int v) {
        if (r == REG_ID) {
            id = v >>> 24 & 0xf;
            return;
        }
        int pin = (r - REG_REDIRECTION) >> 1;
        if (pin < 0 || pin >= PINS) {
            return;
        }
        long e = redirection[pin];
        if ((r & 1) == 0) {
            e = (e & ~0xffffffffL) | (e & REMOTE_IRR) | (v & WRITABLE_LOW);
            if ((e & LEVEL_TRIGGERED) == 0) {
                e &= ~REMOTE_IRR;
            }
        } else {
            e = (e & 0xffffffffL) | (long) (v & 0xff000000) << 32;
        }
        redirection[pin] = e;
        if ((pinLevels & (1 << pin)) != 0 && levelSensitive(e)) {
            service(pin);
        }
    }

    private static boolean levelSensitive(long e) {
        int mode = (int) (e >> 8) & 7;
        return (e & LEVEL_TRIGGERED) != 0 && (mode == ApicBus.FIXED || mode == ApicBus.LOWEST_PRIORITY);
    }

    private void service(int pin) {
        long e = redirection[pin];
        if ((e & MASKED) != 0) {
            return;
        }
        boolean level = levelSensitive(e);
        if (level && (e & REMOTE_IRR) != 0) {
            return;
        }
        boolean accepted = bus.deliver((int) (e >>> 56), (e & LOGICAL) != 0, (int) (e >> 8) & 7, (int) e & 0xff,
                level);
        if (accepted && level) {
            redirection[pin] = e | REMOTE_IRR;
        }
    }
}
