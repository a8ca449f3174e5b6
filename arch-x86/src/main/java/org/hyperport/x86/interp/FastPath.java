package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.IntegerOps;

/**
 * The interpreter's fast path: the general-purpose instructions that dominate compiled code (MOV, the ALU
 * operations, INC/DEC/NEG/NOT, shifts, LEA, MOVZX/MOVSX, IMUL, Jcc/JMP/CALL/RET, PUSH/POP, CMOVcc/SETcc), with
 * register or plain memory operands, executed in one switch without the semantic groups. Each entry of the
 * decoded-instruction cache is classified once, when it is filled ({@link #classify}): a kind, the ALU operation
 * or condition, the operand size, the register numbers and the immediate are kept in parallel arrays. Anything
 * else (kind {@link #GENERIC}: other operations, LOCK, AH-CH-DH-BH, segment registers, memory-destination shifts...)
 * runs through the groups unchanged; they remain the reference semantics, and {@code FastPathDifferentialTest}
 * compares the two.
 *
 * <p>Status flags are recorded in {@link LazyFlags} rather than computed. Faults stay precise: every memory access
 * of an instruction happens before its first register or flag update, so a faulting instruction changes nothing.
 */
final class FastPath {

    static final int GENERIC = 0, MOV_RR = 1, MOV_RI = 2, MOV_RM = 3, MOV_MR = 4, MOV_MI = 5, ALU_RR = 6,
            ALU_RI = 7, ALU_RM = 8, ALU_MR = 9, ALU_MI = 10, INC = 11, DEC = 12, NOT = 13, NEG = 14, SHIFT_RI = 15,
            SHIFT_RCL = 16, JCC = 17, JMP = 18, CALL = 19, RET = 20, PUSH = 21, POP = 22, LEA = 23, MOVZX_RR = 24,
            MOVZX_RM = 25, MOVSX_RR = 26, MOVSX_RM = 27, IMUL_RR = 28, IMUL_RM = 29, IMUL_RRI = 30, IMUL_RMI = 31,
            CMOV_RR = 32, CMOV_RM = 33, SETCC = 34, NOP = 35, ROTATE_RI = 36, ROTATE_RCL = 37;

    /** ALU operations of the {@code ALU_*} kinds. */
    static final int A_ADD = 0, A_OR = 1, A_AND = 2, A_SUB = 3, A_XOR = 4, A_CMP = 5, A_TEST = 6, A_ADC = 7,
            A_SBB = 8;

    /** Per cache entry: kind, operation or condition, operand size, destination and source register, immediate. */
    final int[] kind;
    final int[] sub;
    final int[] size;
    final int[] dst;
    final int[] src;
    final long[] imm;

    FastPath(int entries) {
        kind = new int[entries];
        sub = new int[entries];
        size = new int[entries];
        dst = new int[entries];
        src = new int[entries];
        imm = new long[entries];
    }

    private static boolean gpr(Operand o) {
        return o.kind() == Operand.Kind.REG && o.regClass() == Operand.RegClass.GPR;
    }

    private static boolean mem(Operand o) {
        return o.kind() == Operand.Kind.MEM;
    }

    private static boolean imm(Operand o) {
        return o.kind() == Operand.Kind.IMM;
    }

    private static int alu(Op op) {
        return switch (op) {
            case ADD -> A_ADD;
            case OR -> A_OR;
            case AND -> A_AND;
            case SUB -> A_SUB;
            case XOR -> A_XOR;
            case CMP -> A_CMP;
            case TEST -> A_TEST;
            case ADC -> A_ADC;
            case SBB -> A_SBB;
            default -> -1;
        };
    }

    /** Classifies the valid instruction {@code i} for cache entry {@code e}; returns its kind. */
    int classify(int e, Instruction i) {
        int k = kindOf(i);
        kind[e] = k;
        if (k == GENERIC) {
            return k;
        }
        Operand o0 = i.operandCount() > 0 ? i.operand(0) : null;
        Operand o1 = i.operandCount() > 1 ? i.operand(1) : null;
        size[e] = o0 != null ? o0.size() : i.operandSize();
        dst[e] = o0 != null && o0.kind() == Operand.Kind.REG ? o0.reg() : 0;
        src[e] = o1 != null && o1.kind() == Operand.Kind.REG ? o1.reg() : 0;
        imm[e] = 0;
        sub[e] = 0;
        Op op = i.op();
        int a = alu(op);
        if (a >= 0) {
            sub[e] = a;
        } else if (op.condition() >= 0) {
            sub[e] = op.condition();
        } else if (op == Op.SHL || op == Op.SAL) {
            sub[e] = LazyFlags.SHL;
        } else if (op == Op.SHR) {
            sub[e] = LazyFlags.SHR;
        } else if (op == Op.SAR) {
            sub[e] = LazyFlags.SAR;
        } else if (op == Op.ROR) {
            sub[e] = 1;
        }
        switch (k) {
            case MOV_RI, ALU_RI, SHIFT_RI, ROTATE_RI, MOV_MI, ALU_MI -> imm[e] = o1.immediate();
            case IMUL_RRI, IMUL_RMI -> imm[e] = i.operand(2).immediate();
            case JCC, JMP, CALL -> imm[e] = o0.target();
            case MOVZX_RR, MOVZX_RM, MOVSX_RR, MOVSX_RM -> imm[e] = o1.size();
            default -> {
            }
        }
        return k;
    }

