package org.hyperport.x86.intc;

import org.hyperport.common.bus.BusDevice;
import org.hyperport.x86.timer.TimerQueue;
import org.hyperport.x86.timer.Tsc;
import org.hyperport.x86.timer.VirtualClock;

/**
 * One vCPU's local APIC (SDM Vol 3A, "Advanced Programmable Interrupt Controller (APIC)"), in xAPIC mode through its
 * 4 KiB MMIO page (0xFEE00000 unless IA32_APIC_BASE moves it) or in x2APIC mode through MSRs 0x800-0x8FF.
 *
 * <p>The engine reaches it three ways: MMIO from the vCPU that owns it ({@link #claims}, then {@link #read} /
 * {@link #write}; the page is per-vCPU, so it cannot live on the shared bus), MSRs ({@link #claimsMsr}: IA32_APIC_BASE
 * 0x1B, IA32_TSC_DEADLINE 0x6E0 and the x2APIC range), and CR8 ({@link #cr8}, {@link #setCr8}: TPR bits 7-4).
 * Interrupt acceptance goes through {@link X86InterruptSource}, which {@link EmulatedIrqchip} implements on top of
 * {@link #events()}, {@link #acknowledge()}, {@link #takeNmi()}, {@link #takeInit()} and {@link #takeSipi()}.
 *
 * <p>Modelled: ID, version 0x14 with 6 LVT entries (timer, thermal, performance, LINT0, LINT1, error; no CMCI) and no
 * EOI-broadcast suppression; TPR, PPR and the priority rule (a vector is delivered only if its class, bits 7-4, is
 * above PPR's); EOI (clears the highest ISR bit and, if its TMR bit is set, broadcasts the EOI to the I/O APIC); LDR
 * and DFR (flat and cluster logical destinations); SVR (software enable, spurious vector; while software-disabled
 * every LVT is masked, fixed and lowest-priority messages are refused, and NMI, INIT and startup messages are still
 * accepted); ISR, TMR, IRR; ESR with the write-before-read latch; ICR with fixed, lowest-priority, NMI, INIT and
 * startup IPIs, physical and logical destinations and shorthands, delivered at once (delivery status always reads
 * idle); the timer in one-shot, periodic and TSC-deadline modes, clocked at one tick per {@value #BUS_CYCLE_NANOS} ns
 * bus cycle (1 GHz, as KVM and QEMU report) divided per the divide configuration register, its current count
 * computed from the clock. Changing the timer mode disarms the timer; changing the divider while it runs keeps the
 * current count. SMI messages are ignored (there is no SMM). Lowest-priority messages go to the matching APIC with the
 * lowest PPR class, the lowest-numbered on a tie; there is no focus processor.
 *
 * <p>The 8259's INT output is wired to LINT0 of vCPU 0 only. It reaches that CPU while LINT0 is unmasked in ExtINT
 * mode (the virtual-wire mode vCPU 0's LINT0 resets to, as a BIOS leaves it) or while the APIC is hardware-disabled
 * in IA32_APIC_BASE. Such an interrupt (or an ExtINT message from the I/O APIC) is taken before any APIC vector and
 * costs an INTA cycle on the 8259, whose vector the CPU gets. LINT1 is the NMI input ({@link #setLint1}).
 *
 * <p>Thread-safety: all state is guarded by the irqchip's lock; {@link #events()} is a volatile read.
 */
public final class LocalApic implements BusDevice {

    public static final long DEFAULT_BASE = 0xfee00000L;
    public static final int PAGE_SIZE = 0x1000;
    public static final long BUS_CYCLE_NANOS = 1;

    public static final int MSR_APIC_BASE = 0x1b;
    public static final int MSR_TSC_DEADLINE = 0x6e0;
    public static final int MSR_X2APIC_FIRST = 0x800;
    public static final int MSR_X2APIC_LAST = 0x8ff;

    public static final long BASE_BSP = 1L << 8;
    public static final long BASE_X2APIC = 1L << 10;
    public static final long BASE_ENABLE = 1L << 11;
    private static final long BASE_ADDRESS_MASK = 0x000f_ffff_ffff_f000L;

