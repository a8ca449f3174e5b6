package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 LOAD (and test, complement, positive, negative, byte, halfword, logical, immediate, on condition,
 * reversed, multiple, address), INSERT, STORE (character, halfword, under mask, multiple, on condition,
 * reversed), MOVE immediate, and the access-register instructions.
 */
final class LoadStore {

    private LoadStore() {
    }

    private static Semantics load(Src s, Dst d) {
        return (c, i) -> d.put(c, i, s.get(c, i));
    }

    /** LOAD AND TEST: the CC is the sign of the loaded value (32-bit values compare their low half). */
    private static Semantics loadTest(Src s, Dst d, boolean wide) {
        return (c, i) -> {
            long v = s.get(c, i);
            d.put(c, i, v);
            c.setCc(wide ? ConditionCodes.signed(v) : ConditionCodes.signed32((int) v));
        };
    }

    private static Semantics store(int size, Src s) {
        return (c, i) -> c.write(a2(c, i), size, s.get(c, i));
    }

    private static Semantics storeRel(int size, Src s) {
        return (c, i) -> c.write(relAddress(c, i, size), size, s.get(c, i));
    }

    /** LOAD COMPLEMENT / POSITIVE / NEGATIVE: kind 0 complement, 1 positive, 2 negative. */
    private static Semantics sign(Src s, boolean wide, int kind, Dst d) {
        return (c, i) -> {
            long v = s.get(c, i);
            long min = wide ? Long.MIN_VALUE : Integer.MIN_VALUE;
            boolean overflow = v == min && kind != 2;
            long r = switch (kind) {
                case 0 -> -v;
                case 1 -> v < 0 ? -v : v;
                default -> v > 0 ? -v : v;
            };
            if (!wide) {
                r = (int) r;
            }
            d.put(c, i, r);
            c.setCc(overflow ? 3 : ConditionCodes.signed(r));
            Arithmetic.fixedPointOverflow(c);
        };
    }

    private static Semantics insertField(int shift, int bits) {
        long mask = (bits == 32 ? LOW : 0xffffL) << shift;
        return (c, i) -> {
            long[] g = c.state().gpr;
            g[i.r1] = (g[i.r1] & ~mask) | ((i.i2 << shift) & mask);
        };
    }

    private static Semantics loadLogicalField(int shift, int bits) {
        long mask = (bits == 32 ? LOW : 0xffffL);
        return (c, i) -> c.state().gpr[i.r1] = (i.i2 & mask) << shift;
    }

    /** INSERT CHARACTERS UNDER MASK into the 32-bit field at {@code shift}. */
    private static Semantics icm(int shift) {
        return (c, i) -> {
            long a = a2b(c, i);
            long[] g = c.state().gpr;
            long v = g[i.r1];
            int cc = 0;
            boolean first = true;
            for (int k = 0; k < 4; k++) {
                if ((i.m3 & (8 >>> k)) == 0) {
                    continue;
                }
                long b = c.read(a, 1);
                a = c.wrap(a + 1);
                int pos = shift + 24 - 8 * k;
                v = (v & ~(0xffL << pos)) | (b << pos);
                if (first) {
                    cc = b >= 0x80 ? 1 : b != 0 ? 2 : 0;
                    first = false;
                } else if (cc == 0 && b != 0) {
                    cc = 2;
                }
            }
            g[i.r1] = v;
            c.setCc(cc);
        };
    }

    /** The RS/RSY second-operand address D2(B2). */
    static long a2b(S390Interpreter c, org.hyperport.s390.decode.Insn i) {
        return c.address(0, i.b2, i.d2);
    }

    private static Semantics stcm(int shift) {
        return (c, i) -> {
            long a = a2b(c, i);
            int n = Integer.bitCount(i.m3);
            c.probe(a, n, S390Interpreter.STORE);
            long v = c.state().gpr[i.r1];
            for (int k = 0; k < 4; k++) {
                if ((i.m3 & (8 >>> k)) != 0) {
                    c.write(a, 1, v >>> (shift + 24 - 8 * k));
                    a = c.wrap(a + 1);
                }
            }
        };
    }

