package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.SystemTestMachine.GDT;
import static org.hyperport.x86.interp.SystemTestMachine.IDT;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL32_CS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_DS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_STACK;
import static org.hyperport.x86.interp.SystemTestMachine.LDT_SEL;
import static org.hyperport.x86.interp.SystemTestMachine.PD;
import static org.hyperport.x86.interp.SystemTestMachine.TSS;
import static org.hyperport.x86.interp.SystemTestMachine.TSS_SEL;
import static org.hyperport.x86.interp.SystemTestMachine.USER_DS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;

/**
 * Hardware task switches in legacy protected mode with 32-bit paging (SDM Vol 3A Ch. 8; Vol 2 JMP/CALL "TASK-GATE"
 * and "TASK-STATE-SEGMENT", INT n "TASK-GATE", IRET "TASK-RETURN"). Task A is the current task (TR = 0x40, the
 * machine's TSS); task B has its 32-bit TSS at {@link #TSS_B} behind selector {@link #B}, with its own page directory.
 */
class SystemTaskSwitchTest extends SystemMachineTest {

    static final long KERNEL_CODE = 0x5000, B_EIP = 0x5300, TSS_B = 0x3800, PD_B = 0x13000, B_STACK = 0x8800,
            FAR_PTR = 0x5800;
    static final int B = 0x60, TASK_GATE = 0x68;
    static final long A_FLAGS = 0x802, B_FLAGS = 0x43;

    /** Task A in ring 0 with 4 MiB identity pages (CR3 = PD); task B ready to run at {@link #B_EIP}. */
    private void twoTasks(int cpl) {
        SystemCallGateTest.prot32(m, cpl);
        m.ram.write32(PD, 0x87);
        m.ram.write32(PD_B, 0x87);
        cpu.cr4 = 0x10;                                                   // PSE
        cpu.cr0 |= X86CpuState.CR0_PG;
        cpu.cr3 = PD;
        m.ram.write32(TSS + 0x1c, (int) PD);                             // CR3 is a static field: never saved
        for (int r = 0; r < 8; r++) {
            if (r != X86CpuState.RSP) {
                cpu.gpr[r] = 0xa0 + r;
            }
        }
        cpu.rflags = A_FLAGS;
        m.ram.write64(GDT + B, SystemTestMachine.systemDescriptor(TSS_B, 0x67, 0x9));
        m.ram.write32(TSS_B + 0x1c, (int) PD_B);
        m.ram.write32(TSS_B + 0x20, (int) B_EIP);
        m.ram.write32(TSS_B + 0x24, (int) B_FLAGS);
        for (int r = 0; r < 8; r++) {
            m.ram.write32(TSS_B + 0x28 + 4L * r, r == X86CpuState.RSP ? (int) B_STACK : 0xb0 + r);
        }
        int[] segs = {KERNEL_DS, KERNEL32_CS, KERNEL_DS, KERNEL_DS, 0, KERNEL_DS};
        for (int s = 0; s < 6; s++) {
            m.ram.write16(TSS_B + 0x48 + 4L * s, segs[s]);
        }
        m.ram.write16(TSS_B + 0x60, LDT_SEL);
    }

    private int typeInGdt(int selector) {
        return m.ram.read8(GDT + selector + 5) & 0xf;
    }

    private long stack32(long offset) {
        return m.ram.read32(m.rsp() + offset) & 0xffffffffL;
    }

    private long tss32(long base, int offset) {
        return m.ram.read32(base + offset) & 0xffffffffL;
    }

    // ---- JMP and CALL to a TSS, IRET back -------------------------------------------------------------------------

