package org.hyperport.s390.interp;

import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.mmu.DatWalker;

/**
 * The z/Architecture interpreter core for one CPU: instruction fetch and decode through {@link InstructionTable},
 * dispatch to the {@link Semantics} of the table entry, address generation, storage access through DAT, prefixing,
 * storage keys and low-address protection, and the interruption model: program, SVC, external, I/O, restart and
 * machine-check interruptions are taken by storing the old PSW in the lowcore and loading the new PSW (PoP Ch. 6).
 *
 * <p>Storage accesses take a logical address (already wrapped to the addressing mode); {@code *Real} accesses take
 * a real address (prefixing applies); {@code *Absolute} accesses take an absolute address.
 *
 * <p>Semantics raise program interruptions with {@code throw c.fault().raise(code)}; {@link #step()} catches them
 * and delivers the interruption with the old PSW pointing at the instruction (nullification) or after it.
 */
public final class S390Interpreter {

    /** Access kinds for translation and protection. */
    public static final int FETCH = 0, STORE = 1, IFETCH = 2;

    /** Lowcore offsets (PoP Ch. 3 "Assigned Storage Locations"). */
    public static final int LC_EXT_PARAM = 0x80, LC_EXT_CPU_ADDR = 0x84, LC_EXT_CODE = 0x86, LC_SVC_ILC = 0x88,
            LC_SVC_CODE = 0x8a, LC_PGM_ILC = 0x8c, LC_PGM_CODE = 0x8e, LC_DXC = 0x90, LC_EXC_ACCESS_ID = 0xa0,
            LC_PER_ACCESS_ID = 0xa1, LC_OP_ACCESS_ID = 0xa2, LC_TEID = 0xa8, LC_IO_SUBSYS_ID = 0xb8,
            LC_IO_PARAM = 0xbc, LC_IO_ID = 0xc0, LC_STFL = 0xc8, LC_MCIC = 0xe8,
            LC_RESTART_OLD = 0x120, LC_EXT_OLD = 0x130, LC_SVC_OLD = 0x140, LC_PGM_OLD = 0x150,
            LC_MCHK_OLD = 0x160, LC_IO_OLD = 0x170, LC_RESTART_NEW = 0x1a0, LC_EXT_NEW = 0x1b0,
            LC_SVC_NEW = 0x1c0, LC_PGM_NEW = 0x1d0, LC_MCHK_NEW = 0x1e0, LC_IO_NEW = 0x1f0;

    /** CR0 bits (IBM numbering → mask). */
    public static final long CR0_LOW_ADDRESS_PROTECTION = 1L << (63 - 35), CR0_FETCH_PROT_OVERRIDE = 1L << (63 - 38),
            CR0_STORAGE_PROT_OVERRIDE = 1L << (63 - 39), CR0_EDAT = 1L << (63 - 40), CR0_AFP = 1L << (63 - 45),
            CR0_SSM_SUPPRESSION = 1L << (63 - 33), CR0_EXTRACTION_AUTHORITY = 1L << (63 - 36),
            CR0_SECONDARY_SPACE = 1L << (63 - 37), CR0_IEP = 1L << (63 - 43),
            CR0_EMERGENCY_SIGNAL = 1L << (63 - 49), CR0_EXTERNAL_CALL = 1L << (63 - 50),
            CR0_CLOCK_COMPARATOR = 1L << (63 - 52), CR0_CPU_TIMER = 1L << (63 - 53),
            CR0_SERVICE_SIGNAL = 1L << (63 - 54);

    /** External-interruption codes (PoP Ch. 6 "External Interruption"). */
    public static final int EXT_CLOCK_COMPARATOR = 0x1004, EXT_CPU_TIMER = 0x1005, EXT_EMERGENCY_SIGNAL = 0x1201,
            EXT_EXTERNAL_CALL = 0x1202, EXT_SERVICE_SIGNAL = 0x2401;

    private final S390CpuState cpu;
    private final RamGuestMemory ram;
    private final long ramSize;
    private final StorageKeys keys;
    private final S390Platform platform;
    private final int cpuAddress;
    private final Semantics[] semantics;
    private final InstructionTable table = InstructionTable.get();
    private final ProgramInterruption fault = new ProgramInterruption();
    private final Insn insn = new Insn();
    private final Insn executeTarget = new Insn();
    private final DatWalker dat;
    private final DatWalker.Result walk = new DatWalker.Result();

    /** Address of the instruction being executed, and where execution continues after it; branches set nextAddr. */
    public long instructionAddress;
    public long nextAddr;
    /** Length of the instruction whose ILC a program interruption reports (EXECUTE reports its own). */
    private int ilcLength;
    /** Set while EXECUTE's target runs (a second EXECUTE is an execute exception). */
    private boolean inExecute;

    /** Instructions completed, for MIPS figures. */
    public long retired;

    // ---- Pending interruption conditions, set by other threads through the platform --------------------------
    private volatile boolean servicePending;
    private volatile int serviceParameter;
    /** Bit n set: emergency signal pending from CPU n (CPUs 0-63). */
    private volatile long emergencyFrom;
    private volatile int externalCallFrom = -1;
    private volatile boolean restartPending;
    /** Increments whenever another thread posts an interruption, so a waiting CPU re-checks. */
    private volatile int postCount;

