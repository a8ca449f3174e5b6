package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.Segment;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.decode.Instruction;
import org.hyperport.x86.decode.Operand;

/**
 * Control and debug registers (SDM Vol 3A §2.5 "Control Registers", Vol 2 "MOV—Move to/from Control Registers",
 * "MOV—Move to/from Debug Registers", CLTS, LMSW, SMSW), and the mode switches they cause: entering protected mode
 * (CR0.PE) and activating IA-32e mode (CR0.PG with IA32_EFER.LME, Vol 3A §10.8.5). Every write that can change
 * translations flushes the software TLB.
 */
final class ControlRegisters {

    static final long CR0_MP = 1 << 1, CR0_EM = 1 << 2, CR0_TS = 1 << 3, CR0_NE = 1 << 5, CR0_AM = 1 << 18,
            CR0_NW = 1L << 29, CR0_CD = 1L << 30;
    /** The CR0 bits that exist; writes to the other bits of CR0[31:0] are ignored. */
    static final long CR0_DEFINED = X86CpuState.CR0_PE | CR0_MP | CR0_EM | CR0_TS | X86CpuState.CR0_ET | CR0_NE
            | X86CpuState.CR0_WP | CR0_AM | CR0_NW | CR0_CD | X86CpuState.CR0_PG;
    /**
     * The CR4 bits this CPU allows (VME, PVI, UMIP, LA57, VMXE, SMXE, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE and
     * the rest are not in the CPUID model, so setting them is #GP(0)): TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR,
     * OSXMMEXCPT.
     */
    static final long CR4_ALLOWED = 0x7fc;
    /** CR3 bits above MAXPHYADDR (40, CPUID 80000008H) are reserved. */
    static final long CR3_RESERVED = ~((1L << 40) - 1);

    private ControlRegisters() {
    }

    /** MOV CRn (Vol 2): privileged; reads and writes 32 bits outside 64-bit mode, 64 bits inside. */
    static void moveCr(X86Interpreter x, Operand dst, Operand src) {
        if (x.cpl() != 0 || SystemInstructions.v8086(x)) {
            throw SystemInstructions.gp0(x);
        }
        if (dst.regClass() == Operand.RegClass.CR) {
            writeCr(x, dst.reg(), x.reg(src.reg(), src.size()));
        } else {
            x.setReg(dst.reg(), dst.size(), readCr(x, src.reg()));
        }
    }

    static long readCr(X86Interpreter x, int n) {
        X86CpuState c = x.cpu;
        return switch (n) {
            case 0 -> c.cr0;
            case 2 -> c.cr2;
            case 3 -> c.cr3;
            case 4 -> c.cr4;
            case 8 -> c.cr8 & 0xf;
            default -> throw x.fault.raise(CpuFault.UD);
        };
    }

    static void writeCr(X86Interpreter x, int n, long v) {
        switch (n) {
            case 0 -> writeCr0(x, v);
            case 2 -> x.cpu.cr2 = v;
            case 3 -> writeCr3(x, v);
            case 4 -> writeCr4(x, v);
            case 8 -> {
                if ((v & ~0xfL) != 0) {
                    throw SystemInstructions.gp0(x);
                }
                x.cpu.cr8 = v;
            }
            default -> throw x.fault.raise(CpuFault.UD);
        }
    }

    /**
     * CR0 (Vol 3A §2.5, §10.8.5, Vol 2 MOV CR): #GP(0) for bits 63:32, PG without PE, NW without CD, clearing PG in
     * 64-bit mode, and for activating IA-32e mode without CR4.PAE or from a code segment with L set. Setting PG
     * with EFER.LME sets EFER.LMA; clearing PG (from compatibility mode) clears it. ET reads as 1.
     */
    static void writeCr0(X86Interpreter x, long v) {
        X86CpuState c = x.cpu;
        if ((v >>> 32) != 0) {
            throw SystemInstructions.gp0(x);
        }
        v = (v & CR0_DEFINED) | X86CpuState.CR0_ET;
        boolean pg = (v & X86CpuState.CR0_PG) != 0;
        boolean wasPg = (c.cr0 & X86CpuState.CR0_PG) != 0;
        if ((pg && (v & X86CpuState.CR0_PE) == 0) || ((v & CR0_NW) != 0 && (v & CR0_CD) == 0)) {
            throw SystemInstructions.gp0(x);
        }
        boolean lme = (c.efer & X86CpuState.EFER_LME) != 0;
        if (!pg && wasPg && x.longMode64()) {
            throw SystemInstructions.gp0(x);
        }
        if (pg && !wasPg && lme
                && ((c.cr4 & X86CpuState.CR4_PAE) == 0 || (c.cs.attr & Segment.L) != 0)) {
            throw SystemInstructions.gp0(x);
        }
        c.cr0 = v;
        if (pg && !wasPg && lme) {
            c.efer |= X86CpuState.EFER_LMA;
        } else if (!pg && wasPg) {
            c.efer &= ~X86CpuState.EFER_LMA;
        }
        x.mem.flush();
    }

