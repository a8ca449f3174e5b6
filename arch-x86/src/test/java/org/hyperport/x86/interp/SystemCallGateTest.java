package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.SystemTestMachine.GDT;
import static org.hyperport.x86.interp.SystemTestMachine.HANDLERS;
import static org.hyperport.x86.interp.SystemTestMachine.IDT;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL32_CS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_CS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_DS;
import static org.hyperport.x86.interp.SystemTestMachine.KERNEL_STACK;
import static org.hyperport.x86.interp.SystemTestMachine.TSS;
import static org.hyperport.x86.interp.SystemTestMachine.TSS_LIMIT;
import static org.hyperport.x86.interp.SystemTestMachine.TSS_SEL;
import static org.hyperport.x86.interp.SystemTestMachine.USER32_CS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_CS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_DS;
import static org.hyperport.x86.interp.SystemTestMachine.USER_STACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Mode;
import org.junit.jupiter.api.Test;

/**
 * Far JMP/CALL through call gates (SDM Vol 3A §5.8.3-5.8.6, Vol 2 CALL/JMP "CALL-GATE", RET far): 32-bit gates in
 * legacy protected mode with the inner-stack switch and parameter copying, and 64-bit gates in IA-32e mode.
 */
class SystemCallGateTest extends SystemMachineTest {

    static final long USER_CODE = 0x6000, KERNEL_CODE = 0x5000, GATE_TARGET = 0x5100, FAR_PTR = 0x5800;
    /** Free GDT slots above the machine's layout. */
    static final int GATE = 0x60, GATE2 = 0x70;

    /**
     * Legacy 32-bit protected mode without paging at privilege {@code cpl}: flat 32-bit segments from the machine's
     * GDT (0x08 ring-0 code, 0x18 ring-0 data, 0x23 ring-3 code, 0x2b ring-3 data), TR = a busy 32-bit TSS at
     * {@link SystemTestMachine#TSS} with SS0:ESP0 = 0x18:{@link SystemTestMachine#KERNEL_STACK}, and an 8-byte-gate
     * IDT whose vector v enters {@link SystemTestMachine#HANDLERS} + 16·v in ring 0.
     */
    static void prot32(SystemTestMachine m, int cpl) {
        X86CpuState cpu = m.cpu;
        cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_ET | X86CpuState.CR0_NE;
        cpu.cr4 = 0;
        cpu.efer = 0;
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 0xff;
        cpu.idtBase = IDT;
        cpu.idtLimit = 256 * 8 - 1;
        for (int v = 0; v < 256; v++) {
            long handler = HANDLERS + 16L * v;
            m.ram.write64(IDT + 8L * v, (handler & 0xffff) | ((long) KERNEL32_CS << 16) | (0xeL << 40)
                    | ((v == 3 ? 3L : 0L) << 45) | (1L << 47) | ((handler & 0xffff0000L) << 32));
        }
        m.ram.write64(GDT + TSS_SEL, SystemTestMachine.systemDescriptor(TSS, TSS_LIMIT, 0xb));
        m.ram.write64(GDT + TSS_SEL + 8, 0);
        m.ram.write32(TSS + 4, (int) KERNEL_STACK);
        m.ram.write32(TSS + 8, KERNEL_DS);
        cpu.tr.set(TSS_SEL, TSS, TSS_LIMIT, 0xb | Segment.P);
        cpu.ldt.set(0, 0, 0, Segment.UNUSABLE);
        int code = 0xb | Segment.S | Segment.P | Segment.DB | Segment.G | (cpl << 5);
        int data = 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (cpl << 5);
        cpu.cs.set(cpl == 0 ? KERNEL32_CS : USER32_CS, 0, 0xffffffff, code);
        for (Segment s : new Segment[] {cpu.ss, cpu.ds, cpu.es}) {
            s.set(cpl == 0 ? KERNEL_DS : USER_DS, 0, 0xffffffff, data);
        }
        for (Segment s : new Segment[] {cpu.fs, cpu.gs}) {
            s.set(0, 0, 0, Segment.UNUSABLE);
        }
        cpu.gpr[X86CpuState.RSP] = cpl == 0 ? KERNEL_STACK : USER_STACK;
        cpu.rflags = X86CpuState.RFLAGS_FIXED;
    }