    /** Software TLB: direct-mapped, by logical page and access kind; flushed by PTLB, IPTE, IDTE, SSKE, LCTL... */
    private static final int TLB = 256;
    private final long[] tlbTag = new long[TLB * 3];
    private final long[] tlbAbs = new long[TLB * 3];
    /** What the TLB's entries were made under: PSW key, DAT bit, CR0's protection-relevant bits, the prefix. */
    private long tlbContext = -1;

    public S390Interpreter(S390CpuState cpu, RamGuestMemory ram, StorageKeys keys, S390Platform platform,
                           int cpuAddress, Semantics[] semantics) {
        this.cpu = cpu;
        this.ram = ram;
        this.ramSize = ram.size();
        this.keys = keys;
        this.platform = platform;
        this.cpuAddress = cpuAddress;
        this.semantics = semantics;
        this.dat = new DatWalker(this::readAbsolute64OrMinusOne, a -> inStorage(absolute(a), 8));
    }

    public S390CpuState state() {
        return cpu;
    }

    public S390Platform platform() {
        return platform;
    }

    public StorageKeys keys() {
        return keys;
    }

    public int cpuAddress() {
        return cpuAddress;
    }

    public ProgramInterruption fault() {
        return fault;
    }

    public long storageSize() {
        return ramSize;
    }

    public RamGuestMemory ram() {
        return ram;
    }

    // ---- Execution --------------------------------------------------------------------------------------------------

    /**
     * Takes one pending enabled interruption, or executes one instruction. Returns false when the CPU is in the
     * wait state with nothing to take (the caller idles or, if the wait is disabled, ends the CPU).
     */
    public boolean step() {
        if (purgeRequested) {
            purgeRequested = false;
            flushTlb();
        }
        if (takeInterruption()) {
            return true;
        }
        if ((cpu.pswMask & S390CpuState.PSW_WAIT) != 0) {
            return false;
        }
        long addr = cpu.pswAddr;
        instructionAddress = addr;
        history[(int) (historyNext++ & (HISTORY - 1))] = addr;
        insn.length = 0;
        try {
            if ((addr & 1) != 0) {
                throw fault.raise(ProgramInterruption.SPECIFICATION).withIlc(0);
            }
            long bits = fetchInstruction(addr);
            if (!table.decode(bits, insn)) {
                ilcLength = insn.length;
                throw fault.raise(ProgramInterruption.OPERATION);
            }
            ilcLength = insn.length;
            nextAddr = (addr + insn.length) & cpu.addressMask();
            execute(insn);
            cpu.pswAddr = nextAddr;
            retired++;
        } catch (ProgramInterruption p) {
            inExecute = false;
            deliverProgram(p);
        }
        return true;
    }

    private void execute(Insn i) {
        if (i.entry.privileged() && cpu.problemState()) {
            throw fault.raise(ProgramInterruption.PRIVILEGED_OPERATION);
        }
        Semantics s = semantics[i.entry.id()];
        if (s == null) {
            throw fault.raise(ProgramInterruption.OPERATION);
        }
        s.execute(this, i);
    }

    /**
     * EXECUTE / EXECUTE RELATIVE LONG (PoP Ch. 7 "EXECUTE"): runs the instruction at {@code targetAddr} with bits
     * 8-15 ORed with {@code orByte}. The target may not be another EXECUTE (execute exception). Branches in the
     * target set {@link #nextAddr}; the ILC of any interruption is that of the EXECUTE.
     */
    public void executeAt(long targetAddr, int orByte) {
        if ((targetAddr & 1) != 0) {
            throw fault.raise(ProgramInterruption.SPECIFICATION);
        }
        int executeLength = ilcLength;
        long bits;
        try {
            bits = fetchInstruction(targetAddr);
        } finally {
            // Interruptions report the EXECUTE's length, also for an access exception on the target's fetch.
            ilcLength = executeLength;
        }
        bits |= (long) (orByte & 0xff) << 48;
        if (inExecute) {
            throw fault.raise(ProgramInterruption.EXECUTE);
        }
        if (!table.decode(bits, executeTarget)) {
            throw fault.raise(ProgramInterruption.OPERATION);
        }
        String m = executeTarget.entry.mnemonic();
        if (m.equals("EX") || m.equals("EXRL")) {
            throw fault.raise(ProgramInterruption.EXECUTE);
        }
        long savedInstruction = instructionAddress;
        inExecute = true;
        try {
            // Relative operands of the target are relative to the target's own address.
            instructionAddress = targetAddr;
            execute(executeTarget);
        } finally {
            inExecute = false;
            instructionAddress = savedInstruction;
        }
    }

    /**
     * Fetches up to six bytes at {@code addr}, left-aligned; only the halfwords the length code needs are read. An
     * access exception on instruction fetch reports the length known so far as its ILC: 2 until the first halfword
     * has been fetched, as QEMU does. DAT exceptions nullify (the old PSW designates the instruction); protection
     * (instruction-execution protection) and addressing exceptions suppress, so the old PSW is that address plus
     * the ILC, which Linux's protection-fault handler rewinds by the ILC.
     */
    private long fetchInstruction(long addr) {
        ilcLength = 2;
        long first = read(addr, 2, IFETCH);
        int len = InstructionTable.length((int) (first >>> 8));
        ilcLength = len;
        long bits = first << 48;
        if (len >= 4) {
            bits |= read((addr + 2) & cpu.addressMask(), 2, IFETCH) << 32;
        }
        if (len == 6) {
            bits |= read((addr + 4) & cpu.addressMask(), 2, IFETCH) << 16;
        }
        return bits;
    }

