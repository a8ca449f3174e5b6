package org.hyperport.x86.timer;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.IrqLine;
import org.hyperport.common.bus.BusDevice;

/**
 * The Intel 8254 programmable interval timer of a PC, at ports 0x40-0x43: counters 0-2 at +0..+2, the control word
 * register at +3. The input clock is {@value #INPUT_HZ} Hz, derived from the {@link VirtualClock}: counters are not
 * stepped but computed from the time counting started, so reading a count costs the same at any rate. Counter 0's
 * OUT drives IRQ 0; counter 2's gate and OUT are reached through port 0x61 ({@link Port61}); counter 1 (DRAM refresh
 * on old PCs) counts but drives nothing.
 *
 * <p>Datasheet behaviour modelled: all six modes (6 and 7 alias 2 and 3), binary and BCD counting, LSB / MSB /
 * LSB-then-MSB access with one read and one write byte-pointer flip-flop per counter, the counter-latch command, the
 * read-back command (count and status, with the OUT and NULL COUNT bits), and the gate: modes 0 and 4 suspend while it
 * is low, modes 2 and 3 hold OUT high while it is low and reload on its rising edge, modes 1 and 5 start or restart on
 * its rising edge. Simplifications:
 * <ul>
 *   <li>A count takes effect as soon as it is written (the datasheet loads it on the next CLK edge, under a
 *       microsecond later). In modes 2 and 3 a new count restarts the period instead of waiting for the current one to
 *       end; in modes 1 and 5 it applies to the running count at once. Linux writes the control word before every
 *       count, which makes both differences invisible to it.</li>
 *   <li>Mode 3 with an odd count reads back the even counts N-1, N-3, ... in both half periods; the output timing
 *       ((N+1)/2 ticks high, (N-1)/2 low) is exact.</li>
 *   <li>IRQ 0 receives one {@link IrqLine#pulse() pulse} at every rising edge of OUT 0 (terminal count in modes 0
 *       and 1, the start of each period in modes 2 and 3, the end of the strobe in modes 4 and 5), like KVM's
 *       in-kernel PIT; between pulses the line is deasserted. Edges missed because the engine polled late are
 *       coalesced into one pulse.</li>
 *   <li>Every access is a byte access at its offset; wider reads return the byte in bits 7-0. The control word
 *       register reads as 0xff.</li>
 * </ul>
 * The reset state is what a PC BIOS leaves: every counter in mode 3 with count 0 (65536), counters 0 and 1 running
 * with their gates high, counter 2's gate low.
 */
public final class I8254 implements BusDevice {

    public static final int BASE = 0x40;
    public static final int SIZE = 4;
    public static final long INPUT_HZ = 1_193_182;

    private static final int IDLE = 0;
    private static final int WAITING = 1;
    private static final int COUNTING = 2;
    private static final int PAUSED = 3;

    /** One counter's registers and counting phase, for snapshots. Times are in input-clock ticks since the clock's 0. */
    public record CounterState(int controlMode, int access, boolean bcd, int reload, boolean gate, int phase,
                               long startTick, long pausedElapsed, boolean nullCount, boolean writeMsbNext,
                               int writeLsb, boolean readMsbNext, boolean countLatched, int latchedCount,
                               boolean statusLatched, int latchedStatus) {
    }

    /** The whole PIT, for snapshots. */
    public record State(List<CounterState> counters, long irqEdgesDelivered) {
        public State {
            counters = List.copyOf(counters);
        }
    }

    private static final class Counter {
        int controlMode = 3;
        int access = 3;
        boolean bcd;
        int reload = 65536;
        boolean gate;
        int phase = IDLE;
        long startTick;
        long pausedElapsed;
        boolean nullCount;
        boolean writeMsbNext;
        int writeLsb;
        boolean readMsbNext;
        boolean countLatched;
        int latchedCount;
        boolean statusLatched;
        int latchedStatus;

        int mode() {
            return controlMode > 5 ? controlMode - 4 : controlMode;
        }

        int range() {
            return bcd ? 10000 : 65536;
        }

        long period() {
            return Math.max(2, reload);
        }
    }

    private final VirtualClock clock;
    private final IrqLine irq0;
    private final TimerQueue.Timer irqTimer;
    private final Counter[] counters = {new Counter(), new Counter(), new Counter()};
    private long irqEdgesDelivered;

    public I8254(TimerQueue timers, IrqLine irq0) {
        this.clock = timers.clock();
        this.irq0 = irq0;
        this.irqTimer = timers.timer("i8254 counter 0", this::expired);
        long tick = nowTick();
        for (int i = 0; i < 3; i++) {
            counters[i].gate = i != 2;
            start(counters[i], tick);
        }
        updateIrqTimer(tick);
    }

