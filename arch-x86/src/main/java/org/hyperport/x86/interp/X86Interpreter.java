package org.hyperport.x86.interp;

import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.ByteSource;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Mode;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.decode.X86Decoder;

/**
 * The x86-64 interpreter core: fetch, decode ({@link X86Decoder}), execute one instruction through the semantic
 * groups, and deliver exceptions with double-fault escalation (SDM Vol 3A §6.15). Operand access, effective
 * addresses and the stack live here so that every group uses the same rules.
 *
 * <p>Semantic groups implement {@link Semantics} and are tried in order; an operation no group handles raises #UD,
 * so a guest can never make the interpreter throw. The instruction pointer advances to {@link #nextRip} after a
 * successful instruction; branches assign {@code nextRip}.
 */
public final class X86Interpreter implements ByteSource {

    /** One group of instruction semantics, e.g. the general-purpose instructions of SDM Vol 1 Ch. 7. */
    @FunctionalInterface
    public interface Semantics {
        /** Executes {@code i} if this group implements its operation; returns false otherwise. */
        boolean execute(X86Interpreter x, Instruction i);
    }

    public final X86CpuState cpu;
    public final LinearMemory mem;
    public final Descriptors desc;
    public final InterruptDelivery idt;
    public final CpuFault fault;
    public final X86Platform platform;
    public final CpuHooks hooks;
    private final X86Decoder decoder = new X86Decoder();
    /** The instruction being executed: one of the decoded-instruction cache's entries. */
    private Instruction insn = new Instruction();

    /**
     * Decoded-instruction cache, direct-mapped by linear address (decode once, execute many times: STYLE §13). An
     * entry is used when RIP, the linear address and the mode match and the bytes in guest memory still equal the
     * bytes it was decoded from (at most 15, compared as two longs), so self-modifying code, code written by other
     * vCPUs or by the VMM, and remapped pages are all decoded afresh. Instructions that cross a page or run from
     * MMIO are not cached.
     */
    static final int CACHE = 8192;
    private final Instruction[] cInsn = new Instruction[CACHE];
    private final long[] cRip = new long[CACHE];
    private final long[] cLa = new long[CACHE];
    private final long[] cBytes0 = new long[CACHE];
    private final long[] cBytes1 = new long[CACHE];
    private final byte[] cMode = new byte[CACHE];
    private final Semantics[] groups;
    private CpuFault fetchFault;
    /**
     * Privilege, 64-bit mode, CS base and decode mode of the code being run. Only the semantic groups and event
     * delivery can change what they derive from (CR0, EFER, CS, SS, RFLAGS.VM), so they are recomputed only after
     * those ran ({@link #modeStale}), and at every {@link #step()} and {@link #beginBlock()}.
     */
    boolean fetchUser;
    private boolean fetch64;
    private long fetchCsBase;
    private Mode fetchMode;
    private boolean modeStale = true;

    /**
     * Translated blocks ({@link BlockCompiler}), direct-mapped by linear address, with an execution count per slot
     * for the addresses not translated yet. Only block heads (branch targets, and the instructions after a block,
     * a semantic-group instruction or an event) are counted and looked up, in 64-bit mode. A block is entered only
     * if the code bytes in guest memory still equal those it was translated from.
     */
    static final int BLOCKS = 4096;
    private final CompiledBlock[] blocks = new CompiledBlock[BLOCKS];
    private final long[] headLa = new long[BLOCKS];
    private final int[] headKey = new int[BLOCKS];
    private final int[] headCount = new int[BLOCKS];
    /** Executions of a block head before it is translated; 0 turns translation off. */
    private int jitThreshold = Integer.getInteger("hyperport.jit.threshold", 500);
    /** Whether the next instruction starts a block. */
    private boolean atHead = true;
    /** Set by a translated block that stopped at a fault: the instructions it retired before the faulting one. */
    int jitRetired;
    /** Instructions retired by translated blocks (a subset of {@link #retired}). */
    public long retiredTranslated;
    /** Blocks translated so far, for statistics and tests. */
    public long blocksTranslated;
    /** Translations the JVM refused; each such block stays interpreted. */
    public long translationFailures;

