package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.FpArith.DE;
import static org.hyperport.x86.interp.FpArith.DOUBLE;
import static org.hyperport.x86.interp.FpArith.EXTENDED;
import static org.hyperport.x86.interp.FpArith.IE;
import static org.hyperport.x86.interp.FpArith.OE;
import static org.hyperport.x86.interp.FpArith.PE;
import static org.hyperport.x86.interp.FpArith.SINGLE;
import static org.hyperport.x86.interp.FpArith.UE;
import static org.hyperport.x86.interp.FpArith.ZE;

import java.util.EnumSet;
import java.util.Set;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;

/**
 * The x87 FPU instructions (SDM Vol 1 Ch. 8, Vol 2 "F..." entries) on the 80-bit register stack of
 * {@link X86CpuState}: {@code st} holds ST(0)..ST(7) in stack order, {@code ftw} is the abridged tag word indexed by
 * physical register, and TOP lives in FSW bits 13:11, so a push or pop rotates {@code st}.
 *
 * <p>Arithmetic is exact per FCW.RC and FCW.PC through {@link FpArith} (PC applies to FADD, FSUB(R), FMUL, FDIV(R)
 * and FSQRT only, Vol 1 §8.1.5.2). Exceptions follow Vol 1 §8.5 and §8.7: masked ones take their default response;
 * an unmasked invalid, denormal or divide-by-zero exception leaves the destination and the stack unchanged; an
 * unmasked overflow or underflow stores the result with its exponent adjusted by 24576 (register destinations) or
 * nothing (memory destinations). An unmasked exception sets FSW.ES and B, and the next waiting x87 instruction (or
 * FWAIT, or an MMX instruction) raises #MF when CR0.NE is set; with CR0.NE clear it is ignored (no FERR#/IRQ 13).
 * CR0.EM or CR0.TS raise #NM (FWAIT: CR0.MP and TS).
 *
 * <p>FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1 compute the exact result to about 2^-240 (X87Math)
 * and round it once to the 64-bit significand per FCW.RC (FCW.PC does not apply), with PE, C1 (round up; for FSINCOS
 * that of the sine), UE/OE and denormal results like the arithmetic. FSIN, FCOS, FSINCOS and FPTAN reduce their
 * argument modulo the hardware's 66-bit π (SDM Vol 1 §8.3.8), as the hardware does: fsin of FLDPI's value is exactly
 * -2^-64 (π66 - x), where sin x is about -0.925 × 2^-64. Special operands follow the SDM tables and, where those leave
 * a result undefined, this host's x87 (AMD EPYC): F2XM1 outside [-1, 1] returns the operand with PE; FYL2XP1 with x <=
 * -1 and y finite non-zero returns x with PE (y = ±0 or ±inf then give the results of a negative logarithm); integer
 * logarithms (FYL2X of a power of two, FYL2XP1 of a power of two minus 1) and F2XM1(±1) still report PE, and F2XM1(1)
 * is rounded as if it were a little below 1 (1 - 2^-64 toward zero, 1 with C1 to nearest); an invalid operand hides
 * the denormal exception. Known deviation: the hardware itself is not correctly rounded (its own error reaches about
 * 0.1 ulp), so where the exact result lies within about 1/8 ulp of a rounding boundary (a representable value, or for
 * round to nearest a midpoint) the two can differ by one ulp in the result and in C1. Against KVM on this host (random
 * rounding modes) that is 0.5-2% of ordinary FSIN/FCOS/FSINCOS operands, 2-4% of FPTAN, F2XM1, FPATAN, FYL2X and
 * FYL2XP1, and about half of the FPTAN results of tiny arguments, whose result is the argument to within a tiny
 * fraction of an ulp; every other case is bit-exact (FpuTranscendentalOracleTest and docs/CONFORMANCE.md have the
 * counts).
 *
 * <p>FNSTENV/FLDENV/FNSAVE/FRSTOR use the protected-mode layouts in every mode; FCS and FDS are stored as 0.
 *
 * <p>One instance per vCPU: it holds scratch state.
 */
public final class FpuInstructions implements X86Interpreter.Semantics {

    static final int FSW_SF = 1 << 6, FSW_ES = 1 << 7, C0 = 1 << 8, C1 = 1 << 9, C2 = 1 << 10, C3 = 1 << 14,
            FSW_B = 1 << 15, TOP_MASK = 7 << 11;
    static final long CR0_EM = 1 << 2, CR0_TS = 1 << 3;

    private static final Set<Op> X87 = EnumSet.range(Op.FADD, Op.FCOMIP);
    private static final Set<Op> CONTROL = EnumSet.of(Op.FNINIT, Op.FNCLEX, Op.FLDCW, Op.FNSTCW, Op.FNSTSW,
            Op.FNSTENV, Op.FLDENV, Op.FNSAVE, Op.FRSTOR);
    private static final Set<Op> NON_WAITING = EnumSet.of(Op.FNINIT, Op.FNCLEX, Op.FNSTCW, Op.FNSTSW, Op.FNSTENV,
            Op.FNSAVE);

    private static final int A_ADD = 0, A_SUB = 1, A_SUBR = 2, A_MUL = 3, A_DIV = 4, A_DIVR = 5;

    private final FpArith fp = new FpArith();
    private final long[] image = new long[20];

    public FpuInstructions() {
    }