    static int kindOf(Instruction i) {
        if (!i.isValid() || i.lock()) {
            return GENERIC;
        }
        Op op = i.op();
        int n = i.operandCount();
        Operand o0 = n > 0 ? i.operand(0) : null;
        Operand o1 = n > 1 ? i.operand(1) : null;
        if (op.condition() >= 0) {
            if (op.ordinal() >= Op.JO.ordinal() && op.ordinal() <= Op.JG.ordinal()) {
                return n == 1 && o0.kind() == Operand.Kind.REL ? JCC : GENERIC;
            }
            if (op.ordinal() >= Op.SETO.ordinal() && op.ordinal() <= Op.SETG.ordinal()) {
                return n == 1 && gpr(o0) ? SETCC : GENERIC;
            }
            if (op.ordinal() >= Op.CMOVO.ordinal() && op.ordinal() <= Op.CMOVG.ordinal() && n == 2 && gpr(o0)) {
                return gpr(o1) ? CMOV_RR : mem(o1) ? CMOV_RM : GENERIC;
            }
            return GENERIC;
        }
        switch (op) {
            case MOV -> {
                if (n != 2) {
                    return GENERIC;
                }
                if (gpr(o0)) {
                    return gpr(o1) ? MOV_RR : imm(o1) ? MOV_RI : mem(o1) ? MOV_RM : GENERIC;
                }
                if (mem(o0)) {
                    return gpr(o1) ? MOV_MR : imm(o1) ? MOV_MI : GENERIC;
                }
                return GENERIC;
            }
            case ADD, OR, AND, SUB, XOR, CMP, TEST, ADC, SBB -> {
                if (n != 2) {
                    return GENERIC;
                }
                if (gpr(o0)) {
                    return gpr(o1) ? ALU_RR : imm(o1) ? ALU_RI : mem(o1) ? ALU_RM : GENERIC;
                }
                if (mem(o0)) {
                    return gpr(o1) ? ALU_MR : imm(o1) ? ALU_MI : GENERIC;
                }
                return GENERIC;
            }
            case INC -> {
                return n == 1 && gpr(o0) ? INC : GENERIC;
            }
            case DEC -> {
                return n == 1 && gpr(o0) ? DEC : GENERIC;
            }
            case NOT -> {
                return n == 1 && gpr(o0) ? NOT : GENERIC;
            }
            case NEG -> {
                return n == 1 && gpr(o0) ? NEG : GENERIC;
            }
            case SHL, SAL, SHR, SAR -> {
                if (n != 2 || !gpr(o0)) {
                    return GENERIC;
                }
                if (imm(o1)) {
                    return SHIFT_RI;
                }
                return gpr(o1) && o1.reg() == X86CpuState.RCX && o1.size() == 1 ? SHIFT_RCL : GENERIC;
            }
            case ROL, ROR -> {
                if (n != 2 || !gpr(o0)) {
                    return GENERIC;
                }
                if (imm(o1)) {
                    return ROTATE_RI;
                }
                return gpr(o1) && o1.reg() == X86CpuState.RCX && o1.size() == 1 ? ROTATE_RCL : GENERIC;
            }
            case JMP -> {
                return n == 1 && o0.kind() == Operand.Kind.REL ? JMP : GENERIC;
            }
            case CALL -> {
                return n == 1 && o0.kind() == Operand.Kind.REL ? CALL : GENERIC;
            }
            case RET -> {
                return n == 0 ? RET : GENERIC;
            }
            case PUSH -> {
                return n == 1 && gpr(o0) ? PUSH : GENERIC;
            }
            case POP -> {
                return n == 1 && gpr(o0) ? POP : GENERIC;
            }
            case LEA -> {
                return n == 2 && gpr(o0) && mem(o1) ? LEA : GENERIC;
            }
            case MOVZX -> {
                return n == 2 && gpr(o0) ? (gpr(o1) ? MOVZX_RR : mem(o1) ? MOVZX_RM : GENERIC) : GENERIC;
            }
            case MOVSX, MOVSXD -> {
                return n == 2 && gpr(o0) ? (gpr(o1) ? MOVSX_RR : mem(o1) ? MOVSX_RM : GENERIC) : GENERIC;
            }
            case IMUL -> {
                if (n == 2 && gpr(o0)) {
                    return gpr(o1) ? IMUL_RR : mem(o1) ? IMUL_RM : GENERIC;
                }
                if (n == 3 && gpr(o0) && imm(i.operand(2))) {
                    return gpr(o1) ? IMUL_RRI : mem(o1) ? IMUL_RMI : GENERIC;
                }
                return GENERIC;
            }
            case NOP -> {
                return NOP;
            }
            default -> {
                return GENERIC;
            }
        }
    }