    // ---- Interruptions ---------------------------------------------------------------------------------------------

    /** Addresses of the last {@link #HISTORY} instructions started, for crash diagnoses. */
    private static final int HISTORY = 16;
    private final long[] history = new long[HISTORY];
    private long historyNext;

    /** The addresses of the most recent instructions, oldest first, as hex. */
    public String recentAddresses() {
        StringBuilder sb = new StringBuilder();
        long n = Math.min(historyNext, HISTORY);
        for (long k = historyNext - n; k < historyNext; k++) {
            sb.append(sb.isEmpty() ? "" : " ").append(Long.toHexString(history[(int) (k & (HISTORY - 1))]));
        }
        return sb.toString();
    }

    /** The last program interruption taken: code (0 if none yet), instruction address and bytes, for diagnoses. */
    public int lastProgramCode;
    public long lastProgramAddress;
    public long lastProgramBits;

    private void deliverProgram(ProgramInterruption p) {
        int ilc = p.ilc() >= 0 ? p.ilc() : ilcLength;
        lastProgramCode = p.code();
        lastProgramAddress = instructionAddress;
        lastProgramBits = insn.length == 0 ? -1 : insn.bits;
        long oldAddr = p.nullifies() || p.ilc() == 0 ? instructionAddress : nextAddrForSuppression();
        writeReal16(LC_PGM_ILC, (ilc / 2) << 1);
        writeReal16(LC_PGM_CODE, p.code());
        if (p.hasTeid()) {
            writeReal64(LC_TEID, p.teid());
            writeReal8(LC_EXC_ACCESS_ID, p.accessId());
        }
        if (p.code() == ProgramInterruption.DATA) {
            writeReal32(LC_DXC, p.dxc());
            if ((cpu.cr[0] & CR0_AFP) != 0) {
                // With the AFP-register control on, the DXC is also placed in FPC byte 2 (PoP Ch. 9).
                cpu.fpc = (cpu.fpc & ~0xff00) | ((p.dxc() & 0xff) << 8);
            }
        }
        swapPsw(LC_PGM_OLD, LC_PGM_NEW, oldAddr);
    }

    private long nextAddrForSuppression() {
        return (instructionAddress + ilcLength) & cpu.addressMask();
    }

    /** SUPERVISOR CALL: the old PSW points after the SVC (PoP Ch. 6 "Supervisor-Call Interruption"). */
    public void supervisorCall(int number) {
        writeReal16(LC_SVC_ILC, (ilcLength / 2) << 1);
        writeReal16(LC_SVC_CODE, number & 0xff);
        swapPsw(LC_SVC_OLD, LC_SVC_NEW, nextAddr);
        nextAddr = cpu.pswAddr;
    }

    /**
     * Loads a new PSW (LPSW, LPSWE, and the semantics of SIGP restart): execution continues at its address. A PSW
     * with reserved bits set, EA without BA, or an address beyond its addressing mode is recognised "early": the
     * PSW is loaded, then a specification exception is taken with ILC 0 and that PSW as the old PSW (PoP Ch. 6
     * "Exceptions Associated with the PSW").
     */
    public void loadPsw(long mask, long addr) {
        cpu.setPsw(mask, addr);
        nextAddr = addr;
        flushTlbIfContextChanged();
        if (invalidPsw(mask, addr)) {
            instructionAddress = addr;
            throw fault.raise(ProgramInterruption.SPECIFICATION).withIlc(0);
        }
    }

    /** Whether a PSW would be recognised as invalid by early exception recognition. */
    public static boolean invalidPsw(long mask, long addr) {
        boolean ea = (mask & S390CpuState.PSW_EA) != 0;
        boolean ba = (mask & S390CpuState.PSW_BA) != 0;
        if ((mask & S390CpuState.PSW_RESERVED) != 0 || (ea && !ba)) {
            return true;
        }
        if (!ea) {
            return Long.compareUnsigned(addr, ba ? 0x7fffffffL : 0xffffffL) > 0;
        }
        return false;
    }

    /** Stores the current PSW (with {@code oldAddr}) at {@code oldOff} and loads the PSW at {@code newOff}. */
    private void swapPsw(int oldOff, int newOff, long oldAddr) {
        writeReal64(oldOff, cpu.psw());
        writeReal64(oldOff + 8, oldAddr);
        long mask = readReal64(newOff);
        long addr = readReal64(newOff + 8);
        cpu.setPsw(mask, addr);
        flushTlbIfContextChanged();
    }

    /** Posts a service-signal external interruption with {@code parameter} (the SCCB address and flags). */
    public void postServiceSignal(int parameter) {
        serviceParameter = parameter;
        servicePending = true;
        postCount++;
    }

    public void postEmergencySignal(int fromCpu) {
        emergencyFrom |= 1L << (fromCpu & 63);
        postCount++;
    }

    /** Posts an external call; returns false if one is already pending (SIGP then reports busy). */
    public boolean postExternalCall(int fromCpu) {
        if (externalCallFrom >= 0) {
            return false;
        }
        externalCallFrom = fromCpu;
        postCount++;
        return true;
    }

    public boolean externalCallPending() {
        return externalCallFrom >= 0;
    }

