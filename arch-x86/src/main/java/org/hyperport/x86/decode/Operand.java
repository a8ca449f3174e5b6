package org.hyperport.x86.decode;

/**
 * One operand of a decoded {@link Instruction}, in the SDM's (Intel) order: destination first. A mutable flyweight
 * owned by its instruction and overwritten by the next decode; copy what must outlive it.
 *
 * <p>Which accessors mean something depends on {@link #kind()}:
 * <ul>
 * <li>{@link Kind#REG}: {@link #regClass()}, {@link #reg()}, {@link #size()}.</li>
 * <li>{@link Kind#MEM}: {@link #segment()}, {@link #base()}, {@link #index()}, {@link #scale()},
 *     {@link #displacement()}, {@link #addressSize()}, {@link #size()}. The effective address (SDM Vol. 1 §3.7.5)
 *     is {@code (base + index * scale + displacement)} truncated to {@link #addressSize()} bytes, where a base of
 *     {@link #RIP} means the address of the next instruction ({@link Instruction#nextIp()}), and {@link #NONE}
 *     means no register. The linear address adds the base of {@link #segment()} (in 64-bit mode only FS and GS have
 *     one).</li>
 * <li>{@link Kind#IMM}: {@link #immediate()} and {@link #size()}.</li>
 * <li>{@link Kind#REL}: {@link #target()} and {@link #displacement()}.</li>
 * <li>{@link Kind#FAR}: {@link #immediate()} (the offset) and {@link #selector()} (ptr16:16 / ptr16:32).</li>
 * </ul>
 */
public final class Operand {

    /** What an operand is. */
    public enum Kind {
        /** Unused slot. */
        NONE,
        /** A register: {@link #regClass()} and {@link #reg()}. */
        REG,
        /** A memory location. */
        MEM,
        /** An immediate value. */
        IMM,
        /** A relative branch target (Jb, Jz). */
        REL,
        /** A far pointer immediate (Ap: CALLF/JMPF ptr16:16/32). */
        FAR
    }

    /** The register file a {@link Kind#REG} operand names. */
    public enum RegClass {
        /** RAX..R15 (0-15, SDM Vol. 2 Table 2-2 order: AX CX DX BX SP BP SI DI). Byte registers 4-7 are SPL, BPL,
         * SIL, DIL (a REX prefix was present). */
        GPR,
        /** AH, CH, DH, BH: bits 15:8 of GPR {@link #reg()} 0-3 (a byte register 4-7 without any REX prefix). */
        HIGH8,
        /** ES, CS, SS, DS, FS, GS (0-5, the Sreg encoding of SDM Vol. 2 Table 3-6). */
        SEG,
        /** CR0..CR15 (only 0, 2, 3, 4 and 8 decode). */
        CR,
        /** DR0..DR7. */
        DR,
        /** x87 ST(i), {@link #reg()} = i relative to the stack top. */
        X87,
        /** MM0..MM7. */
        MMX,
        /** XMM0..XMM15. */
        XMM
    }

    /** {@link #base()} / {@link #index()} when there is no register. */
    public static final int NONE = -1;
    /** {@link #base()} of a RIP-relative (EIP-relative with a 67 prefix) memory operand. */
    public static final int RIP = 16;
    /** Segment register numbers (Sreg encoding). */
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    Kind kind = Kind.NONE;
    RegClass regClass = RegClass.GPR;
    int reg;
    int size;
    int segment;
    int base;
    int index;
    int scale;
    long displacement;
    int addressSize;
    long immediate;
    int selector;
    boolean implicit;

    void clear() {
        kind = Kind.NONE;
        regClass = RegClass.GPR;
        reg = 0;
        size = 0;
        segment = 0;
        base = NONE;
        index = NONE;
        scale = 1;
        displacement = 0;
        addressSize = 0;
        immediate = 0;
        selector = 0;
        implicit = false;
    }