    /** The fast path, with one classification per cache entry; null when no {@link GeneralInstructions} runs. */
    private FastPath fast;
    /** Status flags of fast-path instructions not yet written to {@code cpu.rflags}. */
    final LazyFlags lazy = new LazyFlags();

    /** Where execution continues after the current instruction; branches assign it. */
    public long nextRip;
    /** Set by MOV SS/POP SS/STI: interrupts are inhibited until after the next instruction (Vol 3A §6.8.3). */
    public boolean interruptShadow;
    /** Set by HLT; the engine clears it when an interrupt arrives. */
    public boolean halted;
    /** The vector of the last exception an instruction raised, for tests and diagnostics. */
    int lastFaultVector = -1;
    /** Instructions retired, for MIPS figures and deterministic time. */
    public long retired;

    public X86Interpreter(X86CpuState cpu, RamGuestMemory ram, X86Platform platform, CpuHooks hooks,
                          Semantics... groups) {
        this.cpu = cpu;
        this.platform = platform;
        this.hooks = hooks;
        this.fault = new CpuFault();
        this.mem = new LinearMemory(cpu, ram, platform, fault);
        this.desc = new Descriptors(cpu, mem, fault);
        this.idt = new InterruptDelivery(cpu, mem, desc, fault);
        this.groups = groups;
        for (Semantics g : groups) {
            if (g instanceof GeneralInstructions) {
                fast = new FastPath(CACHE);
            }
        }
    }

    /**
     * Turns the fast path ({@link FastPath}) on or off. It is on by default when the general-purpose group runs, whose
     * semantics it implements; tests turn it on for an interpreter built around a wrapped group, or off to compare.
     */
    public void fastPath(boolean on) {
        fast = on ? new FastPath(CACHE) : null;
        java.util.Arrays.fill(cMode, (byte) 0);
    }

    /**
     * Sets how many times a block head runs in the interpreter before it is translated to JVM bytecode
     * ({@link BlockCompiler}); 0 turns translation off. The default comes from {@code -Dhyperport.jit.threshold}.
     */
    public void jitThreshold(int executions) {
        jitThreshold = executions;
        java.util.Arrays.fill(blocks, null);
        java.util.Arrays.fill(headCount, 0);
    }

    // ---- Modes and privilege ------------------------------------------------------------------------------------

    public boolean longMode64() {
        return (cpu.efer & X86CpuState.EFER_LMA) != 0 && (cpu.cs.attr & Segment.L) != 0;
    }

    public Mode mode() {
        return Mode.of((cpu.cr0 & X86CpuState.CR0_PE) != 0, (cpu.rflags & (1 << 17)) != 0,
                (cpu.efer & X86CpuState.EFER_LMA) != 0, (cpu.cs.attr & Segment.L) != 0,
                (cpu.cs.attr & Segment.DB) != 0);
    }

    public int cpl() {
        return desc.cpl();
    }

    public boolean user() {
        return cpl() == 3;
    }

    // ---- Fetch ----------------------------------------------------------------------------------------------------

    @Override
    public int fetch(long address) {
        long la = fetch64 ? address : (fetchCsBase + address) & 0xffffffffL;
        try {
            return mem.fetch(la, fetchUser);
        } catch (CpuFault f) {
            fetchFault = f;
            return -1;
        }
    }

    // ---- Registers ------------------------------------------------------------------------------------------------

    public long reg(int r, int size) {
        long v = cpu.gpr[r];
        return switch (size) {
            case 1 -> v & 0xff;
            case 2 -> v & 0xffff;
            case 4 -> v & 0xffffffffL;
            default -> v;
        };
    }