    public void postRestart() {
        restartPending = true;
        postCount++;
    }

    /** Drops every pending interruption condition (CPU reset, PoP Ch. 4 "CPU Reset"). */
    public void clearPendingInterruptions() {
        servicePending = false;
        emergencyFrom = 0;
        externalCallFrom = -1;
        restartPending = false;
        postCount++;
    }

    public int postCount() {
        return postCount;
    }

    /** Whether an interruption is pending that the current PSW and control registers enable. */
    public boolean interruptionDeliverable() {
        return restartPending || pendingExternal() != 0 || pendingIo() >= 0;
    }

    /**
     * Whether the CPU is in the wait state with some interruption class enabled (external, I/O or machine check):
     * the vCPU loop idles until {@link #postCount()} changes or the next timer event ({@link #nextTimerEvent()}).
     */
    public boolean enabledWait() {
        return (cpu.pswMask & S390CpuState.PSW_WAIT) != 0
                && (cpu.pswMask & (S390CpuState.PSW_EXT | S390CpuState.PSW_IO | S390CpuState.PSW_MCHK)) != 0;
    }

    /**
     * Whether the CPU is in a disabled wait: wait state with external, I/O and machine-check interruptions all
     * masked. Only a restart (SIGP RESTART) or a reset can end it; the machine treats it as the CPU's end (PoP
     * Ch. 4 "Wait State"), with the PSW address as the guest's code (0xFFF in the low 12 bits: orderly shutdown).
     */
    public boolean disabledWait() {
        return (cpu.pswMask & S390CpuState.PSW_WAIT) != 0
                && (cpu.pswMask & (S390CpuState.PSW_EXT | S390CpuState.PSW_IO | S390CpuState.PSW_MCHK)) == 0;
    }

    /**
     * The TOD value at which an enabled timer condition (clock comparator, CPU timer) next arises, or
     * {@code Long.MAX_VALUE} if none is enabled: how long an enabled wait may sleep.
     */
    public long nextTimerEvent() {
        if ((cpu.pswMask & S390CpuState.PSW_EXT) == 0) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        long cr0 = cpu.cr[0];
        if ((cr0 & CR0_CLOCK_COMPARATOR) != 0 && cpu.clockComparator != -1L) {
            next = cpu.clockComparator + 1;
        }
        if ((cr0 & CR0_CPU_TIMER) != 0) {
            long t = tod() + Math.max(0, cpuTimer()) + 1;
            next = Math.min(next, t);
        }
        return next;
    }

    /** The highest-priority enabled pending external-interruption code, or 0. */
    private int pendingExternal() {
        if ((cpu.pswMask & S390CpuState.PSW_EXT) == 0) {
            return 0;
        }
        long cr0 = cpu.cr[0];
        if ((cr0 & CR0_EMERGENCY_SIGNAL) != 0 && emergencyFrom != 0) {
            return EXT_EMERGENCY_SIGNAL;
        }
        if ((cr0 & CR0_EXTERNAL_CALL) != 0 && externalCallFrom >= 0) {
            return EXT_EXTERNAL_CALL;
        }
        if ((cr0 & CR0_CLOCK_COMPARATOR) != 0 && clockComparatorPending()) {
            return EXT_CLOCK_COMPARATOR;
        }
        if ((cr0 & CR0_CPU_TIMER) != 0 && cpuTimer() < 0) {
            return EXT_CPU_TIMER;
        }
        if ((cr0 & CR0_SERVICE_SIGNAL) != 0 && servicePending) {
            return EXT_SERVICE_SIGNAL;
        }
        return 0;
    }

    /**
     * The clock-comparator condition (PoP Ch. 4 "Clock Comparator"): the TOD clock, compared as unsigned, exceeds
     * the comparator. It persists until the comparator or the clock changes, not until the interruption is taken.
     */
    public boolean clockComparatorPending() {
        return Long.compareUnsigned(tod(), cpu.clockComparator) > 0;
    }

    /** Takes the highest-priority enabled pending interruption, if any (PoP Ch. 6 "Priority of Interruptions"). */
    private boolean takeInterruption() {
        int ext = pendingExternal();
        if (ext != 0) {
            int param = 0;
            int from = 0;
            switch (ext) {
                case EXT_EMERGENCY_SIGNAL -> {
                    long m = emergencyFrom;
                    from = Long.numberOfTrailingZeros(m);
                    emergencyFrom = m & ~(1L << from);
                }
                case EXT_EXTERNAL_CALL -> {
                    from = externalCallFrom;
                    externalCallFrom = -1;
                }
                case EXT_SERVICE_SIGNAL -> {
                    param = serviceParameter;
                    servicePending = false;
                }
                default -> {
                }
            }
            writeReal16(LC_EXT_CODE, ext);
            writeReal16(LC_EXT_CPU_ADDR, from);
            writeReal32(LC_EXT_PARAM, param);
            swapPsw(LC_EXT_OLD, LC_EXT_NEW, cpu.pswAddr);
            return true;
        }
        int io = pendingIo();
        if (io >= 0) {
            long[] e = takeIo(io);
            writeReal32(LC_IO_SUBSYS_ID, e[0]);
            writeReal32(LC_IO_PARAM, e[1]);
            writeReal32(LC_IO_ID, e[2]);
            swapPsw(LC_IO_OLD, LC_IO_NEW, cpu.pswAddr);
            return true;
        }
        if (restartPending) {
            restartPending = false;
            swapPsw(LC_RESTART_OLD, LC_RESTART_NEW, cpu.pswAddr);
            return true;
        }
        return false;
    }

