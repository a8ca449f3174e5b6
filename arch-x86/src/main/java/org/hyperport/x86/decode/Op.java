package org.hyperport.x86.decode;

/**
 * The operation of a decoded instruction, named by the SDM's mnemonic (Vol. 2, Chapters 3-5), in the order the
 * opcode map {@code opcode-map.txt} first mentions them. Every constant is used by at least one form of that table
 * (a unit test checks both directions).
 *
 * <p>Conventions an interpreter needs:
 * <ul>
 * <li>String instructions are one constant each ({@link #MOVS}, {@link #CMPS}, {@link #STOS}, {@link #LODS},
 *     {@link #SCAS}, {@link #INS}, {@link #OUTS}); their element size is the size of their memory operands.
 *     So {@link #MOVSD} and {@link #CMPSD} are only ever the SSE2 scalar-double instructions.</li>
 * <li>Mnemonics that the SDM spells differently per operand size are distinct constants chosen by the decoder:
 *     {@link #CBW}/{@link #CWDE}/{@link #CDQE}, {@link #CWD}/{@link #CDQ}/{@link #CQO}, {@link #PUSHA}/
 *     {@link #PUSHAD}, {@link #PUSHF}/{@link #PUSHFD}/{@link #PUSHFQ}, {@link #IRET}/{@link #IRETD}/
 *     {@link #IRETQ}, and by address size {@link #JCXZ}/{@link #JECXZ}/{@link #JRCXZ}.</li>
 * <li>{@link #CALL}, {@link #JMP}, {@link #RET} are near; {@link #CALLF}, {@link #JMPF}, {@link #RETF} far.</li>
 * <li>{@link #SAL} is the undocumented /6 alias of {@link #SHL} (same operation).</li>
 * <li>{@link #UD0}, {@link #UD1}, {@link #UD2} decode as valid instructions whose execution raises #UD.</li>
 * <li>{@link #condition()} gives the tttn condition of Jcc, SETcc and CMOVcc (SDM Vol. 1 Appendix B).</li>
 * </ul>
 */
