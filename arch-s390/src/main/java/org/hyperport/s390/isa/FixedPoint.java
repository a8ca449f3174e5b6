package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.common.math.WideDivision;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;

/**
 * PoP Ch. 7 fixed-point arithmetic: ADD, SUBTRACT (signed, logical, with carry/borrow, high-word), COMPARE
 * (signed, logical, and branch, and trap), MULTIPLY and DIVIDE.
 */
final class FixedPoint {

    private FixedPoint() {
    }

    // ---- Operations (PoP Appendix C condition codes) -----------------------------------------------------------

    static final Op ADD32 = (c, a, b) -> {
        int r = (int) a + (int) b;
        c.setCc(ConditionCodes.add32((int) a, (int) b, r));
        return r;
    };
    static final Op ADD64 = (c, a, b) -> {
        long r = a + b;
        c.setCc(ConditionCodes.add64(a, b, r));
        return r;
    };
    static final Op SUB32 = (c, a, b) -> {
        int r = (int) a - (int) b;
        c.setCc(ConditionCodes.sub32((int) a, (int) b, r));
        return r;
    };
    static final Op SUB64 = (c, a, b) -> {
        long r = a - b;
        c.setCc(ConditionCodes.sub64(a, b, r));
        return r;
    };
    static final Op ADDL32 = (c, a, b) -> addLogical32(c, a, b, 0);
    static final Op ADDL64 = (c, a, b) -> addLogical64(c, a, b, 0);
    static final Op ADDLC32 = (c, a, b) -> addLogical32(c, a, b, c.cc() >>> 1);
    static final Op ADDLC64 = (c, a, b) -> addLogical64(c, a, b, c.cc() >>> 1);
    static final Op SUBL32 = (c, a, b) -> subLogical32(c, a, b, 0);
    static final Op SUBL64 = (c, a, b) -> subLogical64(c, a, b, 0);
    static final Op SUBLB32 = (c, a, b) -> subLogical32(c, a, b, c.cc() < 2 ? 1 : 0);
    static final Op SUBLB64 = (c, a, b) -> subLogical64(c, a, b, c.cc() < 2 ? 1 : 0);
    /** ADD LOGICAL WITH SIGNED IMMEDIATE ... HIGH NO CC. */
    static final Op ADD_NOCC = (c, a, b) -> a + b;
    static final Op CMP32 = (c, a, b) -> {
        c.setCc(ConditionCodes.compare((int) a, (int) b));
        return 0;
    };
    static final Op CMP64 = (c, a, b) -> {
        c.setCc(ConditionCodes.compare(a, b));
        return 0;
    };
    static final Op CMPL32 = (c, a, b) -> {
        c.setCc(ConditionCodes.compareLogical(a & LOW, b & LOW));
        return 0;
    };
    static final Op CMPL64 = (c, a, b) -> {
        c.setCc(ConditionCodes.compareLogical(a, b));
        return 0;
    };
    static final Op CMP16 = (c, a, b) -> {
        c.setCc(ConditionCodes.compare((short) a, (short) b));
        return 0;
    };
    static final Op CMPL16 = (c, a, b) -> {
        c.setCc(ConditionCodes.compareLogical(a & 0xffff, b & 0xffff));
        return 0;
    };
    static final Op MUL32 = (c, a, b) -> (long) ((int) a * (int) b);
    static final Op MUL64 = (c, a, b) -> a * b;

    static long addLogical32(S390Interpreter c, long a, long b, long carryIn) {
        long r = (a & LOW) + (b & LOW) + carryIn;
        c.setCc(ConditionCodes.addLogical((r >>> 32) != 0, (int) r != 0));
        return r & LOW;
    }

    static long addLogical64(S390Interpreter c, long a, long b, long carryIn) {
        long s = a + b;
        boolean carry = Long.compareUnsigned(s, a) < 0;
        long r = s + carryIn;
        carry |= Long.compareUnsigned(r, s) < 0;
        c.setCc(ConditionCodes.addLogical(carry, r != 0));
        return r;
    }

    static long subLogical32(S390Interpreter c, long a, long b, long borrowIn) {
        long r = (a & LOW) - (b & LOW) - borrowIn;
        c.setCc(ConditionCodes.subLogical(r < 0, (int) r != 0));
        return r & LOW;
    }

