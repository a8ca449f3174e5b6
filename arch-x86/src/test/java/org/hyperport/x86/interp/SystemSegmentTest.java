package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.SystemTestMachine.GDT;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_CS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_DS;
import static org.hyperport.x86.interp.SystemTestMachine.LDT_SEL;
import static org.hyperport.x86.interp.SystemTestMachine.TSS_SEL;
import static org.hyperport.x86.interp.SystemTestMachine.USER_CS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_DS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Descriptor-table registers, LDTR/TR, segment-register loads and the descriptor probes (SDM Vol 2 LGDT/SGDT,
 * LLDT/SLDT, LTR/STR, MOV Sreg, PUSH/POP Sreg, LFS/LSS, LAR/LSL, VERR/VERW; Vol 3A §5.10.3).
 */
class SystemSegmentTest {

    static final long CODE = 0x5000, DATA = 0x5800;
    static final long ZF = 1 << 6;

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

    // ---- GDTR, IDTR, LDTR, TR -------------------------------------------------------------------------------------

    @Test
    void lgdtAndSgdtUseATenBytePseudoDescriptorInSixtyFourBitMode() {
        m.ram.write16(DATA, 0x7f);
        m.ram.write64(DATA + 2, 0xffff_8000_0000_1000L);
        cpu.gpr[X86CpuState.RAX] = DATA;
        cpu.gpr[X86CpuState.RBX] = DATA + 0x10;
        m.run(CODE, "0f 01 10");                                          // lgdt [rax]

        m.run(CODE, "0f 01 03");                                          // sgdt [rbx]

        assertEquals(0xffff_8000_0000_1000L, cpu.gdtBase);
        assertEquals(0x7f, cpu.gdtLimit);
        assertEquals(0x7f, m.ram.read16(DATA + 0x10));
        assertEquals(0xffff_8000_0000_1000L, m.ram.read64(DATA + 0x12));
    }

    @Test
    void lidtWithSixteenBitOperandsKeepsTwentyFourBitsOfTheBaseInRealMode() {
        m.real(0x6000);
        m.ram.write16(DATA, 0x3ff);
        m.ram.write32(DATA + 2, 0x1234_5678);

        m.run(0x6000, "0f 01 1e 00 58");                                  // lidt [0x5800]

        assertEquals(0x34_5678, cpu.idtBase);
        assertEquals(0x3ff, cpu.idtLimit);
    }

    @Test
    void ltrLoadsTheTssAndMarksItBusy() {
        cpu.tr.set(0, 0, 0, Segment.UNUSABLE);
        cpu.gpr[X86CpuState.RAX] = TSS_SEL;

        m.run(CODE, "0f 00 d8");                                          // ltr ax

        assertEquals(TSS_SEL, cpu.tr.selector);
        assertEquals(SystemTestMachine.TSS, cpu.tr.base);
        assertEquals(SystemTestMachine.TSS_LIMIT, cpu.tr.limit);
        assertEquals(0xb, cpu.tr.type());
        assertEquals(0x8b, m.ram.read8(GDT + TSS_SEL + 5));
    }

    @Test
    void ltrTakesBits63To32OfTheBaseFromTheUpperHalfOfTheDescriptor() {
        m.ram.write64(GDT + TSS_SEL + 8, 0xffff_8000L);
        cpu.gpr[X86CpuState.RAX] = TSS_SEL;

        m.run(CODE, "0f 00 d8");

        assertEquals(0xffff_8000_0000_3000L, cpu.tr.base);
    }