    /** Writes a GPR with the SDM's rules: 8/16-bit writes merge, 32-bit writes zero-extend (Vol 1 §3.4.1.1). */
    public void setReg(int r, int size, long v) {
        long[] g = cpu.gpr;
        switch (size) {
            case 1 -> g[r] = (g[r] & ~0xffL) | (v & 0xff);
            case 2 -> g[r] = (g[r] & ~0xffffL) | (v & 0xffff);
            case 4 -> g[r] = v & 0xffffffffL;
            default -> g[r] = v;
        }
    }

    // ---- Effective addresses and memory operands ----------------------------------------------------------------

    public Segment segment(int sreg) {
        return switch (sreg) {
            case Operand.ES -> cpu.es;
            case Operand.CS -> cpu.cs;
            case Operand.SS -> cpu.ss;
            case Operand.DS -> cpu.ds;
            case Operand.FS -> cpu.fs;
            default -> cpu.gs;
        };
    }

    /** The offset (effective address) of memory operand {@code m}, truncated to its address size. */
    public long offset(Operand m) {
        long ea = m.displacement();
        if (m.base() == Operand.RIP) {
            ea += insn.nextIp();
        } else if (m.base() != Operand.NONE) {
            ea += cpu.gpr[m.base()];
        }
        if (m.index() != Operand.NONE) {
            ea += cpu.gpr[m.index()] * m.scale();
        }
        return switch (m.addressSize()) {
            case 2 -> ea & 0xffff;
            case 4 -> ea & 0xffffffffL;
            default -> ea;
        };
    }

    /**
     * The linear address of {@code offset} in segment {@code sreg}: segment bases apply except CS/DS/ES/SS in
     * 64-bit mode; 64-bit addresses must be canonical (#SS(0) for stack references, #GP(0) otherwise).
     */
    public long linear(int sreg, long offset) {
        if (longMode64()) {
            long la = (sreg == Operand.FS || sreg == Operand.GS) ? offset + segment(sreg).base : offset;
            if ((la << 16 >> 16) != la) {
                throw fault.raise(sreg == Operand.SS ? CpuFault.SS : CpuFault.GP, 0);
            }
            return la;
        }
        return (segment(sreg).base + offset) & 0xffffffffL;
    }

    public long address(Operand m) {
        return linear(m.segment(), offset(m));
    }

    /**
     * {@link #address} for the fast path: the privilege and mode of the current instruction are already known
     * (segment bases apply except CS/DS/ES/SS in 64-bit mode; 64-bit addresses must be canonical).
     */
    long addressFast(Operand m) {
        long offset = offset(m);
        int sreg = m.segment();
        if (fetch64) {
            long la = sreg >= Operand.FS ? offset + segment(sreg).base : offset;
            if ((la << 16 >> 16) != la) {
                throw fault.raise(sreg == Operand.SS ? CpuFault.SS : CpuFault.GP, 0);
            }
            return la;
        }
        return (segment(sreg).base + offset) & 0xffffffffL;
    }

    long loadFast(long la, int size) {
        return mem.read(la, size, fetchUser, 0);
    }

    void storeFast(long la, int size, long v) {
        mem.write(la, size, v, fetchUser);
    }

    /** {@link ControlTransfer#jumpTo} with the mode already known. */
    void jumpFast(long target) {
        if (fetch64) {
            if ((target << 16 >> 16) != target) {
                throw fault.raise(CpuFault.GP, 0);
            }
        } else if (Long.compareUnsigned(target, cpu.cs.limit & 0xffffffffL) > 0) {
            throw fault.raise(CpuFault.GP, 0);
        }
        nextRip = target;
    }

    public long load(long la, int size) {
        return mem.read(la, size, user(), 0);
    }

    public void store(long la, int size, long v) {
        mem.write(la, size, v, user());
    }

