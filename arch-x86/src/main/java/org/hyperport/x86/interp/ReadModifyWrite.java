package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.BitOps;
import org.hyperport.x86.isa.IntegerOps;

/**
 * The parts the general-purpose instructions are built from: one operation function ({@link #compute}) over the
 * flag semantics of {@link IntegerOps} and {@link BitOps}, and one write-back ({@link #modify}) for every instruction
 * whose destination is read, changed and written (SDM Vol 1 §7.3 "Binary Arithmetic", "Logical", "Shift and Rotate",
 * "Bit and Byte Instructions"; Vol 2 "LOCK").
 *
 * <p><b>Precise faults.</b> A memory destination is probed for writing before it is read, so once the operation has
 * computed its result and flags the write cannot fault; a faulting read-modify-write changes nothing (Vol 3A §6.5:
 * faults are reported before the instruction has any effect).
 *
 * <p><b>Atomicity.</b> Each vCPU runs on one interpreter thread. A LOCK-prefixed read-modify-write and XCHG with a
 * memory operand (always locked, Vol 2 "XCHG") hold {@link #BUS_LOCK}, one monitor shared by every vCPU of the
 * process, from the read to the write; so locked operations are atomic with respect to each other, as the bus lock
 * makes them on hardware. A plain store by another vCPU is not ordered against a locked operation by this monitor;
 * {@link DataTransfer} therefore never writes memory back when CMPXCHG fails, which keeps the common
 * "plain-store release, locked compare-and-swap acquire" lock idioms correct.
 */
final class ReadModifyWrite {

    /** Operation codes; the first eight follow the group-1 /digit order (SDM Vol 2 Table A-6). */
    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8, INC = 9,
            DEC = 10, NOT = 11, NEG = 12, ROL = 13, ROR = 14, RCL = 15, RCR = 16, SHL = 17, SHR = 18, SAR = 19,
            BTS = 20, BTR = 21, BTC = 22, SHLD = 23, SHRD = 24, XCHG = 25;

    /** The simulated bus lock of LOCK-prefixed operations, shared by all vCPUs of the process. */
    static final Object BUS_LOCK = new Object();

    private ReadModifyWrite() {
    }

    /**
     * The result of operation {@code op} on destination value {@code a} and source {@code b} (the count of shifts,
     * the bit offset of BTS/BTR/BTC), with {@code c} the count of SHLD/SHRD; updates RFLAGS as the SDM specifies.
     */
    static long compute(X86CpuState s, int op, long a, long b, long c, int size) {
        return switch (op) {
            case ADD -> IntegerOps.add(s, a, b, 0, size);
            case OR -> IntegerOps.logic(s, a | b, size);
            case ADC -> IntegerOps.add(s, a, b, (int) (s.rflags & IntegerOps.CF), size);
            case SBB -> IntegerOps.sub(s, a, b, (int) (s.rflags & IntegerOps.CF), size);
            case AND, TEST -> IntegerOps.logic(s, a & b, size);
            case SUB, CMP -> IntegerOps.sub(s, a, b, 0, size);
            case XOR -> IntegerOps.logic(s, a ^ b, size);
            case INC -> IntegerOps.inc(s, a, size);
            case DEC -> IntegerOps.dec(s, a, size);
            case NOT -> ~a & IntegerOps.mask(size);
            case NEG -> IntegerOps.neg(s, a, size);
            case ROL -> IntegerOps.rol(s, a, b, size);
            case ROR -> IntegerOps.ror(s, a, b, size);
            case RCL -> IntegerOps.rcl(s, a, b, size);
            case RCR -> IntegerOps.rcr(s, a, b, size);
            case SHL -> IntegerOps.shl(s, a, b, size);
            case SHR -> IntegerOps.shr(s, a, b, size);
            case SAR -> IntegerOps.sar(s, a, b, size);
            case BTS -> BitOps.bitTest(s, a, b, size, 1);
            case BTR -> BitOps.bitTest(s, a, b, size, 2);
            case BTC -> BitOps.bitTest(s, a, b, size, 3);
            case SHLD -> ShiftRotate.shld(s, a, b, c, size);
            case SHRD -> ShiftRotate.shrd(s, a, b, c, size);
            case XCHG -> b;
            default -> throw new IllegalArgumentException("operation " + op);
        };
    }

    /** Flags-only operations (CMP, TEST): computes and discards the result. */
    static void compare(X86Interpreter x, Operand d, int op, long b) {
        compute(x.cpu, op, x.read(d), b, 0, d.size());
    }

    /**
     * Applies {@code op} to destination {@code d} (register or memory) with sources {@code b}, {@code c}, writes the
     * result back and returns the destination's previous value.
     */
    static long modify(X86Interpreter x, Instruction i, Operand d, int op, long b, long c) {
        if (!d.isMem()) {
            long a = x.read(d);
            x.write(d, compute(x.cpu, op, a, b, c, d.size()));
            return a;
        }
        return modifyAt(x, i, x.address(d), d.size(), op, b, c);
    }

    /** {@link #modify} on the memory operand at linear address {@code la}, under the bus lock when locked. */
    static long modifyAt(X86Interpreter x, Instruction i, long la, int size, int op, long b, long c) {
        if (i.lock() || op == XCHG) {
            synchronized (BUS_LOCK) {
                return modifyMemory(x, la, size, op, b, c);
            }
        }
        return modifyMemory(x, la, size, op, b, c);
    }

    private static long modifyMemory(X86Interpreter x, long la, int size, int op, long b, long c) {
        x.mem.probeWrite(la, size, x.user());
        long a = x.load(la, size);
        x.store(la, size, compute(x.cpu, op, a, b, c, size));
        return a;
    }

    /** Sign-extends the low {@code size} bytes of {@code v}. */
    static long signExtend(long v, int size) {
        int shift = 64 - size * 8;
        return (v << shift) >> shift;
    }

    /** Truncates {@code v} to an address or operand size of {@code size} bytes. */
    static long truncate(long v, int size) {
        return v & IntegerOps.mask(size);
    }
}
