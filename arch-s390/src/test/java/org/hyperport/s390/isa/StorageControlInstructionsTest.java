package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.DatFixture;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390TestCpu;
import org.hyperport.s390.interp.StorageKeys;
import org.junit.jupiter.api.Test;

/** PoP Ch. 10 storage-key, DAT and cross-space move instructions. */
class StorageControlInstructionsTest {

    static final long CODE = S390TestCpu.CODE;

    static DatFixture dat(S390TestCpu t) {
        return new DatFixture(t, 1).identity(0, 0x2000).identity(CODE, CODE + 0x1000);
    }

    @Test
    void sskeSetsTheKeyIskeReadsItAndRrbeResetsTheReferenceBit() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b22b 0012 b229 0032 b22a 0002");         // sske 1,2; iske 3,2; rrbe 0,2
        t.cpu.gpr[1] = 0x36;                                  // ACC 3, R, C
        t.cpu.gpr[2] = 0x40123;
        t.cpu.gpr[3] = -1;

        t.run(3);

        assertEquals(0xffff_ffff_ffff_ff36L, t.cpu.gpr[3]);
        assertEquals(3, t.cpu.cc, "RRBE: referenced and changed");
        assertEquals(0x32, t.keys.get(0x40000));
    }

    @Test
    void conditionalSskeLeavesAnEqualKeyAloneAndReportsTheOldKey() {
        S390TestCpu t = new S390TestCpu();
        t.keys.set(0x40000, 0x34);
        t.load(CODE, "b22b 6012");                            // MR and MC
        t.cpu.gpr[1] = 0x32;                                  // same ACC and F, other R/C
        t.cpu.gpr[2] = 0x40000;

        t.run(1);

        assertEquals(0, t.cpu.cc);
        assertEquals(0x34, t.keys.get(0x40000));
        assertEquals(0x3432, t.cpu.gpr[1]);
    }

    @Test
    void sskeWithMultipleBlockSetsKeysToTheFrameBoundaryAndAdvancesR2() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        t.load(CODE, "b22b 1012");                            // MB
        t.cpu.gpr[1] = 0x20;
        t.cpu.gpr[2] = 0x1fe000;

        t.run(1);

        assertEquals(0x20, t.keys.get(0x1fe000));
        assertEquals(0x20, t.keys.get(0x1ff000));
        assertEquals(0, t.keys.get(0x200000));
        assertEquals(0x200000, t.cpu.gpr[2]);
    }

    @Test
    void sskeBeyondStorageIsAnAddressingException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b22b 0012");
        t.cpu.gpr[2] = 0x7000_0000L;

        t.run(2);

        assertEquals(ProgramInterruption.ADDRESSING, t.programCode());
    }

    @Test
    void pfmfSetsKeysAndClearsTheRestOfAOneMegabyteFrame() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        t.load(CODE, "b9af 0012");
        t.cpu.gpr[1] = 0x31000 | 0x30;                        // SK, CF, FSC 1 MiB, key 3
        t.cpu.gpr[2] = 0x103000;
        t.ram.write64(0x1ff000, -1);
        t.ram.write64(0x102000, -1);

        t.run(1);

        assertEquals(0x200000, t.cpu.gpr[2]);
        assertEquals(0, t.ram.read64(0x1ff000));
        assertEquals(-1, t.ram.read64(0x102000), "blocks below R2 are not touched");
        assertEquals(0x30, t.keys.get(0x1ff000), "the key as R1 gives it, R and C included");
        assertEquals(0, t.keys.get(0x102000));
    }

    @Test
    void pfmfWithReservedBitsIsASpecificationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b9af 0012");
        t.cpu.gpr[1] = 0x22000;                                // FSC 2 (2 GiB) needs EDAT-2

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void ivskReadsTheAccessKeyAndFetchBitOfAVirtualAddress() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        t.keys.set(0x40000, 0x5e);
        t.load(CODE, "b223 0012");
        t.cpu.gpr[2] = 0x50abc;

        t.run(1);

        assertEquals(0x58, t.cpu.gpr[1]);
    }

    /** TPROT 0(%r1),key<<4 for a list of (address, key) cases; returns the condition codes. */
    static List<Integer> tprot(S390TestCpu t, long[][] cases) {
        List<Integer> ccs = new ArrayList<>();
        for (long[] c : cases) {
            t.load(CODE, "e501 1000 00" + Long.toHexString(c[1]) + "0");
            t.cpu.pswAddr = CODE;
            t.cpu.gpr[1] = c[0];
            t.run(1);
            ccs.add(t.cpu.cc);
        }
        return ccs;
    }

    @Test
    void tprotReportsWhatAKeyMayDoAndWhetherTranslationIsAvailable() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).map(0x50000, 0x40000, 0).map(0x51000, 0x41000, 0x200).on();
        d.pte(0x52000);
        t.keys.set(0x40000, 0x30 | StorageKeys.FETCH_PROTECTED);
        t.keys.set(0x41000, 0x30);

        List<Integer> ccs = tprot(t, new long[][] {{0x50000, 3}, {0x50000, 4}, {0x51000, 3}, {0x51000, 4},
            {0x52000, 3}});

        assertEquals(List.of(0, 2, 1, 1, 3), ccs);
    }

    @Test
    void tprotBeyondStorageIsAnAddressingException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "e501 1000 0000");
        t.cpu.gpr[1] = 0x10_0000_0000L;

        t.run(2);

        assertEquals(ProgramInterruption.ADDRESSING, t.programCode());
    }

    @Test
    void lragReturnsTheRealAddressWithCc0() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        t.load(CODE, "e310 2000 0003");
        t.cpu.gpr[2] = 0x50abc;

        t.run(1);

        assertEquals(0x40abc, t.cpu.gpr[1]);
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void lraWorksWithDatOff() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).map(0x50000, 0x40000, 0);
        t.cpu.cr[1] = d.asce;
        t.load(CODE, "b110 2000");
        t.cpu.gpr[2] = 0x50010;

        t.run(1);

        assertEquals(0x40010, t.cpu.gpr[1]);
    }

    @Test
    void lragOfAnInvalidPageReturnsThePteAddressWithCc2() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).on();
        long pte = d.pte(0x52000);
        t.load(CODE, "e310 2000 0003");
        t.cpu.gpr[2] = 0x52000;

        t.run(1);

        assertEquals(pte, t.cpu.gpr[1]);
        assertEquals(2, t.cpu.cc);
    }

    @Test
    void lragOfAnInvalidSegmentReturnsTheSteAddressWithCc1() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).on();
        long ste = d.entry(0x4000_0000L, 0);
        t.load(CODE, "e310 2000 0003");
        t.cpu.gpr[2] = 0x4000_0000L;

        t.run(1);

        assertEquals(ste, t.cpu.gpr[1]);
        assertEquals(1, t.cpu.cc);
    }

    @Test
    void lragOfAnAddressBeyondTheTablesReturnsTheExceptionCodeWithCc3() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).on();
        t.load(CODE, "e310 2000 0003");
        t.cpu.gpr[2] = 1L << 50;                               // region-third ASCE: ASCE-type

        t.run(1);

        assertEquals(0x80000038L, t.cpu.gpr[1]);
        assertEquals(3, t.cpu.cc);
    }

    @Test
    void lraIn31BitModeKeepsTheHighHalf() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        t.cpu.pswMask &= ~S390CpuState.PSW_EA;
        t.load(CODE, "b110 2000");
        t.cpu.gpr[1] = 0xabcd_0000_0000_0000L;
        t.cpu.gpr[2] = 0x50010;

        t.run(1);

        assertEquals(0xabcd_0000_0004_0010L, t.cpu.gpr[1]);
    }

    @Test
    void luraAndSturaUseRealAddressesWithPrefixing() {
        S390TestCpu t = new S390TestCpu();
        t.cpu.prefix = 0x20000;
        t.load(CODE, "b246 0012 b24b 0032 b925 0042 b905 0052");   // stura 1,2; lura 3,2; sturg 4,2; lurag 5,2
        t.cpu.gpr[1] = 0x1111_2222_3333_4444L;
        t.cpu.gpr[2] = 0x100;
        t.cpu.gpr[4] = 0x5555_6666_7777_8888L;

        t.run(2);
        long word = t.ram.read32(0x20100) & 0xffffffffL;
        t.run(2);

        assertEquals(0x33334444L, word);
        assertEquals(0x33334444L, t.cpu.gpr[3]);
        assertEquals(0x5555_6666_7777_8888L, t.cpu.gpr[5]);
        assertEquals(0x5555_6666_7777_8888L, t.ram.read64(0x20100));
    }

    @Test
    void luraOfAMisalignedAddressIsASpecificationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b24b 0012");
        t.cpu.gpr[2] = 0x102;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void ipteRangeInvalidatesConsecutiveEntriesAndLeavesTheCountAt255() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).map(0x50000, 0x40000, 0).map(0x51000, 0x41000, 0).map(0x52000, 0x42000, 0);
        long pte = d.pte(0x50000);
        t.load(CODE, "b221 3112");                            // ipte 1,2,3,1 (local clearing)
        t.cpu.gpr[1] = pte;
        t.cpu.gpr[2] = 0x50000;
        t.cpu.gpr[3] = 1;

        t.run(1);

        assertEquals(0x40400L, t.ram.read64(pte));
        assertEquals(0x41400L, t.ram.read64(pte + 8));
        assertEquals(0x42000L, t.ram.read64(pte + 16));
        assertEquals(0x52000, t.cpu.gpr[2]);
        assertEquals(0xff, t.cpu.gpr[3]);
    }

    @Test
    void ipteWithoutLocalClearingPurgesTheOtherCpus() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).map(0x50000, 0x40000, 0);
        t.load(CODE, "b221 0012");
        t.cpu.gpr[1] = d.pte(0x50000);
        t.cpu.gpr[2] = 0x50000;

        t.run(1);

        assertEquals(List.of("purge"), t.calls);
    }

    @Test
    void idteInvalidatesASegmentEntry() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t).map(0x4010_0000L, 0x40000, 0);
        long ste = d.entry(0x4010_0000L, 0);
        t.load(CODE, "b98e 0012");
        t.cpu.gpr[1] = ste & ~0x3fffL;                         // segment-table origin, DT 0
        t.cpu.gpr[2] = 0x4010_0000L;

        t.run(1);

        assertEquals(0x20, t.ram.read64(ste) & 0x20);
    }

    @Test
    void cspStoresWhenEqualAndLoadsWhenNot() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b250 0024 b250 0024");
        t.ram.write32(0x800, 7);
        t.cpu.gpr[2] = 7;
        t.cpu.gpr[3] = 9;
        t.cpu.gpr[4] = 0x801;                                  // bit 63: purge

        t.run(1);
        int cc1 = t.cpu.cc;
        t.cpu.gpr[2] = 7;
        t.run(1);

        assertEquals(0, cc1);
        assertEquals(1, t.cpu.cc);
        assertEquals(9, t.cpu.gpr[2]);
        assertEquals(9, t.ram.read32(0x800));
    }

    @Test
    void mvcosCopiesFromTheSecondarySpaceNamedByTheOperandAccessControl() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        DatFixture secondary = new DatFixture(t, 1, 0x300000).map(0x50000, 0x41000, 0);
        t.cpu.cr[7] = secondary.asce;
        t.ram.write64(0x41ff8, 0x0102030405060708L);
        t.ram.write64(0x42000, 0x1112131415161718L);
        t.load(CODE, "c830 1000 2000");                       // mvcos 0(1),0(2),3
        t.cpu.gpr[0] = 0x81;                                   // OAC2: AS secondary, A valid
        t.cpu.gpr[1] = 0x50100;
        t.cpu.gpr[2] = 0x50ff8;
        t.cpu.gpr[3] = 8;

        t.run(1);

        assertEquals(0x0102030405060708L, t.ram.read64(0x40100));
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void mvcosMovesAtMost4096BytesAndSetsCc3() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        t.ram.write8(0x40fff, 0x5a);
        t.ram.write8(0x41000, 0x77);
        t.load(CODE, "c830 1000 2000");
        t.cpu.gpr[1] = 0x60000;
        t.cpu.gpr[2] = 0x40000;
        t.cpu.gpr[3] = 5000;

        t.run(1);

        assertEquals(3, t.cpu.cc);
        assertEquals(0x5a, t.ram.read8(0x60fff));
        assertEquals(0, t.ram.read8(0x61000));
    }

    @Test
    void mvckReadsTheSourceWithTheKeyInR3() {
        S390TestCpu t = new S390TestCpu();
        t.keys.set(0x40000, 0x40 | StorageKeys.FETCH_PROTECTED);
        t.ram.write32(0x40000, 0xcafe);
        t.load(CODE, "d934 1000 2000");                       // mvck 0(3,1),0(2),4
        t.cpu.pswMask |= 2L << S390CpuState.PSW_KEY_SHIFT;
        t.keys.set(0x60000, 0x20);
        t.cpu.gpr[1] = 0x60000;
        t.cpu.gpr[2] = 0x40000;
        t.cpu.gpr[3] = 4;
        t.cpu.gpr[4] = 0x40;

        t.run(1);

        assertEquals(0xcafe, t.ram.read32(0x60000));
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void mvcpMovesFromTheSecondarySpaceWithTheKeyInR3() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        DatFixture secondary = new DatFixture(t, 1, 0x300000).map(0x50000, 0x41000, 0);
        t.cpu.cr[7] = secondary.asce;
        t.cpu.cr[0] |= S390Interpreter.CR0_SECONDARY_SPACE;
        t.ram.write32(0x41000, 0x600d);
        t.load(CODE, "da34 1000 2000");                       // mvcp 0(3,1),0(2),4
        t.cpu.gpr[1] = 0x50010;
        t.cpu.gpr[2] = 0x50000;
        t.cpu.gpr[3] = 4;

        t.run(1);

        assertEquals(0x600d, t.ram.read32(0x40010));
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void mvcpWithoutTheSecondarySpaceControlIsASpecialOperationException() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).on();
        t.load(CODE, "da34 1000 2000");

        t.run(2);

        assertEquals(ProgramInterruption.SPECIAL_OPERATION, t.programCode());
    }

    @Test
    void aKeyChangedBehindTheTlbIsSeenByTheNextAccess() {
        S390TestCpu t = new S390TestCpu();
        t.keys.set(0x40000, 0x30);
        t.load(CODE, "e310 5000 0024 e310 5000 0024");        // stg; stg
        t.cpu.pswMask |= 3L << S390CpuState.PSW_KEY_SHIFT;
        t.cpu.gpr[5] = 0x40000;

        t.run(1);
        t.keys.set(0x40000, 0x40);                             // as another CPU's SSKE would
        t.run(2);

        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(CODE + 12, t.programOldAddr());
    }

    @Test
    void cspgSwapsADoubleword() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b98a 0024");
        t.ram.write64(0x800, 0x1_0000_0007L);
        t.cpu.gpr[2] = 0x1_0000_0007L;
        t.cpu.gpr[3] = 0x2_0000_0009L;
        t.cpu.gpr[4] = 0x800;

        t.run(1);

        assertEquals(0, t.cpu.cc);
        assertEquals(0x2_0000_0009L, t.ram.read64(0x800));
    }

    @Test
    void cspWithAnOddFirstRegisterIsASpecificationException() {
        S390TestCpu t = new S390TestCpu();
        t.load(CODE, "b250 0034");
        t.cpu.gpr[4] = 0x800;

        t.run(2);

        assertEquals(ProgramInterruption.SPECIFICATION, t.programCode());
    }

    @Test
    void lrayTranslatesLikeLra() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        t.load(CODE, "e310 2000 0013");
        t.cpu.gpr[2] = 0x50abc;

        t.run(1);

        assertEquals(0x40abc, t.cpu.gpr[1]);
        assertEquals(0, t.cpu.cc);
    }

    @Test
    void mvcsMovesToTheSecondarySpace() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t).map(0x50000, 0x40000, 0).on();
        DatFixture secondary = new DatFixture(t, 1, 0x300000).map(0x50000, 0x41000, 0);
        t.cpu.cr[7] = secondary.asce;
        t.cpu.cr[0] |= S390Interpreter.CR0_SECONDARY_SPACE;
        t.ram.write32(0x40000, 0xfeed);
        t.load(CODE, "db34 1000 2000");                       // mvcs 0(3,1),0(2),4
        t.cpu.gpr[1] = 0x50020;
        t.cpu.gpr[2] = 0x50000;
        t.cpu.gpr[3] = 4;

        t.run(1);

        assertEquals(0xfeed, t.ram.read32(0x41020));
    }
}
