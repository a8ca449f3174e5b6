package org.hyperport.s390.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hyperport.s390.interp.S390Interpreter;
import org.junit.jupiter.api.Test;

class SigpTest {

    final TestBoard t = new TestBoard(3);
    final S390Interpreter cpu0 = t.cpus.get(0);

    /** SIGP from CPU 0 with the status register r1 = 4; returns "cc" or "cc/status". */
    String sigp(int order, int address, long parameter) {
        cpu0.state().gpr[4] = 0xAAAA_AAAA_0000_0000L;
        int cc = t.board.signalProcessor(cpu0, order, address, parameter, 4);
        if (cc == 1) {
            assertEquals(0xAAAA_AAAAL, cpu0.state().gpr[4] >>> 32, "status must keep bits 0-31 of R1");
            return cc + "/" + Long.toHexString(cpu0.state().gpr[4] & 0xffffffffL);
        }
        return Integer.toString(cc);
    }

    @Test
    void senseReportsStoppedCpusAndNoSuchCpu() {
        assertEquals("0", sigp(Sigp.SENSE, 0, 0));
        assertEquals("1/40", sigp(Sigp.SENSE, 1, 0));
        assertEquals("3", sigp(Sigp.SENSE, 3, 0));
        assertEquals("3", sigp(Sigp.SENSE, 0xffff, 0));
    }

    @Test
    void startStopWithBusyUntilTheStopIsDone() {
        assertEquals("0", sigp(Sigp.START, 1, 0));
        assertFalse(t.slot(1).stopped());
        assertEquals("0", sigp(Sigp.SENSE, 1, 0));

        assertEquals("0", sigp(Sigp.STOP, 1, 0));
        assertEquals("2", sigp(Sigp.SENSE, 1, 0));   // busy: CPU 1's thread has not stopped yet
        assertTrue(t.slot(1).service());              // ... now it has
        assertEquals("1/40", sigp(Sigp.SENSE, 1, 0));
    }

    @Test
    void externalCallOncePendingReportsBusyStatus() {
        assertEquals("0", sigp(Sigp.EXTERNAL_CALL, 1, 0));
        assertEquals("1/80", sigp(Sigp.EXTERNAL_CALL, 1, 0));
        assertEquals("1/c0", sigp(Sigp.SENSE, 1, 0));
    }

    @Test
    void emergencySignalIsPosted() {
        S390Interpreter cpu1 = t.cpus.get(1);
        cpu1.state().cr[0] |= S390Interpreter.CR0_EMERGENCY_SIGNAL;
        cpu1.state().pswMask |= org.hyperport.s390.cpu.S390CpuState.PSW_EXT;
        assertFalse(cpu1.interruptionDeliverable());
        assertEquals("0", sigp(Sigp.EMERGENCY_SIGNAL, 1, 0));
        assertTrue(cpu1.interruptionDeliverable());
    }

    @Test
    void conditionalEmergencySignalNeedsAnOperatingOrEnabledCpu() {
        // CPU 1 is stopped with PSW 64-bit at 0x10000, disabled, not waiting: the parameter ASN 5 matches
        // neither the primary nor the secondary ASN (0).
        assertEquals("1/200", sigp(Sigp.COND_EMERGENCY_SIGNAL, 1, 5));
        assertEquals("0", sigp(Sigp.COND_EMERGENCY_SIGNAL, 1, 0));
        assertEquals("0", sigp(Sigp.COND_EMERGENCY_SIGNAL, 0, 5));
    }

    @Test
    void setPrefixOnlyOnAStoppedCpuAndInsideStorage() {
        assertEquals("1/200", sigp(Sigp.SET_PREFIX, 0, 0x4000));
        assertEquals("1/100", sigp(Sigp.SET_PREFIX, 1, 0x7fffe000L));
        assertEquals("0", sigp(Sigp.SET_PREFIX, 1, 0x6123));
        assertEquals(0x6000, t.cpus.get(1).state().prefix);
    }