    // ---- I/O interruptions (PoP Ch. 6 "Input/Output Interruption") --------------------------------------------

    /** Pending I/O interruptions: subsystem-ID word, interruption parameter, interruption-ID word (ISC in bits 2-4). */
    private final java.util.ArrayDeque<long[]> ioPending = new java.util.ArrayDeque<>();
    private volatile int ioCount;

    /**
     * Posts an I/O interruption, as the channel subsystem does when a subchannel becomes status pending, or an
     * adapter interruption: {@code subsystemId} (lowcore 0xB8), {@code parameter} (0xBC) and
     * {@code interruptionId} (0xC0, whose bits 2-4 are the ISC that CR6 bits 32-39 mask). Safe from any thread.
     */
    public void postIo(int subsystemId, int parameter, int interruptionId) {
        synchronized (ioPending) {
            ioPending.addLast(new long[] {subsystemId & 0xffffffffL, parameter & 0xffffffffL,
                    interruptionId & 0xffffffffL});
            ioCount = ioPending.size();
        }
        postCount++;
    }

    /** The interruption subclass of an interruption-ID word. */
    static int isc(long interruptionId) {
        return (int) (interruptionId >>> 27) & 7;
    }

    /** Index of the first pending I/O interruption that PSW bit 6 and CR6 enable, or -1. */
    private int pendingIo() {
        if (ioCount == 0 || (cpu.pswMask & S390CpuState.PSW_IO) == 0) {
            return -1;
        }
        return firstIo(cpu.cr[6]);
    }

    /** Index of the first pending I/O interruption whose ISC {@code cr6}'s bits 32-39 enable, or -1. */
    private int firstIo(long cr6) {
        synchronized (ioPending) {
            int k = 0;
            for (long[] e : ioPending) {
                if ((cr6 & (0x80000000L >>> isc(e[2]))) != 0) {
                    return k;
                }
                k++;
            }
        }
        return -1;
    }

    private long[] takeIo(int index) {
        synchronized (ioPending) {
            var it = ioPending.iterator();
            for (int k = 0; k < index; k++) {
                it.next();
            }
            long[] e = it.next();
            it.remove();
            ioCount = ioPending.size();
            return e;
        }
    }

    /**
     * TEST PENDING INTERRUPTION: takes the first pending I/O interruption CR6 enables (regardless of PSW bit 6), as
     * {subsystem-ID word, parameter, interruption-ID word}, or null if none is pending.
     */
    public long[] testPendingIo() {
        if (ioCount == 0) {
            return null;
        }
        int k = firstIo(cpu.cr[6]);
        return k < 0 ? null : takeIo(k);
    }

    // ---- Timers ------------------------------------------------------------------------------------------------------

    /** TOD value at which {@link S390CpuState#cpuTimer} was last set; the timer runs down from there. */
    private long cpuTimerSetAt;

    /** The CPU timer's current value (PoP Ch. 4 "CPU Timer"): decremented at the TOD bit-51 rate. */
    public long cpuTimer() {
        return cpu.cpuTimer - (platform.tod() - cpuTimerSetAt);
    }

    public void setCpuTimer(long value) {
        cpuTimerSetAt = platform.tod();
        cpu.cpuTimer = value;
    }

    /** What SET CLOCK added to the machine's TOD clock, as this CPU sees it. */
    private long todOffset;

    /**
     * The TOD clock as this CPU's instructions see it (STCK, STCKE, STCKF, the clock comparator): the machine's
     * clock plus what SET CLOCK set.
     */
    public long tod() {
        return platform.tod() + todOffset;
    }

    /** SET CLOCK: the TOD clock reads {@code value} from now on (on this CPU). */
    public void setTod(long value) {
        todOffset = value - platform.tod();
    }

    // ---- Address generation ------------------------------------------------------------------------------------------

    /** {@code D(X,B)}: the sum wrapped to the addressing mode; register 0 as X or B means no register. */
    public long address(int x, int b, long d) {
        arBase = b;
        long a = d;
        if (x != 0) {
            a += cpu.gpr[x];
        }
        if (b != 0) {
            a += cpu.gpr[b];
        }
        return a & cpu.addressMask();
    }

    /** The base register of the last address generated: its access register designates the space in AR mode. */
    public int arBase;

    /** A relative-immediate target: the instruction's address plus twice the signed halfword count. */
    public long relative(long halfwords) {
        return (instructionAddress + 2 * halfwords) & cpu.addressMask();
    }

    /** Wraps {@code a} to the addressing mode. */
    public long wrap(long a) {
        return a & cpu.addressMask();
    }

    // ---- Storage: logical addresses ------------------------------------------------------------------------------

    /** Reads {@code size} (1, 2, 4, 8) bytes, big-endian, at logical address {@code a}. */
    public long read(long a, int size) {
        return read(a, size, FETCH);
    }

    private long read(long a, int size, int access) {
        if (((a & 0xfff) + size) <= 0x1000) {
            long abs = translate(a, access);
            return readAbsolute(abs, size);
        }
        long v = 0;
        for (int k = 0; k < size; k++) {
            v = (v << 8) | readAbsolute(translate((a + k) & cpu.addressMask(), access), 1);
        }
        return v;
    }

