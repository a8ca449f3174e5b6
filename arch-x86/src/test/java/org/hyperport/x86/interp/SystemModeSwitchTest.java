package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mode switches a boot loader performs (SDM Vol 3A §10.9 "Mode Switching", §10.8.5 "Initializing IA-32e
 * Mode"): real mode → protected mode with LGDT, MOV CR0 and a far JMP, then → IA-32e mode with CR4.PAE, CR3,
 * EFER.LME, CR0.PG and a far JMP to a 64-bit code segment; and the faults that guard them.
 */
class SystemModeSwitchTest {

    static final long BOOT = 0x7c00, PM32 = 0x7d00, GDTR = 0x7e00, LM64 = 0x7f00;
    static final int REAL_STEPS = 5, PM_STEPS = 16;

    SystemTestMachine m;
    X86CpuState cpu;

    @BeforeEach
    void setUp() {
        m = new SystemTestMachine().real(BOOT);
        cpu = m.cpu;
        m.ram.write16(GDTR, 0x5f);
        m.ram.write32(GDTR + 2, (int) SystemTestMachine.GDT);
        m.code(BOOT, "0f 01 16 00 7e"            // lgdt [0x7e00]
                + "0f 20 c0"                     // mov eax, cr0
                + "66 83 c8 01"                  // or eax, 1
                + "0f 22 c0"                     // mov cr0, eax
                + "66 ea 00 7d 00 00 08 00");    // jmp dword 0x08:0x7d00
        m.code(PM32, "66 b8 18 00"               // mov ax, 0x18
                + "8e d8"                        // mov ds, ax
                + "8e d0"                        // mov ss, ax
                + "0f 20 e0"                     // mov eax, cr4
                + "83 c8 20"                     // or eax, 0x20 (PAE)
                + "0f 22 e0"                     // mov cr4, eax
                + "b8 00 00 01 00"               // mov eax, 0x10000 (PML4)
                + "0f 22 d8"                     // mov cr3, eax
                + "b9 80 00 00 c0"               // mov ecx, 0xc0000080 (EFER)
                + "0f 32"                        // rdmsr
                + "0d 00 01 00 00"               // or eax, 0x100 (LME)
                + "0f 30"                        // wrmsr
                + "0f 20 c0"                     // mov eax, cr0
                + "0d 00 00 00 80"               // or eax, 0x80000000 (PG)
                + "0f 22 c0"                     // mov cr0, eax
                + "ea 00 7f 00 00 10 00");       // jmp 0x10:0x7f00
        m.code(LM64, "f4");                      // hlt
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void lgdtMovCr0AndAFarJumpEnterThirtyTwoBitProtectedMode() {
        m.steps(REAL_STEPS);

        assertEquals(SystemTestMachine.GDT, cpu.gdtBase);
        assertEquals(0x5f, cpu.gdtLimit);
        assertEquals(X86CpuState.CR0_PE, cpu.cr0 & X86CpuState.CR0_PE);
        assertEquals(Mode.PROT32, m.x.mode());
        assertEquals(SystemTestMachine.KERNEL32_CS, cpu.cs.selector);
        assertEquals(PM32, cpu.rip);
    }

    @Test
    void paeCr3LmeAndPagingActivateIa32eModeAndTheFarJumpEntersSixtyFourBitCode() {
        m.steps(REAL_STEPS + PM_STEPS);

        assertEquals(X86CpuState.EFER_LME | X86CpuState.EFER_LMA, cpu.efer);
        assertEquals(X86CpuState.CR4_PAE, cpu.cr4);
        assertEquals(SystemTestMachine.PML4, cpu.cr3);
        assertEquals(X86CpuState.CR0_PG | X86CpuState.CR0_PE, cpu.cr0 & (X86CpuState.CR0_PG | X86CpuState.CR0_PE));
        assertEquals(SystemTestMachine.KERNEL_DS, cpu.ss.selector);
        assertEquals(SystemTestMachine.KERNEL_DS, cpu.ds.selector);
        assertEquals(Mode.LONG64, m.x.mode());
        assertEquals(SystemTestMachine.KERNEL_CS, cpu.cs.selector);
        assertEquals(LM64, cpu.rip);
    }

    @Test
    void theSixtyFourBitCodeRunsAndHalts() {
        m.steps(REAL_STEPS + PM_STEPS + 1);

        assertTrue(m.x.halted);
        assertEquals(LM64 + 1, cpu.rip);
    }

    @Test
    void pagingWithoutProtectionIsGpInRealMode() {
        m.ram.write32(13 * 4, 0x0000_0500);                     // IVT: #GP -> 0000:0500

        m.run(0x7000 - 0x100, "66 b8 00 00 00 80 0f 22 c0");  // mov eax, 0x80000000
        m.steps(1);                                           // mov cr0, eax

        assertEquals(0x500, cpu.rip);
        assertEquals(0x7000 - 0x100 + 6, m.ram.read16(m.rsp())); // IP of the faulting MOV
        assertEquals(0, cpu.cr0 & X86CpuState.CR0_PG);
    }

    @Test
    void activatingIa32eModeWithoutPaeIsGp() {
        m.ram.write32(13 * 4, 0x0000_0500);
        cpu.efer = X86CpuState.EFER_LME;
        cpu.gpr[X86CpuState.RAX] = X86CpuState.CR0_PE | X86CpuState.CR0_PG;

        m.run(0x6000, "0f 22 c0");                            // mov cr0, eax

        assertEquals(0x500, cpu.rip);
        assertEquals(0, cpu.efer & X86CpuState.EFER_LMA);
        assertEquals(0, cpu.cr0 & X86CpuState.CR0_PG);
    }

    @Test
    void lmswSetsProtectionButCannotClearIt() {
        cpu.gpr[X86CpuState.RAX] = 1;
        m.run(0x6000, "0f 01 f0");                             // lmsw ax with ax = 1
        cpu.gpr[X86CpuState.RAX] = 0;

        m.run(0x6003, "0f 01 f0");

        assertEquals(X86CpuState.CR0_PE, cpu.cr0 & X86CpuState.CR0_PE);
    }
}