    public static final int ID = 0x020;
    public static final int VERSION = 0x030;
    public static final int TPR = 0x080;
    public static final int APR = 0x090;
    public static final int PPR = 0x0a0;
    public static final int EOI = 0x0b0;
    public static final int RRD = 0x0c0;
    public static final int LDR = 0x0d0;
    public static final int DFR = 0x0e0;
    public static final int SVR = 0x0f0;
    public static final int ISR = 0x100;
    public static final int TMR = 0x180;
    public static final int IRR = 0x200;
    public static final int ESR = 0x280;
    public static final int ICR_LOW = 0x300;
    public static final int ICR_HIGH = 0x310;
    public static final int LVT_TIMER = 0x320;
    public static final int LVT_THERMAL = 0x330;
    public static final int LVT_PERF = 0x340;
    public static final int LVT_LINT0 = 0x350;
    public static final int LVT_LINT1 = 0x360;
    public static final int LVT_ERROR = 0x370;
    public static final int TIMER_INITIAL = 0x380;
    public static final int TIMER_CURRENT = 0x390;
    public static final int TIMER_DIVIDE = 0x3e0;
    public static final int SELF_IPI = 0x3f0;

    /** Version register: integrated APIC (0x14), maximum LVT entry 5. */
    public static final int VERSION_VALUE = 0x0005_0014;
    public static final int LVT_MASKED = 1 << 16;
    public static final int SVR_ENABLE = 1 << 8;
    public static final int TIMER_ONE_SHOT = 0;
    public static final int TIMER_PERIODIC = 1;
    public static final int TIMER_TSC_DEADLINE = 2;

    public static final int ESR_SEND_ILLEGAL_VECTOR = 0x20;
    public static final int ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;
    public static final int ESR_ILLEGAL_REGISTER = 0x80;

    private static final int ICR_WRITABLE = 0x000c_cfff;
    private static final int LVT_TIMER_WRITABLE = 0x0007_00ff;
    private static final int LVT_LINT_WRITABLE = 0x0001_a7ff;
    private static final int LVT_ERROR_WRITABLE = 0x0001_00ff;
    private static final int LVT_OTHER_WRITABLE = 0x0001_07ff;
    private static final int LINT_VIRTUAL_WIRE = ApicBus.EXTINT << 8;

    private final int index;
    private final Object lock;
    private final ApicRouter router;
    private final I8259 pic;
    private final VirtualClock clock;
    private final Tsc tsc;
    private final TimerQueue.Timer timer;

    private long apicBase;
    private int id;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private final long[] isr = new long[4];
    private final long[] tmr = new long[4];
    private final long[] irr = new long[4];
    private int esr;
    private int pendingErrors;
    private int icrLow;
    private int icrHigh;
    private int lvtTimer;
    private int lvtThermal;
    private int lvtPerf;
    private int lvtLint0;
    private int lvtLint1;
    private int lvtError;
    private int initialCount;
    private int divideConfig;
    private long timerStart;
    private boolean timerRunning;
    private long timerPeriodsFired;
    private long tscDeadline;
    private boolean lint1Level;
    private boolean nmiPending;
    private boolean initPending;
    private int sipiVector = -1;
    private boolean waitingForSipi;
    private boolean extIntPending;
    private volatile int events;

    LocalApic(int index, Object lock, ApicRouter router, I8259 pic, TimerQueue timers, Tsc tsc) {
        this.index = index;
        this.lock = lock;
        this.router = router;
        this.pic = pic;
        this.clock = timers.clock();
        this.tsc = tsc;
        this.timer = timers.timer("lapic timer " + index, this::timerExpired);
        this.apicBase = DEFAULT_BASE | BASE_ENABLE | (index == 0 ? BASE_BSP : 0);
        this.id = index;
        reset();
        if (index == 0) {
            lvtLint0 = LINT_VIRTUAL_WIRE;
        }
    }

    /** The vCPU this APIC belongs to. */
    public int vcpu() {
        return index;
    }

