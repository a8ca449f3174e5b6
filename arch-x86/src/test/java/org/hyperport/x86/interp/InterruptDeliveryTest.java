package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IDT delivery in long mode and real mode (SDM Vol 3A §6.14, §20.1.4), with paging off for simple addressing. */
class InterruptDeliveryTest {

    static final long GDT = 0x1000, IDT = 0x2000, TSS = 0x3000;
    static final long CODE0 = 0x00af9a000000ffffL, DATA0 = 0x00cf92000000ffffL, CODE3 = 0x00affa000000ffffL,
            DATA3 = 0x00cff2000000ffffL;

    RamGuestMemory ram;
    X86CpuState cpu;
    CpuFault fault;
    InterruptDelivery idt;

    @BeforeEach
    void setUp() {
        ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 1 << 20);
        long[] gdt = {0, CODE0, DATA0, CODE3, DATA3};
        for (int i = 0; i < gdt.length; i++) {
            ram.write64(GDT + 8L * i, gdt[i]);
        }
        cpu = new X86CpuState();
        cpu.cr0 = X86CpuState.CR0_PE;
        cpu.efer = X86CpuState.EFER_LMA | X86CpuState.EFER_LME;
        cpu.gdtBase = GDT;
        cpu.gdtLimit = gdt.length * 8 - 1;
        cpu.idtBase = IDT;
        cpu.idtLimit = 256 * 16 - 1;
        cpu.tr.set(0x28, TSS, 0x67, 0xb | Segment.P);
        ram.write64(TSS + 4, 0x80000);      // RSP0
        ram.write64(TSS + 0x24, 0x90000);   // IST1
        cpu.cs.set(0x1b, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G | (3 << 5));
        cpu.ss.set(0x23, 0, 0xffffffff, 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (3 << 5));
        cpu.gpr[X86CpuState.RSP] = 0x70008;
        cpu.rflags = 0x202;
        fault = new CpuFault();
        LinearMemory mem = new LinearMemory(cpu, ram, null, fault);
        idt = new InterruptDelivery(cpu, mem, new Descriptors(cpu, mem, fault), fault);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    private void gate(int vector, long handler, int ist, int dpl, int type) {
        long lo = (handler & 0xffff) | (0x08L << 16) | ((long) ist << 32) | ((long) type << 40) | ((long) dpl << 45)
                | (1L << 47) | ((handler & 0xffff0000L) << 32);
        ram.write64(IDT + vector * 16L, lo);
        ram.write64(IDT + vector * 16L + 8, handler >>> 32);
    }

    @Test
    void userPageFaultSwitchesToRsp0AndPushesTheFullFrame() {
        gate(14, 0xffffffff81000000L, 0, 0, 0xe);

        idt.deliver(14, true, 0x6, false, false, 0x401234);

        assertEquals(0xffffffff81000000L, cpu.rip);
        assertEquals(0x08, cpu.cs.selector);
        assertEquals(0x80000 - 48, cpu.gpr[X86CpuState.RSP]);
        assertEquals(0x6, ram.read64(0x80000 - 48));          // error code
        assertEquals(0x401234, ram.read64(0x80000 - 40));     // RIP
        assertEquals(0x1b, ram.read64(0x80000 - 32));         // CS
        assertEquals(0x202, ram.read64(0x80000 - 24));        // RFLAGS
        assertEquals(0x70008, ram.read64(0x80000 - 16));      // RSP
        assertEquals(0x23, ram.read64(0x80000 - 8));          // SS
        assertEquals(0, cpu.rflags & (1 << 9));               // interrupt gate clears IF
        assertEquals(0, cpu.ss.selector);
    }

    @Test
    void istStackIsUsedAndAlignedAndTrapGatesKeepIf() {
        gate(2, 0x5000, 1, 0, 0xf);

        idt.deliver(2, false, 0, true, false, 0x401000);

        assertEquals(0x90000 - 40, cpu.gpr[X86CpuState.RSP]);
        assertEquals(0x200, cpu.rflags & (1 << 9));
    }

    @Test
    void softwareInterruptThroughAKernelOnlyGateIsGp() {
        gate(0x80, 0x5000, 0, 0, 0xe);

        CpuFault f = assertThrows(CpuFault.class, () -> idt.deliver(0x80, false, 0, false, true, 0x401002));

        assertEquals(CpuFault.GP, f.vector());
        assertEquals(0x80 * 8 + 2, f.errorCode());
    }

    @Test
    void vectorBeyondTheIdtLimitIsGpWithTheIdtBit() {
        cpu.idtLimit = 16 * 16 - 1;

        CpuFault f = assertThrows(CpuFault.class, () -> idt.deliver(0x20, false, 0, true, false, 0));

        assertEquals(0x20 * 8 + 3, f.errorCode());
    }

    @Test
    void realModeUsesTheIvtAndPushesFlagsCsIp() {
        cpu.cr0 = 0;
        cpu.efer = 0;
        cpu.idtBase = 0;
        cpu.idtLimit = 0x3ff;
        cpu.cs.set(0x1000, 0x10000, 0xffff, 0x9b | Segment.S);
        cpu.ss.set(0, 0, 0xffff, 0x93 | Segment.S);
        cpu.gpr[X86CpuState.RSP] = 0x7c00;
        ram.write32(8 * 4, 0xf000_1234);   // vector 8 -> f000:1234

        idt.deliver(8, false, 0, true, false, 0x55);

        assertEquals(0x1234, cpu.rip);
        assertEquals(0xf0000, cpu.cs.base);
        assertEquals(0x7c00 - 6, cpu.gpr[X86CpuState.RSP]);
        assertEquals(0x55, ram.read16(0x7c00 - 6));
        assertEquals(0x1000, ram.read16(0x7c00 - 4));
    }
}
