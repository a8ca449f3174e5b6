package org.hyperport.x86.decode;

/**
 * A decoded x86 instruction: the flyweight {@link X86Decoder#decode} fills in. One per interpreter (or per slot of a
 * decoded-block cache), reused for every decode; nothing here allocates except {@link #toString()}.
 *
 * <p>Read {@link #status()} first. Only a {@link Status#VALID} instruction has an {@link #op()} and operands; for
 * the other states {@link #length()} is the number of bytes examined and the interpreter raises the exception the
 * status names, with the instruction pointer still at {@link #ip()}.
 *
 * <p>Sizes are in bytes throughout. {@link #operandSize()} and {@link #addressSize()} are the attributes after the
 * mode, the 66/67 prefixes, REX.W and the d64/f64 rules (SDM Vol. 2 §2.2.1.2, Table 2-4; Vol. 1 §3.6.1); each
 * operand's own {@link Operand#size()} is already resolved from its operand type.
 */
public final class Instruction {

    /** Outcome of a decode. */
    public enum Status {
        /** A valid instruction. */
        VALID,
        /** #UD: undefined opcode, a form invalid in this mode (i64/o64), LOCK where not allowed, a register where
         * memory is required (or the reverse), an undefined segment or control register, VEX/EVEX encodings. */
        INVALID_OPCODE,
        /** #GP(0): the instruction would be longer than 15 bytes (SDM Vol. 2 §2.3.11). */
        TOO_LONG,
        /** An instruction byte could not be fetched; {@link #faultAddress()} says which. */
        FETCH_FAULT
    }

    /**
     * Bits of {@link #prefixes()}: the legacy prefixes seen, whether or not they mattered, and {@code PREFIX_REX} when a
     * REX prefix applied (one followed by a legacy prefix is ignored, SDM Vol. 2 §2.2.1).
     */
    public static final int PREFIX_LOCK = 1, PREFIX_REPNE = 1 << 1, PREFIX_REP = 1 << 2, PREFIX_OPERAND_SIZE = 1 << 3,
            PREFIX_ADDRESS_SIZE = 1 << 4, PREFIX_SEGMENT = 1 << 5, PREFIX_REX = 1 << 6;

    /** Opcode maps of {@link #map()}. */
    public static final int MAP_PRIMARY = 0, MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3;

    static final int MAX_OPERANDS = 4;

    Op op;
    Status status = Status.INVALID_OPCODE;
    long faultAddress;
    int length;
    long ip;
    Mode mode = Mode.LONG64;
    int operandSize;
    int addressSize;
    int prefixes;
    int segmentPrefix = -1;
    int rex;
    int lastRep;
    int mandatoryPrefix;
    int map;
    int opcode;
    int modrm = -1;
    int operandCount;
    Form form;
    final Operand[] operands = new Operand[MAX_OPERANDS];

    public Instruction() {
        for (int i = 0; i < MAX_OPERANDS; i++) {
            operands[i] = new Operand();
        }
    }

    /** Copies {@code other} into this instruction (for decoded-block caches; no allocation). */
    public void copyFrom(Instruction other) {
        op = other.op;
        status = other.status;
        faultAddress = other.faultAddress;
        length = other.length;
        ip = other.ip;
        mode = other.mode;
        operandSize = other.operandSize;
        addressSize = other.addressSize;
        prefixes = other.prefixes;
        segmentPrefix = other.segmentPrefix;
        rex = other.rex;
        lastRep = other.lastRep;
        mandatoryPrefix = other.mandatoryPrefix;
        map = other.map;
        opcode = other.opcode;
        modrm = other.modrm;
        operandCount = other.operandCount;
        form = other.form;
        for (int i = 0; i < MAX_OPERANDS; i++) {
            operands[i].copyFrom(other.operands[i]);
        }
    }

    /** Outcome of the decode. */
    public Status status() {
        return status;
    }

    /** Whether {@link #status()} is {@link Status#VALID}. */
    public boolean isValid() {
        return status == Status.VALID;
    }

    /** For {@link Status#FETCH_FAULT}: the address passed to {@link ByteSource#fetch} that failed. */
    public long faultAddress() {
        return faultAddress;
    }