    /**
     * CR3 (Vol 3A §4.5, Vol 2 MOV CR): in IA-32e mode bits above MAXPHYADDR are reserved (#GP(0)); with PCIDE
     * unsupported, bit 63 (no-flush) is one of them. Outside IA-32e mode CR3 holds 32 bits.
     */
    static void writeCr3(X86Interpreter x, long v) {
        X86CpuState c = x.cpu;
        if (SystemInstructions.ia32e(x)) {
            if ((v & CR3_RESERVED) != 0) {
                throw SystemInstructions.gp0(x);
            }
        } else {
            v &= 0xffffffffL;
        }
        c.cr3 = v;
        x.mem.flush();
    }

    /** CR4 (Vol 3A §2.5): unsupported or reserved bits are #GP(0), as is clearing PAE while IA-32e mode is active. */
    static void writeCr4(X86Interpreter x, long v) {
        X86CpuState c = x.cpu;
        if ((v & ~CR4_ALLOWED) != 0
                || (SystemInstructions.ia32e(x) && (v & X86CpuState.CR4_PAE) == 0)) {
            throw SystemInstructions.gp0(x);
        }
        c.cr4 = v;
        x.mem.flush();
    }

    /**
     * MOV DRn (Vol 2, Vol 3B §18.2): privileged; DR4/DR5 alias DR6/DR7 unless CR4.DE (then #UD); in 64-bit mode
     * writing 1 to DR6/DR7 bits 63:32 is #GP(0). The registers are stored with their fixed bits but breakpoints are
     * not armed (DR7.GD is not honoured either).
     */
    static void moveDr(X86Interpreter x, Operand dst, Operand src) {
        if (x.cpl() != 0 || SystemInstructions.v8086(x)) {
            throw SystemInstructions.gp0(x);
        }
        boolean toDr = dst.regClass() == Operand.RegClass.DR;
        int n = toDr ? dst.reg() : src.reg();
        if (n == 4 || n == 5) {
            if ((x.cpu.cr4 & SystemInstructions.CR4_DE) != 0) {
                throw x.fault.raise(CpuFault.UD);
            }
            n += 2;
        }
        long[] dr = x.cpu.dr;
        if (!toDr) {
            x.setReg(dst.reg(), dst.size(), dr[n]);
            return;
        }
        long v = x.reg(src.reg(), src.size());
        switch (n) {
            case 6 -> {
                if ((v >>> 32) != 0) {
                    throw SystemInstructions.gp0(x);
                }
                dr[6] = (v & 0xe00fL) | 0xffff0ff0L;
            }
            case 7 -> {
                if ((v >>> 32) != 0) {
                    throw SystemInstructions.gp0(x);
                }
                dr[7] = (v & 0xffff23ffL) | 0x400;
            }
            default -> dr[n] = v;
        }
    }

    /** CLTS (Vol 2): privileged; clears CR0.TS. */
    static void clts(X86Interpreter x) {
        if (x.cpl() != 0 || SystemInstructions.v8086(x)) {
            throw SystemInstructions.gp0(x);
        }
        x.cpu.cr0 &= ~CR0_TS;
    }

    /** LMSW (Vol 2): privileged; loads CR0 bits 3:0 from the 16-bit operand but cannot clear PE. */
    static void lmsw(X86Interpreter x, Instruction i) {
        if (x.cpl() != 0 || SystemInstructions.v8086(x)) {
            throw SystemInstructions.gp0(x);
        }
        long msw = x.read(i.operand(0)) & 0xf;
        x.cpu.cr0 = (x.cpu.cr0 & ~0xeL) | msw | (x.cpu.cr0 & X86CpuState.CR0_PE);
    }

    /**
     * SMSW (Vol 2): not privileged (no UMIP). A memory destination gets 16 bits; a register gets CR0 at the operand
     * size.
     */
    static void smsw(X86Interpreter x, Instruction i) {
        x.write(i.operand(0), x.cpu.cr0);
    }
}
