package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hyperport.s390.cpu.Facilities;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.decode.Entry;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.S390TestCpu;
import org.hyperport.s390.interp.Semantics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PoP Ch. 10 control instructions: PSW, control registers, prefix, CPU identity, timers, the machine. */
class ControlInstructionsTest {

    static final long CODE = S390TestCpu.CODE;

    /** Encodings as GNU as (-march=z196) assembles them, decoded back through the table. */
    @ParameterizedTest(name = "{1}")
    @CsvSource({"82001000, LPSW", "80001000, SSM", "acfe1000, STNSM", "ad031000, STOSM", "b20a0030, SPKA",
        "b20b0000, IPK", "b70f1000, LCTL", "b6011000, STCTL", "eb0110000025, STCTG", "eb661000002f, LCTLG",
        "b2101000, SPX", "b2111000, STPX", "b2121000, STAP", "b2021000, STIDP", "b27d1000, STSI",
        "b2b10000, STFL", "b2041000, SCK", "b2061000, SCKC", "b2071000, STCKC", "b2081000, SPT",
        "b2091000, STPT", "0107, SCKPF", "0104, PTFF", "ae240005, SIGP", "83240500, DIAG", "b2200012, SERVC",
        "b2260010, EPAR", "b2270010, ESAR", "b2240010, IAC", "b2190100, SAC", "b2790300, SACF",
        "b2290012, ISKE", "b22b6012, SSKE", "b2230012, IVSK", "b22a0012, RRBE", "b9af0012, PFMF",
        "e50110000010, TPROT", "b1102000, LRA", "e31020000013, LRAY", "e31020000003, LRAG", "b24b0012, LURA",
        "b9050012, LURAG", "b2460012, STURA", "b9250012, STURG", "b2213112, IPTE", "b98e0012, IDTE",
        "b2500024, CSP", "b98a0024, CSPG", "b20d0000, PTLB", "c83010002000, MVCOS", "d93410002000, MVCK",
        "da3410002000, MVCP", "db3410002000, MVCS", "b2342000, STSCH", "b2362000, TPI", "b2392000, STCRW",
        "b25f0020, CHSC", "b23b0000, RCHP"})
    void gnuAsEncodingsDecodeToTheirMnemonic(String hex, String mnemonic) {
        long bits = Long.parseUnsignedLong(hex, 16) << (64 - 4 * hex.length());
        Insn i = new Insn();

        boolean known = InstructionTable.get().decode(bits, i);

        assertTrue(known);
        assertEquals(mnemonic, i.mnemonic());
    }

    @Test
    void everyControlAndIoTableEntryHasSemantics() {
        Semantics[] byId = S390Semantics.build(S390Semantics.groups());

        List<String> missing = S390Semantics.missing(byId).stream()
                .filter(e -> e.chapter().equals("control") || e.chapter().equals("io"))
                .map(Entry::mnemonic).toList();

        assertEquals(List.of(), missing);
    }