    /** Whether a guest-physical access from this vCPU belongs to this APIC's MMIO page (xAPIC mode only). */
    public boolean claims(long gpa) {
        synchronized (lock) {
            return (apicBase & (BASE_ENABLE | BASE_X2APIC)) == BASE_ENABLE
                    && gpa >= (apicBase & BASE_ADDRESS_MASK) && gpa < (apicBase & BASE_ADDRESS_MASK) + PAGE_SIZE;
        }
    }

    /** Offsets are within the page. Registers are 32 bits at 16-byte alignment; other writes are ignored. */
    @Override
    public long read(long offset, int size) {
        synchronized (lock) {
            if (x2apic() || !hardwareEnabled()) {
                return 0;
            }
            int within = (int) (offset & 0xf);
            if (within >= 4) {
                return 0;
            }
            long v = (readRegister((int) offset & 0xff0) & 0xffffffffL) >>> (within * 8);
            return size >= 4 ? v : v & ((1L << (size * 8)) - 1);
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        synchronized (lock) {
            if (x2apic() || !hardwareEnabled() || size != 4 || (offset & 0xf) != 0) {
                return;
            }
            writeRegister((int) offset & 0xff0, (int) value);
            refresh();
        }
    }

    /** Whether RDMSR/WRMSR of {@code msr} belongs here (in x2APIC mode for the 0x800 range). */
    public boolean claimsMsr(int msr) {
        return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE || (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
    }

    /** Whether RDMSR of {@code msr} succeeds; if not the CPU raises #GP(0). */
    public boolean msrReadable(int msr) {
        synchronized (lock) {
            if (msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE) {
                return true;
            }
            if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic()) {
                return false;
            }
            int reg = (msr - MSR_X2APIC_FIRST) << 4;
            return switch (reg) {
                case ID, VERSION, TPR, PPR, LDR, SVR, ESR, ICR_LOW, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0,
                     LVT_LINT1, LVT_ERROR, TIMER_INITIAL, TIMER_CURRENT, TIMER_DIVIDE -> true;
                default -> reg >= ISR && reg < ESR;
            };
        }
    }

    /** RDMSR; call {@link #msrReadable} first. */
    public long readMsr(int msr) {
        synchronized (lock) {
            if (msr == MSR_APIC_BASE) {
                return apicBase;
            }
            if (msr == MSR_TSC_DEADLINE) {
                return timerMode() == TIMER_TSC_DEADLINE ? tscDeadline : 0;
            }
            int reg = (msr - MSR_X2APIC_FIRST) << 4;
            if (reg == ICR_LOW) {
                return (long) icrHigh << 32 | (icrLow & 0xffffffffL);
            }
            return readRegister(reg) & 0xffffffffL;
        }
    }

    /** WRMSR; false means the CPU raises #GP(0) and nothing changed. */
    public boolean writeMsr(int msr, long value) {
        synchronized (lock) {
            boolean ok = writeMsrLocked(msr, value);
            refresh();
            return ok;
        }
    }

    /** MOV from CR8: TPR bits 7-4. */
    public int cr8() {
        synchronized (lock) {
            return tpr >> 4 & 0xf;
        }
    }

    /** MOV to CR8. */
    public void setCr8(int value) {
        synchronized (lock) {
            tpr = (value & 0xf) << 4;
            refresh();
        }
    }

    /** LINT1, the NMI pin on a PC: a rising edge raises an NMI while LINT1 is unmasked in NMI mode or the APIC is off. */
    public void setLint1(boolean level) {
        synchronized (lock) {
            boolean rising = level && !lint1Level;
            lint1Level = level;
            if (rising && (!hardwareEnabled()
                    || ((lvtLint1 & LVT_MASKED) == 0 && (lvtLint1 >> 8 & 7) == ApicBus.NMI))) {
                nmiPending = true;
                refresh();
            }
        }
    }

    /** The pending-event bits of {@link X86InterruptSource}; lock-free. */
    public int events() {
        return events;
    }

    /**
     * The highest vector in IRR whose priority class is above PPR's, or -1: what this APIC would hand the CPU on
     * {@link #acknowledge()} if no 8259 (ExtINT) interrupt is waiting.
     */
    public int pendingVector() {
        synchronized (lock) {
            return deliverableVector();
        }
    }

    /**
     * The interrupt-acknowledge cycle: an ExtINT interrupt runs the 8259's INTA and returns its vector; otherwise the
     * highest deliverable IRR vector moves to ISR and is returned. If nothing is deliverable any more (TPR was raised
     * in the meantime), returns the spurious vector from SVR, which sets no ISR bit.
     */
    public int acknowledge() {
        synchronized (lock) {
            int vector;
            if (extIntPending || (acceptsPicInterrupts() && pic.hasInterrupt())) {
                extIntPending = false;
                vector = pic.acknowledge();
            } else {
                int v = deliverableVector();
                if (v < 0) {
                    vector = svr & 0xff;
                } else {
                    clear(irr, v);
                    set(isr, v);
                    vector = v;
                }
            }
            refresh();
            return vector;
        }
    }

    /** Takes a pending NMI. */
    public boolean takeNmi() {
        synchronized (lock) {
            boolean taken = nmiPending;
            nmiPending = false;
            refresh();
            return taken;
        }
    }

    /**
     * Takes a pending INIT: resets this APIC to its INIT state (everything but the APIC ID and IA32_APIC_BASE) and,
     * unless this is the bootstrap processor, makes it wait for a startup IPI. The engine resets the CPU.
     */
    public boolean takeInit() {
        synchronized (lock) {
            if (!initPending) {
                return false;
            }
            reset();
            refresh();
            return true;
        }
    }

    /** Takes a pending startup IPI: its vector (the CPU starts at {@code vector << 12}), or -1. */
    public int takeSipi() {
        synchronized (lock) {
            int v = sipiVector;
            if (v >= 0) {
                sipiVector = -1;
                waitingForSipi = false;
                refresh();
            }
            return v;
        }
    }

    /** Whether the CPU is in wait-for-SIPI state (application processors from reset and after INIT). */
    public boolean waitingForSipi() {
        synchronized (lock) {
            return waitingForSipi;
        }
    }

    // ---- package-private, called by the router and the irqchip with the lock held ----

    boolean x2apic() {
        return (apicBase & BASE_X2APIC) != 0;
    }

    boolean hardwareEnabled() {
        return (apicBase & BASE_ENABLE) != 0;
    }

    boolean softwareEnabled() {
        return hardwareEnabled() && (svr & SVR_ENABLE) != 0;
    }

    int ppr() {
        int isrv = highest(isr);
        int isrClass = isrv < 0 ? 0 : isrv & 0xf0;
        return (tpr & 0xf0) >= isrClass ? tpr : isrClass;
    }

    /** Whether a message to {@code destination} addresses this APIC (SDM "Determining IPI Destination"). */
    boolean matches(int destination, boolean logical, boolean x2apicFormat) {
        if (!hardwareEnabled()) {
            return false;
        }
        boolean broadcast = x2apicFormat ? destination == -1 : (destination & 0xff) == 0xff;
        if (broadcast) {
            return true;
        }
        if (!logical) {
            return x2apic() ? destination == id : (destination & 0xff) == (id & 0xff);
        }
        if (x2apic()) {
            return (destination >>> 16) == (ldr >>> 16) && (destination & ldr & 0xffff) != 0;
        }
        int mda = destination & 0xff;
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xf) {
            return (mda & logicalId) != 0;
        }
        return (mda >> 4) == (logicalId >> 4) && (mda & logicalId & 0xf) != 0;
    }

