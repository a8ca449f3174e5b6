package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.IntegerOps;

/**
 * String instructions with their repeat prefixes (SDM Vol 1 §7.3 "String Operations", "Repeated String
 * Operations"; Vol 2 "MOVS", "CMPS", "SCAS", "LODS", "STOS", "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * <p>The element size is the size of the memory operands; rSI, rDI and the count rCX are used at the address size
 * (a 32-bit address size writes ESI/EDI/ECX and so clears their upper halves in 64-bit mode); DF selects the
 * direction. The source is the decoder's segment (DS or the override), the destination always ES.
 *
 * <p>A repeated instruction runs its iterations inside one step, updating rSI, rDI and rCX after each, so a fault
 * in the middle leaves them describing the completed iterations and RIP on the instruction: re-executing it resumes
 * (Vol 1 §7.3 "Repeated String Operations": the processor may take interrupts and faults between iterations).
 * At most {@link #CHUNK} iterations run per step; if more remain, RIP stays on the instruction so that pending
 * interrupts are taken between chunks.
 */
final class StringInstructions {

    /** Iterations per step before the instruction is re-entered. */
    static final int CHUNK = 4096;

    private static final int MOVS = 0, STOS = 1, LODS = 2, CMPS = 3, SCAS = 4;

    private StringInstructions() {
    }

    /** MOVS STOS LODS CMPS SCAS, with or without REP/REPE/REPNE. */
    static boolean execute(X86Interpreter x, Instruction i, Op op) {
        int kind = switch (op) {
            case MOVS -> MOVS;
            case STOS -> STOS;
            case LODS -> LODS;
            case CMPS -> CMPS;
            default -> SCAS;
        };
        Operand mem = i.operand(0).isMem() ? i.operand(0) : i.operand(1);
        int size = mem.size();
        long delta = (x.cpu.rflags & (1 << 10)) != 0 ? -size : size;
        boolean compares = kind == CMPS || kind == SCAS;
        if (!i.rep() && !i.repne()) {
            element(x, i, kind, size, delta);
            return true;
        }
        int as = i.addressSize();
        long count = x.reg(X86CpuState.RCX, as);
        for (int n = 0; count != 0; n++) {
            if (n == CHUNK) {
                x.nextRip = i.ip();
                break;
            }
            element(x, i, kind, size, delta);
            count = ReadModifyWrite.truncate(count - 1, as);
            x.setReg(X86CpuState.RCX, as, count);
            if (compares && ((x.cpu.rflags & IntegerOps.ZF) != 0) != i.rep()) {
                break;
            }
        }
        return true;
    }

    /** One iteration: the element operation, then rSI/rDI advanced by {@code delta}. */
    private static void element(X86Interpreter x, Instruction i, int kind, int size, long delta) {
        int as = i.addressSize();
        switch (kind) {
            case MOVS -> {
                long v = x.load(x.address(i.operand(1)), size);
                x.store(x.address(i.operand(0)), size, v);
                advance(x, X86CpuState.RSI, as, delta);
                advance(x, X86CpuState.RDI, as, delta);
            }
            case STOS -> {
                x.store(x.address(i.operand(0)), size, x.reg(X86CpuState.RAX, size));
                advance(x, X86CpuState.RDI, as, delta);
            }
            case LODS -> {
                x.setReg(X86CpuState.RAX, size, x.load(x.address(i.operand(1)), size));
                advance(x, X86CpuState.RSI, as, delta);
            }
            case CMPS -> {
                long a = x.load(x.address(i.operand(0)), size);
                long b = x.load(x.address(i.operand(1)), size);
                IntegerOps.sub(x.cpu, a, b, 0, size);
                advance(x, X86CpuState.RSI, as, delta);
                advance(x, X86CpuState.RDI, as, delta);
            }
            default -> {
                long b = x.load(x.address(i.operand(1)), size);
                IntegerOps.sub(x.cpu, x.reg(X86CpuState.RAX, size), b, 0, size);
                advance(x, X86CpuState.RDI, as, delta);
            }
        }
    }

    private static void advance(X86Interpreter x, int r, int as, long delta) {
        x.setReg(r, as, x.reg(r, as) + delta);
    }
}
