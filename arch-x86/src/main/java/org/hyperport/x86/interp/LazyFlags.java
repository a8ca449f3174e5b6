package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.isa.Conditions;
import org.hyperport.x86.isa.IntegerOps;

/**
 * Lazily computed status flags (CF PF AF ZF SF OF) for the interpreter's fast path ({@link FastPath}). An ALU
 * instruction there records its operation, operands, result and size instead of computing RFLAGS; a following
 * Jcc, SETcc or CMOVcc evaluates its condition from that record, and the flags are only computed when something
 * else needs them ({@link #materialise}).
 *
 * <p>The rule that keeps this exact: while {@link #pending()} is true the status bits of {@code cpu.rflags} are
 * stale, and only the interpreter core may run. {@link X86Interpreter} materialises before any instruction of the
 * semantic groups, before delivering an exception or interrupt, and when a step or a block of steps returns, so
 * every other reader of {@code cpu.rflags} sees the architectural value. Materialising calls the same
 * {@link IntegerOps} functions the groups use, on the recorded operands, so the flags are those of the reference
 * semantics bit for bit, including the values chosen for the SDM's undefined flags.
 */
final class LazyFlags {

    /** Recorded operations. {@link #NONE}: {@code cpu.rflags} holds the flags. */
    static final int NONE = 0, ADD = 1, SUB = 2, LOGIC = 3, INC = 4, DEC = 5, SHL = 6, SHR = 7, SAR = 8, IMUL = 9,
            ADC = 10, SBB = 11;

    private int op = NONE;
    private long a;
    private long b;
    /** The result, truncated to {@link #size}. */
    private long r;
    private int size;
    /** INC/DEC: the CF they preserve; ADC/SBB: the carry (borrow) they added in. */
    private long carry;
    private final long[] pair = new long[2];

    /** Whether a recorded operation's flags have not been written to {@code cpu.rflags} yet. */
    boolean pending() {
        return op != NONE;
    }

    /** Records operation {@code op} on {@code a} and {@code b} giving {@code r} (all truncated to {@code size}). */
    void record(int op, long a, long b, long r, int size) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.r = r;
        this.size = size;
    }

    /** Records INC or DEC of {@code a} giving {@code r}; {@code carry} is the CF before it (0 or 1). */
    void recordIncDec(int op, long a, long r, int size, long carry) {
        record(op, a, 1, r, size);
        this.carry = carry;
    }

    /** Records ADC or SBB of {@code a} and {@code b} with carry (borrow) {@code carry} (0 or 1) giving {@code r}. */
    void recordCarry(int op, long a, long b, long r, int size, long carry) {
        record(op, a, b, r, size);
        this.carry = carry;
    }

    /** Writes the recorded operation's status flags into {@code cpu.rflags}, with the groups' own functions. */
    void materialise(X86CpuState cpu) {
        switch (op) {
            case NONE -> {
                return;
            }
            case ADD -> IntegerOps.add(cpu, a, b, 0, size);
            case SUB -> IntegerOps.sub(cpu, a, b, 0, size);
            case LOGIC -> IntegerOps.logic(cpu, r, size);
            case INC -> {
                cpu.rflags = (cpu.rflags & ~IntegerOps.CF) | carry;
                IntegerOps.inc(cpu, a, size);
            }
            case DEC -> {
                cpu.rflags = (cpu.rflags & ~IntegerOps.CF) | carry;
                IntegerOps.dec(cpu, a, size);
            }
            case SHL -> IntegerOps.shl(cpu, a, b, size);
            case SHR -> IntegerOps.shr(cpu, a, b, size);
            case SAR -> IntegerOps.sar(cpu, a, b, size);
            case IMUL -> IntegerOps.imul(cpu, a, b, size, pair);
            case ADC -> IntegerOps.add(cpu, a, b, (int) carry, size);
            case SBB -> IntegerOps.sub(cpu, a, b, (int) carry, size);
            default -> throw new IllegalStateException("lazy flags op " + op);
        }
        op = NONE;
    }

    /** CF as it is now (0 or 1), without materialising where the record gives it directly. */
    long carry(X86CpuState cpu) {
        return switch (op) {
            case NONE -> cpu.rflags & IntegerOps.CF;
            case SUB -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case LOGIC -> 0;
            case INC, DEC -> carry;
            default -> {
                materialise(cpu);
                yield cpu.rflags & IntegerOps.CF;
            }
        };
    }

    /** Condition {@code cc} (tttn, SDM Vol 1 Appendix B) as it is now. */
    boolean test(int cc, X86CpuState cpu) {
        int bits = size * 8;
        boolean v;
        switch (op) {
            case NONE -> {
                return Conditions.test(cc, cpu.rflags);
            }
            case SUB -> {
                switch (cc >> 1) {
                    case 1 -> v = Long.compareUnsigned(a, b) < 0; // B: CF
                    case 2 -> v = r == 0; // E: ZF
                    case 3 -> v = Long.compareUnsigned(a, b) <= 0; // BE: CF or ZF
                    case 4 -> v = (r >>> (bits - 1)) != 0; // S
                    case 6 -> v = (a << (64 - bits)) < (b << (64 - bits)); // L: SF != OF
                    case 7 -> v = (a << (64 - bits)) <= (b << (64 - bits)); // LE: ZF or SF != OF
                    default -> {
                        materialise(cpu);
                        return Conditions.test(cc, cpu.rflags);
                    }
                }
            }
            case LOGIC -> {
                boolean sf = (r >>> (bits - 1)) != 0;
                switch (cc >> 1) {
                    case 0, 1 -> v = false; // OF = CF = 0
                    case 2, 3 -> v = r == 0; // E; BE = CF or ZF
                    case 4, 6 -> v = sf; // S; L = SF != OF
                    case 7 -> v = r == 0 || sf; // LE
                    default -> {
                        materialise(cpu);
                        return Conditions.test(cc, cpu.rflags);
                    }
                }
            }
            default -> {
                switch (cc >> 1) {
                    case 2 -> v = r == 0; // ZF follows the result for every recorded operation
                    case 4 -> v = (r >>> (bits - 1)) != 0;
                    default -> {
                        materialise(cpu);
                        return Conditions.test(cc, cpu.rflags);
                    }
                }
            }
        }
        return (cc & 1) == 0 ? v : !v;
    }
}
