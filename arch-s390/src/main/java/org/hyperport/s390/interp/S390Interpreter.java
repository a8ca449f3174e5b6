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
    /** What the TLB's entries were made under: PSW key, ASC, DAT bit and CR0's protection-relevant bits. */
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
        this.dat = new DatWalker(this::readAbsolute64OrMinusOne, a -> absolute(a) + 8 <= ramSize);
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
        if (takeInterruption()) {
            return true;
        }
        if ((cpu.pswMask & S390CpuState.PSW_WAIT) != 0) {
            return false;
        }
        long addr = cpu.pswAddr;
        instructionAddress = addr;
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
        long bits = fetchInstruction(targetAddr);
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

    /** Fetches up to six bytes at {@code addr}, left-aligned; only the halfwords the length code needs are read. */
    private long fetchInstruction(long addr) {
        long first = read(addr, 2, IFETCH);
        int len = InstructionTable.length((int) (first >>> 8));
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

    private void deliverProgram(ProgramInterruption p) {
        int ilc = p.ilc() >= 0 ? p.ilc() : ilcLength;
        long oldAddr = p.nullifies() || p.ilc() == 0 ? instructionAddress : nextAddrForSuppression();
        writeReal16(LC_PGM_ILC, (ilc / 2) << 1);
        writeReal16(LC_PGM_CODE, p.code());
        if (p.hasTeid()) {
            writeReal64(LC_TEID, p.teid());
            writeReal8(LC_EXC_ACCESS_ID, p.accessId());
        }
        if (p.code() == ProgramInterruption.DATA) {
            writeReal32(LC_DXC, p.dxc());
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
        return restartPending || pendingExternal() != 0;
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
        if ((cr0 & CR0_CLOCK_COMPARATOR) != 0 && Long.compareUnsigned(platform.tod(), cpu.clockComparator) > 0) {
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
        if (restartPending) {
            restartPending = false;
            swapPsw(LC_RESTART_OLD, LC_RESTART_NEW, cpu.pswAddr);
            return true;
        }
        return false;
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

    // ---- Address generation ------------------------------------------------------------------------------------------

    /** {@code D(X,B)}: the sum wrapped to the addressing mode; register 0 as X or B means no register. */
    public long address(int x, int b, long d) {
        long a = d;
        if (x != 0) {
            a += cpu.gpr[x];
        }
        if (b != 0) {
            a += cpu.gpr[b];
        }
        return a & cpu.addressMask();
    }

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
        int slot = access * TLB + (int) ((a >>> 12) & (TLB - 1));
        long tag = (a & ~0xfffL) | 1;
        if (tlbTag[slot] == tag) {
            return tlbAbs[slot] | (a & 0xfff);
        }
        long abs = translateSlow(a, access);
        // Low-address-protected pages and pages whose key check is not cacheable are never entered.
        if (!lowAddress(a)) {
            tlbTag[slot] = tag;
            tlbAbs[slot] = abs & ~0xfffL;
        }
        return abs;
    }

    private long context() {
        return (cpu.pswMask & (S390CpuState.PSW_DAT | S390CpuState.PSW_KEY | S390CpuState.PSW_ASC))
                ^ (cpu.cr[0] & (CR0_LOW_ADDRESS_PROTECTION | CR0_EDAT | CR0_FETCH_PROT_OVERRIDE
                | CR0_STORAGE_PROT_OVERRIDE)) ^ (cpu.prefix << 1);
    }

    private static boolean lowAddress(long a) {
        return a < 512 || (a >= 4096 && a < 4096 + 512);
    }

    private long translateSlow(long a, int access) {
        long real;
        boolean protect = false;
        if ((cpu.pswMask & S390CpuState.PSW_DAT) != 0) {
            int asc = cpu.asc();
            long asce = switch (asc) {
                case S390CpuState.ASC_SECONDARY -> access == IFETCH ? cpu.cr[1] : cpu.cr[7];
                case S390CpuState.ASC_HOME -> cpu.cr[13];
                default -> cpu.cr[1];
            };
            dat.walk(asce, a, (cpu.cr[0] & CR0_EDAT) != 0, walk);
            long ascId = asc == S390CpuState.ASC_SECONDARY && access != IFETCH ? 2
                    : asc == S390CpuState.ASC_HOME ? 3 : 0;
            if (walk.code != 0) {
                if (walk.code == DatWalker.ADDRESSING) {
                    throw fault.raise(ProgramInterruption.ADDRESSING);
                }
                long teid = (a & ~0xfffL) | ascId | (access == STORE ? 0x400 : access == FETCH ? 0x800 : 0);
                throw fault.raise(walk.code, teid);
            }
            real = walk.real;
            protect = walk.protect;
            if (protect && access == STORE) {
                // DAT protection: TEID bit 61 says the address is valid (suppression-on-protection).
                throw fault.raise(ProgramInterruption.PROTECTION, (a & ~0xfffL) | 4 | ascId);
            }
        } else {
            real = a;
        }
        if (access == STORE && (cpu.cr[0] & CR0_LOW_ADDRESS_PROTECTION) != 0 && lowAddress(a)) {
            throw fault.raise(ProgramInterruption.PROTECTION, 0);
        }
        long abs = absolute(real);
        if (Long.compareUnsigned(abs, ramSize) >= 0) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        checkKey(abs, access, a);
        return abs;
    }

    /** Key-controlled protection (PoP Ch. 3 "Key-Controlled Protection"). */
    private void checkKey(long abs, int access, long logical) {
        int pswKey = cpu.key();
        if (pswKey == 0) {
            return;
        }
        int sk = keys.get(abs);
        int acc = sk >>> 4;
        if (acc == pswKey) {
            return;
        }
        if (access == STORE) {
            if ((cpu.cr[0] & CR0_STORAGE_PROT_OVERRIDE) != 0 && acc == 9) {
                return;
            }
            throw fault.raise(ProgramInterruption.PROTECTION, 0);
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
        throw fault.raise(ProgramInterruption.PROTECTION, 0);
    }

    /** Drops every TLB entry: PTLB, IPTE, IDTE, SSKE, LCTL of a translation-relevant register, SPX. */
    public void flushTlb() {
        java.util.Arrays.fill(tlbTag, 0);
    }

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
        return abs + 8 <= ramSize ? ram.read64(abs) : -1;
    }

    /** Reads at a real address, raising an addressing exception outside storage. */
    public long readReal(long real, int size) {
        long abs = absolute(real);
        if (Long.compareUnsigned(abs + size, ramSize) > 0) {
            throw fault.raise(ProgramInterruption.ADDRESSING);
        }
        return readAbsolute(abs, size);
    }

    public void writeReal(long real, int size, long v) {
        long abs = absolute(real);
        if (Long.compareUnsigned(abs + size, ramSize) > 0) {
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

    /** A short location for diagnostics: PSW and the instruction there. */
    public String describe() {
        return String.format("PSW %016x %016x", cpu.psw(), cpu.pswAddr);
    }
}