    @Test
    void jumpToATssSavesTheOldTaskAndLoadsTheNewOne() {
        twoTasks(0);

        m.run(KERNEL_CODE, "ea 00 00 00 00 60 00");                       // jmp 0060:00000000

        assertEquals(B, cpu.tr.selector);
        assertEquals(TSS_B, cpu.tr.base);
        assertEquals(0xb, cpu.tr.type());
        assertEquals(0x9, typeInGdt(TSS_SEL));                            // the old task is no longer busy
        assertEquals(0xb, typeInGdt(B));
        // The old task's state in its TSS.
        assertEquals(KERNEL_CODE + 7, tss32(TSS, 0x20));
        assertEquals(A_FLAGS, tss32(TSS, 0x24));
        assertEquals(0xa0, tss32(TSS, 0x28));                             // EAX
        assertEquals(0xa3, tss32(TSS, 0x34));                             // EBX
        assertEquals(KERNEL_STACK, tss32(TSS, 0x38));                     // ESP
        assertEquals(0xa7, tss32(TSS, 0x44));                             // EDI
        assertEquals(KERNEL_DS, tss32(TSS, 0x48));                        // ES
        assertEquals(KERNEL32_CS, tss32(TSS, 0x4c));                      // CS
        assertEquals(0, tss32(TSS, 0x58));                                // FS
        // The new task's state in the processor.
        assertEquals(B_EIP, cpu.rip);
        assertEquals(B_FLAGS, cpu.rflags);
        assertEquals(0xb0, cpu.gpr[X86CpuState.RAX]);
        assertEquals(0xb6, cpu.gpr[X86CpuState.RSI]);
        assertEquals(B_STACK, m.rsp());
        assertEquals(KERNEL32_CS, cpu.cs.selector);
        assertEquals(KERNEL_DS, cpu.ss.selector);
        assertEquals(KERNEL_DS, cpu.gs.selector);
        assertEquals(Segment.UNUSABLE, cpu.fs.attr & Segment.UNUSABLE);
        assertEquals(PD_B, cpu.cr3);
        assertEquals(LDT_SEL, cpu.ldt.selector);
        assertEquals(0x4000, cpu.ldt.base);
        assertEquals(ControlRegisters.CR0_TS, cpu.cr0 & ControlRegisters.CR0_TS);
        assertEquals(0, m.ram.read16(TSS_B));                             // JMP writes no back link
    }

    @Test
    void callToATssNestsTheTaskAndIretReturnsThroughTheBackLink() {
        twoTasks(0);
        m.code(B_EIP, "cf");                                              // iretd
        m.run(KERNEL_CODE, "9a 00 00 00 00 60 00");                       // call 0060:00000000
        long flagsInB = cpu.rflags;
        int link = m.ram.read16(TSS_B);
        int aTypeDuringB = typeInGdt(TSS_SEL);

        m.steps(1);

        assertEquals(B_FLAGS | SystemInstructions.NT, flagsInB);
        assertEquals(TSS_SEL, link);
        assertEquals(0xb, aTypeDuringB);                                  // CALL keeps the caller busy
        assertEquals(TSS_SEL, cpu.tr.selector);
        assertEquals(KERNEL_CODE + 7, cpu.rip);
        assertEquals(A_FLAGS, cpu.rflags);
        assertEquals(0xa0, cpu.gpr[X86CpuState.RAX]);
        assertEquals(KERNEL_STACK, m.rsp());
        assertEquals(PD, cpu.cr3);
        assertEquals(0x9, typeInGdt(B));                                  // IRET frees the task it leaves
        assertEquals(0xb, typeInGdt(TSS_SEL));
        assertEquals(B_EIP + 1, tss32(TSS_B, 0x20));
        assertEquals(B_FLAGS, tss32(TSS_B, 0x24));                        // saved with NT clear
    }

    @Test
    void callThroughATaskGateSwitchesToItsTss() {
        twoTasks(0);
        m.ram.write64(GDT + TASK_GATE, ((long) B << 16) | (0x5L << 40) | (1L << 47));

        m.run(KERNEL_CODE, "9a 00 00 00 00 68 00");

        assertEquals(B, cpu.tr.selector);
        assertEquals(B_EIP, cpu.rip);
        assertEquals(TSS_SEL, m.ram.read16(TSS_B));
        assertEquals(SystemInstructions.NT, cpu.rflags & SystemInstructions.NT);
    }

    @Test
    void aTaskGateBelowTheSelectorRplIsGpWithTheGateSelector() {
        twoTasks(0);
        m.ram.write64(GDT + TASK_GATE, ((long) B << 16) | (0x5L << 40) | (1L << 47));

        m.run(KERNEL_CODE, "9a 00 00 00 00 6b 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TASK_GATE, stack32(0));
        assertEquals(TSS_SEL, cpu.tr.selector);
    }

    @Test
    void aJumpToABusyTssIsGpWithItsSelector() {
        twoTasks(0);

        m.run(KERNEL_CODE, "ea 00 00 00 00 40 00");                       // the current task

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TSS_SEL, stack32(0));
        assertEquals(TSS_SEL, cpu.tr.selector);
    }