    // ---- Execution ----------------------------------------------------------------------------------------------

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private static long signExtend(long v, int size) {
        int shift = 64 - size * 8;
        return (v << shift) >> shift;
    }

    /** Executes cache entry {@code e} (instruction {@code i}, a non-{@link #GENERIC} kind); may throw a fault. */
    void execute(X86Interpreter x, int e, Instruction i) {
        X86CpuState cpu = x.cpu;
        long[] g = cpu.gpr;
        LazyFlags lf = x.lazy;
        int sz = size[e];
        switch (kind[e]) {
            case MOV_RR -> x.setReg(dst[e], sz, g[src[e]]);
            case MOV_RI -> x.setReg(dst[e], sz, imm[e]);
            case MOV_RM -> x.setReg(dst[e], sz, x.loadFast(x.addressFast(i.operand(1)), sz));
            case MOV_MR -> x.storeFast(x.addressFast(i.operand(0)), sz, g[src[e]]);
            case MOV_MI -> x.storeFast(x.addressFast(i.operand(0)), sz, imm[e]);
            case ALU_RR -> aluReg(x, e, sz, g[src[e]]);
            case ALU_RI -> aluReg(x, e, sz, imm[e]);
            case ALU_RM -> aluReg(x, e, sz, x.loadFast(x.addressFast(i.operand(1)), sz));
            case ALU_MR -> aluMem(x, e, i, sz, g[src[e]]);
            case ALU_MI -> aluMem(x, e, i, sz, imm[e]);
            case INC, DEC -> {
                long m = mask(sz);
                int d = dst[e];
                long a = g[d] & m;
                boolean inc = kind[e] == INC;
                long r = (inc ? a + 1 : a - 1) & m;
                lf.recordIncDec(inc ? LazyFlags.INC : LazyFlags.DEC, a, r, sz, lf.carry(cpu));
                x.setReg(d, sz, r);
            }
            case NOT -> x.setReg(dst[e], sz, ~g[dst[e]]);
            case NEG -> {
                long m = mask(sz);
                int d = dst[e];
                long a = g[d] & m;
                long r = -a & m;
                lf.record(LazyFlags.SUB, 0, a, r, sz);
                x.setReg(d, sz, r);
            }
            case SHIFT_RI -> shift(x, e, sz, imm[e]);
            case SHIFT_RCL -> shift(x, e, sz, g[X86CpuState.RCX] & 0xff);
            case ROTATE_RI -> x.setReg(dst[e], sz,
                    CompiledBlock.rotate(lf, cpu, sub[e], g[dst[e]] & mask(sz), imm[e], sz));
            case ROTATE_RCL -> x.setReg(dst[e], sz,
                    CompiledBlock.rotate(lf, cpu, sub[e], g[dst[e]] & mask(sz), g[X86CpuState.RCX] & 0xff, sz));
            case JCC -> {
                if (lf.test(sub[e], cpu)) {
                    x.jumpFast(imm[e]);
                }
            }
            case JMP -> x.jumpFast(imm[e]);
            case CALL -> {
                x.jumpFast(imm[e]);
                x.push(i.operandSize(), i.nextIp());
            }
            case RET -> {
                long rsp = g[X86CpuState.RSP];
                long target = x.pop(i.operandSize());
                try {
                    x.jumpFast(target);
                } catch (CpuFault f) {
                    g[X86CpuState.RSP] = rsp;
                    throw f;
                }
            }
            case PUSH -> x.push(i.operandSize(), g[dst[e]] & mask(sz));
            case POP -> x.setReg(dst[e], sz, x.pop(i.operandSize()));
            case LEA -> x.setReg(dst[e], sz, x.offset(i.operand(1)));
            case MOVZX_RR -> x.setReg(dst[e], sz, g[src[e]] & mask((int) imm[e]));
            case MOVZX_RM -> x.setReg(dst[e], sz, x.loadFast(x.addressFast(i.operand(1)), (int) imm[e]));
            case MOVSX_RR -> x.setReg(dst[e], sz, signExtend(g[src[e]], (int) imm[e]));
            case MOVSX_RM -> {
                int ss = (int) imm[e];
                x.setReg(dst[e], sz, signExtend(x.loadFast(x.addressFast(i.operand(1)), ss), ss));
            }
            case IMUL_RR -> imul(x, e, sz, g[dst[e]], g[src[e]]);
            case IMUL_RM -> imul(x, e, sz, g[dst[e]], x.loadFast(x.addressFast(i.operand(1)), sz));
            case IMUL_RRI -> imul(x, e, sz, g[src[e]], imm[e]);
            case IMUL_RMI -> imul(x, e, sz, x.loadFast(x.addressFast(i.operand(1)), sz), imm[e]);
            case CMOV_RR -> {
                int d = dst[e];
                x.setReg(d, sz, lf.test(sub[e], cpu) ? g[src[e]] : g[d]);
            }
            case CMOV_RM -> {
                long v = x.loadFast(x.addressFast(i.operand(1)), sz);
                int d = dst[e];
                x.setReg(d, sz, lf.test(sub[e], cpu) ? v : g[d]);
            }
            case SETCC -> x.setReg(dst[e], 1, lf.test(sub[e], cpu) ? 1 : 0);
            case NOP -> {
            }
            default -> throw new IllegalStateException("fast-path kind " + kind[e]);
        }
    }

