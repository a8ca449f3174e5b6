package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RDMSR/WRMSR (SDM Vol 2, Vol 4 Table 2-2): the core MSRs and their reserved bits, read-only MSRs, MSRs the machine
 * owns through the hooks, and #GP(0) for indices nobody owns.
 */
class SystemMsrTest {

    static final long CODE = 0x5000;

    SystemTestMachine m;
    X86CpuState cpu;

    @BeforeEach
    void setUp() {
        m = new SystemTestMachine().long64(0);
        cpu = m.cpu;
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private void wrmsr(int index, long value) {
        cpu.gpr[X86CpuState.RCX] = index & 0xffffffffL;
        cpu.gpr[X86CpuState.RAX] = value & 0xffffffffL;
        cpu.gpr[X86CpuState.RDX] = value >>> 32;
        m.run(CODE, "0f 30");
    }

    private long rdmsr(int index) {
        cpu.gpr[X86CpuState.RCX] = index & 0xffffffffL;
        cpu.gpr[X86CpuState.RAX] = -1L;
        cpu.gpr[X86CpuState.RDX] = -1L;
        m.run(CODE, "0f 32");
        return (cpu.gpr[X86CpuState.RDX] << 32) | cpu.gpr[X86CpuState.RAX];
    }

    @ParameterizedTest
    @CsvSource({
        "0xC0000080, 0x0000000000000002",   // EFER bit 1 reserved
        "0xC0000080, 0x0000000000010d00",   // EFER bit 16 reserved
        "0xC0000080, 0x0000000000000c00",   // clearing LME while paging
        "0x00000277, 0x0007040600070402",   // PAT entry type 2
        "0x00000277, 0x0007040600070416",   // PAT entry with bit 4 set
        "0xC0000082, 0x0000800000000000",   // LSTAR non-canonical
        "0xC0000100, 0x0001000000000000",   // FS_BASE non-canonical
        "0xC0000084, 0x0000000100000000",   // SFMASK bits 63:32 reserved
        "0xC0000103, 0x0000000100000000",   // TSC_AUX bits 63:32 reserved
        "0x00000200, 0x0000000000000002",   // MTRR_PHYSBASE0 type 2
        "0x00000201, 0x0000010000000800",   // MTRR_PHYSMASK0 above MAXPHYADDR
        "0x00000250, 0x0606060606060603",   // fixed MTRR entry type 3
        "0x000002ff, 0x0000000000001006",   // MTRR_DEF_TYPE bit 12 reserved
        "0x000000fe, 0x0000000000000508",   // MTRRcap is read-only
        "0x00001234, 0x0000000000000000",   // nobody owns 0x1234
    })
    void reservedBitsReadOnlyMsrsAndUnknownIndicesAreGp(long index, long value) {
        long efer = cpu.efer;

        wrmsr((int) index, value);

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0, m.errorCode());
        assertEquals(efer, cpu.efer);
    }

    @Test
    void readingAnUnownedMsrIsGp() {
        rdmsr(0x3a);

        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void eferLmaIsReadOnlyAndNxeIsWritable() {
        wrmsr(Msrs.EFER, X86CpuState.EFER_LME | X86CpuState.EFER_SCE);

        assertEquals(X86CpuState.EFER_LME | X86CpuState.EFER_LMA | X86CpuState.EFER_SCE, rdmsr(Msrs.EFER));
    }

    @Test
    void rdmsrZeroExtendsIntoRaxAndRdx() {
        cpu.msr[X86CpuState.msrSlot(Msrs.STAR)] = 0x0023_0010_0000_0000L;

        rdmsr(Msrs.STAR);

        assertEquals(0, cpu.gpr[X86CpuState.RAX]);
        assertEquals(0x0023_0010L, cpu.gpr[X86CpuState.RDX]);
    }

    @Test
    void fsAndGsBaseAreTheSegmentBases() {
        wrmsr(Msrs.FS_BASE, 0xffff_8880_0000_1000L);
        cpu.gs.base = 0x1234_5000L;

        long gs = rdmsr(Msrs.GS_BASE);

        assertEquals(0xffff_8880_0000_1000L, cpu.fs.base);
        assertEquals(0x1234_5000L, gs);
    }

    @Test
    void swapgsExchangesGsBaseWithKernelGsBase() {
        wrmsr(Msrs.KERNEL_GS_BASE, 0xffff_8880_0000_2000L);
        cpu.gs.base = 0x7000_0000L;

        m.run(CODE, "0f 01 f8");

        assertEquals(0xffff_8880_0000_2000L, cpu.gs.base);
        assertEquals(0x7000_0000L, rdmsr(Msrs.KERNEL_GS_BASE));
    }

    @Test
    void patTakesValidTypesIncludingUcMinus() {
        wrmsr(Msrs.PAT, 0x0007_0406_0007_0501L);

        assertEquals(0x0007_0406_0007_0501L, rdmsr(Msrs.PAT));
    }

    @Test
    void mtrrsAreStored() {
        wrmsr(0x200, 0x8000_0006L);
        wrmsr(0x201, 0xff_8000_0800L);
        wrmsr(0x26f, 0x0505_0505_0606_0606L);
        wrmsr(Msrs.MTRR_DEF_TYPE, 0xc06);

        assertEquals(0x8000_0006L, rdmsr(0x200));
        assertEquals(0xff_8000_0800L, rdmsr(0x201));
        assertEquals(0x0505_0505_0606_0606L, rdmsr(0x26f));
        assertEquals(0xc06, rdmsr(Msrs.MTRR_DEF_TYPE));
        assertEquals(0x508, rdmsr(Msrs.MTRRCAP));
    }

    @Test
    void theTscGoesThroughTheHooks() {
        wrmsr(Msrs.TSC, 0x42);
        long hookAfterWrite = m.hooks.tsc;
        m.hooks.tsc = 0x99;

        assertEquals(0x42, hookAfterWrite);
        assertEquals(0x99, rdmsr(Msrs.TSC));
    }

    @Test
    void machineOwnedMsrsGoToTheHooks() {
        wrmsr(0x6e0, 0x5555_0000_1111L);

        assertEquals(0x5555_0000_1111L, m.hooks.msrs.get(0x6e0));
        assertEquals(0x5555_0000_1111L, rdmsr(0x6e0));
    }

    @Test
    void apicBaseFallsBackToTheCoreWhenTheMachineDoesNotOwnIt() {
        wrmsr(Msrs.APIC_BASE, 0xfee0_0900L);

        assertEquals(0xfee0_0900L, rdmsr(Msrs.APIC_BASE));
    }

    @Test
    void miscEnableAndMicrocodeMsrsReadSensibly() {
        assertEquals(0x1801, rdmsr(Msrs.MISC_ENABLE));
        assertEquals(0, rdmsr(Msrs.BIOS_SIGN_ID));
        assertEquals(0, rdmsr(Msrs.APERF));
    }

    @Test
    void sysenterEipMustBeCanonical() {
        wrmsr(Msrs.SYSENTER_EIP, 0x0000_8000_0000_0000L);

        assertEquals(CpuFault.GP, m.vectorTaken());
    }
}
