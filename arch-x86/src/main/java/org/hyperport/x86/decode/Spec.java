package org.hyperport.x86.decode;

import org.hyperport.x86.decode.Operand.RegClass;

/**
 * One operand of an opcode-map form, parsed from the SDM's two-character code (Vol. 2 §A.2.1 addressing method,
 * §A.2.2 operand type, §A.2.3 register codes). Immutable; built at class-initialisation time.
 */
final class Spec {

    /** Where the operand comes from. */
    static final int RM = 0, REG = 1, OPCODE_REG = 2, IMM = 3, REL = 4, FAR = 5, MOFFS = 6, STRING_SRC = 7,
            STRING_DST = 8, FIXED = 9, STI = 10, ONE = 11;

    /** Operand types (§A.2.2), resolved to bytes by {@link #size}. */
    static final int T_NONE = 0, T_B = 1, T_W = 2, T_D = 3, T_Q = 4, T_DQ = 5, T_TEN = 6, T_V = 7, T_Z = 8, T_Y = 9,
            T_P = 10, T_A = 11, T_S = 12;

    final String text;
    final int source;
    final RegClass regClass;
    final boolean allowReg;
    final boolean allowMem;
    final int regType;
    final int memType;
    final int fixedReg;
    final boolean signExtend;

    private Spec(String text, int source, RegClass regClass, boolean allowReg, boolean allowMem, int regType,
                 int memType, int fixedReg, boolean signExtend) {
        this.text = text;
        this.source = source;
        this.regClass = regClass;
        this.allowReg = allowReg;
        this.allowMem = allowMem;
        this.regType = regType;
        this.memType = memType;
        this.fixedReg = fixedReg;
        this.signExtend = signExtend;
    }

    /** Size in bytes of type {@code type} for operand size {@code os} (bytes). */
    static int size(int type, int os, boolean long64) {
        return switch (type) {
            case T_B -> 1;
            case T_W -> 2;
            case T_D -> 4;
            case T_Q -> 8;
            case T_DQ -> 16;
            case T_TEN -> 10;
            case T_V -> os;
            case T_Z -> os == 2 ? 2 : 4;
            case T_Y -> os == 8 ? 8 : 4;
            case T_P -> os + 2;
            case T_A -> os * 2;
            case T_S -> long64 ? 10 : 6;
            default -> 0;
        };
    }

    private static final String[] GPR16 = {"AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI"};
    private static final String[] GPR8 = {"AL", "CL", "DL", "BL", "AH", "CH", "DH", "BH"};
    private static final String[] SREG = {"ES", "CS", "SS", "DS", "FS", "GS"};