    @Test
    void storeStatusAtAddressWritesTheSaveArea() {
        S390Interpreter cpu1 = t.cpus.get(1);
        cpu1.state().gpr[7] = 0x1122334455667788L;
        cpu1.state().cr[0] = 0xe0;
        cpu1.state().prefix = 0x6000;
        assertEquals("1/200", sigp(Sigp.STORE_STATUS_AT_ADDRESS, 0, 0x20000));

        assertEquals("0", sigp(Sigp.STORE_STATUS_AT_ADDRESS, 1, 0x20000));

        assertEquals(0x1122334455667788L, t.ram.read64(0x20000 + 0x80 + 7 * 8));
        assertEquals(0x10000, t.ram.read64(0x20000 + 0x108));
        assertEquals(0x6000, t.ram.read32(0x20000 + 0x118));
        assertEquals(0xe0, t.ram.read64(0x20000 + 0x180));
    }

    @Test
    void stopAndStoreStatusOnAStoppedCpuStoresAtAbsolute0x1200() {
        t.cpus.get(2).state().gpr[15] = 0xfeed;
        assertEquals("0", sigp(Sigp.STOP_AND_STORE_STATUS, 2, 0));
        assertEquals(0xfeed, t.ram.read64(0x1200 + 0x80 + 15 * 8));
        assertEquals(1, t.ram.read8(0xa3));
    }

    @Test
    void restartStartsAStoppedCpuWithARestartInterruption() {
        assertEquals("0", sigp(Sigp.RESTART, 2, 0));
        assertFalse(t.slot(2).stopped());
        assertTrue(t.cpus.get(2).interruptionDeliverable());
    }

    @Test
    void initialCpuResetOfAStoppedCpuClearsItsRegisters() {
        t.cpus.get(1).state().cr[0] = 0x12345;
        t.cpus.get(1).state().prefix = 0x8000;
        assertEquals("0", sigp(Sigp.INITIAL_CPU_RESET, 1, 0));
        assertEquals(0xe0, t.cpus.get(1).state().cr[0]);
        assertEquals(0, t.cpus.get(1).state().prefix);
    }

    @Test
    void setArchitectureIsRejectedUnderCzam() {
        assertEquals("1/100", sigp(Sigp.SET_ARCHITECTURE, 0, 2));
        sigp(Sigp.START, 1, 0);
        assertEquals("1/200", sigp(Sigp.SET_ARCHITECTURE, 0, 2));
    }

    @Test
    void senseRunningAndInvalidOrders() {
        assertEquals("0", sigp(Sigp.SENSE_RUNNING, 0, 0));
        assertEquals("1/400", sigp(Sigp.SENSE_RUNNING, 1, 0));
        assertEquals("1/2", sigp(0x77, 1, 0));
        assertEquals("1/2", sigp(0, 1, 0));
    }

    @Test
    void theLastCpuStoppingEndsTheVmWithTheExitLineStatus() {
        t.console.write("EXIT: STATUS=5\n".getBytes(), 0, 0); // nothing written: the status comes from the SCLP
        t.ram.write16(0x8000, 8 + 6 + 15);
        t.ram.write16(0x8008, 6 + 15);
        t.ram.write8(0x800a, Sclp.EV_VT220);
        t.ram.writeBytes(0x800e, "EXIT: STATUS=5\n".getBytes());
        t.board.sclp().execute(Sclp.CMD_WRITE_EVENT_DATA, 0x8000);

        assertEquals("0", sigp(Sigp.STOP, 0, 0));
        assertTrue(t.slot(0).service());
        t.board.cpuStopped();

        assertEquals(List.of("exit 5"), t.control.calls);
    }

    @Test
    void allCpusStoppedWithoutAnExitLineIsPowerOff() {
        assertEquals("0", sigp(Sigp.STOP, 0, 0));
        t.slot(0).service();
        t.board.cpuStopped();
        assertEquals(List.of("poweroff"), t.control.calls);
    }

    @Test
    void noExitWhileAnotherCpuOperates() {
        sigp(Sigp.START, 2, 0);
        sigp(Sigp.STOP, 0, 0);
        t.slot(0).service();
        t.board.cpuStopped();
        assertEquals(List.of(), t.control.calls);
    }
}