    static long subLogical64(S390Interpreter c, long a, long b, long borrowIn) {
        long r = a - b - borrowIn;
        int cmp = Long.compareUnsigned(a, b);
        boolean borrow = borrowIn != 0 ? cmp <= 0 : cmp < 0;
        c.setCc(ConditionCodes.subLogical(borrow, r != 0));
        return r;
    }

    /** Registers one family: RR/RRE/RRF forms with a register second operand and the storage and immediate forms. */
    private static void reg(S390Semantics.Registry r, String m, Src a, Src b, Op op, Dst d, boolean trap) {
        r.def(m, trap ? binaryTrap(a, b, op, d) : binary(a, b, op, d));
    }

    static void register(S390Semantics.Registry r) {
        // ADD
        reg(r, "AR", R1_32, R2_32, ADD32, LOW32, true);
        reg(r, "AGR", R1_64, R2_64, ADD64, FULL, true);
        reg(r, "AGFR", R1_64, R2_32, ADD64, FULL, true);
        reg(r, "ARK", R2_32, R3_32, ADD32, LOW32, true);
        reg(r, "AGRK", R2_64, R3_64, ADD64, FULL, true);
        reg(r, "A", R1_32, M32S, ADD32, LOW32, true);
        reg(r, "AY", R1_32, M32S, ADD32, LOW32, true);
        reg(r, "AG", R1_64, M64, ADD64, FULL, true);
        reg(r, "AGF", R1_64, M32S, ADD64, FULL, true);
        reg(r, "AFI", R1_32, I2, ADD32, LOW32, true);
        reg(r, "AGFI", R1_64, I2, ADD64, FULL, true);
        reg(r, "AHIK", R3_32, I2, ADD32, LOW32, true);
        reg(r, "AGHIK", R3_64, I2, ADD64, FULL, true);
        r.def("ASI", storageImmediate(4, I2_S8, ADD32, true));
        r.def("AGSI", storageImmediate(8, I2_S8, ADD64, true));
        reg(r, "AH", R1_32, M16S, ADD32, LOW32, true);
        reg(r, "AHY", R1_32, M16S, ADD32, LOW32, true);
        reg(r, "AHI", R1_32, I2, ADD32, LOW32, true);
        reg(r, "AGHI", R1_64, I2, ADD64, FULL, true);
        reg(r, "AHHHR", R2_H, R3_H, ADD32, HIGH32, true);
        reg(r, "AHHLR", R2_H, R3_32, ADD32, HIGH32, true);
        reg(r, "AIH", R1_H, I2, ADD32, HIGH32, true);
        reg(r, "ALR", R1_32, R2_32, ADDL32, LOW32, false);
        reg(r, "ALGR", R1_64, R2_64, ADDL64, FULL, false);
        reg(r, "ALGFR", R1_64, R2_32U, ADDL64, FULL, false);
        reg(r, "ALRK", R2_32, R3_32, ADDL32, LOW32, false);
        reg(r, "ALGRK", R2_64, R3_64, ADDL64, FULL, false);
        reg(r, "AL", R1_32, M32, ADDL32, LOW32, false);
        reg(r, "ALY", R1_32, M32, ADDL32, LOW32, false);
        reg(r, "ALG", R1_64, M64, ADDL64, FULL, false);
        reg(r, "ALGF", R1_64, M32, ADDL64, FULL, false);
        reg(r, "ALFI", R1_32, I2_U32, ADDL32, LOW32, false);
        reg(r, "ALGFI", R1_64, I2_U32, ADDL64, FULL, false);
        reg(r, "ALHHHR", R2_H, R3_H, ADDL32, HIGH32, false);
        reg(r, "ALHHLR", R2_H, R3_32, ADDL32, HIGH32, false);
        reg(r, "ALCR", R1_32, R2_32, ADDLC32, LOW32, false);
        reg(r, "ALCGR", R1_64, R2_64, ADDLC64, FULL, false);
        reg(r, "ALC", R1_32, M32, ADDLC32, LOW32, false);
        reg(r, "ALCG", R1_64, M64, ADDLC64, FULL, false);
        r.def("ALSI", storageImmediate(4, I2_S8, ADDL32, false));
        r.def("ALGSI", storageImmediate(8, I2_S8, ADDL64, false));
        reg(r, "ALHSIK", R3_32, I2, ADDL32, LOW32, false);
        reg(r, "ALGHSIK", R3_64, I2, ADDL64, FULL, false);
        reg(r, "ALSIH", R1_H, I2, ADDL32, HIGH32, false);
        reg(r, "ALSIHN", R1_H, I2, ADD_NOCC, HIGH32, false);
        // SUBTRACT
        reg(r, "SR", R1_32, R2_32, SUB32, LOW32, true);
        reg(r, "SGR", R1_64, R2_64, SUB64, FULL, true);
        reg(r, "SGFR", R1_64, R2_32, SUB64, FULL, true);
        reg(r, "SRK", R2_32, R3_32, SUB32, LOW32, true);
        reg(r, "SGRK", R2_64, R3_64, SUB64, FULL, true);
        reg(r, "S", R1_32, M32S, SUB32, LOW32, true);
        reg(r, "SY", R1_32, M32S, SUB32, LOW32, true);
        reg(r, "SG", R1_64, M64, SUB64, FULL, true);
        reg(r, "SGF", R1_64, M32S, SUB64, FULL, true);
        reg(r, "SH", R1_32, M16S, SUB32, LOW32, true);
        reg(r, "SHY", R1_32, M16S, SUB32, LOW32, true);
        reg(r, "SHHHR", R2_H, R3_H, SUB32, HIGH32, true);
        reg(r, "SHHLR", R2_H, R3_32, SUB32, HIGH32, true);
        reg(r, "SLR", R1_32, R2_32, SUBL32, LOW32, false);
        reg(r, "SLGR", R1_64, R2_64, SUBL64, FULL, false);
        reg(r, "SLGFR", R1_64, R2_32U, SUBL64, FULL, false);
        reg(r, "SLRK", R2_32, R3_32, SUBL32, LOW32, false);
        reg(r, "SLGRK", R2_64, R3_64, SUBL64, FULL, false);
        reg(r, "SL", R1_32, M32, SUBL32, LOW32, false);
        reg(r, "SLY", R1_32, M32, SUBL32, LOW32, false);
        reg(r, "SLG", R1_64, M64, SUBL64, FULL, false);
        reg(r, "SLGF", R1_64, M32, SUBL64, FULL, false);
        reg(r, "SLFI", R1_32, I2_U32, SUBL32, LOW32, false);
        reg(r, "SLGFI", R1_64, I2_U32, SUBL64, FULL, false);
        reg(r, "SLHHHR", R2_H, R3_H, SUBL32, HIGH32, false);
        reg(r, "SLHHLR", R2_H, R3_32, SUBL32, HIGH32, false);
        reg(r, "SLBR", R1_32, R2_32, SUBLB32, LOW32, false);
        reg(r, "SLBGR", R1_64, R2_64, SUBLB64, FULL, false);
        reg(r, "SLB", R1_32, M32, SUBLB32, LOW32, false);
        reg(r, "SLBG", R1_64, M64, SUBLB64, FULL, false);
        // COMPARE
        reg(r, "CR", R1_32, R2_32, CMP32, NONE, false);
        reg(r, "CGR", R1_64, R2_64, CMP64, NONE, false);
        reg(r, "CGFR", R1_64, R2_32, CMP64, NONE, false);
        reg(r, "C", R1_32, M32S, CMP32, NONE, false);
        reg(r, "CY", R1_32, M32S, CMP32, NONE, false);
        reg(r, "CG", R1_64, M64, CMP64, NONE, false);
        reg(r, "CGF", R1_64, M32S, CMP64, NONE, false);
        reg(r, "CFI", R1_32, I2, CMP32, NONE, false);
        reg(r, "CGFI", R1_64, I2, CMP64, NONE, false);
        reg(r, "CRL", R1_32, rel(4, true), CMP32, NONE, false);
        reg(r, "CGRL", R1_64, rel(8, false), CMP64, NONE, false);
        reg(r, "CGFRL", R1_64, rel(4, true), CMP64, NONE, false);
        reg(r, "CH", R1_32, M16S, CMP32, NONE, false);
        reg(r, "CHY", R1_32, M16S, CMP32, NONE, false);
        reg(r, "CGH", R1_64, M16S, CMP64, NONE, false);
        reg(r, "CHI", R1_32, I2, CMP32, NONE, false);
        reg(r, "CGHI", R1_64, I2, CMP64, NONE, false);
        r.def("CHHSI", storageCompare(2, CMP16));
        r.def("CHSI", storageCompare(4, CMP32));
        r.def("CGHSI", storageCompare(8, CMP64));
        reg(r, "CHRL", R1_32, rel(2, true), CMP32, NONE, false);
        reg(r, "CGHRL", R1_64, rel(2, true), CMP64, NONE, false);
        reg(r, "CHHR", R1_H, R2_H, CMP32, NONE, false);
        reg(r, "CHLR", R1_H, R2_32, CMP32, NONE, false);
        reg(r, "CHF", R1_H, M32S, CMP32, NONE, false);
        reg(r, "CIH", R1_H, I2, CMP32, NONE, false);
        reg(r, "CLR", R1_32, R2_32, CMPL32, NONE, false);
        reg(r, "CLGR", R1_64, R2_64, CMPL64, NONE, false);
        reg(r, "CLGFR", R1_64, R2_32U, CMPL64, NONE, false);
        reg(r, "CL", R1_32, M32, CMPL32, NONE, false);
        reg(r, "CLY", R1_32, M32, CMPL32, NONE, false);
        reg(r, "CLG", R1_64, M64, CMPL64, NONE, false);
        reg(r, "CLGF", R1_64, M32, CMPL64, NONE, false);
        reg(r, "CLFI", R1_32, I2_U32, CMPL32, NONE, false);
        reg(r, "CLGFI", R1_64, I2_U32, CMPL64, NONE, false);
        r.def("CLI", (c, i) -> CMPL32.apply(c, c.read(a1(c, i), 1), i.i2 & 0xff));
        r.def("CLIY", (c, i) -> CMPL32.apply(c, c.read(a1(c, i), 1), i.i2 & 0xff));
        r.def("CLFHSI", storageCompareU(4, CMPL32));
        r.def("CLGHSI", storageCompareU(8, CMPL64));
        r.def("CLHHSI", storageCompareU(2, CMPL16));
        reg(r, "CLRL", R1_32, rel(4, false), CMPL32, NONE, false);
        reg(r, "CLGRL", R1_64, rel(8, false), CMPL64, NONE, false);
        reg(r, "CLGFRL", R1_64, rel(4, false), CMPL64, NONE, false);
        reg(r, "CLHRL", R1_32, rel(2, false), CMPL32, NONE, false);
        reg(r, "CLGHRL", R1_64, rel(2, false), CMPL64, NONE, false);
        reg(r, "CLHHR", R1_H, R2_H, CMPL32, NONE, false);
        reg(r, "CLHLR", R1_H, R2_32, CMPL32, NONE, false);
        reg(r, "CLHF", R1_H, M32, CMPL32, NONE, false);
        reg(r, "CLIH", R1_H, I2_U32, CMPL32, NONE, false);
        // COMPARE AND BRANCH / TRAP: the comparison's CC selects through M3 but the CC is not changed.
        Src b4 = (c, i) -> c.address(0, i.b4, i.d4);
        Src rel4 = (c, i) -> c.relative(i.i4);
        compareAndBranch(r, "CRB", R1_32, R2_32, false, b4);
        compareAndBranch(r, "CGRB", R1_64, R2_64, false, b4);
        compareAndBranch(r, "CRJ", R1_32, R2_32, false, rel4);
        compareAndBranch(r, "CGRJ", R1_64, R2_64, false, rel4);
        compareAndBranch(r, "CIB", R1_32, I2_S8, false, b4);
        compareAndBranch(r, "CGIB", R1_64, I2_S8, false, b4);
        compareAndBranch(r, "CIJ", R1_32, I2_S8, false, rel4);
        compareAndBranch(r, "CGIJ", R1_64, I2_S8, false, rel4);
        compareAndBranch(r, "CLRB", R1_32, R2_32, true, b4);
        compareAndBranch(r, "CLGRB", R1_64, R2_64, true, b4);
        compareAndBranch(r, "CLRJ", R1_32, R2_32, true, rel4);
        compareAndBranch(r, "CLGRJ", R1_64, R2_64, true, rel4);
        compareAndBranch(r, "CLIB", R1_32, I2_U8, true, b4);
        compareAndBranch(r, "CLGIB", R1_64, I2_U8, true, b4);
        compareAndBranch(r, "CLIJ", R1_32, I2_U8, true, rel4);
        compareAndBranch(r, "CLGIJ", R1_64, I2_U8, true, rel4);
        compareAndTrap(r, "CRT", R1_32, R2_32, false, true);
        compareAndTrap(r, "CGRT", R1_64, R2_64, false, false);
        compareAndTrap(r, "CIT", R1_32, I2, false, true);
        compareAndTrap(r, "CGIT", R1_64, I2, false, false);
        compareAndTrap(r, "CLRT", R1_32, R2_32, true, true);
        compareAndTrap(r, "CLGRT", R1_64, R2_64, true, false);
        compareAndTrap(r, "CLFIT", R1_32, I2_U16, true, true);
        compareAndTrap(r, "CLGIT", R1_64, I2_U16, true, false);
        registerMultiplyDivide(r);
    }

