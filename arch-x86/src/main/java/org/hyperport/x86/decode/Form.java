package org.hyperport.x86.decode;

/**
 * One instruction form: one line of {@code opcode-map.txt} after expanding {@code +r}, {@code +cc} and {@code +i}.
 * Immutable once {@link OpcodeTable} has linked the REX.W variants; shared by every decode.
 */
final class Form {

    /** How the line selects by prefix (SDM Vol. 2 §3.1.1.1). */
    static final int PK_TRANSPARENT = 0, PK_NP = 1, PK_NFX = 2, PK_66 = 3, PK_F3 = 4, PK_F2 = 5;
    /** The ModR/M column. */
    static final int MODRM_NONE = 0, MODRM_R = 1, MODRM_DIGIT = 2, MODRM_EXACT = 3;
    /** The mod restriction of a /digit line ("11B" or "mem"). */
    static final int MOD_ANY = 0, MOD_MEM = 1, MOD_REG = 2;

    static final int I64 = 1, O64 = 1 << 1, D64 = 1 << 2, F64 = 1 << 3, PM = 1 << 4, ANYMOD = 1 << 5, ASZ = 1 << 6,
            LOCKABLE = 1 << 7, LOADS_SEGMENT = 1 << 8;

    final String text;
    final int line;
    final int prefixKind;
    final boolean rexW;
    final int map;
    final int opcode;
    final int modrmKind;
    final int digit;
    final int exactModrm;
    final int modSel;
    /** Ops by operand size (or address size with {@link #ASZ}): index 0 = 16, 1 = 32, 2 = 64 bits. */
    final Op[] ops;
    final Spec[] specs;
    final int flags;
    /** The prefix that selects this form and so does not size its operands: 0x66, 0xF2, 0xF3, or 0. */
    final int mandatory;
    final boolean acceptsReg;
    final boolean acceptsMem;
    /** The variant for REX.W=1 in 64-bit mode, or null. Set once while the table is built. */
    Form w;

    Form(String text, int line, int prefixKind, boolean rexW, int map, int opcode, int modrmKind, int digit,
         int exactModrm, int modSel, Op[] ops, Spec[] specs, int flags) {
        this.text = text;
        this.line = line;
        this.prefixKind = prefixKind;
        this.rexW = rexW;
        this.map = map;
        this.opcode = opcode;
        this.modrmKind = modrmKind;
        this.digit = digit;
        this.exactModrm = exactModrm;
        this.modSel = modSel;
        this.ops = ops;
        this.specs = specs;
        this.flags = flags;
        this.mandatory = switch (prefixKind) {
            case PK_66 -> 0x66;
            case PK_F3 -> 0xF3;
            case PK_F2 -> 0xF2;
            default -> 0;
        };
        Spec rm = rmSpec();
        boolean anymod = (flags & ANYMOD) != 0;
        this.acceptsReg = modSel != MOD_MEM && (rm == null || rm.allowReg || anymod);
        this.acceptsMem = modSel != MOD_REG && (rm == null || rm.allowMem || anymod);
    }

    boolean hasModrm() {
        return modrmKind != MODRM_NONE;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The operand encoded by ModR/M.r/m, or null. */
    Spec rmSpec() {
        for (Spec s : specs) {
            if (s.source == Spec.RM) {
                return s;
            }
        }
        return null;
    }

    /** Whether ModR/M byte {@code modrm} selects this form's register (mod=11B) or memory column acceptably. */
    boolean accepts(int modrm) {
        return (modrm >>> 6) == 3 ? acceptsReg : acceptsMem;
    }

    @Override
    public String toString() {
        return "line " + line + ": " + text;
    }
}
