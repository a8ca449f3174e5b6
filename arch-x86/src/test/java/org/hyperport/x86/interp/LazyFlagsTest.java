package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.isa.Conditions;
import org.junit.jupiter.api.Test;

/**
 * Lazy status flags ({@link LazyFlags}): conditions evaluated from a record agree with the materialised flags, and
 * whatever observes RFLAGS after fast-path instructions run in a block (PUSHF, an interrupt frame, a #PF frame)
 * sees the exact flags.
 */
class LazyFlagsTest {

    static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, RF = 1 << 16;
    static final long STALE = 2 | ZF | OF;

    private static SystemTestMachine machine() {
        SystemTestMachine m = new SystemTestMachine().long64(0);
        return m;
    }

    private static X86Interpreter interpreter(SystemTestMachine m) {
        return new X86Interpreter(m.cpu, m.ram, m.io, m.hooks,
                X86Semantics.groups().toArray(X86Interpreter.Semantics[]::new));
    }

    @Test
    void pushfAfterFastCmpInOneBlockPushesTheCmpFlags() {
        try (SystemTestMachine m = machine()) {
            X86Interpreter x = interpreter(m);
            m.code(0x5000, "48 39 d8 9c"); // cmp rax, rbx; pushfq
            m.cpu.rip = 0x5000;
            m.cpu.gpr[X86CpuState.RAX] = 1;
            m.cpu.gpr[X86CpuState.RBX] = 2;
            m.cpu.rflags = STALE;

            x.beginBlock();
            x.stepLazy();
            x.stepLazy();
            x.syncFlags();

            assertEquals(2 | CF | PF | AF | SF, m.ram.read64(m.rsp()));
        }
    }

    @Test
    void interruptAfterFastAddPushesTheAddFlags() {
        try (SystemTestMachine m = machine()) {
            X86Interpreter x = interpreter(m);
            m.code(0x5000, "48 01 d8"); // add rax, rbx
            m.cpu.rip = 0x5000;
            m.cpu.gpr[X86CpuState.RAX] = 0x8000000000000000L;
            m.cpu.gpr[X86CpuState.RBX] = 0x8000000000000000L;
            m.cpu.rflags = STALE | SF;

            x.beginBlock();
            x.stepLazy();
            x.deliverExternal(0x20);

            assertEquals(0x20, m.vectorTaken());
            assertEquals(2 | CF | PF | ZF | OF, m.ram.read64(m.rsp() + 16)); // RIP, CS, RFLAGS
        }
    }

    @Test
    void pageFaultAfterFastSubPushesTheSubFlagsAndChangesNothing() {
        try (SystemTestMachine m = machine()) {
            X86Interpreter x = interpreter(m);
            m.code(0x5000, "48 29 d8 48 03 0c 25 00 00 40 00"); // sub rax, rbx; add rcx, [0x400000] (unmapped)
            m.cpu.rip = 0x5000;
            m.cpu.gpr[X86CpuState.RAX] = 5;
            m.cpu.gpr[X86CpuState.RBX] = 5;
            m.cpu.gpr[X86CpuState.RCX] = 0x1234;
            m.cpu.rflags = STALE | CF | SF;

            x.beginBlock();
            x.stepLazy();
            x.stepLazy();
            x.syncFlags();

            assertEquals(CpuFault.PF, m.vectorTaken());
            assertEquals(0x400000, m.cpu.cr2);
            assertEquals(0x1234, m.cpu.gpr[X86CpuState.RCX]);
            assertEquals(0x5003, m.ram.read64(m.rsp() + 8));                  // error code, RIP, CS, RFLAGS
            assertEquals(2 | PF | ZF | RF, m.ram.read64(m.rsp() + 24));
        }
    }

    @Test
    void singleStepsAlwaysLeaveExactFlags() {
        try (SystemTestMachine m = machine()) {
            X86Interpreter x = interpreter(m);
            m.code(0x5000, "48 ff c0"); // inc rax
            m.cpu.rip = 0x5000;
            m.cpu.gpr[X86CpuState.RAX] = 0x7fffffffffffffffL;
            m.cpu.rflags = 2 | CF;

            assertTrue(x.step());

            assertEquals(2 | CF | PF | AF | SF | OF, m.cpu.rflags);
            assertFalse(x.lazy.pending());
        }
    }

    @Test
    void conditionsFromTheRecordMatchTheMaterialisedFlags() {
        SplittableRandom r = new SplittableRandom(0x1a2f);
        long[] edges = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL,
            Long.MAX_VALUE, Long.MIN_VALUE, -1, -2};
        int[] ops = {LazyFlags.ADD, LazyFlags.SUB, LazyFlags.LOGIC, LazyFlags.INC, LazyFlags.DEC, LazyFlags.SHL,
            LazyFlags.SHR, LazyFlags.SAR, LazyFlags.IMUL};
        int[] sizes = {1, 2, 4, 8};
        int checked = 0;
        for (int n = 0; n < 20_000; n++) {
            int op = ops[r.nextInt(ops.length)];
            int size = sizes[r.nextInt(sizes.length)];
            long m = size == 8 ? -1L : (1L << (size * 8)) - 1;
            long a = (r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong()) & m;
            long b = (r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong()) & m;
            long result = switch (op) {
                case LazyFlags.ADD -> (a + b) & m;
                case LazyFlags.SUB -> (a - b) & m;
                case LazyFlags.LOGIC -> a & b;
                case LazyFlags.INC -> (a + 1) & m;
                case LazyFlags.DEC -> (a - 1) & m;
                case LazyFlags.SHL -> (a << (b = 1 + r.nextInt(size == 8 ? 63 : 31))) & m;
                case LazyFlags.SHR -> a >>> (b = 1 + r.nextInt(size == 8 ? 63 : 31));
                case LazyFlags.SAR -> ((a << (64 - size * 8) >> (64 - size * 8)) >> (b = 1 + r.nextInt(size == 8
                        ? 63 : 31))) & m;
                default -> size == 8 ? a * b
                        : ((a << (64 - size * 8) >> (64 - size * 8)) * (b << (64 - size * 8) >> (64 - size * 8)))
                        & m;
            };
            long before = 2 | (r.nextLong() & 0x8d5);
            for (int cc = 0; cc < 16; cc++) {
                LazyFlags lazy = new LazyFlags();
                record(lazy, op, a, b, result, size, before & CF);
                X86CpuState fromRecord = new X86CpuState();
                fromRecord.rflags = before;
                boolean lazyValue = lazy.test(cc, fromRecord);

                LazyFlags again = new LazyFlags();
                record(again, op, a, b, result, size, before & CF);
                X86CpuState materialised = new X86CpuState();
                materialised.rflags = before;
                again.materialise(materialised);

                assertEquals(Conditions.test(cc, materialised.rflags), lazyValue,
                        "op " + op + " size " + size + " a " + Long.toHexString(a) + " b " + Long.toHexString(b)
                                + " cc " + cc);
                checked++;
            }
        }
        assertEquals(20_000 * 16, checked);
    }

    private static void record(LazyFlags lazy, int op, long a, long b, long r, int size, long carry) {
        if (op == LazyFlags.INC || op == LazyFlags.DEC) {
            lazy.recordIncDec(op, a, r, size, carry);
        } else {
            lazy.record(op, a, b, r, size);
        }
    }
}
