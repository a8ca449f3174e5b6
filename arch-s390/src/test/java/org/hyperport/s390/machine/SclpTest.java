package org.hyperport.s390.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.Charset;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.s390.interp.ProgramInterruption;
import org.junit.jupiter.api.Test;

class SclpTest {

    static final long SCCB = 0x8000;
    final RamGuestMemory mem = RamGuestMemory.allocate(AddressSpace.ABSOLUTE, ByteOrder.BIG_ENDIAN, 0, 64L << 20);
    final CapturingConsole console = new CapturingConsole();

    Sclp sclp(int cpus, boolean lineMode) {
        return new Sclp(mem, mem.size(), console, cpus, lineMode);
    }

    int exec(Sclp s, int command, int length) {
        mem.write16(SCCB, length);
        return s.execute(command, SCCB);
    }

    @Test
    void readScpInfoReportsMemoryCpusAndLoadparmAsLinuxReadsThem() {
        int rc = exec(sclp(2, false), Sclp.CMD_READ_SCP_INFO, 4096);

        assertEquals(Sclp.RC_NORMAL_READ, rc);
        assertEquals(Sclp.RC_NORMAL_READ, mem.read16(SCCB + 6) & 0xffff);
        assertEquals(64, mem.read16(SCCB + 8));          // rnmax: 64 increments
        assertEquals(1, mem.read8(SCCB + 10));           // rnsize: of 1 MiB
        assertEquals(2, mem.read16(SCCB + 16));          // CPUs
        assertEquals(128, mem.read16(SCCB + 18));        // offset of the CPU entries
        assertEquals(0x40, mem.read8(SCCB + 24) & 0xff); // loadparm: EBCDIC blanks
        assertEquals(Sclp.FACILITIES, mem.read64(SCCB + 48));
        assertEquals(1, mem.read16(SCCB + 120));         // highest CPU address
        assertEquals(0, mem.read8(SCCB + 128));
        assertEquals(1, mem.read8(SCCB + 144));
        assertEquals(0, mem.read8(SCCB + 144 + 14));     // CPU type CP
    }

    @Test
    void forcedReadScpInfoIsTheSameCommand() {
        assertEquals(Sclp.RC_NORMAL_READ, exec(sclp(1, false), Sclp.CMD_READ_SCP_INFO_FORCED, 4096));
    }

    @Test
    void largeMemoryUsesLargerIncrementsToStayUnder1020() {
        assertEquals(1L << 20, Sclp.incrementSize(64L << 20));
        assertEquals(1L << 20, Sclp.incrementSize(1020L << 20));
        assertEquals(2L << 20, Sclp.incrementSize(1021L << 20));
        assertEquals(4L << 20, Sclp.incrementSize(4080L << 20));
        assertEquals(8L << 20, Sclp.incrementSize(4L << 30));
    }

    @Test
    void readCpuInfoListsConfiguredCpus() {
        int rc = exec(sclp(3, false), Sclp.CMD_READ_CPU_INFO, 4096);

        assertEquals(Sclp.RC_NORMAL_READ, rc);
        assertEquals(3, mem.read16(SCCB + 8));
        assertEquals(24, mem.read16(SCCB + 10));
        assertEquals(0, mem.read16(SCCB + 12));
        assertEquals(2, mem.read8(SCCB + 24 + 32));
    }

    @Test
    void responseCodesForBadCommandLengthAndBoundary() {
        Sclp s = sclp(4, false);
        assertEquals(Sclp.RC_INVALID_COMMAND, exec(s, 0x00ff0001, 4096));
        assertEquals(Sclp.RC_INSUFFICIENT_LENGTH, exec(s, Sclp.CMD_READ_SCP_INFO, 128 + 16 * 3));
        assertEquals(Sclp.RC_INSUFFICIENT_LENGTH, exec(s, Sclp.CMD_READ_CPU_INFO, 16));
        assertEquals(Sclp.RC_INVALID_COMMAND, exec(s, 0x00ff0001, 0x1000 + 8)); // the command is checked first
        mem.write16(SCCB + 0x800, 0x1000);
        assertEquals(Sclp.RC_BOUNDARY, s.execute(Sclp.CMD_READ_SCP_INFO, SCCB + 0x800));
        assertEquals(Sclp.RC_BOUNDARY, mem.read16(SCCB + 0x800 + 6) & 0xffff);
    }

