package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Privilege checks of the system instructions (SDM Vol 3A §5.9 "Privileged Instructions", Vol 2 per instruction),
 * reserved-bit checks of the control registers (Vol 3A §2.5), and the one-instruction interrupt shadow of MOV SS,
 * POP SS and STI (Vol 3A §6.8.3).
 */
class SystemPrivilegeTest extends SystemMachineTest {

    static final long CODE = 0x6000;

    @ParameterizedTest
    @ValueSource(strings = {
        "f4",           // hlt
        "fa",           // cli (IOPL 0)
        "fb",           // sti
        "0f 30",        // wrmsr
        "0f 32",        // rdmsr
        "0f 20 c0",     // mov rax, cr0
        "0f 22 d8",     // mov cr3, rax
        "0f 21 f8",     // mov rax, dr7
        "0f 23 f8",     // mov dr7, rax
        "0f 01 10",     // lgdt [rax]
        "0f 01 18",     // lidt [rax]
        "0f 00 d0",     // lldt ax
        "0f 00 d8",     // ltr ax
        "0f 01 f0",     // lmsw ax
        "0f 01 38",     // invlpg [rax]
        "0f 06",        // clts
        "0f 08",        // invd
        "0f 09",        // wbinvd
        "0f 01 f8",     // swapgs
        "48 0f 07",     // sysretq
        "48 0f 35",     // sysexitq
        "0f 33",        // rdpmc (CR4.PCE clear)
        "ec",           // in al, dx (IOPL 0, port denied by the bitmap)
        "e6 80",        // out 0x80, al
    })
    void privilegedInstructionsAreGpZeroInRingThree(String hex) {
        m.long64(3);
        cpu.efer |= X86CpuState.EFER_SCE;
        cpu.msr[X86CpuState.msrSlot(Msrs.SYSENTER_CS)] = 0x10;

        m.run(CODE, hex);

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0, m.errorCode());
        assertEquals(CODE, m.ram.read64(m.rsp() + 8));                     // the faulting instruction
        assertEquals(SystemTestMachine.USER_CS, m.ram.read64(m.rsp() + 16));
        assertFalse(m.x.halted);
    }

    @Test
    void haltAtRingZeroHaltsAfterTheInstruction() {
        m.long64(0);

        m.run(CODE, "f4");

        assertTrue(m.x.halted);
        assertEquals(CODE + 1, cpu.rip);
    }

    @Test
    void rdtscIsGpInRingThreeOnlyWithCr4Tsd() {
        m.long64(3);
        m.run(CODE, "0f 31");
        long eax = cpu.gpr[X86CpuState.RAX];
        long edx = cpu.gpr[X86CpuState.RDX];
        m.long64(3);
        cpu.cr4 |= SystemInstructions.CR4_TSD;

        m.run(CODE, "0f 31");

        assertEquals(0x2345_6789L, eax);
        assertEquals(1, edx);
        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void rdtscpAlsoLoadsTscAux() {
        m.long64(0);
        cpu.msr[X86CpuState.msrSlot(Msrs.TSC_AUX)] = 7;

        m.run(CODE, "0f 01 f9");

        assertEquals(7, cpu.gpr[X86CpuState.RCX]);
        assertEquals(0x2345_6789L, cpu.gpr[X86CpuState.RAX]);
    }

    @Test
    void cpuidReportsTheModelThroughTheHooksInAnyRing() {
        m.long64(3);
        cpu.gpr[X86CpuState.RAX] = 0xdead_0000_0000_0000L;

        m.run(CODE, "0f a2");

        assertEquals(7, cpu.gpr[X86CpuState.RAX]);
        assertEquals(0x65707948, cpu.gpr[X86CpuState.RBX]);     // "Hype"
    }

    @Test
    void xsetbvIsUndefinedWithoutXsave() {
        m.long64(0);

        m.run(CODE, "0f 01 d1");

        assertEquals(CpuFault.UD, m.vectorTaken());
    }

    // ---- Control registers ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {0x1020, 0x2020, 0x2_0020, 0x4_0020, 0x10_0020, 0x1_0000_0020L, 0})  // PAE | LA57, VMXE,
    // PCIDE, OSXSAVE, SMEP, bit 32; and PAE clear
    void cr4UnsupportedBitsAndClearingPaeInLongModeAreGp(long value) {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = value;

        m.run(CODE, "0f 22 e0");                                          // mov cr4, rax

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(X86CpuState.CR4_PAE, cpu.cr4);
    }

    @Test
    void cr4AcceptsPgeAndOsfxsr() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = X86CpuState.CR4_PAE | X86CpuState.CR4_PGE | X86CpuState.CR4_OSFXSR;

        m.run(CODE, "0f 22 e0");

        assertEquals(X86CpuState.CR4_PAE | X86CpuState.CR4_PGE | X86CpuState.CR4_OSFXSR, cpu.cr4);
        assertEquals(CODE + 3, cpu.rip);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 63, 1L << 40, 0xfff0_0000_0001_0000L})
    void cr3BitsAboveMaxPhyAddrAreGp(long value) {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = value;

        m.run(CODE, "0f 22 d8");                                          // mov cr3, rax

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(SystemTestMachine.PML4, cpu.cr3);
    }

    @Test
    void cr0HighBitsAndClearingPagingInSixtyFourBitModeAreGp() {
        m.long64(0);
        long cr0 = cpu.cr0;
        cpu.gpr[X86CpuState.RAX] = cr0 | (1L << 32);
        m.run(CODE, "0f 22 c0");
        long firstVector = m.vectorTaken();
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = cr0 & ~X86CpuState.CR0_PG;

        m.run(CODE, "0f 22 c0");

        assertEquals(CpuFault.GP, firstVector);
        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(cr0, cpu.cr0);
    }

    @Test
    void cdClearWithNwSetIsGp() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = cpu.cr0 | ControlRegisters.CR0_NW;

        m.run(CODE, "0f 22 c0");

        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void cr8HoldsTheTaskPriorityAndRejectsHighBits() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = 0x5;
        m.run(CODE, "44 0f 22 c0");                                       // mov cr8, rax
        m.run(CODE, "44 0f 20 c3");                                       // mov rbx, cr8
        cpu.gpr[X86CpuState.RAX] = 0x10;

        m.run(CODE, "44 0f 22 c0");

        assertEquals(5, cpu.gpr[X86CpuState.RBX]);
        assertEquals(5, cpu.cr8);
        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void cr3WriteFlushesTheTlb() {
        m.long64(0);
        m.ram.write64(SystemTestMachine.PD + 8, 0x83);                    // 2-4 MiB aliases 0-2 MiB
        m.ram.write64(0x5000, 0x1122);
        long before = m.x.load(0x205000, 8);
        m.ram.write64(SystemTestMachine.PD + 8, 0);
        cpu.gpr[X86CpuState.RAX] = SystemTestMachine.PML4;

        m.run(CODE, "0f 22 d8");                                          // mov cr3, rax

        assertEquals(0x1122, before);
        assertEquals(CpuFault.PF, assertThrows(CpuFault.class, () -> m.x.load(0x205000, 8)).vector());
    }

    @Test
    void invlpgDropsAStaleTranslation() {
        m.long64(0);
        m.ram.write64(SystemTestMachine.PD + 8, 0x83);
        m.x.load(0x205000, 8);
        m.ram.write64(SystemTestMachine.PD + 8, 0);
        cpu.gpr[X86CpuState.RAX] = 0x205000;

        m.run(CODE, "0f 01 38");                                          // invlpg [rax]

        assertEquals(CpuFault.PF, assertThrows(CpuFault.class, () -> m.x.load(0x205000, 8)).vector());
    }

    @Test
    void debugRegistersStoreWithTheirFixedBitsAndDr4AliasesDr6() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = 0x1;
        m.run(CODE, "0f 23 e0");                                          // mov dr4, rax (= dr6)

        m.run(CODE, "0f 21 f3");                                          // mov rbx, dr6

        assertEquals(0xffff0ff1L, cpu.gpr[X86CpuState.RBX]);
    }

    @Test
    void dr7HighBitsAreGp() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = 1L << 32;

        m.run(CODE, "0f 23 f8");

        assertEquals(CpuFault.GP, m.vectorTaken());
    }

    @Test
    void cltsClearsTaskSwitched() {
        m.long64(0);
        cpu.cr0 |= ControlRegisters.CR0_TS;

        m.run(CODE, "0f 06");

        assertEquals(0, cpu.cr0 & ControlRegisters.CR0_TS);
    }

    @Test
    void smswIsAllowedInRingThree() {
        m.long64(3);

        m.run(CODE, "0f 01 e0");                                          // smsw eax

        assertEquals(cpu.cr0 & 0xffffffffL, cpu.gpr[X86CpuState.RAX]);
    }

    // ---- Interrupt shadow and IF ----------------------------------------------------------------------------------

    @Test
    void movSsBlocksInterruptsForOneInstruction() {
        m.long64(0);
        cpu.gpr[X86CpuState.RAX] = SystemTestMachine.KERNEL_DS;
        m.run(CODE, "8e d0");                                             // mov ss, ax
        boolean afterMovSs = m.x.interruptShadow;

        m.run(CODE + 2, "90");

        assertTrue(afterMovSs);
        assertFalse(m.x.interruptShadow);
    }

    @Test
    void popSsInRealModeBlocksInterruptsAndPops() {
        m.real(0x6000);
        m.ram.write16(SystemTestMachine.USER_STACK, 0x0100);

        m.run(0x6000, "17");                                              // pop ss

        assertTrue(m.x.interruptShadow);
        assertEquals(0x1000, cpu.ss.base);
        assertEquals(SystemTestMachine.USER_STACK + 2, m.rsp());
    }

    @Test
    void stiSetsTheShadowOnlyWhenItEnablesInterrupts() {
        m.long64(0);
        m.run(CODE, "fb");
        boolean first = m.x.interruptShadow;
        m.run(CODE + 1, "90");

        m.run(CODE + 2, "fb");

        assertTrue(first);
        assertFalse(m.x.interruptShadow);
        assertEquals(X86CpuState.RFLAGS_IF, cpu.rflags & X86CpuState.RFLAGS_IF);
    }

    @Test
    void cliAndStiFollowIoplInRingThree() {
        m.long64(3);
        cpu.rflags |= SystemInstructions.IOPL | X86CpuState.RFLAGS_IF;

        m.run(CODE, "fa");

        assertEquals(0, cpu.rflags & X86CpuState.RFLAGS_IF);
        assertEquals(CODE + 1, cpu.rip);
    }
}