    /** Writes {@code size} bytes of {@code v}, big-endian, at logical address {@code a}; all or nothing. */
    public void write(long a, int size, long v) {
        if (((a & 0xfff) + size) <= 0x1000) {
            writeAbsolute(translate(a, STORE), size, v);
            return;
        }
        long second = (a + size - 1) & cpu.addressMask();
        translate(second, STORE);
        for (int k = 0; k < size; k++) {
            writeAbsolute(translate((a + k) & cpu.addressMask(), STORE), 1, v >>> (8 * (size - 1 - k)));
        }
    }

    /**
     * Checks that {@code length} bytes at {@code a} (wrapping) can be accessed for {@code access}, raising the
     * access exception now. Storage-to-storage instructions call it for each operand before they change anything.
     */
    public void probe(long a, long length, int access) {
        if (length <= 0) {
            return;
        }
        long mask = cpu.addressMask();
        long last = (a + length - 1) & mask;
        translate(a, access);
        long page = a & ~0xfffL;
        long lastPage = last & ~0xfffL;
        while (page != lastPage) {
            page = (page + 0x1000) & mask;
            translate(page, access);
        }
    }

    /**
     * Translates logical address {@code a} for {@code access} under the current PSW: DAT if on, then
     * low-address and key-controlled protection, prefixing, and the configured-storage check. Returns the absolute
     * address or raises the access exception.
     */
    public long translate(long a, int access) {
        long ctx = context();
        if (ctx != tlbContext) {
            flushTlb();
            tlbContext = ctx;
        }
        if (cpu.key() != 0 && keys.generation() != tlbKeyGeneration) {
            // A storage key changed (SSKE, PFMF, RRBE on any CPU): cached key checks are stale.
            flushTlb();
        }
        int asc = cpu.asc();
        int slot = access * TLB + (int) ((a >>> 12) & (TLB - 1));
        // Entries are tagged with the space they translate in (the TEID's ASCE identification), so switching the
        // address-space control (Linux's kernel in home space, user space in primary) keeps them.
        long tag = (a & ~0xfffL) | ((long) space(asc, access) << 1) | 1;
        if (tlbTag[slot] == tag) {
            return tlbAbs[slot] | (a & 0xfff);
        }
        long abs = translateSlow(a, access, asc, cpu.key(), arBase);
        // Low-address-protected pages and AR-mode data (the ALET decides the space) are never entered.
        if (!lowAddress(a) && (asc != S390CpuState.ASC_AR || access == IFETCH)) {
            tlbTag[slot] = tag;
            tlbAbs[slot] = abs & ~0xfffL;
        }
        return abs;
    }

    /** The space an access translates in: 0 primary, 2 secondary, 3 home (AR-mode data is never cached). */
    private static int space(int asc, int access) {
        if (access == IFETCH) {
            return asc == S390CpuState.ASC_HOME ? 3 : 0;
        }
        return switch (asc) {
            case S390CpuState.ASC_SECONDARY -> 2;
            case S390CpuState.ASC_HOME -> 3;
            default -> 0;
        };
    }

    /**
     * Translates as {@link #translate} but with an explicit address-space control and access key and without the
     * TLB: MVCOS, MVCP, MVCS, MVCK and the other instructions whose operands name their own space or key.
     */
    public long translateWith(long a, int access, int asc, int key) {
        return translateSlow(a, access, asc, key, arBase);
    }

    private long context() {
        return (cpu.pswMask & (S390CpuState.PSW_DAT | S390CpuState.PSW_KEY))
                ^ (cpu.cr[0] & (CR0_LOW_ADDRESS_PROTECTION | CR0_EDAT | CR0_FETCH_PROT_OVERRIDE
                | CR0_STORAGE_PROT_OVERRIDE | CR0_IEP)) ^ (cpu.prefix << 1);
    }

    public static boolean lowAddress(long a) {
        return a < 512 || (a >= 4096 && a < 4096 + 512);
    }

    /**
     * The ASCE an access in address-space control {@code asc} uses (PoP Ch. 3 "Translation Modes"): instructions
     * come from the primary space in primary, secondary and AR mode and from the home space in home mode; data from
     * the primary, secondary or home space, and in AR mode from the space the access register's ALET designates
     * (ALET 0 primary, 1 secondary). Returns the TEID's ASCE identification in {@link #asceId}.
     */
    private long asceFor(int asc, int access, int ar) {
        if (access == IFETCH) {
            asceId = asc == S390CpuState.ASC_HOME ? 3 : 0;
            return asc == S390CpuState.ASC_HOME ? cpu.cr[13] : cpu.cr[1];
        }
        switch (asc) {
            case S390CpuState.ASC_SECONDARY -> {
                asceId = 2;
                return cpu.cr[7];
            }
            case S390CpuState.ASC_HOME -> {
                asceId = 3;
                return cpu.cr[13];
            }
            case S390CpuState.ASC_AR -> {
                asceId = 1;
                int alet = ar == 0 ? 0 : cpu.ar[ar];
                if (alet == 0) {
                    return cpu.cr[1];
                }
                if (alet == 1) {
                    return cpu.cr[7];
                }
                // Access-list translation (ART) is not implemented: no access lists exist.
                if ((alet >>> 25) != 0) {
                    throw fault.raise(ProgramInterruption.ALET_SPECIFICATION).withAccessId(ar);
                }
                throw fault.raise(ProgramInterruption.ALEN_TRANSLATION).withAccessId(ar);
            }
            default -> {
                asceId = 0;
                return cpu.cr[1];
            }
        }
    }

