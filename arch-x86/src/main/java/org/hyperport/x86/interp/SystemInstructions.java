package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Op;
import org.hyperport.x86.decode.Operand;
import org.hyperport.x86.decode.Operand.RegClass;

/**
 * The system instructions of SDM Vol 3A Ch. 2.8 ("System Instruction Summary") and the privileged and segment
 * operations of Vol 2 that go with them. This class dispatches and holds the small ones; the larger families live
 * in {@link ControlRegisters} (MOV CRn/DRn, CLTS, LMSW, SMSW), {@link Msrs} (RDMSR/WRMSR), {@link SegmentInstructions}
 * (segment loads, descriptor tables, LDTR/TR, VERR/VERW/LAR/LSL, SWAPGS), {@link FarTransfers} (far JMP/CALL/RET,
 * IRET, INT n, SYSCALL/SYSRET, SYSENTER/SYSEXIT) and {@link IoInstructions} (IN/OUT/INS/OUTS and I/O permission).
 *
 * <p>MOV, PUSH and POP are claimed only when an operand is a segment, control or debug register; everything else of
 * theirs is left to the general-purpose group. The class is stateless: one instance can serve every vCPU.
 */
public final class SystemInstructions implements X86Interpreter.Semantics {

    /** A shared instance; the class holds no state. */
    public static final SystemInstructions INSTANCE = new SystemInstructions();

    static final long ZF = 1 << 6, IF = 1 << 9, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14,
            RF = 1 << 16, VM = 1 << 17, AC = 1 << 18, VIF = 1 << 19, VIP = 1 << 20, ID = 1 << 21;
    static final long CR4_TSD = 1 << 2, CR4_DE = 1 << 3, CR4_PCE = 1 << 8;

    public SystemInstructions() {
    }

