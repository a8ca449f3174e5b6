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

/** Selector loading rules of SDM Vol 3A §5.7-5.8 against a GDT built by hand. */
class DescriptorsTest {

    static final long GDT = 0x1000;
    // Flat descriptors: 0x08 ring-0 code (64-bit), 0x10 ring-0 data, 0x18 ring-3 data, 0x20 not-present data,
    // 0x28 execute-only code, 0x30 ring-0 data with base 0x12345678 limit 0xfffff G=0.
    static final long CODE0 = 0x00af9a000000ffffL, DATA0 = 0x00cf92000000ffffL, DATA3 = 0x00cff2000000ffffL,
            ABSENT = 0x00cf12000000ffffL, EXEC_ONLY = 0x00cf98000000ffffL, BASED = 0x120f92345678ffffL;

    RamGuestMemory ram;
    X86CpuState cpu;
    CpuFault fault;
    Descriptors desc;

    @BeforeEach
    void setUp() {
        ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 1 << 20);
        long[] gdt = {0, CODE0, DATA0, DATA3, ABSENT, EXEC_ONLY, BASED};
        for (int i = 0; i < gdt.length; i++) {
            ram.write64(GDT + 8L * i, gdt[i]);
        }
        cpu = new X86CpuState();
        cpu.cr0 = X86CpuState.CR0_PE;
        cpu.gdtBase = GDT;
        cpu.gdtLimit = gdt.length * 8 - 1;
        cpu.cs.set(0x08, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
        fault = new CpuFault();
        desc = new Descriptors(cpu, new LinearMemory(cpu, ram, null, fault), fault);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    @Test
    void loadingADataSegmentUnpacksBaseLimitAndSetsAccessed() {
        desc.loadData(cpu.ds, 0x30);

        assertEquals(0x12345678L, cpu.ds.base);
        assertEquals(0xfffff, cpu.ds.limit);
        assertEquals(0x93, cpu.ds.attr & 0xff);
        assertEquals(0x93, (ram.read64(GDT + 0x30) >>> 40) & 0xff);
    }

    @Test
    void nullSelectorInADataRegisterIsUnusableNotAFault() {
        desc.loadData(cpu.es, 0);

        assertEquals(Segment.UNUSABLE, cpu.es.attr & Segment.UNUSABLE);
    }

    @Test
    void privilegeAndTypeViolationsAreGpWithTheSelector() {
        cpu.cs.set(0x0b, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G | (3 << 5));
        cpu.ss.set(0x23, 0, 0xffffffff, 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (3 << 5));

        CpuFault dpl = assertThrows(CpuFault.class, () -> desc.loadData(cpu.ds, 0x13));
        assertEquals(CpuFault.GP, dpl.vector());
        assertEquals(0x10, dpl.errorCode());
        CpuFault execOnly = assertThrows(CpuFault.class, () -> desc.loadData(cpu.ds, 0x2b));
        assertEquals(0x28, execOnly.errorCode());
    }

    @Test
    void notPresentIsNpAndBeyondTheLimitIsGp() {
        CpuFault np = assertThrows(CpuFault.class, () -> desc.loadData(cpu.ds, 0x20));
        assertEquals(CpuFault.NP, np.vector());
        CpuFault limit = assertThrows(CpuFault.class, () -> desc.loadData(cpu.ds, 0x38));
        assertEquals(CpuFault.GP, limit.vector());
        assertEquals(0x38, limit.errorCode());
    }

    @Test
    void stackSegmentMustMatchCplAndNullSsIsAllowedOnlyIn64BitKernelMode() {
        cpu.efer = X86CpuState.EFER_LMA | X86CpuState.EFER_LME;
        desc.loadStack(0);
        assertEquals(Segment.UNUSABLE, cpu.ss.attr & Segment.UNUSABLE);

        CpuFault wrongDpl = assertThrows(CpuFault.class, () -> desc.loadStack(0x18));
        assertEquals(0x18, wrongDpl.errorCode());
        desc.loadStack(0x10);
        assertEquals(0x10, cpu.ss.selector);
    }

    @Test
    void realModeLoadsBaseFromTheSelector() {
        cpu.cr0 = 0;

        desc.loadData(cpu.ds, 0x1234);

        assertEquals(0x12340, cpu.ds.base);
    }
}
