package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.isa.IntegerOps;

/**
 * A block of guest code translated to JVM bytecode by {@link BlockCompiler}: a hidden class extends this and
 * implements {@link #run}. The fields say which guest code the translation is valid for; {@link X86Interpreter}
 * checks them, and the bytes, every time it enters the block.
 *
 * <p>The static methods are the translated code's runtime: small, so that the JIT compiler inlines them.
 */
public abstract class CompiledBlock {

    /** Linear address and RIP of the first instruction (equal in 64-bit mode). */
    long la;
    /** The privilege the block was translated for: 1 supervisor, 2 user (64-bit mode only). */
    int key;
    /** The guest code bytes the block was translated from, little-endian, eight per word, zero-padded. */
    long[] code;
    /** Number of code bytes. */
    int length;
    /**
     * Where the block's code was in host memory when it was last entered, and the {@link LinearMemory#epoch()} of
     * that translation: while the epoch is unchanged, entering needs no TLB lookup, only the byte comparison.
     */
    java.lang.foreign.MemorySegment codeSegment;
    long codeOffset;
    long codeEpoch = -1;

    /**
     * Runs the block, following its branches to its own instructions, until it leaves or, when a branch goes
     * backwards, once at least {@code budget} instructions have retired. Returns the number of instructions retired. On return {@code cpu.rip} is where
     * execution continues, the registers are written back, and the status flags are in the interpreter's
     * {@link LazyFlags}. A fault or device exit leaves the same state at the instruction that raised it, with the
     * number of instructions retired before it in {@link X86Interpreter#jitRetired}, and is rethrown.
     */
    public abstract int run(X86Interpreter x, int budget);

    // ---- Runtime of the translated code ---------------------------------------------------------------------------

    /** A 64-bit linear address must be canonical: #SS(0) for stack references, #GP(0) otherwise. */
    public static long canonical(X86Interpreter x, long la, boolean stack) {
        if ((la << 16 >> 16) != la) {
            throw x.fault.raise(stack ? CpuFault.SS : CpuFault.GP, 0);
        }
        return la;
    }

    /**
     * SHL/SHR/SAR of {@code a} (already truncated to {@code size}) by {@code count}: a masked count of 0 changes no
     * flag. Records the flags in {@code lf}; returns the result. The fast path shares it.
     */
    public static long shiftByCl(LazyFlags lf, int op, long a, long count, int size) {
        int c = (int) (count & (size == 8 ? 0x3f : 0x1f));
        if (c == 0) {
            return a;
        }
        long m = size == 8 ? -1L : (1L << (size * 8)) - 1;
        long r;
        if (op == LazyFlags.SHL) {
            r = (a << c) & m;
        } else if (op == LazyFlags.SHR) {
            r = a >>> c;
        } else {
            int sh = 64 - size * 8;
            r = (((a << sh) >> sh) >> c) & m;
        }
        lf.record(op, a, c, r, size);
        return r;
    }

    /**
     * ROL ({@code op} 0) or ROR (1) of {@code a} (truncated to {@code size}) by {@code count}: they change only CF
     * and OF, so the lazy flags are materialised first and the rotation updates {@code cpu.rflags} as the
     * semantic groups do. Returns the result. The fast path shares it.
     */
    public static long rotate(LazyFlags lf, X86CpuState cpu, int op, long a, long count, int size) {
        lf.materialise(cpu);
        return op == 0 ? IntegerOps.rol(cpu, a, count, size) : IntegerOps.ror(cpu, a, count, size);
    }

    /** Records where a fault stopped the block: the instruction's RIP, and how many instructions retired. */
    public static void stopped(X86Interpreter x, long rip, int retired) {
        x.cpu.rip = rip;
        x.jitRetired = retired;
    }
}