public enum Op {
    ADD, PUSH, POP, OR, ADC, SBB, AND, DAA, SUB, DAS, XOR, AAA, CMP, AAS, INC, DEC, PUSHA, PUSHAD, POPA, POPAD, BOUND,
    ARPL, MOVSXD, IMUL, INS, OUTS, JO, JNO, JB, JAE, JE, JNE, JBE, JA, JS, JNS, JP, JNP, JL, JGE, JLE, JG, TEST, XCHG,
    MOV, LEA, NOP, PAUSE, CBW, CWDE, CDQE, CWD, CDQ, CQO, CALLF, FWAIT, PUSHF, PUSHFD, PUSHFQ, POPF, POPFD, POPFQ,
    SAHF, LAHF, MOVS, CMPS, STOS, LODS, SCAS, ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR, RET, LES, LDS, ENTER, LEAVE,
    RETF, INT3, INT, INTO, IRET, IRETD, IRETQ, AAM, AAD, XLAT, LOOPNE, LOOPE, LOOP, JCXZ, JECXZ, JRCXZ, IN, OUT, CALL,
    JMP, JMPF, INT1, HLT, CMC, NOT, NEG, MUL, DIV, IDIV, CLC, STC, CLI, STI, CLD, STD, SLDT, STR, LLDT, LTR, VERR,
    VERW, SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG, VMCALL, MONITOR, MWAIT, CLAC, STAC, XGETBV, XSETBV, VMMCALL,
    SERIALIZE, RDPKRU, WRPKRU, SWAPGS, RDTSCP, LAR, LSL, SYSCALL, CLTS, SYSRET, INVD, WBINVD, WBNOINVD, UD2, PREFETCH,
    PREFETCHW, PREFETCHWT1, MOVUPS, MOVUPD, MOVSS, MOVSD, MOVLPS, MOVHLPS, MOVLPD, MOVSLDUP, MOVDDUP, UNPCKLPS,
    UNPCKLPD, UNPCKHPS, UNPCKHPD, MOVHPS, MOVLHPS, MOVHPD, MOVSHDUP, PREFETCHNTA, PREFETCHT0, PREFETCHT1, PREFETCHT2, CLDEMOTE,
    ENDBR64, ENDBR32, MOVAPS, MOVAPD, CVTPI2PS, CVTPI2PD, CVTSI2SS, CVTSI2SD, MOVNTPS, MOVNTPD, CVTTPS2PI, CVTTPD2PI,
    CVTTSS2SI, CVTTSD2SI, CVTPS2PI, CVTPD2PI, CVTSS2SI, CVTSD2SI, UCOMISS, UCOMISD, COMISS, COMISD, WRMSR, RDTSC,
    RDMSR, RDPMC, SYSENTER, SYSEXIT, CMOVO, CMOVNO, CMOVB, CMOVAE, CMOVE, CMOVNE, CMOVBE, CMOVA, CMOVS, CMOVNS, CMOVP,
    CMOVNP, CMOVL, CMOVGE, CMOVLE, CMOVG, MOVMSKPS, MOVMSKPD, SQRTPS, SQRTPD, SQRTSS, SQRTSD, RSQRTPS, RSQRTSS, RCPPS,
    RCPSS, ANDPS, ANDPD, ANDNPS, ANDNPD, ORPS, ORPD, XORPS, XORPD, ADDPS, ADDPD, ADDSS, ADDSD, MULPS, MULPD, MULSS,
    MULSD, CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS, CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ, SUBPS, SUBPD, SUBSS, SUBSD, MINPS,
    MINPD, MINSS, MINSD, DIVPS, DIVPD, DIVSS, DIVSD, MAXPS, MAXPD, MAXSS, MAXSD, PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ,
    PACKSSWB, PCMPGTB, PCMPGTW, PCMPGTD, PACKUSWB, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PACKSSDW, PUNPCKLQDQ, PUNPCKHQDQ,
    MOVD, MOVQ, MOVDQA, MOVDQU, PSHUFW, PSHUFD, PSHUFHW, PSHUFLW, PSRLW, PSRAW, PSLLW, PSRLD, PSRAD, PSLLD, PSRLQ,
    PSRLDQ, PSLLQ, PSLLDQ, PCMPEQB, PCMPEQW, PCMPEQD, EMMS, HADDPD, HADDPS, HSUBPD, HSUBPS, SETO, SETNO, SETB, SETAE,
    SETE, SETNE, SETBE, SETA, SETS, SETNS, SETP, SETNP, SETL, SETGE, SETLE, SETG, CPUID, BT, SHLD, RSM, BTS, SHRD,
    FXSAVE, FXSAVE64, FXRSTOR, FXRSTOR64, LDMXCSR, STMXCSR, XSAVE, XSAVE64, XRSTOR, XRSTOR64, XSAVEOPT, XSAVEOPT64,
    CLFLUSH, LFENCE, MFENCE, SFENCE, RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE, CLWB, CLFLUSHOPT, CMPXCHG, LSS, BTR, LFS,
    LGS, MOVZX, POPCNT, UD1, BTC, BSF, TZCNT, BSR, LZCNT, MOVSX, XADD, CMPPS, CMPPD, CMPSS, CMPSD, MOVNTI, PINSRW,
    PEXTRW, SHUFPS, SHUFPD, CMPXCHG8B, CMPXCHG16B, XRSTORS, XRSTORS64, XSAVEC, XSAVEC64, XSAVES, XSAVES64, RDRAND,
    RDSEED, RDPID, BSWAP, ADDSUBPD, ADDSUBPS, PADDQ, PMULLW, MOVQ2DQ, MOVDQ2Q, PMOVMSKB, PSUBUSB, PSUBUSW, PMINUB,
    PAND, PADDUSB, PADDUSW, PMAXUB, PANDN, PAVGB, PAVGW, PMULHUW, PMULHW, CVTTPD2DQ, CVTDQ2PD, CVTPD2DQ, MOVNTQ,
    MOVNTDQ, PSUBSB, PSUBSW, PMINSW, POR, PADDSB, PADDSW, PMAXSW, PXOR, LDDQU, PMULUDQ, PMADDWD, PSADBW, MASKMOVQ,
    MASKMOVDQU, PSUBB, PSUBW, PSUBD, PSUBQ, PADDB, PADDW, PADDD, UD0, PSHUFB, PHADDW, PHADDD, PHADDSW, PMADDUBSW,
    PHSUBW, PHSUBD, PHSUBSW, PSIGNB, PSIGNW, PSIGND, PMULHRSW, PBLENDVB, BLENDVPS, BLENDVPD, PTEST, PABSB, PABSW,
    PABSD, PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ, PMULDQ, PCMPEQQ, MOVNTDQA, PACKUSDW, PMOVZXBW,
    PMOVZXBD, PMOVZXBQ, PMOVZXWD, PMOVZXWQ, PMOVZXDQ, PCMPGTQ, PMINSB, PMINSD, PMINUW, PMINUD, PMAXSB, PMAXSD, PMAXUW,
    PMAXUD, PMULLD, PHMINPOSUW, INVPCID, SHA1NEXTE, SHA1MSG1, SHA1MSG2, SHA256RNDS2, SHA256MSG1, SHA256MSG2, AESIMC,
    AESENC, AESENCLAST, AESDEC, AESDECLAST, MOVBE, CRC32, ADCX, ADOX, ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD, BLENDPS,
    BLENDPD, PBLENDW, PALIGNR, PEXTRB, PEXTRD, PEXTRQ, EXTRACTPS, PINSRB, INSERTPS, PINSRD, PINSRQ, DPPS, DPPD,
    MPSADBW, PCLMULQDQ, PCMPESTRM, PCMPESTRI, PCMPISTRM, PCMPISTRI, SHA1RNDS4, AESKEYGENASSIST, FADD, FMUL, FCOM,
    FCOMP, FSUB, FSUBR, FDIV, FDIVR, FLD, FST, FSTP, FLDENV, FLDCW, FNSTENV, FNSTCW, FXCH, FNOP, FCHS, FABS, FTST,
    FXAM, FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ, F2XM1, FYL2X, FPTAN, FPATAN, FXTRACT, FPREM1, FDECSTP,
    FINCSTP, FPREM, FYL2XP1, FSQRT, FSINCOS, FRNDINT, FSCALE, FSIN, FCOS, FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR,
    FIDIV, FIDIVR, FCMOVB, FCMOVE, FCMOVBE, FCMOVU, FUCOMPP, FILD, FISTTP, FIST, FISTP, FCMOVNB, FCMOVNE, FCMOVNBE,
    FCMOVNU, FNCLEX, FNINIT, FUCOMI, FCOMI, FRSTOR, FNSAVE, FNSTSW, FFREE, FUCOM, FUCOMP, FADDP, FMULP, FCOMPP,
    FSUBRP, FSUBP, FDIVRP, FDIVP, FBLD, FBSTP, FUCOMIP, FCOMIP;

    private final int condition = conditionOf(name());

    /** The condition code tttn (0-15) of a Jcc, SETcc or CMOVcc operation; -1 for every other operation. */
    public int condition() {
        return condition;
    }

    private static int conditionOf(String name) {
        String stem = name.startsWith("CMOV") ? name.substring(4) : name.startsWith("SET") ? name.substring(3)
                : name.startsWith("J") && !name.equals("JMP") && !name.equals("JMPF") && !name.endsWith("CXZ")
                ? name.substring(1) : null;
        if (stem != null) {
            for (int i = 0; i < Conditions.NAMES.length; i++) {
                if (Conditions.NAMES[i].equals(stem)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The tttn names; a holder class because enum constants initialise before the enum's static fields. */
    private static final class Conditions {
        static final String[] NAMES = {"O", "NO", "B", "AE", "E", "NE", "BE", "A", "S", "NS", "P", "NP", "L", "GE",
            "LE", "G"};
    }
}