    /** A message arrives; returns whether this APIC accepted it. */
    boolean accept(int mode, int vector, boolean levelTriggered) {
        if (!hardwareEnabled()) {
            return false;
        }
        switch (mode) {
            case ApicBus.FIXED, ApicBus.LOWEST_PRIORITY -> {
                if (!softwareEnabled()) {
                    return false;
                }
                if (vector < 16) {
                    error(ESR_RECEIVE_ILLEGAL_VECTOR);
                    return false;
                }
                set(irr, vector);
                if (levelTriggered) {
                    set(tmr, vector);
                } else {
                    clear(tmr, vector);
                }
            }
            case ApicBus.NMI -> nmiPending = true;
            case ApicBus.INIT -> initPending = true;
            case ApicBus.STARTUP -> {
                if (!waitingForSipi || sipiVector >= 0) {
                    return false;
                }
                sipiVector = vector & 0xff;
            }
            case ApicBus.EXTINT -> extIntPending = true;
            default -> {
                return false;
            }
        }
        refresh();
        return true;
    }

    /** Recomputes {@link #events()}; kicks the vCPU if an event appeared. */
    void refresh() {
        int e = 0;
        if (nmiPending) {
            e |= X86InterruptSource.NMI;
        }
        if (initPending) {
            e |= X86InterruptSource.INIT;
        }
        if (sipiVector >= 0) {
            e |= X86InterruptSource.SIPI;
        }
        if (extIntPending || (acceptsPicInterrupts() && pic.hasInterrupt()) || deliverableVector() >= 0) {
            e |= X86InterruptSource.INTR;
        }
        int old = events;
        events = e;
        if ((e & ~old) != 0) {
            router.kick(index);
        }
    }

