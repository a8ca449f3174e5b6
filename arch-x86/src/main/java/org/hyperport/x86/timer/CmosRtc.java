package org.hyperport.x86.timer;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.IrqLine;
import org.hyperport.common.bus.BusDevice;

/**
 * The PC's CMOS real-time clock, a Motorola MC146818 at ports 0x70 (index; bit 7 masks NMI) and 0x71 (data), with
 * IRQ 8. Registers 0x00-0x09 hold the time, date and alarm, 0x0A-0x0D are registers A-D, 0x32 holds the century as
 * on every PC BIOS, and the other bytes up to 0x7F are battery-backed RAM the guest reads and writes.
 *
 * <p>The clock counts from a wall-clock time given when it is built, advancing with the {@link VirtualClock}; a guest
 * that sets the time (register B's SET bit, or a direct write) moves it. Time registers read in BCD or binary per
 * register B's DM bit and in 12-hour (bit 7 = PM) or 24-hour form per its 24/12 bit; the day of week is 1 (Sunday) to
 * 7 and is kept consistent with the date, plus whatever offset the guest last wrote. Daylight-saving (DSE) and the
 * square-wave output are stored but do nothing. Times are interpreted as UTC (the RTC has no zone).
 *
 * <p>Update cycle: the registers advance once a second. UIP (register A bit 7) reads 1 during the last
 * {@value #UIP_NANOS} ns before each update, as the datasheet promises (an update begins within 244 µs of UIP going
 * to 1); the update itself is instantaneous here, where the chip takes about 2 ms. While SET is 1, or the divider
 * chain is held in reset (register A DV = 11x), the clock stops, UIP reads 0 and the time registers read back as
 * written; clearing SET starts the next second from that moment, leaving divider reset starts it half a second
 * later, per the datasheet. The periodic rate (register A RS) assumes the 32.768 kHz time base.
 *
 * <p>Interrupts: register C's PF, AF and UF flags are set by periodic ticks, alarm matches (a 0b11xxxxxx alarm byte
 * matches anything) and update ends, whether or not enabled in register B; IRQF and the IRQ 8 line follow
 * {@code C & B & 0x70}. Reading register C clears the flags and drops the line. Flags are computed when read or when
 * an enabled interrupt is due, so an idle RTC schedules no timer; while the line is up nothing is scheduled, since
 * nothing new can be signalled until the guest reads C.
 */
public final class CmosRtc implements BusDevice {

    public static final int BASE = 0x70;
    public static final int SIZE = 2;
    public static final int IRQ = 8;

    public static final int SECONDS = 0x00;
    public static final int SECONDS_ALARM = 0x01;
    public static final int MINUTES = 0x02;
    public static final int MINUTES_ALARM = 0x03;
    public static final int HOURS = 0x04;
    public static final int HOURS_ALARM = 0x05;
    public static final int DAY_OF_WEEK = 0x06;
    public static final int DAY_OF_MONTH = 0x07;
    public static final int MONTH = 0x08;
    public static final int YEAR = 0x09;
    public static final int REG_A = 0x0a;
    public static final int REG_B = 0x0b;
    public static final int REG_C = 0x0c;
    public static final int REG_D = 0x0d;
    public static final int CENTURY = 0x32;

    public static final int A_UIP = 0x80;
    public static final int B_SET = 0x80;
    public static final int B_PIE = 0x40;
    public static final int B_AIE = 0x20;
    public static final int B_UIE = 0x10;
    public static final int B_BINARY = 0x04;
    public static final int B_24H = 0x02;
    public static final int C_IRQF = 0x80;
    public static final int C_PF = 0x40;
    public static final int C_AF = 0x20;
    public static final int C_UF = 0x10;
    public static final int D_VRT = 0x80;

    static final long UIP_NANOS = 244_000;
    private static final long SECOND = Ticks.NANOS_PER_SECOND;
    private static final long TIME_BASE_HZ = 32_768;
    private static final int[] TIME_REGISTERS = {SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR};

    /**
     * The RTC for snapshots. The clock read {@code baseSeconds} (seconds since 1970-01-01T00:00, as a local time) at
     * virtual time {@code baseNanos}; {@code held} are registers 0x00-0x09 and the century while the clock is stopped.
     */
    public record State(int index, boolean nmiDisabled, int regA, int regB, int flags, boolean irqAsserted,
                        long baseSeconds, long baseNanos, List<Integer> held, int heldCentury, int dayOfWeekOffset,
                        long flagsUpTo, long periodOrigin, List<Integer> cmos) {
        public State {
            held = List.copyOf(held);
            cmos = List.copyOf(cmos);
        }
    }

