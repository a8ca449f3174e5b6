package org.hyperport.s390.isa;

import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.Semantics;

/**
 * The small parts the general instructions are built from (STYLE §6): operand loaders ({@link Src}), operations
 * that compute a result and set the condition code ({@link Op}), and write-backs ({@link Dst}). Register halves
 * follow the manual: "low" is bits 32-63, "high" is bits 0-31 of a 64-bit general register.
 */
public final class Operands {

    private Operands() {
    }

    public static final long LOW = 0xffffffffL;
    public static final long HIGH = 0xffffffff00000000L;

    /** Loads one operand from the instruction's fields and the CPU. */
    @FunctionalInterface
    public interface Src {
        long get(S390Interpreter c, Insn i);
    }

    /** Combines two operands into a result and sets the condition code if the instruction sets one. */
    @FunctionalInterface
    public interface Op {
        long apply(S390Interpreter c, long a, long b);
    }

    /** Writes a result back. */
    @FunctionalInterface
    public interface Dst {
        void put(S390Interpreter c, Insn i, long v);
    }

    // ---- Register operands ---------------------------------------------------------------------------------------

    public static final Src R1_32 = (c, i) -> (int) c.state().gpr[i.r1];
    public static final Src R1_64 = (c, i) -> c.state().gpr[i.r1];
    public static final Src R1_H = (c, i) -> c.state().gpr[i.r1] >> 32;
    public static final Src R2_32 = (c, i) -> (int) c.state().gpr[i.r2];
    public static final Src R2_32U = (c, i) -> c.state().gpr[i.r2] & LOW;
    public static final Src R2_64 = (c, i) -> c.state().gpr[i.r2];
    public static final Src R2_H = (c, i) -> c.state().gpr[i.r2] >> 32;
    public static final Src R3_32 = (c, i) -> (int) c.state().gpr[i.r3];
    public static final Src R3_64 = (c, i) -> c.state().gpr[i.r3];
    public static final Src R3_H = (c, i) -> c.state().gpr[i.r3] >> 32;

    // ---- Immediates ------------------------------------------------------------------------------------------------

    /** I2 as the format extracted it (sign-extended where the format says signed). */
    public static final Src I2 = (c, i) -> i.i2;
    public static final Src I2_U32 = (c, i) -> i.i2 & LOW;
    public static final Src I2_U16 = (c, i) -> i.i2 & 0xffff;
    public static final Src I2_U8 = (c, i) -> i.i2 & 0xff;
    public static final Src I2_S8 = (c, i) -> (byte) i.i2;

    // ---- Storage operands -----------------------------------------------------------------------------------------

    /** The second-operand address D2(X2,B2). */
    public static long a2(S390Interpreter c, Insn i) {
        return c.address(i.x2, i.b2, i.d2);
    }

    /** The first-operand address D1(B1). */
    public static long a1(S390Interpreter c, Insn i) {
        return c.address(0, i.b1, i.d1);
    }

    public static final Src M8 = (c, i) -> c.read(a2(c, i), 1);
    public static final Src M8S = (c, i) -> (byte) c.read(a2(c, i), 1);
    public static final Src M16 = (c, i) -> c.read(a2(c, i), 2);
    public static final Src M16S = (c, i) -> (short) c.read(a2(c, i), 2);
    public static final Src M32 = (c, i) -> c.read(a2(c, i), 4);
    public static final Src M32S = (c, i) -> (int) c.read(a2(c, i), 4);
    public static final Src M64 = (c, i) -> c.read(a2(c, i), 8);

    /** A relative-long storage operand (LRL, CGRL...): must sit on its natural boundary (specification). */
    public static long relAddress(S390Interpreter c, Insn i, int size) {
        long a = c.relative(i.i2);
        if ((a & (size - 1)) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        return a;
    }

    public static Src rel(int size, boolean signed) {
        return (c, i) -> {
            long v = c.read(relAddress(c, i, size), size);
            return signed ? signExtend(v, size) : v;
        };
    }

    public static long signExtend(long v, int size) {
        int s = 64 - 8 * size;
        return (v << s) >> s;
    }

    // ---- Write-backs ------------------------------------------------------------------------------------------------

    public static final Dst NONE = (c, i, v) -> {
    };
    public static final Dst LOW32 = (c, i, v) -> setLow(c, i.r1, v);
    public static final Dst FULL = (c, i, v) -> c.state().gpr[i.r1] = v;
    public static final Dst HIGH32 = (c, i, v) -> setHigh(c, i.r1, v);

    public static void setLow(S390Interpreter c, int r, long v) {
        long[] g = c.state().gpr;
        g[r] = (g[r] & HIGH) | (v & LOW);
    }

    public static void setHigh(S390Interpreter c, int r, long v) {
        long[] g = c.state().gpr;
        g[r] = (g[r] & LOW) | (v << 32);
    }

    /** Even-odd register pair designated by an even R field; an odd one is a specification exception. */
    public static void evenPair(S390Interpreter c, int r) {
        if ((r & 1) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
    }

    /** An operand that must be aligned on {@code size} bytes (CS, CDS, LPQ, interlocked-access...). */
    public static long aligned(S390Interpreter c, long a, int size) {
        if ((a & (size - 1)) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        return a;
    }

    // ---- Compositions -----------------------------------------------------------------------------------------------

    /** d ← op(a, b). */
    public static Semantics binary(Src a, Src b, Op op, Dst d) {
        return (c, i) -> d.put(c, i, op.apply(c, a.get(c, i), b.get(c, i)));
    }

    /** d ← op(a, b), then the fixed-point-overflow interruption if CC 3 and the program mask enables it. */
    public static Semantics binaryTrap(Src a, Src b, Op op, Dst d) {
        return (c, i) -> {
            d.put(c, i, op.apply(c, a.get(c, i), b.get(c, i)));
            Arithmetic.fixedPointOverflow(c);
        };
    }

    /** Storage operand D1(B1) of {@code size} bytes ← op(storage, immediate I2 as {@code imm} loads it). */
    public static Semantics storageImmediate(int size, Src imm, Op op, boolean trap) {
        return (c, i) -> {
            long a = a1(c, i);
            long v = c.read(a, size);
            long r = op.apply(c, signExtend(v, size), imm.get(c, i));
            c.write(a, size, r);
            if (trap) {
                Arithmetic.fixedPointOverflow(c);
            }
        };
    }
}