    void writeEventMask(Sclp s, int receive, int send) {
        mem.write16(SCCB + 10, 4);
        mem.write32(SCCB + 12, receive);
        mem.write32(SCCB + 16, send);
        assertEquals(Sclp.RC_NORMAL, exec(s, Sclp.CMD_WRITE_EVENT_MASK, 28));
    }

    @Test
    void writeEventMaskReturnsTheHostMasksOfTheConsoleChosen() {
        Sclp vt = sclp(1, false);
        writeEventMask(vt, 0, 0x40000040);
        assertEquals(Sclp.maskBit(Sclp.EV_VT220) | Sclp.maskBit(Sclp.EV_QUIESCE), mem.read32(SCCB + 20));
        assertEquals(0x00000040, mem.read32(SCCB + 24));
        Sclp lm = sclp(1, true);
        writeEventMask(lm, 0, 0x40000040);
        assertEquals(0x40000000, mem.read32(SCCB + 24));
    }

    @Test
    void writeEventMaskRejectsAZeroMaskLength() {
        mem.write16(SCCB + 10, 0);
        assertEquals(Sclp.RC_INVALID_MASK_LENGTH, exec(sclp(1, false), Sclp.CMD_WRITE_EVENT_MASK, 12));
    }

    /** One VT220 event buffer with {@code bytes}; returns the SCCB length. */
    int vt220(long at, byte[] bytes) {
        mem.write16(at, 6 + bytes.length);
        mem.write8(at + 2, Sclp.EV_VT220);
        mem.write8(at + 3, 0);
        mem.write16(at + 4, 0);
        mem.writeBytes(at + 6, bytes);
        return 6 + bytes.length;
    }

    @Test
    void vt220DataReachesTheConsoleByteForByte() {
        Sclp s = sclp(1, false);
        byte[] data = {'a', 'b', '\r', '\n', 0x1b, '[', 'm', (byte) 0xff, 'c'};
        int len = 8 + vt220(SCCB + 8, data);

        int rc = exec(s, Sclp.CMD_WRITE_EVENT_DATA, len);

        assertEquals(Sclp.RC_NORMAL, rc);
        assertEquals(java.util.Arrays.toString(data), java.util.Arrays.toString(console.output()));
        assertEquals(0x80, mem.read8(SCCB + 8 + 3) & 0x80); // buffer accepted
    }

    /** A line-mode message event with one message-text object per line (EBCDIC). */
    int lineMode(long at, String... lines) {
        Charset ebcdic = Charset.forName("IBM037");
        long p = at + 6 + 12;
        mem.fill(p, 52, (byte) 0); // general object
        mem.write16(p, 52);
        mem.write16(p + 2, 1);
        p += 52;
        for (String l : lines) {
            byte[] t = l.getBytes(ebcdic);
            mem.write16(p, 10 + t.length);
            mem.write16(p + 2, 4);
            mem.write16(p + 4, 0x1000);
            mem.write32(p + 6, 0);
            mem.writeBytes(p + 10, t);
            p += 10 + t.length;
        }
        int mdb = (int) (p - at - 6);
        mem.write16(at, 6 + mdb);
        mem.write8(at + 2, Sclp.EV_MSG);
        mem.write8(at + 3, 0);
        mem.write16(at + 4, 0);
        mem.write16(at + 6, mdb);
        mem.write16(at + 8, 1);
        mem.write32(at + 10, 0xd4c4c240);
        mem.write32(at + 14, 1);
        return 6 + mdb;
    }

    @Test
    void lineModeMessagesAreEbcdicLinesEachEndedWithANewline() {
        Sclp s = sclp(1, true);
        int len = 8 + lineMode(SCCB + 8, "Hello, s390x!", "EXIT: STATUS=7");

        int rc = exec(s, Sclp.CMD_WRITE_EVENT_DATA, len);

        assertEquals(Sclp.RC_NORMAL, rc);
        assertEquals("Hello, s390x!\nEXIT: STATUS=7\n", console.outputText());
        assertEquals(7, s.exitStatus());
    }

    @Test
    void anEventTypeTheHostDoesNotReceiveIsAnInvalidFunction() {
        Sclp lm = sclp(1, true);
        assertEquals(Sclp.RC_INVALID_FUNCTION, exec(lm, Sclp.CMD_WRITE_EVENT_DATA, 8 + vt220(SCCB + 8,
                new byte[] {'x'})));
        assertEquals("", console.outputText());
    }