    IrqchipState.Lapic state() {
        return new IrqchipState.Lapic(apicBase, id, tpr, ldr, dfr, svr, IrqchipState.Vectors.of(isr),
                IrqchipState.Vectors.of(tmr), IrqchipState.Vectors.of(irr), esr, pendingErrors, icrLow, icrHigh,
                lvtTimer, lvtThermal, lvtPerf, lvtLint0, lvtLint1, lvtError, initialCount, divideConfig, timerStart,
                timerRunning, tscDeadline, lint1Level, nmiPending, initPending, sipiVector, waitingForSipi,
                extIntPending);
    }

    void restore(IrqchipState.Lapic s) {
        apicBase = s.apicBase();
        id = s.id();
        tpr = s.tpr();
        ldr = s.ldr();
        dfr = s.dfr();
        svr = s.svr();
        s.isr().copyTo(isr);
        s.tmr().copyTo(tmr);
        s.irr().copyTo(irr);
        esr = s.esr();
        pendingErrors = s.pendingErrors();
        icrLow = s.icrLow();
        icrHigh = s.icrHigh();
        lvtTimer = s.lvtTimer();
        lvtThermal = s.lvtThermal();
        lvtPerf = s.lvtPerf();
        lvtLint0 = s.lvtLint0();
        lvtLint1 = s.lvtLint1();
        lvtError = s.lvtError();
        initialCount = s.initialCount();
        divideConfig = s.divideConfig();
        timerStart = s.timerStart();
        timerRunning = s.timerRunning();
        tscDeadline = s.tscDeadline();
        lint1Level = s.lint1Level();
        nmiPending = s.nmiPending();
        initPending = s.initPending();
        sipiVector = s.sipiVector();
        waitingForSipi = s.waitingForSipi();
        extIntPending = s.extIntPending();
        long now = clock.nanos();
        timerPeriodsFired = timerRunning && timerMode() == TIMER_PERIODIC ? (now - timerStart) / period() : 0;
        armTimer(now);
        refresh();
    }

    // ---- internals ----

    private void reset() {
        tpr = 0;
        ldr = x2apic() ? x2apicLdr() : 0;
        dfr = 0xffffffff;
        svr = 0xff;
        java.util.Arrays.fill(isr, 0);
        java.util.Arrays.fill(tmr, 0);
        java.util.Arrays.fill(irr, 0);
        esr = 0;
        pendingErrors = 0;
        icrLow = 0;
        icrHigh = 0;
        lvtTimer = LVT_MASKED;
        lvtThermal = LVT_MASKED;
        lvtPerf = LVT_MASKED;
        lvtLint0 = LVT_MASKED;
        lvtLint1 = LVT_MASKED;
        lvtError = LVT_MASKED;
        initialCount = 0;
        divideConfig = 0;
        timerRunning = false;
        tscDeadline = 0;
        timer.cancel();
        nmiPending = false;
        initPending = false;
        sipiVector = -1;
        extIntPending = false;
        waitingForSipi = (apicBase & BASE_BSP) == 0;
    }