    @Test
    void aTssBelowTheCallersPrivilegeIsGp() {
        twoTasks(3);

        m.run(0x6000, "ea 00 00 00 00 60 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(B, stack32(0));
        assertEquals(TSS_SEL, cpu.tr.selector);
    }

    @Test
    void aNotPresentTssIsNp() {
        twoTasks(0);
        m.ram.write64(GDT + B, SystemTestMachine.systemDescriptor(TSS_B, 0x67, 0x9) & ~(1L << 47));

        m.run(KERNEL_CODE, "ea 00 00 00 00 60 00");

        assertEquals(CpuFault.NP, m.vectorTaken());
        assertEquals(B, stack32(0));
    }

    @Test
    void aTssLimitBelow67hIsTsAndChangesNothing() {
        twoTasks(0);
        m.ram.write64(GDT + B, SystemTestMachine.systemDescriptor(TSS_B, 0x50, 0x9));

        m.run(KERNEL_CODE, "ea 00 00 00 00 60 00");

        assertEquals(CpuFault.TS, m.vectorTaken());
        assertEquals(B, stack32(0));
        assertEquals(KERNEL_CODE, stack32(4));
        assertEquals(TSS_SEL, cpu.tr.selector);
        assertEquals(0, tss32(TSS, 0x28));                                // the old TSS was not written
        assertEquals(0x9, typeInGdt(B));
        assertEquals(0xb, typeInGdt(TSS_SEL));
        assertEquals(PD, cpu.cr3);
    }

    @Test
    void aBadSegmentInTheNewTaskFaultsAfterTheCommitPointInItsContext() {
        twoTasks(0);
        m.ram.write16(TSS_B + 0x50, USER_DS);                             // SS with RPL and DPL 3 under ring-0 CS

        m.run(KERNEL_CODE, "ea 00 00 00 00 60 00");

        assertEquals(CpuFault.TS, m.vectorTaken());
        assertEquals(USER_DS & 0xfffc, stack32(0));
        assertEquals(B_EIP, stack32(4));                                  // the new task's EIP
        assertEquals(B, cpu.tr.selector);
        assertEquals(KERNEL_CODE + 7, tss32(TSS, 0x20));
        assertEquals(PD_B, cpu.cr3);
    }

    @Test
    void aJumpToASixteenBitTssLoadsItsWordRegistersAndNullsFsAndGs() {
        twoTasks(0);
        long tssC = 0x3900;
        int c = 0x70;
        m.ram.write64(GDT + c, SystemTestMachine.systemDescriptor(tssC, 0x2b, 0x1));
        m.ram.write16(tssC + 0x0e, 0x5400);                               // IP
        m.ram.write16(tssC + 0x10, 0x0003);                               // FLAGS
        for (int r = 0; r < 8; r++) {
            m.ram.write16(tssC + 0x12 + 2L * r, r == X86CpuState.RSP ? 0x8400 : 0xc0 + r);
        }
        int[] segs = {KERNEL_DS, KERNEL32_CS, KERNEL_DS, KERNEL_DS};
        for (int s = 0; s < 4; s++) {
            m.ram.write16(tssC + 0x22 + 2L * s, segs[s]);
        }
        cpu.gpr[X86CpuState.RAX] = 0x1234_00a0L;
        cpu.gs.set(KERNEL_DS, 0, 0xffffffff, 0x93 | Segment.S | Segment.DB | Segment.G);

        m.run(KERNEL_CODE, "ea 00 00 00 00 70 00");

        assertEquals(c, cpu.tr.selector);
        assertEquals(0x3, cpu.tr.type());                                 // busy 16-bit TSS
        assertEquals(0x5400, cpu.rip);
        assertEquals(0x3, cpu.rflags);
        assertEquals(0x1234_00c0L, cpu.gpr[X86CpuState.RAX]);             // the upper half is kept
        assertEquals(0x8400, m.rsp());
        assertEquals(KERNEL_DS, cpu.ds.selector);
        assertEquals(Segment.UNUSABLE, cpu.gs.attr & Segment.UNUSABLE);
        assertEquals(PD, cpu.cr3);                                        // a 16-bit TSS has no CR3
        assertEquals(0x9, typeInGdt(TSS_SEL));
    }

    @Test
    void aTaskWithVmSetInItsEflagsRunsInVirtual8086Mode() {
        twoTasks(0);
        m.ram.write32(TSS_B + 0x20, 0x100);
        m.ram.write32(TSS_B + 0x24, 0x20002);                             // VM
        int[] segs = {0x0600, 0x0500, 0x0700, 0x0600, 0x0800, 0x0900};
        for (int s = 0; s < 6; s++) {
            m.ram.write16(TSS_B + 0x48 + 4L * s, segs[s]);
        }

        m.run(KERNEL_CODE, "ea 00 00 00 00 60 00");

        assertEquals(org.hyperport.x86.decode.Mode.REAL16, m.x.mode());
        assertEquals(SystemInstructions.VM, cpu.rflags & SystemInstructions.VM);
        assertEquals(3, m.x.cpl());
        assertEquals(0x100, cpu.rip);
        assertEquals(0x5000, cpu.cs.base);
        assertEquals(0x7000, cpu.ss.base);
        assertEquals(0x9000, cpu.gs.base);
        assertEquals(0xffff, cpu.ds.limit);
    }

    // ---- Interrupts and exceptions through task gates in the IDT --------------------------------------------------

    private void idtTaskGate(int vector) {
        m.ram.write64(IDT + 8L * vector, ((long) B << 16) | (0x5L << 40) | (1L << 47));
    }

    @Test
    void intThroughAnIdtTaskGateNestsTheHandlerTask() {
        twoTasks(0);
        idtTaskGate(0x40);

        m.run(KERNEL_CODE, "cd 40");

        assertEquals(B, cpu.tr.selector);
        assertEquals(B_EIP, cpu.rip);
        assertEquals(B_STACK, m.rsp());                                   // no interrupt frame
        assertEquals(KERNEL_CODE + 2, tss32(TSS, 0x20));
        assertEquals(TSS_SEL, m.ram.read16(TSS_B));
        assertEquals(SystemInstructions.NT, cpu.rflags & SystemInstructions.NT);
        assertEquals(0xb, typeInGdt(TSS_SEL));
    }

    @Test
    void anExceptionThroughATaskGatePushesItsErrorCodeOnTheNewTasksStack() {
        twoTasks(0);
        idtTaskGate(CpuFault.GP);

        m.run(KERNEL_CODE, "ea 00 00 00 00 40 00");                       // #GP(0x40): the TSS is busy

        assertEquals(B, cpu.tr.selector);
        assertEquals(B_EIP, cpu.rip);
        assertEquals(B_STACK - 4, m.rsp());
        assertEquals(TSS_SEL, stack32(0));
        assertEquals(KERNEL_CODE, tss32(TSS, 0x20));                      // the faulting instruction
    }

    @Test
    void aDoubleFaultThroughATaskGateRunsTheHandlerTaskWithErrorCodeZero() {
        twoTasks(0);
        m.ram.write64(IDT + 8L * CpuFault.GP, 0);                         // #GP cannot be delivered: #NP, then #DF
        idtTaskGate(CpuFault.DF);

        m.run(KERNEL_CODE, "ea 00 00 00 00 40 00");

        assertEquals(B, cpu.tr.selector);
        assertEquals(B_EIP, cpu.rip);
        assertEquals(B_STACK - 4, m.rsp());
        assertEquals(0, stack32(0));
        assertEquals(KERNEL_CODE, tss32(TSS, 0x20));
        assertEquals(TSS_SEL, m.ram.read16(TSS_B));
    }

    @Test
    void anExternalInterruptThroughATaskGateSavesTheInterruptedEip() {
        twoTasks(0);
        idtTaskGate(0x30);
        cpu.rip = KERNEL_CODE + 0x10;

        m.x.deliverExternal(0x30);

        assertEquals(B, cpu.tr.selector);
        assertEquals(B_EIP, cpu.rip);
        assertEquals(KERNEL_CODE + 0x10, tss32(TSS, 0x20));
        assertEquals(B_STACK, m.rsp());
    }

    @Test
    void aTaskGateWhoseTssIsBusyIsGpWithTheTssSelector() {
        twoTasks(0);
        m.ram.write64(GDT + TASK_GATE, ((long) TSS_SEL << 16) | (0x5L << 40) | (1L << 47));

        m.run(KERNEL_CODE, "ea 00 00 00 00 68 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TSS_SEL, stack32(0));
    }

    @Test
    void iretWithNtAndABackLinkToAnAvailableTssIsTs() {
        twoTasks(0);
        m.ram.write16(TSS, B);                                            // B is not busy
        cpu.rflags |= SystemInstructions.NT;

        m.run(KERNEL_CODE, "cf");

        assertEquals(CpuFault.TS, m.vectorTaken());
        assertEquals(B, stack32(0));
        assertEquals(TSS_SEL, cpu.tr.selector);
    }

    // ---- IA-32e mode has no task switches -------------------------------------------------------------------------

    @Test
    void aFarJumpToATssInLongModeIsGp() {
        m.long64(0);
        m.ram.write32(FAR_PTR, 0);
        m.ram.write16(FAR_PTR + 4, TSS_SEL);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;

        m.run(KERNEL_CODE, "ff 28");                                      // jmp far [rax]

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TSS_SEL, m.errorCode());
        assertEquals(TSS_SEL, cpu.tr.selector);
    }

    @Test
    void iretWithNtInLongModeIsGpZero() {
        m.long64(0);
        cpu.rflags |= SystemInstructions.NT;

        m.run(KERNEL_CODE, "48 cf");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0, m.errorCode());
    }
}
