package org.hyperport.x86.interp;

import java.nio.ByteOrder;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * A small machine for the {@link GeneralInstructions} tests: 2 MiB of RAM, an interpreter whose only group is
 * {@link GeneralInstructions}, and one of three set-ups: 64-bit long mode with 4 KiB identity page tables (so single
 * pages can be unmapped or made read-only), flat 32-bit protected mode, or real mode. The IDT limit is 0, so a fault
 * cannot be delivered and ends in a triple fault ({@link #step()} returns false) with the state as the faulting
 * instruction left it; the fault itself is recorded in {@link #faultVector}.
 */
final class GeneralMachine implements AutoCloseable {

    static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, PT = 0x4000;
    static final long P = 1, RW = 2, US = 4;
    static final long CODE = 0x10000, DATA = 0x20000, STACK = 0x80000;
    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400,
            OF = 0x800;

    final RamGuestMemory ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 2 << 20);
    final X86CpuState cpu = new X86CpuState();
    final X86Interpreter x;
    int faultVector = -1;
    int faultError;
    /** Whether {@link GeneralInstructions} claimed the last instruction (false: left to another group). */
    boolean handled;

    private GeneralMachine() {
        GeneralInstructions general = new GeneralInstructions();
        x = new X86Interpreter(cpu, ram, null, null, (interp, insn) -> {
            try {
                handled = general.execute(interp, insn);
                return handled;
            } catch (CpuFault f) {
                faultVector = f.vector();
                faultError = f.errorCode();
                throw f;
            }
        });
        cpu.idtLimit = 0;
        cpu.rflags = 2;
        cpu.gpr[RSP] = STACK;
        cpu.rip = CODE;
    }

    /** 64-bit mode at CPL 0, paging identity-maps the 2 MiB of RAM with user-accessible writable 4 KiB pages. */
    static GeneralMachine long64() {
        GeneralMachine m = new GeneralMachine();
        m.ram.write64(PML4, PDPT | P | RW | US);
        m.ram.write64(PDPT, PD | P | RW | US);
        m.ram.write64(PD, PT | P | RW | US);
        for (int i = 0; i < 512; i++) {
            m.ram.write64(PT + 8L * i, ((long) i << 12) | P | RW | US);
        }
        m.cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_PG | X86CpuState.CR0_WP | X86CpuState.CR0_ET;
        m.cpu.cr3 = PML4;
        m.cpu.cr4 = X86CpuState.CR4_PAE;
        m.cpu.efer = X86CpuState.EFER_LME | X86CpuState.EFER_LMA;
        m.cpu.cs.set(0x08, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G);
        data(m, 0x10, 0);
        return m;
    }

    /**
     * 64-bit mode at CPL 3 with the oracle's layout ({@code general_oracle.c}): linear 0x40000000 (data) and
     * 0x40001000 (code) mapped to physical {@code dataPa} and {@code dataPa + 0x1000}; nothing else is mapped.
     */
    static GeneralMachine hostMirror(long dataPa) {
        GeneralMachine m = long64();
        m.ram.write64(PDPT, 0);
        m.ram.write64(PDPT + 8, PD | P | RW | US);
        for (int i = 0; i < 512; i++) {
            m.ram.write64(PT + 8L * i, 0);
        }
        m.ram.write64(PT, dataPa | P | RW | US);
        m.ram.write64(PT + 8, (dataPa + 0x1000) | P | RW | US);
        m.user(0);
        return m;
    }

    /** Flat 32-bit protected mode at CPL 0 without paging. */
    static GeneralMachine protected32() {
        GeneralMachine m = new GeneralMachine();
        m.cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_ET;
        m.cpu.cs.set(0x08, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.DB | Segment.G);
        data(m, 0x10, 0);
        return m;
    }

    /** Real-address mode: CS = 0x1000 (base 0x10000), IP = 0, data segments and SS at 0x2000 (base 0x20000). */
    static GeneralMachine real16() {
        GeneralMachine m = new GeneralMachine();
        m.cpu.cr0 = X86CpuState.CR0_ET;
        m.cpu.cs.set(0x1000, 0x10000, 0xffff, 0x9b | Segment.S);
        for (Segment s : new Segment[] {m.cpu.ds, m.cpu.es, m.cpu.ss, m.cpu.fs, m.cpu.gs}) {
            s.set(0x2000, 0x20000, 0xffff, 0x93 | Segment.S);
        }
        m.cpu.rip = 0;
        m.cpu.gpr[RSP] = 0x8000;
        return m;
    }

    private static void data(GeneralMachine m, int selector, int dpl) {
        int attr = 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (dpl << 5);
        for (Segment s : new Segment[] {m.cpu.ds, m.cpu.es, m.cpu.ss, m.cpu.fs, m.cpu.gs}) {
            s.set(selector | dpl, 0, 0xffffffff, attr);
        }
    }

    /** Moves this 64-bit machine to CPL 3 with the given IOPL. */
    GeneralMachine user(int iopl) {
        cpu.cs.set(0x1b, 0, 0xffffffff, 0xb | Segment.S | Segment.P | Segment.L | Segment.G | (3 << 5));
        data(this, 0x20, 3);
        cpu.rflags = (cpu.rflags & ~0x3000L) | ((long) iopl << 12);
        return this;
    }

    /** Writes instruction bytes at CS:RIP. */
    GeneralMachine code(int... bytes) {
        long la = cpu.cs.base + cpu.rip;
        for (int b = 0; b < bytes.length; b++) {
            ram.write8(la + b, bytes[b]);
        }
        return this;
    }

    GeneralMachine set(int r, long v) {
        cpu.gpr[r] = v;
        return this;
    }

    long reg(int r) {
        return cpu.gpr[r];
    }

    GeneralMachine flags(long f) {
        cpu.rflags = f | 2;
        return this;
    }

    /** Clears the present bit of the page holding {@code la} (identity-mapped machines). */
    GeneralMachine unmap(long la) {
        ram.write64(PT + 8 * (la >>> 12), ram.read64(PT + 8 * (la >>> 12)) & ~P);
        x.mem.flush();
        return this;
    }

    /** Sets the present bit of the page holding {@code la} again. */
    GeneralMachine map(long la) {
        ram.write64(PT + 8 * (la >>> 12), ram.read64(PT + 8 * (la >>> 12)) | P);
        x.mem.flush();
        return this;
    }

    /** Makes the page holding {@code la} read-only (identity-mapped machines). */
    GeneralMachine readOnly(long la) {
        ram.write64(PT + 8 * (la >>> 12), ram.read64(PT + 8 * (la >>> 12)) & ~RW);
        x.mem.flush();
        return this;
    }

    boolean step() {
        faultVector = -1;
        handled = false;
        return x.step();
    }

    /** Steps until RIP leaves the current instruction (for repeated string instructions split into chunks). */
    int stepUntilPast() {
        long start = cpu.rip;
        int steps = 0;
        while (cpu.rip == start && x.step()) {
            steps++;
        }
        return steps;
    }

    @Override
    public void close() {
        ram.close();
    }
}
