package org.hyperport.x86.interp;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hyperport.api.AddressSpace;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.CpuidModel;
import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;

/**
 * A 2 MiB machine for the {@link SystemInstructions} tests: a Linux-shaped GDT, a long-mode IDT whose vector v
 * enters ring 0 at {@link #HANDLERS} + 16·v, a 64-bit TSS with RSP0 and a small I/O permission bitmap, and an
 * identity map of the first 2 MiB (one user-accessible large page). A fake platform records port I/O and fake hooks
 * provide the TSC, the CPUID model and one machine-owned MSR (TSC_DEADLINE).
 *
 * <p>Besides {@link SystemInstructions} the interpreter gets a minimal MOV/OR/NOP group so that instruction
 * sequences such as a boot loader's can run without the general-purpose group.
 */
final class SystemTestMachine implements AutoCloseable {

    static final long GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, PML4 = 0x10000, PDPT = 0x11000, PD = 0x12000,
            HANDLERS = 0x20000, KERNEL_STACK = 0x9000, USER_STACK = 0x7000;
    /** Selectors as Linux lays out its GDT (arch/x86/include/asm/segment.h). */
    static final int KERNEL32_CS = 0x08, KERNEL_CS = 0x10, KERNEL_DS = 0x18, USER32_CS = 0x23, USER_DS = 0x2b,
            USER_CS = 0x33, TSS_SEL = 0x40, LDT_SEL = 0x50;
    static final long CODE32_0 = 0x00cf9a000000ffffL, CODE64_0 = 0x00af9a000000ffffL, DATA0 = 0x00cf92000000ffffL,
            CODE32_3 = 0x00cffa000000ffffL, DATA3 = 0x00cff2000000ffffL, CODE64_3 = 0x00affa000000ffffL;
    /** The I/O bitmap starts at TSS+0x68 and covers ports 0-0x3FF; the TSS limit ends with its terminator byte. */
    static final int IO_BITMAP = 0x68, TSS_LIMIT = IO_BITMAP + 0x80;

    final RamGuestMemory ram = RamGuestMemory.allocate(AddressSpace.PHYSICAL, ByteOrder.LITTLE_ENDIAN, 0, 2 << 20);
    final X86CpuState cpu = new X86CpuState();
    final FakePlatform io = new FakePlatform();
    final FakeHooks hooks = new FakeHooks();
    final X86Interpreter x = new X86Interpreter(cpu, ram, io, hooks, new SystemInstructions(), new MiniGeneral());

    SystemTestMachine() {
        long[] gdt = {0, CODE32_0, CODE64_0, DATA0, CODE32_3, DATA3, CODE64_3, 0};
        for (int i = 0; i < gdt.length; i++) {
            ram.write64(GDT + 8L * i, gdt[i]);
        }
        ram.write64(GDT + TSS_SEL, systemDescriptor(TSS, TSS_LIMIT, 0x9));
        ram.write64(GDT + TSS_SEL + 8, 0);
        ram.write64(GDT + LDT_SEL, systemDescriptor(0x4000, 0xf, 0x2));
        ram.write64(GDT + LDT_SEL + 8, 0);
        ram.write64(TSS + 4, KERNEL_STACK);
        ram.write16(TSS + 0x66, IO_BITMAP);
        ram.fill(TSS + IO_BITMAP, 0x81, (byte) 0xff);
        for (int v = 0; v < 256; v++) {
            gate(v, v == 3 || v == 0x80 ? 3 : 0);
        }
        ram.write64(PML4, PDPT | 0x7);
        ram.write64(PDPT, PD | 0x7);
        ram.write64(PD, 0x87);
    }

    /** A 16-byte-format LDT/TSS descriptor (low half) with a base below 16 MiB, present, DPL 0. */
    static long systemDescriptor(long base, int limit, int type) {
        return (limit & 0xffffL) | ((base & 0xffffffL) << 16) | ((long) type << 40) | (1L << 47);
    }

    /** An interrupt gate (type 0xE) for {@code vector} to {@link #HANDLERS} + 16·vector in ring 0. */
    void gate(int vector, int dpl) {
        long handler = HANDLERS + 16L * vector;
        long lo = (handler & 0xffff) | ((long) KERNEL_CS << 16) | (0xeL << 40) | ((long) dpl << 45) | (1L << 47)
                | ((handler & 0xffff0000L) << 32);
        ram.write64(IDT + 16L * vector, lo);
        ram.write64(IDT + 16L * vector + 8, handler >>> 32);
    }