    VirtualClock clock() {
        return clock;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 0 || offset > 2) {
            return 0xff;
        }
        return readCounter(counters[(int) offset], nowTick());
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xff;
        long tick = nowTick();
        if (offset == 3) {
            control(v, tick);
        } else if (offset >= 0 && offset < 3) {
            writeCount((int) offset, v, tick);
        }
    }

    /** Sets counter {@code n}'s GATE input (counter 2's is port 0x61 bit 0; the others are tied high on a PC). */
    public synchronized void setGate(int n, boolean level) {
        Counter c = counters[n];
        if (c.gate == level) {
            return;
        }
        c.gate = level;
        long tick = nowTick();
        int mode = c.mode();
        if (level) {
            if (mode == 0 || mode == 4) {
                if (c.phase == PAUSED) {
                    c.startTick = tick - c.pausedElapsed;
                    c.phase = COUNTING;
                }
            } else if (c.phase != IDLE) {
                start(c, tick);
            }
        } else if (c.phase == COUNTING && mode != 1 && mode != 5) {
            c.pausedElapsed = tick - c.startTick;
            c.phase = PAUSED;
        }
        if (n == 0) {
            updateIrqTimer(tick);
        }
    }

    public synchronized boolean gate(int n) {
        return counters[n].gate;
    }

    /** Counter {@code n}'s OUT pin now. */
    public synchronized boolean output(int n) {
        return out(counters[n], nowTick());
    }

    public synchronized State state() {
        List<CounterState> list = new ArrayList<>(3);
        for (Counter c : counters) {
            list.add(new CounterState(c.controlMode, c.access, c.bcd, c.reload, c.gate, c.phase, c.startTick,
                    c.pausedElapsed, c.nullCount, c.writeMsbNext, c.writeLsb, c.readMsbNext, c.countLatched,
                    c.latchedCount, c.statusLatched, c.latchedStatus));
        }
        return new State(list, irqEdgesDelivered);
    }

    public synchronized void restore(State state) {
        if (state.counters().size() != 3) {
            throw new IllegalArgumentException("an 8254 has 3 counters, not " + state.counters().size());
        }
        for (int i = 0; i < 3; i++) {
            CounterState s = state.counters().get(i);
            Counter c = counters[i];
            c.controlMode = s.controlMode();
            c.access = s.access();
            c.bcd = s.bcd();
            c.reload = s.reload();
            c.gate = s.gate();
            c.phase = s.phase();
            c.startTick = s.startTick();
            c.pausedElapsed = s.pausedElapsed();
            c.nullCount = s.nullCount();
            c.writeMsbNext = s.writeMsbNext();
            c.writeLsb = s.writeLsb();
            c.readMsbNext = s.readMsbNext();
            c.countLatched = s.countLatched();
            c.latchedCount = s.latchedCount();
            c.statusLatched = s.statusLatched();
            c.latchedStatus = s.latchedStatus();
        }
        irqEdgesDelivered = state.irqEdgesDelivered();
        updateIrqTimer(nowTick());
    }

    private long nowTick() {
        return Ticks.fromNanos(clock.nanos(), INPUT_HZ);
    }

    private void control(int v, long tick) {
        int select = v >> 6;
        if (select == 3) {
            readBack(v, tick);
            return;
        }
        Counter c = counters[select];
        int access = (v >> 4) & 3;
        if (access == 0) {
            latchCount(c, tick);
            return;
        }
        c.access = access;
        c.controlMode = (v >> 1) & 7;
        c.bcd = (v & 1) != 0;
        c.phase = IDLE;
        c.nullCount = true;
        c.writeMsbNext = false;
        c.readMsbNext = false;
        c.countLatched = false;
        c.statusLatched = false;
        if (select == 0) {
            updateIrqTimer(tick);
        }
    }

    private void readBack(int v, long tick) {
        for (int i = 0; i < 3; i++) {
            if ((v & (2 << i)) == 0) {
                continue;
            }
            Counter c = counters[i];
            if ((v & 0x20) == 0) {
                latchCount(c, tick);
            }
            if ((v & 0x10) == 0 && !c.statusLatched) {
                c.statusLatched = true;
                c.latchedStatus = (out(c, tick) ? 0x80 : 0) | (c.nullCount ? 0x40 : 0) | c.access << 4
                        | c.controlMode << 1 | (c.bcd ? 1 : 0);
            }
        }
    }

    private void latchCount(Counter c, long tick) {
        if (!c.countLatched) {
            c.countLatched = true;
            c.latchedCount = encode(c, count(c, tick));
        }
    }

    private static int readCounter(Counter c, long tick) {
        if (c.statusLatched) {
            c.statusLatched = false;
            return c.latchedStatus;
        }
        int v = c.countLatched ? c.latchedCount : encode(c, count(c, tick));
        switch (c.access) {
            case 1:
                c.countLatched = false;
                return v & 0xff;
            case 2:
                c.countLatched = false;
                return (v >> 8) & 0xff;
            default:
                c.readMsbNext = !c.readMsbNext;
                if (c.readMsbNext) {
                    return v & 0xff;
                }
                c.countLatched = false;
                return (v >> 8) & 0xff;
        }
    }

    private void writeCount(int n, int b, long tick) {
        Counter c = counters[n];
        int raw;
        switch (c.access) {
            case 1 -> raw = b;
            case 2 -> raw = b << 8;
            default -> {
                if (!c.writeMsbNext) {
                    c.writeLsb = b;
                    c.writeMsbNext = true;
                    return;
                }
                c.writeMsbNext = false;
                raw = c.writeLsb | b << 8;
            }
        }
        int value = c.bcd ? fromBcd(raw) : raw;
        c.reload = value == 0 ? c.range() : value;
        c.nullCount = false;
        int mode = c.mode();
        if (mode == 1 || mode == 5) {
            if (c.phase == IDLE) {
                c.phase = WAITING;
            }
        } else {
            start(c, tick);
        }
        if (n == 0) {
            updateIrqTimer(tick);
        }
    }

    private void start(Counter c, long tick) {
        c.startTick = tick;
        c.pausedElapsed = 0;
        c.phase = c.gate ? COUNTING : PAUSED;
        if (c == counters[0]) {
            irqEdgesDelivered = 0;
        }
    }

    private static long elapsed(Counter c, long tick) {
        return c.phase == COUNTING ? tick - c.startTick : c.pausedElapsed;
    }

    private static boolean out(Counter c, long tick) {
        int mode = c.mode();
        if (c.phase == IDLE) {
            return mode != 0;
        }
        if (c.phase == WAITING || (c.phase == PAUSED && (mode == 2 || mode == 3))) {
            return true;
        }
        long d = elapsed(c, tick);
        long p = c.period();
        return switch (mode) {
            case 0, 1 -> d >= c.reload;
            case 2 -> d % p != p - 1;
            case 3 -> d % p < (p + 1) / 2;
            default -> d != c.reload;
        };
    }

    private static int count(Counter c, long tick) {
        if (c.phase == IDLE || c.phase == WAITING) {
            return c.reload % c.range();
        }
        long d = elapsed(c, tick);
        long p = c.period();
        long v = switch (c.mode()) {
            case 2 -> p - d % p;
            case 3 -> {
                long phase = d % p;
                long high = (p + 1) / 2;
                yield (p & ~1L) - 2 * (phase < high ? phase : phase - high);
            }
            default -> c.reload - d;
        };
        return (int) Math.floorMod(v, (long) c.range());
    }

    /** Rising edges of OUT in (0, d] ticks after counting started. */
    private static long edges(Counter c, long d) {
        return switch (c.mode()) {
            case 0, 1 -> d >= c.reload ? 1 : 0;
            case 2, 3 -> d / c.period();
            default -> d >= c.reload + 1L ? 1 : 0;
        };
    }

    /** The first rising edge of OUT after {@code d} ticks of counting, or -1. */
    private static long nextEdge(Counter c, long d) {
        return switch (c.mode()) {
            case 0, 1 -> d < c.reload ? c.reload : -1;
            case 2, 3 -> (d / c.period() + 1) * c.period();
            default -> d < c.reload + 1L ? c.reload + 1L : -1;
        };
    }

    private void updateIrqTimer(long tick) {
        Counter c = counters[0];
        long next = c.phase == COUNTING ? nextEdge(c, tick - c.startTick) : -1;
        if (next < 0) {
            irqTimer.cancel();
        } else {
            irqTimer.schedule(Ticks.toNanos(c.startTick + next, INPUT_HZ));
        }
    }

    private void expired(long now) {
        boolean pulse = false;
        synchronized (this) {
            long tick = Ticks.fromNanos(now, INPUT_HZ);
            Counter c = counters[0];
            if (c.phase == COUNTING) {
                long e = edges(c, tick - c.startTick);
                if (e > irqEdgesDelivered) {
                    irqEdgesDelivered = e;
                    pulse = true;
                }
            }
            updateIrqTimer(tick);
        }
        if (pulse) {
            irq0.pulse();
        }
    }

    private static int encode(Counter c, int count) {
        return c.bcd ? toBcd(count) : count & 0xffff;
    }

    static int toBcd(int v) {
        return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
    }

    static int fromBcd(int raw) {
        return (raw >> 12 & 0xf) * 1000 + (raw >> 8 & 0xf) * 100 + (raw >> 4 & 0xf) * 10 + (raw & 0xf);
    }
}