    /** Reads operand {@code o} (register, memory or immediate) at its size. */
    public long read(Operand o) {
        return switch (o.kind()) {
            case REG -> switch (o.regClass()) {
                case GPR -> reg(o.reg(), o.size());
                case HIGH8 -> (cpu.gpr[o.reg()] >>> 8) & 0xff;
                case SEG -> segment(o.reg()).selector;
                default -> throw fault.raise(CpuFault.UD);
            };
            case MEM -> load(address(o), o.size());
            case IMM, REL, FAR -> o.immediate();
            case NONE -> throw fault.raise(CpuFault.UD);
        };
    }

    /** Writes operand {@code o} (register or memory) at its size. */
    public void write(Operand o, long v) {
        switch (o.kind()) {
            case REG -> {
                switch (o.regClass()) {
                    case GPR -> setReg(o.reg(), o.size(), v);
                    case HIGH8 -> cpu.gpr[o.reg()] = (cpu.gpr[o.reg()] & ~0xff00L) | ((v & 0xff) << 8);
                    default -> throw fault.raise(CpuFault.UD);
                }
            }
            case MEM -> store(address(o), o.size(), v);
            default -> throw fault.raise(CpuFault.UD);
        }
    }

    // ---- Stack ----------------------------------------------------------------------------------------------------

    /** Stack-pointer width: 8 in 64-bit mode, else 4 or 2 by SS.B (Vol 1 §6.2.3). */
    public int stackAddressSize() {
        return longMode64() ? 8 : (cpu.ss.attr & Segment.DB) != 0 ? 4 : 2;
    }

    public void push(int size, long v) {
        int sas = stackAddressSize();
        long sp = (reg(X86CpuState.RSP, sas) - size);
        long la = linear(Operand.SS, sas == 8 ? sp : sp & (sas == 4 ? 0xffffffffL : 0xffff));
        store(la, size, v);
        setReg(X86CpuState.RSP, sas, sp);
    }

    public long pop(int size) {
        int sas = stackAddressSize();
        long sp = reg(X86CpuState.RSP, sas);
        long v = load(linear(Operand.SS, sp), size);
        setReg(X86CpuState.RSP, sas, sp + size);
        return v;
    }

    // ---- Execution ------------------------------------------------------------------------------------------------

    /** The instruction being executed (valid during {@link Semantics#execute}). */
    public Instruction current() {
        return insn;
    }

    /**
     * Executes one instruction, or delivers the exception it raises. A fault while delivering becomes #DF, and a
     * fault while delivering #DF is a triple fault, reported by returning false (the engine shuts the vCPU down).
     */
    public boolean step() {
        modeStale = true;
        try {
            return stepLazy();
        } finally {
            lazy.materialise(cpu);
        }
    }

    /**
     * {@link #step()} inside a block of steps ({@link #beginBlock()}): the status flags may be left lazy, so the caller
     * must call {@link #syncFlags()} before anything else reads {@code cpu.rflags}.
     */
    boolean stepLazy() {
        long startRip = cpu.rip;
        try {
            execute();
            return true;
        } catch (CpuFault f) {
            if (!idt.tasks().takeNewTaskFault()) {
                cpu.rip = startRip; // a fault after a task switch's commit point belongs to the new task
            }
            lastFaultVector = f.vector();
            return deliverFault(f.vector(), f.hasErrorCode(), f.errorCode(), f.cr2());
        }
    }

    /** Starts a block of {@link #stepLazy()} calls: the register file may have been changed from outside. */
    void beginBlock() {
        modeStale = true;
        atHead = true;
    }

    private void refreshMode() {
        if (modeStale) {
            fetchUser = user();
            fetch64 = longMode64();
            fetchCsBase = cpu.cs.base;
            fetchMode = mode();
            modeStale = false;
        }
    }

