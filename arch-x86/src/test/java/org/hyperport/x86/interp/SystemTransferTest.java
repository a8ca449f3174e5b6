package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_CS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_DS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_STACK;
import static org.hyperport.x86.interp.SystemTestMachine.USER_CS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_DS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_STACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Mode;
import org.junit.jupiter.api.Test;

/**
 * Far transfers between code segments and privilege levels (SDM Vol 3A §5.8, §6.14; Vol 2 CALL/JMP/RET far, IRET,
 * INT n, SYSCALL/SYSRET, SYSENTER/SYSEXIT) in IA-32e mode, plus real-mode IRET and INT n.
 */
class SystemTransferTest extends SystemMachineTest {

    static final long KERNEL_CODE = 0x5000, USER_CODE = 0x6000, LSTAR = 0x6800, FAR_PTR = 0x5800;
    static final long STAR = ((long) (USER_CS - 16) << 48) | ((long) KERNEL_CS << 32);

    /** Writes a 64-bit IRET frame RIP, CS, RFLAGS, RSP, SS below the kernel stack and points RSP at it. */
    private void iretFrame(long rip, int cs, long rflags, long rsp, int ss) {
        long sp = KERNEL_STACK - 40;
        long[] frame = {rip, cs, rflags, rsp, ss};
        for (int k = 0; k < frame.length; k++) {
            m.ram.write64(sp + 8L * k, frame[k]);
        }
        cpu.gpr[X86CpuState.RSP] = sp;
    }

    // ---- IRET and interrupts --------------------------------------------------------------------------------------

    @Test
    void iretqEntersRingThreeWithItsStack() {
        m.long64(0);
        iretFrame(USER_CODE, USER_CS, 0x202, USER_STACK, USER_DS);

        m.run(KERNEL_CODE, "48 cf");

        assertEquals(USER_CODE, cpu.rip);
        assertEquals(USER_CS, cpu.cs.selector);
        assertEquals(3, m.x.cpl());
        assertEquals(USER_DS, cpu.ss.selector);
        assertEquals(USER_STACK, m.rsp());
        assertEquals(0x202, cpu.rflags);
        assertEquals(Mode.LONG64, m.x.mode());
    }

    @Test
    void anInterruptFromRingThreeAndIretqBackResumeAfterTheInt() {
        m.long64(0);
        iretFrame(USER_CODE, USER_CS, 0x202, USER_STACK, USER_DS);
        m.run(KERNEL_CODE, "48 cf");
        m.code(USER_CODE, "cd 80");                                       // int 0x80
        m.code(SystemTestMachine.HANDLERS + 16 * 0x80, "48 cf");          // the handler: iretq
        m.steps(1);
        long handlerRip = cpu.rip;
        long handlerRsp = m.rsp();
        long pushedRip = m.ram.read64(handlerRsp);
        int handlerCs = cpu.cs.selector;

        m.steps(1);

        assertEquals(SystemTestMachine.HANDLERS + 16 * 0x80, handlerRip);
        assertEquals(KERNEL_STACK - 40, handlerRsp);
        assertEquals(USER_CODE + 2, pushedRip);
        assertEquals(KERNEL_CS, handlerCs);
        assertEquals(USER_CODE + 2, cpu.rip);
        assertEquals(USER_CS, cpu.cs.selector);
        assertEquals(USER_STACK, m.rsp());
        assertEquals(0x202, cpu.rflags);
    }

    @Test
    void iretqToRingThreeNullsKernelDataSegmentsButKeepsTheFsBase() {
        m.long64(0);
        cpu.ds.set(KERNEL_DS, 0, 0xffffffff, 0x93 | Segment.S | Segment.DB | Segment.G);
        cpu.fs.set(KERNEL_DS, 0x7777_0000L, 0xffffffff, 0x93 | Segment.S | Segment.DB | Segment.G);
        cpu.es.set(USER_DS, 0, 0xffffffff, 0xf3 | Segment.S | Segment.DB | Segment.G);
        iretFrame(USER_CODE, USER_CS, 0x202, USER_STACK, USER_DS);

        m.run(KERNEL_CODE, "48 cf");

        assertEquals(0, cpu.ds.selector);
        assertEquals(0, cpu.fs.selector);
        assertEquals(0x7777_0000L, cpu.fs.base);
        assertEquals(USER_DS, cpu.es.selector);
    }

