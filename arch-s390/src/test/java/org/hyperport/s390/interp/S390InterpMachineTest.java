package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.hyperport.api.BootImage;
import org.hyperport.api.Engine;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;
import org.hyperport.s390.S390Architecture;
import org.junit.jupiter.api.Test;

/** End to end through the VM core: the embedded default guest and small raw images on the interpreter engine. */
class S390InterpMachineTest {

    record Run(VmOutcome outcome, String console, long marker) {}

    static Run run(byte[] image, int smp) throws InterruptedException {
        VmConfig config = new VmConfig("s390x", Engine.INTERPRETER, 16L << 20, smp, Optional.empty(),
                Optional.empty(), "", false);
        CapturingConsole console = new CapturingConsole();
        try (VirtualMachine vm = VirtualMachine.create(config, new S390InterpreterEngine(), console)) {
            vm.boot(new BootImage("test", image, Optional.empty(), ""));
            VmOutcome o = vm.run(20_000);
            return new Run(o, console.outputText(), vm.machine().memory().read64(0x200));
        }
    }

    /** A raw image: short IPL PSW to 0x10000, {@code code} there, and {@code extra} (address, bytes) pairs. */
    static byte[] raw(String code, Object... extra) {
        ByteBuffer b = ByteBuffer.allocate(0x11000);
        b.putInt(0, 0x00080000).putInt(4, 0x80010000);
        put(b, 0x10000, code);
        for (int i = 0; i < extra.length; i += 2) {
            int at = (Integer) extra[i];
            if (extra[i + 1] instanceof String s) {
                put(b, at, s);
            } else {
                b.put(at, (byte[]) extra[i + 1]);
            }
        }
        return b.array();
    }

    static void put(ByteBuffer b, int at, String hex) {
        String h = hex.replace(" ", "");
        for (int k = 0; k < h.length(); k += 2) {
            b.put(at + k / 2, (byte) Integer.parseInt(h.substring(k, k + 2), 16));
        }
    }

    @Test
    void theDefaultGuestPrintsTakesClockComparatorInterruptionsAndExits0() throws InterruptedException {
        byte[] guest = new S390Architecture().embeddedGuest().orElseThrow().load();

        Run r = run(guest, 1);

        assertEquals(0, r.outcome().status(), r.outcome().toString());
        assertEquals("""
                hyperport s390x default guest: SCLP console, clock comparator, SIGP stop
                clock comparator interruption
                clock comparator interruption
                clock comparator interruption
                EXIT: STATUS=0
                """, r.console());
    }

    @Test
    void withMoreCpusTheOthersStayStoppedAndTheGuestStillEnds() throws InterruptedException {
        byte[] guest = new S390Architecture().embeddedGuest().orElseThrow().load();

        Run r = run(guest, 3);

        assertEquals(0, r.outcome().status(), r.outcome().toString());
    }

    @Test
    void aDisabledWaitAt0xfffIsPowerOff() throws InterruptedException {
        // lpswe 0x100: PSW 0002000180000000 0000000000000fff
        Run r = run(raw("b2b2 0100", 0x100, "0002000180000000 0000000000000fff"), 1);

        assertEquals(0, r.outcome().status(), r.outcome().toString());
    }

    @Test
    void anyOtherDisabledWaitIsACrashNamingThePsw() throws InterruptedException {
        Run r = run(raw("b2b2 0100", 0x100, "0002000180000000 0000000000001234"), 1);

        assertEquals(3, r.outcome().status());
        assertTrue(r.outcome().message().contains("PSW 0002000180000000 0000000000001234"),
                r.outcome().message());
        assertTrue(!r.outcome().message().contains("\n"), r.outcome().message());
    }

    @Test
    void anExitLineThenSigpStopEndsWithThatStatus() throws InterruptedException {
        // lg r2,0x300; lghi r3,0x2000; servc r2,r3; lghi r3,0; sigp r0,r3,5; j .-4
        byte[] text = "EXIT: STATUS=5\n".getBytes();
        ByteBuffer sccb = ByteBuffer.allocate(8 + 6 + text.length);
        sccb.putShort(0, (short) sccb.capacity()).putShort(8, (short) (6 + text.length)).put(10, (byte) 0x1a);
        sccb.put(14, text);
        Run r = run(raw("e320 0300 0004 a739 2000 b220 0023 a739 0000 ae03 0005 a7f4 fffe",
                0x300, "0000000000760005", 0x2000, sccb.array()), 1);

        assertEquals(5, r.outcome().status(), r.outcome().toString());
        assertEquals("EXIT: STATUS=5\n", r.console());
    }

    @Test
    void sigpRestartRunsASecondCpuWhichStopsItselfThenTheLastStopPowersOff() throws InterruptedException {
        // CPU 0: lghi r3,1; sigp r0,r3,6 (restart); wait until 0x200 != 0; lghi r3,0; sigp r0,r3,5 (stop self)
        String cpu0 = "a739 0001 ae03 0006 e310 0200 0004 b908 0010 a784 fffb a739 0000 ae03 0005 a7f4 fffe";
        // CPU 1, from the restart new PSW: lghi r2,1; stg r2,0x200; lghi r3,1; sigp r0,r3,5
        String cpu1 = "a729 0001 e320 0200 0024 a739 0001 ae03 0005 a7f4 fffe";

        Run r = run(raw(cpu0, 0x1a0, "0000000180000000 0000000000010100", 0x10100, cpu1), 2);

        assertEquals(0, r.outcome().status(), r.outcome().toString());
        assertEquals(1, r.marker());
    }
}
