package org.hyperport.x86.interp;

import java.lang.invoke.VarHandle;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.isa.IntegerOps;

/**
 * The general-purpose instructions of SDM Vol 1 Chapter 7 ("Programming with General-Purpose Instructions") in every
 * mode: data transfer, binary and decimal arithmetic, logic, shifts and rotates, bit and byte instructions, near
 * control transfers, strings, flag control and the miscellaneous ones (LEA, XLAT, NOP, PAUSE, ENDBR32/64, the
 * PREFETCH family and CLDEMOTE, CLFLUSH/CLFLUSHOPT/CLWB, LFENCE/MFENCE/SFENCE, UD0/1/2). Everything else (system
 * instructions, I/O, MOV to or from segment, control and debug registers, PUSH/POP of segment registers, far
 * transfers, INT/IRET, x87, MMX/SSE) returns false for another group.
 *
 * <p>Values the SDM leaves undefined follow the hardware where Intel and AMD agree (checked against the host CPU by
 * {@code GeneralHostDifferentialTest}) and {@link IntegerOps}' documented choices for flags otherwise.
 *
 * <h2>Code map</h2>
 * One class per chapter section, each built from the shared parts of {@link ReadModifyWrite}:
 * {@link DataTransfer}, {@link BinaryArithmetic}, {@link DecimalArithmetic}, {@link ShiftRotate}, {@link BitByte},
 * {@link ControlTransfer}, {@link StringInstructions}, {@link FlagControl}; the miscellaneous instructions are here.
 *
 * <h2>Faults</h2>
 * A faulting instruction must change nothing (the core puts RIP back). Memory destinations are probed before they
 * are written, and register results are written after the last access that can fault; RFLAGS and rSP, which several
 * instructions update before their last memory access (POP to memory, CALL, RET, ENTER, PUSHA/POPA), are restored
 * here when a fault propagates. Repeated string instructions are the exception the SDM makes: they keep the
 * registers of their completed iterations ({@link StringInstructions}).
 *
 * <h2>Atomicity</h2>
 * LOCK-prefixed read-modify-writes, XCHG with memory and CMPXCHG8B/16B hold one process-wide monitor from read to
 * write, so they are atomic with respect to each other across vCPU threads ({@link ReadModifyWrite}).
 *
 * <h2>Use</h2>
 * One instance per vCPU: it holds the scratch array MUL/DIV results go through, so execution allocates nothing.
 */
public final class GeneralInstructions implements X86Interpreter.Semantics {

    /** {high, low} or {quotient, remainder} of MUL/IMUL/DIV/IDIV. */
    private final long[] pair = new long[2];

    public GeneralInstructions() {
    }

    @Override
    public boolean execute(X86Interpreter x, Instruction i) {
        Op op = i.op();
        switch (op) {
            case MOVS, STOS, LODS, CMPS, SCAS -> {
                return StringInstructions.execute(x, i, op);
            }
            default -> {
            }
        }
        X86CpuState cpu = x.cpu;
        long rflags = cpu.rflags;
        long rsp = cpu.gpr[X86CpuState.RSP];
        try {
            return dispatch(x, i, op);
        } catch (CpuFault f) {
            cpu.rflags = rflags;
            cpu.gpr[X86CpuState.RSP] = rsp;
            throw f;
        }
    }

    private static boolean between(Op op, Op first, Op last) {
        return op.ordinal() >= first.ordinal() && op.ordinal() <= last.ordinal();
    }

