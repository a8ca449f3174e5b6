package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.cpu.Facilities;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 instructions on the PSW, the clock and the CPU: EXECUTE (RELATIVE LONG), SUPERVISOR CALL, INSERT
 * PROGRAM MASK, EXTRACT PSW, SET PROGRAM MASK, SET / TEST ADDRESSING MODE, TRAP, STORE CLOCK (EXTENDED, FAST),
 * STORE FACILITY LIST EXTENDED, PREFETCH DATA and EXTRACT CPU ATTRIBUTE.
 */
final class Miscellaneous {

    private Miscellaneous() {
    }

    private static Semantics setMode(int mode) {
        return (c, i) -> {
            long limit = mode == 24 ? 0xffffffL : mode == 31 ? 0x7fffffffL : -1L;
            if (Long.compareUnsigned(c.nextAddr, limit) > 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            S390CpuState s = c.state();
            long m = s.pswMask & ~(S390CpuState.PSW_EA | S390CpuState.PSW_BA);
            if (mode == 64) {
                m |= S390CpuState.PSW_EA | S390CpuState.PSW_BA;
            } else if (mode == 31) {
                m |= S390CpuState.PSW_BA;
            }
            s.pswMask = m;
        };
    }

    private static Semantics storeClock(boolean fast) {
        return (c, i) -> {
            c.write(c.address(0, i.b2, i.d2), 8, c.platform().tod());
            c.setCc(0);
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("EX", (c, i) -> c.executeAt(a2(c, i), i.r1 == 0 ? 0 : (int) c.state().gpr[i.r1] & 0xff));
        r.def("EXRL", (c, i) -> c.executeAt(c.relative(i.i2), i.r1 == 0 ? 0 : (int) c.state().gpr[i.r1] & 0xff));
        r.def("SVC", (c, i) -> c.supervisorCall(i.i1));
        r.def("IPM", (c, i) -> {
            long[] g = c.state().gpr;
            long b = ((long) c.cc() << 4) | c.state().programMask();
            g[i.r1] = (g[i.r1] & ~0xff000000L) | (b << 24);
        });
        r.def("EPSW", (c, i) -> {
            long psw = c.state().psw();
            setLow(c, i.r1, psw >>> 32);
            if (i.r2 != 0) {
                setLow(c, i.r2, psw);
            }
        });
        r.def("SPM", (c, i) -> {
            long v = c.state().gpr[i.r1];
            S390CpuState s = c.state();
            c.setCc((int) (v >>> 28) & 3);
            s.pswMask = (s.pswMask & ~S390CpuState.PSW_PROGRAM_MASK)
                    | (((v >>> 24) & 0xf) << S390CpuState.PSW_PROGRAM_MASK_SHIFT);
        });
        r.def("SAM24", setMode(24));
        r.def("SAM31", setMode(31));
        r.def("SAM64", setMode(64));
        r.def("TAM", (c, i) -> c.setCc(switch (c.state().addressingMode()) {
            case 24 -> 0;
            case 31 -> 1;
            default -> 3;
        }));
        // TRAP: without a dispatchable-unit control table enabling it, a special-operation exception.
        Semantics trap = (c, i) -> {
            throw c.fault().raise(ProgramInterruption.SPECIAL_OPERATION);
        };
        r.def("TRAP2", trap);
        r.def("TRAP4", trap);
        r.def("STCK", storeClock(false));
        r.def("STCKF", storeClock(true));
        r.def("STCKE", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            long tod = c.platform().tod();
            c.probe(a, 16, S390Interpreter.STORE);
            // Byte 0 epoch index (0), bytes 1-8 the TOD clock, 9-13 zero, 14-15 the TOD programmable field.
            c.write(a, 8, tod >>> 8);
            c.write(c.wrap(a + 8), 8, (tod << 56) | (c.state().todpr & 0xffffL));
            c.setCc(0);
        });
        r.def("STFLE", (c, i) -> {
            long a = aligned(c, c.address(0, i.b2, i.d2), 8);
            long[] g = c.state().gpr;
            int given = (int) (g[0] & 0xff) + 1;
            int need = Facilities.doublewords();
            int n = Math.min(given, need);
            c.probe(a, 8L * n, S390Interpreter.STORE);
            for (int k = 0; k < n; k++) {
                c.write(c.wrap(a + 8L * k), 8, Facilities.doubleword(k));
            }
            g[0] = (g[0] & ~0xffL) | (need - 1);
            c.setCc(given >= need ? 0 : 3);
        });
        r.def("PFD", (c, i) -> {
        });
        r.def("PFDRL", (c, i) -> {
        });
        // EXTRACT CPU ATTRIBUTE: topology summary (attribute 0) reports no cache levels; other queries all ones.
        r.def("ECAG", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            int ai = (int) (a >>> 4) & 0xf;
            c.state().gpr[i.r1] = ai == 0 ? 0 : -1L;
        });
    }
}
