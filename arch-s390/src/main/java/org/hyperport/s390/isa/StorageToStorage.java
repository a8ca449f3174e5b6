package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 storage-to-storage and string instructions: MOVE (character, inverse, numerics, zones, with offset,
 * long, long extended, string), COMPARE LOGICAL (character, long, long extended, string), AND/OR/XOR (character),
 * TRANSLATE (and test, reverse, extended), SEARCH STRING and CHECKSUM. Operands are processed a byte at a time
 * left to right, so overlapping operands behave as the manual describes; both operands are probed first so that
 * an access exception changes nothing. The interruptible instructions complete in one execution.
 */
final class StorageToStorage {

    private StorageToStorage() {
    }

    private static final int FETCH = S390Interpreter.FETCH, STORE = S390Interpreter.STORE;

    /**
     * The CPU-determined amount the CC-3-ending instructions (MVCLE, CLCLE, MVST, CLST, SRST, TRE, CKSM) process
     * in one execution before they end with CC 3 and the program branches back: one page.
     */
    static final long UNIT = 4096;

    private static long a2s(S390Interpreter c, Insn i) {
        return c.address(0, i.b2, i.d2);
    }

    /** NC (0), OC (1), XC (2): CC 0 if the result is all zero. */
    static Semantics logicalCharacter(int kind) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            c.probe(a2, n, FETCH);
            c.probe(a1, n, STORE);
            int any = 0;
            for (int k = 0; k < n; k++) {
                long d = c.wrap(a1 + k);
                long x = c.read(d, 1);
                long y = c.read(c.wrap(a2 + k), 1);
                long v = switch (kind) {
                    case 0 -> x & y;
                    case 1 -> x | y;
                    default -> x ^ y;
                };
                c.write(d, 1, v);
                any |= (int) v;
            }
            c.setCc(any != 0 ? 1 : 0);
        };
    }

    /** Byte-wise move with a per-byte combination: 0 MVC, 1 MVN (numerics), 2 MVZ (zones). */
    private static Semantics move(int kind) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            c.probe(a2, n, FETCH);
            c.probe(a1, n, STORE);
            for (int k = 0; k < n; k++) {
                long d = c.wrap(a1 + k);
                long s = c.read(c.wrap(a2 + k), 1);
                long v = switch (kind) {
                    case 0 -> s;
                    case 1 -> (c.read(d, 1) & 0xf0) | (s & 0x0f);
                    default -> (c.read(d, 1) & 0x0f) | (s & 0xf0);
                };
                c.write(d, 1, v);
            }
        };
    }

    /** Places an address into a register as the addressing mode says (bits 0-31 kept in 24/31-bit mode). */
    private static void setAddr(S390Interpreter c, int r, long a) {
        c.state().gpr[r] = Arithmetic.setAddress(c, r, a);
    }

    /** A length from an odd register: bits 40-63 (MVCL/CLCL), or 32-63 / 0-63 by mode (MVCLE/CLCLE). */
    private static long extLength(S390Interpreter c, int r) {
        long v = c.state().gpr[r];
        return c.state().addressingMode() == 64 ? v : v & LOW;
    }

    private static void setExtLength(S390Interpreter c, int r, long len) {
        if (c.state().addressingMode() == 64) {
            c.state().gpr[r] = len;
        } else {
            setLow(c, r, len);
        }
    }

    /**
     * MOVE LONG: operands and lengths in the R1 and R2 pairs, pad in bits 32-39 of R2+1. CC by length comparison,
     * 3 for destructive overlap (nothing moved).
     */
    private static final Semantics MVCL = (c, i) -> {
        evenPair(c, i.r1);
        evenPair(c, i.r2);
        long[] g = c.state().gpr;
        long d = c.wrap(g[i.r1]);
        long len1 = g[i.r1 + 1] & 0xffffffL;
        long s = c.wrap(g[i.r2]);
        long len2 = g[i.r2 + 1] & 0xffffffL;
        int pad = (int) (g[i.r2 + 1] >>> 24) & 0xff;
        int cc = len1 == len2 ? 0 : len1 < len2 ? 1 : 2;
        long moved = Math.min(len1, len2);
        if (moved > 0 && destructiveOverlap(c, d, s, moved)) {
            c.setCc(3);
            return;
        }
        c.probe(s, moved, FETCH);
        c.probe(d, len1, STORE);
        for (long k = 0; k < len1; k++) {
            long v = k < len2 ? c.read(c.wrap(s + k), 1) : pad;
            c.write(c.wrap(d + k), 1, v);
        }
        setAddr(c, i.r1, c.wrap(d + len1));
        g[i.r1 + 1] &= ~0xffffffL;
        setAddr(c, i.r2, c.wrap(s + moved));
        g[i.r2 + 1] = (g[i.r2 + 1] & ~0xffffffL) | (len2 - moved);
        c.setCc(cc);
    };

    /** Destructive overlap: the destination starts inside the source bytes still to be fetched. */
    private static boolean destructiveOverlap(S390Interpreter c, long d, long s, long n) {
        long off = c.wrap(d - s);
        return off != 0 && Long.compareUnsigned(off, n) < 0;
    }

    /**
     * MOVE LONG EXTENDED ({@code unit} 1) and MOVE LONG UNICODE ({@code unit} 2): MVCLU moves two-byte units, takes
     * its pad character from bits 48-63 of the second-operand address, and an odd length is a specification
     * exception.
     */
    private static Semantics moveLongExtended(int unit) {
        return (c, i) -> {
            evenPair(c, i.r1);
            evenPair(c, i.r3);
            long[] g = c.state().gpr;
            int pad = (int) a2s(c, i) & (unit == 1 ? 0xff : 0xffff);
            long d = c.wrap(g[i.r1]);
            long len1 = extLength(c, i.r1 + 1);
            long s = c.wrap(g[i.r3]);
            long len2 = extLength(c, i.r3 + 1);
            if (unit == 2 && ((len1 | len2) & 1) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int cc = len1 == len2 ? 0 : Long.compareUnsigned(len1, len2) < 0 ? 1 : 2;
            long n1 = Long.compareUnsigned(len1, UNIT) > 0 ? UNIT : len1;
            long moved = Long.compareUnsigned(n1, len2) < 0 ? n1 : len2;
            c.probe(s, moved, FETCH);
            c.probe(d, n1, STORE);
            for (long k = 0; k < n1; k += unit) {
                long v = k < moved ? c.read(c.wrap(s + k), unit) : pad;
                c.write(c.wrap(d + k), unit, v);
            }
            setAddr(c, i.r1, c.wrap(d + n1));
            setExtLength(c, i.r1 + 1, len1 - n1);
            setAddr(c, i.r3, c.wrap(s + moved));
            setExtLength(c, i.r3 + 1, len2 - moved);
            c.setCc(len1 != n1 ? 3 : cc);
        };
    }

    /** COMPARE LOGICAL LONG UNICODE: CLCLE in two-byte units with a two-byte pad. */
    private static final Semantics CLCLU = (c, i) -> {
        evenPair(c, i.r1);
        evenPair(c, i.r3);
        long[] g = c.state().gpr;
        long a = c.wrap(g[i.r1]);
        long b = c.wrap(g[i.r3]);
        long l1 = extLength(c, i.r1 + 1);
        long l2 = extLength(c, i.r3 + 1);
        if (((l1 | l2) & 1) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        int pad = (int) a2s(c, i) & 0xffff;
        long n = Long.compareUnsigned(l1, l2) > 0 ? l1 : l2;
        int cc = 0;
        if (Long.compareUnsigned(n, UNIT) > 0) {
            n = UNIT;
            cc = 3;
        }
        long k = 0;
        for (; k < n; k += 2) {
            long x = Long.compareUnsigned(k, l1) < 0 ? c.read(c.wrap(a + k), 2) : pad;
            long y = Long.compareUnsigned(k, l2) < 0 ? c.read(c.wrap(b + k), 2) : pad;
            if (x != y) {
                cc = x < y ? 1 : 2;
                break;
            }
        }
        long k1 = Long.compareUnsigned(k, l1) < 0 ? k : l1;
        long k2 = Long.compareUnsigned(k, l2) < 0 ? k : l2;
        setAddr(c, i.r1, c.wrap(a + k1));
        setAddr(c, i.r3, c.wrap(b + k2));
        setExtLength(c, i.r1 + 1, l1 - k1);
        setExtLength(c, i.r3 + 1, l2 - k2);
        c.setCc(cc);
    };

    /** COMPARE LOGICAL LONG (EXTENDED): the shorter operand is extended with the pad byte. */
    private static Semantics compareLong(boolean extended) {
        return (c, i) -> {
            int r2 = extended ? i.r3 : i.r2;
            evenPair(c, i.r1);
            evenPair(c, r2);
            long[] g = c.state().gpr;
            long a = c.wrap(g[i.r1]);
            long b = c.wrap(g[r2]);
            long l1 = extended ? extLength(c, i.r1 + 1) : g[i.r1 + 1] & 0xffffffL;
            long l2 = extended ? extLength(c, r2 + 1) : g[r2 + 1] & 0xffffffL;
            int pad = extended ? (int) a2s(c, i) & 0xff : (int) (g[r2 + 1] >>> 24) & 0xff;
            long n = Long.compareUnsigned(l1, l2) > 0 ? l1 : l2;
            int cc = 0;
            if (extended && Long.compareUnsigned(n, UNIT) > 0) {
                n = UNIT;
                cc = 3;
            }
            long k = 0;
            for (; k < n; k++) {
                long x = Long.compareUnsigned(k, l1) < 0 ? c.read(c.wrap(a + k), 1) : pad;
                long y = Long.compareUnsigned(k, l2) < 0 ? c.read(c.wrap(b + k), 1) : pad;
                if (x != y) {
                    cc = x < y ? 1 : 2;
                    break;
                }
                if (k == n - 1 && cc == 3) {
                    k = n;
                    break;
                }
            }
            long k1 = Long.compareUnsigned(k, l1) < 0 ? k : l1;
            long k2 = Long.compareUnsigned(k, l2) < 0 ? k : l2;
            setAddr(c, i.r1, c.wrap(a + k1));
            setAddr(c, r2, c.wrap(b + k2));
            if (extended) {
                setExtLength(c, i.r1 + 1, l1 - k1);
                setExtLength(c, r2 + 1, l2 - k2);
            } else {
                g[i.r1 + 1] = (g[i.r1 + 1] & ~0xffffffL) | (l1 - k1);
                g[r2 + 1] = (g[r2 + 1] & ~0xffffffL) | (l2 - k2);
            }
            c.setCc(cc);
        };
    }

    /** The ending character in GR0 bits 56-63; bits 32-55 must be zero (specification). */
    private static int endChar(S390Interpreter c) {
        long r0 = c.state().gpr[0];
        if ((r0 & 0xffffff00L) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        return (int) r0 & 0xff;
    }

    static void register(S390Semantics.Registry r) {
        r.def("MVC", move(0));
        r.def("MVN", move(1));
        r.def("MVZ", move(2));
        r.def("MVCIN", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            long start2 = c.wrap(a2 - (n - 1));
            c.probe(start2, n, FETCH);
            c.probe(a1, n, STORE);
            for (int k = 0; k < n; k++) {
                c.write(c.wrap(a1 + k), 1, c.read(c.wrap(a2 - k), 1));
            }
        });
        r.def("MVO", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            c.probe(a2, n2, FETCH);
            c.probe(a1, n1, STORE);
            // Right to left: the first operand's rightmost digit stays; the second operand's digits shift in.
            int k2 = n2 - 1;
            long carry = c.read(c.wrap(a1 + n1 - 1), 1) & 0x0f;
            for (int k1 = n1 - 1; k1 >= 0; k1--) {
                long src = k2 >= 0 ? c.read(c.wrap(a2 + k2), 1) : 0;
                k2--;
                long v = ((src << 4) | carry) & 0xff;
                carry = (src >>> 4) & 0x0f;
                c.write(c.wrap(a1 + k1), 1, v);
            }
        });
        r.def("MVCL", MVCL);
        r.def("MVCLE", moveLongExtended(1));
        r.def("CLC", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            int cc = 0;
            for (int k = 0; k < n && cc == 0; k++) {
                long x = c.read(c.wrap(a1 + k), 1);
                long y = c.read(c.wrap(a2 + k), 1);
                cc = x == y ? 0 : x < y ? 1 : 2;
            }
            c.setCc(cc);
        });
        r.def("CLCL", compareLong(false));
        r.def("CLCLE", compareLong(true));
        r.def("MVST", (c, i) -> {
            int end = endChar(c);
            long[] g = c.state().gpr;
            long d = c.wrap(g[i.r1]);
            long s = c.wrap(g[i.r2]);
            for (long k = 0; k < UNIT; k++) {
                long v = c.read(c.wrap(s + k), 1);
                c.write(c.wrap(d + k), 1, v);
                if (v == end) {
                    setAddr(c, i.r1, c.wrap(d + k));
                    c.setCc(1);
                    return;
                }
            }
            setAddr(c, i.r1, c.wrap(d + UNIT));
            setAddr(c, i.r2, c.wrap(s + UNIT));
            c.setCc(3);
        });
        r.def("CLST", (c, i) -> {
            int end = endChar(c);
            long[] g = c.state().gpr;
            long a = c.wrap(g[i.r1]);
            long b = c.wrap(g[i.r2]);
            for (long k = 0; k < UNIT; k++) {
                long x = c.read(c.wrap(a + k), 1);
                long y = c.read(c.wrap(b + k), 1);
                if (x == end && y == end) {
                    c.setCc(0);
                    return;
                }
                int cc = x == end ? 1 : y == end ? 2 : x < y ? 1 : x > y ? 2 : 0;
                if (cc != 0) {
                    setAddr(c, i.r1, c.wrap(a + k));
                    setAddr(c, i.r2, c.wrap(b + k));
                    c.setCc(cc);
                    return;
                }
            }
            setAddr(c, i.r1, c.wrap(a + UNIT));
            setAddr(c, i.r2, c.wrap(b + UNIT));
            c.setCc(3);
        });
        r.def("SRST", (c, i) -> {
            int ch = endChar(c);
            long[] g = c.state().gpr;
            long end = c.wrap(g[i.r1]);
            long p = c.wrap(g[i.r2]);
            for (long k = 0; p != end; k++) {
                if (k == UNIT) {
                    setAddr(c, i.r2, p);
                    c.setCc(3);
                    return;
                }
                if (c.read(p, 1) == ch) {
                    setAddr(c, i.r1, p);
                    c.setCc(1);
                    return;
                }
                p = c.wrap(p + 1);
            }
            c.setCc(2);
        });
        r.def("TROO", translateExtended(1, 1));
        r.def("TROT", translateExtended(1, 2));
        r.def("TRTO", translateExtended(2, 1));
        r.def("TRTT", translateExtended(2, 2));
        r.def("MVCLU", moveLongExtended(2));
        r.def("CLCLU", CLCLU);
        r.def("SRSTU", (c, i) -> {
            long r0 = c.state().gpr[0];
            if ((r0 & 0xffff0000L) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int ch = (int) r0 & 0xffff;
            long[] g = c.state().gpr;
            long end = c.wrap(g[i.r1]);
            long p = c.wrap(g[i.r2]);
            for (long k = 0; Long.compareUnsigned(c.wrap(end - p), 2) >= 0; k += 2) {
                if (k == UNIT) {
                    setAddr(c, i.r2, p);
                    c.setCc(3);
                    return;
                }
                if (c.read(p, 2) == ch) {
                    setAddr(c, i.r1, p);
                    c.setCc(1);
                    return;
                }
                p = c.wrap(p + 2);
            }
            c.setCc(2);
        });
        r.def("TR", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            c.probe(a1, n, STORE);
            for (int k = 0; k < n; k++) {
                long d = c.wrap(a1 + k);
                c.write(d, 1, c.read(c.wrap(a2 + c.read(d, 1)), 1));
            }
        });
        r.def("TRT", translateAndTest(false));
        r.def("TRTR", translateAndTest(true));
        r.def("TRE", (c, i) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            int test = (int) g[0] & 0xff;
            long a = c.wrap(g[i.r1]);
            long len = extLength(c, i.r1 + 1);
            long table = c.wrap(g[i.r2]);
            long k = 0;
            long n = Long.compareUnsigned(len, UNIT) > 0 ? UNIT : len;
            int cc = n != len ? 3 : 0;
            for (; k < n; k++) {
                long d = c.wrap(a + k);
                long b = c.read(d, 1);
                if (b == test) {
                    cc = 1;
                    break;
                }
                c.write(d, 1, c.read(c.wrap(table + b), 1));
            }
            setAddr(c, i.r1, c.wrap(a + k));
            setExtLength(c, i.r1 + 1, len - k);
            c.setCc(cc);
        });
        r.def("CKSM", (c, i) -> {
            evenPair(c, i.r2);
            long[] g = c.state().gpr;
            long a = c.wrap(g[i.r2]);
            long len = extLength(c, i.r2 + 1);
            long sum = g[i.r1] & LOW;
            long total = len;
            len = Long.compareUnsigned(len, UNIT) > 0 ? UNIT : len;
            for (long k = 0; k < len; k += 4) {
                long w = 0;
                for (int b = 0; b < 4; b++) {
                    w = (w << 8) | (k + b < len ? c.read(c.wrap(a + k + b), 1) : 0);
                }
                sum += w;
                sum = (sum & LOW) + (sum >>> 32);
            }
            setLow(c, i.r1, sum);
            setAddr(c, i.r2, c.wrap(a + len));
            setExtLength(c, i.r2 + 1, total - len);
            c.setCc(total != len ? 3 : 0);
        });
    }

    /**
     * TRANSLATE ONE/TWO TO ONE/TWO: each {@code srcSize}-byte character of the second operand (R2; its length in
     * R1+1) indexes the table at GR1 for a {@code dstSize}-byte result stored at the first operand (R1), until the
     * result equals the test character in GR0 (CC 1), the source is used up (CC 0) or a page of work is done (CC 3).
     * The table is on a doubleword boundary, or on a 4K boundary for two-byte sources (no ETF2-enhancement); M3 is
     * ignored for the same reason.
     */
    private static Semantics translateExtended(int srcSize, int dstSize) {
        return (c, i) -> {
            evenPair(c, i.r1);
            long[] g = c.state().gpr;
            long table = c.wrap(g[1]) & (srcSize == 2 ? ~0xfffL : ~7L);
            int test = (int) g[0] & (dstSize == 1 ? 0xff : 0xffff);
            long d = c.wrap(g[i.r1]);
            long len = extLength(c, i.r1 + 1);
            long s = c.wrap(g[i.r2]);
            if ((len & (srcSize - 1)) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int cc = 3;
            for (long done = 0; done < UNIT; done += srcSize) {
                if (len == 0) {
                    cc = 0;
                    break;
                }
                long ch = c.read(s, srcSize);
                long v = c.read(c.wrap(table + ch * dstSize), dstSize);
                if (v == test) {
                    cc = 1;
                    break;
                }
                c.write(d, dstSize, v);
                len -= srcSize;
                s = c.wrap(s + srcSize);
                d = c.wrap(d + dstSize);
            }
            setAddr(c, i.r1, d);
            setExtLength(c, i.r1 + 1, len);
            setAddr(c, i.r2, s);
            c.setCc(cc);
        };
    }

    /** TRT's address in GR1: bits 40-63 (24-bit) or 33-63 (31-bit), the other bits unchanged. */
    private static void setTrtAddress(S390Interpreter c, long p) {
        long[] g = c.state().gpr;
        g[1] = switch (c.state().addressingMode()) {
            case 64 -> p;
            case 31 -> (g[1] & ~0x7fffffffL) | (p & 0x7fffffffL);
            default -> (g[1] & ~0xffffffL) | (p & 0xffffffL);
        };
    }

    /** TRANSLATE AND TEST (REVERSE): the first non-zero function byte stops the scan. */
    private static Semantics translateAndTest(boolean reverse) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = a2s(c, i);
            int n = i.l1 + 1;
            for (int k = 0; k < n; k++) {
                long p = c.wrap(reverse ? a1 - k : a1 + k);
                long f = c.read(c.wrap(a2 + c.read(p, 1)), 1);
                if (f != 0) {
                    setTrtAddress(c, p);
                    long[] g = c.state().gpr;
                    g[2] = (g[2] & ~0xffL) | f;
                    c.setCc(k == n - 1 ? 2 : 1);
                    return;
                }
            }
            c.setCc(0);
        };
    }
}
