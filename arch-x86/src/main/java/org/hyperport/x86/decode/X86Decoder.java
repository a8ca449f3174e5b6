package org.hyperport.x86.decode;

import org.hyperport.x86.decode.Instruction.Status;
import org.hyperport.x86.decode.Operand.Kind;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * The x86 instruction decoder: legacy prefixes, REX, opcode maps, ModR/M, SIB, displacement and immediates (SDM Vol.
 * 2 Chapter 2) into an {@link Instruction}, driven by the opcode maps of Appendix A ({@link OpcodeTable}, parsed from
 * {@code opcode-map.txt}).
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #decode} reads bytes from a {@link ByteSource} at {@code ip}, {@code ip+1}, ... (at most 15 of them),
 *     fills the caller's {@link Instruction} and returns the length, or a negative code: {@link #UD},
 *     {@link #TOO_LONG} or {@link #FETCH_FAULT}, mirrored by {@link Instruction#status()}. It never throws and never
 *     allocates; the decoder is stateless, so one instance may serve every thread.</li>
 * <li>{@code ip} should be the offset in CS (EIP/RIP, with a source that adds CS.base): branch targets
 *     ({@link Operand#target()}) and RIP-relative addresses are computed from it, truncated to the operand size as the
 *     SDM's pseudo-code does.</li>
 * <li>Exceptions are reported as the SDM orders them for fetch and decode (Vol. 3A §6.9, priorities 7 and 8): a fetch
 *     fault on any byte the instruction needs is reported before #UD or #GP; a byte beyond the fifteenth is never
 *     fetched, the instruction is {@link Status#TOO_LONG} instead. Undefined opcodes stop the decode at the byte that
 *     makes them undefined (opcode, or ModR/M for group and x87 opcodes).</li>
 * <li>Only decode-time #UD is reported: undefined encodings, i64 forms in 64-bit mode and o64 forms outside it
 *     (Vol. 2 §A.2.5), LOCK on an instruction or destination that does not accept it (Vol. 2 "LOCK"), a register where
 *     the form needs memory (LEA, LES, CMPXCHG8B, ...) or memory where it needs a register, segment register 6/7 and
 *     MOV to CS, control registers other than CR0/2/3/4/8, debug registers above DR7, the VEX/EVEX/XOP spaces
 *     (C4/C5 and 62 in 64-bit mode or with mod=11B, 8F with reg≠0), and the "pm" instructions (LAR, LSL, VERR,
 *     VERW, ARPL, SLDT, STR, LLDT, LTR) in {@link Mode#REAL16}. Run-time conditions (CPL, CR4 bits, CPUID features,
 *     alignment, DR4/DR5 aliasing) are the interpreter's.</li>
 * </ul>
 *
 * <h2>Size rules</h2>
 * Operand size: 16-bit modes default to 2 bytes and 32-bit mode to 4, toggled by 66; in 64-bit mode REX.W gives 8, else
 * 66 gives 2, else 4, except that d64 forms default to 8 (66 still gives 2) and f64 forms are always 8 (near branches
 * ignore 66 in 64-bit mode, as on Intel processors). A 66 prefix that selects an SSE form (66 0F 6F MOVDQA) does not
 * size it. Address size: the mode's default, toggled by 67 (64-bit mode: 8, with 67: 4).
 */
public final class X86Decoder {

    /** The architectural limit on instruction length (SDM Vol. 2 §2.3.11). */
    public static final int MAX_LENGTH = 15;
    /** {@link #decode} result: invalid opcode (#UD). */
    public static final int UD = -1;
    /** {@link #decode} result: longer than 15 bytes (#GP(0)). */
    public static final int TOO_LONG = -2;
    /** {@link #decode} result: an instruction byte could not be fetched ({@link Instruction#faultAddress()}). */
    public static final int FETCH_FAULT = -3;

    private static final int P_LOCK = 1, P_REPNE = 2, P_REP = 3, P_66 = 4, P_67 = 5, P_SEG = 6;
    /** Legacy-prefix kind of each byte (Vol. 2 §2.1.1), and the segment register a segment prefix names. */
    private static final byte[] PREFIX = new byte[256];
    private static final byte[] PREFIX_SEG = new byte[256];

    static {
        PREFIX[0xF0] = P_LOCK;
        PREFIX[0xF2] = P_REPNE;
        PREFIX[0xF3] = P_REP;
        PREFIX[0x66] = P_66;
        PREFIX[0x67] = P_67;
        int[][] segs = {{0x26, Operand.ES}, {0x2E, Operand.CS}, {0x36, Operand.SS}, {0x3E, Operand.DS},
            {0x64, Operand.FS}, {0x65, Operand.GS}};
        for (int[] s : segs) {
            PREFIX[s[0]] = P_SEG;
            PREFIX_SEG[s[0]] = (byte) s[1];
        }
    }

    /** 16-bit addressing, Vol. 2 Table 2-1: base and index of each r/m value (BX=3, BP=5, SI=6, DI=7). */
    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};

    /** Valid control registers: CR0, CR2, CR3, CR4, CR8 (Vol. 3A §2.5; others #UD per "MOV—Move to/from CRs"). */
    private static final int VALID_CR = 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 8;

    /**
     * Decodes one instruction.
     *
     * @param src  instruction bytes
     * @param ip   address of the first byte, passed to {@code src}; normally the offset in CS (see the class comment)
     * @param mode processor mode
     * @param out  receives the instruction; everything in it is overwritten
     * @return the length (1-15), or {@link #UD}, {@link #TOO_LONG} or {@link #FETCH_FAULT}
     */
    public int decode(ByteSource src, long ip, Mode mode, Instruction out) {
        out.ip = ip;
        out.mode = mode;
        out.op = null;
        out.form = null;
        out.status = Status.VALID;
        out.faultAddress = 0;
        out.operandCount = 0;
        out.modrm = -1;
        out.map = 0;
        out.opcode = 0;
        out.mandatoryPrefix = 0;
        out.operandSize = mode.defaultOperandSize();
        out.addressSize = mode.defaultAddressSize();
        final boolean long64 = mode == Mode.LONG64;

        // Prefixes (§2.1.1, §2.2.1): any order; REX only counts immediately before the opcode.
        int pos = 0;
        int prefixes = 0;
        int seg = -1;
        int rex = 0;
        int lastRep = 0;
        int b;
        for (;;) {
            b = fetch(src, ip, pos, out);
            if (b < 0) {
                return prefixFail(out, prefixes, seg, rex, lastRep);
            }
            pos++;
            int kind = PREFIX[b];
            if (kind != 0) {
                rex = 0;
                prefixes &= ~Instruction.PREFIX_REX;
                switch (kind) {
                    case P_LOCK -> prefixes |= Instruction.PREFIX_LOCK;
                    case P_REPNE -> {
                        prefixes |= Instruction.PREFIX_REPNE;
                        lastRep = 0xF2;
                    }
                    case P_REP -> {
                        prefixes |= Instruction.PREFIX_REP;
                        lastRep = 0xF3;
                    }
                    case P_66 -> prefixes |= Instruction.PREFIX_OPERAND_SIZE;
                    case P_67 -> prefixes |= Instruction.PREFIX_ADDRESS_SIZE;
                    default -> {
                        prefixes |= Instruction.PREFIX_SEGMENT;
                        seg = PREFIX_SEG[b];
                    }
                }
                continue;
            }
            if (long64 && (b & 0xF0) == 0x40) {
                rex = b;
                prefixes |= Instruction.PREFIX_REX;
                continue;
            }
            break;
        }
        out.prefixes = prefixes;
        out.segmentPrefix = seg;
        out.rex = rex;
        out.lastRep = lastRep;

        // Opcode (§2.1.2): one byte, 0F xx, 0F 38 xx or 0F 3A xx.
        int map = 0;
        if (b == 0x0F) {
            b = fetch(src, ip, pos, out);
            if (b < 0) {
                return fail(out);
            }
            pos++;
            map = 1;
            if (b == 0x38 || b == 0x3A) {
                map = b == 0x38 ? 2 : 3;
                b = fetch(src, ip, pos, out);
                if (b < 0) {
                    return fail(out);
                }
                pos++;
            }
        }
        final int opc = b;
        out.map = map;
        out.opcode = opc;
        out.length = pos;

        // The prefix column: the last of F2/F3, else 66 (§2.1.1: mandatory prefixes).
        int col = lastRep == 0xF3 ? OpcodeTable.COL_F3 : lastRep == 0xF2 ? OpcodeTable.COL_F2
                : (prefixes & Instruction.PREFIX_OPERAND_SIZE) != 0 ? OpcodeTable.COL_66 : OpcodeTable.COL_NONE;
        int table = long64 ? OpcodeTable.LONG : OpcodeTable.LEGACY;
        int index = OpcodeTable.index(map, col, opc);
        Form f = OpcodeTable.DIRECT[table][index];
        int modrm = -1;
        if (f == null) {
            Form[] by = OpcodeTable.BY_MODRM[table][index];
            if (by == null) {
                return undefined(out, pos);
            }
            modrm = fetch(src, ip, pos, out);
            if (modrm < 0) {
                return fail(out);
            }
            pos++;
            f = by[modrm];
            if (f == null) {
                return undefined(out, pos);
            }
        } else if (f.hasModrm()) {
            modrm = fetch(src, ip, pos, out);
            if (modrm < 0) {
                return fail(out);
            }
            pos++;
            if (!f.accepts(modrm)) {
                return undefined(out, pos);
            }
        }
        out.modrm = modrm;
        if (long64) {
            if ((rex & 8) != 0 && f.w != null) {
                f = f.w;
            }
            if (map == 0 && opc == 0x90 && (rex & 1) != 0 && f.ops[0] == Op.NOP) {
                f = OpcodeTable.XCHG_R8;
            }
        }
        out.form = f;
        out.mandatoryPrefix = f.mandatory;
        if (mode == Mode.REAL16 && f.has(Form.PM)) {
            return undefined(out, pos);
        }

        // Operand and address size (§2.2.1.2, Vol. 1 §3.6.1).
        boolean p66 = (prefixes & Instruction.PREFIX_OPERAND_SIZE) != 0 && f.mandatory != 0x66;
        int os;
        if (long64) {
            os = f.has(Form.F64) || (rex & 8) != 0 ? 8 : p66 ? 2 : f.has(Form.D64) ? 8 : 4;
        } else {
            os = mode.defaultOperandSize();
            if (p66) {
                os = os == 2 ? 4 : 2;
            }
        }
        int as = mode.defaultAddressSize();
        if ((prefixes & Instruction.PREFIX_ADDRESS_SIZE) != 0) {
            as = long64 ? 4 : as == 2 ? 4 : 2;
        }
        out.operandSize = os;
        out.addressSize = as;
        out.op = f.ops[(f.has(Form.ASZ) ? as : os) >>> 2];

        // Operands, in table order; ModR/M-encoded ones come before the immediates, as in the encoding (§2.1).
        boolean regForm = modrm >= 0 && ((modrm >>> 6) == 3 || f.has(Form.ANYMOD));
        int regField = modrm < 0 ? 0 : (modrm >>> 3) & 7;
        int rmField = modrm < 0 ? 0 : modrm & 7;
        Spec[] specs = f.specs;
        out.operandCount = specs.length;
        boolean invalid = false;
        for (int i = 0; i < specs.length; i++) {
            Spec s = specs[i];
            Operand o = out.operands[i];
            o.clear();
            switch (s.source) {
                case Spec.RM -> {
                    if (regForm) {
                        int r = s.regClass == RegClass.MMX ? rmField : rmField | (rex & 1) << 3;
                        register(o, s.regClass, r, Spec.size(s.regType, os, long64), rex);
                    } else {
                        pos = memory(src, ip, pos, out, o, modrm, rex, as, long64, seg);
                        if (pos < 0) {
                            return fail(out);
                        }
                        o.size = Spec.size(s.memType, os, long64);
                    }
                }
                case Spec.REG -> {
                    int r = s.regClass == RegClass.MMX || s.regClass == RegClass.SEG ? regField
                            : regField | (rex & 4) << 1;
                    register(o, s.regClass, r, Spec.size(s.regType, os, long64), rex);
                    invalid |= switch (s.regClass) {
                        case SEG -> r > Operand.GS || (r == Operand.CS && i == 0 && f.has(Form.LOADS_SEGMENT));
                        case CR -> (VALID_CR & (1 << r)) == 0;
                        case DR -> r > 7;
                        default -> false;
                    };
                }
                case Spec.OPCODE_REG -> register(o, RegClass.GPR, (opc & 7) | (rex & 1) << 3,
                        Spec.size(s.regType, os, long64), rex);
                case Spec.FIXED -> {
                    register(o, s.regClass, s.fixedReg, Spec.size(s.regType, os, long64), rex);
                    o.implicit = true;
                }
                case Spec.STI -> register(o, RegClass.X87, rmField, 10, rex);
                case Spec.ONE -> {
                    o.kind = Kind.IMM;
                    o.immediate = 1;
                    o.size = 1;
                    o.implicit = true;
                }
                case Spec.IMM -> {
                    int n;
                    int size;
                    switch (s.regType) {
                        case Spec.T_B -> {
                            n = 1;
                            size = s.signExtend ? os : 1;
                        }
                        case Spec.T_W -> n = size = 2;
                        case Spec.T_D -> n = size = 4;
                        case Spec.T_Z -> {
                            n = os == 2 ? 2 : 4;
                            size = os;
                        }
                        default -> n = size = os;
                    }
                    long v = read(src, ip, pos, n, out);
                    if (out.status != Status.VALID) {
                        return fail(out);
                    }
                    pos += n;
                    o.kind = Kind.IMM;
                    o.size = size;
                    o.immediate = truncate(signExtend(v, n), size);
                }
                case Spec.REL -> {
                    int n = s.regType == Spec.T_B ? 1 : os == 2 ? 2 : 4;
                    long v = read(src, ip, pos, n, out);
                    if (out.status != Status.VALID) {
                        return fail(out);
                    }
                    pos += n;
                    o.kind = Kind.REL;
                    o.size = os;
                    o.displacement = signExtend(v, n);
                }
                case Spec.FAR -> {
                    int n = os == 2 ? 2 : 4;
                    long offset = read(src, ip, pos, n, out);
                    if (out.status != Status.VALID) {
                        return fail(out);
                    }
                    long selector = read(src, ip, pos + n, 2, out);
                    if (out.status != Status.VALID) {
                        return fail(out);
                    }
                    pos += n + 2;
                    o.kind = Kind.FAR;
                    o.size = n + 2;
                    o.immediate = offset;
                    o.selector = (int) selector;
                }
                case Spec.MOFFS -> {
                    long v = read(src, ip, pos, as, out);
                    if (out.status != Status.VALID) {
                        return fail(out);
                    }
                    pos += as;
                    o.kind = Kind.MEM;
                    o.size = Spec.size(s.memType, os, long64);
                    o.displacement = v;
                    o.addressSize = as;
                    o.segment = dataSegment(seg, Operand.DS, long64);
                }
                case Spec.STRING_SRC, Spec.STRING_DST -> {
                    boolean dst = s.source == Spec.STRING_DST;
                    o.kind = Kind.MEM;
                    o.size = Spec.size(s.memType, os, long64);
                    o.base = dst ? 7 : 6;
                    o.addressSize = as;
                    o.segment = dst ? Operand.ES : dataSegment(seg, Operand.DS, long64);
                    o.implicit = true;
                }
                default -> throw new AssertionError(s.source);
            }
        }
        for (int i = specs.length; i < Instruction.MAX_OPERANDS; i++) {
            out.operands[i].clear();
        }
        out.length = pos;
        if (invalid) {
            return undefined(out, pos);
        }
        if ((prefixes & Instruction.PREFIX_LOCK) != 0
                && (!f.has(Form.LOCKABLE) || specs.length == 0 || out.operands[0].kind != Kind.MEM)) {
            return undefined(out, pos);
        }
        for (int i = 0; i < specs.length; i++) {
            Operand o = out.operands[i];
            if (o.kind == Kind.REL) {
                o.immediate = truncate(ip + pos + o.displacement, os);
            }
        }
        return pos;
    }

    /** Fills a register operand; byte registers 4-7 are AH-BH without REX and SPL-DIL with (§2.2.1, Table 3-1). */
    private static void register(Operand o, RegClass cls, int reg, int size, int rex) {
        o.kind = Kind.REG;
        o.size = size;
        if (cls == RegClass.GPR && size == 1 && rex == 0 && reg >= 4 && reg < 8) {
            o.regClass = RegClass.HIGH8;
            o.reg = reg - 4;
        } else {
            o.regClass = cls;
            o.reg = reg;
        }
    }

    /**
     * Decodes the memory form of ModR/M (and SIB and displacement) into {@code o}: Vol. 2 Table 2-1 for 16-bit
     * addressing, Tables 2-2/2-3 and §2.2.1.3-§2.2.1.6 (REX.X/B, RIP-relative) otherwise.
     *
     * @return the position after the displacement, or -1 after a fetch failure
     */
    private static int memory(ByteSource src, long ip, int pos, Instruction out, Operand o, int modrm, int rex,
                              int as, boolean long64, int seg) {
        int mod = modrm >>> 6;
        int rm = modrm & 7;
        o.kind = Kind.MEM;
        o.addressSize = as;
        int dispSize;
        int defaultSeg = Operand.DS;
        if (as == 2) {
            if (mod == 0 && rm == 6) {
                dispSize = 2;
            } else {
                o.base = BASE16[rm];
                o.index = INDEX16[rm];
                dispSize = mod == 1 ? 1 : mod == 2 ? 2 : 0;
                if (o.base == 5) {
                    defaultSeg = Operand.SS;
                }
            }
        } else {
            dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
            if (rm == 4) {
                int sib = fetch(src, ip, pos, out);
                if (sib < 0) {
                    return -1;
                }
                pos++;
                int index = ((sib >>> 3) & 7) | (rex & 2) << 2;
                int base = sib & 7;
                o.scale = 1 << (sib >>> 6);
                o.index = index == 4 ? Operand.NONE : index;
                if (base == 5 && mod == 0) {
                    dispSize = 4;
                } else {
                    o.base = base | (rex & 1) << 3;
                }
            } else if (rm == 5 && mod == 0) {
                dispSize = 4;
                if (long64) {
                    o.base = Operand.RIP;
                }
            } else {
                o.base = rm | (rex & 1) << 3;
            }
            if (o.base == 4 || o.base == 5) {
                defaultSeg = Operand.SS;
            }
        }
        if (dispSize != 0) {
            long d = read(src, ip, pos, dispSize, out);
            if (out.status != Status.VALID) {
                return -1;
            }
            pos += dispSize;
            o.displacement = signExtend(d, dispSize);
        }
        o.segment = dataSegment(seg, defaultSeg, long64);
        return pos;
    }

    /**
     * The segment of a memory reference: the override if any, else the default, except that 64-bit mode ignores an
     * ES/CS/SS/DS override (only FS and GS overrides apply there; Vol. 1 §3.3.7.1). So the default decides #SS(0)
     * versus #GP(0) for a non-canonical address: an RSP/RBP-based reference stays a stack reference (#SS) through a
     * DS override, and an SS override does not make an RBX-based reference one (#GP); a FS/GS override makes any
     * reference #GP. Silicon agrees (docs/CONFORMANCE.md); KVM's instruction emulator applies the override.
     */
    private static int dataSegment(int override, int defaultSeg, boolean long64) {
        return override < 0 || (long64 && override < Operand.FS) ? defaultSeg : override;
    }

    private static int fetch(ByteSource src, long ip, int pos, Instruction out) {
        if (pos >= MAX_LENGTH) {
            out.status = Status.TOO_LONG;
            out.length = pos;
            return -1;
        }
        int b = src.fetch(ip + pos);
        if (b < 0) {
            out.status = Status.FETCH_FAULT;
            out.faultAddress = ip + pos;
            out.length = pos;
            return -1;
        }
        return b & 0xff;
    }

    /** Little-endian {@code n}-byte value; on failure the status is set and the value is meaningless. */
    private static long read(ByteSource src, long ip, int pos, int n, Instruction out) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int b = fetch(src, ip, pos + i, out);
            if (b < 0) {
                return 0;
            }
            v |= (long) b << (8 * i);
        }
        return v;
    }

    private static long signExtend(long v, int bytes) {
        int shift = 64 - 8 * bytes;
        return v << shift >> shift;
    }

    private static long truncate(long v, int bytes) {
        return bytes >= 8 ? v : v & ((1L << (8 * bytes)) - 1);
    }

    private static int prefixFail(Instruction out, int prefixes, int seg, int rex, int lastRep) {
        out.prefixes = prefixes;
        out.segmentPrefix = seg;
        out.rex = rex;
        out.lastRep = lastRep;
        return fail(out);
    }

    private static int fail(Instruction out) {
        out.op = null;
        out.operandCount = 0;
        return out.status == Status.TOO_LONG ? TOO_LONG : FETCH_FAULT;
    }

    private static int undefined(Instruction out, int pos) {
        out.status = Status.INVALID_OPCODE;
        out.length = pos;
        out.op = null;
        out.operandCount = 0;
        return UD;
    }
}
