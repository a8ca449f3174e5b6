package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Port I/O (SDM Vol 1 Ch. 19, Vol 2 IN/OUT/INS/OUTS): the IOPL check and the TSS I/O permission bitmap (§19.5) in
 * ring 3, and REP INS/OUTS. The test machine's bitmap denies every port until a test clears its bit.
 */
class SystemIoTest {

    static final long CODE = 0x6000, BUFFER = 0x6100;
    static final int COM1 = 0x3f8;

    SystemTestMachine m;
    X86CpuState cpu;

    @BeforeEach
    void setUp() {
        m = new SystemTestMachine().long64(3);
        cpu = m.cpu;
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private void allow(int port) {
        long at = SystemTestMachine.TSS + SystemTestMachine.IO_BITMAP + port / 8;
        m.ram.write8(at, m.ram.read8(at) & ~(1 << (port & 7)));
    }

    @Test
    void outToAPortTheBitmapAllowsReachesThePlatform() {
        allow(COM1);
        cpu.gpr[X86CpuState.RDX] = COM1;
        cpu.gpr[X86CpuState.RAX] = 0x41;

        m.run(CODE, "ee");                                                // out dx, al

        assertEquals(List.of("3f8/1=41"), m.io.out);
        assertEquals(CODE + 1, cpu.rip);
    }

    @Test
    void outToADeniedPortIsGpAndDoesNothing() {
        allow(COM1);

        m.run(CODE, "e6 80");                                             // out 0x80, al

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0, m.errorCode());
        assertEquals(List.of(), m.io.out);
    }

    @Test
    void everyByteOfAWideAccessMustBeAllowed() {
        allow(COM1 - 1);
        cpu.gpr[X86CpuState.RDX] = COM1 - 1;

        m.run(CODE, "66 ef");                                             // out dx, ax: ports 3f7 and 3f8

        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void aPortBeyondTheTssLimitIsGp() {
        cpu.gpr[X86CpuState.RDX] = 0x400;

        m.run(CODE, "ec");                                                // in al, dx

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(List.of(), m.io.inPorts);
    }

    @Test
    void theTwoBitmapBytesReadMustBothLieWithinTheTssLimit() {
        allow(COM1);
        cpu.tr.limit = SystemTestMachine.TSS_LIMIT - 1;                   // the terminating byte cut off
        cpu.gpr[X86CpuState.RDX] = COM1;

        m.run(CODE, "ee");

        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void ioplThreeSkipsTheBitmap() {
        cpu.rflags |= SystemInstructions.IOPL;
        cpu.gpr[X86CpuState.RAX] = 0x99;

        m.run(CODE, "e6 80");

        assertEquals(List.of("80/1=99"), m.io.out);
    }

    @Test
    void ringZeroSkipsTheBitmap() {
        m.long64(0);
        cpu.gpr[X86CpuState.RDX] = 0x1234;
        m.io.in.add(0xabcdL);

        m.run(CODE, "66 ed");                                             // in ax, dx

        assertEquals(0xabcd, cpu.gpr[X86CpuState.RAX] & 0xffff);
    }

    @Test
    void inEaxZeroExtendsIntoRax() {
        allow(0x70);
        allow(0x71);
        allow(0x72);
        allow(0x73);
        cpu.gpr[X86CpuState.RAX] = -1L;
        m.io.in.add(0x1234_5678L);

        m.run(CODE, "e5 70");                                             // in eax, 0x70

        assertEquals(0x1234_5678L, cpu.gpr[X86CpuState.RAX]);
        assertEquals(List.of(0x70), m.io.inPorts);
    }

    @Test
    void repOutsbWritesTheStringAndAdvancesRsiAndRcx() {
        allow(COM1);
        m.code(BUFFER, "68 69 21");                                       // "hi!"
        cpu.gpr[X86CpuState.RDX] = COM1;
        cpu.gpr[X86CpuState.RSI] = BUFFER;
        cpu.gpr[X86CpuState.RCX] = 3;

        m.run(CODE, "f3 6e");                                             // rep outsb

        assertEquals(List.of("3f8/1=68", "3f8/1=69", "3f8/1=21"), m.io.out);
        assertEquals(BUFFER + 3, cpu.gpr[X86CpuState.RSI]);
        assertEquals(0, cpu.gpr[X86CpuState.RCX]);
        assertEquals(CODE + 2, cpu.rip);
    }

    @Test
    void repInswStoresDownwardsWithDf() {
        allow(0x1f0);
        allow(0x1f1);
        cpu.rflags |= 1 << 10;
        cpu.gpr[X86CpuState.RDX] = 0x1f0;
        cpu.gpr[X86CpuState.RDI] = BUFFER + 2;
        cpu.gpr[X86CpuState.RCX] = 2;
        m.io.in.add(0x1111L);
        m.io.in.add(0x2222L);

        m.run(CODE, "66 f3 6d");                                          // rep insw

        assertEquals(0x1111, m.ram.read16(BUFFER + 2));
        assertEquals(0x2222, m.ram.read16(BUFFER));
        assertEquals(BUFFER - 2, cpu.gpr[X86CpuState.RDI]);
        assertEquals(0, cpu.gpr[X86CpuState.RCX]);
    }

    @Test
    void insToAnUnmappedPageFaultsBeforeReadingThePort() {
        allow(0x60);
        cpu.gpr[X86CpuState.RDX] = 0x60;
        cpu.gpr[X86CpuState.RDI] = 0x40_0000;

        m.run(CODE, "6c");                                                // insb

        assertEquals(CpuFault.PF, m.vectorTaken());
        assertEquals(List.of(), m.io.inPorts);
        assertEquals(0x40_0000, cpu.gpr[X86CpuState.RDI]);
    }

    @Test
    void aLongRepOutsbYieldsAfterOneBatchAndResumes() {
        m.long64(0);
        cpu.gpr[X86CpuState.RDX] = 0xe9;
        cpu.gpr[X86CpuState.RSI] = 0x10_0000;
        cpu.gpr[X86CpuState.RCX] = IoInstructions.BATCH + 5;
        m.run(CODE, "f3 6e");
        long ripAfterBatch = cpu.rip;
        long rcxAfterBatch = cpu.gpr[X86CpuState.RCX];

        m.steps(1);

        assertEquals(CODE, ripAfterBatch);
        assertEquals(5, rcxAfterBatch);
        assertEquals(CODE + 2, cpu.rip);
        assertEquals(IoInstructions.BATCH + 5, m.io.out.size());
    }
}
