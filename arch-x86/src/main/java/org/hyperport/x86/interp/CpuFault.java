package org.hyperport.x86.interp;

/**
 * An architectural exception raised while executing one instruction (SDM Vol 3A Ch. 6): the vector, whether an
 * error code is pushed and its value, and for #PF the faulting linear address for CR2. The interpreter throws it to
 * abandon the instruction and delivers it through the IDT; it never leaves the interpreter.
 *
 * <p>One instance per vCPU is reused ({@link #raise}), and it carries no stack trace, so raising a fault allocates
 * nothing.
 */
public final class CpuFault extends RuntimeException {

    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10,
            NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    private int vector;
    private boolean hasErrorCode;
    private int errorCode;
    private long cr2;

    public CpuFault() {
        super(null, null, false, false);
    }

    /** Re-arms this instance and returns it, for {@code throw fault.raise(...)}. */
    public CpuFault raise(int vector, boolean hasErrorCode, int errorCode, long cr2) {
        this.vector = vector;
        this.hasErrorCode = hasErrorCode;
        this.errorCode = errorCode;
        this.cr2 = cr2;
        return this;
    }

    public CpuFault raise(int vector) {
        return raise(vector, false, 0, 0);
    }

    public CpuFault raise(int vector, int errorCode) {
        return raise(vector, true, errorCode, 0);
    }

    public int vector() {
        return vector;
    }

    public boolean hasErrorCode() {
        return hasErrorCode;
    }

    public int errorCode() {
        return errorCode;
    }

    public long cr2() {
        return cr2;
    }

    /** Whether the vector is a contributory exception for double-fault classification (SDM Table 6-4). */
    public static boolean contributory(int vector) {
        return vector == DE || vector == TS || vector == NP || vector == SS || vector == GP;
    }

    @Override
    public String getMessage() {
        return "vector " + vector + (hasErrorCode ? " error 0x" + Integer.toHexString(errorCode) : "")
                + (vector == PF ? " cr2 0x" + Long.toHexString(cr2) : "");
    }
}