    @Test
    void lpswConvertsTheShortPswAndClearsBit12() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "8200 1000");
        t.cpu.gpr[1] = 0x200;
        t.ram.write64(0x200, 0x000C0000_80012000L);

        t.run(1);

        assertEquals(0x00040000_80000000L, t.cpu.psw());
        assertEquals(0x12000, t.cpu.pswAddr);
    }

    @Test
    void lpswWithoutBit12IsASpecificationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "8200 1000");
        t.cpu.gpr[1] = 0x200;
        t.ram.write64(0x200, 0x00040000_80012000L);

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
        assertEquals(CODE + 4, t.programOldAddr());
    }

    @Test
    void ssmStnsmAndStosmChangeTheSystemMask() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "8000 1000 acfe 1001 ad04 1002");       // ssm 0(1); stnsm 1(1),0xfe; stosm 2(1),0x04
        t.cpu.gpr[1] = 0x300;
        t.ram.write8(0x300, 0x03);

        t.run(3);

        assertEquals(0x03, t.ram.read8(0x301));
        assertEquals(0x02, t.ram.read8(0x302));
        assertEquals(S390CpuState.PSW_IO | S390CpuState.PSW_DAT, t.cpu.pswMask & 0xff00000000000000L);
    }

    @Test
    void stosmSettingAReservedBitIsAnEarlySpecificationExceptionAfterTheStore() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "ad08 1000");
        t.cpu.gpr[1] = 0x300;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
        assertEquals(0, t.programIlc());
        assertEquals(CODE + 4, t.programOldAddr());
    }

    @Test
    void spkaInProblemStateNeedsThePswKeyMaskBit() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b20a 0030 b20a 0040");
        t.cpu.pswMask |= S390CpuState.PSW_PROBLEM;
        t.cpu.cr[3] = 0x10000000L;                             // key 3 permitted only

        t.run(1);
        int key = t.cpu.key();
        t.run(2);

        assertEquals(3, key);
        assertEquals(ProgramInterruption.PRIVILEGED_OPERATION, t.programCode());
    }

    @Test
    void ipkInsertsThePswKeyIntoGr2() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b20b 0000");
        t.cpu.pswMask |= 5L << S390CpuState.PSW_KEY_SHIFT;
        t.cpu.gpr[2] = 0xffff_ffff_ffff_ffffL;

        t.run(1);

        assertEquals(0xffff_ffff_ffff_ff50L, t.cpu.gpr[2]);
    }

    @Test
    void lctlAndStctlMoveTheLowHalvesAndStctgTheWholeRegisters() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b7ef 1000 b6ef 1010 eb0f 1020 0025");  // lctl 14,15; stctl 14,15; stctg 0,15
        t.cpu.gpr[1] = 0x400;
        t.cpu.cr[14] = 0xaaaa_aaaa_0000_0000L;
        t.ram.write32(0x400, 0x11111111);
        t.ram.write32(0x404, 0x22222222);

        t.run(3);

        assertEquals(0xaaaa_aaaa_1111_1111L, t.cpu.cr[14]);
        assertEquals(0x22222222, t.ram.read32(0x414));
        assertEquals(0xaaaa_aaaa_1111_1111L, t.ram.read64(0x420 + 14 * 8));
        assertEquals(0xe0, t.ram.read64(0x420));
    }

    @Test
    void lctlOperandMustBeWordAligned() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b700 1002");
        t.cpu.gpr[1] = 0x400;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void spxMovesTheLowcoreAndStpxStoresThePrefix() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b210 1000 b212 0100 b211 1004");      // spx 0(1); stap 0x100; stpx 4(1)
        t.cpu.gpr[1] = 0x8000;
        t.ram.write32(0x8000, 0x0004_1fff);                  // low bits are ignored

        t.run(3);

        assertEquals(0x40000, t.cpu.prefix);
        assertEquals(0x40000, t.ram.read32(0x8004));
        assertEquals(0, t.ram.read16(0x40100), "STAP stored CPU address 0 at real 0x100 = absolute 0x40100");
        assertEquals(0x40000L, t.c.absolute(0));
        assertEquals(0L, t.c.absolute(0x40000));
    }

    @Test
    void spxOutsideStorageIsAnAddressingException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b210 1000");
        t.cpu.gpr[1] = 0x8000;
        t.ram.write32(0x8000, 0x7fff_e000);

        t.run(2);

        assertEquals(ProgramInterruption.ADDRESSING, t.programCode());
        assertEquals(0, t.cpu.prefix);
    }

    @Test
    void stidpReportsAz196CpuId() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b202 1000");
        t.cpu.gpr[1] = 0x500;

        t.run(1);

        assertEquals(0x0001_2345_2817_0000L, t.ram.read64(0x500));
    }

    @Test
    void stsiFunctionCode0ReportsLevel3() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b27d 1000");

        t.run(1);

        assertEquals(0x30000000L, t.cpu.gpr[0]);
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void stsi322DescribesAKvmGuestInEbcdic() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b27d 2000");
        t.cpu.gpr[0] = 0x30000002L;
        t.cpu.gpr[1] = 2;
        t.cpu.gpr[2] = 0x40000;

        t.run(1);

        assertEquals(0, t.cpu.cc);
        assertEquals(1, t.ram.read8(0x40000 + 31), "one virtual-machine level");
        assertEquals(0xd2e5d461, t.ram.read32(0x40000 + 56), "'KVM/'");
        assertEquals(0xd38995a4, t.ram.read32(0x40000 + 60), "'Linu'");
        assertEquals(1, t.ram.read16(0x40000 + 38), "configured CPUs");
    }

    @Test
    void stsi111NamesTheMachineType2817() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b27d 2000");
        t.cpu.gpr[0] = 0x10000001L;
        t.cpu.gpr[1] = 1;
        t.cpu.gpr[2] = 0x40000;

        t.run(1);

        assertEquals(0xc9c2d440, t.ram.read32(0x40000 + 32), "'IBM '");
        assertEquals(0xf2f8f1f7, t.ram.read32(0x40000 + 48), "'2817'");
    }

    @Test
    void stsiOfAnUnsupportedBlockSetsCc3AndOfAMisalignedOneIsSpecification() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b27d 2000 b27d 2008");
        t.cpu.gpr[0] = 0x10000003L;                           // 1.3.1 does not exist
        t.cpu.gpr[1] = 1;
        t.cpu.gpr[2] = 0x40000;

        t.run(1);
        int cc = t.cpu.cc;
        t.cpu.gpr[0] = 0x20000002L;
        t.cpu.gpr[1] = 2;
        t.run(2);

        assertEquals(3, cc);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void stflStoresTheFirstFacilityWordAtLowcore200() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b2b1 0000");

        t.run(1);

        assertEquals(Facilities.stfle()[0] >>> 32, t.ram.read32(S390Interpreter.LC_STFL) & 0xffffffffL);
        assertTrue(Facilities.has(0) && Facilities.has(8) && !Facilities.has(78));
    }

    @Test
    void sckSetsTheClockThisCpuSees() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b204 1000");
        t.cpu.gpr[1] = 0x600;
        t.ram.write64(0x600, 0x7000_0000_0000_0000L);

        t.run(1);
        t.tod += 0x100;

        assertEquals(0x7000_0000_0000_0100L, t.c.tod());
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void sckcAndStckcRoundTripTheClockComparator() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b206 1000 b207 1008");
        t.cpu.gpr[1] = 0x600;
        t.ram.write64(0x600, 0x1234_5678_9abc_def0L);

        t.run(2);

        assertEquals(0x1234_5678_9abc_def0L, t.cpu.clockComparator);
        assertEquals(0x1234_5678_9abc_def0L, t.ram.read64(0x608));
    }

    @Test
    void theCpuTimerSetBySptRunsDownAtTheTodRate() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b208 1000 b209 1008");
        t.cpu.gpr[1] = 0x600;
        t.ram.write64(0x600, 0x10000);

        t.run(1);
        t.tod += 0x300;
        t.run(1);

        assertEquals(0x10000 - 0x300, t.ram.read64(0x608));
    }

    @Test
    void timerOperandsMustBeDoublewordAligned() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b208 1004");
        t.cpu.gpr[1] = 0x600;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void sckpfLoadsTheTodProgrammableFieldFromGr0() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "0107 0107");
        t.cpu.gpr[0] = 0xffff_ffff_0000_abcdL;

        t.run(1);
        int todpr = t.cpu.todpr;
        t.cpu.gpr[0] = 0x1_0000;
        t.run(2);

        assertEquals(0xabcd, todpr);
        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void ptffQueryListsOnlyItselfAndOtherFunctionsSetCc3() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "0104 0104");
        t.cpu.gpr[1] = 0x700;

        t.run(1);
        int cc = t.cpu.cc;
        t.cpu.gpr[0] = 1;
        t.run(1);

        assertEquals(0, cc);
        assertEquals(0x8000_0000_0000_0000L, t.ram.read64(0x700));
        assertEquals(3, t.cpu.cc);
    }

    @Test
    void sigpPassesOrderCpuAddressAndTheOddParameterRegister() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "ae24 0005");                            // sigp %r2,%r4,5 (STOP)
        t.cpu.gpr[4] = 0xffff_0003L;
        t.cpu.gpr[3] = 0x99;

        t.run(1);

        assertEquals(List.of("sigp 5 3 99"), t.calls);
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void diagnosePassesTheCodeFromTheSecondOperandAddress() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "8324 0500");

        t.run(1);

        assertEquals(List.of("diag 500 2 4"), t.calls);
    }

    @Test
    void servcPassesCommandAndSccb() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b220 0012");
        t.cpu.gpr[1] = 0x00020001;
        t.cpu.gpr[2] = 0x8000;

        t.run(1);

        assertEquals(List.of("servc 00020001 8000"), t.calls);
    }

    @ParameterizedTest(name = "SCCB {0}")
    @CsvSource({"0x8004", "0x1000", "0x80000000"})
    void servcRejectsMisalignedLowcoreAndHighSccbs(String sccb) {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b220 0012");
        t.cpu.gpr[2] = Long.decode(sccb);

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
        assertEquals(List.of(), t.calls);
    }

    @Test
    void sacSwitchesToHomeSpaceAndIacReportsIt() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b219 0300 b224 0010");
        t.cpu.pswMask |= S390CpuState.PSW_DAT;
        t.cpu.cr[1] = 0x20;                                   // real-space designations
        t.cpu.cr[13] = 0x20;

        t.run(2);

        assertEquals(S390CpuState.ASC_HOME, t.cpu.asc());
        assertEquals(3, t.cpu.cc);
        assertEquals(0x300, t.cpu.gpr[1] & 0xffff);
    }

    @Test
    void sacWithDatOffIsASpecialOperationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b219 0000");

        t.run(2);

        assertEquals(ProgramInterruption.SPECIAL_OPERATION, t.programCode());
    }

    @Test
    void eparAndEsarExtractTheAsns() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b226 0010 b227 0020");
        t.cpu.pswMask |= S390CpuState.PSW_DAT;
        t.cpu.cr[1] = 0x20;
        t.cpu.cr[4] = 0x1234;
        t.cpu.cr[3] = 0x5678;

        t.run(2);

        assertEquals(0x1234, t.cpu.gpr[1]);
        assertEquals(0x5678, t.cpu.gpr[2]);
    }

    @Test
    void privilegedControlInstructionsInProblemStateArePrivilegedOperations() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b22b 0012");
        t.cpu.pswMask |= S390CpuState.PSW_PROBLEM;

        t.run(2);

        assertEquals(ProgramInterruption.PRIVILEGED_OPERATION, t.programCode());
        assertEquals(CODE + 4, t.programOldAddr());
    }

    @Test
    void sacfToAccessRegisterModeNeedsTheSecondarySpaceControl() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b279 0200 b279 0200");
        t.cpu.pswMask |= S390CpuState.PSW_DAT;
        t.cpu.cr[1] = 0x20;
        t.cpu.cr[0] |= S390Interpreter.CR0_SECONDARY_SPACE;

        t.run(1);
        int asc = t.cpu.asc();
        t.cpu.cr[0] &= ~S390Interpreter.CR0_SECONDARY_SPACE;
        t.run(2);

        assertEquals(S390CpuState.ASC_AR, asc);
        assertEquals(ProgramInterruption.SPECIAL_OPERATION, t.programCode());
    }

    @Test
    void lpsweLoadsTheWholePsw() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b2b2 1000");
        t.cpu.gpr[1] = 0x200;
        t.ram.write64(0x200, S390TestCpu.PSW_64 | (2L << S390CpuState.PSW_CC_SHIFT));
        t.ram.write64(0x208, 0x20000);

        t.run(1);

        assertEquals(0x20000, t.cpu.pswAddr);
        assertEquals(2, t.cpu.cc);
    }
}
