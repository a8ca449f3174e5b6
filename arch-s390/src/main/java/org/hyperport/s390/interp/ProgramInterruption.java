package org.hyperport.s390.interp;

/**
 * A program-interruption condition recognised while executing an instruction (PoP Ch. 6 "Program Interruption").
 * Thrown out of the instruction's semantics and caught by {@link S390Interpreter}, which stores the old PSW and the
 * interruption fields in the lowcore and loads the program new PSW. One instance per CPU, re-armed by
 * {@link #raise}, without a stack trace, so raising allocates nothing.
 */
public final class ProgramInterruption extends RuntimeException {

    public static final int OPERATION = 0x01, PRIVILEGED_OPERATION = 0x02, EXECUTE = 0x03, PROTECTION = 0x04,
            ADDRESSING = 0x05, SPECIFICATION = 0x06, DATA = 0x07, FIXED_POINT_OVERFLOW = 0x08,
            FIXED_POINT_DIVIDE = 0x09, DECIMAL_OVERFLOW = 0x0a, DECIMAL_DIVIDE = 0x0b, HFP_EXPONENT_OVERFLOW = 0x0c,
            SEGMENT_TRANSLATION = 0x10, PAGE_TRANSLATION = 0x11, TRANSLATION_SPECIFICATION = 0x12,
            SPECIAL_OPERATION = 0x13, OPERAND = 0x15, TRACE_TABLE = 0x16, VECTOR_PROCESSING = 0x1b,
            SPACE_SWITCH = 0x1c, ALET_SPECIFICATION = 0x28, ALEN_TRANSLATION = 0x29, ALE_SEQUENCE = 0x2a,
            ASTE_VALIDITY = 0x2b, ASTE_SEQUENCE = 0x2c, EXTENDED_AUTHORITY = 0x2d, STACK_FULL = 0x30,
            STACK_EMPTY = 0x31, STACK_SPECIFICATION = 0x32, STACK_TYPE = 0x33, STACK_OPERATION = 0x34,
            ASCE_TYPE = 0x38, REGION_FIRST_TRANSLATION = 0x39, REGION_SECOND_TRANSLATION = 0x3a,
            REGION_THIRD_TRANSLATION = 0x3b, MONITOR_EVENT = 0x40, PER_EVENT = 0x80;

    private int code;
    private long teid;
    private boolean hasTeid;
    private int dxc;
    private int accessId;
    /** ILC override: -1 to use the executing instruction's length; 0 for early PSW exceptions. */
    private int ilc = -1;
    private boolean nullify;

    public ProgramInterruption() {
        super(null, null, false, false);
    }

    /** Re-arms this instance for interruption code {@code code} and returns it, for {@code throw}. */
    public ProgramInterruption raise(int code) {
        this.code = code;
        this.hasTeid = false;
        this.teid = 0;
        this.dxc = 0;
        this.accessId = 0;
        this.ilc = -1;
        this.nullify = false;
        return this;
    }

    /** Marks this condition as nullifying although its code usually suppresses (DAT-table addressing). */
    public ProgramInterruption nullifying() {
        this.nullify = true;
        return this;
    }

    /** A DAT or protection exception with its translation-exception identification (lowcore 0xA8). */
    public ProgramInterruption raise(int code, long teid) {
        raise(code);
        this.teid = teid;
        this.hasTeid = true;
        return this;
    }

    /** A data exception with its data-exception code (lowcore 0x90 and FPC byte 2). */
    public ProgramInterruption data(int dxc) {
        raise(DATA);
        this.dxc = dxc;
        return this;
    }

    public ProgramInterruption withIlc(int ilc) {
        this.ilc = ilc;
        return this;
    }

    public ProgramInterruption withAccessId(int id) {
        this.accessId = id;
        return this;
    }

    public int code() {
        return code;
    }

    public long teid() {
        return teid;
    }

    public boolean hasTeid() {
        return hasTeid;
    }

    public int dxc() {
        return dxc;
    }

    public int accessId() {
        return accessId;
    }

    public int ilc() {
        return ilc;
    }

    /**
     * Whether the condition nullifies, so that the old PSW designates the instruction itself rather than the next
     * one (PoP Ch. 6, "Types of Instruction Ending" and the per-exception tables): the DAT translation exceptions.
     */
    public boolean nullifies() {
        return nullify || switch (code) {
            case SEGMENT_TRANSLATION, PAGE_TRANSLATION, ASCE_TYPE, REGION_FIRST_TRANSLATION,
                 REGION_SECOND_TRANSLATION, REGION_THIRD_TRANSLATION, ALET_SPECIFICATION, ALEN_TRANSLATION,
                 ALE_SEQUENCE, ASTE_VALIDITY, ASTE_SEQUENCE, EXTENDED_AUTHORITY -> true;
            default -> false;
        };
    }

    @Override
    public String getMessage() {
        return String.format("program interruption code 0x%04x", code);
    }
}
