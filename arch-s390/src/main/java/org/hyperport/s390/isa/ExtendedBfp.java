package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Bfp.*;
import static org.hyperport.s390.isa.BfpExact.*;
import static org.hyperport.s390.isa.BinaryFloatingPoint.allowed;
import static org.hyperport.s390.isa.BinaryFloatingPoint.bfp;
import static org.hyperport.s390.isa.BinaryFloatingPoint.getF;
import static org.hyperport.s390.isa.BinaryFloatingPoint.putF;
import static org.hyperport.s390.isa.BinaryFloatingPoint.signal;
import static org.hyperport.s390.isa.BinaryFloatingPoint.suppress;
import static org.hyperport.s390.isa.BinaryFloatingPoint.xxc;
import static org.hyperport.s390.isa.Operands.a2;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 19, the extended (128-bit) format: an operand is the FPR pair r, r+2 (high doubleword in r). Computed
 * exactly ({@link BfpExact}) and rounded once.
 */
final class ExtendedBfp {

    private ExtendedBfp() {
    }

    static long[] get(S390Interpreter c, int r) {
        int p = FloatingPointSupport.pair(c, r);
        return new long[] {c.state().fpr[p], c.state().fpr[p + 2]};
    }

    static void put(S390Interpreter c, int r, long[] v) {
        int p = FloatingPointSupport.pair(c, r);
        c.state().fpr[p] = v[0];
        c.state().fpr[p + 2] = v[1];
    }

    static boolean nan(long[] v) {
        return extNaN(v[0], v[1]);
    }

    static boolean inf(long[] v) {
        return extInf(v[0], v[1]);
    }

    static boolean zero(long[] v) {
        return extZero(v[0], v[1]);
    }

    static int cc(long[] v) {
        return nan(v) ? 3 : zero(v) ? 0 : v[0] < 0 ? 1 : 2;
    }

    static long[] nanOf(Bfp x, long[]... ops) {
        for (long[] o : ops) {
            if (extSNaN(o[0], o[1])) {
                x.flags |= INVALID;
                return new long[] {o[0] | EXT_QUIET, o[1]};
            }
        }
        for (long[] o : ops) {
            if (nan(o)) {
                return o;
            }
        }
        throw new IllegalStateException();
    }

    static long[] invalid(Bfp x) {
        x.flags |= INVALID;
        return EXT_DNAN.clone();
    }

    static long[] inf(boolean neg) {
        return encodeInf(EXT, neg);
    }

    static long[] arith(Bfp x, int op, long[] a, long[] b, boolean negate) {
        if (nan(a) || nan(b)) {
            return nanOf(x, a, b);
        }
        if (negate) {
            b = new long[] {b[0] ^ Long.MIN_VALUE, b[1]};
        }
        boolean ia = inf(a), ib = inf(b), za = zero(a), zb = zero(b);
        boolean sx = (a[0] ^ b[0]) < 0;
        switch (op) {
            case ADD -> {
                if (ia && ib && sx) {
                    return invalid(x);
                }
                if (ia || ib) {
                    return ia ? a : b;
                }
                return BfpExact.round(x, EXT, BfpExact.add(ext(a[0], a[1]), ext(b[0], b[1]), x.mode));
            }
            case MUL -> {
                if ((ia && zb) || (ib && za)) {
                    return invalid(x);
                }
                if (ia || ib) {
                    return inf(sx);
                }
                return BfpExact.round(x, EXT, BfpExact.mul(ext(a[0], a[1]), ext(b[0], b[1])));
            }
            default -> {
                if ((ia && ib) || (za && zb)) {
                    return invalid(x);
                }
                if (ia) {
                    return inf(sx);
                }
                if (ib) {
                    return new long[] {sx ? Long.MIN_VALUE : 0, 0};
                }
                if (zb) {
                    x.flags |= DIVIDE;
                    return inf(sx);
                }
                return BfpExact.round(x, EXT, BfpExact.div(ext(a[0], a[1]), ext(b[0], b[1])));
            }
        }
    }