    @Override
    public boolean execute(X86Interpreter x, Instruction i) {
        Op op = i.op();
        if (op != Op.FWAIT && !X87.contains(op)) {
            return false;
        }
        X86CpuState c = x.cpu;
        if (op == Op.FWAIT) {
            if ((c.cr0 & X86CpuState.CR0_MP) != 0 && (c.cr0 & CR0_TS) != 0) {
                throw x.fault.raise(CpuFault.NM);
            }
            checkPending(x);
            return true;
        }
        if ((c.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw x.fault.raise(CpuFault.NM);
        }
        if (!NON_WAITING.contains(op)) {
            checkPending(x);
        }
        fp.setFcw(c.fcw);
        fp.flags = 0;
        switch (op) {
            case FADD, FIADD -> arith(x, i, A_ADD, op == Op.FIADD, false);
            case FADDP -> arith(x, i, A_ADD, false, true);
            case FSUB, FISUB -> arith(x, i, A_SUB, op == Op.FISUB, false);
            case FSUBP -> arith(x, i, A_SUB, false, true);
            case FSUBR, FISUBR -> arith(x, i, A_SUBR, op == Op.FISUBR, false);
            case FSUBRP -> arith(x, i, A_SUBR, false, true);
            case FMUL, FIMUL -> arith(x, i, A_MUL, op == Op.FIMUL, false);
            case FMULP -> arith(x, i, A_MUL, false, true);
            case FDIV, FIDIV -> arith(x, i, A_DIV, op == Op.FIDIV, false);
            case FDIVP -> arith(x, i, A_DIV, false, true);
            case FDIVR, FIDIVR -> arith(x, i, A_DIVR, op == Op.FIDIVR, false);
            case FDIVRP -> arith(x, i, A_DIVR, false, true);
            case FCOM, FICOM -> compare(x, i, op == Op.FICOM, false, 0);
            case FCOMP, FICOMP -> compare(x, i, op == Op.FICOMP, false, 1);
            case FCOMPP -> compare(x, i, false, false, 2);
            case FUCOM -> compare(x, i, false, true, 0);
            case FUCOMP -> compare(x, i, false, true, 1);
            case FUCOMPP -> compare(x, i, false, true, 2);
            case FCOMI, FCOMIP, FUCOMI, FUCOMIP -> comi(x, i, op == Op.FUCOMI || op == Op.FUCOMIP,
                    op == Op.FCOMIP || op == Op.FUCOMIP);
            case FTST -> ftst(x);
            case FXAM -> fxam(x);
            case FLD -> fld(x, i);
            case FILD -> fild(x, i);
            case FBLD -> fbld(x, i);
            case FLD1, FLDZ, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 -> loadConstant(x, op);
            case FST -> fst(x, i, false);
            case FSTP -> fst(x, i, true);
            case FIST -> fist(x, i, false, false);
            case FISTP -> fist(x, i, true, false);
            case FISTTP -> fist(x, i, true, true);
            case FBSTP -> fbstp(x, i);
            case FXCH -> fxch(x, i.operand(0).reg());
            case FCHS, FABS -> signOp(x, op == Op.FCHS);
            case FSQRT -> unaryArith(x, 0);
            case FRNDINT -> unaryArith(x, 1);
            case FSCALE -> fscale(x);
            case FXTRACT -> fxtract(x);
            case FPREM, FPREM1 -> fprem(x, op == Op.FPREM1);
            case FCMOVB, FCMOVE, FCMOVBE, FCMOVU, FCMOVNB, FCMOVNE, FCMOVNBE, FCMOVNU -> fcmov(x, i, op);
            case FSIN, FCOS, FPTAN, FSINCOS, F2XM1 -> transcendental(x, op);
            case FPATAN, FYL2X, FYL2XP1 -> transcendental2(x, op);
            case FFREE -> setEmpty(c, i.operand(0).reg());
            case FINCSTP, FDECSTP -> {
                setTopRotating(c, top(c) + (op == Op.FINCSTP ? 1 : -1));
                c.fsw &= ~C1;
            }
            case FNOP -> {
                // Nothing, but the x87 instruction pointers are updated.
            }
            case FNINIT -> fninit(c);
            case FNCLEX -> c.fsw &= ~(0x3f | FSW_SF | FSW_ES | FSW_B);
            case FNSTSW -> x.write(i.operand(0), c.fsw & 0xffff);
            case FNSTCW -> x.write(i.operand(0), c.fcw & 0xffff);
            case FLDCW -> {
                c.fcw = ((int) x.read(i.operand(0)) & 0x1f3f) | 0x40;
                updateSummary(c);
            }
            case FNSTENV -> {
                long la = x.address(i.operand(0));
                storeEnv(x, la, i.operandSize() != 2);
                c.fcw |= 0x3f;
            }
            case FLDENV -> {
                long la = x.address(i.operand(0));
                loadEnv(x, la, i.operandSize() != 2, false);
            }
            case FNSAVE -> fnsave(x, i);
            case FRSTOR -> {
                long la = x.address(i.operand(0));
                loadEnv(x, la, i.operandSize() != 2, true);
            }
            default -> {
                return false;
            }
        }
        if (!CONTROL.contains(op)) {
            c.fop = ((i.opcode() & 7) << 8) | (i.modrm() < 0 ? 0 : i.modrm() & 0xff);
            c.fip = i.ip();
            for (int k = 0; k < i.operandCount(); k++) {
                if (i.operand(k).isMem()) {
                    c.fdp = x.offset(i.operand(k));
                }
            }
        }
        return true;
    }

    /** #MF before a waiting instruction while an unmasked exception is pending (Vol 1 §8.7). */
    private static void checkPending(X86Interpreter x) {
        if ((x.cpu.fsw & FSW_ES) != 0 && (x.cpu.cr0 & X86CpuState.CR0_NE) != 0) {
            throw x.fault.raise(CpuFault.MF);
        }
    }

    // ---- The register stack -----------------------------------------------------------------------------------

    static int top(X86CpuState c) {
        return (c.fsw >>> 11) & 7;
    }

    private static int phys(X86CpuState c, int i) {
        return (top(c) + i) & 7;
    }

    static boolean isEmpty(X86CpuState c, int i) {
        return (c.ftw & (1 << phys(c, i))) == 0;
    }

    static void setEmpty(X86CpuState c, int i) {
        c.ftw &= ~(1 << phys(c, i));
    }

    private static void set(X86CpuState c, int i, long sig, int se) {
        c.st[2 * i] = sig;
        c.st[2 * i + 1] = se & 0xffff;
        c.ftw |= 1 << phys(c, i);
    }

    /**
     * Sets TOP to {@code newTop} (mod 8) keeping every physical register's contents: {@code st} is in stack order,
     * so it rotates with TOP.
     */
    static void setTopRotating(X86CpuState c, int newTop) {
        int t = top(c);
        int nt = newTop & 7;
        int k = (nt - t) & 7;
        if (k != 0) {
            long[] st = c.st;
            reverse(st, 0, k - 1);
            reverse(st, k, 7);
            reverse(st, 0, 7);
        }
        c.fsw = (c.fsw & ~TOP_MASK) | (nt << 11);
    }

    private static void reverse(long[] st, int from, int to) {
        while (from < to) {
            long a = st[2 * from];
            long b = st[2 * from + 1];
            st[2 * from] = st[2 * to];
            st[2 * from + 1] = st[2 * to + 1];
            st[2 * to] = a;
            st[2 * to + 1] = b;
            from++;
            to--;
        }
    }

    private static void push(X86CpuState c, long sig, int se) {
        setTopRotating(c, top(c) - 1);
        set(c, 0, sig, se);
    }

    private static void pop(X86CpuState c) {
        setEmpty(c, 0);
        setTopRotating(c, top(c) + 1);
    }

    private void unpackSt(X86CpuState c, int slot, int i) {
        fp.unpack(slot, EXTENDED, c.st[2 * i], (int) c.st[2 * i + 1]);
    }

    // ---- Flags ----------------------------------------------------------------------------------------------------

    /** Sets ES and B from the unmasked exception flags. */
    static void updateSummary(X86CpuState c) {
        if ((c.fsw & ~c.fcw & 0x3f) != 0) {
            c.fsw |= FSW_ES | FSW_B;
        } else {
            c.fsw &= ~(FSW_ES | FSW_B);
        }
    }

    /** Records exception flags and C1. */
    private static void record(X86CpuState c, int flags, boolean c1) {
        c.fsw |= flags & 0x3f;
        c.fsw = c1 ? c.fsw | C1 : c.fsw & ~C1;
        if ((flags & ~c.fcw & 0x3f) != 0) {
            c.fsw |= FSW_ES | FSW_B;
        }
    }

    /** Whether an unmasked invalid, denormal or divide-by-zero exception suppresses the result. */
    private static boolean preUnmasked(X86CpuState c, int flags) {
        return (flags & ~c.fcw & (IE | DE | ZE)) != 0;
    }

    /** A stack overflow or underflow (Vol 1 §8.5.1.1); true if masked (so the default response applies). */
    private static boolean stackFault(X86CpuState c, boolean overflow) {
        c.fsw |= IE | FSW_SF;
        c.fsw = overflow ? c.fsw | C1 : c.fsw & ~C1;
        if ((c.fcw & IE) == 0) {
            c.fsw |= FSW_ES | FSW_B;
            return false;
        }
        return true;
    }

    /** Records the flags of an operation whose result goes to ST(dst); returns false if it is suppressed. */
    private boolean finish(X86CpuState c, int flags) {
        if (preUnmasked(c, flags)) {
            record(c, flags & (IE | DE | ZE), false);
            return false;
        }
        record(c, flags, (flags & PE) != 0 && fp.roundedUp);
        return true;
    }

    // ---- Operands -------------------------------------------------------------------------------------------------

    /** Unpacks a memory operand into {@code slot}: m32/m64/m80 real, or m16/m32/m64 integer. */
    private void loadMem(X86Interpreter x, Operand o, int slot, boolean integer) {
        long la = x.address(o);
        int size = o.size();
        if (integer) {
            long v = x.load(la, size);
            v = v << (64 - 8 * size) >> (64 - 8 * size);
            int pc = fp.pc;
            fp.pc = 64;
            long sig = fp.fromInt(EXTENDED, v);
            fp.pc = pc;
            fp.unpack(slot, EXTENDED, sig, fp.se);
        } else if (size == 10) {
            long sig = x.load(la, 8);
            fp.unpack(slot, EXTENDED, sig, (int) x.load(la + 8, 2));
        } else {
            fp.unpack(slot, size == 4 ? SINGLE : DOUBLE, x.load(la, size), 0);
        }
    }

    // ---- Arithmetic -----------------------------------------------------------------------------------------------

    private void arith(X86Interpreter x, Instruction i, int kind, boolean integer, boolean pop) {
        X86CpuState c = x.cpu;
        int dst = 0;
        int src = -1;
        if (i.operand(0).isMem()) {
            loadMem(x, i.operand(0), 1, integer);
        } else {
            dst = i.operand(0).reg();
            src = i.operand(1).reg();
        }
        if (isEmpty(c, dst) || (src >= 0 && isEmpty(c, src))) {
            if (stackFault(c, false)) {
                set(c, dst, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                if (pop) {
                    pop(c);
                }
            }
            return;
        }
        unpackSt(c, 0, dst);
        if (src >= 0) {
            unpackSt(c, 1, src);
        }
        if (kind == A_SUBR || kind == A_DIVR) {
            swapSlots();
        }
        long r = switch (kind) {
            case A_ADD -> fp.add(EXTENDED, false);
            case A_SUB, A_SUBR -> fp.add(EXTENDED, true);
            case A_MUL -> fp.mul(EXTENDED);
            default -> fp.div(EXTENDED);
        };
        int se = fp.se;
        if (finish(c, fp.flags)) {
            set(c, dst, r, se);
            if (pop) {
                pop(c);
            }
        }
    }

    private void swapSlots() {
        int t;
        t = fp.cls[0];
        fp.cls[0] = fp.cls[1];
        fp.cls[1] = t;
        t = fp.sgn[0];
        fp.sgn[0] = fp.sgn[1];
        fp.sgn[1] = t;
        t = fp.exp[0];
        fp.exp[0] = fp.exp[1];
        fp.exp[1] = t;
        long s = fp.sig[0];
        fp.sig[0] = fp.sig[1];
        fp.sig[1] = s;
        boolean d = fp.den[0];
        fp.den[0] = fp.den[1];
        fp.den[1] = d;
    }

    /** FSQRT (0) and FRNDINT (1) on ST(0). */
    private void unaryArith(X86Interpreter x, int kind) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        unpackSt(c, 0, 0);
        long r;
        if (kind == 0) {
            r = fp.sqrt(EXTENDED);
        } else {
            fp.pc = 64;
            r = fp.roundToIntegral(EXTENDED, c.st[0], (int) c.st[1], fp.rc, false, true);
        }
        int se = fp.se;
        if (finish(c, fp.flags)) {
            set(c, 0, r, se);
        }
    }

    private void signOp(X86Interpreter x, boolean negate) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        c.st[1] = negate ? c.st[1] ^ 0x8000 : c.st[1] & 0x7fff;
        c.fsw &= ~C1;
    }

