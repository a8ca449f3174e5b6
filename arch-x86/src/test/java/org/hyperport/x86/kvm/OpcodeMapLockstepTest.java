package org.hyperport.x86.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.LockstepCases;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.LockstepCases.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Single-instruction lock-step of the interpreter against an oracle, for every form of the opcode map, one test per
 * instruction group. Each case is a random instruction of the group (from {@link LockstepCases}) with random GPRs,
 * flags, XMM, x87 state and data contents; the oracle and the interpreter each run it once, and all architectural
 * state the group can change must agree afterwards: GPRs, RIP, defined RFLAGS, the data region (which holds the
 * stack, so exception frames are compared too), plus the x87/MMX, SSE or system registers of the group. The oracle
 * of each group is in {@link #ORACLES}: KVM single-step where this host's KVM runs the group correctly, QEMU TCG
 * through its gdb stub otherwise (see docs/CONFORMANCE.md for why). {@code -Dlockstep.cases=N} sets the total
 * (default 110,000, shared by the groups by WEIGHT, so that the KVM-judged groups run more than 100,000 and the
 * QEMU-judged system group 5,500; {@code -Dlockstep.nosystem=true} leaves the system group out;
 * {@code -Dlockstep.seed=N} changes the random cases). The table of
 * groups, oracles and counts goes to {@code target/lockstep-oracles.md}.
 */
class OpcodeMapLockstepTest {

    static final int CASES = Integer.getInteger("lockstep.cases", 110_000);
    /** The random seed of group 0 (group g uses SEED + g); {@code -Dlockstep.seed=N} runs other cases. */
    static final long SEED = Long.getLong("lockstep.seed", 0x10c5);
    static final long STATUS = 0x8d5, DF = 0x400;

    /** The oracle that judges each group. */
    static final Map<Group, String> ORACLES = new EnumMap<>(Map.of(Group.GENERAL, "KVM", Group.STRING, "KVM",
            Group.CONTROL, "KVM", Group.FLAG, "KVM", Group.SYSTEM, "QEMU", Group.X87, "KVM (CPL3)", Group.MMX,
            "KVM (CPL3)", Group.SSE, "KVM (CPL3)"));
    /** Share of {@link #CASES} per group. */
    static final Map<Group, Integer> WEIGHT = new EnumMap<>(Map.of(Group.GENERAL, 30, Group.STRING, 6,
            Group.CONTROL, 8, Group.FLAG, 4, Group.SYSTEM, 5, Group.X87, 14, Group.MMX, 10, Group.SSE, 20));

    /** Operations run but not compared, with the reason (each is listed in the table with its count). */
    static final List<Op> TRANSCENDENTAL = List.of(Op.FSIN, Op.FCOS, Op.FSINCOS, Op.FPTAN, Op.FPATAN, Op.FYL2X,
            Op.FYL2XP1, Op.F2XM1);
    static final Map<Op, String> NOT_COMPARED = notCompared();

    private static Map<Op, String> notCompared() {
        Map<Op, String> m = new EnumMap<>(Op.class);
        if (!org.hyperport.x86.interp.X87TranscendentalProbe.hostIsAmd()) {
            for (Op o : TRANSCENDENTAL) {
                m.put(o, "x87 transcendental: the last-bit behaviour was measured on AMD; this host is "
                        + org.hyperport.x86.interp.X87TranscendentalProbe.hostVendor());
            }
        }
        for (Op o : List.of(Op.RCPPS, Op.RCPSS, Op.RSQRTPS, Op.RSQRTSS)) {
            m.put(o, "approximation, implementation-specific within the SDM's 1.5*2^-12");
        }
        for (Op o : List.of(Op.FNSAVE, Op.FNSTENV, Op.FXSAVE, Op.FXSAVE64)) {
            m.put(o, "AMD host stores FIP/FDP/FOP only with an x87 exception pending");
        }
        for (Op o : List.of(Op.LDMXCSR, Op.STMXCSR, Op.FXRSTOR, Op.FXRSTOR64)) {
            m.put(o, "kvm_pvm neither loads MXCSR from KVM_SET_FPU nor reports it");
        }
        return m;
    }

    static final LockstepCases GEN = new LockstepCases(LockstepRig.IP, LockstepRig.DATA, LockstepRig.RSP);
    static final Map<Group, String> TABLE = new EnumMap<>(Group.class);

    record Row(String oracle, int run, int judged, int mismatches, Map<String, Integer> notJudged) {}

    static final Map<Group, Row> ROWS = new EnumMap<>(Group.class);

    @BeforeAll
    static void start() {
        ROWS.clear();
    }

    @AfterAll
    static void report() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("| group | oracle | forms | cases run | judged | mismatches | not judged (reason: count) |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        Map<Group, List<String>> forms = GEN.forms();
        for (Group g : Group.values()) {
            Row r = ROWS.get(g);
            String o = r == null ? ORACLES.get(g) + " (skipped)" : r.oracle();
            sb.append("| ").append(g.name().toLowerCase()).append(" | ").append(o).append(" | ")
                    .append(forms.get(g).size()).append(" | ").append(r == null ? 0 : r.run()).append(" | ")
                    .append(r == null ? 0 : r.judged()).append(" | ").append(r == null ? 0 : r.mismatches())
                    .append(" | ").append(r == null ? TABLE.getOrDefault(g, "") : r.notJudged()).append(" |\n");
        }
        sb.append("\nNot judged, by reason (operations; first example):\n");
        EXAMPLES.forEach((k, ops) -> sb.append("- ").append(k).append(": ").append(ops.size() > 40 ? ops.size()
                + " operations" : String.join(", ", ops)).append("; e.g. `").append(FIRST.get(k)).append("`\n"));
        sb.append("\nExcluded (never generated): ");
        Map<String, List<String>> byReason = new TreeMap<>();
        GEN.excludedForms().forEach((f, why) -> byReason.computeIfAbsent(why, k -> new ArrayList<>()).add(f));
        byReason.forEach((why, fs) -> sb.append("\n- ").append(why).append(": ").append(fs.size()).append(" forms"));
        sb.append('\n');
        System.out.println(sb);
        Path out = Path.of("target", "lockstep-oracles.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
    }

    static StepOracle open(String oracle) throws Exception {
        if (oracle.startsWith("KVM")) {
            var a = new X86KvmEngine().probe(new PosixHostInfo());
            assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
            return new KvmStepOracle();
        }
        String why = QemuGdbOracle.unavailable();
        if (why != null) {
            System.out.println("OpcodeMapLockstepTest: QEMU-judged group skipped: " + why);
        }
        assumeTrue(why == null, "QEMU oracle unavailable: " + why);
        try {
            return new QemuGdbOracle();
        } catch (java.io.IOException e) {
            assumeTrue(false, "QEMU oracle could not put QEMU into the rig's long mode: " + e.getMessage());
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(Group.class)
    void interpreterMatchesOracle(Group group) throws Exception {
        int n = Math.max(100, CASES * WEIGHT.get(group) / 100);
        String oracleName = ORACLES.get(group);
        TABLE.put(group, "skipped");
        if (group == Group.SYSTEM && Boolean.getBoolean("lockstep.nosystem")) {
            TABLE.put(group, "left out (-Dlockstep.nosystem=true)");
            assumeTrue(false, TABLE.get(group));
        }
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> notJudged = new TreeMap<>();
        int judged = 0;
        int run = 0;
        Random r = new Random(SEED + group.ordinal());
        try (StepOracle oracle = open(oracleName); InterpStepper interp = new InterpStepper()) {
            byte[] data = new byte[LockstepRig.DATA_SIZE];
            // A first step (FNOP) that is not judged: kvm_pvm's first x87 instruction on a fresh vCPU runs with an
            // initialised x87 state instead of the one KVM_SET_FPU gave it.
            oracle.step(LockstepRig.baseState(user(group)).snapshot(), new byte[] {(byte) 0xD9, (byte) 0xD0}, data);
            for (; run < n && mismatches.size() < 10; run++) {
                LockstepCases.Case c = GEN.next(group, r);
                X86CpuState s = randomState(r, c);
                r.nextBytes(data);
                for (var w : c.memWrites().entrySet()) {
                    long off = w.getKey() - LockstepRig.DATA;
                    for (int k = 0; k < 8; k++) {
                        data[(int) off + k] = (byte) (w.getValue() >>> (8 * k));
                    }
                }
                if ((c.op() == Op.SHLD || c.op() == Op.SHRD) && hasPrefix66(c.bytes())) {
                    note(notJudged, c, "16-bit SHLD/SHRD: result undefined for counts above 16", 1, Integer::sum);
                    continue;
                }
                String skip = NOT_COMPARED.get(c.op());
                if (skip != null) {
                    note(notJudged, c, skip + ": " + c.op(), 1, Integer::sum);
                    continue;
                }
                if (List.of(Op.LSS, Op.LFS, Op.LGS).contains(c.op()) && rexW(c.bytes()) && oracleName.equals("QEMU")) {
                    note(notJudged, c, "LFS/LGS/LSS with REX.W: m16:64 per the Intel SDM (the interpreter); QEMU "
                            + "TCG ignores REX.W (m16:32, the AMD APM's form) whatever the vendor: " + c.op(), 1,
                            Integer::sum);
                    continue;
                }
                CpuSnapshot before = s.snapshot();
                StepOracle.Outcome o = oracle.step(before, c.bytes(), data);
                if (o.notJudged() != null) {
                    note(notJudged, c, o.notJudged(), 1, Integer::sum);
                    continue;
                }
                if (List.of(Op.IRET, Op.IRETD).contains(c.op()) && (o.state().getLong("rflags") & 0x20000) != 0) {
                    note(notJudged, c, "QEMU TCG enters virtual-8086 mode on a 32-bit IRET in 64-bit mode (legacy "
                            + "mode only per the SDM and APM): " + c.op(), 1, Integer::sum);
                    continue;
                }
                if (c.bytes().length > 0 && isRepString(c)) {
                    // Oracles trap after each iteration (kvm_pvm once more before it advances RIP); the
                    // interpreter's step runs them all: compare after the last.
                    for (int k = 0; k < 16 && o.notJudged() == null && o.state().getLong("rip") == LockstepRig.IP;
                            k++) {
                        o = oracle.resume(data.length);
                    }
                    if (o.notJudged() != null) {
                        note(notJudged, c, o.notJudged(), 1, Integer::sum);
                        continue;
                    }
                }
                if (zeroFpState(group, before, o.state()) || initialisedFpu(group, c, before, o.state())) {
                    note(notJudged, c, "kvm_pvm read back or ran from an all-zero or initialised x87/SSE state", 1,
                            Integer::sum);
                    continue;
                }
                StepOracle.Outcome i = interp.step(before, c.bytes(), data);
                long ud = LockstepRig.HANDLERS + 6 * 16;
                long orip = o.state().getLong("rip");
                long irip0 = i.state().getLong("rip");
                boolean qemu = oracleName.equals("QEMU");
                if (qemu && c.op() == Op.INT1 && orip == ud && irip0 == LockstepRig.HANDLERS + 16) {
                    note(notJudged, c, "QEMU 7.2 TCG raises #UD for INT1 (ICEBP is compiled out, WANT_ICEBP); the SDM "
                            + "delivers #DB: " + c.op(), 1, Integer::sum);
                    continue;
                }
                if (!qemu && (orip == ud || orip == ud + 1) != (irip0 == ud)) {
                    long gp = LockstepRig.HANDLERS + 13 * 16;
                    note(notJudged, c, (irip0 == ud ? "only the interpreter raised #UD (outside its CPUID model): "
                            : irip0 == gp ? "kvm_pvm reflects a #GP its emulator cannot handle as #UD (interpreter "
                            + "and silicon raise #GP): " : "only the oracle raised #UD: ") + c.op(), 1, Integer::sum);
                    continue;
                }
                long ssv = LockstepRig.HANDLERS + 12 * 16, gpv = LockstepRig.HANDLERS + 13 * 16;
                if (!qemu && esCsSsDsOverride(c.bytes()) && ((orip == ssv || orip == ssv + 1) && irip0 == gpv
                        || (orip == gpv || orip == gpv + 1) && irip0 == ssv)) {
                    // SegmentOverrideKvmTest: at CPL3 the CPU's #GP is intercepted and the instruction re-run in
                    // KVM's emulator; at CPL0 kvm_pvm emulates in software anyway.
                    note(notJudged, c, "KVM's instruction emulator (run by kvm_pvm for a #GP intercepted at CPL3, and "
                            + "for CPL0 code) applies an ES/CS/SS/DS override in 64-bit mode to pick #SS or #GP for a "
                            + "non-canonical address; silicon and the SDM ignore the override: " + c.op(), 1,
                            Integer::sum);
                    continue;
                }
                if (qemu && c.op() == Op.LTR && (orip == LockstepRig.IP + c.bytes().length) && irip0 == gpv
                        && (sourceSelector(c, before, data) & 0xfffc) == 0) {
                    note(notJudged, c, "QEMU TCG loads a null selector into TR (helper_ltr marks TR invalid); the "
                            + "SDM raises #GP(0): " + c.op(), 1, Integer::sum);
                    continue;
                }
                long oss = o.state().getLong("ss");
                if (qemu && (oss & 0xfffc) == 0 && (oss & 3) != 0 && irip0 == LockstepRig.HANDLERS + 13 * 16) {
                    note(notJudged, c, "QEMU TCG loads a null SS with RPL != CPL in 64-bit mode (the SDM raises "
                            + "#GP(0)): " + c.op(), 1, Integer::sum);
                    continue;
                }
                long irip = i.state().getLong("rip");
                if (LockstepRig.inHandlers(irip) && o.state().getLong("rip") == irip + 1) {
                    i = interp.stepAgain(data.length); // the oracle's step also ran the handler's HLT
                }
                String diff = compare(group, c, o, i);
                if (diff != null && TRANSCENDENTAL.contains(c.op())
                        && java.util.Arrays.stream(diff.split("; ")).allMatch(d -> d.isBlank() || d.startsWith("st")
                        || d.startsWith("fsw:")) && nearRoundingBoundary(c.op(), before, o, i)) {
                    note(notJudged, c, "x87 transcendental whose exact result lies within 1/8 ulp of a rounding "
                            + "boundary, rounded apart by the hardware's own evaluation error (within 1 ulp): "
                            + c.op(), 1, Integer::sum);
                    continue;
                }
                if (diff != null && (group == Group.X87 || group == Group.MMX || group == Group.SSE)
                        && fromInitialisedFpu(interp, before, c, data, group, o)) {
                    note(notJudged, c, "kvm_pvm read back or ran from an all-zero or initialised x87/SSE state", 1,
                            Integer::sum);
                    continue;
                }
                judged++;
                if (diff != null) {
                    mismatches.add(describe(c, before, oracleName, o, i, diff));
                }
            }
        }
        ROWS.put(group, new Row(oracleName, run, judged, mismatches.size(), notJudged));
        assertEquals(List.of(), mismatches, group + " vs " + oracleName);
        assumeTrue(judged > 0, group + ": the oracle judged no case: " + notJudged);
    }

    /**
     * A difference that the x87 transcendental instructions are allowed (see FpuInstructions and
     * docs/CONFORMANCE.md): the exact result lies within 1/8 ulp of a rounding boundary (a representable value,
     * or for round to nearest a midpoint), the registers differ by at most one ulp and FSW at most in C1.
     * FpuTranscendentalOracleTest measures how often it happens.
     */
    static boolean nearRoundingBoundary(Op op, CpuSnapshot before, StepOracle.Outcome o, StepOracle.Outcome i) {
        X86CpuState b = new X86CpuState();
        b.restore(before);
        X86CpuState ho = new X86CpuState();
        ho.restore(o.state());
        X86CpuState hi = new X86CpuState();
        hi.restore(i.state());
        if (((ho.fsw ^ hi.fsw) & ~0x200) != 0 || ho.ftw != hi.ftw || ho.fcw != hi.fcw
                || !o.state().get("rip").equals(i.state().get("rip"))) {
            return false;
        }
        for (int k = 0; k < 8; k++) {
            if ((ho.st[2 * k] != hi.st[2 * k] || ho.st[2 * k + 1] != hi.st[2 * k + 1]) && Math.abs(
                    org.hyperport.x86.interp.X87TranscendentalProbe.ulps(ho.st[2 * k], (int) ho.st[2 * k + 1],
                            hi.st[2 * k], (int) hi.st[2 * k + 1])) > 1) {
                return false;
            }
        }
        return org.hyperport.x86.interp.X87TranscendentalProbe.boundaryDistance(op.name(), b.fcw, b.st[0],
                (int) b.st[1], b.st[2], (int) b.st[3]) <= FpuTranscendentalOracleTest.BOUNDARY;
    }

    /**
     * The oracle's result is exactly what the instruction gives from an FNINIT x87 state (FCW 0x37F, FSW 0, all
     * registers empty and zero), with the XMM registers as they were or all zero: kvm_pvm ran it from such a state
     * instead of the one KVM_SET_FPU gave it (e.g. {@code 6667dce0 fsubr st(0), st(0)} with ST(0) finite came back
     * as a stack underflow into an otherwise zero register file). The interpreter is re-run from that state to see.
     */
    static boolean fromInitialisedFpu(InterpStepper interp, CpuSnapshot before, LockstepCases.Case c, byte[] data,
                                      Group g, StepOracle.Outcome o) {
        for (boolean zeroXmm : new boolean[] {false, true}) {
            X86CpuState s = new X86CpuState();
            s.restore(before);
            s.fcw = 0x37f;
            s.fsw = 0;
            s.ftw = 0;
            java.util.Arrays.fill(s.st, 0);
            if (zeroXmm) {
                java.util.Arrays.fill(s.xmm, 0);
            }
            if (compare(g, c, o, interp.step(s.snapshot(), c.bytes(), data)) == null) {
                return true;
            }
        }
        return false;
    }

    /** The 16-bit selector operand (register or memory) of a one-operand instruction such as LTR, before the step. */
    static int sourceSelector(LockstepCases.Case c, CpuSnapshot before, byte[] data) {
        org.hyperport.x86.decode.Instruction insn = new org.hyperport.x86.decode.Instruction();
        new org.hyperport.x86.decode.X86Decoder().decode(org.hyperport.x86.decode.ByteSource.of(c.bytes(),
                LockstepRig.IP), LockstepRig.IP, org.hyperport.x86.decode.Mode.LONG64, insn);
        org.hyperport.x86.decode.Operand src = insn.operand(0);
        X86CpuState s = new X86CpuState();
        s.restore(before);
        if (src.isReg()) {
            return (int) (s.gpr[src.reg()] & 0xffff);
        }
        long ea = src.displacement();
        if (src.base() == org.hyperport.x86.decode.Operand.RIP) {
            ea += insn.nextIp();
        } else if (src.base() != org.hyperport.x86.decode.Operand.NONE) {
            ea += s.gpr[src.base()];
        }
        if (src.index() != org.hyperport.x86.decode.Operand.NONE) {
            ea += s.gpr[src.index()] * src.scale();
        }
        if (src.addressSize() == 4) {
            ea &= 0xffffffffL;
        }
        long off = ea - LockstepRig.DATA;
        if (off < 0 || off + 2 > data.length) {
            return -1;
        }
        return (data[(int) off] & 0xff) | (data[(int) off + 1] & 0xff) << 8;
    }

    /** The oracle's FCW is the FNINIT value although the step could not have loaded it. */
    static boolean initialisedFpu(Group g, LockstepCases.Case c, CpuSnapshot before, CpuSnapshot after) {
        return (g == Group.X87 || g == Group.MMX) && after.getLong("fcw") == 0x37f && before.getLong("fcw") != 0x37f
                && !List.of(Op.FLDCW, Op.FLDENV, Op.FRSTOR, Op.FNINIT, Op.FXRSTOR, Op.FXRSTOR64).contains(c.op());
    }

    /** Counts a case that was not judged under its reason (text before ": "), keeping the operations and one example. */
    static void note(Map<String, Integer> notJudged, LockstepCases.Case c, String reason, int one,
                     java.util.function.BinaryOperator<Integer> sum) {
        int colon = reason.indexOf(": ");
        String key = colon < 0 ? reason : reason.substring(0, colon);
        notJudged.merge(key, one, sum);
        EXAMPLES.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(c.op().name());
        FIRST.putIfAbsent(key, c.hex() + " " + LockstepCases.disassemble(c.bytes(), LockstepRig.IP));
    }

    static final Map<String, java.util.Set<String>> EXAMPLES = new TreeMap<>();
    static final Map<String, String> FIRST = new TreeMap<>();

    /** A REX prefix with W set right before the opcode. */
    static boolean rexW(byte[] b) {
        for (int k = 0; k + 1 < b.length; k++) {
            if ((b[k] & 0xf8) == 0x48 && b[k + 1] == 0x0F) {
                return true;
            }
        }
        return false;
    }

    /** An ES, CS, SS or DS segment-override prefix among the legacy prefixes (ignored in 64-bit mode). */
    static boolean esCsSsDsOverride(byte[] b) {
        for (byte x : b) {
            int v = x & 0xff;
            if (v == 0x26 || v == 0x2e || v == 0x36 || v == 0x3e) {
                return true;
            }
            if (v != 0xf0 && v != 0xf2 && v != 0xf3 && v != 0x64 && v != 0x65 && v != 0x66 && v != 0x67) {
                return false;
            }
        }
        return false;
    }

    static boolean hasPrefix66(byte[] b) {
        for (int k = 0; k < b.length && b[k] != 0x0F; k++) {
            if (b[k] == 0x66) {
                return true;
            }
        }
        return false;
    }

    static boolean isRepString(LockstepCases.Case c) {
        if (c.group() != Group.STRING) {
            return false;
        }
        for (byte b : c.bytes()) {
            if ((b & 0xff) == 0xF2 || (b & 0xff) == 0xF3) {
                return true;
            }
        }
        return false;
    }

    /**
     * Groups run at CPL3, where kvm_pvm executes natively: at CPL0 it emulates in software, rejecting x87, MMX and
     * SSE (internal errors) and running LZCNT as BSR and MOVBE as #UD. Control transfers and flag control stay at
     * CPL0, where the single-step trap is reliable; system instructions need CPL0.
     */
    static boolean user(Group g) {
        return g == Group.GENERAL || g == Group.STRING || g == Group.X87 || g == Group.MMX || g == Group.SSE;
    }

    /** kvm_pvm sometimes reads back an all-zero x87/SSE state (FCW 0x37F, no XMM bits) that the step cannot give. */
    static boolean zeroFpState(Group g, CpuSnapshot before, CpuSnapshot after) {
        if (!user(g) || g == Group.GENERAL || g == Group.STRING) {
            return false;
        }
        boolean st = true, xmm = true;
        for (int k = 0; k < 8; k++) {
            st &= after.get("st" + k).signum() == 0;
            xmm &= after.get("xmm" + k).signum() == 0;
        }
        boolean stBefore = false, xmmBefore = false;
        for (int k = 0; k < 8; k++) {
            stBefore |= before.get("st" + k).signum() != 0;
            xmmBefore |= before.get("xmm" + k).signum() != 0;
        }
        return st && stBefore || xmm && xmmBefore;
    }

    static X86CpuState randomState(Random r, LockstepCases.Case c) {
        X86CpuState s = LockstepRig.baseState(user(c.group()));
        for (int g = 0; g < 16; g++) {
            s.gpr[g] = r.nextInt(4) == 0 ? r.nextInt(70) : r.nextLong();
        }
        c.fixedRegs().forEach((reg, v) -> s.gpr[reg] = v);
        s.gpr[X86CpuState.RSP] = LockstepRig.RSP;
        s.rflags = 2 | (r.nextLong() & (STATUS | DF));
        s.rip = LockstepRig.IP;
        for (int k = 0; k < 32; k++) {
            s.xmm[k] = randomFloatBits(r);
        }
        // MXCSR stays at its reset value: kvm_pvm neither loads MXCSR from KVM_SET_FPU nor reports it reliably,
        // so a random rounding mode would run on one side only (see docs/CONFORMANCE.md).
        s.mxcsr = 0x1f80;
        s.fcw = 0x37f & (r.nextInt(8) == 0 ? ~r.nextInt(0x3f) : ~0) | (r.nextInt(4) << 10)
                | (r.nextInt(4) == 0 ? 0 : 0x300);
        int top = r.nextInt(8);
        s.fsw = top << 11;
        s.ftw = r.nextInt(256) | (r.nextBoolean() ? 0xff : 0);
        for (int k = 0; k < 8; k++) {
            long mant = randomFloatBits(r);
            int exp = r.nextInt(8) == 0 ? new int[] {0, 0x7fff, 1, 0x7ffe}[r.nextInt(4)] : 0x3fff - 40 + r.nextInt(80);
            s.st[2 * k] = r.nextInt(8) == 0 ? mant : mant | Long.MIN_VALUE;
            s.st[2 * k + 1] = exp | (r.nextBoolean() ? 0x8000 : 0);
        }
        return s;
    }

    static long randomFloatBits(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> Double.doubleToRawLongBits(r.nextInt(2000) - 1000 + r.nextDouble());
            case 2 -> (Float.floatToRawIntBits(r.nextInt(200) - 100.5f) & 0xffffffffL)
                    | ((long) Float.floatToRawIntBits(r.nextFloat() * 1e6f) << 32);
            default -> new long[] {0, Long.MIN_VALUE, 0x7ff0000000000000L, 0x7ff8000000000000L, 0x7fc000007f800000L,
                1, -1}[r.nextInt(7)];
        };
    }

    /** The registers compared for a group. */
    static List<String> compared(Group g) {
        List<String> l = new ArrayList<>(List.of(X86CpuState.GPR_NAMES));
        l.add("rip");
        switch (g) {
            case X87, MMX -> {
                l.addAll(List.of("fcw", "fsw", "ftw"));
                for (int k = 0; k < 8; k++) {
                    l.add("st" + k);
                }
            }
            case SSE -> {
                // MXCSR is not compared: kvm_pvm reports it unreliably (reads back 0); see docs/CONFORMANCE.md.
                for (int k = 0; k < 16; k++) {
                    l.add("xmm" + k);
                }
            }
            case SYSTEM -> l.addAll(List.of("cs", "ss", "ds", "es", "fs", "gs", "cr0", "cr2", "cr3", "cr4", "efer"));
            default -> {
            }
        }
        return l;
    }

    static String compare(Group g, LockstepCases.Case c, StepOracle.Outcome o, StepOracle.Outcome i) {
        StringBuilder sb = new StringBuilder();
        // QEMU TCG leaves RF clear in the RFLAGS image of a fault's frame; silicon (and KVM) set it (SDM Vol. 3
        // §18.3.1.1), so for QEMU a data word that differs only in bit 16 is accepted.
        boolean qemu = ORACLES.get(g).startsWith("QEMU");
        for (String reg : compared(g)) {
            if (!o.state().get(reg).equals(i.state().get(reg))) {
                sb.append(reg).append(": oracle ").append(LockstepRig.hex(o.state().get(reg))).append(" interp ")
                        .append(LockstepRig.hex(i.state().get(reg))).append("; ");
            }
        }
        BigInteger mask = BigInteger.valueOf(0x3fffffL & ~c.undefinedFlags() & ~(1L << 16)); // RF: the debug trap's
        if (!o.state().get("rflags").and(mask).equals(i.state().get("rflags").and(mask))) {
            sb.append("rflags: oracle ").append(LockstepRig.hex(o.state().get("rflags"))).append(" interp ")
                    .append(LockstepRig.hex(i.state().get("rflags"))).append(" (undefined 0x")
                    .append(Long.toHexString(c.undefinedFlags())).append("); ");
        }
        for (int k = 0; k < o.data().length; k += 8) {
            long a = 0, b = 0;
            for (int j = 7; j >= 0; j--) {
                a = a << 8 | (o.data()[k + j] & 0xff);
                b = b << 8 | (i.data()[k + j] & 0xff);
            }
            if (a != b && !(qemu && (a ^ b) == 0x10000)) {
                sb.append(String.format("data+0x%x: oracle %016x interp %016x; ", k, a, b));
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    static String describe(LockstepCases.Case c, CpuSnapshot before, String oracle, StepOracle.Outcome o,
                           StepOracle.Outcome i, String diff) {
        List<String> regs = new ArrayList<>(compared(c.group()));
        regs.add("rflags");
        if (user(c.group()) && c.group() != Group.GENERAL && c.group() != Group.STRING) {
            regs.add("mxcsr");
        }
        return c.hex() + "  " + LockstepCases.disassemble(c.bytes(), LockstepRig.IP) + "  (" + c.form() + ")\n  "
                + diff + "\n  before:" + LockstepRig.format(before, regs) + "\n  " + oracle + " after:"
                + LockstepRig.format(o.state(), regs) + "\n  interpreter after:" + LockstepRig.format(i.state(), regs)
                + "\n";
    }
}