    /** The operation; null unless {@link #isValid()}. */
    public Op op() {
        return op;
    }

    /** Length in bytes (1-15) of a valid instruction; otherwise the bytes examined before the decoder stopped. */
    public int length() {
        return length;
    }

    /** The {@code ip} the instruction was decoded at. */
    public long ip() {
        return ip;
    }

    /** {@code ip + length}: the value of (R/E)IP during execution, which RIP-relative operands and branches add to. */
    public long nextIp() {
        return ip + length;
    }

    /** The mode decoded in. */
    public Mode mode() {
        return mode;
    }

    /** Effective operand-size attribute: 2, 4 or 8. */
    public int operandSize() {
        return operandSize;
    }

    /** Effective address-size attribute: 2, 4 or 8 (also the width of rSI/rDI/rCX for string ops, LOOP, JrCXZ). */
    public int addressSize() {
        return addressSize;
    }

    /** Number of operands, 0-4. */
    public int operandCount() {
        return operandCount;
    }

    /** Operand {@code i}, destination first (SDM order). */
    public Operand operand(int i) {
        return operands[i];
    }

    /** {@code PREFIX_*} bits of the prefixes present, whether or not they mattered. */
    public int prefixes() {
        return prefixes;
    }

    /** A LOCK prefix was present (and allowed: otherwise the status is {@link Status#INVALID_OPCODE}). */
    public boolean lock() {
        return (prefixes & PREFIX_LOCK) != 0;
    }

    /**
     * The REP/REPE prefix applies: F3 was the last of F2/F3 and was not consumed as a mandatory prefix (PAUSE,
     * POPCNT, MOVSS...). Only string instructions give it a meaning.
     */
    public boolean rep() {
        return lastRep == 0xF3 && mandatoryPrefix != 0xF3;
    }

    /** The REPNE prefix applies: F2 was the last of F2/F3 and was not a mandatory prefix. */
    public boolean repne() {
        return lastRep == 0xF2 && mandatoryPrefix != 0xF2;
    }

    /**
     * The last segment-override prefix (0-5, {@link Operand#ES}..{@link Operand#GS}), or -1. Memory operands already
     * apply it; this is for XLAT and for tools.
     */
    public int segmentPrefix() {
        return segmentPrefix;
    }

    /**
     * The data segment of an instruction without an encoded memory operand (XLAT): the override, or DS. In 64-bit
     * mode an ES/CS/SS/DS override is ignored.
     */
    public int dataSegment() {
        if (segmentPrefix < 0 || (mode == Mode.LONG64 && segmentPrefix < Operand.FS)) {
            return Operand.DS;
        }
        return segmentPrefix;
    }

    /** The REX byte that applied (0x40-0x4F), or 0. */
    public int rex() {
        return rex;
    }

    public boolean rexW() {
        return (rex & 8) != 0;
    }

    public boolean rexR() {
        return (rex & 4) != 0;
    }

    public boolean rexX() {
        return (rex & 2) != 0;
    }

    public boolean rexB() {
        return (rex & 1) != 0;
    }

    /** The prefix that selected this form from the opcode map (0x66, 0xF2, 0xF3), or 0. */
    public int mandatoryPrefix() {
        return mandatoryPrefix;
    }

    /** Opcode map ({@code MAP_*}) of {@link #opcode()}. */
    public int map() {
        return map;
    }

    /** The opcode byte within {@link #map()}. */
    public int opcode() {
        return opcode;
    }

    /** The ModR/M byte, or -1 if the form has none. */
    public int modrm() {
        return modrm;
    }

    /** The Jcc/SETcc/CMOVcc condition (tttn), or -1: {@code op().condition()}. */
    public int condition() {
        return op == null ? -1 : op.condition();
    }

    /** The opcode-map line this instruction was decoded by, for diagnostics. */
    public String formText() {
        return form == null ? "" : form.text;
    }

    /** Intel-syntax text, e.g. {@code add dword [rbx+rcx*4+0x10], 0x5}, or the status. Allocates: for debugging. */
    @Override
    public String toString() {
        return Formatter.instruction(this);
    }
}