    private int x2apicLdr() {
        return (id >>> 4) << 16 | 1 << (id & 0xf);
    }

    private boolean acceptsPicInterrupts() {
        return index == 0 && (!hardwareEnabled()
                || ((lvtLint0 & LVT_MASKED) == 0 && (lvtLint0 >> 8 & 7) == ApicBus.EXTINT));
    }

    private int deliverableVector() {
        if (!hardwareEnabled()) {
            return -1;
        }
        int v = highest(irr);
        return v >= 0 && (v & 0xf0) > (ppr() & 0xf0) ? v : -1;
    }

    private int readRegister(int reg) {
        switch (reg) {
            case ID:
                return x2apic() ? id : id << 24;
            case VERSION:
                return VERSION_VALUE;
            case TPR:
                return tpr;
            case PPR:
                return ppr();
            case LDR:
                return ldr;
            case DFR:
                return x2apic() ? 0 : dfr | 0x0fffffff;
            case SVR:
                return svr;
            case ESR:
                return esr;
            case ICR_LOW:
                return icrLow;
            case ICR_HIGH:
                return icrHigh;
            case LVT_TIMER:
                return lvtTimer;
            case LVT_THERMAL:
                return lvtThermal;
            case LVT_PERF:
                return lvtPerf;
            case LVT_LINT0:
                return lvtLint0;
            case LVT_LINT1:
                return lvtLint1;
            case LVT_ERROR:
                return lvtError;
            case TIMER_INITIAL:
                return initialCount;
            case TIMER_CURRENT:
                return currentCount(clock.nanos());
            case TIMER_DIVIDE:
                return divideConfig;
            default:
                if (reg >= ISR && reg < ESR) {
                    long[] bits = reg < TMR ? isr : reg < IRR ? tmr : irr;
                    int n = (reg >> 4) & 7;
                    return (int) (bits[n >> 1] >>> ((n & 1) * 32));
                }
                return 0;
        }
    }

    private void writeRegister(int reg, int v) {
        switch (reg) {
            case ID -> {
                if (!x2apic()) {
                    id = v >>> 24;
                }
            }
            case TPR -> tpr = v & 0xff;
            case EOI -> eoi();
            case LDR -> {
                if (!x2apic()) {
                    ldr = v & 0xff000000;
                }
            }
            case DFR -> {
                if (!x2apic()) {
                    dfr = v | 0x0fffffff;
                }
            }
            case SVR -> {
                svr = v & 0x3ff;
                if ((svr & SVR_ENABLE) == 0) {
                    lvtTimer |= LVT_MASKED;
                    lvtThermal |= LVT_MASKED;
                    lvtPerf |= LVT_MASKED;
                    lvtLint0 |= LVT_MASKED;
                    lvtLint1 |= LVT_MASKED;
                    lvtError |= LVT_MASKED;
                }
            }
            case ESR -> {
                esr = pendingErrors;
                pendingErrors = 0;
            }
            case ICR_LOW -> {
                icrLow = v & ICR_WRITABLE;
                sendIpi();
            }
            case ICR_HIGH -> icrHigh = v & 0xff000000;
            case LVT_TIMER -> writeLvtTimer(v);
            case LVT_THERMAL -> lvtThermal = lvt(v, LVT_OTHER_WRITABLE);
            case LVT_PERF -> lvtPerf = lvt(v, LVT_OTHER_WRITABLE);
            case LVT_LINT0 -> lvtLint0 = lvt(v, LVT_LINT_WRITABLE);
            case LVT_LINT1 -> lvtLint1 = lvt(v, LVT_LINT_WRITABLE);
            case LVT_ERROR -> lvtError = lvt(v, LVT_ERROR_WRITABLE);
            case TIMER_INITIAL -> writeInitialCount(v);
            case TIMER_DIVIDE -> writeDivide(v & 0xb);
            default -> { }
        }
    }