    /** Puts the CPU in 64-bit mode with paging at privilege {@code cpl}, flat Linux segments, IF clear, IOPL 0. */
    SystemTestMachine long64(int cpl) {
        cpu.cr0 = X86CpuState.CR0_PE | X86CpuState.CR0_ET | X86CpuState.CR0_NE | X86CpuState.CR0_WP
                | X86CpuState.CR0_PG;
        cpu.cr4 = X86CpuState.CR4_PAE;
        cpu.cr3 = PML4;
        cpu.efer = X86CpuState.EFER_LME | X86CpuState.EFER_LMA | X86CpuState.EFER_NXE;
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 0x5f;
        cpu.idtBase = IDT;
        cpu.idtLimit = 256 * 16 - 1;
        cpu.tr.set(TSS_SEL, TSS, TSS_LIMIT, 0xb | Segment.P);
        cpu.ldt.set(0, 0, 0, Segment.UNUSABLE);
        int code = 0xb | Segment.S | Segment.P | Segment.L | Segment.G | (cpl << 5);
        int data = 0x3 | Segment.S | Segment.P | Segment.DB | Segment.G | (cpl << 5);
        cpu.cs.set(cpl == 0 ? KERNEL_CS : USER_CS, 0, 0xffffffff, code);
        cpu.ss.set(cpl == 0 ? KERNEL_DS : USER_DS, 0, 0xffffffff, data);
        for (Segment s : new Segment[] {cpu.ds, cpu.es, cpu.fs, cpu.gs}) {
            s.set(0, 0, 0, Segment.UNUSABLE);
        }
        cpu.gpr[X86CpuState.RSP] = cpl == 0 ? KERNEL_STACK : USER_STACK;
        cpu.rflags = X86CpuState.RFLAGS_FIXED;
        return this;
    }

    /** Real-address mode at CS:IP = 0:{@code ip}, stack at 0:7000, IVT at 0. */
    SystemTestMachine real(long ip) {
        cpu.cr0 = X86CpuState.CR0_ET;
        cpu.idtBase = 0;
        cpu.idtLimit = 0x3ff;
        int code = 0xb | Segment.S | Segment.P;
        int data = 0x3 | Segment.S | Segment.P;
        cpu.cs.set(0, 0, 0xffff, code);
        for (Segment s : new Segment[] {cpu.ss, cpu.ds, cpu.es, cpu.fs, cpu.gs}) {
            s.set(0, 0, 0xffff, data);
        }
        cpu.gpr[X86CpuState.RSP] = USER_STACK;
        cpu.rip = ip;
        return this;
    }

    /** Writes instruction bytes given as hex ("0f 01 16 00 7e") at physical {@code address}. */
    SystemTestMachine code(long address, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        ram.writeBytes(address, b, 0, b.length);
        return this;
    }

    /** Places {@code hex} at {@code address}, points RIP there and executes one instruction. */
    boolean run(long address, String hex) {
        code(address, hex);
        cpu.rip = address;
        return x.step();
    }

    void steps(int n) {
        for (int k = 0; k < n; k++) {
            x.step();
        }
    }

    long rsp() {
        return cpu.gpr[X86CpuState.RSP];
    }

    /** The vector whose handler RIP now points at (after a long-mode delivery). */
    long vectorTaken() {
        return (cpu.rip - HANDLERS) / 16;
    }

    /** The error code on top of the handler's stack. */
    long errorCode() {
        return ram.read64(rsp());
    }

    @Override
    public void close() {
        ram.close();
    }

    /** Port I/O recorder: outputs as "port/size=value" strings, inputs from a queue (0xFF… when empty). */
    static final class FakePlatform implements X86Platform {
        final List<String> out = new ArrayList<>();
        final Deque<Long> in = new ArrayDeque<>();
        final List<Integer> inPorts = new ArrayList<>();

        @Override
        public long ioIn(int port, int size) {
            inPorts.add(port);
            Long v = in.poll();
            return v == null ? -1L >>> (64 - 8 * size) : v;
        }

        @Override
        public void ioOut(int port, int size, long value) {
            out.add(Integer.toHexString(port) + "/" + size + "=" + Long.toHexString(value));
        }

        @Override
        public long mmioRead(long gpa, int size) {
            return 0;
        }

        @Override
        public void mmioWrite(long gpa, int size, long value) {
        }
    }

    /** TSC as a plain field, the real CPUID model, and IA32_TSC_DEADLINE (0x6E0) as the only machine MSR. */
    static final class FakeHooks implements CpuHooks {
        long tsc = 0x1_2345_6789L;
        final Map<Integer, Long> msrs = new HashMap<>(Map.of(0x6e0, 0L));
        private final CpuidModel model = new CpuidModel(0);

        @Override
        public long tsc() {
            return tsc;
        }

        @Override
        public void setTsc(long value) {
            tsc = value;
        }

        @Override
        public void cpuid(int eax, int ecx, int[] out) {
            model.query(eax, ecx, out);
        }

        @Override
        public boolean readMsr(int index, long[] out) {
            Long v = msrs.get(index);
            out[0] = v == null ? 0 : v;
            return v != null;
        }

        @Override
        public boolean writeMsr(int index, long value) {
            return msrs.replace(index, value) != null;
        }
    }

    /** Just enough of the general-purpose group for test programs: MOV between GPRs/memory/immediates, OR, NOP. */
    static final class MiniGeneral implements X86Interpreter.Semantics {
        @Override
        public boolean execute(X86Interpreter x, Instruction i) {
            return switch (i.op()) {
                case MOV -> general(i.operand(0)) && general(i.operand(1))
                        && write(x, i.operand(0), x.read(i.operand(1)));
                case OR -> write(x, i.operand(0), x.read(i.operand(0)) | x.read(i.operand(1)));
                case NOP -> true;
                default -> false;
            };
        }

        private static boolean general(Operand o) {
            return !o.isReg() || o.regClass() == Operand.RegClass.GPR;
        }

        private static boolean write(X86Interpreter x, Operand o, long v) {
            x.write(o, v);
            return true;
        }
    }
}