    // ---- Comparisons ----------------------------------------------------------------------------------------------

    private void compare(X86Interpreter x, Instruction i, boolean integer, boolean unordered, int pops) {
        X86CpuState c = x.cpu;
        int src = 1;
        if (i.operandCount() > 0) {
            Operand o = i.operand(0);
            if (o.isMem()) {
                loadMem(x, o, 1, integer);
                src = -1;
            } else {
                src = o.reg();
            }
        }
        int cc;
        boolean complete;
        if (isEmpty(c, 0) || (src >= 0 && isEmpty(c, src))) {
            complete = stackFault(c, false);
            cc = C3 | C2 | C0;
        } else {
            unpackSt(c, 0, 0);
            if (src >= 0) {
                unpackSt(c, 1, src);
            }
            int r = fp.compare(!unordered);
            complete = !preUnmasked(c, fp.flags);
            record(c, fp.flags, false);
            cc = conditionCodes(r);
        }
        // An unmasked invalid operation still reports "unordered"; only the pops are suppressed.
        c.fsw = (c.fsw & ~(C3 | C2 | C1 | C0)) | cc;
        for (int k = 0; complete && k < pops; k++) {
            pop(c);
        }
    }

    private static int conditionCodes(int r) {
        return switch (r) {
            case -1 -> C0;
            case 0 -> C3;
            case 1 -> 0;
            default -> C3 | C2 | C0;
        };
    }