    static Semantics binary(int op, boolean negate) {
        return (c, i) -> {
            allowed(c);
            long[] a = get(c, i.r1), b = get(c, i.r2);
            Bfp x = bfp(c);
            long[] r = arith(x, op, a, b, negate);
            suppress(c, x);
            put(c, i.r1, r);
            if (op == ADD) {
                c.setCc(cc(r));
            }
            signal(c, x);
        };
    }

    static final Semantics SQRT_X = (c, i) -> {
        allowed(c);
        long[] a = get(c, i.r2);
        Bfp x = bfp(c);
        long[] r;
        if (nan(a)) {
            r = nanOf(x, a);
        } else if (zero(a) || (inf(a) && a[0] >= 0)) {
            r = a;
        } else if (a[0] < 0) {
            r = invalid(x);
        } else {
            r = BfpExact.round(x, EXT, BfpExact.sqrt(ext(a[0], a[1])));
        }
        suppress(c, x);
        put(c, i.r1, r);
        signal(c, x);
    };

    static int compareFinite(Val a, Val b) {
        int e = Math.min(a.exp(), b.exp());
        BigInteger x = a.mag().shiftLeft(a.exp() - e), y = b.mag().shiftLeft(b.exp() - e);
        return (a.neg() ? x.negate() : x).compareTo(b.neg() ? y.negate() : y);
    }

    static Semantics compare(boolean signaling) {
        return (c, i) -> {
            allowed(c);
            long[] a = get(c, i.r1), b = get(c, i.r2);
            Bfp x = bfp(c);
            int cc;
            if (nan(a) || nan(b)) {
                if (signaling || extSNaN(a[0], a[1]) || extSNaN(b[0], b[1])) {
                    x.flags |= INVALID;
                }
                cc = 3;
            } else if (inf(a) || inf(b)) {
                int sa = inf(a) ? (a[0] < 0 ? -1 : 1) : 0, sb = inf(b) ? (b[0] < 0 ? -1 : 1) : 0;
                cc = sa == sb ? 0 : sa < sb ? 1 : 2;
            } else {
                int r = compareFinite(ext(a[0], a[1]), ext(b[0], b[1]));
                cc = r == 0 ? 0 : r < 0 ? 1 : 2;
            }
            suppress(c, x);
            c.setCc(cc);
            signal(c, x);
        };
    }

    static Semantics load(int kind) {
        return (c, i) -> {
            allowed(c);
            long[] v = get(c, i.r2);
            Bfp x = bfp(c);
            long[] r = switch (kind) {
                case 0 -> extSNaN(v[0], v[1]) ? nanOf(x, v) : v;
                case 1 -> new long[] {v[0] ^ Long.MIN_VALUE, v[1]};
                case 2 -> new long[] {v[0] | Long.MIN_VALUE, v[1]};
                default -> new long[] {v[0] & Long.MAX_VALUE, v[1]};
            };
            suppress(c, x);
            put(c, i.r1, r);
            c.setCc(cc(r));
            signal(c, x);
        };
    }

    /** Long image → extended (exact). */
    static long[] fromLong(Bfp x, long d) {
        if (Bfp.isNaN(d)) {
            long q = isSNaN(d) ? BinaryFloatingPoint.nanD(x, d) : d;
            long f = q & 0xfffffffffffffL;
            return new long[] {(q & Long.MIN_VALUE) | 0x7fff000000000000L | (f >>> 4), f << 60};
        }
        if ((d & 0x7ff0000000000000L) == 0x7ff0000000000000L) {
            return inf(d < 0);
        }
        return BfpExact.round(x, EXT, lng(d));
    }

    static long[] fromShort(Bfp x, int s) {
        if (Bfp.isNaN(s)) {
            int q = isSNaN(s) ? BinaryFloatingPoint.nanF(x, s) : s;
            long f = q & 0x7fffffL;
            return new long[] {((long) q & 0x80000000L) << 32 | 0x7fff000000000000L | (f << 25), 0};
        }
        if ((s & 0x7f800000) == 0x7f800000) {
            return inf(s < 0);
        }
        return BfpExact.round(x, EXT, shrt(s));
    }

