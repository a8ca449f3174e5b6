package org.hyperport.s390.isa;

import org.hyperport.s390.interp.S390Semantics;

/**
 * The instructions of PoP Ch. 7 "General Instructions". Each is registered by its table mnemonic and written as a
 * composition of operand access on {@link org.hyperport.s390.interp.S390Interpreter}, a small operation, the
 * register or storage write-back and a {@link ConditionCodes} rule.
 */
public final class GeneralInstructions implements S390Semantics.Group {

    @Override
    public void register(S390Semantics.Registry r) {
        r.def("AR", (c, i) -> {
            long[] g = c.state().gpr;
            int a = (int) g[i.r1];
            int b = (int) g[i.r2];
            int s = a + b;
            g[i.r1] = (g[i.r1] & 0xffffffff00000000L) | (s & 0xffffffffL);
            c.setCc(ConditionCodes.add32(a, b, s));
            Arithmetic.fixedPointOverflow(c);
        });
        r.def("AGR", (c, i) -> {
            long[] g = c.state().gpr;
            long a = g[i.r1];
            long b = g[i.r2];
            long s = a + b;
            g[i.r1] = s;
            c.setCc(ConditionCodes.add64(a, b, s));
            Arithmetic.fixedPointOverflow(c);
        });
        r.def("LR", (c, i) -> {
            long[] g = c.state().gpr;
            g[i.r1] = (g[i.r1] & 0xffffffff00000000L) | (g[i.r2] & 0xffffffffL);
        });
        r.def("LGR", (c, i) -> c.state().gpr[i.r1] = c.state().gpr[i.r2]);
        r.def("LGHI", (c, i) -> c.state().gpr[i.r1] = i.i2);
        r.def("LARL", (c, i) -> c.state().gpr[i.r1] = Arithmetic.setAddress(c, i.r1, c.relative(i.i2)));
        r.def("BRC", (c, i) -> {
            if (c.ccMatches(i.m1)) {
                c.nextAddr = c.relative(i.i2);
            }
        });
        r.def("LG", (c, i) -> c.state().gpr[i.r1] = c.read(c.address(i.x2, i.b2, i.d2), 8));
        r.def("STG", (c, i) -> c.write(c.address(i.x2, i.b2, i.d2), 8, c.state().gpr[i.r1]));
        r.def("EX", (c, i) -> c.executeAt(c.address(i.x2, i.b2, i.d2),
                i.r1 == 0 ? 0 : (int) c.state().gpr[i.r1] & 0xff));
        r.def("SVC", (c, i) -> c.supervisorCall(i.i1));
    }

}
