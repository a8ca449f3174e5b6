package org.hyperport.x86.interp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Random general-purpose instructions for {@link GeneralHostDifferentialTest}: raw 64-bit-mode encodings with random
 * prefixes, operand sizes, registers (including AH-BH and SPL-DIL), memory operands (base + index × scale + disp8,
 * sometimes with a 32-bit address size and garbage in the upper register halves) and immediates, plus register and
 * flag values. Memory operands always land in the oracle's data page at {@link #DATA}; the stack pointer points into
 * its upper part, whose quadwords are canonical addresses (so RET, POP-then-jump and LEAVE stay well defined).
 * Each case lists the flags (and registers) the SDM leaves undefined for it, which the comparison skips.
 */
final class GeneralCaseGenerator {

    static final long DATA = 0x4000_0000L;
    static final long CODE = DATA + 0x1000;
    static final long ENTRY = CODE + 0x800;
    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    static final long STATUS = IntegerOps.STATUS, CF = IntegerOps.CF, PF = IntegerOps.PF, AF = IntegerOps.AF,
            ZF = IntegerOps.ZF, SF = IntegerOps.SF, OF = IntegerOps.OF, DF = 1 << 10;

    /** One case: instruction bytes, the 16 GPRs and RFLAGS before it, and what not to compare. */
    record Case(String name, byte[] code, long[] regs, long flags, long undefinedFlags, int undefinedRegs) {
        String hex() {
            StringBuilder sb = new StringBuilder();
            for (byte b : code) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        }
    }

    /** The oracle's data-page pattern; must match {@code pattern()} in general_oracle.c. */
    static int pattern(int off) {
        if (off < 0xe00) {
            return (off * 0x9e + (off >> 8) * 7 + 0x5a) & 0xff;
        }
        long q = DATA + 0x1000 + (((long) (off & ~7) * 0x1d) & 0xff8);
        return (int) ((q >>> (8 * (off & 7))) & 0xff);
    }

    static long patternValue(int off, int size) {
        long v = 0;
        for (int b = 0; b < size; b++) {
            v |= (long) pattern(off + b) << (8 * b);
        }
        return v;
    }