    /**
     * {@link #stepLazy()}, or a whole translated block when one starts here: runs at least one instruction and
     * returns how many retired (a block that loops stops once {@code budget} is reached), or -1 on a triple
     * fault. Like {@link #stepLazy()}, it leaves the status flags lazy.
     */
    int stepBlock(int budget) {
        if (!atHead || jitThreshold <= 0 || interruptShadow || fast == null) {
            return stepLazy() ? 1 : -1;
        }
        refreshMode();
        if (!fetch64) {
            return stepLazy() ? 1 : -1;
        }
        atHead = false;
        long la = cpu.rip;
        int key = fetchUser ? 2 : 1;
        int slot = (int) (la ^ (la >>> 12)) & (BLOCKS - 1);
        CompiledBlock block = blocks[slot];
        if (block == null || block.la != la || block.key != key) {
            if (headLa[slot] != la || headKey[slot] != key) {
                headLa[slot] = la;
                headKey[slot] = key;
                headCount[slot] = 0;
            }
            if (++headCount[slot] != jitThreshold) {
                return stepLazy() ? 1 : -1;
            }
            try {
                block = translate(la, key);
            } catch (CpuFault f) {
                block = null;
            } catch (BlockCompiler.TranslationFailed e) {
                block = null;
                translationFailures++;
                if (translationFailures == 1) {
                    System.err.println("hyperport: warning: " + e.getMessage() + " (" + e.getCause()
                            + "); that code stays interpreted");
                }
            }
            if (block == null) {
                return stepLazy() ? 1 : -1; // nothing to translate here; the count stays past the threshold
            }
            blocks[slot] = block;
        }
        try {
            if (!unchanged(block)) {
                blocks[slot] = null;
                headCount[slot] = 0;
                return stepLazy() ? 1 : -1;
            }
            jitRetired = 0;
            int n = block.run(this, budget);
            retired += n;
            retiredTranslated += n;
            atHead = true;
            return n;
        } catch (CpuFault f) {
            retired += jitRetired;
            lastFaultVector = f.vector();
            atHead = true;
            boolean ok = deliverFault(f.vector(), f.hasErrorCode(), f.errorCode(), f.cr2());
            return ok ? Math.max(1, jitRetired) : -1;
        } catch (RuntimeException e) {
            retired += jitRetired; // a device exit: the instruction that raised it runs again afterwards
            atHead = true;
            throw e;
        }
    }

