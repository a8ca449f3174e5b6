package org.hyperport.x86.decode;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.hyperport.x86.decode.Operand.Kind;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * A small encoder for opcode-map forms, the inverse of {@link X86Decoder} for round-trip tests: from a form and the
 * operand values it should have, the bytes (SDM Vol. 2 Chapter 2 read the other way). It encodes what it is asked
 * to and checks little; {@link InstructionGenerator} asks only for encodable things.
 */
final class X86Encoder {

    /**
     * What to encode besides the form.
     *
     * @param operands  the operand values, one per form operand; a REL operand's displacement is encoded
     * @param addressSize the address size to encode (a 67 prefix when it is not the mode's default)
     * @param p66       emit 66 (besides a mandatory 66 of the form)
     * @param rexW      set REX.W
     * @param rex       emit a REX prefix even when no bit is needed (64-bit mode)
     * @param lock      emit F0
     * @param rep       0, 0xF2 or 0xF3 emitted as a plain prefix (string instructions)
     * @param segment   segment-override prefix register (0-5) or -1
     * @param dispWidth displacement width to use for a memory operand when it allows several (0, 1, 2, 4), or -1
     *                  for the shortest
     */
    record Request(List<Opnd> operands, int addressSize, boolean p66, boolean rexW, boolean rex, boolean lock, int rep, int segment,
                   int dispWidth) {
    }