    static Semantics lengthen(boolean fromLong, boolean mem) {
        return (c, i) -> {
            allowed(c);
            Bfp x = bfp(c);
            long[] r;
            if (fromLong) {
                r = fromLong(x, mem ? c.read(a2(c, i), 8) : c.state().fpr[i.r2]);
            } else {
                r = fromShort(x, mem ? (int) c.read(a2(c, i), 4) : getF(c, i.r2));
            }
            suppress(c, x);
            put(c, i.r1, r);
            signal(c, x);
        };
    }

    /** LOAD ROUNDED extended → long or short, M3 method, M4 inexact control (LDXBR(A), LEXBR(A)). */
    static Semantics loadRounded(boolean toLong) {
        return (c, i) -> {
            allowed(c);
            FloatingPointSupport.pair(c, i.r1);         // R1 designates a pair; the result is its left register
            long[] v = get(c, i.r2);
            Bfp x = BinaryFloatingPoint.bfp(c, i.m3);
            long r;
            boolean neg = v[0] < 0;
            if (nan(v)) {
                long[] q = nanOf(x, v);
                long f48 = q[0] & 0xffffffffffffL;
                r = toLong ? (q[0] & Long.MIN_VALUE) | 0x7ff0000000000000L | (f48 << 4) | (q[1] >>> 60)
                        : (neg ? 0x80000000L : 0) | 0x7f800000L | (f48 >>> 25);
            } else if (inf(v)) {
                r = encodeInf(toLong ? LONG : SHORT, neg)[0];
            } else {
                r = BfpExact.round(x, toLong ? LONG : SHORT, ext(v[0], v[1]))[0];
            }
            xxc(x, i.m4);
            suppress(c, x);
            if (toLong) {
                c.state().fpr[i.r1] = r;
            } else {
                putF(c, i.r1, (int) r);
            }
            signal(c, x);
        };
    }

    /** Exact decimal value of a finite extended operand. */
    static BigDecimal decimal(Val v) {
        BigDecimal d = v.exp() >= 0 ? new BigDecimal(v.mag().shiftLeft(v.exp()))
                : new BigDecimal(v.mag().multiply(BigInteger.valueOf(5).pow(-v.exp())), -v.exp());
        return v.neg() ? d.negate() : d;
    }

    static final Semantics INTEGER = (c, i) -> {
        allowed(c);
        long[] v = get(c, i.r2);
        Bfp x = BinaryFloatingPoint.bfp(c, i.m3);
        long[] r;
        if (nan(v)) {
            r = nanOf(x, v);
        } else if (inf(v) || zero(v) || expField(v[0]) - 16383 >= 112) {
            r = v;
        } else {
            BigInteger n = x.toInteger(decimal(ext(v[0], v[1])), x.mode);
            Bfp exact = new Bfp(RNE, 0);
            r = BfpExact.round(exact, EXT, new Val(v[0] < 0, n.abs(), 0, false));
        }
        xxc(x, i.m4);
        suppress(c, x);
        put(c, i.r1, r);
        signal(c, x);
    };

    static Semantics fromFixed(int bits, boolean logical) {
        return (c, i) -> {
            allowed(c);
            long g = c.state().gpr[i.r2];
            BigInteger v = bits == 32 ? BigInteger.valueOf(logical ? g & Operands.LOW : (int) g)
                    : logical ? new BigInteger(Long.toUnsignedString(g)) : BigInteger.valueOf(g);
            Bfp x = BinaryFloatingPoint.bfp(c, i.m3);
            long[] r = BfpExact.round(x, EXT, new Val(v.signum() < 0, v.abs(), 0, false));
            put(c, i.r1, r);
            xxc(x, i.m4);
            signal(c, x);
        };
    }

