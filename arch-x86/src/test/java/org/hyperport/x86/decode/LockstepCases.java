package org.hyperport.x86.decode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hyperport.x86.decode.Operand.Kind;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * Lock-step cases from the opcode map: every 64-bit form {@link InstructionGenerator} can produce, sorted into the
 * instruction groups of SDM Vol. 1 Chapter 5, with operands rewritten so that the instruction stays inside the test
 * guest: each memory operand's effective address lands in the data region (by choosing the displacement and the
 * base and index register values), near branch targets land in the code page, and RET/POPF/indirect branches find
 * sensible values where they read them. The rest of the state (other registers, flags, vector and x87 registers,
 * data contents) is left to the caller's random choice, so faults still happen and must be delivered alike.
 */
public final class LockstepCases {

    /** Instruction groups, SDM Vol. 1 §5.1-§5.10 and Vol. 3 for the system instructions. */
    public enum Group { GENERAL, STRING, CONTROL, FLAG, SYSTEM, X87, MMX, SSE }

    /** Forms not run at all, with the reason. */
    public static final Map<Op, String> EXCLUDED = excluded();

    /**
     * One case: the bytes at {@code ip}, GPR values the operands need ({@code fixedRegs}, index to value), 8-byte
     * values to store in the data region before the step ({@code memWrites}, gva to value), and the status flags
     * the SDM leaves undefined after the instruction.
     */
    public record Case(Group group, Op op, String form, byte[] bytes, Map<Integer, Long> fixedRegs,
                       Map<Long, Long> memWrites, long undefinedFlags) {

        public String hex() {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        }
    }

    static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, STATUS = CF | PF | AF | ZF | SF | OF;

    private final long ip;
    private final long dataBase;
    private final long rsp;
    private final InstructionGenerator gen;
    private final Map<Group, List<Form>> byGroup = new EnumMap<>(Group.class);

    /**
     * @param ip       where the instruction is placed (with at least 0x700 bytes of the code page either side)
     * @param dataBase start of the data region (at least 0x3000 bytes, mapped writable)
     * @param rsp      the stack pointer every case runs with (inside the data region)
     */
    public LockstepCases(long ip, long dataBase, long rsp) {
        this.ip = ip;
        this.dataBase = dataBase;
        this.rsp = rsp;
        this.gen = new InstructionGenerator(Mode.LONG64, ip);
        for (Group g : Group.values()) {
            byGroup.put(g, new ArrayList<>());
        }
        for (Form f : gen.forms()) {
            if (!EXCLUDED.containsKey(op(f))) {
                byGroup.get(groupOf(f)).add(f);
            }
        }
    }

    /** The forms of each group, as the opcode map spells them. */
    public Map<Group, List<String>> forms() {
        Map<Group, List<String>> m = new LinkedHashMap<>();
        byGroup.forEach((g, l) -> m.put(g, l.stream().map(f -> f.text).toList()));
        return m;
    }

