package org.hyperport.x86.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;

/**
 * Evidence for the 64-bit segment-override rule (docs/CONFORMANCE.md): silicon ignores an ES/CS/SS/DS override, so
 * a non-canonical address faults by the default segment (#SS for an RSP/RBP base, #GP otherwise), as the SDM says
 * (Vol. 1 §3.3.7.1) and the interpreter does. Run at CPL3, where kvm_pvm executes natively: an #SS reaches the
 * guest straight from the CPU; a #GP is intercepted by kvm_pvm, which re-runs the instruction in KVM's emulator
 * (that emulator applies the override, so {@code mov rax, ss:[rbx]} comes back as #SS) or, for an instruction the
 * emulator does not know (PADDB), reflects #UD. So PADDB shows what the CPU raised: #UD (i.e. #GP) through SS:, #SS
 * through DS: on RBP.
 */
class SegmentOverrideKvmTest {

    static final long NON_CANONICAL = 0x0000_8000_0000_0000L;
    static final long SS = LockstepRig.HANDLERS + 12 * 16, GP = LockstepRig.HANDLERS + 13 * 16,
            UD = LockstepRig.HANDLERS + 6 * 16;

    @Test
    void nonCanonicalFaultFollowsTheDefaultSegmentOnSilicon() throws Exception {
        var a = new X86KvmEngine().probe(new PosixHostInfo());
        assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
        try (KvmStepOracle kvm = new KvmStepOracle(); InterpStepper interp = new InterpStepper()) {
            long[] paddbSsRbx = run(kvm, interp, 0x36, 0x0f, 0xfc, 0x03);           // paddb mm0, ss:[rbx]
            long[] paddbDsRbp = run(kvm, interp, 0x3e, 0x0f, 0xfc, 0x45, 0x00);     // paddb mm0, ds:[rbp]
            long[] movDsRbp = run(kvm, interp, 0x3e, 0x48, 0x8b, 0x45, 0x00);       // mov rax, ds:[rbp]
            long[] movSsRbx = run(kvm, interp, 0x36, 0x48, 0x8b, 0x03);             // mov rax, ss:[rbx]

            assertNotEquals(SS, paddbSsRbx[0], "the CPU ignored the SS override: not #SS");
            assertEquals(GP, paddbSsRbx[1]);
            assertEquals(SS, paddbDsRbp[0], "the CPU ignored the DS override on RBP: #SS");
            assertEquals(SS, paddbDsRbp[1]);
            assertEquals(SS, movDsRbp[0]);
            assertEquals(SS, movDsRbp[1]);
            assertEquals(GP, movSsRbx[1]);
            System.out.printf("SegmentOverrideKvmTest: paddb mm0, ss:[rbx] -> KVM %s (the CPU's #GP%s); mov rax, "
                    + "ss:[rbx] -> KVM %s (KVM's emulator after the intercepted #GP)%n", name(paddbSsRbx[0]),
                    paddbSsRbx[0] == UD ? ", reflected as #UD by kvm_pvm" : "", name(movSsRbx[0]));
        }
    }

    /** The handler entry (fault vector) the oracle and the interpreter reach from CPL3 with RBX = RBP = non-canonical. */
    static long[] run(KvmStepOracle kvm, InterpStepper interp, int... code) throws Exception {
        byte[] b = new byte[code.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) code[k];
        }
        X86CpuState s = LockstepRig.baseState(true);
        s.rip = LockstepRig.IP;
        s.rflags = 2;
        s.gpr[X86CpuState.RSP] = LockstepRig.RSP;
        s.gpr[X86CpuState.RBX] = NON_CANONICAL;
        s.gpr[X86CpuState.RBP] = NON_CANONICAL;
        s.fcw = 0x37f;
        s.ftw = 0xff;
        byte[] data = new byte[LockstepRig.DATA_SIZE];
        var o = kvm.step(s.snapshot(), b, data);
        var i = interp.step(s.snapshot(), b, data);
        long orip = o.notJudged() == null ? o.state().getLong("rip") : -1;
        // KVM's step also ran the handler's first byte
        return new long[] {LockstepRig.inHandlers(orip) ? orip & ~15L : orip, i.state().getLong("rip")};
    }

    static String name(long rip) {
        return rip == SS ? "#SS" : rip == GP ? "#GP" : rip == UD ? "#UD" : "0x" + Long.toHexString(rip);
    }
}