    private void comi(X86Interpreter x, Instruction i, boolean unordered, boolean pop) {
        X86CpuState c = x.cpu;
        int src = i.operand(1).reg();
        long fl;
        boolean complete;
        if (isEmpty(c, 0) || isEmpty(c, src)) {
            complete = stackFault(c, false);
            fl = SseInstructions.ZF | SseInstructions.PF | SseInstructions.CF;
        } else {
            unpackSt(c, 0, 0);
            unpackSt(c, 1, src);
            int r = fp.compare(!unordered);
            complete = !preUnmasked(c, fp.flags);
            record(c, fp.flags, false);
            fl = switch (r) {
                case -1 -> SseInstructions.CF;
                case 0 -> SseInstructions.ZF;
                case 1 -> 0;
                default -> SseInstructions.ZF | SseInstructions.PF | SseInstructions.CF;
            };
        }
        long all = SseInstructions.CF | SseInstructions.PF | SseInstructions.AF | SseInstructions.ZF
                | SseInstructions.SF | SseInstructions.OF;
        c.rflags = (c.rflags & ~all) | fl;
        if (pop && complete) {
            pop(c);
        }
    }

    private void ftst(X86Interpreter x) {
        X86CpuState c = x.cpu;
        int cc;
        if (isEmpty(c, 0)) {
            stackFault(c, false);
            cc = C3 | C2 | C0;
        } else {
            unpackSt(c, 0, 0);
            fp.unpack(1, EXTENDED, 0, 0);
            int r = fp.compare(true);
            record(c, fp.flags, false);
            cc = conditionCodes(r);
        }
        c.fsw = (c.fsw & ~(C3 | C2 | C1 | C0)) | cc;
    }

    /** FXAM: the class of ST(0) in C3, C2, C0 and its sign in C1. */
    private static void fxam(X86Interpreter x) {
        X86CpuState c = x.cpu;
        int cls = isEmpty(c, 0) ? Float80.EMPTY : Float80.classify(c.st[0], (int) c.st[1]);
        int cc = ((cls & 4) != 0 ? C3 : 0) | ((cls & 2) != 0 ? C2 : 0) | ((cls & 1) != 0 ? C0 : 0)
                | ((c.st[1] & 0x8000) != 0 ? C1 : 0);
        c.fsw = (c.fsw & ~(C3 | C2 | C1 | C0)) | cc;
    }

    // ---- Loads and stores -----------------------------------------------------------------------------------------

