package org.hyperport.x86.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import org.hyperport.api.Access;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.Translation;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 4-level paging vectors built by hand from SDM Vol 3A §4.5 tables. */
class X86PageWalkerTest {

    static final long CR0 = X86CpuState.CR0_PE | X86CpuState.CR0_PG | X86CpuState.CR0_WP;
    static final long CR4 = X86CpuState.CR4_PAE;
    static final long EFER = X86CpuState.EFER_LME | X86CpuState.EFER_LMA | X86CpuState.EFER_NXE;
    static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT = 0x4000;
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, NX = 1L << 63;

    RamGuestMemory mem;

    @BeforeEach
    void tables() {
        mem = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 16 << 20);
        mem.write64(PML4, PDPT | P | RW | US);
        mem.write64(PDPT, PD | P | RW | US);
        mem.write64(PDPT + 8, 0x4000_0000L | P | RW | PS);                  // 1 GiB page at VA 1G, supervisor
        mem.write64(PD, PT | P | RW | US);
        mem.write64(PD + 8, 0x0060_0000L | P | US | PS | NX);               // 2 MiB page at VA 2M, read-only, NX
        mem.write64(PT + 5 * 8, 0x0050_0000L | P | RW | US);                // 4 KiB page at VA 0x5000
    }

    @AfterEach
    void close() {
        mem.close();
    }

    private Translation walk(long va, Access access, int cpl, boolean effects) {
        return X86PageWalker.walk(mem, CR0, PML4, CR4, EFER, va, access, cpl, effects);
    }

    @Test
    void fourKilobytePageTranslatesAndSetsAccessedAndDirty() {
        Translation t = walk(0x5123, Access.WRITE, 3, true);

        assertEquals(new Translation.Mapped(0x500123, 4096, Translation.R | Translation.W | Translation.X
                | Translation.USER), t);
        assertEquals(0x0050_0000L | P | RW | US | A | D, mem.read64(PT + 5 * 8));
        assertEquals(PT | P | RW | US | A, mem.read64(PD));
    }

    @Test
    void debugWalkHasNoSideEffects() {
        walk(0x5123, Access.WRITE, 3, false);

        assertEquals(0x0050_0000L | P | RW | US, mem.read64(PT + 5 * 8));
    }

    @Test
    void largePagesTranslateWithTheirOffset() {
        assertEquals(0x4012_3456L, ((Translation.Mapped) walk(0x4012_3456L, Access.READ, 0, false)).address());
        assertEquals(0x0070_0001L, ((Translation.Mapped) walk(0x0030_0001L, Access.READ, 3, false)).address());
    }

    @Test
    void notPresentGivesErrorCodeWithoutP() {
        Translation t = walk(0x6000, Access.READ, 3, false);

        assertEquals(new Translation.Fault(new X86PageFault(X86PageFault.U, 0x6000)), t);
    }

    @Test
    void userAccessToSupervisorPageIsAProtectionFault() {
        Translation t = walk(0x4000_0000L, Access.READ, 3, false);

        assertEquals(new Translation.Fault(new X86PageFault(X86PageFault.P | X86PageFault.U, 0x4000_0000L)), t);
    }

    @Test
    void supervisorWriteToReadOnlyPageFaultsWhenWpIsSet() {
        Translation t = walk(0x0020_0000L, Access.WRITE, 0, false);

        assertEquals(new Translation.Fault(new X86PageFault(X86PageFault.P | X86PageFault.W, 0x0020_0000L)), t);
    }

    @Test
    void fetchFromNxPageFaultsWithInstructionFetchBit() {
        Translation t = walk(0x0020_0000L, Access.EXECUTE, 0, false);

        assertEquals(new Translation.Fault(new X86PageFault(X86PageFault.P | X86PageFault.ID, 0x0020_0000L)), t);
    }

    @Test
    void pagingOffIsIdentity() {
        Translation t = X86PageWalker.walk(mem, X86CpuState.CR0_PE, 0, 0, 0, 0x12345, Access.WRITE, 0, true);

        assertEquals(0x12345, ((Translation.Mapped) t).address());
    }
}
