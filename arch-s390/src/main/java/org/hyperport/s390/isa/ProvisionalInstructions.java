package org.hyperport.s390.isa;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Semantics;

/**
 * Stop-gap semantics for the instructions the machine and its guests need before the chapter groups define them
 * (table {@code provisional.insns}): SERVICE CALL, SIGNAL PROCESSOR and DIAGNOSE, which only pass their operands to
 * the {@link org.hyperport.s390.interp.S390Platform}, and STORE CLOCK / SET CLOCK COMPARATOR. Registered last; each
 * definition is skipped when a chapter group already has the mnemonic, so this class empties itself as the chapters
 * fill in. Delete it then.
 */
public final class ProvisionalInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
        def(r, "SERVC", (c, i) -> {
            long[] g = c.state().gpr;
            c.setCc(c.platform().serviceCall(c, (int) g[i.r1], g[i.r2] & 0xffffffffL));
        });
        // SIGP R1,R3,D2(B2): order code in bits 56-63 of the second-operand address, CPU address in bits 48-63 of
        // R3, parameter in R1+1 (R1 even) or R1 (R1 odd); status into bits 32-63 of R1 (PoP Ch. 10).
        def(r, "SIGP", (c, i) -> {
            long[] g = c.state().gpr;
            int order = (int) c.address(0, i.b2, i.d2) & 0xff;
            long parameter = g[(i.r1 & 1) == 0 ? i.r1 + 1 : i.r1];
            c.setCc(c.platform().signalProcessor(c, order, (int) g[i.r3] & 0xffff, parameter, i.r1));
        });
        def(r, "DIAG", (c, i) -> c.platform().diagnose(c, (int) c.address(0, i.b2, i.d2) & 0xffff, i.r1, i.r3));
        def(r, "STCK", (c, i) -> {
            c.write(c.address(0, i.b2, i.d2), 8, c.platform().tod());
            c.setCc(0);
        });
        def(r, "SCKC", (c, i) -> {
            long a = c.address(0, i.b2, i.d2);
            if ((a & 7) != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            c.state().clockComparator = c.read(a, 8);
        });
    }

    private static void def(S390Semantics.Registry r, String mnemonic, org.hyperport.s390.interp.Semantics s) {
        if (!r.defined(mnemonic)) {
            r.def(mnemonic, s);
        }
    }
}