    void copyFrom(Operand o) {
        kind = o.kind;
        regClass = o.regClass;
        reg = o.reg;
        size = o.size;
        segment = o.segment;
        base = o.base;
        index = o.index;
        scale = o.scale;
        displacement = o.displacement;
        addressSize = o.addressSize;
        immediate = o.immediate;
        selector = o.selector;
        implicit = o.implicit;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isReg() {
        return kind == Kind.REG;
    }

    public boolean isMem() {
        return kind == Kind.MEM;
    }

    /** Register file of a {@link Kind#REG} operand. */
    public RegClass regClass() {
        return regClass;
    }

    /** Register number within {@link #regClass()}. */
    public int reg() {
        return reg;
    }

    /**
     * Size in bytes of the data the operand names: of the register part used (1 for AL or AH, 4 for EAX, 16 for a
     * whole XMM register, 4 for the Vss/Wss scalar, 10 for ST(i)), of the memory access (1-16; 10 for m80; 4, 6 or
     * 10 for a far pointer m16:16/m16:32/m16:64; 6 or 10 for the SGDT/LGDT pseudo-descriptor; 0 when the SDM gives no
     * fixed size: LEA's M, and the save areas of FXSAVE, XSAVE*, FNSAVE/FRSTOR and FNSTENV/FLDENV whose size
     * depends on the operation), or of the immediate's value.
     */
    public int size() {
        return size;
    }

    /**
     * The segment register of a memory operand, after the SDM's defaults and overrides (Vol. 1 §3.7.4): SS when the
     * base is rSP or rBP (or BP in 16-bit addressing), ES for the destination of string instructions (not
     * overridable), otherwise DS or the segment-override prefix. In 64-bit mode ES/CS/SS/DS overrides are ignored.
     */
    public int segment() {
        return segment;
    }

    /** Base register (GPR number, {@link #RIP}, or {@link #NONE}) of a memory operand. */
    public int base() {
        return base;
    }

    /** Index register (GPR number or {@link #NONE}) of a memory operand. */
    public int index() {
        return index;
    }

    /** Scale factor 1, 2, 4 or 8. */
    public int scale() {
        return scale;
    }

    /**
     * Memory displacement, sign-extended to 64 bits (the moffs of MOV A0-A3 is zero-extended: it is an address);
     * or, for {@link Kind#REL}, the signed rel8/rel16/rel32.
     */
    public long displacement() {
        return displacement;
    }

    /** Whether the base is {@link #RIP}. */
    public boolean ripRelative() {
        return base == RIP;
    }

    /** Address size in bytes (2, 4, 8) of a memory operand: the width of its registers and of its effective address. */
    public int addressSize() {
        return addressSize;
    }

    /**
     * The immediate value, as the instruction uses it: sign-extended from its encoded width to {@link #size()} bytes
     * where the SDM says so (Iz with a 64-bit operand size, the "Ibs" imm8 of 83/6B/6A), and held as an unsigned
     * number of {@link #size()} bytes. So {@code 83 C0 FF} (add eax,-1) gives 0xFFFFFFFF with size 4, {@code CD 80}
     * (int 0x80) gives 0x80 with size 1, and {@code 48 C7 C0 FF FF FF FF} gives -1L with size 8. For {@link Kind#FAR}
     * it is the offset.
     */
    public long immediate() {
        return immediate;
    }

    /**
     * The branch target of a {@link Kind#REL} operand: {@code nextIp + displacement}, truncated to the operand size
     * (16 bits when the operand size is 16, SDM Vol. 2 "JMP"/"Jcc": "EIP ← EIP AND 0000FFFFH").
     */
    public long target() {
        return immediate;
    }

    /** Segment selector of a {@link Kind#FAR} operand. */
    public int selector() {
        return selector;
    }

    /**
     * Whether the operand is implied by the opcode rather than encoded in a ModR/M, SIB, immediate or displacement
     * (AL in {@code 04 ib}, CL in shifts, the constant 1, DX in IN/OUT, the rSI/rDI operands of string instructions).
     */
    public boolean isImplicit() {
        return implicit;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        Formatter.operand(sb, this);
        return sb.toString();
    }
}