    private boolean dispatch(X86Interpreter x, Instruction i, Op op) {
        if (op.condition() >= 0) {
            return between(op, Op.JO, Op.JG) ? ControlTransfer.jcc(x, i)
                    : between(op, Op.SETO, Op.SETG) ? BitByte.setcc(x, i)
                    : DataTransfer.cmov(x, i);
        }
        return switch (op) {
            // Binary arithmetic and logic
            case ADD -> BinaryArithmetic.binary(x, i, ReadModifyWrite.ADD);
            case OR -> BinaryArithmetic.binary(x, i, ReadModifyWrite.OR);
            case ADC -> BinaryArithmetic.binary(x, i, ReadModifyWrite.ADC);
            case SBB -> BinaryArithmetic.binary(x, i, ReadModifyWrite.SBB);
            case AND -> BinaryArithmetic.binary(x, i, ReadModifyWrite.AND);
            case SUB -> BinaryArithmetic.binary(x, i, ReadModifyWrite.SUB);
            case XOR -> BinaryArithmetic.binary(x, i, ReadModifyWrite.XOR);
            case CMP -> BinaryArithmetic.binary(x, i, ReadModifyWrite.CMP);
            case TEST -> BinaryArithmetic.binary(x, i, ReadModifyWrite.TEST);
            case INC -> BinaryArithmetic.unary(x, i, ReadModifyWrite.INC);
            case DEC -> BinaryArithmetic.unary(x, i, ReadModifyWrite.DEC);
            case NOT -> BinaryArithmetic.unary(x, i, ReadModifyWrite.NOT);
            case NEG -> BinaryArithmetic.unary(x, i, ReadModifyWrite.NEG);
            case MUL -> BinaryArithmetic.mul(x, i, pair);
            case IMUL -> BinaryArithmetic.imul(x, i, pair);
            case DIV -> BinaryArithmetic.divide(x, i, false, pair);
            case IDIV -> BinaryArithmetic.divide(x, i, true, pair);
            // Decimal arithmetic
            case DAA -> DecimalArithmetic.daa(x);
            case DAS -> DecimalArithmetic.das(x);
            case AAA -> DecimalArithmetic.aaa(x);
            case AAS -> DecimalArithmetic.aas(x);
            case AAM -> DecimalArithmetic.aam(x, i);
            case AAD -> DecimalArithmetic.aad(x, i);
            // Shifts and rotates
            case ROL -> ShiftRotate.shift(x, i, ReadModifyWrite.ROL);
            case ROR -> ShiftRotate.shift(x, i, ReadModifyWrite.ROR);
            case RCL -> ShiftRotate.shift(x, i, ReadModifyWrite.RCL);
            case RCR -> ShiftRotate.shift(x, i, ReadModifyWrite.RCR);
            case SHL, SAL -> ShiftRotate.shift(x, i, ReadModifyWrite.SHL);
            case SHR -> ShiftRotate.shift(x, i, ReadModifyWrite.SHR);
            case SAR -> ShiftRotate.shift(x, i, ReadModifyWrite.SAR);
            case SHLD -> ShiftRotate.doubleShift(x, i, ReadModifyWrite.SHLD);
            case SHRD -> ShiftRotate.doubleShift(x, i, ReadModifyWrite.SHRD);
            // Bit and byte
            case BT -> BitByte.bitTest(x, i, -1);
            case BTS -> BitByte.bitTest(x, i, ReadModifyWrite.BTS);
            case BTR -> BitByte.bitTest(x, i, ReadModifyWrite.BTR);
            case BTC -> BitByte.bitTest(x, i, ReadModifyWrite.BTC);
            case BSF -> BitByte.scan(x, i, 0);
            case BSR -> BitByte.scan(x, i, 1);
            case POPCNT -> BitByte.scan(x, i, 2);
            case LZCNT -> BitByte.scan(x, i, 3);
            case TZCNT -> BitByte.scan(x, i, 4);
            // Data transfer
            case MOV -> DataTransfer.mov(x, i);
            case MOVZX -> DataTransfer.movzx(x, i);
            case MOVSX, MOVSXD -> DataTransfer.movsx(x, i);
            case XCHG -> DataTransfer.xchg(x, i);
            case BSWAP -> DataTransfer.bswap(x, i);
            case XADD -> DataTransfer.xadd(x, i);
            case CMPXCHG -> DataTransfer.cmpxchg(x, i);
            case CMPXCHG8B, CMPXCHG16B -> DataTransfer.cmpxchgWide(x, i);
            case MOVBE -> DataTransfer.movbe(x, i);
            case PUSH -> DataTransfer.push(x, i);
            case POP -> DataTransfer.pop(x, i);
            case PUSHA, PUSHAD -> DataTransfer.pusha(x, i);
            case POPA, POPAD -> DataTransfer.popa(x, i);
            case CBW, CWDE, CDQE -> DataTransfer.convertAccumulator(x, i);
            case CWD, CDQ, CQO -> DataTransfer.convertToDouble(x, i);
            // Control transfer
            case JMP -> ControlTransfer.jmp(x, i);
            case JCXZ, JECXZ, JRCXZ -> ControlTransfer.jrcxz(x, i);
            case LOOP -> ControlTransfer.loop(x, i, -1);
            case LOOPE -> ControlTransfer.loop(x, i, 1);
            case LOOPNE -> ControlTransfer.loop(x, i, 0);
            case CALL -> ControlTransfer.call(x, i);
            case RET -> ControlTransfer.ret(x, i);
            case ENTER -> ControlTransfer.enter(x, i);
            case LEAVE -> ControlTransfer.leave(x, i);
            // Flag control
            case CLC -> FlagControl.set(x, IntegerOps.CF, 0);
            case STC -> FlagControl.set(x, IntegerOps.CF, IntegerOps.CF);
            case CMC -> FlagControl.set(x, 0, IntegerOps.CF);
            case CLD -> FlagControl.set(x, FlagControl.DF, 0);
            case STD -> FlagControl.set(x, FlagControl.DF, FlagControl.DF);
            case LAHF -> FlagControl.lahf(x);
            case SAHF -> FlagControl.sahf(x);
            case PUSHF, PUSHFD, PUSHFQ -> FlagControl.pushf(x, i);
            case POPF, POPFD, POPFQ -> FlagControl.popf(x, i);
            // Miscellaneous
            case LEA -> lea(x, i);
            case XLAT -> xlat(x, i);
            case NOP, ENDBR64, ENDBR32, PREFETCH, PREFETCHW, PREFETCHWT1, PREFETCHNTA, PREFETCHT0, PREFETCHT1,
                 PREFETCHT2, CLDEMOTE -> true;
            case PAUSE -> pause();
            case CLFLUSH, CLFLUSHOPT, CLWB -> flushLine(x, i);
            case LFENCE -> fence(0);
            case SFENCE -> fence(1);
            case MFENCE -> fence(2);
            case UD0, UD1, UD2 -> throw x.fault.raise(CpuFault.UD);
            default -> false;
        };
    }

