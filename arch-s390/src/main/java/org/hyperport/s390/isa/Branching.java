package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 branching: BRANCH AND LINK / SAVE (and set mode), BRANCH ON CONDITION, ON COUNT, ON INDEX, and the
 * relative forms. The branch address is formed before any register is changed, so R1 may also be the base.
 */
final class Branching {

    private Branching() {
    }

    /** BRANCH AND SAVE link information: the updated instruction address in the form the addressing mode uses. */
    static void linkSave(S390Interpreter c, int r1) {
        long next = c.nextAddr;
        long[] g = c.state().gpr;
        switch (c.state().addressingMode()) {
            case 64 -> g[r1] = next;
            case 31 -> g[r1] = (g[r1] & HIGH) | 0x80000000L | (next & 0x7fffffffL);
            default -> g[r1] = (g[r1] & HIGH) | (next & 0xffffffL);
        }
    }

    /** BRANCH AND LINK link information: in 24-bit mode ILC, CC and program mask precede the address. */
    static void linkBal(S390Interpreter c, Insn i, int r1) {
        if (c.state().addressingMode() != 24) {
            linkSave(c, r1);
            return;
        }
        long[] g = c.state().gpr;
        long ilc = i.length / 2;
        long info = (ilc << 30) | ((long) c.cc() << 28) | ((long) c.state().programMask() << 24)
                | (c.nextAddr & 0xffffffL);
        g[r1] = (g[r1] & HIGH) | info;
    }

    /** Sets the addressing mode from a BSM/BASSM branch register and returns the branch address. */
    private static long setModeFrom(S390Interpreter c, long v) {
        S390CpuState s = c.state();
        long mask = s.pswMask & ~(S390CpuState.PSW_EA | S390CpuState.PSW_BA);
        long addr;
        if ((v & 1) != 0) {
            mask |= S390CpuState.PSW_EA | S390CpuState.PSW_BA;
            addr = v & ~1L;
        } else if ((v & 0x80000000L) != 0) {
            mask |= S390CpuState.PSW_BA;
            addr = v & 0x7fffffffL;
        } else {
            addr = v & 0xffffffL;
        }
        s.pswMask = mask;
        return addr;
    }

    private static Semantics count(boolean relative, boolean wide, boolean high) {
        return (c, i) -> {
            long target = relative ? c.relative(i.i2) : a2(c, i);
            long[] g = c.state().gpr;
            boolean nz;
            if (high) {
                long v = (g[i.r1] >> 32) - 1;
                setHigh(c, i.r1, v);
                nz = (int) v != 0;
            } else if (wide) {
                nz = --g[i.r1] != 0;
            } else {
                long v = g[i.r1] - 1;
                setLow(c, i.r1, v);
                nz = (int) v != 0;
            }
            if (nz) {
                c.nextAddr = target;
            }
        };
    }

    /** BRANCH ON INDEX HIGH / LOW OR EQUAL: R1 += R3; compare with the odd register of the R3 pair. */
    private static Semantics index(boolean high, boolean wide, int targetKind) {
        return (c, i) -> {
            long target = switch (targetKind) {
                case 0 -> a2b(c, i);
                default -> c.relative(i.i2);
            };
            long[] g = c.state().gpr;
            long inc = g[i.r3];
            long cmp = g[i.r3 | 1];
            boolean take;
            if (wide) {
                long sum = g[i.r1] + inc;
                g[i.r1] = sum;
                take = high ? sum > cmp : sum <= cmp;
            } else {
                int sum = (int) g[i.r1] + (int) inc;
                setLow(c, i.r1, sum);
                take = high ? sum > (int) cmp : sum <= (int) cmp;
            }
            if (take) {
                c.nextAddr = target;
            }
        };
    }

    private static long a2b(S390Interpreter c, Insn i) {
        return c.address(0, i.b2, i.d2);
    }

    static void register(S390Semantics.Registry r) {
        r.def("BALR", (c, i) -> {
            long t = c.state().gpr[i.r2];
            linkBal(c, i, i.r1);
            if (i.r2 != 0) {
                c.nextAddr = c.wrap(t);
            }
        });
        r.def("BAL", (c, i) -> {
            long t = a2(c, i);
            linkBal(c, i, i.r1);
            c.nextAddr = t;
        });
        r.def("BASR", (c, i) -> {
            long t = c.state().gpr[i.r2];
            linkSave(c, i.r1);
            if (i.r2 != 0) {
                c.nextAddr = c.wrap(t);
            }
        });
        r.def("BAS", (c, i) -> {
            long t = a2(c, i);
            linkSave(c, i.r1);
            c.nextAddr = t;
        });
        r.def("BASSM", (c, i) -> {
            long t = c.state().gpr[i.r2];
            linkSave(c, i.r1);
            if (c.state().addressingMode() == 64) {
                c.state().gpr[i.r1] |= 1;
            }
            if (i.r2 != 0) {
                c.nextAddr = setModeFrom(c, t);
            }
        });
        r.def("BSM", (c, i) -> {
            long t = c.state().gpr[i.r2];
            if (i.r1 != 0) {
                long[] g = c.state().gpr;
                if (c.state().addressingMode() == 64) {
                    g[i.r1] |= 1;
                } else {
                    g[i.r1] = (g[i.r1] & ~0x80000000L) | (c.state().addressingMode() == 31 ? 0x80000000L : 0);
                }
            }
            if (i.r2 != 0) {
                c.nextAddr = setModeFrom(c, t);
            }
        });
        r.def("BCR", (c, i) -> {
            if (i.r2 != 0 && c.ccMatches(i.m1 == 0 ? i.r1 : i.m1)) {
                c.nextAddr = c.wrap(c.state().gpr[i.r2]);
            }
        });
        r.def("BC", (c, i) -> {
            if (c.ccMatches(i.m1)) {
                c.nextAddr = a2(c, i);
            }
        });
        r.def("BCTR", (c, i) -> {
            long t = c.wrap(c.state().gpr[i.r2]);
            long v = c.state().gpr[i.r1] - 1;
            setLow(c, i.r1, v);
            if ((int) v != 0 && i.r2 != 0) {
                c.nextAddr = t;
            }
        });
        r.def("BCTGR", (c, i) -> {
            long t = c.wrap(c.state().gpr[i.r2]);
            if (--c.state().gpr[i.r1] != 0 && i.r2 != 0) {
                c.nextAddr = t;
            }
        });
        r.def("BCT", count(false, false, false));
        r.def("BCTG", count(false, true, false));
        r.def("BRCT", count(true, false, false));
        r.def("BRCTG", count(true, true, false));
        r.def("BRCTH", count(true, false, true));
        r.def("BXH", index(true, false, 0));
        r.def("BXHG", index(true, true, 0));
        r.def("BXLE", index(false, false, 0));
        r.def("BXLEG", index(false, true, 0));
        r.def("BRXH", index(true, false, 1));
        r.def("BRXHG", index(true, true, 1));
        r.def("BRXLE", index(false, false, 1));
        r.def("BRXLG", index(false, true, 1));
        Semantics bras = (c, i) -> {
            long t = c.relative(i.i2);
            linkSave(c, i.r1);
            c.nextAddr = t;
        };
        r.def("BRAS", bras);
        r.def("BRASL", bras);
        Semantics brc = (c, i) -> {
            if (c.ccMatches(i.m1)) {
                c.nextAddr = c.relative(i.i2);
            }
        };
        r.def("BRC", brc);
        r.def("BRCL", brc);
    }
}