    /** An instruction under construction: prefixes, REX, opcode, ModR/M, SIB, displacement, immediate. */
    private static final class Asm {
        final List<Integer> prefixes = new ArrayList<>();
        int rex;
        boolean forceRex;
        int[] opcode;
        int modrm = -1;
        int sib = -1;
        int disp8;
        boolean hasDisp;
        long imm;
        int immSize;

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            prefixes.forEach(out::write);
            if (rex != 0 || forceRex) {
                out.write(0x40 | rex);
            }
            for (int b : opcode) {
                out.write(b);
            }
            if (modrm >= 0) {
                out.write(modrm);
            }
            if (sib >= 0) {
                out.write(sib);
            }
            if (hasDisp) {
                out.write(disp8);
            }
            for (int b = 0; b < immSize; b++) {
                out.write((int) (imm >>> (8 * b)));
            }
            return out.toByteArray();
        }
    }

    private final SplittableRandom r;
    private long[] regs;
    private long flags;
    private long undefinedFlags;
    private int undefinedRegs;
    private int reserved;
    private Asm a;

    GeneralCaseGenerator(long seed) {
        r = new SplittableRandom(seed);
    }

    // ---- Values -------------------------------------------------------------------------------------------------

    private long value() {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MAX_VALUE >>> (8 * r.nextInt(8));
            case 3 -> 1L << r.nextInt(64);
            case 4 -> r.nextInt(16);
            case 5 -> 0x80L << (8 * r.nextInt(8));
            default -> r.nextLong();
        };
    }

    private int size(boolean allowByte) {
        int s = allowByte ? r.nextInt(4) : 1 + r.nextInt(3);
        return 1 << s;
    }

    /** Operand-size prefixes for a v-sized operand of {@code size} bytes (2: 66, 8: REX.W). */
    private void operandSize(int size) {
        if (size == 2) {
            a.prefixes.add(0x66);
        } else if (size == 8) {
            a.rex |= 8;
        }
    }

    private int freeReg() {
        int reg;
        do {
            reg = r.nextInt(16);
        } while ((reserved & (1 << reg)) != 0);
        return reg;
    }

    private void reserve(int reg, long v) {
        reserved |= 1 << reg;
        regs[reg] = v;
    }

    // ---- ModR/M operands -----------------------------------------------------------------------------------------

    private void regField(int reg) {
        a.modrm = (a.modrm < 0 ? 0 : a.modrm) | ((reg & 7) << 3);
        a.rex |= (reg >> 3) << 2;
    }

    private void rmRegister(int reg) {
        a.modrm = (a.modrm < 0 ? 0 : a.modrm) | 0xc0 | (reg & 7);
        a.rex |= reg >> 3;
    }

    /**
     * A memory r/m operand whose effective address is {@code DATA + target}; sets the base (and index) registers.
     */
    private void rmMemory(long target) {
        boolean a32 = r.nextInt(4) == 0;
        if (a32) {
            a.prefixes.add(0x67);
        }
        int base;
        do {
            base = freeReg();
        } while (base == RSP || base == 12);
        reserved |= 1 << base;
        int disp = r.nextInt(256) - 128;
        long indexPart = 0;
        a.modrm = (a.modrm < 0 ? 0 : a.modrm) | 0x40;
        if (r.nextBoolean()) {
            int index;
            do {
                index = freeReg();
            } while (index == RSP);
            int scaleBits = r.nextInt(4);
            long iv = r.nextInt(32) - 16;
            indexPart = iv << scaleBits;
            regs[index] = a32 ? (r.nextLong() << 32) | (iv & 0xffffffffL) : iv;
            reserved |= 1 << index;
            a.modrm |= 4;
            a.sib = (scaleBits << 6) | ((index & 7) << 3) | (base & 7);
            a.rex |= ((index >> 3) << 1) | (base >> 3);
        } else {
            a.modrm |= base & 7;
            a.rex |= base >> 3;
        }
        long bv = DATA + target - disp - indexPart;
        regs[base] = a32 ? (r.nextLong() << 32) | (bv & 0xffffffffL) : bv;
        a.disp8 = disp & 0xff;
        a.hasDisp = true;
        maybeSegmentNoise();
    }

    /** A random register or memory r/m operand of {@code size} bytes; returns the data-page offset, or -1. */
    private long rm(int size, boolean allowMemory) {
        if (allowMemory && r.nextInt(3) > 0) {
            long target = 0x200 + r.nextInt(0xa00 - size);
            rmMemory(target);
            return target;
        }
        rmRegister(freeReg());
        return -1;
    }

    /** ES/CS/SS/DS overrides are ignored in 64-bit mode; they are sprinkled in as noise. */
    private void maybeSegmentNoise() {
        if (r.nextInt(8) == 0) {
            a.prefixes.add(new int[] {0x26, 0x2e, 0x36, 0x3e}[r.nextInt(4)]);
        }
    }

    private void byteRex() {
        if (r.nextInt(3) == 0) {
            a.forceRex = true;
        }
    }

    private void immediate(long v, int bytes) {
        a.imm = v;
        a.immSize = bytes;
    }

    private static int izBytes(int size) {
        return size == 2 ? 2 : 4;
    }

    private void lockIfMemory(long target, boolean lockable) {
        if (target >= 0 && lockable && r.nextInt(3) == 0) {
            a.prefixes.add(0, 0xf0);
        }
    }

    // ---- Cases --------------------------------------------------------------------------------------------------

    static final String[] TEMPLATES = {"alu", "test", "unary", "muldiv", "imul", "shift", "shxd", "bt", "scan",
        "setcc", "cmov", "mov", "movx", "xchg", "xadd", "cmpxchg", "cmpxchg8b", "bswap", "movbe", "lea", "convert",
        "flags", "pushpop", "string", "branch", "stack", "xlat"};

    Case next() {
        regs = new long[16];
        for (int i = 0; i < 16; i++) {
            regs[i] = value();
        }
        flags = (r.nextLong() & STATUS) | (r.nextInt(4) == 0 ? DF : 0);
        undefinedFlags = 0;
        undefinedRegs = 0;
        reserved = 1 << RSP;
        regs[RSP] = DATA + 0xe00 + 8L * r.nextInt(60);
        a = new Asm();
        String name = TEMPLATES[r.nextInt(TEMPLATES.length)];
        switch (name) {
            case "alu" -> alu();
            case "test" -> test();
            case "unary" -> unary();
            case "muldiv" -> muldiv();
            case "imul" -> imul();
            case "shift" -> shift();
            case "shxd" -> shxd();
            case "bt" -> bt();
            case "scan" -> scan();
            case "setcc" -> setcc();
            case "cmov" -> cmov();
            case "mov" -> mov();
            case "movx" -> movx();
            case "xchg" -> xchg();
            case "xadd" -> xadd();
            case "cmpxchg" -> cmpxchg();
            case "cmpxchg8b" -> cmpxchgWide();
            case "bswap" -> bswap();
            case "movbe" -> movbe();
            case "lea" -> lea();
            case "convert" -> convert();
            case "flags" -> flagOps();
            case "pushpop" -> pushpop();
            case "string" -> string();
            case "branch" -> branch();
            case "stack" -> stack();
            default -> xlat();
        }
        return new Case(name, a.bytes(), regs, flags, undefinedFlags, undefinedRegs);
    }

    private void alu() {
        int op = r.nextInt(8);
        int form = r.nextInt(9);
        boolean logic = op == 1 || op == 4 || op == 6;
        undefinedFlags = logic ? AF : 0;
        int size = form == 0 || form == 2 || form == 4 || form == 6 ? 1 : size(false);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        long target = -1;
        switch (form) {
            case 0, 1, 2, 3 -> {
                a.opcode = new int[] {op * 8 + form};
                regField(freeReg());
                target = rm(size, true);
            }
            case 4 -> {
                a.opcode = new int[] {op * 8 + 4};
                immediate(r.nextLong(), 1);
            }
            case 5 -> {
                a.opcode = new int[] {op * 8 + 5};
                immediate(r.nextLong(), izBytes(size));
            }
            default -> {
                a.opcode = new int[] {form == 6 ? 0x80 : form == 7 ? 0x81 : 0x83};
                regField(op);
                target = rm(size, true);
                immediate(r.nextLong(), form == 7 ? izBytes(size) : 1);
            }
        }
        lockIfMemory(form == 2 || form == 3 ? -1 : target, op != 7);
    }

    private void test() {
        undefinedFlags = AF;
        int form = r.nextInt(3);
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        int w = size == 1 ? 0 : 1;
        switch (form) {
            case 0 -> {
                a.opcode = new int[] {0x84 + w};
                regField(freeReg());
                rm(size, true);
            }
            case 1 -> {
                a.opcode = new int[] {0xa8 + w};
                immediate(r.nextLong(), size == 1 ? 1 : izBytes(size));
            }
            default -> {
                a.opcode = new int[] {0xf6 + w};
                regField(0);
                rm(size, true);
                immediate(r.nextLong(), size == 1 ? 1 : izBytes(size));
            }
        }
    }

    private void unary() {
        int kind = r.nextInt(4);
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        int w = size == 1 ? 0 : 1;
        a.opcode = new int[] {kind < 2 ? 0xfe + w : 0xf6 + w};
        regField(kind);
        long target = rm(size, true);
        lockIfMemory(target, true);
    }

    private void muldiv() {
        int kind = 4 + r.nextInt(4);
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        a.opcode = new int[] {size == 1 ? 0xf6 : 0xf7};
        boolean div = kind >= 6;
        undefinedFlags = div ? STATUS : SF | ZF | AF | PF;
        if (div) {
            long hi = r.nextInt(4) == 0 ? value() : kind == 7 && r.nextBoolean() ? -1 : r.nextInt(3);
            if (size == 1) {
                reserve(RAX, (regs[RAX] & ~0xff00L) | ((hi & 0xff) << 8));
            } else {
                reserve(RDX, hi);
            }
        }
        regField(kind);
        rm(size, true);
    }

    private void imul() {
        undefinedFlags = SF | ZF | AF | PF;
        int size = size(false);
        operandSize(size);
        int form = r.nextInt(3);
        a.opcode = form == 0 ? new int[] {0x0f, 0xaf} : new int[] {form == 1 ? 0x69 : 0x6b};
        regField(freeReg());
        rm(size, true);
        if (form > 0) {
            immediate(r.nextLong(), form == 1 ? izBytes(size) : 1);
        }
    }

    private void shift() {
        int op = r.nextInt(8);
        int form = r.nextInt(3);
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        int w = size == 1 ? 0 : 1;
        long count;
        switch (form) {
            case 0 -> {
                a.opcode = new int[] {0xc0 + w};
                count = r.nextInt(70);
            }
            case 1 -> {
                a.opcode = new int[] {0xd0 + w};
                count = 1;
            }
            default -> {
                a.opcode = new int[] {0xd2 + w};
                count = r.nextInt(70);
                reserve(RCX, (regs[RCX] & ~0xffL) | count);
            }
        }
        regField(op);
        rm(size, true);
        if (form == 0) {
            immediate(count, 1);
        }
        int bits = size * 8;
        int c = (int) (count & (size == 8 ? 63 : 31));
        if (c != 0) {
            undefinedFlags = switch (op) {
                case 0, 1, 2, 3 -> c == 1 ? 0 : OF;
                case 7 -> AF | (c > 1 ? OF : 0);
                default -> AF | (c > 1 ? OF : 0) | (c >= bits ? CF : 0);
            };
        }
    }

    private void shxd() {
        int size = size(false);
        operandSize(size);
        boolean right = r.nextBoolean();
        boolean cl = r.nextBoolean();
        a.opcode = new int[] {0x0f, (right ? 0xac : 0xa4) + (cl ? 1 : 0)};
        long count = r.nextInt(70);
        if (cl) {
            reserve(RCX, (regs[RCX] & ~0xffL) | count);
        }
        int dest = freeReg();
        boolean memory = r.nextBoolean();
        int c = (int) (count & (size == 8 ? 63 : 31));
        if (memory && size == 2 && c > 16) {
            count = 16;
            c = 16;
            regs[RCX] = (regs[RCX] & ~0xffL) | count;
        }
        regField(freeReg());
        if (memory) {
            rmMemory(0x200 + r.nextInt(0x800));
        } else {
            rmRegister(dest);
        }
        if (!cl) {
            immediate(count, 1);
        }
        if (c != 0) {
            undefinedFlags = AF | (c > 1 ? OF : 0);
        }
        if (size == 2 && c > 16) {
            undefinedFlags = STATUS;
            undefinedRegs = 1 << dest;
        }
    }

    private void bt() {
        undefinedFlags = OF | SF | AF | PF;
        int op = r.nextInt(4);
        int size = size(false);
        operandSize(size);
        boolean imm = r.nextBoolean();
        long target;
        if (imm) {
            a.opcode = new int[] {0x0f, 0xba};
            regField(4 + op);
            target = rm(size, true);
            immediate(r.nextInt(256), 1);
        } else {
            a.opcode = new int[] {0x0f, 0xa3 + 8 * op};
            int src = freeReg();
            long offset = r.nextInt(4001) - 2000;
            long v = size == 8 ? offset : (r.nextLong() << (size * 8)) | (offset & IntegerOps.mask(size));
            reserve(src, v);
            regField(src);
            if (r.nextBoolean()) {
                target = 0x300 + r.nextInt(0x600);
                rmMemory(target);
            } else {
                target = -1;
                rmRegister(freeReg());
            }
        }
        lockIfMemory(target, op > 0);
    }

    private void scan() {
        int kind = r.nextInt(5);
        int size = size(false);
        if (kind >= 2) {
            a.prefixes.add(0xf3);
        }
        operandSize(size);
        a.opcode = new int[] {0x0f, new int[] {0xbc, 0xbd, 0xb8, 0xbd, 0xbc}[kind]};
        undefinedFlags = switch (kind) {
            case 0, 1 -> STATUS & ~ZF;
            case 2 -> 0;
            default -> OF | SF | AF | PF;
        };
        regField(freeReg());
        int src = freeReg();
        if (r.nextInt(4) == 0) {
            reserve(src, r.nextBoolean() ? 0 : r.nextLong() << (size * 8));
        }
        if (r.nextBoolean()) {
            rmRegister(src);
        } else {
            rmMemory(0x200 + r.nextInt(0x800));
        }
    }

    private void setcc() {
        byteRex();
        a.opcode = new int[] {0x0f, 0x90 + r.nextInt(16)};
        rm(1, true);
    }

    private void cmov() {
        int size = size(false);
        operandSize(size);
        a.opcode = new int[] {0x0f, 0x40 + r.nextInt(16)};
        regField(freeReg());
        rm(size, true);
    }

    private void mov() {
        int form = r.nextInt(8);
        int size = form == 0 || form == 2 || form == 4 || form == 6 ? 1 : size(false);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        switch (form) {
            case 0, 1, 2, 3 -> {
                a.opcode = new int[] {0x88 + form};
                regField(freeReg());
                rm(size, true);
            }
            case 4, 5 -> {
                a.opcode = new int[] {0xc6 + form - 4};
                regField(0);
                rm(size, true);
                immediate(r.nextLong(), size == 1 ? 1 : izBytes(size));
            }
            case 6 -> {
                int reg = freeReg();
                a.opcode = new int[] {0xb0 + (reg & 7)};
                a.rex |= reg >> 3;
                immediate(r.nextLong(), 1);
            }
            default -> {
                if (r.nextBoolean()) {
                    int reg = freeReg();
                    a.opcode = new int[] {0xb8 + (reg & 7)};
                    a.rex |= reg >> 3;
                    immediate(r.nextLong(), size);
                } else {
                    a.opcode = new int[] {0xa0 + r.nextInt(4)};
                    a.imm = DATA + 0x200 + r.nextInt(0x800);
                    a.immSize = 8;
                }
            }
        }
    }

    private void movx() {
        int form = r.nextInt(5);
        int size = size(false);
        operandSize(size);
        int srcSize;
        if (form < 4) {
            a.opcode = new int[] {0x0f, new int[] {0xb6, 0xb7, 0xbe, 0xbf}[form]};
            srcSize = (form & 1) == 0 ? 1 : 2;
            if (srcSize == 1) {
                byteRex();
            }
        } else {
            a.opcode = new int[] {0x63};
            srcSize = 4;
        }
        regField(freeReg());
        rm(srcSize, true);
    }

    private void xchg() {
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        if (size > 1 && r.nextInt(3) == 0) {
            int reg = 1 + r.nextInt(15);
            a.opcode = new int[] {0x90 + (reg & 7)};
            a.rex |= reg >> 3;
            return;
        }
        a.opcode = new int[] {size == 1 ? 0x86 : 0x87};
        regField(freeReg());
        long target = rm(size, true);
        lockIfMemory(target, true);
    }

    private void xadd() {
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        a.opcode = new int[] {0x0f, size == 1 ? 0xc0 : 0xc1};
        regField(freeReg());
        long target = rm(size, true);
        lockIfMemory(target, true);
    }

    private void cmpxchg() {
        int size = size(true);
        if (size == 1) {
            byteRex();
        } else {
            operandSize(size);
        }
        a.opcode = new int[] {0x0f, size == 1 ? 0xb0 : 0xb1};
        reserved |= 1 << RAX;
        regField(freeReg());
        boolean equal = r.nextBoolean();
        if (r.nextBoolean()) {
            long target = 0x200 + r.nextInt(0x800);
            rmMemory(target);
            lockIfMemory(target, true);
            if (equal) {
                regs[RAX] = patternValue((int) target, size);
            }
        } else {
            int dest = freeReg();
            rmRegister(dest);
            if (equal) {
                regs[RAX] = regs[dest];
            }
        }
    }

    private void cmpxchgWide() {
        boolean wide = r.nextBoolean();
        int size = wide ? 16 : 8;
        if (wide) {
            a.rex |= 8;
        }
        a.opcode = new int[] {0x0f, 0xc7};
        regField(1);
        reserved |= (1 << RAX) | (1 << RDX);
        long target = (0x200 + r.nextInt(0x800)) & ~(wide && r.nextInt(8) == 0 ? 7L : 15L);
        rmMemory(target);
        lockIfMemory(target, true);
        if (r.nextBoolean()) {
            int half = size / 2;
            regs[RAX] = (regs[RAX] & ~IntegerOps.mask(half)) | patternValue((int) target, half);
            regs[RDX] = (regs[RDX] & ~IntegerOps.mask(half)) | patternValue((int) target + half, half);
        }
        undefinedFlags = 0;
    }

    private void bswap() {
        int size = size(false);
        operandSize(size);
        int reg = freeReg();
        a.opcode = new int[] {0x0f, 0xc8 + (reg & 7)};
        a.rex |= reg >> 3;
    }

    private void movbe() {
        int size = size(false);
        operandSize(size);
        a.opcode = new int[] {0x0f, 0x38, 0xf0 + r.nextInt(2)};
        regField(freeReg());
        rmMemory(0x200 + r.nextInt(0x800));
    }

    private void lea() {
        int size = size(false);
        operandSize(size);
        a.opcode = new int[] {0x8d};
        regField(freeReg());
        rmMemory(0x200 + r.nextInt(0x800));
    }

    private void convert() {
        int size = size(false);
        operandSize(size);
        a.opcode = new int[] {0x98 + r.nextInt(2)};
    }

    private void flagOps() {
        a.opcode = new int[] {new int[] {0x9e, 0x9f, 0xf5, 0xf8, 0xf9, 0xfc, 0xfd}[r.nextInt(7)]};
    }

    private void pushpop() {
        int form = r.nextInt(6);
        boolean word = r.nextInt(4) == 0;
        if (word) {
            a.prefixes.add(0x66);
        }
        switch (form) {
            case 0, 1 -> {
                int reg = r.nextInt(16);
                a.opcode = new int[] {(form == 0 ? 0x50 : 0x58) + (reg & 7)};
                a.rex |= reg >> 3;
            }
            case 2 -> {
                a.opcode = new int[] {0x6a};
                immediate(r.nextLong(), 1);
            }
            case 3 -> {
                a.opcode = new int[] {0x68};
                immediate(r.nextLong(), word ? 2 : 4);
            }
            case 4 -> {
                a.opcode = new int[] {0xff};
                regField(6);
                rm(8, true);
            }
            default -> {
                a.opcode = new int[] {0x8f};
                regField(0);
                rm(8, true);
            }
        }
    }

    private void string() {
        int kind = r.nextInt(5);
        int size = size(true);
        if (size == 2) {
            a.prefixes.add(0x66);
        } else if (size == 8) {
            a.rex |= 8;
        }
        boolean a32 = r.nextInt(3) == 0;
        if (a32) {
            a.prefixes.add(0x67);
        }
        int rep = r.nextInt(3);
        if (rep > 0) {
            a.prefixes.add(rep == 1 ? 0xf3 : 0xf2);
        }
        maybeSegmentNoise();
        a.opcode = new int[] {new int[] {0xa4, 0xa6, 0xaa, 0xac, 0xae}[kind] + (size == 1 ? 0 : 1)};
        long upper = a32 ? r.nextLong() << 32 : 0;
        regs[RSI] = upper ^ (DATA + 0x300 + r.nextInt(0x600));
        regs[RDI] = (a32 ? r.nextLong() << 32 : 0) ^ (DATA + 0x300 + r.nextInt(0x600));
        regs[RCX] = (a32 ? r.nextLong() << 32 : 0) | r.nextInt(20);
        if (kind == 4 && r.nextBoolean()) {
            regs[RAX] = patternValue((int) ((regs[RDI] - DATA) & 0xfff), size);
        }
    }

    private void branch() {
        int form = r.nextInt(8);
        switch (form) {
            case 0 -> {
                a.opcode = new int[] {0x70 + r.nextInt(16)};
                immediate(rel8(2), 1);
            }
            case 1 -> {
                a.opcode = new int[] {0x0f, 0x80 + r.nextInt(16)};
                immediate(r.nextInt(), 4);
            }
            case 2 -> {
                a.opcode = new int[] {0xeb};
                immediate(rel8(2), 1);
            }
            case 3 -> {
                a.opcode = new int[] {0xe9};
                immediate(r.nextInt(), 4);
            }
            case 4, 5 -> {
                boolean a32 = r.nextBoolean();
                if (a32) {
                    a.prefixes.add(0x67);
                }
                a.opcode = new int[] {form == 4 ? 0xe3 : 0xe0 + r.nextInt(3)};
                regs[RCX] = (r.nextBoolean() ? r.nextLong() << 32 : 0) | r.nextInt(3);
                immediate(rel8(a32 ? 3 : 2), 1);
            }
            case 6 -> {
                a.opcode = new int[] {0xe8};
                immediate(r.nextInt(), 4);
            }
            default -> {
                a.opcode = new int[] {0xff};
                regField(r.nextBoolean() ? 2 : 4);
                if (r.nextBoolean()) {
                    int reg = freeReg();
                    reserve(reg, r.nextBoolean() ? CODE + r.nextInt(0x1000) : r.nextLong() >>> 17);
                    rmRegister(reg);
                } else {
                    rmMemory(0xe00 + 8L * r.nextInt(64));
                }
            }
        }
    }

    /** A rel8 that does not branch back to the instruction itself (the oracle would spin). */
    private long rel8(int length) {
        int d;
        do {
            d = r.nextInt(256) - 128;
        } while (d == -length);
        return d;
    }

    private void stack() {
        int form = r.nextInt(4);
        switch (form) {
            case 0 -> a.opcode = new int[] {0xc3};
            case 1 -> {
                a.opcode = new int[] {0xc2};
                immediate(r.nextInt(0x40), 2);
            }
            case 2 -> {
                a.opcode = new int[] {0xc9};
                regs[RBP] = DATA + 0xe00 + 8L * r.nextInt(64);
            }
            default -> {
                a.opcode = new int[] {0xc8};
                regs[RBP] = DATA + 0xe40 + 8L * r.nextInt(56);
                immediate(r.nextInt(0x100) | ((long) r.nextInt(5) << 16), 3);
            }
        }
    }

    private void xlat() {
        if (r.nextInt(4) == 0) {
            a.prefixes.add(0x67);
        }
        a.rex |= r.nextBoolean() ? 8 : 0;
        a.opcode = new int[] {0xd7};
        regs[RBX] = DATA + 0x200 + r.nextInt(0x800);
    }
}
