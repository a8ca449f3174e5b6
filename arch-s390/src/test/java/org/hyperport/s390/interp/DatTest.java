package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.hyperport.api.Access;
import org.hyperport.api.Translation;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.mmu.S390Fault;
import org.hyperport.s390.mmu.S390Mmu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dynamic address translation through the interpreter: every table type, the exceptions and their TEIDs. */
class DatTest {

    static final long CODE = S390TestCpu.CODE;
    static final String LG_R1_R5 = "e310 5000 0004";   // lg %r1,0(%r5)
    static final String STG_R1_R5 = "e310 5000 0024";  // stg %r1,0(%r5)
    static final long DATA = 0x30000;

    /** A 4 MiB CPU whose code page and lowcore are identity-mapped by an ASCE of type {@code dt}. */
    static DatFixture dat(S390TestCpu t, int dt) {
        DatFixture d = new DatFixture(t, dt);
        d.identity(0, 0x2000).identity(CODE, CODE + 0x1000);
        return d;
    }

    @ParameterizedTest(name = "designation type {0}")
    @CsvSource({"0, 0x7ff45000", "1, 0x3ff12345000", "2, 0x1edcba98765000", "3, 0x7123456789abc000"})
    void everyTableTypeTranslatesToTheMappedFrame(int dt, String vaHex) {
        S390TestCpu t = new S390TestCpu(4 << 20);
        long va = Long.parseUnsignedLong(vaHex.substring(2), 16);
        dat(t, dt).map(va, DATA, 0).on();
        t.ram.write64(DATA + 0x10, 0x1122334455667788L);
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = va + 0x10;

        t.run(1);

        assertEquals(0x1122334455667788L, t.cpu.gpr[1]);
        assertEquals(CODE + 6, t.cpu.pswAddr);
    }

    @ParameterizedTest(name = "invalid entry at level {0} gives code {1}")
    @CsvSource({"3, 0x39", "2, 0x3a", "1, 0x3b", "0, 0x10"})
    void anInvalidRegionOrSegmentEntryIsItsTranslationException(int level, String code) {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 3);
        long va = 0x0040_0000_0000_0000L | 0x123_4567_8000L;
        d.map(va, DATA, 0);
        long ea = d.entry(va, level);
        t.ram.write64(ea, t.ram.read64(ea) | 0x20);
        d.on();
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = va;

        t.run(2);

