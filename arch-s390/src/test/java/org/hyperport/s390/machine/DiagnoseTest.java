package org.hyperport.s390.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.junit.jupiter.api.Test;

class DiagnoseTest {

    final TestBoard t = new TestBoard(1);
    final S390Interpreter cpu = t.cpus.getFirst();

    @Test
    void yieldsAndTheWatchdogAreAccepted() {
        t.board.diagnose(cpu, 0x44, 0, 0);
        t.board.diagnose(cpu, 0x9c, 0, 0);
        cpu.setCc(3);
        t.board.diagnose(cpu, 0x288, 0, 0);
        assertEquals(0, cpu.cc());
        assertEquals(List.of(), t.control.calls);
    }

    @Test
    void unknownCodesAreSpecificationExceptions() {
        assertThrows(ProgramInterruption.class, () -> t.board.diagnose(cpu, 0x260, 0, 0));
        assertEquals(ProgramInterruption.SPECIFICATION, cpu.fault().code());
    }

    @Test
    void virtioNotifyWithoutDevicesIsEinval() {
        cpu.state().gpr[1] = 3;
        t.board.diagnose(cpu, 0x500, 2, 4);
        assertEquals(-22, cpu.state().gpr[2]);
        cpu.state().gpr[1] = 99;
        assertThrows(ProgramInterruption.class, () -> t.board.diagnose(cpu, 0x500, 2, 4));
    }

    @Test
    void diag308LoadRequestsAReset() {
        cpu.state().gpr[3] = Diagnose.LOAD_CLEAR;
        t.board.diagnose(cpu, 0x308, 2, 3);
        assertEquals(List.of("reset DIAGNOSE 308 subcode 3"), t.control.calls);
    }

    @Test
    void diag308SetThenStoreReturnsTheBlock() {
        cpu.state().gpr[3] = Diagnose.STORE;
        cpu.state().gpr[2] = 0x20000;
        t.board.diagnose(cpu, 0x308, 2, 3);
        assertEquals(Diagnose.RC_NO_CONF, cpu.state().gpr[3]);

        t.ram.write32(0x20000, 16);
        t.ram.write64(0x20008, 0x1234);
        cpu.state().gpr[3] = Diagnose.SET;
        t.board.diagnose(cpu, 0x308, 2, 3);
        assertEquals(Diagnose.RC_OK, cpu.state().gpr[3]);

        cpu.state().gpr[2] = 0x30000;
        cpu.state().gpr[3] = Diagnose.STORE;
        t.board.diagnose(cpu, 0x308, 2, 3);
        assertEquals(Diagnose.RC_OK, cpu.state().gpr[3]);
        assertEquals(0x1234, t.ram.read64(0x30008));
    }

    @Test
    void diag308SetNeedsAnEvenRegisterAndAPageAlignedBlock() {
        cpu.state().gpr[3] = Diagnose.SET;
        cpu.state().gpr[2] = 0x20010;
        assertThrows(ProgramInterruption.class, () -> t.board.diagnose(cpu, 0x308, 2, 3));
        cpu.state().gpr[4] = Diagnose.SET;
        assertThrows(ProgramInterruption.class, () -> t.board.diagnose(cpu, 0x308, 3, 4));
        cpu.state().gpr[3] = 99;
        assertThrows(ProgramInterruption.class, () -> t.board.diagnose(cpu, 0x308, 2, 3));
    }

    @Test
    void todIsStrictlyIncreasingWithTheUnixEpochAt0x7d91048bca000000() {
        long a = t.board.tod();
        long b = t.board.tod();
        assertEquals(1, Long.signum(Long.compareUnsigned(b, a)));
        TodClock c = new TodClock(0, System.nanoTime());
        long v = c.read();
        assertEquals(1, Long.signum(Long.compareUnsigned(v, TodClock.UNIX_EPOCH - 1)));
        assertEquals(0, Long.compareUnsigned(v, TodClock.UNIX_EPOCH + (10_000_000L << 12)) < 0 ? 0 : 1);
    }
}