    /** LEA {@code Gv, M}: the effective address (at the address size) truncated to the operand size (Vol 2 "LEA"). */
    private static boolean lea(X86Interpreter x, Instruction i) {
        x.write(i.operand(0), x.offset(i.operand(1)));
        return true;
    }

    /** XLAT: AL ← [seg:rBX + unsigned AL], the segment DS or the override (Vol 2 "XLAT/XLATB"). */
    private static boolean xlat(X86Interpreter x, Instruction i) {
        int as = i.addressSize();
        long offset = ReadModifyWrite.truncate(x.reg(X86CpuState.RBX, as) + x.reg(X86CpuState.RAX, 1), as);
        x.setReg(X86CpuState.RAX, 1, x.load(x.linear(i.dataSegment(), offset), 1));
        return true;
    }

    /** PAUSE: a spin-loop hint, passed on to the JVM (Vol 2 "PAUSE"). */
    private static boolean pause() {
        Thread.onSpinWait();
        return true;
    }

    /**
     * CLFLUSH/CLFLUSHOPT/CLWB {@code m8}: nothing to write back in an interpreter. The linear address is formed, so
     * segment and canonical-address faults are raised; the page is not translated, since {@link LinearMemory} has
     * no access that translates without touching memory and a load could reach an MMIO register.
     */
    private static boolean flushLine(X86Interpreter x, Instruction i) {
        Operand m = i.operand(0);
        x.address(m);
        return true;
    }

    /**
     * LFENCE/SFENCE/MFENCE (Vol 2): the corresponding JVM fences, so that vCPU threads observe each other's memory
     * accesses in order across the fence.
     */
    private static boolean fence(int kind) {
        switch (kind) {
            case 0 -> VarHandle.loadLoadFence();
            case 1 -> VarHandle.storeStoreFence();
            default -> VarHandle.fullFence();
        }
        return true;
    }
}