    private boolean writeMsrLocked(int msr, long value) {
        if (msr == MSR_APIC_BASE) {
            return writeApicBase(value);
        }
        if (msr == MSR_TSC_DEADLINE) {
            writeTscDeadline(value);
            return true;
        }
        if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic()) {
            return false;
        }
        int reg = (msr - MSR_X2APIC_FIRST) << 4;
        if (reg == ICR_LOW) {
            icrHigh = (int) (value >>> 32);
            icrLow = (int) value & ICR_WRITABLE;
            sendIpi();
            return true;
        }
        if ((value >>> 32) != 0) {
            return false;
        }
        int v = (int) value;
        switch (reg) {
            case TPR, SVR, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, TIMER_INITIAL,
                 TIMER_DIVIDE -> writeRegister(reg, v);
            case EOI, ESR -> {
                if (v != 0) {
                    return false;
                }
                writeRegister(reg, v);
            }
            case SELF_IPI -> selfIpi(v & 0xff);
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean writeApicBase(long value) {
        if ((value & ~(BASE_ADDRESS_MASK | BASE_BSP | BASE_X2APIC | BASE_ENABLE)) != 0) {
            return false;
        }
        boolean enable = (value & BASE_ENABLE) != 0;
        boolean x2 = (value & BASE_X2APIC) != 0;
        if ((x2 && !enable) || (x2apic() && enable && !x2) || (!hardwareEnabled() && x2)) {
            return false;
        }
        boolean wasEnabled = hardwareEnabled();
        boolean wasX2 = x2apic();
        apicBase = (value & ~BASE_BSP) | (apicBase & BASE_BSP);
        if (wasEnabled && !enable) {
            svr &= ~SVR_ENABLE;
            writeRegister(SVR, svr);
            timerRunning = false;
            tscDeadline = 0;
            timer.cancel();
        }
        if (x2 && !wasX2) {
            ldr = x2apicLdr();
        }
        return true;
    }

    private int lvt(int v, int writable) {
        return (svr & SVR_ENABLE) != 0 ? v & writable : v & writable | LVT_MASKED;
    }

    private void eoi() {
        int v = highest(isr);
        if (v < 0) {
            return;
        }
        clear(isr, v);
        if (test(tmr, v)) {
            router.eoi(v);
        }
    }

    private void error(int bit) {
        pendingErrors |= bit;
        if ((lvtError & LVT_MASKED) == 0) {
            deliverLocal(lvtError & 0xff);
        }
    }

    /** A locally generated (LVT or self-IPI) fixed, edge-triggered interrupt. */
    private void deliverLocal(int vector) {
        if (vector < 16) {
            pendingErrors |= ESR_RECEIVE_ILLEGAL_VECTOR;
            return;
        }
        set(irr, vector);
        clear(tmr, vector);
    }

    private void selfIpi(int vector) {
        if (vector < 16) {
            error(ESR_SEND_ILLEGAL_VECTOR);
            return;
        }
        deliverLocal(vector);
    }

    private void sendIpi() {
        int mode = icrLow >> 8 & 7;
        int vector = icrLow & 0xff;
        boolean logical = (icrLow & 0x800) != 0;
        boolean assertLevel = (icrLow & 0x4000) != 0;
        boolean levelTriggered = (icrLow & 0x8000) != 0;
        int shorthand = icrLow >> 18 & 3;
        if (mode == ApicBus.INIT && levelTriggered && !assertLevel) {
            return;
        }
        if ((mode == ApicBus.FIXED || mode == ApicBus.LOWEST_PRIORITY) && vector < 16) {
            error(ESR_SEND_ILLEGAL_VECTOR);
            return;
        }
        int destination = x2apic() ? icrHigh : icrHigh >>> 24;
        router.ipi(this, shorthand, destination, logical, mode, vector,
                levelTriggered && (mode == ApicBus.FIXED || mode == ApicBus.LOWEST_PRIORITY));
    }

    // ---- timer ----

    private int timerMode() {
        return lvtTimer >> 17 & 3;
    }

    private long tickNanos() {
        int v = (divideConfig & 8) >> 1 | (divideConfig & 3);
        return (1L << ((v + 1) & 7)) * BUS_CYCLE_NANOS;
    }

    private long period() {
        return Integer.toUnsignedLong(initialCount) * tickNanos();
    }

    private int currentCount(long now) {
        if (!timerRunning || timerMode() == TIMER_TSC_DEADLINE) {
            return 0;
        }
        long initial = Integer.toUnsignedLong(initialCount);
        long ticks = (now - timerStart) / tickNanos();
        if (timerMode() == TIMER_PERIODIC) {
            return (int) (initial - ticks % initial);
        }
        return ticks >= initial ? 0 : (int) (initial - ticks);
    }

    private void writeLvtTimer(int v) {
        int oldMode = timerMode();
        lvtTimer = lvt(v, LVT_TIMER_WRITABLE);
        if (timerMode() != oldMode) {
            initialCount = 0;
            timerRunning = false;
            tscDeadline = 0;
            timer.cancel();
        }
    }

    private void writeInitialCount(int v) {
        if (timerMode() == TIMER_TSC_DEADLINE) {
            return;
        }
        initialCount = v;
        timerRunning = v != 0;
        timerStart = clock.nanos();
        timerPeriodsFired = 0;
        armTimer(timerStart);
    }

    private void writeDivide(int v) {
        long now = clock.nanos();
        if (timerRunning && timerMode() != TIMER_TSC_DEADLINE) {
            long remaining = Integer.toUnsignedLong(currentCount(now));
            long done = Integer.toUnsignedLong(initialCount) - remaining;
            divideConfig = v;
            timerStart = now - done * tickNanos();
            timerPeriodsFired = 0;
            armTimer(now);
        } else {
            divideConfig = v;
        }
    }

    private void writeTscDeadline(long value) {
        if (timerMode() != TIMER_TSC_DEADLINE) {
            return;
        }
        tscDeadline = value;
        armTimer(clock.nanos());
    }

    private void armTimer(long now) {
        if (timerMode() == TIMER_TSC_DEADLINE) {
            if (tscDeadline == 0) {
                timer.cancel();
            } else if (Long.compareUnsigned(tscDeadline, tsc.at(now)) <= 0) {
                timer.cancel();
                tscDeadline = 0;
                fireTimer();
            } else {
                timer.schedule(tsc.nanosAt(tscDeadline));
            }
        } else if (!timerRunning) {
            timer.cancel();
        } else if (timerMode() == TIMER_PERIODIC) {
            timer.schedule(timerStart + (timerPeriodsFired + 1) * period());
        } else {
            timer.schedule(timerStart + period());
        }
    }

    private void timerExpired(long now) {
        synchronized (lock) {
            if (timerMode() == TIMER_TSC_DEADLINE) {
                if (tscDeadline != 0 && Long.compareUnsigned(tscDeadline, tsc.at(now)) <= 0) {
                    tscDeadline = 0;
                    fireTimer();
                }
            } else if (timerRunning && timerMode() == TIMER_PERIODIC) {
                long periods = (now - timerStart) / period();
                if (periods > timerPeriodsFired) {
                    timerPeriodsFired = periods;
                    fireTimer();
                }
            } else if (timerRunning && now - timerStart >= period()) {
                timerRunning = false;
                fireTimer();
            }
            armTimer(now);
            refresh();
        }
    }

    private void fireTimer() {
        if ((lvtTimer & LVT_MASKED) == 0) {
            deliverLocal(lvtTimer & 0xff);
        }
    }

    // ---- 256-bit vector sets ----

    private static void set(long[] bits, int v) {
        bits[v >> 6] |= 1L << (v & 63);
    }

    private static void clear(long[] bits, int v) {
        bits[v >> 6] &= ~(1L << (v & 63));
    }

    private static boolean test(long[] bits, int v) {
        return (bits[v >> 6] >>> (v & 63) & 1) != 0;
    }

    private static int highest(long[] bits) {
        for (int w = 3; w >= 0; w--) {
            if (bits[w] != 0) {
                return w * 64 + 63 - Long.numberOfLeadingZeros(bits[w]);
            }
        }
        return -1;
    }
}