    /** A legacy call gate (type 0xC, 32-bit; 0x4, 16-bit) to {@code selector}:{@code offset}. */
    static long gate(int selector, long offset, int dpl, int params, int type, boolean present) {
        return (offset & 0xffff) | ((long) selector << 16) | ((long) params << 32) | ((long) type << 40)
                | ((long) dpl << 45) | (present ? 1L << 47 : 0) | ((offset & 0xffff0000L) << 32);
    }

    /** The 32-bit value at {@code offset} bytes above ESP. */
    private long stack32(long offset) {
        return m.ram.read32(m.rsp() + offset) & 0xffffffffL;
    }

    // ---- 32-bit call gates in legacy protected mode ---------------------------------------------------------------

    @Test
    void callThroughAThirtyTwoBitGateFromRingThreeCopiesParametersAndSwitchesStacks() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 3, 2, 0xc, true));
        cpu.gpr[X86CpuState.RSP] = USER_STACK - 8;
        m.ram.write32(USER_STACK - 8, 0x1111_1111);                       // parameter 1 (top of the stack)
        m.ram.write32(USER_STACK - 4, 0x2222_2222);                       // parameter 2

        m.run(USER_CODE, "9a 00 00 00 00 63 00");                         // call 0063:00000000

        assertEquals(GATE_TARGET, cpu.rip);
        assertEquals(KERNEL32_CS, cpu.cs.selector);
        assertEquals(0, m.x.cpl());
        assertEquals(KERNEL_DS, cpu.ss.selector);
        assertEquals(KERNEL_STACK - 24, m.rsp());
        assertEquals(USER_CODE + 7, stack32(0));                          // return EIP
        assertEquals(USER32_CS, stack32(4));
        assertEquals(0x1111_1111L, stack32(8));
        assertEquals(0x2222_2222L, stack32(12));
        assertEquals(USER_STACK - 8, stack32(16));                        // caller's ESP
        assertEquals(USER_DS, stack32(20));                               // caller's SS
        assertEquals(Mode.PROT32, m.x.mode());
    }

    @Test
    void farReturnWithAnImmediateGoesBackToRingThreeAndReleasesTheParameters() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 3, 2, 0xc, true));
        cpu.gpr[X86CpuState.RSP] = USER_STACK - 8;
        m.code(GATE_TARGET, "ca 08 00");                                  // retf 8
        m.run(USER_CODE, "9a 00 00 00 00 63 00");
        cpu.ds.set(KERNEL_DS, 0, 0xffffffff, 0x93 | Segment.S | Segment.DB | Segment.G);

        m.steps(1);

        assertEquals(USER_CODE + 7, cpu.rip);
        assertEquals(USER32_CS, cpu.cs.selector);
        assertEquals(3, m.x.cpl());
        assertEquals(USER_DS, cpu.ss.selector);
        assertEquals(USER_STACK, m.rsp());
        assertEquals(0, cpu.ds.selector);                                 // the kernel DS does not survive
        assertEquals(USER_DS, cpu.es.selector);
    }

    @Test
    void callThroughAGateToTheSamePrivilegePushesOnlyTheReturnAddress() {
        prot32(m, 0);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 0, 3, 0xc, true));

        m.run(KERNEL_CODE, "9a 78 56 34 12 60 00");                        // the offset is the gate's

        assertEquals(GATE_TARGET, cpu.rip);
        assertEquals(KERNEL_STACK - 8, m.rsp());
        assertEquals(KERNEL_CODE + 7, stack32(0));
        assertEquals(KERNEL32_CS, stack32(4));
    }

    @Test
    void aSixteenBitGatePushesWordsAndTruncatesTheOffset() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, 0xabcd_5100L, 3, 1, 0x4, true));
        cpu.gpr[X86CpuState.RSP] = USER_STACK - 2;
        m.ram.write16(USER_STACK - 2, 0x4242);

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(0x5100, cpu.rip);
        assertEquals(KERNEL_STACK - 10, m.rsp());
        assertEquals(USER_CODE + 7, m.ram.read16(m.rsp()));
        assertEquals(USER32_CS, m.ram.read16(m.rsp() + 2));
        assertEquals(0x4242, m.ram.read16(m.rsp() + 4));
        assertEquals(USER_STACK - 2, m.ram.read16(m.rsp() + 6));
        assertEquals(USER_DS, m.ram.read16(m.rsp() + 8));
    }

    @Test
    void jumpThroughAGateDoesNotChangePrivilege() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(USER32_CS, 0x6200, 3, 0, 0xc, true));

        m.run(USER_CODE, "ea 00 00 00 00 63 00");                         // jmp 0063:00000000

        assertEquals(0x6200, cpu.rip);
        assertEquals(USER32_CS, cpu.cs.selector);
        assertEquals(USER_STACK, m.rsp());
    }

    @Test
    void jumpThroughAGateToAMorePrivilegedSegmentIsGpWithTheCodeSelector() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "ea 00 00 00 00 63 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL32_CS, stack32(0));
    }

    @Test
    void aGateBelowTheCallersPrivilegeIsGpWithTheGateSelectorAndPushesNothing() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 0, 2, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(GATE, stack32(0));                                   // error code
        assertEquals(USER_CODE, stack32(4));                              // the faulting CALL
        assertEquals(USER_STACK, stack32(16));                            // the user ESP, untouched
    }

    @Test
    void aSelectorRplAboveTheGateDplIsGp() {
        prot32(m, 0);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 0, 0, 0xc, true));

        m.run(KERNEL_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(GATE, stack32(0));
    }

    @Test
    void aNotPresentGateIsNpWithTheGateSelector() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 3, 0, 0xc, false));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.NP, m.vectorTaken());
        assertEquals(GATE, stack32(0));
    }

    @Test
    void aGateToANullCodeSelectorIsGpZero() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE, gate(0, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(0, stack32(0));
    }

    @Test
    void aGateToANotPresentCodeSegmentIsNpWithTheCodeSelector() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE2, SystemTestMachine.CODE32_0 & ~(1L << 47));
        m.ram.write64(GDT + GATE, gate(GATE2, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.NP, m.vectorTaken());
        assertEquals(GATE2, stack32(0));
    }

    @Test
    void anInvalidInnerStackInTheTssIsTsWithItsSelector() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE2, 0x00cfba000000ffffL);                 // ring-1 code
        m.ram.write32(TSS + 12, 0x8800);                                  // ESP1
        m.ram.write32(TSS + 16, KERNEL_DS);                               // SS1 with DPL 0
        m.ram.write64(GDT + GATE, gate(GATE2, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.TS, m.vectorTaken());
        assertEquals(KERNEL_DS, stack32(0));
        assertEquals(USER_CODE, stack32(4));
        assertEquals(USER_STACK, stack32(16));
    }

    @Test
    void aCallToRingOneTakesSs1AndEsp1() {
        prot32(m, 3);
        m.ram.write64(GDT + GATE2, 0x00cfba000000ffffL);                 // ring-1 code
        m.ram.write64(GDT + GATE2 + 8, 0x00cfb2000000ffffL);             // ring-1 data
        m.ram.write32(TSS + 12, 0x8800);
        m.ram.write32(TSS + 16, (GATE2 + 8) | 1);
        m.ram.write64(GDT + GATE, gate(GATE2, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(1, m.x.cpl());
        assertEquals(GATE2 | 1, cpu.cs.selector);
        assertEquals((GATE2 + 8) | 1, cpu.ss.selector);
        assertEquals(0x8800 - 16, m.rsp());
    }

    @Test
    void aTssTooShortForTheInnerStackIsTsWithTheTssSelector() {
        prot32(m, 3);
        cpu.tr.limit = 0x8;
        m.ram.write64(GDT + GATE, gate(KERNEL32_CS, GATE_TARGET, 3, 0, 0xc, true));

        m.run(USER_CODE, "9a 00 00 00 00 63 00");

        assertEquals(CpuFault.TS, m.vectorTaken());
        assertEquals(TSS_SEL, stack32(0));
        assertEquals(USER_STACK, stack32(16));
    }

    // ---- 64-bit call gates in IA-32e mode -------------------------------------------------------------------------

    /** A 16-byte 64-bit call gate at {@link #GATE} to {@code selector}:{@code offset}, upper type {@code upperType}. */
    private void gate64(int selector, long offset, int dpl, int upperType) {
        m.ram.write64(GDT + GATE, gate(selector, offset, dpl, 0, 0xc, true));
        m.ram.write64(GDT + GATE + 8, (offset >>> 32) | ((long) upperType << 40));
        cpu.gdtLimit = 0xff;
        m.ram.write32(FAR_PTR, 0);
        m.ram.write16(FAR_PTR + 4, GATE | 3);
        cpu.gpr[X86CpuState.RAX] = FAR_PTR;
    }

    @Test
    void callThroughASixtyFourBitGateFromRingThreeUsesRsp0AndANullSs() {
        m.long64(3);
        gate64(KERNEL_CS, GATE_TARGET, 3, 0);

        m.run(USER_CODE, "ff 18");                                        // call far [rax]

        assertEquals(GATE_TARGET, cpu.rip);
        assertEquals(KERNEL_CS, cpu.cs.selector);
        assertEquals(0, m.x.cpl());
        assertEquals(0, cpu.ss.selector);
        assertEquals(Segment.UNUSABLE, cpu.ss.attr & Segment.UNUSABLE);
        assertEquals(KERNEL_STACK - 32, m.rsp());
        assertEquals(USER_CODE + 2, m.ram.read64(m.rsp()));
        assertEquals(USER_CS, m.ram.read64(m.rsp() + 8));
        assertEquals(USER_STACK, m.ram.read64(m.rsp() + 16));
        assertEquals(USER_DS, m.ram.read64(m.rsp() + 24));
        assertEquals(Mode.LONG64, m.x.mode());
    }

    @Test
    void retfqReturnsFromASixtyFourBitGateCall() {
        m.long64(3);
        gate64(KERNEL_CS, GATE_TARGET, 3, 0);
        m.code(GATE_TARGET, "48 cb");                                     // retfq
        m.run(USER_CODE, "ff 18");

        m.steps(1);

        assertEquals(USER_CODE + 2, cpu.rip);
        assertEquals(USER_CS, cpu.cs.selector);
        assertEquals(USER_DS, cpu.ss.selector);
        assertEquals(USER_STACK, m.rsp());
        assertEquals(3, m.x.cpl());
    }

    @Test
    void theGateOffsetTakesBits63To32FromTheUpperHalf() {
        m.long64(0);
        gate64(KERNEL_CS, 0xffff_8000_0000_5100L, 0, 0);
        m.ram.write16(FAR_PTR + 4, GATE);

        m.run(KERNEL_CODE, "ff 28");                                      // jmp far [rax]

        assertEquals(0xffff_8000_0000_5100L, cpu.rip);
        assertEquals(KERNEL_STACK, m.rsp());
    }

    @Test
    void aSixtyFourBitGateWithATypeInItsUpperHalfIsGpWithTheGateSelector() {
        m.long64(3);
        gate64(KERNEL_CS, GATE_TARGET, 3, 0xc);

        m.run(USER_CODE, "ff 18");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(GATE, m.errorCode());
        assertEquals(USER_STACK, m.ram.read64(m.rsp() + 32));             // nothing pushed on the user stack
    }

    @Test
    void aSixtyFourBitGateToACompatibilityModeSegmentIsGpWithTheCodeSelector() {
        m.long64(3);
        gate64(KERNEL32_CS, GATE_TARGET, 3, 0);

        m.run(USER_CODE, "ff 18");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(KERNEL32_CS, m.errorCode());
    }

    @Test
    void aSixteenBitGateTypeInIa32eModeIsGp() {
        m.long64(3);
        gate64(KERNEL_CS, GATE_TARGET, 3, 0);
        m.ram.write64(GDT + GATE, gate(KERNEL_CS, GATE_TARGET, 3, 0, 0x4, true));

        m.run(USER_CODE, "ff 18");

        assertEquals(CpuFault.GP, m.vectorTaken());
        assertEquals(GATE, m.errorCode());
    }
}