    static Semantics toFixed(int bits, boolean logical) {
        return (c, i) -> {
            allowed(c);
            long[] v = get(c, i.r2);
            Bfp x = BinaryFloatingPoint.bfp(c, i.m3);
            BigInteger min = logical ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = logical ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            long r;
            int cc;
            if (nan(v) || inf(v)) {
                x.flags |= nan(v) ? INVALID : INVALID | INEXACT;
                r = (nan(v) || v[0] < 0 ? min : max).longValue();
                cc = 3;
            } else if (expField(v[0]) - 16383 > 70) {
                x.flags |= INVALID | INEXACT;
                r = (v[0] < 0 ? min : max).longValue();
                cc = 3;
            } else {
                BigInteger n = x.toInteger(decimal(ext(v[0], v[1])), x.mode);
                if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
                    x.flags = INVALID | INEXACT;
                    x.incremented = false;
                    r = (n.signum() < 0 ? min : max).longValue();
                    cc = 3;
                } else {
                    r = n.longValue();
                    cc = zero(v) ? 0 : v[0] < 0 ? 1 : 2;
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

    static final Semantics TEST_CLASS = (c, i) -> {
        allowed(c);
        long mask = a2(c, i) & 0xfff;
        long[] v = get(c, i.r1);
        int bit;
        if (nan(v)) {
            bit = extSNaN(v[0], v[1]) ? 62 : 60;
        } else if (inf(v)) {
            bit = 58;
        } else if (zero(v)) {
            bit = 52;
        } else if (expField(v[0]) == 0) {
            bit = 56;
        } else {
            bit = 54;
        }
        bit += v[0] < 0 ? 1 : 0;
        c.setCc((mask >>> (63 - bit) & 1) != 0 ? 1 : 0);
    };

    /** MULTIPLY long × long → extended (MXDBR, MXDB): the first operand is the long value in R1. */
    static Semantics multiplyLong(boolean mem) {
        return (c, i) -> {
            allowed(c);
            FloatingPointSupport.pair(c, i.r1);
            long a = c.state().fpr[i.r1];
            long b = mem ? c.read(a2(c, i), 8) : c.state().fpr[i.r2];
            Bfp x = bfp(c);
            long[] r = Bfp.isNaN(a) || Bfp.isNaN(b) ? fromLong(x, BinaryFloatingPoint.nanD(x, a, b))
                    : arith(x, MUL, fromLong(x, a), fromLong(x, b), false);
            suppress(c, x);
            put(c, i.r1, r);
            signal(c, x);
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("AXBR", binary(ADD, false));
        r.def("SXBR", binary(ADD, true));
        r.def("MXBR", binary(MUL, false));
        r.def("DXBR", binary(DIV, false));
        r.def("SQXBR", SQRT_X);
        r.def("CXBR", compare(false));
        r.def("KXBR", compare(true));
        r.def("LTXBR", load(0));
        r.def("LCXBR", load(1));
        r.def("LNXBR", load(2));
        r.def("LPXBR", load(3));
        r.def("LXDBR", lengthen(true, false));
        r.def("LXDB", lengthen(true, true));
        r.def("LXEBR", lengthen(false, false));
        r.def("LXEB", lengthen(false, true));
        r.def("LDXBR", loadRounded(true));
        r.def("LEXBR", loadRounded(false));
        r.def("FIXBR", INTEGER);
        r.def("TCXB", TEST_CLASS);
        r.def("MXDBR", multiplyLong(false));
        r.def("MXDB", multiplyLong(true));
        r.def("CXFBR", fromFixed(32, false));
        r.def("CXGBR", fromFixed(64, false));
        r.def("CXLFBR", fromFixed(32, true));
        r.def("CXLGBR", fromFixed(64, true));
        r.def("CFXBR", toFixed(32, false));
        r.def("CGXBR", toFixed(64, false));
        r.def("CLFXBR", toFixed(32, true));
        r.def("CLGXBR", toFixed(64, true));
    }
}