    /** Parses one operand code, e.g. {@code Ev}, {@code Rv/Mw}, {@code rAX}, {@code ST(i)}. */
    static Spec parse(String t) {
        switch (t) {
            case "1":
                return new Spec(t, ONE, RegClass.GPR, false, false, T_B, T_B, 0, false);
            case "ST(0)":
                return new Spec(t, FIXED, RegClass.X87, true, false, T_TEN, T_TEN, 0, false);
            case "ST(i)":
                return new Spec(t, STI, RegClass.X87, true, false, T_TEN, T_TEN, 0, false);
            case "XMM0":
                return new Spec(t, FIXED, RegClass.XMM, true, false, T_DQ, T_DQ, 0, false);
            default:
                break;
        }
        for (int i = 0; i < 8; i++) {
            if (t.equals(GPR8[i])) {
                return i < 4 ? new Spec(t, FIXED, RegClass.GPR, true, false, T_B, T_B, i, false)
                        : new Spec(t, FIXED, RegClass.HIGH8, true, false, T_B, T_B, i - 4, false);
            }
            String w = GPR16[i];
            if (t.equals(w) || t.equals("e" + w) || t.equals("r" + w)) {
                int type = t.startsWith("e") ? T_Z : t.startsWith("r") ? T_V : T_W;
                return new Spec(t, FIXED, RegClass.GPR, true, false, type, type, i, false);
            }
        }
        for (int i = 0; i < SREG.length; i++) {
            if (t.equals(SREG[i])) {
                return new Spec(t, FIXED, RegClass.SEG, true, false, T_W, T_W, i, false);
            }
        }
        int slash = t.indexOf('/');
        if (slash > 0) {
            Spec r = parse(t.substring(0, slash));
            Spec m = parse(t.substring(slash + 1));
            if (r.source != RM || !r.allowReg || r.allowMem || m.source != RM || m.allowReg) {
                throw new IllegalArgumentException("bad register/memory operand " + t);
            }
            return new Spec(t, RM, r.regClass, true, true, r.regType, m.memType, 0, false);
        }
        char method = t.charAt(0);
        String typeText = t.substring(1);
        boolean signExtend = false;
        if (method == 'I' && typeText.equals("bs")) {
            typeText = "b";
            signExtend = true;
        }
        int type = type(typeText, t);
        return switch (method) {
            case 'A' -> new Spec(t, FAR, RegClass.GPR, false, false, type, type, 0, false);
            case 'C' -> new Spec(t, REG, RegClass.CR, true, false, type, type, 0, false);
            case 'D' -> new Spec(t, REG, RegClass.DR, true, false, type, type, 0, false);
            case 'G' -> new Spec(t, REG, RegClass.GPR, true, false, type, type, 0, false);
            case 'P' -> new Spec(t, REG, RegClass.MMX, true, false, type, type, 0, false);
            case 'S' -> new Spec(t, REG, RegClass.SEG, true, false, type, type, 0, false);
            case 'V' -> new Spec(t, REG, RegClass.XMM, true, false, type, type, 0, false);
            case 'E' -> new Spec(t, RM, RegClass.GPR, type != T_P, true, type, type, 0, false);
            case 'M' -> new Spec(t, RM, RegClass.GPR, false, true, type, type, 0, false);
            case 'N' -> new Spec(t, RM, RegClass.MMX, true, false, type, type, 0, false);
            case 'Q' -> new Spec(t, RM, RegClass.MMX, true, true, type, type, 0, false);
            case 'R' -> new Spec(t, RM, RegClass.GPR, true, false, type, type, 0, false);
            case 'U' -> new Spec(t, RM, RegClass.XMM, true, false, type, type, 0, false);
            case 'W' -> new Spec(t, RM, RegClass.XMM, true, true, type, type, 0, false);
            case 'I' -> new Spec(t, IMM, RegClass.GPR, false, false, type, type, 0, signExtend);
            case 'J' -> new Spec(t, REL, RegClass.GPR, false, false, type, type, 0, false);
            case 'O' -> new Spec(t, MOFFS, RegClass.GPR, false, true, type, type, 0, false);
            case 'X' -> new Spec(t, STRING_SRC, RegClass.GPR, false, true, type, type, 0, false);
            case 'Y' -> new Spec(t, STRING_DST, RegClass.GPR, false, true, type, type, 0, false);
            case 'Z' -> new Spec(t, OPCODE_REG, RegClass.GPR, true, false, type, type, 0, false);
            default -> throw new IllegalArgumentException("unknown addressing method in " + t);
        };
    }

    private static int type(String s, String whole) {
        return switch (s) {
            case "" -> T_NONE;
            case "b" -> T_B;
            case "w" -> T_W;
            case "d", "ss", "si" -> T_D;
            case "q", "sd", "pi" -> T_Q;
            case "dq", "x", "ps", "pd" -> T_DQ;
            case "t" -> T_TEN;
            case "v" -> T_V;
            case "z" -> T_Z;
            case "y" -> T_Y;
            case "p" -> T_P;
            case "a" -> T_A;
            case "s" -> T_S;
            default -> throw new IllegalArgumentException("unknown operand type in " + whole);
        };
    }

    /** Whether this operand is encoded in bytes after the opcode and ModR/M (and so has a fixed encoding order). */
    boolean isTrailing() {
        return source == IMM || source == REL || source == FAR || source == MOFFS;
    }

    @Override
    public String toString() {
        return text;
    }
}
