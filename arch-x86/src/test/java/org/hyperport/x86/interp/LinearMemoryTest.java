package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.mmu.X86PageFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinearMemoryTest {

    static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT = 0x4000;
    static final long P = 1, RW = 2, US = 4;

    RamGuestMemory ram;
    X86CpuState cpu;
    CpuFault fault;
    final List<String> mmio = new ArrayList<>();
    LinearMemory mem;

    @BeforeEach
    void setUp() {
        ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 4 << 20);
        ram.write64(PML4, PDPT | P | RW | US);
        ram.write64(PDPT, PD | P | RW | US);
        ram.write64(PD, PT | P | RW | US);
        ram.write64(PT + 0x10 * 8, 0x10000 | P | RW | US);        // VA 0x10000 -> PA 0x10000
        ram.write64(PT + 0x11 * 8, 0x30000 | P | US);             // VA 0x11000 -> PA 0x30000, read-only
        ram.write64(PT + 0x12 * 8, 0xFEC00000L | P | RW);         // VA 0x12000 -> IOAPIC page (MMIO)
        cpu = new X86CpuState();
        cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_PG | X86CpuState.CR0_WP;
        cpu.cr3 = PML4;
        cpu.cr4 = X86CpuState.CR4_PAE;
        cpu.efer = X86CpuState.EFER_LME | X86CpuState.EFER_LMA;
        fault = new CpuFault();
        mem = new LinearMemory(cpu, ram, new X86Platform() {
            @Override
            public long ioIn(int port, int size) {
                return 0;
            }

            @Override
            public void ioOut(int port, int size, long value) {
            }

            @Override
            public long mmioRead(long gpa, int size) {
                mmio.add("r" + size + "@" + Long.toHexString(gpa));
                return 0x11;
            }

            @Override
            public void mmioWrite(long gpa, int size, long value) {
                mmio.add("w" + size + "@" + Long.toHexString(gpa) + "=" + Long.toHexString(value));
            }
        }, fault);
    }

    @AfterEach
    void tearDown() {
        ram.close();
    }

    @Test
    void pageCrossingReadJoinsBothPages() {
        ram.write8(0x10fff, 0x34);
        ram.write8(0x30000, 0x12);

        assertEquals(0x1234, mem.read(0x10fff, 2, false, 0));
    }

    @Test
    void aFaultingPageCrossingWriteWritesNothing() {
        ram.write8(0x10fff, 0x55);

        CpuFault f = assertThrows(CpuFault.class, () -> mem.write(0x10fff, 2, 0xaaaa, false));

        assertSame(fault, f);
        assertEquals(CpuFault.PF, f.vector());
        assertEquals(X86PageFault.P | X86PageFault.W, f.errorCode());
        assertEquals(0x11000, f.cr2());
        assertEquals(0x55, ram.read8(0x10fff));
    }

    @Test
    void userAccessToASupervisorPageFaultsWithTheUserBit() {
        CpuFault f = assertThrows(CpuFault.class, () -> mem.read(0x12000, 4, true, 0));

        assertEquals(X86PageFault.P | X86PageFault.U, f.errorCode());
    }

    @Test
    void nonRamPagesGoToTheMmioPlatform() {
        mem.write(0x12010, 4, 0xabcd, false);
        long v = mem.read(0x12020, 4, false, 0);

        assertEquals(0x11, v);
        assertEquals(List.of("w4@fec00010=abcd", "r4@fec00020"), mmio);
    }

    @Test
    void invlpgMakesANewMappingVisible() {
        ram.write32(0x10000, 1);
        ram.write32(0x20000, 2);
        long before = mem.read(0x10000, 4, false, 0);
        ram.write64(PT + 0x10 * 8, 0x20000 | P | RW | US);

        mem.flushPage(0x10000);

        assertEquals(1, before);
        assertEquals(2, mem.read(0x10000, 4, false, 0));
    }

    /**
     * INVLPG's invalidation: the 4 KiB page's own entries go, another page's stay (the TLB may keep them until
     * invalidated); every piece of a 2 MiB page goes when any address in it is invalidated.
     */
    @Test
    void flushPageDropsTheWholeMappingAndNothingElse() {
        ram.write64(0x10000, 0xaaaa);
        ram.write64(0x30000, 0xbbbb);
        ram.write64(0x50000, 0xcccc);
        assertEquals(0xaaaa, mem.read(0x10000, 8, false, 0));
        assertEquals(0xbbbb, mem.read(0x11000, 8, false, 0));
        ram.write64(PT + 0x10 * 8, 0x50000 | P | RW | US); // remap both without invalidating
        ram.write64(PT + 0x11 * 8, 0x50000 | P | RW | US);
        mem.flushPage(0x10abc);
        assertEquals(0xcccc, mem.read(0x10000, 8, false, 0), "the invalidated page is walked again");
        assertEquals(0xbbbb, mem.read(0x11000, 8, false, 0), "another page's entry is kept");

        ram.write64(PD + 8, 0x200000 | P | RW | US | 0x80); // VA 0x200000: one 2 MiB page at PA 0x200000
        ram.write64(0x200000, 0x1111);
        ram.write64(0x3ff000, 0x2222);
        ram.write64(0x10000, 0x3333);
        assertEquals(0x1111, mem.read(0x200000, 8, false, 0));
        assertEquals(0x2222, mem.read(0x3ff000, 8, false, 0));
        ram.write64(PD + 8, 0x000000 | P | RW | US | 0x80); // now PA 0
        mem.flushPage(0x3ff123);
        assertEquals(ram.read64(0x0), mem.read(0x200000, 8, false, 0), "both pieces of the large page are dropped");
        assertEquals(ram.read64(0x1ff000), mem.read(0x3ff000, 8, false, 0));
    }
}