    private static org.hyperport.s390.interp.Semantics storageCompare(int size, Op op) {
        return (c, i) -> op.apply(c, signExtend(c.read(a1(c, i), size), size), i.i2);
    }

    private static org.hyperport.s390.interp.Semantics storageCompareU(int size, Op op) {
        return (c, i) -> op.apply(c, c.read(a1(c, i), size), i.i2 & 0xffff);
    }

    /** The comparison result as a CC (0 equal, 1 low, 2 high); 32-bit operands compare their low halves. */
    private static int compare(long a, long b, boolean logical, boolean narrow) {
        if (narrow) {
            return logical ? ConditionCodes.compareLogical(a & LOW, b & LOW) : ConditionCodes.compare((int) a, (int) b);
        }
        return logical ? ConditionCodes.compareLogical(a, b) : ConditionCodes.compare(a, b);
    }

    private static void compareAndBranch(S390Semantics.Registry r, String m, Src a, Src b, boolean logical,
                                         Src target) {
        boolean narrow = a == R1_32;
        r.def(m, (c, i) -> {
            int cc = compare(a.get(c, i), b.get(c, i), logical, narrow);
            if ((i.m3 & (8 >>> cc)) != 0) {
                c.nextAddr = target.get(c, i);
            }
        });
    }

    private static void compareAndTrap(S390Semantics.Registry r, String m, Src a, Src b, boolean logical,
                                       boolean narrow) {
        r.def(m, (c, i) -> {
            int cc = compare(a.get(c, i), b.get(c, i), logical, narrow);
            if ((i.m3 & (8 >>> cc)) != 0) {
                throw c.fault().data(0xff);
            }
        });
    }