    @Test
    void aTooShortEventBufferIsASyntaxError() {
        mem.write16(SCCB + 8, 3);
        assertEquals(Sclp.RC_EVBUF_SYNTAX, exec(sclp(1, false), Sclp.CMD_WRITE_EVENT_DATA, 16));
    }

    @Test
    void readEventDataReturnsConsoleInputAsVt220Data() {
        Sclp s = sclp(1, false);
        assertEquals(Sclp.RC_NO_EVENTS, exec(s, Sclp.CMD_READ_EVENT_DATA, 4096));
        writeEventMask(s, 0x00000040, 0x00000040);
        console.feed("ls\n");
        assertTrue(s.inputArrived());
        assertTrue(s.eventsPending());
        mem.write8(SCCB + 2, 0);

        int rc = exec(s, Sclp.CMD_READ_EVENT_DATA, 4096);

        assertEquals(Sclp.RC_NORMAL, rc);
        assertEquals(8 + 6 + 3, mem.read16(SCCB));
        assertEquals(9, mem.read16(SCCB + 8));
        assertEquals(Sclp.EV_VT220, mem.read8(SCCB + 10));
        assertEquals('l', mem.read8(SCCB + 14));
        assertFalse(s.eventsPending());
    }

    @Test
    void quiesceIsDeliveredOnceTheGuestAcceptsIt() {
        Sclp s = sclp(1, false);
        writeEventMask(s, Sclp.maskBit(Sclp.EV_QUIESCE), 0);
        assertTrue(s.requestQuiesce());
        mem.write8(SCCB + 2, 0);

        assertEquals(Sclp.RC_NORMAL, exec(s, Sclp.CMD_READ_EVENT_DATA, 4096));
        assertEquals(Sclp.EV_QUIESCE, mem.read8(SCCB + 10));
    }

    @Test
    void exitStatusIsTheLastExitLine() {
        Sclp s = sclp(1, false);
        assertEquals(-1, s.exitStatus());
        exec(s, Sclp.CMD_WRITE_EVENT_DATA, 8 + vt220(SCCB + 8, "EXIT: STATUS=3\nmore\nEXIT: STATUS=12\n".getBytes()));
        assertEquals(12, s.exitStatus());
    }

    @Test
    void serviceCallChecksTheSccbAddressAndPostsTheServiceSignal() {
        TestBoard t = new TestBoard(1);
        var cpu = t.cpus.getFirst();
        assertThrows(ProgramInterruption.class, () -> t.board.serviceCall(cpu, Sclp.CMD_READ_SCP_INFO, 0x8004));
        assertThrows(ProgramInterruption.class, () -> t.board.serviceCall(cpu, Sclp.CMD_READ_SCP_INFO, 0x1000));
        assertEquals(ProgramInterruption.SPECIFICATION, cpu.fault().code());
        assertThrows(ProgramInterruption.class, () -> t.board.serviceCall(cpu, Sclp.CMD_READ_SCP_INFO,
                0x8000_0000L));
        t.ram.write16(0x8000, 4);
        assertThrows(ProgramInterruption.class, () -> t.board.serviceCall(cpu, Sclp.CMD_READ_SCP_INFO, 0x8000));
        t.ram.write16(0x8000, 4096);

        assertEquals(0, t.board.serviceCall(cpu, Sclp.CMD_READ_SCP_INFO, 0x8000));

        // The service signal: enabled for it, the CPU takes external interruption 0x2401 with the SCCB address.
        cpu.state().cr[0] |= org.hyperport.s390.interp.S390Interpreter.CR0_SERVICE_SIGNAL;
        cpu.state().pswMask |= org.hyperport.s390.cpu.S390CpuState.PSW_EXT;
        t.ram.write64(0x1b0, org.hyperport.s390.cpu.S390CpuState.PSW_EA | org.hyperport.s390.cpu.S390CpuState.PSW_BA);
        t.ram.write64(0x1b8, 0x20000);
        assertTrue(cpu.step());
        assertEquals(0x2401, t.ram.read16(0x86));
        assertEquals(0x8000, t.ram.read32(0x80));
        assertEquals(0x20000, cpu.state().pswAddr);
    }
}
