package org.hyperport.x86.interp;

import java.nio.ByteOrder;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * A 64-bit CPL-0 machine for the x87/SSE tests: 1 MiB of RAM, long mode with paging off, CR4.OSFXSR and
 * CR4.OSXMMEXCPT set, CR0.NE set, and an IDT whose gate for vector v jumps to {@code HANDLERS + 16 v}, so that
 * {@link #run} can tell which exception an instruction raised. Only the {@link SseInstructions} and
 * {@link FpuInstructions} groups are installed.
 */
final class FpTestMachine implements AutoCloseable {

    static final long GDT = 0x1000, IDT = 0x2000, HANDLERS = 0x4000, CODE = 0x10000, DATA = 0x20000,
            STACK = 0x70000;
    static final long CODE0 = 0x00af9a000000ffffL, DATA0 = 0x00cf92000000ffffL;

    final RamGuestMemory ram;
    final X86CpuState cpu = new X86CpuState();
    final X86Interpreter x;

    FpTestMachine() {
        ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 1 << 20);
        ram.write64(GDT + 8, CODE0);
        ram.write64(GDT + 16, DATA0);
        for (int v = 0; v < 32; v++) {
            long handler = HANDLERS + 16L * v;
            long lo = (handler & 0xffff) | (0x08L << 16) | (0xeL << 40) | (1L << 47) | ((handler & 0xffff0000L) << 32);
            ram.write64(IDT + 16L * v, lo);
            ram.write64(IDT + 16L * v + 8, 0);
        }
        cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_ET | X86CpuState.CR0_NE | X86CpuState.CR0_MP;
        cpu.cr4 = X86CpuState.CR4_PAE | X86CpuState.CR4_OSFXSR | X86CpuState.CR4_OSXMMEXCPT;
        cpu.efer = X86CpuState.EFER_LME | X86CpuState.EFER_LMA;
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 23;
        cpu.idtBase = IDT;
        cpu.idtLimit = 32 * 16 - 1;
        cpu.cs.set(0x08, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
        for (Segment s : new Segment[] {cpu.ds, cpu.es, cpu.ss, cpu.fs, cpu.gs}) {
            s.set(0x10, 0, 0xffffffff, 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G);
        }
        cpu.gpr[X86CpuState.RSP] = STACK;
        CpuHooks hooks = new CpuHooks() {
            @Override
            public long tsc() {
                return 0;
            }

            @Override
            public void setTsc(long value) {
            }

            @Override
            public void cpuid(int eax, int ecx, int[] out) {
            }

            @Override
            public boolean readMsr(int index, long[] out) {
                return false;
            }

            @Override
            public boolean writeMsr(int index, long value) {
                return false;
            }
        };
        X86Platform platform = new X86Platform() {
            @Override
            public long ioIn(int port, int size) {
                return 0;
            }

            @Override
            public void ioOut(int port, int size, long value) {
            }

            @Override
            public long mmioRead(long gpa, int size) {
                return 0;
            }

            @Override
            public void mmioWrite(long gpa, int size, long value) {
            }
        };
        x = new X86Interpreter(cpu, ram, platform, hooks, new SseInstructions(), new FpuInstructions());
    }

    /**
     * Executes the instruction {@code bytes} at {@link #CODE}. Returns -1 if it completed, or the vector of the
     * exception it raised (delivered through the IDT; RIP and RSP are then reset for the next instruction).
     */
    int run(int... bytes) {
        for (int k = 0; k < bytes.length; k++) {
            ram.write8(CODE + k, bytes[k]);
        }
        cpu.rip = CODE;
        cpu.gpr[X86CpuState.RSP] = STACK;
        if (!x.step()) {
            return 256;
        }
        long off = cpu.rip - HANDLERS;
        int vector = off >= 0 && off < 32 * 16 ? (int) (off / 16) : -1;
        cpu.gpr[X86CpuState.RSP] = STACK;
        return vector;
    }

    /** The instruction {@code hex} (bytes as hex pairs, spaces allowed). */
    int run(String hex) {
        String h = hex.replace(" ", "");
        int[] b = new int[h.length() / 2];
        for (int k = 0; k < b.length; k++) {
            b[k] = Integer.parseInt(h.substring(2 * k, 2 * k + 2), 16);
        }
        return run(b);
    }

    void setXmm(int r, long lo, long hi) {
        cpu.xmm[2 * r] = lo;
        cpu.xmm[2 * r + 1] = hi;
    }

    long lo(int r) {
        return cpu.xmm[2 * r];
    }

    long hi(int r) {
        return cpu.xmm[2 * r + 1];
    }

    /** ST(i) as "se:sig" hex, e.g. "3fff:8000000000000000" for 1.0. */
    String st(int i) {
        return String.format("%04x:%016x", cpu.st[2 * i + 1] & 0xffff, cpu.st[2 * i]);
    }

    int top() {
        return (cpu.fsw >>> 11) & 7;
    }

    @Override
    public void close() {
        ram.close();
    }
}