    /** The TEID's ASCE identification of the last {@link #asceFor}. */
    private int asceId;

    /**
     * The ASCE an operand access uses under the current PSW (LRA, TPROT); in AR mode the access register of the
     * last base register ({@link #arBase}) selects it. {@link #lastAsceId()} then gives its TEID identification.
     */
    public long currentAsce(int access) {
        return asceFor(cpu.asc(), access, arBase);
    }

    public int lastAsceId() {
        return asceId;
    }

    /** A walk result for instructions that query DAT themselves (LRA, TPROT), reused: this CPU's only. */
    public DatWalker.Result scratchWalk() {
        return scratch;
    }

    private final DatWalker.Result scratch = new DatWalker.Result();

    /**
     * Checks an access to real address {@code real} (LURA, STURA, IPTE's table entries and the like): low-address
     * protection for stores, prefixing, the storage-size check and key-controlled protection with the PSW key.
     * Returns the absolute address.
     */
    public long realAccess(long real, int access) {
        if (access == STORE && (cpu.cr[0] & CR0_LOW_ADDRESS_PROTECTION) != 0 && lowAddress(real)) {
            throw fault.raise(ProgramInterruption.PROTECTION, DatWalker.teid(real, true, 0) | DatWalker.TEID_PROT_56);
        }
        long abs = absolute(real);
        if (Long.compareUnsigned(abs, ramSize) >= 0) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        checkKey(abs, access, real, cpu.key());
        return abs;
    }

    private long translateSlow(long a, int access, int asc, int key, int ar) {
        long real;
        boolean store = access == STORE;
        if ((cpu.pswMask & S390CpuState.PSW_DAT) != 0) {
            long asce = asceFor(asc, access, ar);
            int id = asceId;
            int accessId = asc == S390CpuState.ASC_AR && access != IFETCH ? ar : 0;
            dat.walk(asce, a, (cpu.cr[0] & CR0_EDAT) != 0, (cpu.cr[0] & CR0_IEP) != 0, walk);
            if (walk.code != 0) {
                if (walk.code == DatWalker.ADDRESSING) {
                    // An addressing exception for a DAT-table entry nullifies (PoP Ch. 6 "Addressing Exception").
                    throw fault.raise(ProgramInterruption.ADDRESSING).nullifying();
                }
                if (walk.code == DatWalker.TRANSLATION_SPECIFICATION) {
                    throw fault.raise(ProgramInterruption.TRANSLATION_SPECIFICATION);
                }
                throw fault.raise(walk.code, DatWalker.teid(a, store, id)).withAccessId(accessId);
            }
            real = walk.real;
            if (walk.protect && store) {
                // DAT protection: ESOP-2 code 1 (TEID bit 61), the address and ASCE identification are valid.
                throw fault.raise(ProgramInterruption.PROTECTION, DatWalker.teid(a, true, id)
                        | DatWalker.TEID_PROT_61).withAccessId(accessId);
            }
            if (walk.noExec && access == IFETCH) {
                // Instruction-execution protection: ESOP-2 code 5 (TEID bits 56 and 61).
                throw fault.raise(ProgramInterruption.PROTECTION, DatWalker.teid(a, false, id)
                        | DatWalker.TEID_PROT_56 | DatWalker.TEID_PROT_61);
            }
        } else {
            real = a;
        }
        if (store && (cpu.cr[0] & CR0_LOW_ADDRESS_PROTECTION) != 0 && lowAddress(a)) {
            // Low-address protection: ESOP-2 code 4 (TEID bit 56).
            throw fault.raise(ProgramInterruption.PROTECTION, DatWalker.teid(a, true, 0) | DatWalker.TEID_PROT_56);
        }
        long abs = absolute(real);
        if (Long.compareUnsigned(abs, ramSize) >= 0) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        checkKey(abs, access, a, key);
        keys.markReferenced(abs);
        return abs;
    }

    /** Key-controlled protection (PoP Ch. 3 "Key-Controlled Protection") for access key {@code key}. */
    private void checkKey(long abs, int access, long logical, int key) {
        if (key == 0) {
            return;
        }
        int sk = keys.get(abs);
        int acc = sk >>> 4;
        if (acc == key) {
            return;
        }
        if (access == STORE) {
            if ((cpu.cr[0] & CR0_STORAGE_PROT_OVERRIDE) != 0 && acc == 9) {
                return;
            }
            throw keyProtection(logical, true);
        }
        if ((sk & StorageKeys.FETCH_PROTECTED) == 0) {
            return;
        }
        if ((cpu.cr[0] & CR0_FETCH_PROT_OVERRIDE) != 0 && logical < 2048) {
            return;
        }
        if ((cpu.cr[0] & CR0_STORAGE_PROT_OVERRIDE) != 0 && acc == 9) {
            return;
        }
        throw keyProtection(logical, false);
    }

    /** Key-controlled protection: ESOP-2 code 2 (TEID bit 60) with the address and the fetch/store indication. */
    private ProgramInterruption keyProtection(long logical, boolean store) {
        return fault.raise(ProgramInterruption.PROTECTION, DatWalker.teid(logical, store, 0) | DatWalker.TEID_PROT_60);
    }