    // ---- Multiply and divide ------------------------------------------------------------------------------------

    private static void registerMultiplyDivide(S390Semantics.Registry r) {
        // MULTIPLY (64<-32): the even register's pair holds the product, the odd register the multiplicand.
        Semantics3 mulPair = (c, i, b) -> {
            evenPair(c, i.r1);
            long p = (long) (int) c.state().gpr[i.r1 + 1] * (int) b;
            setLow(c, i.r1, p >>> 32);
            setLow(c, i.r1 + 1, p);
        };
        r.def("MR", (c, i) -> mulPair.run(c, i, c.state().gpr[i.r2]));
        r.def("M", (c, i) -> mulPair.run(c, i, M32S.get(c, i)));
        r.def("MFY", (c, i) -> mulPair.run(c, i, M32S.get(c, i)));
        reg(r, "MH", R1_32, M16S, MUL32, LOW32, false);
        reg(r, "MHY", R1_32, M16S, MUL32, LOW32, false);
        reg(r, "MHI", R1_32, I2, MUL32, LOW32, false);
        reg(r, "MGHI", R1_64, I2, MUL64, FULL, false);
        reg(r, "MSR", R1_32, R2_32, MUL32, LOW32, false);
        reg(r, "MS", R1_32, M32S, MUL32, LOW32, false);
        reg(r, "MSY", R1_32, M32S, MUL32, LOW32, false);
        reg(r, "MSGR", R1_64, R2_64, MUL64, FULL, false);
        reg(r, "MSGFR", R1_64, R2_32, MUL64, FULL, false);
        reg(r, "MSG", R1_64, M64, MUL64, FULL, false);
        reg(r, "MSGF", R1_64, M32S, MUL64, FULL, false);
        reg(r, "MSFI", R1_32, I2, MUL32, LOW32, false);
        reg(r, "MSGFI", R1_64, I2, MUL64, FULL, false);
        Semantics3 mulLogical32 = (c, i, b) -> {
            evenPair(c, i.r1);
            long p = (c.state().gpr[i.r1 + 1] & LOW) * (b & LOW);
            setLow(c, i.r1, p >>> 32);
            setLow(c, i.r1 + 1, p);
        };
        r.def("MLR", (c, i) -> mulLogical32.run(c, i, c.state().gpr[i.r2]));
        r.def("ML", (c, i) -> mulLogical32.run(c, i, M32.get(c, i)));
        Semantics3 mulLogical64 = (c, i, b) -> {
            evenPair(c, i.r1);
            long a = c.state().gpr[i.r1 + 1];
            c.state().gpr[i.r1] = Math.unsignedMultiplyHigh(a, b);
            c.state().gpr[i.r1 + 1] = a * b;
        };
        r.def("MLGR", (c, i) -> mulLogical64.run(c, i, c.state().gpr[i.r2]));
        r.def("MLG", (c, i) -> mulLogical64.run(c, i, M64.get(c, i)));
        // DIVIDE (32<-64): dividend in the pair's low halves; remainder to the even, quotient to the odd register.
        Semantics3 div32 = (c, i, b) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long dividend = (g[i.r1] << 32) | (g[i.r1 + 1] & LOW);
            long d = (int) b;
            if (d == 0) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            long q = dividend / d;
            if (q != (int) q || (dividend == Long.MIN_VALUE && d == -1)) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            setLow(c, i.r1, dividend % d);
            setLow(c, i.r1 + 1, q);
        };
        r.def("DR", (c, i) -> div32.run(c, i, c.state().gpr[i.r2]));
        r.def("D", (c, i) -> div32.run(c, i, M32S.get(c, i)));
        Semantics3 divLogical32 = (c, i, b) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long dividend = (g[i.r1] << 32) | (g[i.r1 + 1] & LOW);
            long d = b & LOW;
            if (d == 0) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            long q = Long.divideUnsigned(dividend, d);
            if ((q >>> 32) != 0) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            setLow(c, i.r1, Long.remainderUnsigned(dividend, d));
            setLow(c, i.r1 + 1, q);
        };
        r.def("DLR", (c, i) -> divLogical32.run(c, i, c.state().gpr[i.r2]));
        r.def("DL", (c, i) -> divLogical32.run(c, i, M32.get(c, i)));
        Semantics3 divLogical64 = (c, i, d) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long hi = g[i.r1];
            long lo = g[i.r1 + 1];
            if (d == 0 || Long.compareUnsigned(hi, d) >= 0) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            // The quotient fits in 64 bits because hi < d.
            long[] qr = new long[2];
            WideDivision.divide(hi, lo, d, qr);
            g[i.r1] = qr[1];
            g[i.r1 + 1] = qr[0];
        };
        r.def("DLGR", (c, i) -> divLogical64.run(c, i, c.state().gpr[i.r2]));
        r.def("DLG", (c, i) -> divLogical64.run(c, i, M64.get(c, i)));
        // DIVIDE SINGLE: dividend in the odd register.
        Semantics3 divSingle = (c, i, d) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long dividend = g[i.r1 + 1];
            if (d == 0 || (dividend == Long.MIN_VALUE && d == -1)) {
                throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
            }
            g[i.r1] = dividend % d;
            g[i.r1 + 1] = dividend / d;
        };
        r.def("DSGR", (c, i) -> divSingle.run(c, i, c.state().gpr[i.r2]));
        r.def("DSGFR", (c, i) -> divSingle.run(c, i, (int) c.state().gpr[i.r2]));
        r.def("DSG", (c, i) -> divSingle.run(c, i, M64.get(c, i)));
        r.def("DSGF", (c, i) -> divSingle.run(c, i, M32S.get(c, i)));
    }

    /** Semantics with one already-loaded operand. */
    @FunctionalInterface
    interface Semantics3 {
        void run(S390Interpreter c, Insn i, long b);
    }
}
