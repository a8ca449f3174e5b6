package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390TestCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PoP Ch. 14 I/O instructions against a channel subsystem without subchannels. */
class IoInstructionsTest {

    static final long CODE = S390TestCpu.CODE;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"b234 2000", "b232 2000", "b233 2000", "b235 2000", "b230 0000", "b231 0000",
        "b238 0000", "b276 0000"})
    void everySubchannelIsNotOperational(String insn) {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, insn);
        t.cpu.gpr[1] = 0x0001_0000;
        t.cpu.gpr[2] = 0x800;

        t.run(1);

        assertEquals(3, t.cpu.cc);
        assertEquals(CODE + 4, t.cpu.pswAddr);
    }

    @Test
    void aSubchannelIdWithoutTheOneBitIsAnOperandException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b234 2000");
        t.cpu.gpr[2] = 0x800;

        t.run(2);

        assertEquals(ProgramInterruption.OPERAND, t.programCode());
    }

    @Test
    void stcrwFindsNoChannelReportWord() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b239 2000");
        t.cpu.gpr[2] = 0x800;
        t.ram.write32(0x800, -1);

        t.run(1);

        assertEquals(1, t.cpu.cc);
        assertEquals(0, t.ram.read32(0x800));
    }

    @Test
    void tpiWithNothingPendingSetsCc0AndTakesWhatTheMachinePosted() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b236 2000 b236 2000");
        t.cpu.gpr[2] = 0x800;
        t.cpu.cr[6] = 0x80000000L;

        t.run(1);
        int empty = t.cpu.cc;
        t.c.postIo(0x0001_0007, 0xabcd, 0);
        t.run(1);

        assertEquals(0, empty);
        assertEquals(1, t.cpu.cc);
        assertEquals(0x0001_0007, t.ram.read32(0x800));
        assertEquals(0xabcd, t.ram.read32(0x804));
    }

    @Test
    void chscAnswersCommandNotSupported() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b25f 0020");
        t.cpu.gpr[2] = 0x40000;
        t.ram.write16(0x40000, 0x10);
        t.ram.write16(0x40002, 0x10);                          // store channel-subsystem characteristics

        t.run(1);

        assertEquals(0, t.cpu.cc);
        assertEquals(IoInstructions.CHSC_NOT_SUPPORTED, t.ram.read16(0x40012));
    }

    @Test
    void chscOfAMisalignedBlockIsASpecificationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b25f 0020");
        t.cpu.gpr[2] = 0x40008;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void rchpFindsNoChannelPath() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b23b 0000");
        t.cpu.gpr[1] = 0x40;

        t.run(1);

        assertEquals(3, t.cpu.cc);
    }

    @Test
    void tpiWithAZeroAddressStoresTheWholeInterruptionCodeInTheLowcore() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b236 0000");
        t.cpu.cr[6] = 0x80000000L;
        t.c.postIo(0x0001_0003, 0x1111, 0x2222);

        t.run(1);

        assertEquals(1, t.cpu.cc);
        assertEquals(0x0001_0003, t.ram.read32(0xb8));
        assertEquals(0x1111, t.ram.read32(0xbc));
        assertEquals(0x2222, t.ram.read32(0xc0));
    }

    @Test
    void stcpsStoresZerosAndSalAndSchmChangeNothing() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b23a 2000 b237 0000 b23c 0000");
        t.cpu.gpr[2] = 0x800;
        t.ram.write64(0x818, -1);

        t.run(3);

        assertEquals(0, t.ram.read64(0x818));
        assertEquals(CODE + 12, t.cpu.pswAddr);
    }
}