        assertEquals(Integer.decode(code), t.programCode());
        assertEquals(CODE, t.programOldAddr(), "DAT exceptions nullify");
        assertEquals(va | 0x800, t.ram.read64(S390Interpreter.LC_TEID), "page address, fetch, primary ASCE");
    }

    @Test
    void anInvalidPageOnAStoreReportsTheStoreIndication() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).on();
        d.pte(0x40000);
        t.load(CODE, STG_R1_R5);
        t.cpu.gpr[5] = 0x40008;

        t.run(2);

        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(0x40000L | 0x400, t.ram.read64(S390Interpreter.LC_TEID));
        assertEquals(3, t.programIlc());
    }

    @Test
    void theAsceTableLengthBoundsTheFirstIndex() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 0);
        d.map(0x60000000L, DATA, 0).on();
        t.cpu.cr[1] = d.root;                                  // TL 0: segment indexes 0-511 only (512 MiB)
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = 0x60000000L;

        t.run(2);

        assertEquals(ProgramInterruption.SEGMENT_TRANSLATION, t.programCode());
    }

    @Test
    void aRegionEntrysOffsetAndLengthBoundTheNextIndex() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1);
        long va = 0x3ffL << 20;                                // segment index 0x3ff: leftmost bits 01
        d.map(va, DATA, 0);
        long rte = d.entry(va, 1);
        t.ram.write64(rte, t.ram.read64(rte) & ~3L);           // region-third entry TL 0
        d.on();
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = va;

        t.run(2);

        assertEquals(ProgramInterruption.SEGMENT_TRANSLATION, t.programCode());
    }

    @Test
    void anAddressBeyondTheDesignatedTableTypeIsAnAsceTypeException() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t, 0).on();
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = 0x80000000L;

        t.run(2);

        assertEquals(ProgramInterruption.ASCE_TYPE, t.programCode());
        assertEquals(0x80000800L, t.ram.read64(S390Interpreter.LC_TEID));
    }

    @Test
    void pageTableEntryBit52IsATranslationSpecificationException() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t, 1).map(0x40000, DATA, 0x800).on();
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(2);

        assertEquals(ProgramInterruption.TRANSLATION_SPECIFICATION, t.programCode());
    }

    @Test
    void aTableEntryOutsideStorageIsAnAddressingExceptionThatNullifies() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1);
        long sea = d.entry(0x40000, 0);
        t.ram.write64(sea, 0x7ff00000L);                       // page table far beyond 4 MiB
        d.on();
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(2);

        assertEquals(ProgramInterruption.ADDRESSING, t.programCode());
        assertEquals(CODE, t.programOldAddr());
    }

    @Test
    void aDatProtectedPageRejectsStoresWithTeidBit61AndSuppresses() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t, 1).map(0x40000, DATA, 0x200).on();
        t.ram.write64(DATA, 42);
        t.load(CODE, LG_R1_R5 + STG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(3);

        assertEquals(42, t.cpu.gpr[1], "fetching is allowed");
        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(0x40000L | 0x400 | 0x4, t.ram.read64(S390Interpreter.LC_TEID));
        assertEquals(CODE + 12, t.programOldAddr(), "protection suppresses: the old PSW is past the STG");
    }

    @Test
    void fetchProtectionWithAMismatchedKeyIsAProtectionExceptionWithTeidBit60() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        t.keys.set(DATA, 0x30 | StorageKeys.FETCH_PROTECTED);
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = DATA + 8;
        t.cpu.pswMask |= 2L << S390CpuState.PSW_KEY_SHIFT;

        t.run(2);

        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(DATA | 0x800 | 0x8, t.ram.read64(S390Interpreter.LC_TEID));
    }

    @Test
    void aMatchingKeyMayStoreAndANonFetchProtectedBlockMayBeRead() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        t.keys.set(DATA, 0x30);
        t.ram.write64(DATA, 7);
        t.load(CODE, LG_R1_R5 + "b20a 0030" + STG_R1_R5);      // lg; spka 0x30; stg
        t.cpu.gpr[5] = DATA;
        t.cpu.pswMask |= 2L << S390CpuState.PSW_KEY_SHIFT;

        t.run(3);

        assertEquals(7, t.cpu.gpr[1]);
        assertEquals(3, t.cpu.key());
        assertEquals(CODE + 16, t.cpu.pswAddr);
    }

    @Test
    void lowAddressProtectionCoversTheFirst512BytesOfEachLowcorePage() {
        S390TestCpu t = new S390TestCpu();
        t.cpu.cr[0] |= S390Interpreter.CR0_LOW_ADDRESS_PROTECTION;
        t.load(CODE, STG_R1_R5 + STG_R1_R5);
        t.cpu.gpr[5] = 0x200;                                  // 512: not protected

        t.run(1);
        t.cpu.gpr[5] = 0x1100;
        t.run(2);

        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(0x1000L | 0x400 | 0x80, t.ram.read64(S390Interpreter.LC_TEID), "ESOP-2 code 4: bit 56");
    }

    @Test
    void edat1SegmentFramesMapOneMegabyteAndCarryProtection() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).mapFrame(0x4000_0000L, 0x100000, 0x200).on();
        t.cpu.cr[0] |= S390Interpreter.CR0_EDAT;
        t.ram.write64(0x1abcd8, 99);
        t.load(CODE, LG_R1_R5 + STG_R1_R5);
        t.cpu.gpr[5] = 0x4000_0000L + 0xabcd8;

        t.run(3);

        assertEquals(99, t.cpu.gpr[1]);
        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(0x400ab000L | 0x400 | 0x4, t.ram.read64(S390Interpreter.LC_TEID));
    }

    @Test
    void instructionExecutionProtectionStopsInstructionFetchWithTeidCode5() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).map(0x50000, 0x50000, 0x100).on();
        t.cpu.cr[0] |= S390Interpreter.CR0_IEP;
        t.load(0x50000, "1800");
        t.cpu.pswAddr = 0x50000;

        t.run(2);

        assertEquals(ProgramInterruption.PROTECTION, t.programCode());
        assertEquals(0x50000L | 0x800 | 0x80 | 0x4, t.ram.read64(S390Interpreter.LC_TEID));
        assertEquals(0x50002, t.programOldAddr(), "suppressed with ILC 2: Linux rewinds by the ILC");
        assertEquals(1, t.programIlc());
    }

    @Test
    void secondarySpaceModeFetchesInstructionsFromThePrimarySpaceAndDataFromTheSecondary() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture primary = dat(t, 1).map(0x40000, 0x30000, 0).on();
        DatFixture secondary = new DatFixture(t, 1, 0x300000);
        secondary.map(0x40000, 0x31000, 0);
        t.cpu.cr[7] = secondary.asce;
        t.cpu.pswMask |= (long) S390CpuState.ASC_SECONDARY << S390CpuState.PSW_ASC_SHIFT;
        t.ram.write64(0x30000, 1);
        t.ram.write64(0x31000, 2);
        t.load(CODE, LG_R1_R5 + LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(1);
        long fromSecondary = t.cpu.gpr[1];
        t.cpu.gpr[5] = 0x41000;                                // mapped nowhere in the secondary space
        t.run(2);

        assertEquals(2, fromSecondary);
        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(0x41000L | 0x800 | 2, t.ram.read64(S390Interpreter.LC_TEID), "ASCE id 10: secondary");
    }

    @Test
    void homeSpaceModeUsesCr13ForBothAndReportsAsceId3() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture home = dat(t, 1);
        t.cpu.cr[13] = home.asce;
        t.cpu.pswMask |= S390CpuState.PSW_DAT | ((long) S390CpuState.ASC_HOME << S390CpuState.PSW_ASC_SHIFT);
        t.load(CODE, LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(2);

        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(0x40000L | 0x800 | 3, t.ram.read64(S390Interpreter.LC_TEID));
    }

    @Test
    void aStaleMappingSurvivesAPteChangeButNotIpte() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).map(0x40000, 0x30000, 0).on();
        t.ram.write64(0x30000, 1);
        t.ram.write64(0x31000, 2);
        long pte = d.pte(0x40000);
        // lg; lg; ipte %r6,%r5; lg
        t.load(CODE, LG_R1_R5 + LG_R1_R5 + "b221 0065" + LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;
        t.cpu.gpr[6] = pte & ~0x7ffL;

        t.run(1);
        t.ram.write64(pte, 0x31000);                           // changed behind the TLB's back
        t.run(1);
        long stale = t.cpu.gpr[1];
        t.run(4);

        assertEquals(1, stale, "the TLB still holds the old translation");
        assertEquals(0x31400L, t.ram.read64(pte), "IPTE sets the invalid bit");
        assertEquals(ProgramInterruption.PAGE_TRANSLATION, t.programCode());
        assertEquals(CODE + 16, t.programOldAddr());
    }

    @Test
    void ptlbDropsTheStaleMapping() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).map(0x40000, 0x30000, 0).on();
        t.ram.write64(0x31000, 2);
        t.load(CODE, LG_R1_R5 + "b20d 0000" + LG_R1_R5);
        t.cpu.gpr[5] = 0x40000;

        t.run(1);
        t.ram.write64(d.pte(0x40000), 0x31000);
        t.run(2);

        assertEquals(2, t.cpu.gpr[1]);
    }

    @Test
    void theSpiMmuTranslatesToRealAddressesAndReportsFaultsAsRecords() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t, 1).map(0x40000, 0x30000, 0x200).on();
        S390Mmu mmu = new S390Mmu(t.c);

        Translation read = mmu.translate(0x40123, Access.READ, 0);
        Translation write = mmu.translate(0x40123, Access.WRITE, 0);
        Translation missing = mmu.debugTranslate(0x41000);

        assertEquals(new Translation.Mapped(0x30123, 4096, Translation.R | Translation.X), read);
        assertEquals(new S390Fault(ProgramInterruption.PROTECTION, 0x40000L | 0x400 | 4),
                assertInstanceOf(Translation.Fault.class, write).fault());
        assertEquals(new S390Fault(ProgramInterruption.PAGE_TRANSLATION, 0x41800L),
                assertInstanceOf(Translation.Fault.class, missing).fault());
    }

    @Test
    void tlbEntriesOfThePrimaryAndHomeSpacesDoNotMix() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        dat(t, 1).map(0x40000, 0x30000, 0).on();
        DatFixture home = new DatFixture(t, 1, 0x300000);
        home.identity(0, 0x2000).identity(CODE, CODE + 0x1000).map(0x40000, 0x31000, 0);
        t.cpu.cr[13] = home.asce;
        t.ram.write64(0x30000, 1);
        t.ram.write64(0x31000, 2);
        // lg 1; sac home; lg 2; sac primary; lg 3
        t.load(CODE, "e310 5000 0004 b219 0300 e320 5000 0004 b219 0000 e330 5000 0004");
        t.cpu.gpr[5] = 0x40000;

        t.run(5);

        assertEquals(1, t.cpu.gpr[1]);
        assertEquals(2, t.cpu.gpr[2]);
        assertEquals(1, t.cpu.gpr[3]);
    }

    @Test
    void aPurgeRequestFromAnotherCpuDropsThisCpusStaleEntryBeforeItsNextInstruction() {
        S390TestCpu t = new S390TestCpu(4 << 20);
        DatFixture d = dat(t, 1).map(0x40000, 0x30000, 0).on();
        S390CpuState other = new S390CpuState();
        S390Interpreter cpu1 = new S390Interpreter(other, t.ram, t.keys, t, 1,
                S390Semantics.build(S390Semantics.groups()));
        other.setPsw(t.cpu.psw(), CODE);
        other.cr[1] = d.asce;
        other.gpr[5] = 0x40000;
        t.ram.write64(0x30000, 1);
        t.ram.write64(0x31000, 2);
        t.load(CODE, LG_R1_R5 + LG_R1_R5);

        cpu1.step();
        t.ram.write64(d.pte(0x40000), 0x31000);               // CPU 0 changes the PTE (then IPTE/CSP would)
        cpu1.requestTlbPurge();                                // ... and the machine relays the purge
        cpu1.step();

        assertEquals(2, other.gpr[1]);
    }
}