    /**
     * Whether an access with {@code key} to absolute {@code abs} at {@code logical} passes key-controlled
     * protection, without raising: TPROT.
     */
    public boolean keyAllows(long abs, long logical, int access, int key) {
        try {
            checkKey(abs, access, logical, key);
            return true;
        } catch (ProgramInterruption p) {
            return false;
        }
    }

    /** Drops every TLB entry: PTLB, IPTE, IDTE, SSKE, LCTL of a translation-relevant register, SPX. */
    public void flushTlb() {
        java.util.Arrays.fill(tlbTag, 0);
        tlbKeyGeneration = keys.generation();
    }

    /**
     * Asks this CPU to purge its TLB before its next instruction: how another CPU's IPTE, IDTE, CSP with purge or
     * SSKE reaches it (through {@link S390Platform#purgeTlbs}). Safe to call from any thread.
     */
    public void requestTlbPurge() {
        purgeRequested = true;
    }

    private volatile boolean purgeRequested;
    /** The storage keys' generation the TLB's key checks were made at. */
    private int tlbKeyGeneration;

    private void flushTlbIfContextChanged() {
        long ctx = context();
        if (ctx != tlbContext) {
            flushTlb();
            tlbContext = ctx;
        }
    }

    /** The DAT walker, for LRA, LPTEA-style queries and the SPI {@code Mmu}. */
    public DatWalker dat() {
        return dat;
    }

    // ---- Storage: real and absolute addresses ------------------------------------------------------------------

    /** Prefixing (PoP Ch. 3 "Prefixing"): real pages 0-1 and the prefix area swap places. */
    public long absolute(long real) {
        long p = cpu.prefix;
        if (real < 8192 && real >= 0) {
            return real + p;
        }
        if (real >= p && real < p + 8192) {
            return real - p;
        }
        return real;
    }

    public long readAbsolute(long abs, int size) {
        return switch (size) {
            case 1 -> ram.read8(abs);
            case 2 -> ram.read16(abs) & 0xffffL;
            case 4 -> ram.read32(abs) & 0xffffffffL;
            default -> ram.read64(abs);
        };
    }

    public void writeAbsolute(long abs, int size, long v) {
        switch (size) {
            case 1 -> ram.write8(abs, (int) v);
            case 2 -> ram.write16(abs, (int) v);
            case 4 -> ram.write32(abs, (int) v);
            default -> ram.write64(abs, v);
        }
        keys.markChanged(abs);
    }

    private long readAbsolute64OrMinusOne(long real) {
        long abs = absolute(real);
        return inStorage(abs, 8) ? ram.read64(abs) : -1;
    }

    /**
     * Whether {@code size} bytes at absolute address {@code abs} are all in configured storage. Written so that no
     * guest-supplied address can overflow the comparison.
     */
    public boolean inStorage(long abs, long size) {
        return abs >= 0 && size >= 0 && size <= ramSize && abs <= ramSize - size;
    }

    /** Reads at a real address, raising an addressing exception outside storage. */
    public long readReal(long real, int size) {
        long abs = absolute(real);
        if (!inStorage(abs, size)) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        return readAbsolute(abs, size);
    }

    public void writeReal(long real, int size, long v) {
        long abs = absolute(real);
        if (!inStorage(abs, size)) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        writeAbsolute(abs, size, v);
    }

    public long readReal64(long real) {
        return readReal(real, 8);
    }

    public void writeReal64(long real, long v) {
        writeReal(real, 8, v);
    }

    public void writeReal32(long real, long v) {
        writeReal(real, 4, v);
    }

    public void writeReal16(long real, long v) {
        writeReal(real, 2, v);
    }

    public void writeReal8(long real, long v) {
        writeReal(real, 1, v);
    }

    // ---- Condition code helpers ------------------------------------------------------------------------------------

    public void setCc(int cc) {
        cpu.cc = cc;
    }

    public int cc() {
        return cpu.cc;
    }

    /** Whether the four-bit branch mask selects the current condition code (mask bit 8 is CC 0). */
    public boolean ccMatches(int mask) {
        return (mask & (8 >>> cpu.cc)) != 0;
    }

    /**
     * The last program interruption as one line ({@code program interruption 0x0001 at 0x10234: b2b2 1000 LPSWE}),
     * or an empty string if none was taken. For the diagnosis of a guest that ends in a disabled wait, which is
     * how early Linux and bare-metal runtimes react to an unexpected program interruption.
     */
    public String describeLastProgramInterruption() {
        if (lastProgramCode == 0) {
            return "";
        }
        if (lastProgramBits == -1) {
            return String.format("last program interruption 0x%04x at 0x%x (instruction fetch)", lastProgramCode,
                    lastProgramAddress);
        }
        Insn d = new Insn();
        boolean known = table.decode(lastProgramBits, d);
        return String.format("last program interruption 0x%04x at 0x%x: %s%s", lastProgramCode, lastProgramAddress,
                d.hex(), known ? " " + d.mnemonic() : " (no such instruction)");
    }

    /** A short location for diagnostics: PSW and the instruction there. */
    public String describe() {
        return String.format("PSW %016x %016x", cpu.psw(), cpu.pswAddr);
    }
}
