package org.hyperport.x86.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hyperport.x86.decode.Operand.Kind;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * Random valid instructions, from the forms of the opcode map: a form, operand values that form can encode
 * (registers, every addressing form, displacements, immediates), random prefixes that do not change the form
 * (operand size, address size, REX, segment override, LOCK where allowed, REP on string instructions), and the
 * {@link X86Encoder} bytes. The expected decode is written down independently of {@link X86Decoder} from the SDM's
 * rules; only the choice of form per (prefix column, ModR/M) is checked against {@link OpcodeTable#lookup}, so that
 * prefixes never silently turn one form into another.
 */
final class InstructionGenerator {

    /** One generated instruction and what decoding it must give. */
    record Sample(Form form, Mode mode, byte[] bytes, Op op, int operandSize, int addressSize, List<Opnd> operands,
                  X86Encoder.Request request) {

        String hex() {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                sb.append(String.format("%02x ", b & 0xff));
            }
            return sb.toString().trim();
        }
    }

    private final Mode mode;
    private final long ip;
    private final List<Form> forms = new ArrayList<>();

    InstructionGenerator(Mode mode, long ip) {
        this.mode = mode;
        this.ip = ip;
        Random probe = new Random(1);
        for (Form f : OpcodeTable.FORMS) {
            if (usable(f)) {
                for (int attempt = 0; attempt < 200; attempt++) {
                    if (tryGenerate(f, probe) != null) {
                        forms.add(f);
                        break;
                    }
                }
            }
        }
    }

    /** The forms this generator can produce in its mode. */
    List<Form> forms() {
        return forms;
    }

    private boolean usable(Form f) {
        boolean long64 = mode == Mode.LONG64;
        if (long64 ? f.has(Form.I64) : f.has(Form.O64) || f.rexW) {
            return false;
        }
        if (mode == Mode.REAL16 && f.has(Form.PM)) {
            return false;
        }
        return !(f == OpcodeTable.XCHG_R8 && !long64);
    }

    /** A random instruction of a random form. */
    Sample next(Random rnd) {
        for (;;) {
            Sample s = generate(forms.get(rnd.nextInt(forms.size())), rnd);
            if (s != null) {
                return s;
            }
        }
    }

    /** A random instruction of form {@code f}, trying until the random prefixes keep the form. */
    Sample generate(Form f, Random rnd) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Sample s = tryGenerate(f, rnd);
            if (s != null) {
                return s;
            }
        }
        throw new IllegalStateException("cannot generate " + f + " in " + mode);
    }

    private Sample tryGenerate(Form f, Random rnd) {
        boolean long64 = mode == Mode.LONG64;
        boolean rexW = long64 && (f.rexW || f.w == null && rnd.nextInt(4) == 0);
        boolean p66 = f.prefixKind != Form.PK_NP && rnd.nextInt(4) == 0;
        boolean stringOp = false;
        for (Spec s : f.specs) {
            stringOp |= s.source == Spec.STRING_SRC || s.source == Spec.STRING_DST;
        }
        int rep = stringOp && rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 0xF3 : 0xF2) : 0;
        int as = rnd.nextInt(4) == 0 ? (long64 ? 4 : 6 - mode.defaultAddressSize()) : mode.defaultAddressSize();
        X86Encoder.Request probe = new X86Encoder.Request(List.of(), as, p66, rexW, false, false, 0, -1, -1);
        int os = X86Encoder.operandSize(f, mode, probe);

        // Registers first, to know whether a REX prefix is needed (and so whether byte registers 4-7 are AH-BH).
        boolean needRex = rexW;
        int n = f.specs.length;
        int[] regs = new int[n];
        boolean[] isReg = new boolean[n];
        for (int i = 0; i < n; i++) {
            Spec s = f.specs[i];
            int limit = long64 ? 16 : 8;
            switch (s.source) {
                case Spec.RM -> {
                    isReg[i] = f.acceptsReg && (!f.acceptsMem || f.has(Form.ANYMOD) || rnd.nextBoolean());
                    regs[i] = s.regClass == RegClass.MMX ? rnd.nextInt(8) : rnd.nextInt(limit);
                }
                case Spec.REG -> {
                    isReg[i] = true;
                    regs[i] = switch (s.regClass) {
                        case MMX, DR -> rnd.nextInt(8);
                        case SEG -> f.has(Form.LOADS_SEGMENT) && i == 0 ? new int[] {0, 2, 3, 4, 5}[rnd.nextInt(5)]
                                : rnd.nextInt(6);
                        case CR -> long64 ? new int[] {0, 2, 3, 4, 8}[rnd.nextInt(5)]
                                : new int[] {0, 2, 3, 4}[rnd.nextInt(4)];
                        default -> rnd.nextInt(limit);
                    };
                }
                case Spec.OPCODE_REG -> {
                    isReg[i] = true;
                    boolean high = f == OpcodeTable.XCHG_R8 || long64 && rnd.nextBoolean();
                    regs[i] = (f.opcode & 7) | (high ? 8 : 0);
                }
                default -> {
                }
            }
            if (isReg[i] && regs[i] >= 8 && s.regClass != RegClass.SEG) {
                needRex = true;
            }
        }
        int segment = rnd.nextInt(3) == 0 ? rnd.nextInt(6) : -1;
        Opnd[] mem = new Opnd[n];
        for (int i = 0; i < n; i++) {
            Spec s = f.specs[i];
            if (s.source == Spec.RM && !isReg[i]) {
                mem[i] = memory(rnd, size(s.memType, os), as, segment);
                needRex |= mem[i].base() >= 8 && mem[i].base() < Operand.RIP || mem[i].index() >= 8;
            }
        }
        boolean rex = long64 && (needRex || rnd.nextInt(4) == 0);

        List<Opnd> ops = new ArrayList<>();
        boolean hasMem = false;
        int dispWidth = rnd.nextInt(5) - 1;
        for (int i = 0; i < n; i++) {
            Spec s = f.specs[i];
            switch (s.source) {
                case Spec.RM, Spec.REG, Spec.OPCODE_REG -> {
                    if (isReg[i]) {
                        int size = size(s.regType, os);
                        ops.add(register(s.regClass, regs[i], size, rex));
                    } else {
                        ops.add(mem[i]);
                        hasMem = true;
                    }
                }
                case Spec.FIXED -> ops.add(Opnd.reg(s.regClass, s.fixedReg, size(s.regType, os)));
                case Spec.STI -> ops.add(Opnd.reg(RegClass.X87, f.exactModrm & 7, 10));
                case Spec.ONE -> ops.add(Opnd.imm(1, 1));
                case Spec.IMM -> {
                    int bytes = X86Encoder.immediateBytes(s, os);
                    int size = s.regType == Spec.T_B ? (s.signExtend ? os : 1) : s.regType == Spec.T_Z
                            || s.regType == Spec.T_V ? os : bytes;
                    long v = randomBits(rnd, bytes);
                    ops.add(Opnd.imm(truncate(signExtend(v, bytes), size), size));
                }
                case Spec.REL -> {
                    int bytes = s.regType == Spec.T_B ? 1 : os == 2 ? 2 : 4;
                    ops.add(Opnd.rel(signExtend(randomBits(rnd, bytes), bytes), 0, os));
                }
                case Spec.FAR -> ops.add(Opnd.far(rnd.nextInt(0x10000), randomBits(rnd, os == 2 ? 2 : 4), os + 2));
                case Spec.MOFFS -> {
                    ops.add(Opnd.mem(size(s.memType, os), segment(segment, Operand.DS), Operand.NONE, Operand.NONE, 1,
                            randomBits(rnd, as), as));
                    hasMem = true;
                }
                case Spec.STRING_SRC -> {
                    ops.add(Opnd.mem(size(s.memType, os), segment(segment, Operand.DS), 6, Operand.NONE, 1, 0, as));
                    hasMem = true;
                }
                case Spec.STRING_DST -> {
                    ops.add(Opnd.mem(size(s.memType, os), Operand.ES, 7, Operand.NONE, 1, 0, as));
                    hasMem = true;
                }
                default -> throw new AssertionError(s);
            }
        }
        if (!hasMem && f.ops[0] != Op.XLAT) {
            segment = -1;
        }
        boolean lock = f.has(Form.LOCKABLE) && !ops.isEmpty() && ops.get(0).kind() == Kind.MEM && rnd.nextBoolean();
        X86Encoder.Request req = new X86Encoder.Request(ops, as, p66, rexW, rex, lock, rep, segment, dispWidth);
        byte[] bytes = X86Encoder.encode(f, mode, req);
        if (bytes.length > X86Decoder.MAX_LENGTH || formAt(bytes) != f) {
            return null;
        }
        List<Opnd> expected = new ArrayList<>();
        for (Opnd o : ops) {
            expected.add(o.kind() == Kind.REL ? o.withTarget(truncate(ip + bytes.length + o.disp(), os)) : o);
        }
        Op op = f.ops[(f.has(Form.ASZ) ? as : os) >>> 2];
        return new Sample(f, mode, bytes, op, os, as, List.copyOf(expected), req);
    }

    /** The form the opcode map gives these bytes: prefix column, map, opcode, ModR/M, REX.W (SDM §2.1, §2.2.1). */
    private Form formAt(byte[] b) {
        boolean long64 = mode == Mode.LONG64;
        int i = 0;
        int lastRep = 0;
        boolean p66 = false;
        int rex = 0;
        for (;; i++) {
            int x = b[i] & 0xff;
            if (x == 0xF2 || x == 0xF3) {
                lastRep = x;
            } else if (x == 0x66) {
                p66 = true;
            } else if (long64 && (x & 0xF0) == 0x40) {
                rex = x;
                continue;
            } else if (x != 0xF0 && x != 0x67 && x != 0x26 && x != 0x2E && x != 0x36 && x != 0x3E && x != 0x64
                    && x != 0x65) {
                break;
            }
            rex = 0;
        }
        int map = 0;
        if ((b[i] & 0xff) == 0x0F) {
            i++;
            map = 1;
            if ((b[i] & 0xff) == 0x38 || (b[i] & 0xff) == 0x3A) {
                map = (b[i] & 0xff) == 0x38 ? 2 : 3;
                i++;
            }
        }
        int opcode = b[i] & 0xff;
        int col = lastRep == 0xF3 ? OpcodeTable.COL_F3 : lastRep == 0xF2 ? OpcodeTable.COL_F2
                : p66 ? OpcodeTable.COL_66 : OpcodeTable.COL_NONE;
        int table = long64 ? OpcodeTable.LONG : OpcodeTable.LEGACY;
        Form probe = OpcodeTable.lookup(table, map, col, opcode, -1);
        int modrm = probe == null || probe.hasModrm() ? (i + 1 < b.length ? b[i + 1] & 0xff : -1) : -1;
        Form f = OpcodeTable.lookup(table, map, col, opcode, modrm);
        if (f != null && long64 && (rex & 8) != 0 && f.w != null) {
            f = f.w;
        }
        if (f != null && long64 && map == 0 && opcode == 0x90 && (rex & 1) != 0 && f.ops[0] == Op.NOP) {
            f = OpcodeTable.XCHG_R8;
        }
        return f;
    }

    private Opnd register(RegClass cls, int reg, int size, boolean rex) {
        if (cls == RegClass.GPR && size == 1 && !rex && reg >= 4 && reg < 8) {
            return Opnd.reg(RegClass.HIGH8, reg - 4, 1);
        }
        return Opnd.reg(cls, reg, size);
    }

    /** A random memory operand for address size {@code as}: every ModR/M and SIB form (Vol. 2 Tables 2-1 to 2-3). */
    private Opnd memory(Random rnd, int size, int as, int segment) {
        boolean long64 = mode == Mode.LONG64;
        int width = rnd.nextInt(3);
        if (as == 2) {
            int rm = rnd.nextInt(9);
            if (rm == 8) {
                return Opnd.mem(size, segment(segment, Operand.DS), Operand.NONE, Operand.NONE, 1,
                        signExtend(randomBits(rnd, 2), 2), 2);
            }
            int base = X86Encoder.BASE16[rm];
            long disp = width == 0 ? 0 : width == 1 ? (byte) rnd.nextInt() : (short) rnd.nextInt();
            return Opnd.mem(size, segment(segment, base == 5 ? Operand.SS : Operand.DS), base,
                    X86Encoder.INDEX16[rm], 1, disp, 2);
        }
        int regs = long64 ? 16 : 8;
        int pick = rnd.nextInt(10);
        int base = pick == 0 ? Operand.NONE : pick == 1 && long64 ? Operand.RIP : rnd.nextInt(regs);
        int index = base == Operand.RIP || rnd.nextBoolean() ? Operand.NONE : rnd.nextInt(regs);
        if (index == 4) {
            index = Operand.NONE;
        }
        int scale = index == Operand.NONE ? 1 : 1 << rnd.nextInt(4);
        long disp = base == Operand.NONE || base == Operand.RIP || width == 2 ? (int) rnd.nextLong()
                : width == 1 ? (byte) rnd.nextInt() : 0;
        int def = base == 4 || base == 5 ? Operand.SS : Operand.DS;
        return Opnd.mem(size, segment(segment, def), base, index, scale, disp, as);
    }

    /** As the decoder: 64-bit mode ignores an ES/CS/SS/DS override (Vol. 1 §3.3.7.1). */
    private int segment(int override, int def) {
        return override < 0 || (mode == Mode.LONG64 && override < Operand.FS) ? def : override;
    }

    /** Operand-type sizes, SDM Vol. 2 §A.2.2, written out again for the test. */
    private int size(int type, int os) {
        return switch (type) {
            case Spec.T_B -> 1;
            case Spec.T_W -> 2;
            case Spec.T_D -> 4;
            case Spec.T_Q -> 8;
            case Spec.T_DQ -> 16;
            case Spec.T_TEN -> 10;
            case Spec.T_V -> os;
            case Spec.T_Z -> Math.min(os, 4);
            case Spec.T_Y -> os == 8 ? 8 : 4;
            case Spec.T_P -> os == 2 ? 4 : os == 4 ? 6 : 10;
            case Spec.T_A -> os == 2 ? 4 : 8;
            case Spec.T_S -> mode == Mode.LONG64 ? 10 : 6;
            default -> 0;
        };
    }

    private static long randomBits(Random rnd, int bytes) {
        return truncate(rnd.nextLong(), bytes);
    }

    static long signExtend(long v, int bytes) {
        int shift = 64 - 8 * bytes;
        return v << shift >> shift;
    }

    static long truncate(long v, int bytes) {
        return bytes >= 8 ? v : v & ((1L << (8 * bytes)) - 1);
    }
}