    private static Semantics clm(int shift) {
        return (c, i) -> {
            long a = a2b(c, i);
            long v = c.state().gpr[i.r1];
            int cc = 0;
            for (int k = 0; k < 4 && cc == 0; k++) {
                if ((i.m3 & (8 >>> k)) != 0) {
                    long b = c.read(a, 1);
                    a = c.wrap(a + 1);
                    long x = (v >>> (shift + 24 - 8 * k)) & 0xff;
                    cc = x == b ? 0 : x < b ? 1 : 2;
                }
            }
            c.setCc(cc);
        };
    }

    /** LOAD/STORE MULTIPLE: {@code size}-byte slots; {@code part} 0 low halves, 1 high halves, 2 whole registers. */
    private static Semantics multiple(boolean store, int part) {
        int size = part == 2 ? 8 : 4;
        return (c, i) -> {
            long a = a2b(c, i);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, (long) n * size, store ? S390Interpreter.STORE : S390Interpreter.FETCH);
            long[] g = c.state().gpr;
            for (int k = 0; k < n; k++) {
                int reg = (i.r1 + k) & 15;
                long ea = c.wrap(a + (long) k * size);
                if (store) {
                    c.write(ea, size, part == 1 ? g[reg] >>> 32 : g[reg]);
                } else {
                    long v = c.read(ea, size);
                    g[reg] = switch (part) {
                        case 0 -> (g[reg] & HIGH) | v;
                        case 1 -> (g[reg] & LOW) | (v << 32);
                        default -> v;
                    };
                }
            }
        };
    }

    private static Semantics accessMultiple(boolean store) {
        return (c, i) -> {
            long a = a2b(c, i);
            if ((a & 3) != 0) {
                throw c.fault().raise(org.hyperport.s390.interp.ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.probe(a, 4L * n, store ? S390Interpreter.STORE : S390Interpreter.FETCH);
            int[] ar = c.state().ar;
            for (int k = 0; k < n; k++) {
                long ea = c.wrap(a + 4L * k);
                int reg = (i.r1 + k) & 15;
                if (store) {
                    c.write(ea, 4, ar[reg]);
                } else {
                    ar[reg] = (int) c.read(ea, 4);
                }
            }
        };
    }

    private static Semantics loadOnCondition(Src s, Dst d) {
        return (c, i) -> {
            if (c.ccMatches(i.m3)) {
                d.put(c, i, s.get(c, i));
            }
        };
    }

    private static Semantics storeOnCondition(int size) {
        return (c, i) -> {
            if (c.ccMatches(i.m3)) {
                c.write(a2b(c, i), size, c.state().gpr[i.r1]);
            }
        };
    }

    /** LOAD ADDRESS EXTENDED: the address as LA, and an ALET in AR R1 that follows the address-space control. */
    private static final Semantics LAE = (c, i) -> {
        long a = a2(c, i);
        c.state().gpr[i.r1] = Arithmetic.setAddress(c, i.r1, a);
        int ale = switch (c.state().asc()) {
            case S390CpuState.ASC_PRIMARY -> 0;
            case S390CpuState.ASC_AR -> i.b2 == 0 ? 0 : c.state().ar[i.b2];
            case S390CpuState.ASC_SECONDARY -> 1;
            default -> 2;
        };
        c.state().ar[i.r1] = ale;
    };

    static void register(S390Semantics.Registry r) {
        Src r2s8 = (c, i) -> (byte) c.state().gpr[i.r2];
        Src r2s16 = (c, i) -> (short) c.state().gpr[i.r2];
        Src r2u8 = (c, i) -> c.state().gpr[i.r2] & 0xff;
        Src r2u16 = (c, i) -> c.state().gpr[i.r2] & 0xffff;
        r.def("LR", load(R2_32, LOW32));
        r.def("LGR", load(R2_64, FULL));
        r.def("LGFR", load(R2_32, FULL));
        r.def("L", load(M32, LOW32));
        r.def("LY", load(M32, LOW32));
        r.def("LG", load(M64, FULL));
        r.def("LGF", load(M32S, FULL));
        r.def("LGFI", load(I2, FULL));
        r.def("LRL", load(rel(4, false), LOW32));
        r.def("LGRL", load(rel(8, false), FULL));
        r.def("LGFRL", load(rel(4, true), FULL));
        Semantics la = (c, i) -> c.state().gpr[i.r1] = Arithmetic.setAddress(c, i.r1, a2(c, i));
        r.def("LA", la);
        r.def("LAY", la);
        r.def("LAE", LAE);
        r.def("LAEY", LAE);
        r.def("LARL", (c, i) -> c.state().gpr[i.r1] = Arithmetic.setAddress(c, i.r1, c.relative(i.i2)));
        r.def("LTR", loadTest(R2_32, LOW32, false));
        r.def("LTGR", loadTest(R2_64, FULL, true));
        r.def("LTGFR", loadTest(R2_32, FULL, true));
        r.def("LT", loadTest(M32S, LOW32, false));
        r.def("LTG", loadTest(M64, FULL, true));
        r.def("LTGF", loadTest(M32S, FULL, true));
        r.def("LBR", load(r2s8, LOW32));
        r.def("LGBR", load(r2s8, FULL));
        r.def("LB", load(M8S, LOW32));
        r.def("LGB", load(M8S, FULL));
        r.def("LBH", load(M8S, HIGH32));
        r.def("LCR", sign(R2_32, false, 0, LOW32));
        r.def("LCGR", sign(R2_64, true, 0, FULL));
        r.def("LCGFR", sign(R2_32, true, 0, FULL));
        r.def("LPR", sign(R2_32, false, 1, LOW32));
        r.def("LPGR", sign(R2_64, true, 1, FULL));
        r.def("LPGFR", sign(R2_32, true, 1, FULL));
        r.def("LNR", sign(R2_32, false, 2, LOW32));
        r.def("LNGR", sign(R2_64, true, 2, FULL));
        r.def("LNGFR", sign(R2_32, true, 2, FULL));
        r.def("LFH", load(M32, HIGH32));
        r.def("LHR", load(r2s16, LOW32));
        r.def("LGHR", load(r2s16, FULL));
        r.def("LH", load(M16S, LOW32));
        r.def("LHY", load(M16S, LOW32));
        r.def("LGH", load(M16S, FULL));
        r.def("LHH", load(M16S, HIGH32));
        r.def("LHI", load(I2, LOW32));
        r.def("LGHI", load(I2, FULL));
        r.def("LHRL", load(rel(2, true), LOW32));
        r.def("LGHRL", load(rel(2, true), FULL));
        r.def("LLCR", load(r2u8, LOW32));
        r.def("LLGCR", load(r2u8, FULL));
        r.def("LLC", load(M8, LOW32));
        r.def("LLGC", load(M8, FULL));
        r.def("LLCH", load(M8, HIGH32));
        r.def("LLHR", load(r2u16, LOW32));
        r.def("LLGHR", load(r2u16, FULL));
        r.def("LLH", load(M16, LOW32));
        r.def("LLGH", load(M16, FULL));
        r.def("LLHH", load(M16, HIGH32));
        r.def("LLHRL", load(rel(2, false), LOW32));
        r.def("LLGHRL", load(rel(2, false), FULL));
        r.def("LLGFR", load(R2_32U, FULL));
        r.def("LLGF", load(M32, FULL));
        r.def("LLGFRL", load(rel(4, false), FULL));
        r.def("LLGTR", load((c, i) -> c.state().gpr[i.r2] & 0x7fffffffL, FULL));
        r.def("LLGT", load((c, i) -> M32.get(c, i) & 0x7fffffffL, FULL));
        r.def("LLIHF", loadLogicalField(32, 32));
        r.def("LLIHH", loadLogicalField(48, 16));
        r.def("LLIHL", loadLogicalField(32, 16));
        r.def("LLILF", loadLogicalField(0, 32));
        r.def("LLILH", loadLogicalField(16, 16));
        r.def("LLILL", loadLogicalField(0, 16));
        r.def("LOCR", loadOnCondition(R2_32, LOW32));
        r.def("LOCGR", loadOnCondition(R2_64, FULL));
        r.def("LOC", loadOnCondition((c, i) -> c.read(a2b(c, i), 4), LOW32));
        r.def("LOCG", loadOnCondition((c, i) -> c.read(a2b(c, i), 8), FULL));
        r.def("LRVR", load((c, i) -> Integer.reverseBytes((int) c.state().gpr[i.r2]), LOW32));
        r.def("LRVGR", load((c, i) -> Long.reverseBytes(c.state().gpr[i.r2]), FULL));
        r.def("LRVH", (c, i) -> {
            long[] g = c.state().gpr;
            long v = Short.reverseBytes((short) M16.get(c, i)) & 0xffffL;
            g[i.r1] = (g[i.r1] & ~0xffffL) | v;
        });
        r.def("LRV", load((c, i) -> Integer.reverseBytes((int) M32.get(c, i)), LOW32));
        r.def("LRVG", load((c, i) -> Long.reverseBytes(M64.get(c, i)), FULL));
        r.def("LM", multiple(false, 0));
        r.def("LMY", multiple(false, 0));
        r.def("LMG", multiple(false, 2));
        r.def("LMH", multiple(false, 1));
        r.def("LPQ", (c, i) -> {
            evenPair(c, i.r1);
            long a = aligned(c, a2(c, i), 16);
            long hi = c.read(a, 8);
            long lo = c.read(a + 8, 8);
            c.state().gpr[i.r1] = hi;
            c.state().gpr[i.r1 + 1] = lo;
        });
        Semantics ic = (c, i) -> {
            long[] g = c.state().gpr;
            g[i.r1] = (g[i.r1] & ~0xffL) | M8.get(c, i);
        };
        r.def("IC", ic);
        r.def("ICY", ic);
        r.def("ICM", icm(0));
        r.def("ICMY", icm(0));
        r.def("ICMH", icm(32));
        r.def("IIHF", insertField(32, 32));
        r.def("IIHH", insertField(48, 16));
        r.def("IIHL", insertField(32, 16));
        r.def("IILF", insertField(0, 32));
        r.def("IILH", insertField(16, 16));
        r.def("IILL", insertField(0, 16));
        // STORE
        r.def("ST", store(4, R1_64));
        r.def("STY", store(4, R1_64));
        r.def("STG", store(8, R1_64));
        r.def("STRL", storeRel(4, R1_64));
        r.def("STGRL", storeRel(8, R1_64));
        r.def("STC", store(1, R1_64));
        r.def("STCY", store(1, R1_64));
        r.def("STCH", store(1, R1_H));
        r.def("STCM", stcm(0));
        r.def("STCMY", stcm(0));
        r.def("STCMH", stcm(32));
        r.def("CLM", clm(0));
        r.def("CLMY", clm(0));
        r.def("CLMH", clm(32));
        r.def("STH", store(2, R1_64));
        r.def("STHY", store(2, R1_64));
        r.def("STHH", store(2, R1_H));
        r.def("STHRL", storeRel(2, R1_64));
        r.def("STFH", store(4, R1_H));
        r.def("STM", multiple(true, 0));
        r.def("STMY", multiple(true, 0));
        r.def("STMG", multiple(true, 2));
        r.def("STMH", multiple(true, 1));
        r.def("STOC", storeOnCondition(4));
        r.def("STOCG", storeOnCondition(8));
        r.def("STRVH", store(2, (c, i) -> Short.reverseBytes((short) c.state().gpr[i.r1])));
        r.def("STRV", store(4, (c, i) -> Integer.reverseBytes((int) c.state().gpr[i.r1])));
        r.def("STRVG", store(8, (c, i) -> Long.reverseBytes(c.state().gpr[i.r1])));
        r.def("STPQ", (c, i) -> {
            evenPair(c, i.r1);
            long a = aligned(c, a2(c, i), 16);
            c.probe(a, 16, S390Interpreter.STORE);
            c.write(a, 8, c.state().gpr[i.r1]);
            c.write(a + 8, 8, c.state().gpr[i.r1 + 1]);
        });
        r.def("MVHHI", (c, i) -> c.write(a1(c, i), 2, i.i2));
        r.def("MVHI", (c, i) -> c.write(a1(c, i), 4, i.i2));
        r.def("MVGHI", (c, i) -> c.write(a1(c, i), 8, i.i2));
        r.def("MVI", (c, i) -> c.write(a1(c, i), 1, i.i2));
        r.def("MVIY", (c, i) -> c.write(a1(c, i), 1, i.i2));
        // Access registers
        r.def("EAR", (c, i) -> setLow(c, i.r1, c.state().ar[i.r2]));
        r.def("SAR", (c, i) -> c.state().ar[i.r1] = (int) c.state().gpr[i.r2]);
        r.def("LAM", accessMultiple(false));
        r.def("LAMY", accessMultiple(false));
        r.def("STAM", accessMultiple(true));
        r.def("STAMY", accessMultiple(true));
    }
}
