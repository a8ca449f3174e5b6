package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.s390.cpu.S390CpuState;
import org.junit.jupiter.api.Test;

class S390InterpreterTest {

    @Test
    void signedOverflowSetsCc3AndInterruptsOnlyWhenTheProgramMaskEnablesIt() {
        S390TestCpu t = new S390TestCpu();
        t.load(S390TestCpu.CODE, "1a12 1a12");              // ar %r1,%r2 twice
        t.cpu.gpr[1] = 0x7fffffff;
        t.cpu.gpr[2] = 1;
        t.run(1);
        assertEquals(0x80000000L, t.cpu.gpr[1]);
        assertEquals(3, t.cpu.cc);
        t.cpu.pswMask |= (long) S390CpuState.PM_FIXED_OVERFLOW << S390CpuState.PSW_PROGRAM_MASK_SHIFT;
        t.cpu.gpr[1] = 0x7fffffff;
        t.run(2);
        assertTrue(t.waiting());
        assertEquals(ProgramInterruption.FIXED_POINT_OVERFLOW, t.programCode());
        assertEquals(1, t.programIlc());
        assertEquals(S390TestCpu.CODE + 4, t.programOldAddr(), "completion: the old PSW points past the AR");
        assertEquals(0x80000000L, t.cpu.gpr[1], "the sum is stored");
    }

    @Test
    void unknownOpcodeIsAnOperationExceptionPointingPastIt() {
        S390TestCpu t = new S390TestCpu();
        t.load(S390TestCpu.CODE, "0000");
        t.run(2);
        assertEquals(ProgramInterruption.OPERATION, t.programCode());
        assertEquals(S390TestCpu.CODE + 2, t.programOldAddr());
    }

    @Test
    void privilegedInstructionInProblemStateIsPrivilegedOperation() {
        S390TestCpu t = new S390TestCpu();
        t.load(S390TestCpu.CODE, "b2b2 1000");
        t.cpu.pswMask |= S390CpuState.PSW_PROBLEM;
        t.run(2);
        assertEquals(ProgramInterruption.PRIVILEGED_OPERATION, t.programCode());
        assertEquals(2, t.programIlc());
    }

    @Test
    void executeOrsTheRegisterIntoTheTargetsSecondByte() {
        S390TestCpu t = new S390TestCpu();
        // ex %r3,0x100(%r0) ; target at 0x100: lgr %r0,%r0 with r1/r2 from the OR: b904 0000 -> b904 00?? no:
        // use LR 18 00 at 0x100; OR byte 0x12 makes it lr %r1,%r2.
        t.load(S390TestCpu.CODE, "4430 0100");
        t.load(0x100, "1800");
        t.cpu.gpr[3] = 0x12;
        t.cpu.gpr[2] = 0xabcd;
        t.run(1);
        assertEquals(0xabcd, t.cpu.gpr[1]);
        assertEquals(S390TestCpu.CODE + 4, t.cpu.pswAddr);
    }

    @Test
    void lpsweWithEaButNotBaIsAnEarlySpecificationExceptionWithIlc0() {
        S390TestCpu t = new S390TestCpu();
        t.load(S390TestCpu.CODE, "b2b2 0200");
        t.ram.write64(0x200, S390CpuState.PSW_EA);
        t.ram.write64(0x208, 0x4000);
        t.run(2);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
        assertEquals(0, t.programIlc());
        assertEquals(S390CpuState.PSW_EA, t.ram.read64(S390Interpreter.LC_PGM_OLD));
        assertEquals(0x4000, t.programOldAddr());
    }

    @Test
    void pageTranslationExceptionNullifiesAndReportsTheTeid() {
        S390TestCpu t = new S390TestCpu();
        // Segment-table ASCE at 0x20000 (DT=segment, TL=3); every segment entry invalid except 0, whose page
        // table at 0x30000 maps page 0x10 (the code) and leaves page 0x50 invalid.
        for (int k = 0; k < 2048; k++) {
            t.ram.write64(0x20000 + 8L * k, 0x20);
        }
        t.ram.write64(0x20000, 0x30000);
        for (int k = 0; k < 256; k++) {
            t.ram.write64(0x30000 + 8L * k, ((long) k << 12) | (k == 0x50 ? 0x400 : 0));
        }
        t.cpu.cr[1] = 0x20000 | 3;
        t.cpu.pswMask |= S390CpuState.PSW_DAT;
        t.load(S390TestCpu.CODE, "e310 0000 0004");       // lg %r1,0(%r0): fine, page 0 mapped
        t.load(S390TestCpu.CODE + 6, "e310 5000 0004");   // lg %r1,0(%r5): r5 = 0x50000 invalid page
        t.cpu.gpr[5] = 0x50000;
        t.run(3);
        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(S390TestCpu.CODE + 6, t.programOldAddr(), "nullified: the old PSW designates the LG");
        assertEquals(0x50000L | 0x800, t.ram.read64(S390Interpreter.LC_TEID));
    }
}
