package org.hyperport.x86.decode;

import org.hyperport.x86.decode.Operand.Kind;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * An operand as a value, for tests: only the fields that mean something for its kind are kept, so two operands
 * compare equal exactly when they denote the same thing.
 */
record Opnd(Kind kind, RegClass cls, int reg, int size, int seg, int base, int index, int scale, long disp,
            long imm, int addressSize, int selector) {

    static Opnd reg(RegClass cls, int reg, int size) {
        return new Opnd(Kind.REG, cls, reg, size, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Opnd mem(int size, int seg, int base, int index, int scale, long disp, int addressSize) {
        return new Opnd(Kind.MEM, null, 0, size, seg, base, index, scale, disp, 0, addressSize, 0);
    }

    static Opnd imm(long value, int size) {
        return new Opnd(Kind.IMM, null, 0, size, 0, 0, 0, 0, 0, value, 0, 0);
    }

    static Opnd rel(long displacement, long target, int size) {
        return new Opnd(Kind.REL, null, 0, size, 0, 0, 0, 0, displacement, target, 0, 0);
    }

    static Opnd far(int selector, long offset, int size) {
        return new Opnd(Kind.FAR, null, 0, size, 0, 0, 0, 0, 0, offset, 0, selector);
    }

    static Opnd of(Operand o) {
        return switch (o.kind()) {
            case REG -> reg(o.regClass(), o.reg(), o.size());
            case MEM -> mem(o.size(), o.segment(), o.base(), o.index(), o.scale(), o.displacement(), o.addressSize());
            case IMM -> imm(o.immediate(), o.size());
            case REL -> rel(o.displacement(), o.target(), o.size());
            case FAR -> far(o.selector(), o.immediate(), o.size());
            case NONE -> new Opnd(Kind.NONE, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        };
    }

    /** The same operand with a different branch target (the encoder learns the length only at the end). */
    Opnd withTarget(long target) {
        return new Opnd(kind, cls, reg, size, seg, base, index, scale, disp, target, addressSize, selector);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case REG -> cls + ":" + reg + "/" + size;
            case MEM -> "mem" + size + "{seg" + seg + " b" + base + " i" + index + "*" + scale + " d" + disp + " a"
                    + addressSize + "}";
            case IMM -> "imm" + size + ":0x" + Long.toHexString(imm);
            case REL -> "rel" + size + ":" + disp + "->0x" + Long.toHexString(imm);
            case FAR -> "far" + size + ":" + Integer.toHexString(selector) + ":" + Long.toHexString(imm);
            case NONE -> "none";
        };
    }
}