    /** The excluded forms the generator knows, as the opcode map spells them, with the reason. */
    public Map<String, String> excludedForms() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Form f : gen.forms()) {
            if (EXCLUDED.containsKey(op(f))) {
                m.put(f.text, EXCLUDED.get(op(f)));
            }
        }
        return m;
    }

    /** A random case of group {@code g}. */
    public Case next(Group g, Random rnd) {
        List<Form> forms = byGroup.get(g);
        for (;;) {
            Form f = forms.get(rnd.nextInt(forms.size()));
            Case c = build(gen.generate(f, rnd), rnd);
            if (c != null) {
                return c;
            }
        }
    }

    /** The instruction at {@code ip} as the project's formatter prints it. */
    public static String disassemble(byte[] bytes, long ip) {
        Instruction insn = new Instruction();
        new X86Decoder().decode(ByteSource.of(bytes, ip), ip, Mode.LONG64, insn);
        return Formatter.instruction(insn);
    }

    private static Op op(Form f) {
        return f.ops[2] != null ? f.ops[2] : f.ops[1] != null ? f.ops[1] : f.ops[0];
    }

    static Group groupOf(Form f) {
        Op op = op(f);
        for (Spec s : f.specs) {
            if (s.regClass == RegClass.MMX) {
                return Group.MMX;
            }
        }
        for (Spec s : f.specs) {
            if (s.regClass == RegClass.XMM) {
                return Group.SSE;
            }
            if (s.regClass == RegClass.SEG || s.regClass == RegClass.CR || s.regClass == RegClass.DR) {
                return Group.SYSTEM;
            }
        }
        if (op == Op.EMMS) {
            return Group.MMX;
        }
        if (op.ordinal() >= Op.FADD.ordinal() || op == Op.FWAIT) {
            return Group.X87;
        }
        String n = op.name();
        if (Set.of(Op.LDMXCSR, Op.STMXCSR, Op.FXSAVE, Op.FXSAVE64, Op.FXRSTOR, Op.FXRSTOR64).contains(op)) {
            return Group.SSE;
        }
        if (Set.of(Op.MOVS, Op.CMPS, Op.STOS, Op.LODS, Op.SCAS).contains(op)) {
            return Group.STRING;
        }
        if (op.condition() >= 0 && n.startsWith("J") || Set.of(Op.JMP, Op.CALL, Op.RET, Op.LOOP, Op.LOOPE, Op.LOOPNE,
                Op.JCXZ, Op.JECXZ, Op.JRCXZ).contains(op)) {
            return Group.CONTROL;
        }
        if (Set.of(Op.CLC, Op.STC, Op.CMC, Op.CLD, Op.STD, Op.SAHF, Op.LAHF, Op.PUSHF, Op.PUSHFD, Op.PUSHFQ, Op.POPF,
                Op.POPFD, Op.POPFQ).contains(op)) {
            return Group.FLAG;
        }
        if (SYSTEM.contains(op)) {
            return Group.SYSTEM;
        }
        return Group.GENERAL;
    }

    /**
     * A WRMSR value the SDM (Vol. 4) requires to be accepted: canonical addresses for SYSENTER_ESP/EIP, LSTAR, CSTAR
     * and the FS/GS/KERNEL_GS bases, valid memory types in every PAT entry, zero reserved bits in SYSENTER_CS and
     * SFMASK. QEMU 7.2 accepts any value where silicon raises #GP (docs/CONFORMANCE.md).
     */
    static long validMsrValue(long msr, Random rnd) {
        if (msr == 0x277) {
            int[] types = {0, 1, 4, 5, 6, 7};
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v |= (long) types[rnd.nextInt(types.length)] << (8 * k);
            }
            return v;
        }
        if (msr == 0x174 || msr == 0xC0000084L) {
            return rnd.nextLong() & 0xffffffffL;
        }
        if (msr == 0xC0000081L) {
            return rnd.nextLong();
        }
        return rnd.nextLong() << 16 >> 16; // canonical (48-bit)
    }

    /** A MOV-to-CRn value every CPU must accept in the rig's 64-bit mode, leaving paging and long mode intact. */
    static long validCrValue(int cr, Random rnd) {
        return switch (cr) {
            // PE, MP, ET, NE, WP, PG as the rig has them; flip MP, EM, TS, NE, WP, AM
            case 0 -> 0x80010033L ^ (rnd.nextLong() & 0x5002eL);
            case 2 -> rnd.nextLong();
            case 3 -> 0x10000L | (rnd.nextLong() & 0x18L); // PML4 with random PWT/PCD
            // PAE, OSFXSR, OSXMMEXCPT as the rig has them; flip TSD, DE, PSE, MCE, PGE, PCE
            case 4 -> 0x620L ^ (rnd.nextLong() & 0x1dcL);
            case 8 -> rnd.nextInt(16);
            default -> rnd.nextLong();
        };
    }

    static final Set<Op> SYSTEM = EnumSet.of(Op.SLDT, Op.STR, Op.LLDT, Op.LTR, Op.VERR, Op.VERW, Op.SGDT, Op.SIDT,
            Op.LGDT, Op.LIDT, Op.SMSW, Op.LMSW, Op.INVLPG, Op.CLAC, Op.STAC, Op.XGETBV, Op.XSETBV, Op.SWAPGS, Op.LAR,
            Op.LSL, Op.SYSCALL, Op.SYSRET, Op.CLTS, Op.INVD, Op.WBINVD, Op.WBNOINVD, Op.WRMSR, Op.RDMSR, Op.CLI, Op.STI,
            Op.INT, Op.INT3, Op.INTO, Op.INT1, Op.IRET, Op.IRETD, Op.IRETQ, Op.CALLF, Op.JMPF, Op.RETF, Op.LSS, Op.LFS,
            Op.LGS, Op.LES, Op.LDS, Op.INVPCID, Op.RDFSBASE, Op.RDGSBASE, Op.WRFSBASE, Op.WRGSBASE, Op.RDPKRU,
            Op.WRPKRU, Op.XSAVE, Op.XSAVE64, Op.XRSTOR, Op.XRSTOR64, Op.XSAVEOPT, Op.XSAVEOPT64, Op.XSAVEC,
            Op.XSAVEC64, Op.XSAVES, Op.XSAVES64, Op.XRSTORS, Op.XRSTORS64, Op.RSM, Op.SYSENTER, Op.SYSEXIT);

    private static Map<Op, String> excluded() {
        Map<Op, String> m = new EnumMap<>(Op.class);
        for (Op o : List.of(Op.CPUID, Op.RDTSC, Op.RDTSCP, Op.RDPMC, Op.RDRAND, Op.RDSEED, Op.RDPID)) {
            m.put(o, "nondeterministic or host-model-specific result");
        }
        for (Op o : List.of(Op.IN, Op.OUT, Op.INS, Op.OUTS)) {
            m.put(o, "I/O: reaches devices, which stepInstruction() does not model");
        }
        m.put(Op.HLT, "stops the vCPU; not a single-step event on either oracle");
        for (Op o : List.of(Op.MONITOR, Op.MWAIT, Op.VMCALL, Op.VMMCALL)) {
            m.put(o, "hypervisor- or host-power-management-specific");
        }
        return m;
    }

    private Case build(InstructionGenerator.Sample s, Random rnd) {
        Form f = s.form();
        Op op = s.op();
        Group group = groupOf(f);
        Map<Integer, Long> regs = new LinkedHashMap<>();
        Map<Long, Long> mem = new LinkedHashMap<>();
        X86Encoder.Request req = s.request();
        int as = req.addressSize();
        List<Opnd> ops = new ArrayList<>(req.operands());
        boolean string = group == Group.STRING;
        boolean ripRelative = false;
        long target = 0;
        for (int i = 0; i < ops.size(); i++) {
            Opnd o = ops.get(i);
            Spec spec = i < f.specs.length ? f.specs[i] : null;
            if (o.kind() == Kind.REL) {
                long rel = o.size() == 1 || spec != null && spec.regType == Spec.T_B ? (byte) rnd.nextInt()
                        : rnd.nextInt(0xe00) - 0x700;
                ops.set(i, Opnd.rel(rel, 0, o.size()));
            } else if (o.kind() == Kind.MEM && !string) {
                target = dataBase + 0x100 + (rnd.nextInt(4) == 0 ? rnd.nextInt(0xe00) : rnd.nextInt(0xe0) * 16);
                if (o.base() == Operand.RIP) {
                    ripRelative = true;
                    ops.set(i, withDisp(o, 0));
                } else if (o.base() == Operand.NONE && o.index() == Operand.NONE) {
                    ops.set(i, withDisp(o, target));
                } else {
                    long disp = o.disp() == 0 ? 0 : (byte) o.disp() == o.disp() ? (byte) rnd.nextInt()
                            : rnd.nextInt(0x800) - 0x400;
                    if (o.base() == 4) {
                        long idx = rnd.nextInt(32);
                        disp = rnd.nextInt(0x200) - 0x100;
                        if (o.index() != Operand.NONE) {
                            if (!put(regs, o.index(), idx)) {
                                return null;
                            }
                        }
                    } else if (o.base() == Operand.NONE) {
                        long idx = rnd.nextInt(32);
                        disp = target - idx * o.scale();
                        if (!put(regs, o.index(), idx)) {
                            return null;
                        }
                    } else if (o.base() == o.index()) {
                        long v = Math.floorDiv(target - disp, 1 + o.scale());
                        if (!put(regs, o.base(), v)) {
                            return null;
                        }
                    } else {
                        long idx = o.index() == Operand.NONE ? 0 : rnd.nextInt(32);
                        long base = target - disp - idx * o.scale();
                        if (as == 4) {
                            idx |= rnd.nextLong() << 32;
                            base = (base & 0xffffffffL) | (rnd.nextLong() << 32);
                        }
                        if (o.index() != Operand.NONE && !put(regs, o.index(), idx) || !put(regs, o.base(), base)) {
                            return null;
                        }
                    }
                    ops.set(i, withDisp(o, disp));
                }
            }
        }
        if (string) {
            if (!put(regs, 6, dataBase + 0x400 + rnd.nextInt(0x200)) || !put(regs, 7, dataBase + 0xA00
                    + rnd.nextInt(0x200))) {
                return null;
            }
            if (req.rep() != 0) {
                put(regs, 1, (long) rnd.nextInt(8));
            }
        }
        if (op == Op.RDMSR || op == Op.WRMSR) { // a safe subset both oracles implement
            long[] msrs = {0x174, 0x175, 0x176, 0x277, 0xC0000081L, 0xC0000082L, 0xC0000083L, 0xC0000084L,
                0xC0000100L, 0xC0000101L, 0xC0000102L};
            long msr = msrs[rnd.nextInt(msrs.length)];
            put(regs, 1, msr);
            if (op == Op.WRMSR) { // only values the SDM requires every CPU to accept (QEMU checks none of them)
                long v = validMsrValue(msr, rnd);
                put(regs, 0, v & 0xffffffffL | (rnd.nextLong() & 0xffffffff00000000L)); // RAX[63:32] ignored
                put(regs, 2, v >>> 32 | (rnd.nextLong() & 0xffffffff00000000L)); // RDX[63:32] ignored
            }
        }
        if (op == Op.MOV && ops.size() == 2 && ops.get(0).kind() == Kind.REG && ops.get(0).cls() == RegClass.CR
                && ops.get(1).kind() == Kind.REG) {
            // Only values the SDM requires to be accepted (QEMU 7.2 accepts reserved CR3/CR8 bits and clearing
            // CR0.PG in 64-bit mode, docs/CONFORMANCE.md): the rig's value with harmless bits flipped.
            if (!put(regs, ops.get(1).reg(), validCrValue(ops.get(0).reg(), rnd))) {
                return null;
            }
        }
        if (op == Op.XLAT) {
            put(regs, 3, dataBase + 0x200 + rnd.nextInt(0x100));
        }
        if ((op == Op.JMP || op == Op.CALL) && ops.size() == 1 && ops.get(0).kind() != Kind.REL) {
            long dest = ip - 0x700 + rnd.nextInt(0xe00);
            if (ops.get(0).kind() == Kind.REG) {
                if (!put(regs, ops.get(0).reg(), dest)) {
                    return null;
                }
            } else {
                mem.put(target, dest);
            }
        }
        if (op == Op.RET) {
            mem.put(rsp, ip - 0x700 + rnd.nextInt(0xe00));
        }
        if (op == Op.POPF || op == Op.POPFD || op == Op.POPFQ) {
            mem.put(rsp, rnd.nextLong() & ~0x100L); // TF would add a trap of its own after the step
        }
        X86Encoder.Request out = new X86Encoder.Request(List.copyOf(ops), as, req.p66(), req.rexW(), req.rex(), req.lock(),
                req.rep(), req.segment(), req.dispWidth());
        byte[] bytes;
        try {
            bytes = X86Encoder.encode(f, Mode.LONG64, out);
            if (ripRelative) {
                long disp = target - (ip + bytes.length);
                for (int i = 0; i < ops.size(); i++) {
                    if (ops.get(i).kind() == Kind.MEM && ops.get(i).base() == Operand.RIP) {
                        ops.set(i, withDisp(ops.get(i), disp));
                    }
                }
                bytes = X86Encoder.encode(f, Mode.LONG64, new X86Encoder.Request(ops, as, req.p66(), req.rexW(),
                        req.rex(), req.lock(), req.rep(), req.segment(), req.dispWidth()));
                if (as == 4 && ((ip + bytes.length + disp) & 0xffffffffL) != target) {
                    return null;
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (bytes.length > X86Decoder.MAX_LENGTH) {
            return null;
        }
        Instruction insn = new Instruction();
        new X86Decoder().decode(ByteSource.of(bytes, ip), ip, Mode.LONG64, insn);
        if (!insn.isValid() || insn.op() != op) {
            return null;
        }
        return new Case(group, op, f.text, bytes, regs, mem, undefinedFlags(op, s.operandSize()));
    }

    private static boolean put(Map<Integer, Long> regs, int reg, long value) {
        if (reg == 4 || reg < 0 || reg > 15) {
            return reg == Operand.NONE;
        }
        Long old = regs.putIfAbsent(reg, value);
        return old == null || old == value;
    }

    private static Opnd withDisp(Opnd o, long disp) {
        return Opnd.mem(o.size(), o.seg(), o.base(), o.index(), o.scale(), disp, o.addressSize());
    }

    /** Status flags the SDM leaves undefined after {@code op} (Vol. 2 "Flags Affected"), conservatively. */
    static long undefinedFlags(Op op, int operandSize) {
        return switch (op) {
            case AND, OR, XOR, TEST -> AF;
            case SHL, SAL, SHR -> AF | OF | (operandSize <= 2 ? CF : 0);
            case SAR -> AF | OF;
            case ROL, ROR, RCL, RCR -> OF;
            case SHLD, SHRD -> operandSize == 2 ? STATUS : AF | OF;
            case MUL, IMUL -> SF | ZF | AF | PF;
            case DIV, IDIV -> STATUS;
            case BSF, BSR -> STATUS & ~ZF;
            case BT, BTS, BTR, BTC -> OF | SF | AF | PF;
            case LZCNT, TZCNT -> OF | SF | AF | PF;
            case AAA, AAS -> OF | SF | ZF | PF;
            case AAM, AAD -> OF | AF | CF;
            case DAA, DAS -> OF;
            default -> 0;
        };
    }
}