    /** Whether the guest code under {@code block} is still what it was translated from (and may be executed). */
    private boolean unchanged(CompiledBlock block) {
        long la = block.la;
        if (block.codeEpoch != mem.epoch()) {
            if (!mem.codePage(la, fetchUser)) {
                return false;
            }
            block.codeSegment = mem.fetchSegment();
            block.codeOffset = mem.fetchOffset() + (la & 0xfff);
            block.codeEpoch = mem.epoch();
        }
        java.lang.foreign.MemorySegment s = block.codeSegment;
        long off = block.codeOffset;
        long[] code = block.code;
        int last = code.length - 1;
        for (int k = 0; k < last; k++) {
            if (s.get(CODE_WORD, off + 8L * k) != code[k]) {
                return false;
            }
        }
        int rest = block.length - 8 * last;
        long tail;
        if ((la & 0xfff) + 8L * last + 8 <= 0x1000) {
            tail = s.get(CODE_WORD, off + 8L * last) & (rest >= 8 ? -1L : (1L << (8 * rest)) - 1);
        } else { // the last word would cross the end of the page: read just the block's bytes
            tail = 0;
            for (int b = rest - 1; b >= 0; b--) {
                tail = (tail << 8) | (s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 8L * last + b) & 0xffL);
            }
        }
        return tail == code[last];
    }

    private static final java.lang.foreign.ValueLayout.OfLong CODE_WORD =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Decodes the block of translatable instructions at {@code la} (64-bit mode, within one page of RAM) and
     * translates it; null if its first instruction cannot be translated.
     */
    private CompiledBlock translate(long la, int key) {
        if (!mem.codePage(la, fetchUser)) {
            return null;
        }
        long page = la & ~0xfffL;
        org.hyperport.x86.decode.ByteSource inPage = a -> (a & ~0xfffL) == page ? fetch(a) : -1;
        java.util.List<Instruction> list = new java.util.ArrayList<>();
        long rip = la;
        while (list.size() < BlockCompiler.MAX_INSNS) {
            Instruction i = new Instruction();
            int n = decoder.decode(inPage, rip, Mode.LONG64, i);
            if (n <= 0 || !BlockCompiler.translatable(i)) {
                break;
            }
            list.add(i);
            rip += n;
            if (BlockCompiler.endsBlock(i)) {
                break;
            }
        }
        while (!list.isEmpty()) {
            CompiledBlock block = BlockCompiler.compile(list, la, fetchUser);
            if (block != null) {
                int length = (int) (list.getLast().nextIp() - la);
                long[] code = new long[(length + 7) / 8];
                mem.codePage(la, fetchUser);
                for (int k = 0; k < code.length; k++) {
                    code[k] = mem.peekCode(la, k);
                }
                int rest = length - 8 * (code.length - 1);
                code[code.length - 1] &= rest >= 8 ? -1L : (1L << (8 * rest)) - 1;
                block.la = la;
                block.key = key;
                block.code = code;
                block.length = length;
                blocksTranslated++;
                return block;
            }
            list = list.subList(0, list.size() / 2);
        }
        return null;
    }

    /** Writes lazily kept status flags to {@code cpu.rflags}; ends a block of {@link #stepLazy()} calls. */
    public void syncFlags() {
        lazy.materialise(cpu);
    }

    private void execute() {
        boolean shadowBefore = interruptShadow;
        refreshMode();
        long rip = cpu.rip;
        Mode mode = fetchMode;
        long la = fetch64 ? rip : (fetchCsBase + rip) & 0xffffffffL;
        boolean ram = mem.codePage(la, fetchUser);
        int idx = (int) (la ^ (la >>> 13)) & (CACHE - 1);
        Instruction ci = cInsn[idx];
        if (ci == null) {
            ci = new Instruction();
            cInsn[idx] = ci;
        }
        insn = ci;
        if (ram && cMode[idx] == mode.ordinal() + 1 && cRip[idx] == rip && cLa[idx] == la) {
            int len = ci.length();
            long m0 = len >= 8 ? -1L : (1L << (8 * len)) - 1;
            if ((mem.peekCode(la, 0) & m0) == cBytes0[idx]
                    && (len <= 8 || (mem.peekCode(la, 1) & ((1L << (8 * (len - 8))) - 1)) == cBytes1[idx])) {
                FastPath f = fast;
                if (f != null && f.kind[idx] != FastPath.GENERIC) {
                    executeFast(f, idx, shadowBefore);
                } else {
                    executeDecoded(shadowBefore);
                }
                return;
            }
        }
        cMode[idx] = 0;
        int n = decoder.decode(this, rip, mode, ci);
        if (n > 0 && ram && (la & 0xfff) + n <= 0x1000 && mem.codePage(la, fetchUser)) {
            long m0 = n >= 8 ? -1L : (1L << (8 * n)) - 1;
            cBytes0[idx] = mem.peekCode(la, 0) & m0;
            cBytes1[idx] = n <= 8 ? 0 : mem.peekCode(la, 1) & ((1L << (8 * (n - 8))) - 1);
            cRip[idx] = rip;
            cLa[idx] = la;
            cMode[idx] = (byte) (mode.ordinal() + 1);
        }
        if (n < 0) {
            switch (insn.status()) {
                case FETCH_FAULT -> throw fetchFault != null ? fetchFault : fault.raise(CpuFault.PF, 0x10);
                case TOO_LONG -> throw fault.raise(CpuFault.GP, 0);
                default -> throw fault.raise(CpuFault.UD);
            }
        }
        FastPath f = fast;
        if (f != null && f.classify(idx, ci) != FastPath.GENERIC) {
            executeFast(f, idx, shadowBefore);
        } else {
            executeDecoded(shadowBefore);
        }
    }

    private void executeFast(FastPath f, int idx, boolean shadowBefore) {
        nextRip = insn.nextIp();
        int kind = f.kind[idx];
        f.execute(this, idx, insn);
        atHead = kind >= FastPath.JCC && kind <= FastPath.RET;
        cpu.rip = nextRip;
        retired++;
        if (shadowBefore) {
            interruptShadow = false;
        }
    }

    /** Runs {@code insn} through the semantic groups, which see exact flags and may change the mode. */
    private void executeDecoded(boolean shadowBefore) {
        lazy.materialise(cpu);
        modeStale = true;
        atHead = true;
        nextRip = insn.nextIp();
        for (Semantics g : groups) {
            if (g.execute(this, insn)) {
                cpu.rip = nextRip;
                retired++;
                if (shadowBefore) {
                    interruptShadow = false;
                }
                return;
            }
        }
        throw fault.raise(CpuFault.UD);
    }

    /**
     * Delivers an external interrupt or NMI at an instruction boundary. A fault during delivery is delivered as an
     * exception (an external event is benign for escalation). Returns false on a triple fault.
     */
    public boolean deliverExternal(int vector) {
        lazy.materialise(cpu);
        modeStale = true;
        atHead = true;
        try {
            idt.deliver(vector, false, 0, true, false, cpu.rip);
            return true;
        } catch (CpuFault f) {
            idt.tasks().takeNewTaskFault();
            return deliverFault(f.vector(), f.hasErrorCode(), f.errorCode(), f.cr2());
        }
    }

    /** Fault-class exceptions (SDM Vol 3A Table 6-1): all but the traps #BP and #OF and the aborts #DF and #MC. */
    private static boolean isFault(int vector) {
        return switch (vector) {
            case CpuFault.DE, CpuFault.BR, CpuFault.UD, CpuFault.NM, CpuFault.TS, CpuFault.NP, CpuFault.SS,
                 CpuFault.GP, CpuFault.PF, CpuFault.MF, CpuFault.AC, CpuFault.XM -> true;
            default -> false;
        };
    }

    /** Delivers an exception, escalating per SDM Vol 3A Table 6-5. Returns false on a triple fault. */
    public boolean deliverFault(int vector, boolean hasErr, int err, long cr2) {
        lazy.materialise(cpu);
        modeStale = true;
        atHead = true;
        if (vector == CpuFault.PF) {
            cpu.cr2 = cr2;
        }
        if (isFault(vector)) {
            // Faults push an RFLAGS image with RF set, so that IRET back to the faulting instruction does not
            // re-trigger an instruction breakpoint (SDM Vol 3A §17.3.1.1); delivery then clears RF.
            cpu.rflags |= 1 << 16;
        }
        try {
            idt.deliver(vector, hasErr, err, false, false, cpu.rip);
            return true;
        } catch (CpuFault second) {
            idt.tasks().takeNewTaskFault();
            boolean df = vector == CpuFault.DF;
            if (df) {
                return false;
            }
            boolean benign = !CpuFault.contributory(vector) && vector != CpuFault.PF;
            boolean secondContributoryOrPf = CpuFault.contributory(second.vector()) || second.vector() == CpuFault.PF;
            if (!benign && secondContributoryOrPf
                    && !(vector != CpuFault.PF && second.vector() == CpuFault.PF)) {
                if (second.vector() == CpuFault.PF) {
                    cpu.cr2 = second.cr2(); // the second page fault's address is what CR2 shows in the #DF handler
                }
                try {
                    idt.deliver(CpuFault.DF, true, 0, false, false, cpu.rip);
                    return true;
                } catch (CpuFault third) {
                    idt.tasks().takeNewTaskFault();
                    return false;
                }
            }
            return deliverFault(second.vector(), second.hasErrorCode(), second.errorCode(), second.cr2());
        }
    }
}