    /** Pushes a value, or takes the stack-overflow response if ST(7) is in use; false if nothing was pushed. */
    private static boolean pushChecked(X86CpuState c, long sig, int se) {
        if (!isEmpty(c, 7)) {
            if (stackFault(c, true)) {
                push(c, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return false;
        }
        push(c, sig, se);
        return true;
    }

    private void fld(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        Operand o = i.operand(0);
        long sig;
        int se;
        if (o.isReg()) {
            int src = o.reg();
            if (isEmpty(c, src)) {
                if (stackFault(c, false)) {
                    push(c, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE); // C1 reports the underflow
                }
                return;
            }
            sig = c.st[2 * src];
            se = (int) c.st[2 * src + 1];
        } else if (o.size() == 10) {
            long la = x.address(o);
            sig = x.load(la, 8);
            se = (int) x.load(la + 8, 2);
        } else {
            loadMem(x, o, 0, false);
            fp.pc = 64;
            sig = fp.convert(EXTENDED);
            se = fp.se;
            if (!isEmpty(c, 7)) {
                pushChecked(c, sig, se);
                return;
            }
            if ((fp.flags & ~c.fcw & IE) != 0) {              // an unmasked denormal operand still loads
                record(c, fp.flags & IE, false);
                return;
            }
            record(c, fp.flags, false);
        }
        if (pushChecked(c, sig, se)) {
            c.fsw &= ~C1;
        }
    }

    private void fild(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        loadMem(x, i.operand(0), 0, true);
        long sig = fp.sig[0];
        int se = fp.cls[0] == FpArith.ZERO ? 0 : (fp.sgn[0] << 15) | (fp.exp[0] + 16383);
        if (pushChecked(c, sig, se)) {
            c.fsw &= ~C1;
        }
    }

    /** FBLD: 18 packed BCD digits and a sign byte (Vol 1 §4.7). */
    private void fbld(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        long la = x.address(i.operand(0));
        long lo = x.load(la, 8);
        long hi = x.load(la + 8, 2);
        long v = 0;
        for (int k = 8; k >= 0; k--) {
            int b = (int) ((k == 8 ? hi : lo >>> (8 * k)) & 0xff);
            v = v * 100 + (b >>> 4) * 10L + (b & 0xf);
        }
        fp.pc = 64;
        long sig = fp.fromInt(EXTENDED, v);
        int se = fp.se | ((hi & 0x8000) != 0 ? 0x8000 : 0);
        if (pushChecked(c, sig, se)) {
            c.fsw &= ~C1;
        }
    }

    private void loadConstant(X86Interpreter x, Op op) {
        long sig;
        int se;
        switch (op) {
            case FLD1 -> {
                sig = Float80.ONE_SIG;
                se = Float80.ONE_SE;
            }
            case FLDZ -> {
                sig = 0;
                se = 0;
            }
            default -> {
                long[] k = Float80.CONSTANTS[switch (op) {
                    case FLDL2T -> 0;
                    case FLDL2E -> 1;
                    case FLDPI -> 2;
                    case FLDLG2 -> 3;
                    default -> 4;
                }];
                boolean up = switch (fp.rc) {
                    case FpArith.RN -> k[1] < 0;
                    case FpArith.RU -> true;
                    default -> false;
                };
                sig = k[0] + (up ? 1 : 0);
                se = (int) k[2] + 16383;
            }
        }
        if (pushChecked(x.cpu, sig, se)) {
            x.cpu.fsw &= ~C1;
        }
    }

    private void fst(X86Interpreter x, Instruction i, boolean pop) {
        X86CpuState c = x.cpu;
        Operand o = i.operand(0);
        boolean empty = isEmpty(c, 0);
        if (o.isReg()) {
            if (empty) {
                if (!stackFault(c, false)) {
                    return;
                }
                set(c, o.reg(), Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            } else {
                set(c, o.reg(), c.st[0], (int) c.st[1]);
                c.fsw &= ~C1;
            }
            if (pop) {
                pop(c);
            }
            return;
        }
        long la = x.address(o);
        int size = o.size();
        if (size == 10) {
            long sig = empty ? Float80.INDEFINITE_SIG : c.st[0];
            long se = empty ? Float80.INDEFINITE_SE : c.st[1];
            if (empty && !stackFault(c, false)) {
                return;
            }
            x.mem.probeWrite(la, 10, x.user());
            x.store(la, 8, sig);
            x.store(la + 8, 2, se);
            if (!empty) {
                c.fsw &= ~C1;
            }
        } else {
            int f = size == 4 ? SINGLE : DOUBLE;
            long v;
            if (empty) {
                if (!stackFault(c, false)) {
                    return;
                }
                v = fp.defaultNaN(f);
            } else {
                unpackSt(c, 0, 0);
                v = fp.convert(f);
                int flags = fp.flags & ~DE;
                if ((flags & ~c.fcw & (IE | OE | UE)) != 0) {
                    record(c, flags & (IE | OE | UE), false);       // nothing stored, so nothing inexact
                    return;
                }
                x.mem.probeWrite(la, size, x.user());
                record(c, flags, (flags & PE) != 0 && fp.roundedUp);
            }
            x.store(la, size, v);
        }
        if (pop) {
            pop(c);
        }
    }

    private void fist(X86Interpreter x, Instruction i, boolean pop, boolean truncate) {
        X86CpuState c = x.cpu;
        Operand o = i.operand(0);
        long la = x.address(o);
        int size = o.size();
        long v;
        if (isEmpty(c, 0)) {
            if (!stackFault(c, false)) {
                return;
            }
            v = 1L << (8 * size - 1);
        } else {
            unpackSt(c, 0, 0);
            v = fp.toInt(size, truncate ? FpArith.RZ : fp.rc);
            if (preUnmasked(c, fp.flags)) {
                record(c, fp.flags, false);
                return;
            }
            x.mem.probeWrite(la, size, x.user());
            record(c, fp.flags, (fp.flags & PE) != 0 && fp.roundedUp);
        }
        x.store(la, size, v);
        if (pop) {
            pop(c);
        }
    }

    private static final long BCD_MAX = 999_999_999_999_999_999L;

    /** FBSTP: ST(0) rounded per RC to 18 packed BCD digits; the BCD indefinite when out of range. */
    private void fbstp(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        long la = x.address(i.operand(0));
        long lo;
        long hi;
        if (isEmpty(c, 0)) {
            if (!stackFault(c, false)) {
                return;
            }
            lo = 0xC000000000000000L;
            hi = 0xFFFF;
        } else {
            unpackSt(c, 0, 0);
            int sign = fp.sgn[0];
            long v = fp.toInt(8, fp.rc);
            if ((fp.flags & IE) == 0 && (v > BCD_MAX || v < -BCD_MAX)) {
                fp.flags = (fp.flags & ~PE) | IE;
            }
            if (preUnmasked(c, fp.flags)) {
                record(c, fp.flags, false);
                return;
            }
            record(c, fp.flags, (fp.flags & PE) != 0 && fp.roundedUp);
            if ((fp.flags & IE) != 0) {
                lo = 0xC000000000000000L;
                hi = 0xFFFF;
            } else {
                long m = Math.abs(v);
                lo = 0;
                for (int k = 0; k < 8; k++) {
                    long two = m % 100;
                    m /= 100;
                    lo |= ((two / 10) << 4 | (two % 10)) << (8 * k);
                }
                long two = m % 100;
                hi = ((two / 10) << 4 | (two % 10)) | (sign != 0 ? 0x8000 : 0);
            }
        }
        x.mem.probeWrite(la, 10, x.user());
        x.store(la, 8, lo);
        x.store(la + 8, 2, hi);
        pop(c);
    }

    private void fxch(X86Interpreter x, int r) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0) || isEmpty(c, r)) {
            if (!stackFault(c, false)) {
                return;
            }
            if (isEmpty(c, 0)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            if (isEmpty(c, r)) {
                set(c, r, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
        } else {
            c.fsw &= ~C1;
        }
        long sig = c.st[0];
        long se = c.st[1];
        c.st[0] = c.st[2 * r];
        c.st[1] = c.st[2 * r + 1];
        c.st[2 * r] = sig;
        c.st[2 * r + 1] = se;
    }

    private void fcmov(X86Interpreter x, Instruction i, Op op) {
        X86CpuState c = x.cpu;
        int src = i.operand(1).reg();
        if (isEmpty(c, 0) || isEmpty(c, src)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        long f = c.rflags;
        boolean cf = (f & SseInstructions.CF) != 0;
        boolean zf = (f & SseInstructions.ZF) != 0;
        boolean pf = (f & SseInstructions.PF) != 0;
        boolean move = switch (op) {
            case FCMOVB -> cf;
            case FCMOVE -> zf;
            case FCMOVBE -> cf || zf;
            case FCMOVU -> pf;
            case FCMOVNB -> !cf;
            case FCMOVNE -> !zf;
            case FCMOVNBE -> !cf && !zf;
            default -> !pf;
        };
        if (move) {
            set(c, 0, c.st[2 * src], (int) c.st[2 * src + 1]);
        }
        c.fsw &= ~C1;
    }

    // ---- FSCALE, FXTRACT, FPREM -----------------------------------------------------------------------------------

    private void fscale(X86Interpreter x) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0) || isEmpty(c, 1)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        unpackSt(c, 0, 0);
        unpackSt(c, 1, 1);
        fp.pc = 64;
        long r;
        int c0 = fp.cls[0];
        int c1 = fp.cls[1];
        if (c0 >= FpArith.QNAN || c1 >= FpArith.QNAN) {
            r = fp.propagate(EXTENDED, 2);
        } else if (c1 == FpArith.INF) {
            boolean down = fp.sgn[1] != 0;
            if ((down && c0 == FpArith.INF) || (!down && c0 == FpArith.ZERO)) {
                r = fp.invalid(EXTENDED);
            } else {
                r = down || c0 == FpArith.ZERO ? fp.packZero(EXTENDED, fp.sgn[0]) : fp.packInf(EXTENDED, fp.sgn[0]);
                if (fp.den[0]) {
                    fp.flags |= DE;
                }
            }
        } else {
            if (fp.den[0] || fp.den[1]) {
                fp.flags |= DE;
            }
            if (c0 == FpArith.ZERO || c0 == FpArith.INF) {
                r = c0 == FpArith.ZERO ? fp.packZero(EXTENDED, fp.sgn[0]) : fp.packInf(EXTENDED, fp.sgn[0]);
            } else {
                int n;
                int e1 = fp.exp[1];
                if (c1 == FpArith.ZERO || e1 < 0) {
                    n = 0;
                } else if (e1 > 20) {
                    n = 1 << 21;
                } else {
                    n = (int) (fp.sig[1] >>> (63 - e1));
                }
                if (fp.sgn[1] != 0) {
                    n = -n;
                }
                r = fp.round(EXTENDED, fp.sgn[0], fp.exp[0] + n, fp.sig[0], 0);
            }
        }
        int se = fp.se;
        if (finish(c, fp.flags)) {
            set(c, 0, r, se);
        }
    }

    private void fxtract(X86Interpreter x) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                push(c, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE); // C1 reports the underflow
            }
            return;
        }
        if (!isEmpty(c, 7)) {
            if (stackFault(c, true)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                push(c, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        unpackSt(c, 0, 0);
        fp.pc = 64;
        long expSig;
        int expSe;
        long sigSig;
        int sigSe;
        switch (fp.cls[0]) {
            case FpArith.QNAN, FpArith.SNAN, FpArith.UNSUPPORTED -> {
                expSig = fp.propagate(EXTENDED, 1);
                expSe = fp.se;
                sigSig = expSig;
                sigSe = expSe;
            }
            case FpArith.ZERO -> {
                fp.flags |= ZE;
                expSig = fp.packInf(EXTENDED, 1);
                expSe = fp.se;
                sigSig = 0;
                sigSe = fp.sgn[0] << 15;
            }
            case FpArith.INF -> {
                expSig = fp.packInf(EXTENDED, 0);
                expSe = fp.se;
                sigSig = 1L << 63;
                sigSe = (fp.sgn[0] << 15) | 0x7fff;
            }
            default -> {
                if (fp.den[0]) {
                    fp.flags |= DE;
                }
                sigSig = fp.sig[0];
                sigSe = (fp.sgn[0] << 15) | 16383;
                expSig = fp.fromInt(EXTENDED, fp.exp[0]);
                expSe = fp.se;
            }
        }
        if (finish(c, fp.flags)) {
            set(c, 0, expSig, expSe);
            push(c, sigSig, sigSe);
        }
    }

    /**
     * FPREM/FPREM1: the exact partial remainder ST(0) - Q × ST(1), Q truncated (FPREM) or rounded to nearest even
     * (FPREM1). An exponent difference of 64 or more reduces by a power-of-two multiple only and sets C2.
     */
    private void fprem(X86Interpreter x, boolean ieee) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0) || isEmpty(c, 1)) {
            if (stackFault(c, false)) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
            }
            return;
        }
        unpackSt(c, 0, 0);
        unpackSt(c, 1, 1);
        fp.pc = 64;
        int c0 = fp.cls[0];
        int c1 = fp.cls[1];
        long r;
        int cc = 0;
        if (c0 >= FpArith.QNAN || c1 >= FpArith.QNAN) {
            r = fp.propagate(EXTENDED, 2);
        } else if (c0 == FpArith.INF || c1 == FpArith.ZERO) {
            r = fp.invalid(EXTENDED);
        } else {
            if (fp.den[0] || fp.den[1]) {
                fp.flags |= DE;
            }
            if (c0 == FpArith.ZERO) {
                r = fp.packZero(EXTENDED, fp.sgn[0]);
            } else if (c1 == FpArith.INF) {
                r = fp.round(EXTENDED, fp.sgn[0], fp.exp[0], fp.sig[0], 0);      // ST(0), normalised
            } else {
                int d = fp.exp[0] - fp.exp[1];
                int s = fp.sgn[0];
                if (d < 0) {
                    r = fp.round(EXTENDED, s, fp.exp[0], fp.sig[0], 0);
                    if (ieee && d == -1 && Long.compareUnsigned(fp.sig[0], fp.sig[1]) > 0) {
                        // |ST0| > |ST1|/2: the nearest quotient is 1.
                        r = remainder(s, 0, ieee, 0);
                        cc = C1;
                    }
                } else if (d < 64) {
                    r = remainder(s, d, ieee, 0);
                    long q = lastQuotient;
                    cc = ((q & 4) != 0 ? C0 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 1) != 0 ? C1 : 0);
                } else {
                    int n = 32 + (d - 64) % 32;
                    r = remainder(s, n, false, d - n);
                    cc = C2;
                }
            }
        }
        int se = fp.se;
        if (preUnmasked(c, fp.flags)) {
            record(c, fp.flags & (IE | DE | ZE), false);
            return;
        }
        record(c, fp.flags, false);
        c.fsw = (c.fsw & ~(C3 | C2 | C1 | C0)) | cc;
        set(c, 0, r, se);
    }

    private long lastQuotient;

    /**
     * The remainder of |ST0| (scaled by 2^shift relative to ST1's exponent) by |ST1|: A = sig0 × 2^shift,
     * R = A - Q × sig1, at ST1's bit weights times 2^scale. d == 0 with ieee and d == -1 are handled by the caller
     * through shift 0 with A = sig0 / 2... here shift is the exponent difference.
     */
    private long remainder(int sign, int shift, boolean ieee, int scale) {
        java.math.BigInteger a = FpArith.unsigned(fp.sig[0]);
        java.math.BigInteger b = FpArith.unsigned(fp.sig[1]);
        int lsb = fp.exp[1] - 63 + scale;
        if (fp.exp[0] < fp.exp[1]) {
            // d == -1: A is sig0 at half of ST1's weights; work one bit finer.
            b = b.shiftLeft(1);
            lsb -= 1;
        } else {
            a = a.shiftLeft(shift);
        }
        java.math.BigInteger[] qr = a.divideAndRemainder(b);
        java.math.BigInteger q = qr[0];
        java.math.BigInteger rem = qr[1];
        int resultSign = sign;
        if (ieee) {
            int cmp = rem.shiftLeft(1).compareTo(b);
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
                q = q.add(java.math.BigInteger.ONE);
                rem = b.subtract(rem);
                resultSign ^= 1;
            }
        }
        lastQuotient = q.longValue();
        if (rem.signum() == 0) {
            return fp.packZero(EXTENDED, sign);
        }
        int n = rem.bitLength();
        long m = rem.shiftLeft(64 - n).longValue();
        return fp.round(EXTENDED, resultSign, lsb + n - 1, m, 0);
    }

    // ---- Transcendental instructions (extended precision, X87Math) ----------------------------------------------

    /**
     * FSIN, FCOS, F2XM1 replace ST(0); FPTAN replaces it with tan and pushes 1.0; FSINCOS replaces it with sin and
     * pushes cos. An operand of magnitude 2^63 or more sets C2 and changes nothing (except for F2XM1).
     */
    private void transcendental(X86Interpreter x, Op op) {
        X86CpuState c = x.cpu;
        boolean pushes = op == Op.FPTAN || op == Op.FSINCOS;
        if (isEmpty(c, 0) || (pushes && !isEmpty(c, 7))) {
            if (stackFault(c, !isEmpty(c, 0))) {
                set(c, 0, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                if (pushes) {
                    push(c, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                }
            }
            return;
        }
        unpackSt(c, 0, 0);
        fp.roundedUp = false;
        int cls = fp.cls[0];
        long aSig;
        int aSe;
        long bSig;
        int bSe;
        if (cls >= FpArith.QNAN || (cls == FpArith.INF && op != Op.F2XM1)) {
            aSig = cls >= FpArith.QNAN ? fp.propagate(EXTENDED, 1) : fp.invalid(EXTENDED);
            aSe = fp.se;
            bSig = aSig;
            bSe = aSe;
        } else if (op != Op.F2XM1 && cls == FpArith.FINITE && fp.exp[0] >= 63) {
            c.fsw = (c.fsw | C2) & ~C1;
            return;
        } else {
            if (fp.den[0]) {
                fp.flags |= DE;
            }
            if (cls == FpArith.ZERO) {
                aSig = c.st[0];                                 // sin, tan, 2^x - 1 of ±0 are ±0, cos 0 = 1
                aSe = (int) c.st[1];
                bSig = Float80.ONE_SIG;
                bSe = Float80.ONE_SE;
                if (op == Op.FCOS) {
                    aSig = bSig;
                    aSe = bSe;
                }
            } else if (cls == FpArith.INF) {
                aSig = fp.sgn[0] != 0 ? Float80.ONE_SIG : c.st[0];  // 2^+inf - 1 = +inf, 2^-inf - 1 = -1
                aSe = fp.sgn[0] != 0 ? Float80.ONE_SE | 0x8000 : (int) c.st[1];
                bSig = aSig;
                bSe = aSe;
            } else if (op == Op.F2XM1 && fp.exp[0] >= 0 && (fp.exp[0] > 0 || fp.sig[0] != Long.MIN_VALUE)) {
                aSig = c.st[0];                                 // F2XM1 outside [-1, 1]: the operand, inexact
                aSe = (int) c.st[1];
                bSig = aSig;
                bSe = aSe;
                fp.flags |= PE;
                fp.roundedUp = false;
            } else {
                boolean neg = fp.sgn[0] != 0;
                long sig = fp.sig[0];
                int e = fp.exp[0];
                X87Math.Big a;
                X87Math.Big b = null;
                if (op == Op.F2XM1) {
                    a = X87Math.exp2m1(neg, sig, e);
                    fp.flags |= PE;                                 // also for 2^-1 - 1 = -1/2
                } else {
                    X87Math.Big[] sc = X87Math.sinCos(neg, sig, e);
                    a = switch (op) {
                        case FCOS -> sc[1];
                        case FPTAN -> sc[2] != null ? sc[2] : X87Math.divide(sc[0], sc[1]);
                        default -> sc[0];
                    };
                    b = op == Op.FSINCOS ? sc[1] : null;
                }
                if (b != null) {
                    // FSINCOS: cos goes to the new ST(0), sin to ST(1); C1 reports the rounding of sin.
                    bSig = X87Math.round(fp, b);
                    bSe = fp.se;
                    aSig = X87Math.round(fp, a);
                    aSe = fp.se;
                } else {
                    aSig = X87Math.round(fp, a);
                    aSe = fp.se;
                    bSig = Float80.ONE_SIG;
                    bSe = Float80.ONE_SE;
                }
            }
        }
        if (!finish(c, fp.flags)) {
            return;
        }
        c.fsw &= ~C2;
        set(c, 0, aSig, aSe);
        if (pushes) {
            push(c, bSig, bSe);
        }
    }

    /** FPATAN, FYL2X, FYL2XP1: ST(1) ← f(ST(1), ST(0)), then pop. */
    private void transcendental2(X86Interpreter x, Op op) {
        X86CpuState c = x.cpu;
        if (isEmpty(c, 0) || isEmpty(c, 1)) {
            if (stackFault(c, false)) {
                set(c, 1, Float80.INDEFINITE_SIG, Float80.INDEFINITE_SE);
                pop(c);
            }
            return;
        }
        unpackSt(c, 0, 1);
        unpackSt(c, 1, 0);
        fp.roundedUp = false;
        long r;
        int se;
        if (fp.cls[0] >= FpArith.QNAN || fp.cls[1] >= FpArith.QNAN) {
            r = fp.propagate(EXTENDED, 2);
            se = fp.se;
        } else {
            if (fp.den[0] || fp.den[1]) {
                fp.flags |= DE;
            }
            long[] out = new long[2];
            special(op, out);
            r = out[0];
            se = (int) out[1];
        }
        if (!finish(c, fp.flags)) {
            return;
        }
        set(c, 1, r, se);
        pop(c);
    }

    /**
     * The result of FPATAN, FYL2X or FYL2XP1 for slot 0 = ST(1) = y and slot 1 = ST(0) = x (neither a NaN nor
     * unsupported) into {@code out} = {sig, se}, with the flags in {@code fp}: the special cases of SDM Vol 2
     * "FPATAN", "FYL2X" and "FYL2XP1" and of this host's x87, else the value computed by {@link X87Math} and
     * rounded once.
     */
    private void special(Op op, long[] out) {
        int ys = fp.sgn[0];
        int xs = fp.sgn[1];
        int yc = fp.cls[0];
        int xc = fp.cls[1];
        X87Math.Big v;
        if (op == Op.FPATAN) {
            if (yc == FpArith.FINITE && xc == FpArith.FINITE) {
                v = X87Math.atan2(ys != 0, fp.sig[0], fp.exp[0], xs != 0, fp.sig[1], fp.exp[1]);
            } else {
                // A zero or an infinity: 0, π/4, π/2, 3π/4 or π with y's sign.
                int quarters;
                if (yc == FpArith.INF) {
                    quarters = xc == FpArith.INF ? (xs != 0 ? 3 : 1) : 2;
                } else if (yc == FpArith.ZERO || xc == FpArith.INF) {
                    quarters = xs != 0 ? 4 : 0;
                } else {
                    quarters = 2;                                   // x = ±0, y finite non-zero
                }
                if (quarters == 0) {
                    out[0] = 0;
                    out[1] = ys << 15;
                    return;
                }
                v = X87Math.piQuarters(quarters);
                if (ys != 0) {
                    v = v.negate();
                }
            }
            out[0] = X87Math.round(fp, v);
            out[1] = fp.se;
            return;
        }
        // The logarithm's class and sign: FINITE (non-zero), ZERO or INF; -1 for an invalid operand.
        boolean p1 = op == Op.FYL2XP1;
        int lc;
        int ls;
        if (xc == FpArith.INF) {
            lc = xs != 0 ? -1 : FpArith.INF;
            ls = 0;
        } else if (xc == FpArith.ZERO) {
            lc = p1 ? FpArith.ZERO : FpArith.INF;                  // log2(1 ± 0) = ±0, log2(±0) = -inf
            ls = p1 ? xs : 1;
        } else if (!p1) {
            boolean one = fp.exp[1] == 0 && fp.sig[1] == Long.MIN_VALUE;
            lc = xs != 0 ? -1 : one ? FpArith.ZERO : FpArith.FINITE;
            ls = fp.exp[1] < 0 ? 1 : 0;
        } else {
            lc = FpArith.FINITE;
            ls = xs;
            if (xs != 0 && fp.exp[1] >= 0 && yc == FpArith.FINITE) {
                // FYL2XP1 with x <= -1 (outside its domain) and y finite non-zero: this host's x87 returns x, PE.
                out[0] = fp.sig[1];
                out[1] = 0x8000 | (fp.exp[1] + 16383);
                fp.flags |= PE;
                return;
            }
        }
        int rs = ys ^ ls;
        if (lc < 0 || (yc == FpArith.ZERO && lc == FpArith.INF) || (yc == FpArith.INF && lc == FpArith.ZERO)) {
            fp.flags &= ~DE;                                        // the invalid operation takes priority
            out[0] = fp.invalid(EXTENDED);
            out[1] = fp.se;
        } else if (yc == FpArith.INF || lc == FpArith.INF) {
            if (yc == FpArith.FINITE && xc == FpArith.ZERO) {
                fp.flags |= ZE;                                     // y × log2(0), y finite non-zero
            }
            out[0] = Long.MIN_VALUE;
            out[1] = (rs << 15) | 0x7fff;
        } else if (yc == FpArith.ZERO || lc == FpArith.ZERO) {
            out[0] = 0;
            out[1] = rs << 15;
        } else {
            X87Math.Big l = p1 ? X87Math.log2p1(xs != 0, fp.sig[1], fp.exp[1])
                    : X87Math.log2(FpArith.unsigned(fp.sig[1]), fp.exp[1] - 63);
            v = new X87Math.Big(l.m().multiply(FpArith.unsigned(fp.sig[0])), l.e() + fp.exp[0] - 63, l.tail());
            if (ys != 0) {
                v = v.negate();
            }
            out[0] = X87Math.round(fp, v);
            out[1] = fp.se;
            if (l.exact()) {
                fp.flags |= PE;                                     // an integer logarithm: PE all the same
            }
        }
    }

    // ---- Control ---------------------------------------------------------------------------------------------------

    /** FNINIT (Vol 1 §8.1.10 Table 8-3): the register contents are kept, only TOP, tags and control change. */
    static void fninit(X86CpuState c) {
        setTopRotating(c, 0);
        c.fcw = 0x37f;
        c.fsw = 0;
        c.ftw = 0;
        c.fop = 0;
        c.fip = 0;
        c.fdp = 0;
    }

    /** The full 16-bit tag word (two bits per physical register) from the abridged one and the contents. */
    static int fullTagWord(X86CpuState c) {
        int t = top(c);
        int tw = 0;
        for (int p = 0; p < 8; p++) {
            int tag;
            if ((c.ftw & (1 << p)) == 0) {
                tag = 3;
            } else {
                int i = (p - t) & 7;
                tag = Float80.tag(c.st[2 * i], (int) c.st[2 * i + 1]);
            }
            tw |= tag << (2 * p);
        }
        return tw;
    }

    static int abridged(int fullTagWord) {
        int a = 0;
        for (int p = 0; p < 8; p++) {
            if (((fullTagWord >>> (2 * p)) & 3) != 3) {
                a |= 1 << p;
            }
        }
        return a;
    }

    /** FNSTENV's image (Vol 1 Figures 8-9, 8-10): 28 bytes with 32-bit operands, 14 with 16-bit. */
    private static void storeEnv(X86Interpreter x, long la, boolean bits32) {
        X86CpuState c = x.cpu;
        x.mem.probeWrite(la, bits32 ? 28 : 14, x.user());
        if (bits32) {
            x.store(la, 4, 0xffff0000L | c.fcw);
            x.store(la + 4, 4, 0xffff0000L | c.fsw);
            x.store(la + 8, 4, 0xffff0000L | fullTagWord(c));
            x.store(la + 12, 4, c.fip);
            x.store(la + 16, 4, (long) (c.fop & 0x7ff) << 16);
            x.store(la + 20, 4, c.fdp);
            x.store(la + 24, 4, 0xffff0000L);
        } else {
            x.store(la, 2, c.fcw);
            x.store(la + 2, 2, c.fsw);
            x.store(la + 4, 2, fullTagWord(c));
            x.store(la + 6, 2, c.fip);
            x.store(la + 8, 2, 0);
            x.store(la + 10, 2, c.fdp);
            x.store(la + 12, 2, 0);
        }
    }

    /** FLDENV/FRSTOR: everything is read before any state changes. */
    private void loadEnv(X86Interpreter x, long la, boolean bits32, boolean registers) {
        X86CpuState c = x.cpu;
        int w = bits32 ? 4 : 2;
        int fcw = (int) x.load(la, 2);
        int fsw = (int) x.load(la + w, 2);
        int tw = (int) x.load(la + 2L * w, 2);
        long fip = x.load(la + 3L * w, w);
        int fop = bits32 ? (int) (x.load(la + 16, 4) >>> 16) & 0x7ff : c.fop;
        long fdp = x.load(la + 5L * w, w);
        if (registers) {
            long base = la + 7L * w;
            for (int k = 0; k < 8; k++) {
                image[2 * k] = x.load(base + 10L * k, 8);
                image[2 * k + 1] = x.load(base + 10L * k + 8, 2);
            }
        }
        c.fcw = (fcw & 0x1f3f) | 0x40;
        setTopRotating(c, (fsw >>> 11) & 7);
        c.fsw = fsw;
        c.ftw = abridged(tw);
        c.fip = fip;
        c.fop = fop;
        c.fdp = fdp;
        if (registers) {
            System.arraycopy(image, 0, c.st, 0, 16);
        }
        updateSummary(c);
    }

    private void fnsave(X86Interpreter x, Instruction i) {
        X86CpuState c = x.cpu;
        boolean bits32 = i.operandSize() != 2;
        long la = x.address(i.operand(0));
        int envSize = bits32 ? 28 : 14;
        x.mem.probeWrite(la, envSize + 80, x.user());
        storeEnv(x, la, bits32);
        for (int k = 0; k < 8; k++) {
            x.store(la + envSize + 10L * k, 8, c.st[2 * k]);
            x.store(la + envSize + 10L * k + 8, 2, c.st[2 * k + 1]);
        }
        fninit(c);
    }
}
