package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Bfp.*;
import static org.hyperport.s390.isa.Operands.a2;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 19 "Binary-Floating-Point Instructions", short and long formats: arithmetic, compare, loads, load
 * lengthened/rounded, load FP integer, test data class, and the conversions to and from fixed and logical (the -A
 * forms' M3 rounding method and M4 inexact-suppression control are honoured on the shared opcodes).
 *
 * <p>Order of events (PoP "IEEE Exceptions"): an enabled invalid-operation or division-by-zero exception suppresses
 * the operation; an enabled overflow, underflow or inexact exception completes it (with the scaled result for
 * overflow and underflow) and then interrupts; disabled exceptions set their FPC flags.
 */
final class BinaryFloatingPoint {

    private BinaryFloatingPoint() {
    }

    static final long SIGN_D = Long.MIN_VALUE;
    static final int SIGN_F = Integer.MIN_VALUE;
    /** M4 bit 1: inexact-suppression control of the -A forms. */
    static final int XXC = 4;

    // ---- registers and exceptions ---------------------------------------------------------------------------------

    /** A BFP instruction with the AFP-register control (CR0 bit 45) off is a data exception, DXC 2. */
    static void allowed(S390Interpreter c) {
        if ((c.state().cr[0] & S390Interpreter.CR0_AFP) == 0) {
            throw c.fault().data(2);
        }
    }

    static int getF(S390Interpreter c, int r) {
        return (int) (c.state().fpr[r] >>> 32);
    }

    static void putF(S390Interpreter c, int r, int v) {
        long[] f = c.state().fpr;
        f[r] = (f[r] & Operands.LOW) | ((long) v << 32);
    }

    static Bfp bfp(S390Interpreter c) {
        int fpc = c.state().fpc;
        return Bfp.scratch(fpc & 7, fpc);
    }

    /** The rounding method of M3 (specification exception for the invalid values). */
    static Bfp bfp(S390Interpreter c, int m3) {
        int fpc = c.state().fpc;
        int m = Bfp.method(m3, fpc);
        if (m < 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        return Bfp.scratch(m, fpc);
    }

    /** Before the result is stored: enabled invalid operation / division by zero suppress the instruction. */
    static void suppress(S390Interpreter c, Bfp x) {
        if ((x.flags & INVALID) != 0 && x.enabled(INVALID)) {
            throw c.fault().data(0x80);
        }
        if ((x.flags & DIVIDE) != 0 && x.enabled(DIVIDE)) {
            throw c.fault().data(0x40);
        }
    }

    /** After the result is stored: set the flags of disabled exceptions, then interrupt for an enabled one. */
    static void signal(S390Interpreter c, Bfp x) {
        int f = x.flags;
        int dxc = 0;
        if (x.trapScaled) {
            dxc = (f & OVERFLOW) != 0 ? OVERFLOW : UNDERFLOW;
        } else if ((f & INEXACT) != 0 && x.enabled(INEXACT)) {
            dxc = INEXACT;
        }
        if (dxc != 0) {
            if ((f & INEXACT) != 0) {
                dxc |= INEXACT | (x.incremented ? INCREMENTED : 0);
            }
            f &= ~dxc;
        }
        c.state().fpc |= (f & 0xf8) << 16;
        if (dxc != 0) {
            throw c.fault().data(dxc);
        }
    }

    static int ccOf(long d) {
        if (isNaN(d)) {
            return 3;
        }
        if ((d & ~SIGN_D) == 0) {
            return 0;
        }
        return d < 0 ? 1 : 2;
    }

    static int ccOf(int f) {
        return ccOf(widen(f));
    }

    /** Short to long, exact (NaNs keep their payload; the caller handles SNaN). */
    static long widen(int f) {
        if (isNaN(f)) {
            return ((long) (f & SIGN_F) << 32) | 0x7ff0000000000000L | ((long) (f & 0x007fffff) << 29);
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(f));
    }

    // ---- operand access ------------------------------------------------------------------------------------------

    interface LongOp {
        long apply(Bfp x, long a, long b, long c);
    }

    interface IntOp {
        int apply(Bfp x, int a, int b, int c);
    }

    /** Long: R1 ← op(R1, R2 or storage, R3); CC per result if {@code cc}. Three-operand forms are MADB's order. */
    static Semantics longOp(LongOp op, boolean mem, boolean cc) {
        return (c, i) -> {
            allowed(c);
            long[] f = c.state().fpr;
            long b = mem ? c.read(a2(c, i), 8) : f[i.r2];
            Bfp x = bfp(c);
            long r = op.apply(x, f[i.r1], b, f[i.r3]);
            suppress(c, x);
            f[i.r1] = r;
            if (cc) {
                c.setCc(ccOf(r));
            }
            signal(c, x);
        };
    }

    static Semantics shortOp(IntOp op, boolean mem, boolean cc) {
        return (c, i) -> {
            allowed(c);
            int b = mem ? (int) c.read(a2(c, i), 4) : getF(c, i.r2);
            Bfp x = bfp(c);
            int r = op.apply(x, getF(c, i.r1), b, getF(c, i.r3));
            suppress(c, x);
            putF(c, i.r1, r);
            if (cc) {
                c.setCc(ccOf(r));
            }
            signal(c, x);
        };
    }

    // ---- NaN rules -------------------------------------------------------------------------------------------------

    /** The NaN result of operands in priority order: the first SNaN (quieted, invalid), else the first QNaN. */
    static long nanD(Bfp x, long... ops) {
        for (long o : ops) {
            if (isSNaN(o)) {
                x.flags |= INVALID;
                return quiet(o);
            }
        }
        for (long o : ops) {
            if (isNaN(o)) {
                return o;
            }
        }
        throw new IllegalStateException();
    }

    static int nanF(Bfp x, int... ops) {
        for (int o : ops) {
            if (isSNaN(o)) {
                x.flags |= INVALID;
                return quiet(o);
            }
        }
        for (int o : ops) {
            if (isNaN(o)) {
                return o;
            }
        }
        throw new IllegalStateException();
    }

    static long invalidD(Bfp x) {
        x.flags |= INVALID;
        return DNAN_D;
    }

    static int invalidF(Bfp x) {
        x.flags |= INVALID;
        return DNAN_F;
    }

    // ---- arithmetic --------------------------------------------------------------------------------------------------

    /** a op b for ADD (with {@code negate} for SUBTRACT), MUL, DIV on long operands. */
    static long arithD(Bfp x, int op, long a, long b, boolean negate) {
        if (isNaN(a) || isNaN(b)) {
            return nanD(x, a, b);
        }
        if (negate) {
            b ^= SIGN_D;
        }
        double da = Double.longBitsToDouble(a), db = Double.longBitsToDouble(b);
        boolean ia = Double.isInfinite(da), ib = Double.isInfinite(db);
        switch (op) {
            case ADD -> {
                if (ia && ib && ((a ^ b) < 0)) {
                    return invalidD(x);
                }
                if (ia || ib) {
                    return ia ? a : b;
                }
            }
            case MUL -> {
                if ((ia && db == 0) || (ib && da == 0)) {
                    return invalidD(x);
                }
                if (ia || ib) {
                    return 0x7ff0000000000000L | ((a ^ b) & SIGN_D);
                }
            }
            default -> {
                if ((ia && ib) || (da == 0 && db == 0)) {
                    return invalidD(x);
                }
                if (ia) {
                    return 0x7ff0000000000000L | ((a ^ b) & SIGN_D);
                }
                if (ib) {
                    return (a ^ b) & SIGN_D;
                }
                if (db == 0) {
                    x.flags |= DIVIDE;
                    return 0x7ff0000000000000L | ((a ^ b) & SIGN_D);
                }
            }
        }
        return x.roundD(op, da, db, 0);
    }

    static int arithF(Bfp x, int op, int a, int b, boolean negate) {
        if (isNaN(a) || isNaN(b)) {
            return nanF(x, a, b);
        }
        if (negate) {
            b ^= SIGN_F;
        }
        float fa = Float.intBitsToFloat(a), fb = Float.intBitsToFloat(b);
        boolean ia = Float.isInfinite(fa), ib = Float.isInfinite(fb);
        switch (op) {
            case ADD -> {
                if (ia && ib && ((a ^ b) < 0)) {
                    return invalidF(x);
                }
                if (ia || ib) {
                    return ia ? a : b;
                }
                if ((double) fa + fb == 0) {
                    boolean bothMinus = a < 0 && b < 0 && fa == 0;
                    boolean bothPlus = a >= 0 && b >= 0 && fa == 0;
                    return bothMinus || (!bothPlus && x.mode == RM) ? SIGN_F : 0;
                }
            }
            case MUL -> {
                if ((ia && fb == 0) || (ib && fa == 0)) {
                    return invalidF(x);
                }
                if (ia || ib) {
                    return 0x7f800000 | ((a ^ b) & SIGN_F);
                }
            }
            default -> {
                if ((ia && ib) || (fa == 0 && fb == 0)) {
                    return invalidF(x);
                }
                if (ia) {
                    return 0x7f800000 | ((a ^ b) & SIGN_F);
                }
                if (ib) {
                    return (a ^ b) & SIGN_F;
                }
                if (fb == 0) {
                    x.flags |= DIVIDE;
                    return 0x7f800000 | ((a ^ b) & SIGN_F);
                }
            }
        }
        if ((op == MUL || op == DIV) && (fa == 0 || (op == MUL && fb == 0))) {
            return (a ^ b) & SIGN_F;
        }
        return x.roundF(oddF(op, fa, fb, 0));
    }

    /** MULTIPLY AND ADD/SUBTRACT: op3 × op2 ± op1 (R1 is the addend and the target). */
    static long fmaD(Bfp x, long a1, long a2, long a3, boolean sub) {
        if (isNaN(a1) || isNaN(a2) || isNaN(a3)) {
            return nanD(x, a2, a3, a1);
        }
        if (sub) {
            a1 ^= SIGN_D;
        }
        double d1 = Double.longBitsToDouble(a1), d2 = Double.longBitsToDouble(a2), d3 = Double.longBitsToDouble(a3);
        boolean i2 = Double.isInfinite(d2), i3 = Double.isInfinite(d3), i1 = Double.isInfinite(d1);
        if ((i2 && d3 == 0) || (i3 && d2 == 0)) {
            return invalidD(x);
        }
        if (i2 || i3) {
            long p = 0x7ff0000000000000L | ((a2 ^ a3) & SIGN_D);
            if (i1 && ((p ^ a1) < 0)) {
                return invalidD(x);
            }
            return p;
        }
        if (i1) {
            return a1;
        }
        // Exact product and sum, rounded once (overflow and tininess of a fused result need the exact value).
        return BfpExact.round(x, BfpExact.LONG,
                BfpExact.add(BfpExact.mul(BfpExact.lng(a3), BfpExact.lng(a2)), BfpExact.lng(a1), x.mode))[0];
    }

    static int fmaF(Bfp x, int a1, int a2, int a3, boolean sub) {
        if (isNaN(a1) || isNaN(a2) || isNaN(a3)) {
            return nanF(x, a2, a3, a1);
        }
        if (sub) {
            a1 ^= SIGN_F;
        }
        float d1 = Float.intBitsToFloat(a1), d2 = Float.intBitsToFloat(a2), d3 = Float.intBitsToFloat(a3);
        boolean i2 = Float.isInfinite(d2), i3 = Float.isInfinite(d3), i1 = Float.isInfinite(d1);
        if ((i2 && d3 == 0) || (i3 && d2 == 0)) {
            return invalidF(x);
        }
        if (i2 || i3) {
            int p = 0x7f800000 | ((a2 ^ a3) & SIGN_F);
            if (i1 && ((p ^ a1) < 0)) {
                return invalidF(x);
            }
            return p;
        }
        if (i1) {
            return a1;
        }
        double p = (double) d3 * d2;
        if (p + d1 == 0 && (double) d1 == -p) {
            boolean plus = (Double.doubleToRawLongBits(p) | a1) >= 0;
            boolean minus = Double.doubleToRawLongBits(p) < 0 && a1 < 0;
            return minus || (!plus && x.mode == RM) ? SIGN_F : 0;
        }
        return x.roundF(oddF(FMA, d3, d2, d1));
    }

    static long sqrtD(Bfp x, long a) {
        if (isNaN(a)) {
            return nanD(x, a);
        }
        double d = Double.longBitsToDouble(a);
        if (d == 0 || d == Double.POSITIVE_INFINITY) {
            return a;
        }
        if (d < 0) {
            return invalidD(x);
        }
        return x.roundD(SQRT, d, 0, 0);
    }

    static int sqrtF(Bfp x, int a) {
        if (isNaN(a)) {
            return nanF(x, a);
        }
        float d = Float.intBitsToFloat(a);
        if (d == 0 || d == Float.POSITIVE_INFINITY) {
            return a;
        }
        if (d < 0) {
            return invalidF(x);
        }
        return x.roundF(oddF(SQRT, d, 0, 0));
    }

    // ---- compare ----------------------------------------------------------------------------------------------------

    static Semantics compare(boolean wide, boolean mem, boolean signaling) {
        return (c, i) -> {
            allowed(c);
            long a, b;
            boolean snan;
            if (wide) {
                a = c.state().fpr[i.r1];
                b = mem ? c.read(a2(c, i), 8) : c.state().fpr[i.r2];
                snan = isSNaN(a) || isSNaN(b);
            } else {
                int fa = getF(c, i.r1);
                int fb = mem ? (int) c.read(a2(c, i), 4) : getF(c, i.r2);
                snan = isSNaN(fa) || isSNaN(fb);
                a = widen(fa);
                b = widen(fb);
            }
            Bfp x = bfp(c);
            int cc;
            if (isNaN(a) || isNaN(b)) {
                if (signaling || snan) {
                    x.flags |= INVALID;
                }
                cc = 3;
            } else {
                double da = Double.longBitsToDouble(a), db = Double.longBitsToDouble(b);
                cc = da == db ? 0 : da < db ? 1 : 2;
            }
            suppress(c, x);
            c.setCc(cc);
            signal(c, x);
        };
    }

    // ---- loads ---------------------------------------------------------------------------------------------------------

    /** LOAD AND TEST / COMPLEMENT / NEGATIVE / POSITIVE: kind 0 test, 1 complement, 2 negative, 3 positive. */
    static Semantics load(boolean wide, int kind) {
        return (c, i) -> {
            allowed(c);
            Bfp x = bfp(c);
            if (wide) {
                long v = c.state().fpr[i.r2];
                long r = switch (kind) {
                    case 0 -> isSNaN(v) ? nanD(x, v) : v;
                    case 1 -> v ^ SIGN_D;
                    case 2 -> v | SIGN_D;
                    default -> v & ~SIGN_D;
                };
                suppress(c, x);
                c.state().fpr[i.r1] = r;
                c.setCc(ccOf(r));
            } else {
                int v = getF(c, i.r2);
                int r = switch (kind) {
                    case 0 -> isSNaN(v) ? nanF(x, v) : v;
                    case 1 -> v ^ SIGN_F;
                    case 2 -> v | SIGN_F;
                    default -> v & ~SIGN_F;
                };
                suppress(c, x);
                putF(c, i.r1, r);
                c.setCc(ccOf(r));
            }
            signal(c, x);
        };
    }

    /** LOAD LENGTHENED short → long. */
    static Semantics lengthen(boolean mem) {
        return (c, i) -> {
            allowed(c);
            int v = mem ? (int) c.read(a2(c, i), 4) : getF(c, i.r2);
            Bfp x = bfp(c);
            long r = widen(isSNaN(v) ? nanF(x, v) : v);
            suppress(c, x);
            c.state().fpr[i.r1] = r;
            signal(c, x);
        };
    }

    /** LOAD ROUNDED long → short with M3 rounding method and M4 inexact suppression (LEDBR/LEDBRA). */
    static final Semantics ROUND = (c, i) -> {
        allowed(c);
        long v = c.state().fpr[i.r2];
        Bfp x = bfp(c, i.m3);
        int r;
        if (isNaN(v)) {
            long q = nanD(x, v);
            r = (int) ((q >>> 32) & SIGN_F) | 0x7f800000 | (int) ((q >>> 29) & 0x007fffff);
        } else {
            double d = Double.longBitsToDouble(v);
            r = Double.isInfinite(d) || d == 0 ? (int) ((v >>> 32) & SIGN_F) | (Double.isInfinite(d) ? 0x7f800000 : 0)
                    : x.roundF(d);
        }
        xxc(x, i.m4);
        suppress(c, x);
        putF(c, i.r1, r);
        signal(c, x);
    };

    /** M4 bit 1 suppresses the inexact exception (flag and trap). */
    static void xxc(Bfp x, int m4) {
        if ((m4 & XXC) != 0 && !x.trapScaled) {
            x.flags &= ~INEXACT;
        }
    }

    /** LOAD FP INTEGER (FIEBR(A), FIDBR(A)). */
    static Semantics integer(boolean wide) {
        return (c, i) -> {
            allowed(c);
            Bfp x = bfp(c, i.m3);
            if (wide) {
                long v = c.state().fpr[i.r2];
                double d = Double.longBitsToDouble(v);
                long r;
                if (isNaN(v)) {
                    r = nanD(x, v);
                } else if (Double.isInfinite(d) || d == 0 || Math.abs(d) >= 0x1p52) {
                    r = v;
                } else {
                    double n = x.toInteger(new BigDecimal(d), x.mode).doubleValue();
                    r = Double.doubleToRawLongBits(n) | (v & SIGN_D);
                }
                xxc(x, i.m4);
                suppress(c, x);
                c.state().fpr[i.r1] = r;
            } else {
                int v = getF(c, i.r2);
                float d = Float.intBitsToFloat(v);
                int r;
                if (isNaN(v)) {
                    r = nanF(x, v);
                } else if (Float.isInfinite(d) || d == 0 || Math.abs(d) >= 0x1p23f) {
                    r = v;
                } else {
                    float n = x.toInteger(new BigDecimal(d), x.mode).floatValue();
                    r = Float.floatToRawIntBits(n) | (v & SIGN_F);
                }
                xxc(x, i.m4);
                suppress(c, x);
                putF(c, i.r1, r);
            }
            signal(c, x);
        };
    }

    /** TEST DATA CLASS: CC 1 if the class of the operand is selected by the 12-bit mask in the address. */
    static Semantics testClass(boolean wide) {
        return (c, i) -> {
            allowed(c);
            long mask = a2(c, i) & 0xfff;
            long v = wide ? c.state().fpr[i.r1] : widen(getF(c, i.r1));
            boolean snan = wide ? isSNaN(v) : isSNaN(getF(c, i.r1));
            double d = Double.longBitsToDouble(v);
            int neg = v < 0 ? 1 : 0;
            double min = wide ? Double.MIN_NORMAL : Float.MIN_NORMAL;
            int bit; // IBM bit number 52..63
            if (isNaN(v)) {
                bit = snan ? 62 : 60;
            } else if (Double.isInfinite(d)) {
                bit = 58;
            } else if (d == 0) {
                bit = 52;
            } else if (Math.abs(d) < min) {
                bit = 56;
            } else {
                bit = 54;
            }
            bit += neg;
            c.setCc((mask >>> (63 - bit) & 1) != 0 ? 1 : 0);
        };
    }

    // ---- conversions -----------------------------------------------------------------------------------------------

    /** CONVERT FROM FIXED / LOGICAL: R2 (32 or 64 bits, signed or unsigned) → short or long. */
    static Semantics fromFixed(boolean wideResult, int bits, boolean logical) {
        return (c, i) -> {
            allowed(c);
            long g = c.state().gpr[i.r2];
            BigDecimal v;
            if (bits == 32) {
                v = BigDecimal.valueOf(logical ? g & Operands.LOW : (int) g);
            } else {
                v = logical && g < 0 ? new BigDecimal(new BigInteger(Long.toUnsignedString(g))) : BigDecimal.valueOf(g);
            }
            Bfp x = bfp(c, i.m3);
            if (wideResult) {
                c.state().fpr[i.r1] = x.fromExactD(v);
            } else {
                putF(c, i.r1, x.fromExactF(v));
            }
            xxc(x, i.m4);
            signal(c, x);
        };
    }

    /** CONVERT TO FIXED / LOGICAL: short or long R2 → R1 (32 or 64 bits), rounded per M3; CC by the source. */
    static Semantics toFixed(boolean wideSource, int bits, boolean logical) {
        return (c, i) -> {
            allowed(c);
            Bfp x = bfp(c, i.m3);
            long v;
            boolean nan;
            double d;
            if (wideSource) {
                v = c.state().fpr[i.r2];
                nan = isNaN(v);
                d = Double.longBitsToDouble(v);
            } else {
                int f = getF(c, i.r2);
                nan = isNaN(f);
                d = Float.intBitsToFloat(f);
                v = Double.doubleToRawLongBits(d);
            }
            BigInteger min = logical ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = logical ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            long r;
            int cc;
            if (nan || Double.isInfinite(d)) {
                // A NaN is invalid; an infinity is also inexact, like any out-of-range value.
                x.flags |= nan ? INVALID : INVALID | INEXACT;
                r = (nan || v < 0 ? min : max).longValue();
                cc = 3;
            } else {
                BigInteger n = x.toInteger(new BigDecimal(d), x.mode);
                if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
                    // The out-of-range result is also inexact (PoP "CONVERT TO FIXED", invalid operation).
                    x.flags = INVALID | INEXACT;
                    x.incremented = false;
                    r = (n.signum() < 0 ? min : max).longValue();
                    cc = 3;
                } else {
                    r = n.longValue();
                    cc = d == 0 ? 0 : d < 0 ? 1 : 2;
                }
            }
            xxc(x, i.m4);
            suppress(c, x);
            if (bits == 32) {
                Operands.setLow(c, i.r1, r);
            } else {
                c.state().gpr[i.r1] = r;
            }
            c.setCc(cc);
            signal(c, x);
        };
    }

    // ---- registration ------------------------------------------------------------------------------------------------

    static void register(S390Semantics.Registry r) {
        String[][] arith = {{"A", "ADD"}, {"S", "SUB"}, {"M", "MUL"}, {"D", "DIV"}};
        for (String[] a : arith) {
            int op = switch (a[1]) {
                case "MUL" -> MUL;
                case "DIV" -> DIV;
                default -> ADD;
            };
            boolean neg = a[1].equals("SUB");
            boolean cc = op == ADD;
            String e = a[0].equals("M") ? "MEE" : a[0] + "E";
            String d = a[0] + "D";
            r.def(e + "BR", shortOp((x, p, q, s) -> arithF(x, op, p, q, neg), false, cc));
            r.def(e + "B", shortOp((x, p, q, s) -> arithF(x, op, p, q, neg), true, cc));
            r.def(d + "BR", longOp((x, p, q, s) -> arithD(x, op, p, q, neg), false, cc));
            r.def(d + "B", longOp((x, p, q, s) -> arithD(x, op, p, q, neg), true, cc));
        }
        for (boolean sub : new boolean[] {false, true}) {
            String m = sub ? "MS" : "MA";
            r.def(m + "EBR", shortOp((x, p, q, s) -> fmaF(x, p, q, s, sub), false, false));
            r.def(m + "EB", shortOp((x, p, q, s) -> fmaF(x, p, q, s, sub), true, false));
            r.def(m + "DBR", longOp((x, p, q, s) -> fmaD(x, p, q, s, sub), false, false));
            r.def(m + "DB", longOp((x, p, q, s) -> fmaD(x, p, q, s, sub), true, false));
        }
        r.def("SQEBR", shortOp((x, p, q, s) -> sqrtF(x, q), false, false));
        r.def("SQEB", shortOp((x, p, q, s) -> sqrtF(x, q), true, false));
        r.def("SQDBR", longOp((x, p, q, s) -> sqrtD(x, q), false, false));
        r.def("SQDB", longOp((x, p, q, s) -> sqrtD(x, q), true, false));
        r.def("CEBR", compare(false, false, false));
        r.def("CEB", compare(false, true, false));
        r.def("CDBR", compare(true, false, false));
        r.def("CDB", compare(true, true, false));
        r.def("KEBR", compare(false, false, true));
        r.def("KEB", compare(false, true, true));
        r.def("KDBR", compare(true, false, true));
        r.def("KDB", compare(true, true, true));
        String[] kinds = {"LT", "LC", "LN", "LP"};
        for (int k = 0; k < 4; k++) {
            r.def(kinds[k] + "EBR", load(false, k));
            r.def(kinds[k] + "DBR", load(true, k));
        }
        r.def("LDEBR", lengthen(false));
        r.def("LDEB", lengthen(true));
        r.def("LEDBR", ROUND);
        r.def("FIEBR", integer(false));
        r.def("FIDBR", integer(true));
        r.def("TCEB", testClass(false));
        r.def("TCDB", testClass(true));
        r.def("CEFBR", fromFixed(false, 32, false));
        r.def("CDFBR", fromFixed(true, 32, false));
        r.def("CEGBR", fromFixed(false, 64, false));
        r.def("CDGBR", fromFixed(true, 64, false));
        r.def("CELFBR", fromFixed(false, 32, true));
        r.def("CDLFBR", fromFixed(true, 32, true));
        r.def("CELGBR", fromFixed(false, 64, true));
        r.def("CDLGBR", fromFixed(true, 64, true));
        r.def("CFEBR", toFixed(false, 32, false));
        r.def("CFDBR", toFixed(true, 32, false));
        r.def("CGEBR", toFixed(false, 64, false));
        r.def("CGDBR", toFixed(true, 64, false));
        r.def("CLFEBR", toFixed(false, 32, true));
        r.def("CLFDBR", toFixed(true, 32, true));
        r.def("CLGEBR", toFixed(false, 64, true));
        r.def("CLGDBR", toFixed(true, 64, true));
    }
}