    @Override
    public boolean execute(X86Interpreter x, Instruction i) {
        switch (i.op()) {
            case MOV -> {
                return moveSpecial(x, i);
            }
            case PUSH -> {
                return i.operand(0).isReg() && i.operand(0).regClass() == RegClass.SEG
                        && SegmentInstructions.pushSreg(x, i);
            }
            case POP -> {
                return i.operand(0).isReg() && i.operand(0).regClass() == RegClass.SEG
                        && SegmentInstructions.popSreg(x, i);
            }
            case CLTS -> ControlRegisters.clts(x);
            case LMSW -> ControlRegisters.lmsw(x, i);
            case SMSW -> ControlRegisters.smsw(x, i);
            case LGDT, LIDT -> SegmentInstructions.loadTableRegister(x, i);
            case SGDT, SIDT -> SegmentInstructions.storeTableRegister(x, i);
            case LLDT -> SegmentInstructions.lldt(x, i);
            case LTR -> SegmentInstructions.ltr(x, i);
            case SLDT -> x.write(i.operand(0), x.cpu.ldt.selector);
            case STR -> x.write(i.operand(0), x.cpu.tr.selector);
            case VERR, VERW -> SegmentInstructions.verify(x, i);
            case LAR, LSL -> SegmentInstructions.accessRightsOrLimit(x, i);
            case LDS, LES, LFS, LGS, LSS -> SegmentInstructions.loadFarPointer(x, i);
            case SWAPGS -> SegmentInstructions.swapgs(x);
            case JMPF, CALLF -> FarTransfers.jumpOrCall(x, i);
            case RETF -> FarTransfers.farReturn(x, i);
            case IRET, IRETD, IRETQ -> FarTransfers.interruptReturn(x, i);
            case INT, INT3, INTO, INT1 -> FarTransfers.softwareInterrupt(x, i);
            case SYSCALL -> FarTransfers.syscall(x);
            case SYSRET -> FarTransfers.sysret(x, i);
            case SYSENTER -> FarTransfers.sysenter(x);
            case SYSEXIT -> FarTransfers.sysexit(x, i);
            case RDMSR -> Msrs.rdmsr(x);
            case WRMSR -> Msrs.wrmsr(x);
            case CPUID -> cpuid(x);
            case RDTSC, RDTSCP -> rdtsc(x, i.op() == Op.RDTSCP);
            case RDPMC -> rdpmc(x);
            case XGETBV, XSETBV, INVPCID -> throw x.fault.raise(CpuFault.UD);
            case HLT -> hlt(x);
            case CLI, STI -> setInterruptFlag(x, i.op() == Op.STI);
            case INVLPG -> invlpg(x, i);
            case WBINVD, INVD, WBNOINVD -> requireCpl0(x);
            case IN, OUT, INS, OUTS -> IoInstructions.execute(x, i);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** MOV to or from a segment, control or debug register; false for every other MOV. */
    private static boolean moveSpecial(X86Interpreter x, Instruction i) {
        Operand dst = i.operand(0);
        Operand src = i.operand(1);
        RegClass d = dst.isReg() ? dst.regClass() : RegClass.GPR;
        RegClass s = src.isReg() ? src.regClass() : RegClass.GPR;
        if (d == RegClass.SEG) {
            SegmentInstructions.moveToSreg(x, dst.reg(), (int) x.read(src) & 0xffff);
        } else if (s == RegClass.SEG) {
            x.write(dst, x.read(src));
        } else if (d == RegClass.CR || s == RegClass.CR) {
            ControlRegisters.moveCr(x, dst, src);
        } else if (d == RegClass.DR || s == RegClass.DR) {
            ControlRegisters.moveDr(x, dst, src);
        } else {
            return false;
        }
        return true;
    }

    // ---- Shared checks ---------------------------------------------------------------------------------------------

    /** #GP(0) unless CPL = 0 (the privileged instructions of Vol 3A §5.9). */
    static void requireCpl0(X86Interpreter x) {
        if (x.cpl() != 0) {
            throw x.fault.raise(CpuFault.GP, 0);
        }
    }

    static CpuFault gp0(X86Interpreter x) {
        return x.fault.raise(CpuFault.GP, 0);
    }

    static boolean protectedMode(X86Interpreter x) {
        return (x.cpu.cr0 & X86CpuState.CR0_PE) != 0 && (x.cpu.rflags & VM) == 0;
    }

    static boolean v8086(X86Interpreter x) {
        return (x.cpu.cr0 & X86CpuState.CR0_PE) != 0 && (x.cpu.rflags & VM) != 0;
    }

    static boolean ia32e(X86Interpreter x) {
        return (x.cpu.efer & X86CpuState.EFER_LMA) != 0;
    }

    static int iopl(X86Interpreter x) {
        return (int) (x.cpu.rflags >>> 12) & 3;
    }

    static boolean canonical(long la) {
        return (la << 16 >> 16) == la;
    }

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    // ---- Small instructions ---------------------------------------------------------------------------------------

    /** CPUID (Vol 2): the machine's model through {@link CpuHooks#cpuid}; results zero-extend into RAX..RDX. */
    private static void cpuid(X86Interpreter x) {
        int[] out = new int[4];
        x.hooks.cpuid((int) x.cpu.gpr[X86CpuState.RAX], (int) x.cpu.gpr[X86CpuState.RCX], out);
        x.setReg(X86CpuState.RAX, 4, out[0] & 0xffffffffL);
        x.setReg(X86CpuState.RBX, 4, out[1] & 0xffffffffL);
        x.setReg(X86CpuState.RCX, 4, out[2] & 0xffffffffL);
        x.setReg(X86CpuState.RDX, 4, out[3] & 0xffffffffL);
    }

    /** RDTSC/RDTSCP (Vol 2): #GP(0) when CR4.TSD is set and CPL > 0; RDTSCP also loads ECX with IA32_TSC_AUX. */
    private static void rdtsc(X86Interpreter x, boolean withAux) {
        if ((x.cpu.cr4 & CR4_TSD) != 0 && x.cpl() != 0) {
            throw gp0(x);
        }
        long tsc = x.hooks.tsc();
        x.setReg(X86CpuState.RAX, 4, tsc & 0xffffffffL);
        x.setReg(X86CpuState.RDX, 4, tsc >>> 32);
        if (withAux) {
            x.setReg(X86CpuState.RCX, 4, x.cpu.msr[Msrs.SLOT_TSC_AUX] & 0xffffffffL);
        }
    }

    /**
     * RDPMC (Vol 2): #GP(0) at CPL > 0 unless CR4.PCE, and #GP(0) for an invalid counter index. The CPUID model
     * advertises no performance counters (leaf 0AH is zero), so every index is invalid and RDPMC always faults, as
     * it does under KVM without a virtual PMU.
     */
    private static void rdpmc(X86Interpreter x) {
        if (x.cpl() != 0 && (x.cpu.cr4 & CR4_PCE) == 0) {
            throw gp0(x);
        }
        throw gp0(x);
    }

    /** HLT (Vol 2): privileged; the engine resumes at the next instruction when an interrupt arrives. */
    private static void hlt(X86Interpreter x) {
        requireCpl0(x);
        x.halted = true;
    }

    /**
     * CLI/STI (Vol 2, Vol 3A §20.2.5 and Table 20-2): IF changes when CPL ≤ IOPL (always in real mode, at IOPL 3 in
     * virtual-8086 mode); otherwise #GP(0), since neither VME nor PVI is supported. STI that sets IF blocks
     * interrupts until the next instruction has completed.
     */
    private static void setInterruptFlag(X86Interpreter x, boolean set) {
        boolean allowed = (x.cpu.cr0 & X86CpuState.CR0_PE) == 0
                || (v8086(x) ? iopl(x) == 3 : x.cpl() <= iopl(x));
        if (!allowed) {
            throw gp0(x);
        }
        if (set) {
            if ((x.cpu.rflags & IF) == 0) {
                x.interruptShadow = true;
            }
            x.cpu.rflags |= IF;
        } else {
            x.cpu.rflags &= ~IF;
        }
    }

    /**
     * INVLPG (Vol 2, Vol 3A §4.10.4.1): privileged; invalidates the translations of the page holding the address,
     * all of them if a large page maps it ({@link LinearMemory#flushPage}). It never faults on the address itself,
     * so a non-canonical one only invalidates nothing.
     */
    private static void invlpg(X86Interpreter x, Instruction i) {
        requireCpl0(x);
        Operand m = i.operand(0);
        long offset = x.offset(m);
        long la = x.longMode64() ? (m.segment() >= Operand.FS ? offset + x.segment(m.segment()).base : offset)
                : (x.segment(m.segment()).base + offset) & 0xffffffffL;
        x.mem.flushPage(la);
    }
}