    private static final int[] SEGMENT_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};
    /** Vol. 2 Table 2-1: the base and index registers of each 16-bit r/m value. */
    static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};

    private X86Encoder() {
    }

    static byte[] encode(Form form, Mode mode, Request req) {
        boolean long64 = mode == Mode.LONG64;
        int as = req.addressSize();
        int rexBits = req.rexW() ? 8 : 0;
        boolean needRex = req.rex();
        int modrm = form.modrmKind == Form.MODRM_EXACT ? form.exactModrm
                : form.modrmKind == Form.MODRM_DIGIT ? form.digit << 3 : 0;
        int sib = -1;
        long disp = 0;
        int dispBytes = 0;
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        int os = operandSize(form, mode, req);
        for (int i = 0; i < form.specs.length; i++) {
            Spec s = form.specs[i];
            Opnd o = req.operands().get(i);
            if (o.kind() == Kind.REG && o.cls() == RegClass.GPR && o.size() == 1 && o.reg() >= 4 && o.reg() < 8
                    && s.source != Spec.FIXED) {
                needRex = true;
            }
            switch (s.source) {
                case Spec.RM -> {
                    if (o.kind() == Kind.REG) {
                        modrm |= 0xC0 | (number(o) & 7);
                        if (o.cls() != RegClass.MMX) {
                            rexBits |= (o.reg() >> 3) & 1;
                        }
                    } else {
                        int[] enc = memory(o, as, long64, req.dispWidth());
                        modrm |= enc[0];
                        sib = enc[1];
                        rexBits |= enc[2];
                        dispBytes = enc[3];
                        disp = o.disp();
                    }
                }
                case Spec.REG -> {
                    modrm |= (number(o) & 7) << 3;
                    if (o.cls() != RegClass.MMX && o.cls() != RegClass.SEG) {
                        rexBits |= ((o.reg() >> 3) & 1) << 2;
                    }
                }
                case Spec.OPCODE_REG -> rexBits |= (o.reg() >> 3) & 1;
                case Spec.STI -> modrm |= 0xC0 | o.reg();
                case Spec.IMM -> little(tail, o.imm(), immediateBytes(s, os));
                case Spec.REL -> little(tail, o.disp(), s.regType == Spec.T_B ? 1 : os == 2 ? 2 : 4);
                case Spec.FAR -> {
                    little(tail, o.imm(), os == 2 ? 2 : 4);
                    little(tail, o.selector(), 2);
                }
                case Spec.MOFFS -> little(tail, o.disp(), as);
                default -> {
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (req.lock()) {
            out.write(0xF0);
        }
        if (req.segment() >= 0) {
            out.write(SEGMENT_PREFIX[req.segment()]);
        }
        if (req.rep() != 0) {
            out.write(req.rep());
        }
        if (req.p66()) {
            out.write(0x66);
        }
        if (as != mode.defaultAddressSize()) {
            out.write(0x67);
        }
        if (form.mandatory != 0) {
            out.write(form.mandatory);
        }
        if (long64 && (needRex || rexBits != 0)) {
            out.write(0x40 | rexBits);
        }
        if (form.map >= 1) {
            out.write(0x0F);
        }
        if (form.map == 2) {
            out.write(0x38);
        }
        if (form.map == 3) {
            out.write(0x3A);
        }
        out.write(form.opcode);
        if (form.hasModrm()) {
            out.write(modrm);
            if (sib >= 0) {
                out.write(sib);
            }
            little(out, disp, dispBytes);
        }
        out.writeBytes(tail.toByteArray());
        return out.toByteArray();
    }

    /** Operand size the prefixes of {@code req} give {@code form}: SDM Vol. 2 §2.2.1.2, written out again. */
    static int operandSize(Form form, Mode mode, Request req) {
        boolean p66 = req.p66() && form.mandatory != 0x66;
        if (mode == Mode.LONG64) {
            if (form.has(Form.F64) || req.rexW()) {
                return 8;
            }
            return p66 ? 2 : form.has(Form.D64) ? 8 : 4;
        }
        int os = mode.defaultOperandSize();
        return p66 ? 6 - os : os;
    }

    static int immediateBytes(Spec s, int os) {
        return switch (s.regType) {
            case Spec.T_B -> 1;
            case Spec.T_W -> 2;
            case Spec.T_D -> 4;
            case Spec.T_Z -> os == 2 ? 2 : 4;
            default -> os;
        };
    }

    /** ModR/M mod+r/m bits, SIB (or -1), REX.X/B bits and displacement width for a memory operand. */
    private static int[] memory(Opnd o, int as, boolean long64, int dispWidth) {
        long d = o.disp();
        if (as == 2) {
            int rm = -1;
            for (int i = 0; i < 8; i++) {
                if (BASE16[i] == o.base() && INDEX16[i] == o.index()) {
                    rm = i;
                }
            }
            if (o.base() == Operand.NONE) {
                return new int[] {6, -1, 0, 2};
            }
            int width = width(dispWidth, d == 0 && rm != 6, fits8(d), 2);
            return new int[] {(width == 0 ? 0 : width == 1 ? 0x40 : 0x80) | rm, -1, 0, width};
        }
        if (o.base() == Operand.RIP) {
            return new int[] {5, -1, 0, 4};
        }
        boolean needSib = o.index() != Operand.NONE || o.base() == Operand.NONE && long64
                || o.base() != Operand.NONE && (o.base() & 7) == 4;
        if (o.base() == Operand.NONE) {
            if (!needSib) {
                return new int[] {5, -1, 0, 4};
            }
            int index = o.index() == Operand.NONE ? 4 : o.index();
            int sib = scaleBits(o.scale()) << 6 | (index & 7) << 3 | 5;
            return new int[] {4, sib, ((index >> 3) & 1) << 1, 4};
        }
        int width = width(dispWidth, d == 0 && (o.base() & 7) != 5, fits8(d), 4);
        int mod = width == 0 ? 0 : width == 1 ? 0x40 : 0x80;
        int rex = (o.base() >> 3) & 1;
        if (!needSib) {
            return new int[] {mod | (o.base() & 7), -1, rex, width};
        }
        int index = o.index() == Operand.NONE ? 4 : o.index();
        int sib = scaleBits(o.scale()) << 6 | (index & 7) << 3 | (o.base() & 7);
        return new int[] {mod | 4, sib, rex | ((index >> 3) & 1) << 1, width};
    }

    /** The register-field value of a register operand (AH-BH are 4-7). */
    private static int number(Opnd o) {
        return o.cls() == RegClass.HIGH8 ? o.reg() + 4 : o.reg();
    }

    private static int width(int want, boolean zeroOk, boolean fits8, int full) {
        if (want == 0 && zeroOk || want == 1 && fits8 || want == full) {
            return want;
        }
        return zeroOk ? 0 : fits8 ? 1 : full;
    }

    private static boolean fits8(long d) {
        return d >= -128 && d <= 127;
    }

    private static int scaleBits(int scale) {
        return Integer.numberOfTrailingZeros(scale);
    }

    private static void little(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
