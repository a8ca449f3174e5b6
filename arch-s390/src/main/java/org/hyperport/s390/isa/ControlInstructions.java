package org.hyperport.s390.isa;

import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Semantics;

/** The instructions of PoP Ch. 10 "Control Instructions". */
public final class ControlInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
        r.def("LPSWE", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            if ((a & 7) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            long mask = c.read(a, 8);
            long addr = c.read((a + 8) & c.state().addressMask(), 8);
            c.loadPsw(mask, addr);
        });
        r.def("LCTLG", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            if ((a & 7) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            long[] v = new long[n];
            for (int k = 0; k < n; k++) {
                v[k] = c.read((a + 8L * k) & c.state().addressMask(), 8);
            }
            S390CpuState s = c.state();
            for (int k = 0; k < n; k++) {
                s.cr[(i.r1 + k) & 15] = v[k];
            }
            c.flushTlb();
        });
    }
}