    @Test
    void ltrOfABusyTssIsGpWithTheSelector() {
        cpu.gpr[X86CpuState.RAX] = TSS_SEL;
        m.run(CODE, "0f 00 d8");

        m.run(CODE, "0f 00 d8");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TSS_SEL, m.errorCode());
    }

    @Test
    void lldtLoadsAnLdtAndSldtStrReadTheSelectors() {
        cpu.gpr[X86CpuState.RAX] = LDT_SEL;
        m.run(CODE, "0f 00 d0");                                          // lldt ax
        m.run(CODE, "0f 00 c3");                                          // sldt ebx

        m.run(CODE, "0f 00 c9");                                          // str ecx

        assertEquals(0x4000, cpu.ldt.base);
        assertEquals(0xf, cpu.ldt.limit);
        assertEquals(LDT_SEL, cpu.gpr[X86CpuState.RBX]);
        assertEquals(TSS_SEL, cpu.gpr[X86CpuState.RCX]);
    }

    @Test
    void lldtOfATssDescriptorIsGp() {
        cpu.gpr[X86CpuState.RAX] = TSS_SEL;

        m.run(CODE, "0f 00 d0");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(TSS_SEL, m.errorCode());
    }

    @Test
    void lldtWithANullSelectorMakesLdtrUnusable() {
        cpu.gpr[X86CpuState.RAX] = 0;

        m.run(CODE, "0f 00 d0");

        assertEquals(Segment.UNUSABLE, cpu.ldt.attr & Segment.UNUSABLE);
    }

    // ---- Segment registers ----------------------------------------------------------------------------------------

    @Test
    void movToDsFromRingThreeWithAKernelSelectorIsGp() {
        m.long64(3);
        cpu.gpr[X86CpuState.RAX] = KERNEL_DS;

        m.run(0x6000, "8e d8");                                           // mov ds, ax

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL_DS, m.errorCode());
    }

    @Test
    void movToCsIsUndefined() {
        m.run(CODE, "8e c8");

        assertEquals(CpuFault.UD, m.vectorTaken());
    }

    @Test
    void movFromSregZeroExtendsIntoARegister() {
        cpu.gpr[X86CpuState.RBX] = -1L;

        m.run(CODE, "8c d3");                                             // mov ebx, ss

        assertEquals(KERNEL_DS, cpu.gpr[X86CpuState.RBX]);
    }

    @Test
    void pushAndPopFsUseEightByteSlots() {
        cpu.fs.set(USER_DS, 0, 0xffffffff, 0xf3 | Segment.S | Segment.DB | Segment.G);
        m.run(CODE, "0f a0");                                             // push fs
        long pushed = m.ram.read64(m.rsp());
        m.ram.write64(m.rsp(), KERNEL_DS);

        m.run(CODE, "0f a1");                                             // pop fs

        assertEquals(USER_DS, pushed);
        assertEquals(KERNEL_DS, cpu.fs.selector);
        assertEquals(SystemTestMachine.KERNEL_STACK, m.rsp());
    }

    @Test
    void aFaultingPopLeavesRspUnchanged() {
        m.ram.write64(SystemTestMachine.KERNEL_STACK - 8, 0x60);         // beyond the GDT limit
        cpu.gpr[X86CpuState.RSP] = SystemTestMachine.KERNEL_STACK - 8;

        m.run(CODE, "0f a9");                                             // pop gs

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(SystemTestMachine.KERNEL_STACK - 8, m.ram.read64(m.rsp() + 32));   // RSP in the frame
    }

    @Test
    void lfsLoadsTheSelectorAndTheOffset() {
        m.ram.write32(DATA, 0x1234);
        m.ram.write16(DATA + 4, USER_DS);
        cpu.gpr[X86CpuState.RAX] = DATA;

        m.run(CODE, "0f b4 00");                                          // lfs eax, [rax]

        assertEquals(0x1234, cpu.gpr[X86CpuState.RAX]);
        assertEquals(USER_DS, cpu.fs.selector);
        assertEquals(3, cpu.fs.dpl());
    }

    @Test
    void lssWithARingThreeSelectorInRingZeroIsGp() {
        m.ram.write32(DATA, 0x1234);
        m.ram.write16(DATA + 4, USER_DS);
        cpu.gpr[X86CpuState.RAX] = DATA;

        m.run(CODE, "0f b2 00");                                          // lss eax, [rax]

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(USER_DS & 0xfffc, m.errorCode());
        assertEquals(KERNEL_DS, cpu.ss.selector);
    }

    // ---- LAR, LSL, VERR, VERW -------------------------------------------------------------------------------------

    @Test
    void larAndLslReportAccessRightsAndTheScaledLimit() {
        cpu.gpr[X86CpuState.RBX] = USER_CS;
        m.run(CODE, "0f 02 c3");                                          // lar eax, bx
        long rights = cpu.gpr[X86CpuState.RAX];

        m.run(CODE, "48 0f 03 cb");                                       // lsl rcx, bx

        assertEquals(0x00a0_fa00L, rights);
        assertEquals(0xffff_ffffL, cpu.gpr[X86CpuState.RCX]);
        assertEquals(ZF, cpu.rflags & ZF);
    }

    @Test
    void larOfAMorePrivilegedSegmentClearsZfAndLeavesTheRegister() {
        m.long64(3);
        cpu.rflags |= ZF;
        cpu.gpr[X86CpuState.RBX] = KERNEL_CS;
        cpu.gpr[X86CpuState.RAX] = 0x77;

        m.run(0x6000, "0f 02 c3");

        assertEquals(0, cpu.rflags & ZF);
        assertEquals(0x77, cpu.gpr[X86CpuState.RAX]);
    }

    @Test
    void larOfTheTssInIa32eModeIsValid() {
        cpu.gpr[X86CpuState.RBX] = TSS_SEL;

        m.run(CODE, "0f 02 c3");

        assertEquals(ZF, cpu.rflags & ZF);
        assertEquals(0x8900, cpu.gpr[X86CpuState.RAX]);
    }

    @Test
    void verwAcceptsOnlyWritableDataAtTheCurrentPrivilege() {
        m.long64(3);
        cpu.gpr[X86CpuState.RBX] = USER_DS;
        m.run(0x6000, "0f 00 eb");                                        // verw bx
        long userData = cpu.rflags & ZF;
        cpu.gpr[X86CpuState.RBX] = USER_CS;

        m.run(0x6000, "0f 00 eb");

        assertEquals(ZF, userData);
        assertEquals(0, cpu.rflags & ZF);
    }

    @Test
    void verrAcceptsReadableCodeAndRejectsNullAndOutOfRangeSelectors() {
        cpu.gpr[X86CpuState.RBX] = KERNEL_CS;
        m.run(CODE, "0f 00 e3");                                          // verr bx
        long code = cpu.rflags & ZF;
        cpu.gpr[X86CpuState.RBX] = 0;
        m.run(CODE, "0f 00 e3");
        long nullSelector = cpu.rflags & ZF;
        cpu.rflags |= ZF;
        cpu.gpr[X86CpuState.RBX] = 0x1f8;

        m.run(CODE, "0f 00 e3");

        assertEquals(ZF, code);
        assertEquals(0, nullSelector);
        assertEquals(0, cpu.rflags & ZF);
        assertEquals(CODE + 3, cpu.rip);
    }
}
