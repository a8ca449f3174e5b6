package org.hyperport.x86.kvm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.GuestMemory;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * The guest the lock-step tests run single instructions in: 64-bit mode at CPL0, identity-mapped first 16 MiB
 * (2 MiB pages), a GDT with 64-bit kernel and user code, data and TSS
 * descriptors, an IDT whose 256 gates each point at a handler of
 * NOPs, and fixed places for code, data and stack. Shared by every oracle so that they start from the same
 * bytes.
 */
final class LockstepRig {

    static final long GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, HANDLERS = 0x5000, PML4 = 0x10000, PDPT = 0x11000,
            PD = 0x12000, STACK = 0x7f000, CODE = 0x400000, DATA = 0x600000;
    /** The data region of the opcode-map lock-step: memory operands and the stack live here. */
    static final int DATA_SIZE = 0x2000;
    /** Where opcode-map cases are placed (room for near branches either side) and their stack pointer. */
    static final long IP = CODE + 0x800, RSP = DATA + 0x1800;

    private LockstepRig() {
    }

    /** Descriptor tables, IDT handlers, TSS and page tables, as one list of (gpa, 8-byte value) stores. */
    static List<long[]> tables() {
        List<long[]> w = new ArrayList<>();
        w.add(new long[] {GDT + 0x08, 0x00af9b000000ffffL});
        w.add(new long[] {GDT + 0x10, 0x00cf93000000ffffL});
        w.add(new long[] {GDT + 0x18, 0x00008b0000000067L | ((TSS & 0xffffff) << 16)});
        w.add(new long[] {GDT + 0x20, 0});
        w.add(new long[] {GDT + 0x28, 0x00affb000000ffffL}); // user code, selector 0x2b
        w.add(new long[] {GDT + 0x30, 0x00cff3000000ffffL}); // user data, selector 0x33
        for (int v = 0; v < 256; v++) {
            long h = HANDLERS + v * 16L;
            w.add(new long[] {IDT + v * 16L, (h & 0xffff) | (0x08L << 16) | (0x8eL << 40) | ((h & 0xffff0000L) << 32)});
            w.add(new long[] {IDT + v * 16L + 8, 0});
            w.add(new long[] {h, 0x9090909090909090L}); // NOPs, never HLT: an oracle must not block in a handler
            w.add(new long[] {h + 8, 0x80E6909090909090L}); // OUT 0x80: an I/O exit if a step ran on
        }
        w.add(new long[] {TSS, (DATA + DATA_SIZE) << 32}); // RSP0: frames from CPL3 land in the data region
        w.add(new long[] {TSS + 8, 0});
        w.add(new long[] {PML4, PDPT | 7});
        w.add(new long[] {PDPT, PD | 7});
        for (int i = 0; i < 9; i++) { // 16 MiB of RAM and the first MMIO page above it
            w.add(new long[] {PD + 8L * i, (i * 0x200000L) | 0x87});
        }
        return w;
    }

    static void writeTables(GuestMemory m) {
        for (long[] w : tables()) {
            m.write64(w[0], w[1]);
        }
    }

    /** The state every case starts from, at CPL0 or (for {@code user}) CPL3 with flat user segments. */
    static X86CpuState baseState(boolean user) {
        X86CpuState s = baseState();
        if (user) {
            s.cs.set(0x2b, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G | (3 << 5));
            for (Segment d : new Segment[] {s.ds, s.es, s.ss, s.fs, s.gs}) {
                d.set(0x33, 0, 0xffffffff, 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (3 << 5));
            }
        }
        return s;
    }

    static X86CpuState baseState() {
        X86CpuState s = new X86CpuState();
        s.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_ET | X86CpuState.CR0_NE | X86CpuState.CR0_WP
                | X86CpuState.CR0_PG | X86CpuState.CR0_MP;
        s.cr3 = PML4;
        s.cr4 = X86CpuState.CR4_PAE | X86CpuState.CR4_OSFXSR | X86CpuState.CR4_OSXMMEXCPT;
        s.efer = X86CpuState.EFER_LME | X86CpuState.EFER_LMA | X86CpuState.EFER_NXE;
        s.cs.set(0x08, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
        for (Segment d : new Segment[] {s.ds, s.es, s.ss, s.fs, s.gs}) {
            d.set(0x10, 0, 0xffffffff, 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G);
        }
        s.tr.set(0x18, TSS, 0x67, 0xb | Segment.P);
        s.ldt.set(0, 0, 0xffff, 0x2 | Segment.P | Segment.UNUSABLE);
        s.gdtBase = GDT;
        s.gdtLimit = 0x37;
        s.idtBase = IDT;
        s.idtLimit = 0xfff;
        return s;
    }

    /**
     * What follows each case's instruction: MOV [0x1000000], AL, a store to the unbacked page above RAM, so that
     * an oracle that loses the single-step trap still stops (an MMIO exit) before anything else has run.
     */
    static final byte[] TRAILER = {(byte) 0x88, 0x04, 0x25, 0x00, 0x00, 0x00, 0x01};
    static final long MMIO = 0x1000000;

    static boolean inHandlers(long rip) {
        return rip >= HANDLERS && rip < HANDLERS + 0x1000;
    }

    static String hex(BigInteger v) {
        return "0x" + v.toString(16);
    }

    /** The registers of a snapshot, a few to a line, for failure messages. */
    static String format(CpuSnapshot s, List<String> names) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (String r : names) {
            sb.append(n++ % 6 == 0 ? "\n    " : "  ").append(r).append('=').append(hex(s.get(r)));
        }
        return sb.toString();
    }
}