    @Test
    void iretqInRingThreeCannotChangeIfOrIopl() {
        m.long64(3);
        cpu.rflags = 0x202;
        long sp = USER_STACK - 40;
        long[] frame = {USER_CODE, USER_CS, 0x3000 | 0x2 | 0x1, USER_STACK, USER_DS};
        for (int k = 0; k < frame.length; k++) {
            m.ram.write64(sp + 8L * k, frame[k]);
        }
        cpu.gpr[X86CpuState.RSP] = sp;

        m.run(KERNEL_CODE + 0x100, "48 cf");

        assertEquals(0x203, cpu.rflags);
        assertEquals(USER_CODE, cpu.rip);
    }

    @Test
    void iretqInRingZeroLoadsIopl() {
        m.long64(0);
        iretFrame(USER_CODE, USER_CS, 0x3202, USER_STACK, USER_DS);

        m.run(KERNEL_CODE, "48 cf");

        assertEquals(0x3202, cpu.rflags);
    }

    @Test
    void iretqToAMorePrivilegedSegmentIsGpWithTheSelector() {
        m.long64(3);
        long sp = USER_STACK - 40;
        long[] frame = {KERNEL_CODE, KERNEL_CS, 0x2, KERNEL_STACK, KERNEL_DS};
        for (int k = 0; k < frame.length; k++) {
            m.ram.write64(sp + 8L * k, frame[k]);
        }
        cpu.gpr[X86CpuState.RSP] = sp;

        m.run(USER_CODE, "48 cf");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL_CS, m.errorCode());
    }

    @Test
    void iretqSameRingStillPopsSsAndRsp() {
        m.long64(0);
        iretFrame(KERNEL_CODE + 0x10, KERNEL_CS, 0x2, 0x8800, 0);

        m.run(KERNEL_CODE, "48 cf");

        assertEquals(0x8800, m.rsp());
        assertEquals(Segment.UNUSABLE, cpu.ss.attr & Segment.UNUSABLE);
        assertEquals(KERNEL_CODE + 0x10, cpu.rip);
    }

    @Test
    void int3FromRingThreeIsATrapThroughItsDplThreeGate() {
        m.long64(3);

        m.run(USER_CODE, "cc");

        assertEquals(CpuFault.BP, m.vectorTaken());
        assertEquals(USER_CODE + 1, m.ram.read64(m.rsp()));
    }

    @Test
    void intThroughAKernelOnlyGateIsGpWithTheIdtErrorCode() {
        m.long64(3);

        m.run(USER_CODE, "cd 21");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0x21 * 8 + 2, m.errorCode());
        assertEquals(USER_CODE, m.ram.read64(m.rsp() + 8));
    }

    @Test
    void int1IgnoresTheGateDpl() {
        m.long64(3);

        m.run(USER_CODE, "f1");

        assertEquals(CpuFault.DB, m.vectorTaken());
        assertEquals(USER_CODE + 1, m.ram.read64(m.rsp()));
    }

    @Test
    void intoTrapsOnlyWhenOverflowIsSet() {
        m.real(0x6000);
        m.ram.write32(CpuFault.OF * 4, 0x0500_0020);                      // #OF -> 0500:0020
        m.run(0x6000, "ce");                                              // into, OF clear
        long ripWithoutOverflow = cpu.rip;
        cpu.rflags |= SystemInstructions.OF;

        m.run(0x6001, "ce");

        assertEquals(0x6001, ripWithoutOverflow);
        assertEquals(0x5020, cpu.cs.base + cpu.rip);
        assertEquals(0x6002, m.ram.read16(m.rsp()));
    }

    @Test
    void iretdInCompatibilityModeToTheSameRingDoesNotPopTheStack() {
        m.long64(0);
        cpu.cs.set(SystemTestMachine.KERNEL32_CS, 0, 0xffffffff, 0x9b | Segment.S | Segment.DB | Segment.G);
        long sp = KERNEL_STACK - 12;
        m.ram.write32(sp, 0x6000);
        m.ram.write32(sp + 4, SystemTestMachine.KERNEL32_CS);
        m.ram.write32(sp + 8, 0x2);
        cpu.gpr[X86CpuState.RSP] = sp;

        m.run(KERNEL_CODE, "cf");                                         // iretd

        assertEquals(0x6000, cpu.rip);
        assertEquals(KERNEL_STACK, m.rsp());
        assertEquals(KERNEL_DS, cpu.ss.selector);
        assertEquals(Mode.PROT32, m.x.mode());
    }

    @Test
    void realModeIntAndIretRoundTrip() {
        m.real(0x6000);
        m.ram.write32(0x10 * 4, 0x0500_0010);                             // int 0x10 -> 0500:0010
        m.code(0x5010, "cf");                                             // iret
        cpu.rflags = 0x202 | 0x1;
        m.run(0x6000, "cd 10");
        long handler = cpu.cs.base + cpu.rip;
        long flagsInHandler = cpu.rflags;

        m.steps(1);

        assertEquals(0x5010, handler);
        assertEquals(0x3, flagsInHandler);
        assertEquals(0x6002, cpu.rip);
        assertEquals(0, cpu.cs.base);
        assertEquals(0x203, cpu.rflags);
        assertEquals(USER_STACK, m.rsp());
    }

    // ---- Far JMP, CALL and RET ------------------------------------------------------------------------------------

    @Test
    void farCallToCompatibilityModeAndFarReturnBack() {
        m.long64(0);
        m.ram.write32(FAR_PTR, 0x6000);
        m.ram.write16(FAR_PTR + 4, SystemTestMachine.KERNEL32_CS);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;
        m.code(0x6000, "cb");                                             // retf (32-bit)
        m.run(KERNEL_CODE, "ff 18");                                      // call far [rax] (m16:32)
        Mode called = m.x.mode();
        long pushedEip = m.ram.read32(m.rsp());
        long pushedCs = m.ram.read32(m.rsp() + 4);

        m.steps(1);

        assertEquals(Mode.PROT32, called);
        assertEquals(KERNEL_CODE + 2, pushedEip);
        assertEquals(KERNEL_CS, pushedCs);
        assertEquals(Mode.LONG64, m.x.mode());
        assertEquals(KERNEL_CODE + 2, cpu.rip);
        assertEquals(KERNEL_STACK, m.rsp());
    }

    @Test
    void farJumpToADataSegmentIsGpWithTheSelector() {
        m.long64(0);
        m.ram.write32(FAR_PTR, 0x6000);
        m.ram.write16(FAR_PTR + 4, KERNEL_DS);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;

        m.run(KERNEL_CODE, "ff 28");                                      // jmp far [rax]

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL_DS, m.errorCode());
    }

    @Test
    void farJumpFromRingThreeToRingZeroCodeIsGp() {
        m.long64(3);
        m.ram.write32(FAR_PTR, 0x6000);
        m.ram.write16(FAR_PTR + 4, KERNEL_CS);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;

        m.run(USER_CODE, "ff 28");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL_CS, m.errorCode());
    }

    @Test
    void farJumpToANotPresentSegmentIsNp() {
        m.long64(0);
        m.ram.write64(SystemTestMachine.GDT + 0x38, SystemTestMachine.CODE64_0 & ~(1L << 47));
        m.ram.write32(FAR_PTR, 0x6000);
        m.ram.write16(FAR_PTR + 4, 0x38);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;

        m.run(KERNEL_CODE, "ff 28");

        assertEquals(CpuFault.NP, m.vectorTaken());
        assertEquals(0x38, m.errorCode());
    }

    @Test
    void farCallThroughASixtyFourBitCallGateWhoseUpperHalfIsNotTypeZeroIsGp() {
        m.long64(0);
        long gate = 0x5010L | ((long) KERNEL_CS << 16) | (0xcL << 40) | (1L << 47);
        m.ram.write64(SystemTestMachine.GDT + 0x38, gate);               // the upper half is the TSS (type 9)
        m.ram.write32(FAR_PTR, 0);
        m.ram.write16(FAR_PTR + 4, 0x38);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;

        m.run(KERNEL_CODE, "ff 18");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0x38, m.errorCode());
        assertEquals(KERNEL_STACK - 48, m.rsp());                        // nothing pushed before the fault
    }

    @Test
    void farReturnToRingThreePopsSsAndRspAndReleasesTheImmediate() {
        m.long64(0);
        long sp = KERNEL_STACK - 0x40;
        m.ram.write64(sp, USER_CODE);
        m.ram.write64(sp + 8, USER_CS);
        m.ram.write64(sp + 16 + 8, USER_STACK);                           // after 8 bytes of parameters
        m.ram.write64(sp + 24 + 8, USER_DS);
        cpu.gpr[X86CpuState.RSP] = sp;

        m.run(KERNEL_CODE, "48 ca 08 00");                                // retfq 8

        assertEquals(USER_CODE, cpu.rip);
        assertEquals(3, m.x.cpl());
        assertEquals(USER_DS, cpu.ss.selector);
        assertEquals(USER_STACK + 8, m.rsp());
    }

    @Test
    void realModeFarJumpLoadsCsBase() {
        m.real(0x6000);

        m.run(0x6000, "ea 34 12 00 f0");                                  // jmp f000:1234

        assertEquals(0xf0000, cpu.cs.base);
        assertEquals(0xf000, cpu.cs.selector);
        assertEquals(0x1234, cpu.rip);
    }

    // ---- SYSCALL/SYSRET and SYSENTER/SYSEXIT ----------------------------------------------------------------------

    private void syscallMsrs() {
        cpu.efer |= X86CpuState.EFER_SCE;
        cpu.msr[X86CpuState.msrSlot(Msrs.STAR)] = STAR;
        cpu.msr[X86CpuState.msrSlot(Msrs.LSTAR)] = LSTAR;
        cpu.msr[X86CpuState.msrSlot(Msrs.SFMASK)] = 0x300;                  // IF, TF
    }

    @Test
    void syscallEntersTheKernelThroughLstar() {
        m.long64(3);
        syscallMsrs();
        cpu.rflags = 0x203;

        m.run(USER_CODE, "0f 05");

        assertEquals(LSTAR, cpu.rip);
        assertEquals(USER_CODE + 2, cpu.gpr[X86CpuState.RCX]);
        assertEquals(0x203, cpu.gpr[11]);
        assertEquals(0x3, cpu.rflags);
        assertEquals(KERNEL_CS, cpu.cs.selector);
        assertEquals(KERNEL_DS, cpu.ss.selector);
        assertEquals(0, m.x.cpl());
        assertEquals(Mode.LONG64, m.x.mode());
    }

    @Test
    void sysretqReturnsToSixtyFourBitUserCode() {
        m.long64(3);
        syscallMsrs();
        cpu.rflags = 0x203;
        m.code(LSTAR, "48 0f 07");                                        // sysretq
        m.run(USER_CODE, "0f 05");

        m.steps(1);

        assertEquals(USER_CODE + 2, cpu.rip);
        assertEquals(USER_CS, cpu.cs.selector);
        assertEquals(USER_DS, cpu.ss.selector);
        assertEquals(0x203, cpu.rflags);
        assertEquals(3, m.x.cpl());
        assertEquals(Mode.LONG64, m.x.mode());
    }

    @Test
    void sysretWithoutRexWReturnsToCompatibilityMode() {
        m.long64(0);
        syscallMsrs();
        cpu.gpr[X86CpuState.RCX] = 0xffff_ffff_0000_6000L;
        cpu.gpr[11] = 0x3_0202;                                           // RF and VM are not restored

        m.run(KERNEL_CODE, "0f 07");

        assertEquals(0x202, cpu.rflags);
        assertEquals(0x6000, cpu.rip);
        assertEquals(SystemTestMachine.USER32_CS, cpu.cs.selector);
        assertEquals(Mode.PROT32, m.x.mode());
    }

    @Test
    void sysretqToANonCanonicalAddressIsGpInRingZero() {
        m.long64(0);
        syscallMsrs();
        cpu.gpr[X86CpuState.RCX] = 0x0000_8000_0000_0000L;

        m.run(KERNEL_CODE, "48 0f 07");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL_CS, cpu.cs.selector);
    }

    @Test
    void syscallWithoutSceIsUndefined() {
        m.long64(3);

        m.run(USER_CODE, "0f 05");

        assertEquals(CpuFault.UD, m.vectorTaken());
    }

    @Test
    void sysenterAndSysexitRoundTrip() {
        m.long64(3);
        cpu.msr[X86CpuState.msrSlot(Msrs.SYSENTER_CS)] = KERNEL_CS;
        cpu.msr[X86CpuState.msrSlot(Msrs.SYSENTER_ESP)] = 0x8800;
        cpu.msr[X86CpuState.msrSlot(Msrs.SYSENTER_EIP)] = 0x6900;
        cpu.rflags = 0x202;
        m.code(0x6900, "48 0f 35");                                       // sysexitq
        m.run(USER_CODE, "0f 34");                                        // sysenter
        long kernelRsp = m.rsp();
        long kernelRip = cpu.rip;
        long kernelFlags = cpu.rflags;
        cpu.gpr[X86CpuState.RCX] = USER_STACK;
        cpu.gpr[X86CpuState.RDX] = USER_CODE + 2;

        m.steps(1);

        assertEquals(0x8800, kernelRsp);
        assertEquals(0x6900, kernelRip);
        assertEquals(0x2, kernelFlags);
        assertEquals(KERNEL_CS + 32 | 3, cpu.cs.selector);
        assertEquals(KERNEL_CS + 40 | 3, cpu.ss.selector);
        assertEquals(USER_STACK, m.rsp());
        assertEquals(USER_CODE + 2, cpu.rip);
        assertEquals(Mode.LONG64, m.x.mode());
    }
}
