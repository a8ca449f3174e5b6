package org.hyperport.x86.interp;

import static org.hyperport.x86.interp.FpArith.DOUBLE;
import static org.hyperport.x86.interp.FpArith.SINGLE;

import java.util.EnumSet;
import java.util.Set;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * The SIMD instructions: MMX (SDM Vol 1 Ch. 9), SSE (Ch. 10), SSE2 (Ch. 11), SSE3, SSSE3 and SSE4.1 (Ch. 12), with
 * their state management (MXCSR, FXSAVE/FXRSTOR, EMMS; Vol 1 §10.5, §11.6).
 *
 * <p>Floating-point lanes go through {@link FpArith}, so every MXCSR rounding mode, DAZ, FTZ and the six exception
 * flags are exact. Exceptions follow Vol 1 §11.5.2: pre-computation exceptions (invalid, denormal, divide-by-zero)
 * of all lanes are gathered first; if any is unmasked, only those flags are recorded and #XM (or #UD when
 * CR4.OSXMMEXCPT is clear) is raised with the destination unchanged; otherwise the post-computation flags are
 * added and an unmasked one raises the exception, again leaving the destination unchanged.
 *
 * <p>Checks (Vol 2 §2.5, "exception types"): CR0.EM or a clear CR4.OSFXSR is #UD for instructions on XMM
 * registers, CR0.EM is #UD for MMX instructions, CR0.TS is #NM, a pending x87 exception is #MF for MMX
 * instructions, and a misaligned 16-byte memory operand is #GP(0) except for the unaligned moves. MMX instructions
 * switch the x87 unit to MMX use (TOP = 0, all tags valid) and write 1s into the exponent of the register they write.
 *
 * <p>Not implemented (they raise #UD): SSE4.2 string compares, AES, SHA, PCLMULQDQ. RCPSS/RCPPS and
 * RSQRTSS/RSQRTPS return the correctly rounded reciprocal (root) rather than the hardware's 12-bit approximation,
 * which is within the SDM's error bound but not bit-identical.
 *
 * <p>One instance per vCPU: it holds scratch state.
 */
public final class SseInstructions implements X86Interpreter.Semantics {

    static final long CR0_EM = 1 << 2, CR0_TS = 1 << 3;
    static final int MXCSR_MASK = 0xFFFF;

    static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;

    /** Instructions whose 16-byte memory operand may be misaligned. */
    private static final Set<Op> UNALIGNED = EnumSet.of(Op.MOVUPS, Op.MOVUPD, Op.MOVDQU, Op.LDDQU);

    private final FpArith fp = new FpArith();
    private final long[] d = new long[2];
    private final long[] s = new long[2];
    private final long[] r = new long[2];
    private final long[] ea = new long[16];
    private final long[] eb = new long[16];
    private final long[] er = new long[32];
    private int pre;
    private int post;

    public SseInstructions() {
    }

    // Integer lane operations.
    private static final int K_ADD = 0, K_SUB = 1, K_ADDS = 2, K_ADDUS = 3, K_SUBS = 4, K_SUBUS = 5, K_MULL = 6,
            K_MULH = 7, K_MULHU = 8, K_AVG = 9, K_MINU = 10, K_MAXU = 11, K_MINS = 12, K_MAXS = 13, K_EQ = 14,
            K_GT = 15, K_AND = 16, K_ANDN = 17, K_OR = 18, K_XOR = 19, K_ABS = 20, K_SIGN = 21, K_MULHRS = 22;
    // Floating-point lane operations.
    private static final int F_ADD = 0, F_SUB = 1, F_MUL = 2, F_DIV = 3, F_MIN = 4, F_MAX = 5, F_SQRT = 6;

    @Override
    public boolean execute(X86Interpreter x, Instruction i) {
        Op op = i.op();
        switch (op) {
            // ---- Moves ----
            case MOVUPS, MOVUPD, MOVAPS, MOVAPD, MOVDQA, MOVDQU, MOVNTPS, MOVNTPD, MOVNTDQ, LDDQU, MOVNTDQA ->
                    move128(x, i);
            case MOVSS -> moveScalar(x, i, 4);
            case MOVSD -> moveScalar(x, i, 8);
            case MOVLPS, MOVLPD -> moveHalf(x, i, false);
            case MOVHPS, MOVHPD -> moveHalf(x, i, true);
            case MOVHLPS -> {
                sse(x);
                int dr = i.operand(0).reg();
                x.cpu.xmm[2 * dr] = x.cpu.xmm[2 * i.operand(1).reg() + 1];
            }
            case MOVLHPS -> {
                sse(x);
                int dr = i.operand(0).reg();
                x.cpu.xmm[2 * dr + 1] = x.cpu.xmm[2 * i.operand(1).reg()];
            }
            case MOVSLDUP, MOVSHDUP, MOVDDUP -> moveDup(x, i);
            case MOVD, MOVQ -> moveDq(x, i);
            case MOVQ2DQ -> {
                sse(x);
                mmxState(x);
                setXmm(x.cpu, i.operand(0).reg(), mmx(x.cpu, i.operand(1).reg()), 0);
            }
            case MOVDQ2Q -> {
                sse(x);
                mmxState(x);
                setMmx(x.cpu, i.operand(0).reg(), x.cpu.xmm[2 * i.operand(1).reg()]);
            }
            case MOVNTI -> {
                sse(x);
                x.write(i.operand(0), x.read(i.operand(1)));
            }
            case MOVNTQ -> {
                vectorCheck(x, i);
                x.write(i.operand(0), mmx(x.cpu, i.operand(1).reg()));
            }
            case MOVMSKPS, MOVMSKPD, PMOVMSKB -> moveMask(x, i, op);
            case MASKMOVDQU, MASKMOVQ -> maskMove(x, i);
            case PINSRW, PINSRB, PINSRD, PINSRQ -> insert(x, i, op);
            case PEXTRW, PEXTRB, PEXTRD, PEXTRQ, EXTRACTPS -> extract(x, i, op);
            case INSERTPS -> insertps(x, i);
            case PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ, PMOVZXBW, PMOVZXBD, PMOVZXBQ,
                 PMOVZXWD, PMOVZXWQ, PMOVZXDQ -> pmovx(x, i, op);

            // ---- Floating-point arithmetic ----
            case ADDSS -> fpOp(x, i, F_ADD, SINGLE, false);
            case ADDSD -> fpOp(x, i, F_ADD, DOUBLE, false);
            case ADDPS -> fpOp(x, i, F_ADD, SINGLE, true);
            case ADDPD -> fpOp(x, i, F_ADD, DOUBLE, true);
            case SUBSS -> fpOp(x, i, F_SUB, SINGLE, false);
            case SUBSD -> fpOp(x, i, F_SUB, DOUBLE, false);
            case SUBPS -> fpOp(x, i, F_SUB, SINGLE, true);
            case SUBPD -> fpOp(x, i, F_SUB, DOUBLE, true);
            case MULSS -> fpOp(x, i, F_MUL, SINGLE, false);
            case MULSD -> fpOp(x, i, F_MUL, DOUBLE, false);
            case MULPS -> fpOp(x, i, F_MUL, SINGLE, true);
            case MULPD -> fpOp(x, i, F_MUL, DOUBLE, true);
            case DIVSS -> fpOp(x, i, F_DIV, SINGLE, false);
            case DIVSD -> fpOp(x, i, F_DIV, DOUBLE, false);
            case DIVPS -> fpOp(x, i, F_DIV, SINGLE, true);
            case DIVPD -> fpOp(x, i, F_DIV, DOUBLE, true);
            case MINSS -> fpOp(x, i, F_MIN, SINGLE, false);
            case MINSD -> fpOp(x, i, F_MIN, DOUBLE, false);
            case MINPS -> fpOp(x, i, F_MIN, SINGLE, true);
            case MINPD -> fpOp(x, i, F_MIN, DOUBLE, true);
            case MAXSS -> fpOp(x, i, F_MAX, SINGLE, false);
            case MAXSD -> fpOp(x, i, F_MAX, DOUBLE, false);
            case MAXPS -> fpOp(x, i, F_MAX, SINGLE, true);
            case MAXPD -> fpOp(x, i, F_MAX, DOUBLE, true);
            case SQRTSS -> fpOp(x, i, F_SQRT, SINGLE, false);
            case SQRTSD -> fpOp(x, i, F_SQRT, DOUBLE, false);
            case SQRTPS -> fpOp(x, i, F_SQRT, SINGLE, true);
            case SQRTPD -> fpOp(x, i, F_SQRT, DOUBLE, true);
            case HADDPS, HSUBPS, HADDPD, HSUBPD, ADDSUBPS, ADDSUBPD -> horizontal(x, i, op);
            case DPPS, DPPD -> dotProduct(x, i, op == Op.DPPD ? DOUBLE : SINGLE);
            case RCPSS, RCPPS, RSQRTSS, RSQRTPS -> approximate(x, i, op);
            case ROUNDSS -> roundOp(x, i, SINGLE, false);
            case ROUNDSD -> roundOp(x, i, DOUBLE, false);
            case ROUNDPS -> roundOp(x, i, SINGLE, true);
            case ROUNDPD -> roundOp(x, i, DOUBLE, true);
            case CMPSS -> compareOp(x, i, SINGLE, false);
            case CMPSD -> compareOp(x, i, DOUBLE, false);
            case CMPPS -> compareOp(x, i, SINGLE, true);
            case CMPPD -> compareOp(x, i, DOUBLE, true);
            case COMISS, UCOMISS -> comis(x, i, SINGLE, op == Op.COMISS);
            case COMISD, UCOMISD -> comis(x, i, DOUBLE, op == Op.COMISD);
            case ANDPS, ANDPD -> logic(x, i, K_AND);
            case ANDNPS, ANDNPD -> logic(x, i, K_ANDN);
            case ORPS, ORPD -> logic(x, i, K_OR);
            case XORPS, XORPD -> logic(x, i, K_XOR);

            // ---- Conversions ----
            case CVTSI2SS, CVTSI2SD -> cvtIntToScalar(x, i, op == Op.CVTSI2SS ? SINGLE : DOUBLE);
            case CVTSS2SI, CVTTSS2SI -> cvtScalarToInt(x, i, SINGLE, op == Op.CVTTSS2SI);
            case CVTSD2SI, CVTTSD2SI -> cvtScalarToInt(x, i, DOUBLE, op == Op.CVTTSD2SI);
            case CVTSS2SD, CVTSD2SS, CVTPS2PD, CVTPD2PS -> cvtFloat(x, i, op);
            case CVTDQ2PS, CVTDQ2PD, CVTPI2PS, CVTPI2PD -> cvtFromInts(x, i, op);
            case CVTPS2DQ, CVTTPS2DQ, CVTPD2DQ, CVTTPD2DQ, CVTPS2PI, CVTTPS2PI, CVTPD2PI, CVTTPD2PI ->
                    cvtToInts(x, i, op);

            // ---- Integer SIMD ----
            case PADDB -> intOp(x, i, K_ADD, 8);
            case PADDW -> intOp(x, i, K_ADD, 16);
            case PADDD -> intOp(x, i, K_ADD, 32);
            case PADDQ -> intOp(x, i, K_ADD, 64);
            case PSUBB -> intOp(x, i, K_SUB, 8);
            case PSUBW -> intOp(x, i, K_SUB, 16);
            case PSUBD -> intOp(x, i, K_SUB, 32);
            case PSUBQ -> intOp(x, i, K_SUB, 64);
            case PADDSB -> intOp(x, i, K_ADDS, 8);
            case PADDSW -> intOp(x, i, K_ADDS, 16);
            case PADDUSB -> intOp(x, i, K_ADDUS, 8);
            case PADDUSW -> intOp(x, i, K_ADDUS, 16);
            case PSUBSB -> intOp(x, i, K_SUBS, 8);
            case PSUBSW -> intOp(x, i, K_SUBS, 16);
            case PSUBUSB -> intOp(x, i, K_SUBUS, 8);
            case PSUBUSW -> intOp(x, i, K_SUBUS, 16);
            case PMULLW -> intOp(x, i, K_MULL, 16);
            case PMULLD -> intOp(x, i, K_MULL, 32);
            case PMULHW -> intOp(x, i, K_MULH, 16);
            case PMULHUW -> intOp(x, i, K_MULHU, 16);
            case PMULHRSW -> intOp(x, i, K_MULHRS, 16);
            case PAVGB -> intOp(x, i, K_AVG, 8);
            case PAVGW -> intOp(x, i, K_AVG, 16);
            case PMINUB -> intOp(x, i, K_MINU, 8);
            case PMINUW -> intOp(x, i, K_MINU, 16);
            case PMINUD -> intOp(x, i, K_MINU, 32);
            case PMAXUB -> intOp(x, i, K_MAXU, 8);
            case PMAXUW -> intOp(x, i, K_MAXU, 16);
            case PMAXUD -> intOp(x, i, K_MAXU, 32);
            case PMINSB -> intOp(x, i, K_MINS, 8);
            case PMINSW -> intOp(x, i, K_MINS, 16);
            case PMINSD -> intOp(x, i, K_MINS, 32);
            case PMAXSB -> intOp(x, i, K_MAXS, 8);
            case PMAXSW -> intOp(x, i, K_MAXS, 16);
            case PMAXSD -> intOp(x, i, K_MAXS, 32);
            case PCMPEQB -> intOp(x, i, K_EQ, 8);
            case PCMPEQW -> intOp(x, i, K_EQ, 16);
            case PCMPEQD -> intOp(x, i, K_EQ, 32);
            case PCMPEQQ -> intOp(x, i, K_EQ, 64);
            case PCMPGTB -> intOp(x, i, K_GT, 8);
            case PCMPGTW -> intOp(x, i, K_GT, 16);
            case PCMPGTD -> intOp(x, i, K_GT, 32);
            case PCMPGTQ -> intOp(x, i, K_GT, 64);
            case PAND -> intOp(x, i, K_AND, 64);
            case PANDN -> intOp(x, i, K_ANDN, 64);
            case POR -> intOp(x, i, K_OR, 64);
            case PXOR -> intOp(x, i, K_XOR, 64);
            case PABSB -> intOp(x, i, K_ABS, 8);
            case PABSW -> intOp(x, i, K_ABS, 16);
            case PABSD -> intOp(x, i, K_ABS, 32);
            case PSIGNB -> intOp(x, i, K_SIGN, 8);
            case PSIGNW -> intOp(x, i, K_SIGN, 16);
            case PSIGND -> intOp(x, i, K_SIGN, 32);
            case PMULUDQ, PMULDQ, PMADDWD, PSADBW, PMADDUBSW -> wideningOp(x, i, op);
            case PSLLW -> shiftOp(x, i, 0, 16);
            case PSLLD -> shiftOp(x, i, 0, 32);
            case PSLLQ -> shiftOp(x, i, 0, 64);
            case PSRLW -> shiftOp(x, i, 1, 16);
            case PSRLD -> shiftOp(x, i, 1, 32);
            case PSRLQ -> shiftOp(x, i, 1, 64);
            case PSRAW -> shiftOp(x, i, 2, 16);
            case PSRAD -> shiftOp(x, i, 2, 32);
            case PSLLDQ, PSRLDQ -> byteShift(x, i, op == Op.PSLLDQ);
            case PUNPCKLBW -> unpack(x, i, 8, false);
            case PUNPCKLWD -> unpack(x, i, 16, false);
            case PUNPCKLDQ, UNPCKLPS -> unpack(x, i, 32, false);
            case PUNPCKLQDQ, UNPCKLPD -> unpack(x, i, 64, false);
            case PUNPCKHBW -> unpack(x, i, 8, true);
            case PUNPCKHWD -> unpack(x, i, 16, true);
            case PUNPCKHDQ, UNPCKHPS -> unpack(x, i, 32, true);
            case PUNPCKHQDQ, UNPCKHPD -> unpack(x, i, 64, true);
            case PACKSSWB -> pack(x, i, 16, false);
            case PACKSSDW -> pack(x, i, 32, false);
            case PACKUSWB -> pack(x, i, 16, true);
            case PACKUSDW -> pack(x, i, 32, true);
            case PSHUFD, PSHUFHW, PSHUFLW, PSHUFW, SHUFPS, SHUFPD -> shuffle(x, i, op);
            case PSHUFB -> pshufb(x, i);
            case PALIGNR -> palignr(x, i);
            case PHADDW, PHADDD, PHADDSW, PHSUBW, PHSUBD, PHSUBSW -> horizontalInt(x, i, op);
            case BLENDPS, BLENDPD, PBLENDW, BLENDVPS, BLENDVPD, PBLENDVB -> blend(x, i, op);
            case PTEST -> ptest(x, i);
            case PHMINPOSUW -> phminposuw(x, i);
            case MPSADBW -> mpsadbw(x, i);

            // ---- State ----
            case EMMS -> {
                mmxCheck(x);
                x.cpu.ftw = 0;
            }
            case LDMXCSR -> {
                sse(x);
                long v = x.read(i.operand(0));
                if ((v & ~MXCSR_MASK) != 0) {
                    throw x.fault.raise(CpuFault.GP, 0);
                }
                x.cpu.mxcsr = (int) v;
            }
            case STMXCSR -> {
                sse(x);
                x.write(i.operand(0), x.cpu.mxcsr & 0xffffffffL);
            }
            case FXSAVE, FXSAVE64 -> fxsave(x, i, op == Op.FXSAVE64);
            case FXRSTOR, FXRSTOR64 -> fxrstor(x, i, op == Op.FXRSTOR64);
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---- Checks and register access ---------------------------------------------------------------------------

    /** #UD if CR0.EM or !CR4.OSFXSR, #NM if CR0.TS: the checks of instructions on XMM registers. */
    static void sse(X86Interpreter x) {
        if ((x.cpu.cr0 & CR0_EM) != 0 || (x.cpu.cr4 & X86CpuState.CR4_OSFXSR) == 0) {
            throw x.fault.raise(CpuFault.UD);
        }
        if ((x.cpu.cr0 & CR0_TS) != 0) {
            throw x.fault.raise(CpuFault.NM);
        }
    }

    /** The checks of an MMX instruction (#UD, #NM, #MF), then the switch to MMX use of the x87 registers. */
    static void mmxCheck(X86Interpreter x) {
        if ((x.cpu.cr0 & CR0_EM) != 0) {
            throw x.fault.raise(CpuFault.UD);
        }
        if ((x.cpu.cr0 & CR0_TS) != 0) {
            throw x.fault.raise(CpuFault.NM);
        }
        mmxState(x);
    }

    /** #MF for a pending x87 exception, then TOP = 0 and all tags valid (Vol 1 §9.5.1). */
    static void mmxState(X86Interpreter x) {
        X86CpuState c = x.cpu;
        if ((c.fsw & FpuInstructions.FSW_ES) != 0 && (c.cr0 & X86CpuState.CR0_NE) != 0) {
            throw x.fault.raise(CpuFault.MF);
        }
        FpuInstructions.setTopRotating(c, 0);
        c.ftw = 0xff;
    }

    private static boolean isMmx(Instruction i) {
        for (int k = 0; k < i.operandCount(); k++) {
            Operand o = i.operand(k);
            if (o.isReg() && o.regClass() == RegClass.MMX) {
                return true;
            }
        }
        return false;
    }

    /** The checks for an instruction with MMX or XMM forms; true for the MMX form. */
    private static boolean vectorCheck(X86Interpreter x, Instruction i) {
        boolean mmx = isMmx(i);
        boolean xmm = false;
        for (int k = 0; k < i.operandCount(); k++) {
            Operand o = i.operand(k);
            if (o.isReg() && o.regClass() == RegClass.XMM) {
                xmm = true;
            }
        }
        if (xmm) {
            sse(x);
            if (mmx) {
                mmxState(x);
            }
        } else if (mmx) {
            mmxCheck(x);
        } else {
            sse(x);
        }
        return mmx;
    }

    static long mmx(X86CpuState c, int r) {
        return c.st[2 * r];
    }

    /** Writes MMi (TOP is 0 during MMX instructions); the exponent field becomes all 1s (Vol 1 §9.5.1). */
    static void setMmx(X86CpuState c, int r, long v) {
        c.st[2 * r] = v;
        c.st[2 * r + 1] = 0xffff;
    }

    static void setXmm(X86CpuState c, int r, long lo, long hi) {
        c.xmm[2 * r] = lo;
        c.xmm[2 * r + 1] = hi;
    }

    /** The linear address of a 16-byte operand, #GP(0) if it must be aligned and is not. */
    private static long address16(X86Interpreter x, Instruction i, Operand o) {
        long la = x.address(o);
        if ((la & 15) != 0 && !UNALIGNED.contains(i.op())) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        return la;
    }

    /** Reads operand {@code o} (XMM, MMX, GPR, memory or immediate) into {@code v}; narrower values zero-extend. */
    private void read(X86Interpreter x, Instruction i, Operand o, long[] v) {
        if (o.isReg()) {
            switch (o.regClass()) {
                case XMM -> {
                    v[0] = x.cpu.xmm[2 * o.reg()];
                    v[1] = x.cpu.xmm[2 * o.reg() + 1];
                }
                case MMX -> {
                    v[0] = mmx(x.cpu, o.reg());
                    v[1] = 0;
                }
                default -> {
                    v[0] = x.read(o);
                    v[1] = 0;
                }
            }
        } else if (o.isMem() && o.size() == 16) {
            long la = address16(x, i, o);
            v[0] = x.load(la, 8);
            v[1] = x.load(la + 8, 8);
        } else {
            v[0] = x.read(o);
            v[1] = 0;
        }
    }

    /** Writes {@code v} to operand {@code o}: a whole XMM or MMX register, memory of the operand's size, or a GPR. */
    private void write(X86Interpreter x, Instruction i, Operand o, long[] v) {
        if (o.isReg()) {
            switch (o.regClass()) {
                case XMM -> setXmm(x.cpu, o.reg(), v[0], v[1]);
                case MMX -> setMmx(x.cpu, o.reg(), v[0]);
                default -> x.write(o, v[0]);
            }
        } else if (o.size() == 16) {
            long la = address16(x, i, o);
            x.mem.probeWrite(la, 16, x.user());
            x.store(la, 8, v[0]);
            x.store(la + 8, 8, v[1]);
        } else {
            x.write(o, v[0]);
        }
    }

    private static long imm8(Instruction i) {
        return i.operand(i.operandCount() - 1).immediate() & 0xff;
    }

    // ---- Moves ------------------------------------------------------------------------------------------------

    private void move128(X86Interpreter x, Instruction i) {
        sse(x);
        read(x, i, i.operand(1), s);
        write(x, i, i.operand(0), s);
    }

    /** MOVSS/MOVSD: register-to-register merges the low lane; a load zeroes the rest; a store writes the lane. */
    private void moveScalar(X86Interpreter x, Instruction i, int size) {
        sse(x);
        Operand dst = i.operand(0);
        Operand src = i.operand(1);
        long mask = size == 4 ? 0xffffffffL : -1L;
        if (dst.isMem()) {
            x.write(dst, x.cpu.xmm[2 * src.reg()] & mask);
        } else if (src.isMem()) {
            setXmm(x.cpu, dst.reg(), x.read(src), 0);
        } else {
            int dr = dst.reg();
            x.cpu.xmm[2 * dr] = (x.cpu.xmm[2 * dr] & ~mask) | (x.cpu.xmm[2 * src.reg()] & mask);
        }
    }

    /** MOVLPS/MOVLPD/MOVHPS/MOVHPD: one quadword between memory and the low or high half. */
    private void moveHalf(X86Interpreter x, Instruction i, boolean high) {
        sse(x);
        Operand dst = i.operand(0);
        Operand src = i.operand(1);
        int half = high ? 1 : 0;
        if (dst.isMem()) {
            x.write(dst, x.cpu.xmm[2 * src.reg() + half]);
        } else {
            x.cpu.xmm[2 * dst.reg() + half] = x.read(src);
        }
    }

    private void moveDup(X86Interpreter x, Instruction i) {
        sse(x);
        read(x, i, i.operand(1), s);
        long lo;
        long hi;
        switch (i.op()) {
            case MOVSLDUP -> {
                lo = dup32(s[0] & 0xffffffffL);
                hi = dup32(s[1] & 0xffffffffL);
            }
            case MOVSHDUP -> {
                lo = dup32(s[0] >>> 32);
                hi = dup32(s[1] >>> 32);
            }
            default -> {
                lo = s[0];
                hi = s[0];
            }
        }
        setXmm(x.cpu, i.operand(0).reg(), lo, hi);
    }

    private static long dup32(long v) {
        return v | (v << 32);
    }

    /** MOVD/MOVQ in all their forms: between GPR/memory, MMX and XMM registers; register destinations zero-extend. */
    private void moveDq(X86Interpreter x, Instruction i) {
        vectorCheck(x, i);
        Operand dst = i.operand(0);
        Operand src = i.operand(1);
        long v;
        if (src.isReg() && src.regClass() == RegClass.XMM) {
            v = x.cpu.xmm[2 * src.reg()];
        } else if (src.isReg() && src.regClass() == RegClass.MMX) {
            v = mmx(x.cpu, src.reg());
        } else {
            v = x.read(src);
        }
        int size = Math.min(dst.size(), src.size());
        if (size < 8) {
            v &= (1L << (size * 8)) - 1;
        }
        if (dst.isReg() && dst.regClass() == RegClass.XMM) {
            setXmm(x.cpu, dst.reg(), v, 0);
        } else if (dst.isReg() && dst.regClass() == RegClass.MMX) {
            setMmx(x.cpu, dst.reg(), v);
        } else {
            x.write(dst, v);
        }
    }

    private void moveMask(X86Interpreter x, Instruction i, Op op) {
        vectorCheck(x, i);
        read(x, i, i.operand(1), s);
        long m = 0;
        switch (op) {
            case MOVMSKPS -> {
                for (int k = 0; k < 4; k++) {
                    m |= ((s[k >> 1] >>> (32 * (k & 1) + 31)) & 1) << k;
                }
            }
            case MOVMSKPD -> m = (s[0] >>> 63) | ((s[1] >>> 63) << 1);
            default -> {
                int bytes = isMmx(i) ? 8 : 16;
                for (int k = 0; k < bytes; k++) {
                    m |= ((s[k >> 3] >>> (8 * (k & 7) + 7)) & 1) << k;
                }
            }
        }
        x.write(i.operand(0), m);
    }

    /**
     * MASKMOVDQU/MASKMOVQ: stores the bytes whose mask byte has its top bit set at DS:rDI. The whole 8- or 16-byte
     * destination is checked for writing first, whatever the mask: the store is then precise (a fault on a later
     * byte leaves the earlier ones unwritten), and an all-zero mask still raises the canonical, segment and page
     * faults of the access, as this host's silicon does (the SDM leaves that implementation-dependent: "exceptions
     * associated with addressing memory and page faults may still be signaled").
     */
    private void maskMove(X86Interpreter x, Instruction i) {
        boolean mmx = vectorCheck(x, i);
        read(x, i, i.operand(0), d);
        read(x, i, i.operand(1), s);
        int bytes = mmx ? 8 : 16;
        long base = x.reg(X86CpuState.RDI, i.addressSize());
        long[] la = new long[bytes];
        for (int k = 0; k < bytes; k++) {
            long offset = base + k;
            if (i.addressSize() == 4) {
                offset &= 0xffffffffL;
            } else if (i.addressSize() == 2) {
                offset &= 0xffff;
            }
            la[k] = x.linear(i.dataSegment(), offset);
        }
        for (int k = 0; k < bytes; k++) {
            if (k == 0 || (la[k] ^ la[k - 1]) >>> 12 != 0 || la[k] != la[k - 1] + 1) {
                x.mem.probeWrite(la[k], 1, x.user());
            }
        }
        for (int k = 0; k < bytes; k++) {
            if (((s[k >> 3] >>> (8 * (k & 7) + 7)) & 1) != 0) {
                x.store(la[k], 1, d[k >> 3] >>> (8 * (k & 7)));
            }
        }
    }

    private void insert(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = vectorCheck(x, i);
        Operand dst = i.operand(0);
        read(x, i, dst, d);
        long v = x.read(i.operand(1));
        int sel = (int) imm8(i);
        int w;
        int lane;
        switch (op) {
            case PINSRW -> {
                w = 16;
                lane = sel & (mmx ? 3 : 7);
            }
            case PINSRB -> {
                w = 8;
                lane = sel & 15;
            }
            case PINSRD -> {
                w = 32;
                lane = sel & 3;
            }
            default -> {
                w = 64;
                lane = sel & 1;
            }
        }
        setElem(d, w, lane, v);
        write(x, i, dst, d);
    }

    private void extract(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = vectorCheck(x, i);
        read(x, i, i.operand(1), s);
        int sel = (int) imm8(i);
        long v = switch (op) {
            case PEXTRW -> elem(s, 16, sel & (mmx ? 3 : 7));
            case PEXTRB -> elem(s, 8, sel & 15);
            case PEXTRD, EXTRACTPS -> elem(s, 32, sel & 3);
            default -> elem(s, 64, sel & 1);
        };
        x.write(i.operand(0), v);
    }

    private void insertps(X86Interpreter x, Instruction i) {
        sse(x);
        Operand src = i.operand(1);
        int sel = (int) imm8(i);
        long v = src.isMem() ? x.read(src) : elem(x.cpu.xmm, 32, 4 * src.reg() + ((sel >>> 6) & 3));
        read(x, i, i.operand(0), d);
        setElem(d, 32, (sel >>> 4) & 3, v);
        for (int k = 0; k < 4; k++) {
            if ((sel & (1 << k)) != 0) {
                setElem(d, 32, k, 0);
            }
        }
        write(x, i, i.operand(0), d);
    }

    private void pmovx(X86Interpreter x, Instruction i, Op op) {
        sse(x);
        read(x, i, i.operand(1), s);
        String n = op.name();
        boolean signed = n.charAt(4) == 'S';
        int from = width(n.charAt(6));
        int to = width(n.charAt(7));
        int count = 128 / to;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < count; k++) {
            long v = elem(s, from, k);
            if (signed) {
                v = v << (64 - from) >> (64 - from);
            }
            setElem(r, to, k, v);
        }
        write(x, i, i.operand(0), r);
    }

    private static int width(char c) {
        return switch (c) {
            case 'B' -> 8;
            case 'W' -> 16;
            case 'D' -> 32;
            default -> 64;
        };
    }

    // ---- Element access -----------------------------------------------------------------------------------------

    /** Element {@code k} of width {@code w} bits of the vector {@code v} (little-endian across the longs). */
    static long elem(long[] v, int w, int k) {
        int bit = k * w;
        long word = v[bit >>> 6];
        return w == 64 ? word : (word >>> (bit & 63)) & ((1L << w) - 1);
    }

    static void setElem(long[] v, int w, int k, long value) {
        int bit = k * w;
        if (w == 64) {
            v[bit >>> 6] = value;
            return;
        }
        long mask = ((1L << w) - 1) << (bit & 63);
        v[bit >>> 6] = (v[bit >>> 6] & ~mask) | ((value << (bit & 63)) & mask);
    }

    // ---- Floating point -----------------------------------------------------------------------------------------

    private void beginFp(X86Interpreter x) {
        fp.setMxcsr(x.cpu.mxcsr);
        fp.flags = 0;
        pre = 0;
        post = 0;
    }

    private void collect() {
        int f = fp.flags;
        fp.flags = 0;
        pre |= f & (FpArith.IE | FpArith.DE | FpArith.ZE);
        post |= f & (FpArith.OE | FpArith.UE | FpArith.PE);
    }

    /** Records the flags of the lanes and raises the SIMD exception if one is unmasked (Vol 1 §11.5.2). */
    private void commitFp(X86Interpreter x) {
        collect();
        int masks = (x.cpu.mxcsr >>> 7) & 0x3f;
        if ((pre & ~masks) != 0) {
            x.cpu.mxcsr |= pre;
            throw simdException(x);
        }
        x.cpu.mxcsr |= pre | post;
        if ((post & ~masks) != 0) {
            throw simdException(x);
        }
    }

    static CpuFault simdException(X86Interpreter x) {
        return x.fault.raise((x.cpu.cr4 & X86CpuState.CR4_OSXMMEXCPT) != 0 ? CpuFault.XM : CpuFault.UD);
    }

    private long fpLane(int kind, int f, long a, long b) {
        long v = switch (kind) {
            case F_ADD -> fp.add(f, a, b);
            case F_SUB -> fp.sub(f, a, b);
            case F_MUL -> fp.mul(f, a, b);
            case F_DIV -> fp.div(f, a, b);
            case F_MIN -> fp.minMax(f, a, b, false);
            case F_MAX -> fp.minMax(f, a, b, true);
            default -> fp.sqrt(f, b);
        };
        collect();
        return v;
    }

    /** A binary (or square-root) operation on the low lane or on every lane. */
    private void fpOp(X86Interpreter x, Instruction i, int kind, int f, boolean packed) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        long lo = x.cpu.xmm[2 * dr];
        long hi = x.cpu.xmm[2 * dr + 1];
        beginFp(x);
        long rlo;
        long rhi = hi;
        if (f == DOUBLE) {
            rlo = fpLane(kind, f, lo, s[0]);
            if (packed) {
                rhi = fpLane(kind, f, hi, s[1]);
            }
        } else {
            rlo = (lo & 0xffffffff00000000L) | fpLane(kind, f, lo & 0xffffffffL, s[0] & 0xffffffffL);
            if (packed) {
                rlo = (rlo & 0xffffffffL) | (fpLane(kind, f, lo >>> 32, s[0] >>> 32) << 32);
                rhi = fpLane(kind, f, hi & 0xffffffffL, s[1] & 0xffffffffL)
                        | (fpLane(kind, f, hi >>> 32, s[1] >>> 32) << 32);
            }
        }
        commitFp(x);
        setXmm(x.cpu, dr, rlo, rhi);
    }

    /** HADD/HSUB/ADDSUB PS/PD (SSE3). */
    private void horizontal(X86Interpreter x, Instruction i, Op op) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        beginFp(x);
        boolean dbl = op == Op.HADDPD || op == Op.HSUBPD || op == Op.ADDSUBPD;
        int f = dbl ? DOUBLE : SINGLE;
        int w = dbl ? 64 : 32;
        int n = 128 / w;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < n; k++) {
            long v;
            if (op == Op.ADDSUBPS || op == Op.ADDSUBPD) {
                v = fpLane((k & 1) == 0 ? F_SUB : F_ADD, f, elem(d, w, k), elem(s, w, k));
            } else {
                long[] from = k < n / 2 ? d : s;
                int j = 2 * (k % (n / 2));
                v = fpLane(op == Op.HADDPS || op == Op.HADDPD ? F_ADD : F_SUB, f, elem(from, w, j),
                        elem(from, w, j + 1));
            }
            setElem(r, w, k, v);
        }
        commitFp(x);
        setXmm(x.cpu, dr, r[0], r[1]);
    }

    /** DPPS/DPPD (SSE4.1): masked products, summed pairwise with a rounding at each step, broadcast by mask. */
    private void dotProduct(X86Interpreter x, Instruction i, int f) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        int imm = (int) imm8(i);
        int w = f == DOUBLE ? 64 : 32;
        int n = 128 / w;
        long[] t = ea;
        // Each step is a SIMD operation of its own: its exceptions are reported before the next step starts.
        beginFp(x);
        for (int k = 0; k < n; k++) {
            t[k] = (imm & (16 << k)) != 0 ? fpLane(F_MUL, f, elem(d, w, k), elem(s, w, k)) : 0;
        }
        commitFp(x);
        beginFp(x);
        long sum;
        if (n == 2) {
            sum = fpLane(F_ADD, f, t[0], t[1]);
        } else {
            long a = fpLane(F_ADD, f, t[0], t[1]);
            long b = fpLane(F_ADD, f, t[2], t[3]);
            commitFp(x);
            beginFp(x);
            sum = fpLane(F_ADD, f, a, b);
        }
        commitFp(x);
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < n; k++) {
            if ((imm & (1 << k)) != 0) {
                setElem(r, w, k, sum);
            }
        }
        setXmm(x.cpu, dr, r[0], r[1]);
    }

    /**
     * RCPSS/RCPPS/RSQRTSS/RSQRTPS: here the correctly rounded value (the SDM allows a relative error of
     * 1.5 × 2^-12); denormal inputs count as zero and tiny results are flushed to zero; no flags change.
     */
    private void approximate(X86Interpreter x, Instruction i, Op op) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        boolean packed = op == Op.RCPPS || op == Op.RSQRTPS;
        boolean rsqrt = op == Op.RSQRTSS || op == Op.RSQRTPS;
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        for (int k = 0; k < (packed ? 4 : 1); k++) {
            setElem(d, 32, k, approx((int) elem(s, 32, k), rsqrt));
        }
        setXmm(x.cpu, dr, d[0], d[1]);
    }

    static long approx(int bits, boolean rsqrt) {
        float v = Float.intBitsToFloat(bits);
        int sign = bits & 0x80000000;
        if (Float.isNaN(v)) {
            return (bits | 0x00400000) & 0xffffffffL;
        }
        if ((bits & 0x7f800000) == 0) {
            return (sign | 0x7f800000) & 0xffffffffL;                  // ±0 and denormals: ±infinity
        }
        if (rsqrt && sign != 0) {
            return 0xffc00000L;
        }
        double r = rsqrt ? 1.0 / Math.sqrt(v) : 1.0 / v;
        float f = (float) r;
        if (Math.abs(r) < Float.MIN_NORMAL) {
            f = sign != 0 ? -0.0f : 0.0f;
        }
        return Float.floatToRawIntBits(f) & 0xffffffffL;
    }

    /** ROUNDSS/SD/PS/PD (SSE4.1): imm[1:0] mode unless imm[2] (MXCSR.RC), imm[3] suppresses PE. */
    private void roundOp(X86Interpreter x, Instruction i, int f, boolean packed) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        int imm = (int) imm8(i);
        beginFp(x);
        int mode = (imm & 4) != 0 ? fp.rc : imm & 3;
        boolean suppress = (imm & 8) != 0;
        int w = f == DOUBLE ? 64 : 32;
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        int n = packed ? 128 / w : 1;
        for (int k = 0; k < n; k++) {
            long a = elem(s, w, k);
            fp.unpack(0, f, a, 0);
            setElem(d, w, k, fp.roundToIntegral(f, a, 0, mode, suppress, false));
            collect();
        }
        commitFp(x);
        setXmm(x.cpu, dr, d[0], d[1]);
    }

    /** CMPSS/SD/PS/PD: predicates EQ LT LE UNORD NEQ NLT NLE ORD (imm[2:0]); LT/LE/NLT/NLE signal on QNaNs. */
    private void compareOp(X86Interpreter x, Instruction i, int f, boolean packed) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        int pred = (int) imm8(i) & 7;
        boolean signalling = pred == 1 || pred == 2 || pred == 5 || pred == 6;
        beginFp(x);
        int w = f == DOUBLE ? 64 : 32;
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        int n = packed ? 128 / w : 1;
        for (int k = 0; k < n; k++) {
            int c = fp.compare(f, elem(d, w, k), elem(s, w, k), signalling);
            collect();
            boolean t = switch (pred) {
                case 0 -> c == 0;
                case 1 -> c == -1;
                case 2 -> c == -1 || c == 0;
                case 3 -> c == 2;
                case 4 -> c != 0;
                case 5 -> c != -1;
                case 6 -> c == 1 || c == 2;
                default -> c != 2;
            };
            setElem(d, w, k, t ? -1L : 0);
        }
        commitFp(x);
        setXmm(x.cpu, dr, d[0], d[1]);
    }

    /** COMISS/COMISD/UCOMISS/UCOMISD: ZF, PF, CF from the comparison; OF, SF, AF cleared. */
    private void comis(X86Interpreter x, Instruction i, int f, boolean ordered) {
        sse(x);
        read(x, i, i.operand(1), s);
        long mask = f == DOUBLE ? -1L : 0xffffffffL;
        beginFp(x);
        int c = fp.compare(f, x.cpu.xmm[2 * i.operand(0).reg()] & mask, s[0] & mask, ordered);
        commitFp(x);
        long fl = switch (c) {
            case -1 -> CF;
            case 0 -> ZF;
            case 1 -> 0;
            default -> ZF | PF | CF;
        };
        x.cpu.rflags = (x.cpu.rflags & ~(CF | PF | AF | ZF | SF | OF)) | fl;
    }

    private void logic(X86Interpreter x, Instruction i, int kind) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        setXmm(x.cpu, dr, lanes(kind, 64, x.cpu.xmm[2 * dr], s[0]), lanes(kind, 64, x.cpu.xmm[2 * dr + 1], s[1]));
    }

    // ---- Conversions --------------------------------------------------------------------------------------------

    private void cvtIntToScalar(X86Interpreter x, Instruction i, int f) {
        sse(x);
        Operand src = i.operand(1);
        long v = x.read(src);
        if (src.size() == 4) {
            v = (int) v;
        }
        int dr = i.operand(0).reg();
        beginFp(x);
        long res = fp.fromInt(f, v);
        commitFp(x);
        if (f == DOUBLE) {
            x.cpu.xmm[2 * dr] = res;
        } else {
            x.cpu.xmm[2 * dr] = (x.cpu.xmm[2 * dr] & 0xffffffff00000000L) | res;
        }
    }

    private void cvtScalarToInt(X86Interpreter x, Instruction i, int f, boolean truncate) {
        sse(x);
        read(x, i, i.operand(1), s);
        Operand dst = i.operand(0);
        beginFp(x);
        long v = fp.toInt(f, f == DOUBLE ? s[0] : s[0] & 0xffffffffL, dst.size(), truncate);
        commitFp(x);
        x.write(dst, v);
    }

    /** CVTSS2SD, CVTSD2SS, CVTPS2PD, CVTPD2PS. */
    private void cvtFloat(X86Interpreter x, Instruction i, Op op) {
        sse(x);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        beginFp(x);
        long lo = x.cpu.xmm[2 * dr];
        long hi = x.cpu.xmm[2 * dr + 1];
        switch (op) {
            case CVTSS2SD -> lo = cvt(SINGLE, DOUBLE, s[0] & 0xffffffffL);
            case CVTSD2SS -> lo = (lo & 0xffffffff00000000L) | cvt(DOUBLE, SINGLE, s[0]);
            case CVTPS2PD -> {
                lo = cvt(SINGLE, DOUBLE, s[0] & 0xffffffffL);
                hi = cvt(SINGLE, DOUBLE, s[0] >>> 32);
            }
            default -> {
                lo = cvt(DOUBLE, SINGLE, s[0]) | (cvt(DOUBLE, SINGLE, s[1]) << 32);
                hi = 0;
            }
        }
        commitFp(x);
        setXmm(x.cpu, dr, lo, hi);
    }

    private long cvt(int from, int to, long a) {
        long v = fp.convert(from, to, a);
        collect();
        return v;
    }

    /** CVTDQ2PS, CVTDQ2PD, CVTPI2PS, CVTPI2PD: signed doublewords to floating point. */
    private void cvtFromInts(X86Interpreter x, Instruction i, Op op) {
        vectorCheck(x, i);
        int dr = i.operand(0).reg();
        read(x, i, i.operand(1), s);
        beginFp(x);
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        switch (op) {
            case CVTDQ2PS -> {
                for (int k = 0; k < 4; k++) {
                    setElem(d, 32, k, fromInt32(SINGLE, elem(s, 32, k)));
                }
            }
            case CVTPI2PS -> {
                for (int k = 0; k < 2; k++) {
                    setElem(d, 32, k, fromInt32(SINGLE, elem(s, 32, k)));
                }
            }
            default -> {
                long a = fromInt32(DOUBLE, elem(s, 32, 0));
                long b = fromInt32(DOUBLE, elem(s, 32, 1));
                d[0] = a;
                d[1] = b;
            }
        }
        commitFp(x);
        setXmm(x.cpu, dr, d[0], d[1]);
    }

    private long fromInt32(int f, long v) {
        long res = fp.fromInt(f, (int) v);
        collect();
        return res;
    }

    /** CVT(T)PS2DQ, CVT(T)PD2DQ, CVT(T)PS2PI, CVT(T)PD2PI: floating point to signed doublewords. */
    private void cvtToInts(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = vectorCheck(x, i);
        read(x, i, i.operand(1), s);
        boolean truncate = op.name().startsWith("CVTT");
        boolean fromDouble = op.name().contains("PD2");
        beginFp(x);
        r[0] = 0;
        r[1] = 0;
        int n = fromDouble ? 2 : mmx ? 2 : 4;
        for (int k = 0; k < n; k++) {
            long v = fromDouble ? fp.toInt(DOUBLE, s[k], 4, truncate) : fp.toInt(SINGLE, elem(s, 32, k), 4, truncate);
            collect();
            setElem(r, 32, k, v);
        }
        commitFp(x);
        write(x, i, i.operand(0), r);
    }

    // ---- Integer SIMD -------------------------------------------------------------------------------------------

    /** Reads the destination and source of a two-operand vector instruction into d and s; true for MMX. */
    private boolean operands(X86Interpreter x, Instruction i) {
        boolean mmx = vectorCheck(x, i);
        read(x, i, i.operand(0), d);
        read(x, i, i.operand(1), s);
        return mmx;
    }

    private void intOp(X86Interpreter x, Instruction i, int kind, int w) {
        boolean mmx = operands(x, i);
        r[0] = lanes(kind, w, d[0], s[0]);
        r[1] = mmx ? 0 : lanes(kind, w, d[1], s[1]);
        write(x, i, i.operand(0), r);
    }

    /** Applies lane operation {@code kind} to the {@code w}-bit lanes of one quadword. */
    static long lanes(int kind, int w, long a, long b) {
        switch (kind) {
            case K_AND:
                return a & b;
            case K_ANDN:
                return ~a & b;
            case K_OR:
                return a | b;
            case K_XOR:
                return a ^ b;
            default:
                break;
        }
        if (w == 64) {
            return lane(kind, 64, a, b);
        }
        long mask = (1L << w) - 1;
        long res = 0;
        for (int sh = 0; sh < 64; sh += w) {
            res |= (lane(kind, w, (a >>> sh) & mask, (b >>> sh) & mask) & mask) << sh;
        }
        return res;
    }

    private static long lane(int kind, int w, long x, long y) {
        int sx = 64 - w;
        long ax = x << sx >> sx;
        long ay = y << sx >> sx;
        long smax = w == 64 ? Long.MAX_VALUE : (1L << (w - 1)) - 1;
        long smin = -smax - 1;
        long umax = w == 64 ? -1L : (1L << w) - 1;
        return switch (kind) {
            case K_ADD -> x + y;
            case K_SUB -> x - y;
            case K_ADDS -> Math.clamp(ax + ay, smin, smax);
            case K_SUBS -> Math.clamp(ax - ay, smin, smax);
            case K_ADDUS -> Math.min(x + y, umax);
            case K_SUBUS -> Math.max(x - y, 0);
            case K_MULL -> x * y;
            case K_MULH -> (ax * ay) >> w;
            case K_MULHU -> (x * y) >>> w;
            case K_MULHRS -> (((ax * ay) >> 14) + 1) >> 1;
            case K_AVG -> (x + y + 1) >>> 1;
            case K_MINU -> Math.min(x, y);
            case K_MAXU -> Math.max(x, y);
            case K_MINS -> Math.min(ax, ay);
            case K_MAXS -> Math.max(ax, ay);
            case K_EQ -> x == y ? -1 : 0;
            case K_GT -> ax > ay ? -1 : 0;
            case K_ABS -> Math.abs(ay);
            case K_SIGN -> ay < 0 ? -x : ay == 0 ? 0 : x;
            default -> throw new IllegalArgumentException("lane op " + kind);
        };
    }

    /** PMULUDQ, PMULDQ, PMADDWD, PSADBW, PMADDUBSW: lanes whose results are wider than their inputs. */
    private void wideningOp(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = operands(x, i);
        for (int h = 0; h < (mmx ? 1 : 2); h++) {
            long a = d[h];
            long b = s[h];
            r[h] = switch (op) {
                case PMULUDQ -> (a & 0xffffffffL) * (b & 0xffffffffL);
                case PMULDQ -> (long) (int) a * (int) b;
                case PMADDWD -> {
                    long res = 0;
                    for (int k = 0; k < 2; k++) {
                        long sum = (long) (short) (a >>> (32 * k)) * (short) (b >>> (32 * k))
                                + (long) (short) (a >>> (32 * k + 16)) * (short) (b >>> (32 * k + 16));
                        res |= (sum & 0xffffffffL) << (32 * k);
                    }
                    yield res;
                }
                case PSADBW -> {
                    long sum = 0;
                    for (int k = 0; k < 8; k++) {
                        sum += Math.abs(((a >>> (8 * k)) & 0xff) - ((b >>> (8 * k)) & 0xff));
                    }
                    yield sum;
                }
                default -> {
                    long res = 0;
                    for (int k = 0; k < 4; k++) {
                        long sum = ((a >>> (16 * k)) & 0xff) * (byte) (b >>> (16 * k))
                                + ((a >>> (16 * k + 8)) & 0xff) * (byte) (b >>> (16 * k + 8));
                        res |= ((long) Math.clamp(sum, -32768, 32767) & 0xffff) << (16 * k);
                    }
                    yield res;
                }
            };
        }
        if (mmx) {
            r[1] = 0;
        }
        write(x, i, i.operand(0), r);
    }

    /** PSLL/PSRL/PSRA by an immediate or by the low quadword of the source (kind 0 left, 1 logical, 2 arithmetic). */
    private void shiftOp(X86Interpreter x, Instruction i, int kind, int w) {
        boolean mmx = vectorCheck(x, i);
        Operand dst = i.operand(0);
        Operand src = i.operand(1);
        read(x, i, dst, d);
        long count;
        if (src.kind() == Operand.Kind.IMM) {
            count = src.immediate() & 0xff;
        } else {
            read(x, i, src, s);
            count = s[0];
        }
        r[0] = shiftLanes(kind, w, d[0], count);
        r[1] = mmx ? 0 : shiftLanes(kind, w, d[1], count);
        write(x, i, dst, r);
    }

    static long shiftLanes(int kind, int w, long a, long count) {
        if (Long.compareUnsigned(count, w - 1) > 0) {
            if (kind != 2) {
                return 0;
            }
            count = w - 1;
        }
        int c = (int) count;
        if (w == 64) {
            return kind == 0 ? a << c : kind == 1 ? a >>> c : a >> c;
        }
        long mask = (1L << w) - 1;
        long res = 0;
        for (int sh = 0; sh < 64; sh += w) {
            long v = (a >>> sh) & mask;
            long out = switch (kind) {
                case 0 -> v << c;
                case 1 -> v >>> c;
                default -> (v << (64 - w) >> (64 - w)) >> c;
            };
            res |= (out & mask) << sh;
        }
        return res;
    }

    /** PSLLDQ/PSRLDQ: the whole register shifted by imm8 bytes (16 or more clears it). */
    private void byteShift(X86Interpreter x, Instruction i, boolean left) {
        sse(x);
        int dr = i.operand(0).reg();
        int n = (int) imm8(i);
        d[0] = x.cpu.xmm[2 * dr];
        d[1] = x.cpu.xmm[2 * dr + 1];
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < 16; k++) {
            int from = left ? k - n : k + n;
            if (from >= 0 && from < 16) {
                setElem(r, 8, k, elem(d, 8, from));
            }
        }
        setXmm(x.cpu, dr, r[0], r[1]);
    }

    private void unpack(X86Interpreter x, Instruction i, int w, boolean high) {
        boolean mmx = operands(x, i);
        int count = (mmx ? 64 : 128) / w;
        int base = high ? count / 2 : 0;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < count / 2; k++) {
            setElem(r, w, 2 * k, elem(d, w, base + k));
            setElem(r, w, 2 * k + 1, elem(s, w, base + k));
        }
        write(x, i, i.operand(0), r);
    }

    /** PACKSSWB/PACKSSDW/PACKUSWB/PACKUSDW: signed elements narrowed with signed or unsigned saturation. */
    private void pack(X86Interpreter x, Instruction i, int w, boolean unsignedSat) {
        boolean mmx = operands(x, i);
        int count = (mmx ? 64 : 128) / w;
        int ow = w / 2;
        long max = unsignedSat ? (1L << ow) - 1 : (1L << (ow - 1)) - 1;
        long min = unsignedSat ? 0 : -(1L << (ow - 1));
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < 2 * count; k++) {
            long v = k < count ? elem(d, w, k) : elem(s, w, k - count);
            v = v << (64 - w) >> (64 - w);
            setElem(r, ow, k, Math.clamp(v, min, max));
        }
        write(x, i, i.operand(0), r);
    }

    private void shuffle(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = operands(x, i);
        int imm = (int) imm8(i);
        r[0] = d[0];
        r[1] = d[1];
        switch (op) {
            case PSHUFD -> {
                for (int k = 0; k < 4; k++) {
                    setElem(r, 32, k, elem(s, 32, (imm >>> (2 * k)) & 3));
                }
            }
            case PSHUFW -> {
                for (int k = 0; k < 4; k++) {
                    setElem(r, 16, k, elem(s, 16, (imm >>> (2 * k)) & 3));
                }
            }
            case PSHUFLW -> {
                r[1] = s[1];
                for (int k = 0; k < 4; k++) {
                    setElem(r, 16, k, elem(s, 16, (imm >>> (2 * k)) & 3));
                }
            }
            case PSHUFHW -> {
                r[0] = s[0];
                for (int k = 0; k < 4; k++) {
                    setElem(r, 16, 4 + k, elem(s, 16, 4 + ((imm >>> (2 * k)) & 3)));
                }
            }
            case SHUFPS -> {
                for (int k = 0; k < 4; k++) {
                    setElem(r, 32, k, elem(k < 2 ? d : s, 32, (imm >>> (2 * k)) & 3));
                }
            }
            default -> {
                r[0] = d[imm & 1];
                r[1] = s[(imm >>> 1) & 1];
            }
        }
        if (mmx) {
            r[1] = 0;
        }
        write(x, i, i.operand(0), r);
    }

    private void pshufb(X86Interpreter x, Instruction i) {
        boolean mmx = operands(x, i);
        int n = mmx ? 8 : 16;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < n; k++) {
            long c = elem(s, 8, k);
            if ((c & 0x80) == 0) {
                setElem(r, 8, k, elem(d, 8, (int) c & (n - 1)));
            }
        }
        write(x, i, i.operand(0), r);
    }

    private void palignr(X86Interpreter x, Instruction i) {
        boolean mmx = operands(x, i);
        int n = mmx ? 8 : 16;
        int shift = (int) imm8(i);
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < n; k++) {
            int from = k + shift;
            long v = from < n ? elem(s, 8, from) : from < 2 * n ? elem(d, 8, from - n) : 0;
            setElem(r, 8, k, v);
        }
        write(x, i, i.operand(0), r);
    }

    private void horizontalInt(X86Interpreter x, Instruction i, Op op) {
        boolean mmx = operands(x, i);
        int w = op == Op.PHADDD || op == Op.PHSUBD ? 32 : 16;
        int count = (mmx ? 64 : 128) / w;
        boolean sub = op == Op.PHSUBW || op == Op.PHSUBD || op == Op.PHSUBSW;
        boolean sat = op == Op.PHADDSW || op == Op.PHSUBSW;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < count; k++) {
            long[] from = k < count / 2 ? d : s;
            int j = 2 * (k % (count / 2));
            long a = elem(from, w, j) << (64 - w) >> (64 - w);
            long b = elem(from, w, j + 1) << (64 - w) >> (64 - w);
            long v = sub ? a - b : a + b;
            if (sat) {
                v = Math.clamp(v, -32768, 32767);
            }
            setElem(r, w, k, v);
        }
        write(x, i, i.operand(0), r);
    }

    private void blend(X86Interpreter x, Instruction i, Op op) {
        operands(x, i);
        int w = switch (op) {
            case BLENDPS, BLENDVPS -> 32;
            case BLENDPD, BLENDVPD -> 64;
            case PBLENDW -> 16;
            default -> 8;
        };
        boolean variable = op == Op.BLENDVPS || op == Op.BLENDVPD || op == Op.PBLENDVB;
        long[] xmm = x.cpu.xmm;
        long m0 = xmm[0];
        long m1 = xmm[1];
        long imm = variable ? 0 : imm8(i);
        for (int k = 0; k < 128 / w; k++) {
            boolean pick;
            if (variable) {
                int bit = k * w + w - 1;
                pick = (((bit < 64 ? m0 : m1) >>> (bit & 63)) & 1) != 0;
            } else {
                pick = ((imm >>> k) & 1) != 0;
            }
            if (pick) {
                setElem(d, w, k, elem(s, w, k));
            }
        }
        write(x, i, i.operand(0), d);
    }

    private void ptest(X86Interpreter x, Instruction i) {
        sse(x);
        operands(x, i);
        long fl = 0;
        if ((d[0] & s[0]) == 0 && (d[1] & s[1]) == 0) {
            fl |= ZF;
        }
        if ((~d[0] & s[0]) == 0 && (~d[1] & s[1]) == 0) {
            fl |= CF;
        }
        x.cpu.rflags = (x.cpu.rflags & ~(CF | PF | AF | ZF | SF | OF)) | fl;
    }

    private void phminposuw(X86Interpreter x, Instruction i) {
        sse(x);
        read(x, i, i.operand(1), s);
        long min = elem(s, 16, 0);
        int at = 0;
        for (int k = 1; k < 8; k++) {
            long v = elem(s, 16, k);
            if (v < min) {
                min = v;
                at = k;
            }
        }
        setXmm(x.cpu, i.operand(0).reg(), min | ((long) at << 16), 0);
    }

    private void mpsadbw(X86Interpreter x, Instruction i) {
        sse(x);
        operands(x, i);
        int imm = (int) imm8(i);
        int srcOff = (imm & 3) * 4;
        int dstOff = ((imm >>> 2) & 1) * 4;
        r[0] = 0;
        r[1] = 0;
        for (int k = 0; k < 8; k++) {
            long sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(elem(d, 8, dstOff + k + j) - elem(s, 8, srcOff + j));
            }
            setElem(r, 16, k, sum);
        }
        write(x, i, i.operand(0), r);
    }

    // ---- FXSAVE / FXRSTOR ---------------------------------------------------------------------------------------

    private static long fxArea(X86Interpreter x, Instruction i) {
        if ((x.cpu.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw x.fault.raise(CpuFault.NM);
        }
        long la = x.address(i.operand(0));
        if ((la & 15) != 0) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        return la;
    }

    /** FXSAVE/FXSAVE64 (Vol 2 "FXSAVE", Table 3-53/3-56): the 512-byte x87, MMX and SSE state image. */
    private void fxsave(X86Interpreter x, Instruction i, boolean rexW) {
        long la = fxArea(x, i);
        X86CpuState c = x.cpu;
        x.mem.probeWrite(la, 416, x.user());
        x.store(la, 2, c.fcw);
        x.store(la + 2, 2, c.fsw);
        x.store(la + 4, 1, c.ftw);
        x.store(la + 5, 1, 0);
        x.store(la + 6, 2, c.fop & 0x7ff);
        if (rexW) {
            x.store(la + 8, 8, c.fip);
            x.store(la + 16, 8, c.fdp);
        } else {
            x.store(la + 8, 4, c.fip);
            x.store(la + 12, 4, 0);
            x.store(la + 16, 4, c.fdp);
            x.store(la + 20, 4, 0);
        }
        x.store(la + 24, 4, c.mxcsr);
        x.store(la + 28, 4, MXCSR_MASK);
        for (int k = 0; k < 8; k++) {
            x.store(la + 32 + 16 * k, 8, c.st[2 * k]);
            x.store(la + 40 + 16 * k, 2, c.st[2 * k + 1]);
            x.store(la + 42 + 16 * k, 2, 0);
            x.store(la + 44 + 16 * k, 4, 0);
        }
        int regs = x.longMode64() ? 16 : 8;
        for (int k = 0; k < regs; k++) {
            x.store(la + 160 + 16 * k, 8, c.xmm[2 * k]);
            x.store(la + 168 + 16 * k, 8, c.xmm[2 * k + 1]);
        }
    }

    /** FXRSTOR/FXRSTOR64: #GP(0) if the image sets MXCSR bits outside MXCSR_MASK, before anything changes. */
    private void fxrstor(X86Interpreter x, Instruction i, boolean rexW) {
        long la = fxArea(x, i);
        X86CpuState c = x.cpu;
        long mxcsr = x.load(la + 24, 4);
        if ((mxcsr & ~MXCSR_MASK) != 0) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
        int regs = x.longMode64() ? 16 : 8;
        long[] st = ea;
        long[] xmm = er;
        for (int k = 0; k < 8; k++) {
            st[2 * k] = x.load(la + 32 + 16 * k, 8);
            st[2 * k + 1] = x.load(la + 40 + 16 * k, 2);
        }
        for (int k = 0; k < regs; k++) {
            xmm[2 * k] = x.load(la + 160 + 16 * k, 8);
            xmm[2 * k + 1] = x.load(la + 168 + 16 * k, 8);
        }
        int fcw = (int) x.load(la, 2);
        int fsw = (int) x.load(la + 2, 2);
        int ftw = (int) x.load(la + 4, 1);
        int fop = (int) x.load(la + 6, 2);
        long fip = rexW ? x.load(la + 8, 8) : x.load(la + 8, 4);
        long fdp = rexW ? x.load(la + 16, 8) : x.load(la + 16, 4);
        c.fcw = fcw;
        c.fsw = fsw;
        c.ftw = ftw;
        c.fop = fop & 0x7ff;
        c.fip = fip;
        c.fdp = fdp;
        c.mxcsr = (int) mxcsr;
        System.arraycopy(st, 0, c.st, 0, 16);
        System.arraycopy(xmm, 0, c.xmm, 0, 2 * regs);
    }
}