    private final VirtualClock clock;
    private final IrqLine irq;
    private final TimerQueue.Timer timer;
    private final int[] cmos = new int[128];
    private final int[] held = new int[10];
    private int heldCentury;
    private int index;
    private boolean nmiDisabled;
    private int regA = 0x26;
    private int regB = B_24H;
    private int flags;
    private boolean irqAsserted;
    private long baseSeconds;
    private long baseNanos;
    private int dayOfWeekOffset;
    private long flagsUpTo;
    private long periodOrigin;

    /** An RTC reading {@code start} now, interrupting through {@code irq} (IRQ 8). */
    public CmosRtc(TimerQueue timers, IrqLine irq, LocalDateTime start) {
        this.clock = timers.clock();
        this.irq = irq;
        this.timer = timers.timer("mc146818 rtc", this::expired);
        long now = clock.nanos();
        this.baseSeconds = start.toEpochSecond(ZoneOffset.UTC);
        this.baseNanos = now - start.getNano();
        this.flagsUpTo = now;
        this.periodOrigin = baseNanos;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset != 1) {
            return 0xff;
        }
        return readRegister(index, clock.nanos());
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xff;
        if (offset == 0) {
            index = v & 0x7f;
            nmiDisabled = (v & 0x80) != 0;
        } else if (offset == 1) {
            writeRegister(index, v, clock.nanos());
        }
    }

    /** Port 0x70 bit 7 as last written: whether the guest has masked NMIs at the chipset. */
    public synchronized boolean nmiDisabled() {
        return nmiDisabled;
    }

    /** The time the clock shows (while stopped, the time being set). */
    public synchronized LocalDateTime time() {
        long seconds = stopped() ? composeHeld() : currentSeconds(clock.nanos());
        return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    }

    /** A CMOS byte as firmware would store it (0x0E-0x7F; clock registers are not reachable this way). */
    public synchronized int cmos(int address) {
        checkRam(address);
        return cmos[address];
    }

    public synchronized void setCmos(int address, int value) {
        checkRam(address);
        cmos[address] = value & 0xff;
    }

    /**
     * The memory-size bytes a PC BIOS (and QEMU's {@code pc} machine) leaves for the guest: base memory in KiB at
     * 0x15/0x16 (at most 640), memory above 1 MiB in KiB at 0x17/0x18 and 0x30/0x31 (at most 65535), memory between
     * 16 MiB and 4 GiB in 64 KiB units at 0x34/0x35 (at most 65535), and memory above 4 GiB in 64 KiB units at
     * 0x5B-0x5D.
     */
    public synchronized void setMemorySize(long belowFourGiB, long aboveFourGiB) {
        long base = Math.min(belowFourGiB / 1024, 640);
        putWord(0x15, base);
        long extended = Math.min(Math.max(0, (belowFourGiB - (1L << 20)) / 1024), 65535);
        putWord(0x17, extended);
        putWord(0x30, extended);
        long above16m = Math.min(Math.max(0, (belowFourGiB - (16L << 20)) / 65536), 65535);
        putWord(0x34, above16m);
        long high = aboveFourGiB / 65536;
        cmos[0x5b] = (int) (high & 0xff);
        cmos[0x5c] = (int) (high >> 8 & 0xff);
        cmos[0x5d] = (int) (high >> 16 & 0xff);
    }

    /** Byte 0x5F: the number of CPUs minus one, as QEMU's {@code pc} sets it for SeaBIOS. */
    public synchronized void setCpuCount(int cpus) {
        cmos[0x5f] = (cpus - 1) & 0xff;
    }

    public synchronized State state() {
        List<Integer> heldList = new ArrayList<>(held.length);
        for (int h : held) {
            heldList.add(h);
        }
        List<Integer> ram = new ArrayList<>(cmos.length);
        for (int b : cmos) {
            ram.add(b);
        }
        return new State(index, nmiDisabled, regA, regB, flags, irqAsserted, baseSeconds, baseNanos, heldList,
                heldCentury, dayOfWeekOffset, flagsUpTo, periodOrigin, ram);
    }

    public synchronized void restore(State s) {
        index = s.index();
        nmiDisabled = s.nmiDisabled();
        regA = s.regA();
        regB = s.regB();
        flags = s.flags();
        baseSeconds = s.baseSeconds();
        baseNanos = s.baseNanos();
        for (int i = 0; i < held.length; i++) {
            held[i] = s.held().get(i);
        }
        heldCentury = s.heldCentury();
        dayOfWeekOffset = s.dayOfWeekOffset();
        flagsUpTo = s.flagsUpTo();
        periodOrigin = s.periodOrigin();
        for (int i = 0; i < cmos.length; i++) {
            cmos[i] = s.cmos().get(i);
        }
        irqAsserted = s.irqAsserted();
        irq.set(irqAsserted);
        syncIrq(clock.nanos());
    }

    private void checkRam(int address) {
        if (address < 0x0e || address > 0x7f) {
            throw new IllegalArgumentException("CMOS RAM is 0x0e-0x7f, not 0x" + Integer.toHexString(address));
        }
    }

    private void putWord(int address, long value) {
        cmos[address] = (int) (value & 0xff);
        cmos[address + 1] = (int) (value >> 8 & 0xff);
    }

    private int readRegister(int r, long now) {
        switch (r) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR:
                return stopped() ? held[r] : timeRegister(currentSeconds(now), r);
            case CENTURY:
                return stopped() ? heldCentury : timeRegister(currentSeconds(now), r);
            case REG_A:
                return regA | (updateInProgress(now) ? A_UIP : 0);
            case REG_B:
                return regB;
            case REG_C:
                return readC(now);
            case REG_D:
                return D_VRT;
            default:
                return cmos[r];
        }
    }

    private void writeRegister(int r, int v, long now) {
        switch (r) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR, CENTURY:
                writeTime(r, v, now);
                break;
            case REG_A:
                advanceFlags(now);
                boolean wasStopped = stopped();
                boolean wasReset = dividerReset();
                regA = v & 0x7f;
                if (!wasStopped && stopped()) {
                    hold(now);
                } else if (wasStopped && !stopped()) {
                    release(wasReset ? now - SECOND / 2 : now);
                }
                syncIrq(now);
                break;
            case REG_B:
                advanceFlags(now);
                boolean wasHeld = stopped();
                regB = (v & B_SET) != 0 ? v & ~B_UIE : v;
                if (!wasHeld && stopped()) {
                    hold(now);
                } else if (wasHeld && !stopped()) {
                    release(now);
                }
                syncIrq(now);
                break;
            case REG_C, REG_D:
                break;
            default:
                cmos[r] = v;
        }
    }

    private void writeTime(int r, int v, long now) {
        if (stopped()) {
            setHeld(r, v);
            return;
        }
        advanceFlags(now);
        long lastUpdate = baseNanos + Math.floorDiv(now - baseNanos, SECOND) * SECOND;
        hold(now);
        setHeld(r, v);
        release(lastUpdate);
        syncIrq(now);
    }

    private void setHeld(int r, int v) {
        if (r == CENTURY) {
            heldCentury = v;
        } else {
            held[r] = v;
        }
    }

    private boolean dividerReset() {
        return (regA >> 4 & 7) >= 6;
    }

    private boolean stopped() {
        return (regB & B_SET) != 0 || dividerReset();
    }

    private long currentSeconds(long now) {
        return baseSeconds + Math.floorDiv(now - baseNanos, SECOND);
    }

    private boolean updateInProgress(long now) {
        return !stopped() && Math.floorMod(now - baseNanos, SECOND) >= SECOND - UIP_NANOS;
    }

    /** Stops the clock: the time registers now hold the current time and read back what is written. */
    private void hold(long now) {
        long seconds = currentSeconds(now);
        for (int r : TIME_REGISTERS) {
            held[r] = timeRegister(seconds, r);
        }
        heldCentury = timeRegister(seconds, CENTURY);
    }

    /** Restarts the clock from the held registers, which it shows at virtual time {@code origin}. */
    private void release(long origin) {
        baseSeconds = composeHeld();
        long day = Math.floorDiv(baseSeconds, 86400);
        dayOfWeekOffset = Math.floorMod(decode(held[DAY_OF_WEEK]) - 1 - dayOfWeek0(day), 7);
        baseNanos = origin;
    }

    private long composeHeld() {
        int year = decode(heldCentury) * 100 + decode(held[YEAR]);
        LocalDate date = LocalDate.of(year, 1, 1).plusMonths(decode(held[MONTH]) - 1L)
                .plusDays(decode(held[DAY_OF_MONTH]) - 1L);
        return date.toEpochDay() * 86400 + hourFromRegister(held[HOURS]) * 3600L + decode(held[MINUTES]) * 60L
                + decode(held[SECONDS]);
    }

    /** Day of week counted from Sunday = 0; 1970-01-01 was a Thursday. */
    private static int dayOfWeek0(long epochDay) {
        return Math.floorMod(epochDay + 4, 7);
    }

    private int timeRegister(long seconds, int r) {
        long day = Math.floorDiv(seconds, 86400);
        int second = Math.floorMod(seconds, 86400);
        return switch (r) {
            case SECONDS -> encode(second % 60);
            case MINUTES -> encode(second / 60 % 60);
            case HOURS -> hourRegister(second / 3600);
            case DAY_OF_WEEK -> (dayOfWeek0(day) + dayOfWeekOffset) % 7 + 1;
            case DAY_OF_MONTH -> encode(LocalDate.ofEpochDay(day).getDayOfMonth());
            case MONTH -> encode(LocalDate.ofEpochDay(day).getMonthValue());
            case YEAR -> encode(Math.floorMod(LocalDate.ofEpochDay(day).getYear(), 100));
            default -> encode(Math.floorDiv(LocalDate.ofEpochDay(day).getYear(), 100));
        };
    }

    private int encode(int v) {
        return (regB & B_BINARY) != 0 ? v : (v / 10) << 4 | v % 10;
    }

    private int decode(int raw) {
        return (regB & B_BINARY) != 0 ? raw : (raw >> 4) * 10 + (raw & 0xf);
    }

    private int hourRegister(int hour) {
        if ((regB & B_24H) != 0) {
            return encode(hour);
        }
        int h = hour % 12 == 0 ? 12 : hour % 12;
        return encode(h) | (hour >= 12 ? 0x80 : 0);
    }

    private int hourFromRegister(int raw) {
        if ((regB & B_24H) != 0) {
            return decode(raw);
        }
        return decode(raw & 0x7f) % 12 + ((raw & 0x80) != 0 ? 12 : 0);
    }

    private static long periodTicks(int rate) {
        return rate <= 2 ? 1L << (rate + 6) : 1L << (rate - 1);
    }

    /** Sets PF, UF and AF for every event in (flagsUpTo, now]. */
    private void advanceFlags(long now) {
        if (now <= flagsUpTo) {
            return;
        }
        int rate = regA & 0x0f;
        if (rate != 0 && !dividerReset()) {
            long p = periodTicks(rate);
            long before = Math.floorDiv(Ticks.fromNanos(flagsUpTo - periodOrigin, TIME_BASE_HZ), p);
            long after = Math.floorDiv(Ticks.fromNanos(now - periodOrigin, TIME_BASE_HZ), p);
            if (after > before) {
                flags |= C_PF;
            }
        }
        if (!stopped()) {
            long before = Math.floorDiv(flagsUpTo - baseNanos, SECOND);
            long after = Math.floorDiv(now - baseNanos, SECOND);
            if (after > before) {
                flags |= C_UF;
                for (long k = after; k > before && k > after - 86400; k--) {
                    if (alarmMatches(baseSeconds + k)) {
                        flags |= C_AF;
                        break;
                    }
                }
            }
        }
        flagsUpTo = now;
    }

    private boolean alarmMatches(long seconds) {
        return alarmField(SECONDS_ALARM, seconds, SECONDS) && alarmField(MINUTES_ALARM, seconds, MINUTES)
                && alarmField(HOURS_ALARM, seconds, HOURS);
    }

    private boolean alarmField(int alarm, long seconds, int r) {
        int a = cmos[alarm];
        return (a & 0xc0) == 0xc0 || a == timeRegister(seconds, r);
    }

    private int readC(long now) {
        advanceFlags(now);
        int v = flags | ((flags & regB & 0x70) != 0 ? C_IRQF : 0);
        flags = 0;
        syncIrq(now);
        return v;
    }

    private void syncIrq(long now) {
        boolean level = (flags & regB & 0x70) != 0;
        if (level != irqAsserted) {
            irqAsserted = level;
            irq.set(level);
        }
        if (irqAsserted) {
            timer.cancel();
            return;
        }
        long next = TimerQueue.NEVER;
        int rate = regA & 0x0f;
        if ((regB & B_PIE) != 0 && rate != 0 && !dividerReset()) {
            long p = periodTicks(rate);
            long k = Math.floorDiv(Ticks.fromNanos(now - periodOrigin, TIME_BASE_HZ), p) + 1;
            next = periodOrigin + Ticks.toNanos(k * p, TIME_BASE_HZ);
        }
        if ((regB & (B_UIE | B_AIE)) != 0 && !stopped()) {
            next = Math.min(next, baseNanos + (Math.floorDiv(now - baseNanos, SECOND) + 1) * SECOND);
        }
        timer.schedule(next);
    }

    private synchronized void expired(long now) {
        advanceFlags(now);
        syncIrq(now);
    }
}
