package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.s390.cpu.S390CpuState;
import org.junit.jupiter.api.Test;

/** PoP Ch. 6 interruptions: external (timers, signals), I/O, restart, SVC, program old PSWs, wait states. */
class InterruptionTest {

    static final long CODE = S390TestCpu.CODE;
    /** LR 0,0: a two-byte instruction that changes nothing. */
    static final String NOPR = "1800";

    static int extCode(S390TestCpu t) {
        return t.ram.read16(S390Interpreter.LC_EXT_CODE) & 0xffff;
    }

    static long extOldAddr(S390TestCpu t) {
        return t.ram.read64(S390Interpreter.LC_EXT_OLD + 8);
    }

    /** A CPU with the clock comparator already passed, and a NOPR at CODE. */
    static S390TestCpu comparatorPassed() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR + NOPR);
        t.cpu.clockComparator = t.tod - 1;
        return t;
    }

    @Test
    void thePassedClockComparatorInterruptsWhenPswBit7AndTheCr0SubclassAllowIt() {
        S390TestCpu t = comparatorPassed();
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.cpu.cr[0] |= S390Interpreter.CR0_CLOCK_COMPARATOR;

        t.run(1);

        assertEquals(S390Interpreter.EXT_CLOCK_COMPARATOR, extCode(t));
        assertEquals(CODE, extOldAddr(t), "taken before the next instruction");
        assertTrue(t.waiting());
    }

    @Test
    void theClockComparatorIsMaskedByPswBit7() {
        S390TestCpu t = comparatorPassed();
        t.cpu.cr[0] |= S390Interpreter.CR0_CLOCK_COMPARATOR;

        t.run(1);

        assertEquals(0, extCode(t));
        assertEquals(CODE + 2, t.cpu.pswAddr);
    }

    @Test
    void theClockComparatorIsMaskedByItsCr0SubclassBit() {
        S390TestCpu t = comparatorPassed();
        t.cpu.pswMask |= S390CpuState.PSW_EXT;

        t.run(1);

        assertEquals(0, extCode(t));
        assertEquals(CODE + 2, t.cpu.pswAddr);
    }

    @Test
    void theClockComparatorConditionPersistsUntilTheComparatorChanges() {
        S390TestCpu t = comparatorPassed();
        t.cpu.cr[0] |= S390Interpreter.CR0_CLOCK_COMPARATOR;
        long enabled = S390TestCpu.PSW_64 | S390CpuState.PSW_EXT;
        t.cpu.setPsw(enabled, CODE);
        t.run(1);
        t.ram.write16(S390Interpreter.LC_EXT_CODE, 0);

        t.cpu.setPsw(enabled, CODE);
        t.run(1);
        int again = extCode(t);
        t.ram.write16(S390Interpreter.LC_EXT_CODE, 0);
        t.cpu.clockComparator = -1;
        t.cpu.setPsw(enabled, CODE);
        t.run(1);

        assertEquals(S390Interpreter.EXT_CLOCK_COMPARATOR, again);
        assertEquals(0, extCode(t));
        assertEquals(CODE + 2, t.cpu.pswAddr);
    }

    @Test
    void aNegativeCpuTimerInterruptsWithCode1005() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR + NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.cpu.cr[0] |= S390Interpreter.CR0_CPU_TIMER;
        t.c.setCpuTimer(0x10);

        t.run(1);
        long before = t.cpu.pswAddr;
        t.tod += 0x11;
        t.run(1);

        assertEquals(CODE + 2, before);
        assertEquals(S390Interpreter.EXT_CPU_TIMER, extCode(t));
        assertEquals(CODE + 2, extOldAddr(t));
    }

    @Test
    void theCpuTimerIsMaskedByItsCr0SubclassBit() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.c.setCpuTimer(-1);

        t.run(1);

        assertEquals(0, extCode(t));
    }

    @Test
    void anEmergencySignalStoresTheSendingCpuAddress() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.cpu.cr[0] |= S390Interpreter.CR0_EMERGENCY_SIGNAL;
        t.c.postEmergencySignal(3);

        t.run(1);

        assertEquals(S390Interpreter.EXT_EMERGENCY_SIGNAL, extCode(t));
        assertEquals(3, t.ram.read16(S390Interpreter.LC_EXT_CPU_ADDR));
    }

    @Test
    void theServiceSignalCarriesItsParameter() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.cpu.cr[0] |= S390Interpreter.CR0_SERVICE_SIGNAL;
        t.c.postServiceSignal(0x8000);

        t.run(1);

        assertEquals(S390Interpreter.EXT_SERVICE_SIGNAL, extCode(t));
        assertEquals(0x8000, t.ram.read32(S390Interpreter.LC_EXT_PARAM));
    }

    @Test
    void svcStoresTheNumberTheIlcAndAnOldPswPastTheInstruction() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "0a05");

        t.run(1);

        assertEquals(5, t.ram.read16(S390Interpreter.LC_SVC_CODE));
        assertEquals(2, t.ram.read16(S390Interpreter.LC_SVC_ILC), "ILC 1 in bits 13-14");
        assertEquals(CODE + 2, t.ram.read64(S390Interpreter.LC_SVC_OLD + 8));
    }

    @Test
    void svcUnderExecuteReportsTheExecutesLengthAndAddress() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "4400 0100");
        t.load(0x100, "0a07");

        t.run(1);

        assertEquals(7, t.ram.read16(S390Interpreter.LC_SVC_CODE));
        assertEquals(4, t.ram.read16(S390Interpreter.LC_SVC_ILC), "ILC 2");
        assertEquals(CODE + 4, t.ram.read64(S390Interpreter.LC_SVC_OLD + 8));
    }

    @Test
    void aPageTranslationExceptionOnInstructionFetchNullifies() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        new DatFixture(t, 1).identity(0, 0x2000).on();

        t.run(2);

        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(CODE, t.programOldAddr());
        assertEquals(CODE | 0x800, t.ram.read64(S390Interpreter.LC_TEID));
    }

    @Test
    void anIoInterruptionIsTakenWhenPswBit6AndItsCr6SubclassAllowIt() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_IO;
        t.cpu.cr[6] = 0x10000000L;                             // ISC 3
        t.c.postIo(0x00010005, 0x12345678, 0x18000000);

        t.run(1);

        assertEquals(0x00010005, t.ram.read32(S390Interpreter.LC_IO_SUBSYS_ID));
        assertEquals(0x12345678, t.ram.read32(S390Interpreter.LC_IO_PARAM));
        assertEquals(0x18000000, t.ram.read32(S390Interpreter.LC_IO_ID));
        assertEquals(CODE, t.ram.read64(S390Interpreter.LC_IO_OLD + 8));
    }

    @Test
    void anIoInterruptionOfADisabledSubclassStaysPending() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, NOPR);
        t.cpu.pswMask |= S390CpuState.PSW_IO;
        t.cpu.cr[6] = 0x80000000L;                             // ISC 0 only
        t.c.postIo(0x00010005, 0, 0x18000000);

        t.run(1);

        assertEquals(CODE + 2, t.cpu.pswAddr);
        assertFalse(t.c.interruptionDeliverable());
        t.cpu.cr[6] = 0x10000000L;
        assertTrue(t.c.interruptionDeliverable());
    }

    @Test
    void aRestartIsTakenEvenFromADisabledWait() {
        S390TestCpu t = new S390TestCpu();
        t.cpu.setPsw(S390TestCpu.PSW_64 | S390CpuState.PSW_WAIT, 0xfff);
        boolean stepped = t.c.step();
        t.c.postRestart();

        t.run(1);

        assertFalse(stepped);
        assertEquals(0xfff, t.ram.read64(S390Interpreter.LC_RESTART_OLD + 8));
    }

    @Test
    void anEnabledWaitEndsWithTheInterruptionItWaitedFor() {
        S390TestCpu t = new S390TestCpu();
        t.cpu.cr[0] |= S390Interpreter.CR0_SERVICE_SIGNAL;
        t.cpu.setPsw(S390TestCpu.PSW_64 | S390CpuState.PSW_WAIT | S390CpuState.PSW_EXT, CODE);
        boolean idle = t.c.step();
        boolean enabledWait = t.c.enabledWait();
        t.c.postServiceSignal(0x8000);

        boolean taken = t.c.step();

        assertFalse(idle);
        assertTrue(enabledWait);
        assertTrue(taken);
        assertEquals(S390Interpreter.EXT_SERVICE_SIGNAL, extCode(t));
        assertTrue(t.c.disabledWait(), "the test's new PSW is a disabled wait");
    }

    @Test
    void nextTimerEventIsTheEarlierOfComparatorAndCpuTimer() {
        S390TestCpu t = new S390TestCpu();
        t.cpu.pswMask |= S390CpuState.PSW_EXT;
        t.cpu.cr[0] |= S390Interpreter.CR0_CLOCK_COMPARATOR | S390Interpreter.CR0_CPU_TIMER;
        t.cpu.clockComparator = t.tod + 1000;
        t.c.setCpuTimer(100);

        long next = t.c.nextTimerEvent();

        assertEquals(t.tod + 101, next);
    }
}
