package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 interlocked-update instructions: COMPARE AND SWAP (single, double, and store), TEST AND SET and the
 * interlocked-access-facility-1 LOAD AND ADD / AND / OR / EXCLUSIVE OR. One CPU executes one instruction at a
 * time, so each is a plain read-modify-write here; operands must be aligned on their size (specification).
 */
final class Interlocked {

    private Interlocked() {
    }

    private static long a2b(S390Interpreter c, org.hyperport.s390.decode.Insn i) {
        return c.address(0, i.b2, i.d2);
    }

    private static Semantics cs(int size) {
        return (c, i) -> {
            long a = aligned(c, a2b(c, i), size);
            long[] g = c.state().gpr;
            long cur = c.read(a, size);
            long mask = size == 8 ? -1L : LOW;
            if (cur == (g[i.r1] & mask)) {
                c.write(a, size, g[i.r3]);
                c.setCc(0);
            } else {
                // The store is still an access: a compare failure on a protected page raises protection too.
                c.probe(a, size, S390Interpreter.STORE);
                if (size == 8) {
                    g[i.r1] = cur;
                } else {
                    setLow(c, i.r1, cur);
                }
                c.setCc(1);
            }
        };
    }

    private static Semantics cds(int half) {
        return (c, i) -> {
            evenPair(c, i.r1);
            evenPair(c, i.r3);
            long a = aligned(c, a2b(c, i), 2 * half);
            long[] g = c.state().gpr;
            long hi = c.read(a, half);
            long lo = c.read(a + half, half);
            long mask = half == 8 ? -1L : LOW;
            if (hi == (g[i.r1] & mask) && lo == (g[i.r1 + 1] & mask)) {
                c.probe(a, 2L * half, S390Interpreter.STORE);
                c.write(a, half, g[i.r3]);
                c.write(a + half, half, g[i.r3 + 1]);
                c.setCc(0);
            } else {
                c.probe(a, 2L * half, S390Interpreter.STORE);
                if (half == 8) {
                    g[i.r1] = hi;
                    g[i.r1 + 1] = lo;
                } else {
                    setLow(c, i.r1, hi);
                    setLow(c, i.r1 + 1, lo);
                }
                c.setCc(1);
            }
        };
    }

    /**
     * COMPARE AND SWAP AND STORE: function code (GR0 bits 56-63) 0/1/2 for a 4/8/16-byte swap, storage
     * characteristic (bits 48-55) for a 1..16-byte store; GR1 holds the parameter list (replacement value at
     * offset 0, store value at offset 16).
     */
    private static final Semantics CSST = (c, i) -> {
        long[] g = c.state().gpr;
        int fc = (int) g[0] & 0xff;
        int sc = (int) (g[0] >>> 8) & 0xff;
        if (fc > 2 || sc > 4 || (fc == 2 && (i.r3 & 1) != 0)) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        int size = 4 << fc;
        int storeSize = 1 << sc;
        long a1 = c.address(0, i.b1, i.d1);
        long a2 = c.address(0, i.b2, i.d2);
        long pl = c.wrap(g[1] & ~15L);
        if ((a1 & (size - 1)) != 0 || (a2 & (storeSize - 1)) != 0) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        long cur0 = c.read(a1, Math.min(size, 8));
        long cur1 = size == 16 ? c.read(c.wrap(a1 + 8), 8) : 0;
        boolean equal = switch (fc) {
            case 0 -> cur0 == (g[i.r3] & LOW);
            case 1 -> cur0 == g[i.r3];
            default -> cur0 == g[i.r3] && cur1 == g[i.r3 + 1];
        };
        if (equal) {
            c.probe(a1, size, S390Interpreter.STORE);
            c.probe(a2, storeSize, S390Interpreter.STORE);
            for (int k = 0; k < size; k += 8) {
                int n = Math.min(size - k, 8);
                c.write(c.wrap(a1 + k), n, c.read(c.wrap(pl + k), n));
            }
            for (int k = 0; k < storeSize; k += 8) {
                int n = Math.min(storeSize - k, 8);
                c.write(c.wrap(a2 + k), n, c.read(c.wrap(pl + 16 + k), n));
            }
            c.setCc(0);
        } else {
            switch (fc) {
                case 0 -> setLow(c, i.r3, cur0);
                case 1 -> g[i.r3] = cur0;
                default -> {
                    g[i.r3] = cur0;
                    g[i.r3 + 1] = cur1;
                }
            }
            c.setCc(1);
        }
    };

    /** LOAD AND op: R1 ← original storage; storage ← storage op R3; CC as the operation sets it. */
    private static Semantics loadAnd(int size, Op op, boolean trap) {
        return (c, i) -> {
            long a = aligned(c, a2b(c, i), size);
            long old = c.read(a, size);
            long b = c.state().gpr[i.r3];
            long res = op.apply(c, signExtend(old, size), size == 4 ? (int) b : b);
            c.write(a, size, res);
            if (size == 4) {
                setLow(c, i.r1, old);
            } else {
                c.state().gpr[i.r1] = old;
            }
            if (trap) {
                Arithmetic.fixedPointOverflow(c);
            }
        };
    }

    /** LOAD PAIR DISJOINT: both operands into the R3 pair; one CPU fetches them interlocked, so CC 0. */
    private static Semantics loadPairDisjoint(int size) {
        return (c, i) -> {
            evenPair(c, i.r3);
            long a = aligned(c, c.address(0, i.b1, i.d1), size);
            long b = aligned(c, c.address(0, i.b2, i.d2), size);
            long x = c.read(a, size);
            long y = c.read(b, size);
            if (size == 8) {
                c.state().gpr[i.r3] = x;
                c.state().gpr[i.r3 + 1] = y;
            } else {
                setLow(c, i.r3, x);
                setLow(c, i.r3 + 1, y);
            }
            c.setCc(0);
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("CS", cs(4));
        r.def("CSY", cs(4));
        r.def("CSG", cs(8));
        r.def("CDS", cds(4));
        r.def("CDSY", cds(4));
        r.def("CDSG", cds(8));
        r.def("CSST", CSST);
        r.def("TS", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            long v = c.read(a, 1);
            c.write(a, 1, 0xff);
            c.setCc((int) (v >>> 7) & 1);
        });
        r.def("LPD", loadPairDisjoint(4));
        r.def("LPDG", loadPairDisjoint(8));
        r.def("LAA", loadAnd(4, FixedPoint.ADD32, true));
        r.def("LAAG", loadAnd(8, FixedPoint.ADD64, true));
        r.def("LAAL", loadAnd(4, FixedPoint.ADDL32, false));
        r.def("LAALG", loadAnd(8, FixedPoint.ADDL64, false));
        r.def("LAN", loadAnd(4, Logical.AND32, false));
        r.def("LANG", loadAnd(8, Logical.AND64, false));
        r.def("LAO", loadAnd(4, Logical.OR32, false));
        r.def("LAOG", loadAnd(8, Logical.OR64, false));
        r.def("LAX", loadAnd(4, Logical.XOR32, false));
        r.def("LAXG", loadAnd(8, Logical.XOR64, false));
    }
}