    /** The result of ALU operation {@code op} on {@code a} and {@code b}, recording its flags. */
    private static long alu(X86CpuState cpu, LazyFlags lf, int op, long a, long b, int size) {
        long carry = op >= A_ADC ? lf.carry(cpu) : 0;
        long m = mask(size);
        a &= m;
        b &= m;
        long r;
        switch (op) {
            case A_ADD -> {
                r = (a + b) & m;
                lf.record(LazyFlags.ADD, a, b, r, size);
            }
            case A_SUB, A_CMP -> {
                r = (a - b) & m;
                lf.record(LazyFlags.SUB, a, b, r, size);
            }
            case A_ADC -> {
                r = (a + b + carry) & m;
                lf.recordCarry(LazyFlags.ADC, a, b, r, size, carry);
            }
            case A_SBB -> {
                r = (a - b - carry) & m;
                lf.recordCarry(LazyFlags.SBB, a, b, r, size, carry);
            }
            case A_OR -> {
                r = a | b;
                lf.record(LazyFlags.LOGIC, a, b, r, size);
            }
            case A_AND, A_TEST -> {
                r = a & b;
                lf.record(LazyFlags.LOGIC, a, b, r, size);
            }
            default -> {
                r = a ^ b;
                lf.record(LazyFlags.LOGIC, a, b, r, size);
            }
        }
        return r;
    }

    private void aluReg(X86Interpreter x, int e, int size, long b) {
        int op = sub[e];
        int d = dst[e];
        long r = alu(x.cpu, x.lazy, op, x.cpu.gpr[d], b, size);
        if (op != A_CMP && op != A_TEST) {
            x.setReg(d, size, r);
        }
    }

    /** A memory destination: probed for writing before it is read, so the write cannot fault afterwards. */
    private void aluMem(X86Interpreter x, int e, Instruction i, int size, long b) {
        int op = sub[e];
        long la = x.addressFast(i.operand(0));
        if (op == A_CMP || op == A_TEST) {
            long a = x.loadFast(la, size);
            alu(x.cpu, x.lazy, op, a, b, size);
            return;
        }
        x.mem.probeWrite(la, size, x.fetchUser);
        x.storeFast(la, size, alu(x.cpu, x.lazy, op, x.loadFast(la, size), b, size));
    }

    /** SHL/SHR/SAR by {@code count}: a masked count of 0 writes the operand back and leaves the flags alone. */
    private void shift(X86Interpreter x, int e, int size, long count) {
        int d = dst[e];
        x.setReg(d, size, CompiledBlock.shiftByCl(x.lazy, sub[e], x.cpu.gpr[d] & mask(size), count, size));
    }

    /** IMUL with a truncated product (two- and three-operand forms). */
    private void imul(X86Interpreter x, int e, int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long lo = size == 8 ? a * b : (signExtend(a, size) * signExtend(b, size)) & m;
        x.lazy.record(LazyFlags.IMUL, a, b, lo, size);
        x.setReg(dst[e], size, lo);
    }
}
