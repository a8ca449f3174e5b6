package org.hyperport.x86.interp;

import org.hyperport.x86.cpu.X86CpuState;

/**
 * RDMSR and WRMSR (Vol 2) for the MSRs of the CPU core (SDM Vol 4 Table 2-2 "IA-32 Architectural MSRs"), stored in
 * {@link X86CpuState}. Indices the core does not own go to {@link CpuHooks#readMsr}/{@link CpuHooks#writeMsr} (the
 * local APIC, TSC deadline); an index nobody owns, a write of a read-only MSR, and a value with reserved bits set
 * are #GP(0).
 */
final class Msrs {

    static final int TSC = 0x10, PLATFORM_ID = 0x17, APIC_BASE = 0x1b, BIOS_UPDT_TRIG = 0x79, BIOS_SIGN_ID = 0x8b,
            MPERF = 0xe7, APERF = 0xe8, MTRRCAP = 0xfe, SYSENTER_CS = 0x174, SYSENTER_ESP = 0x175,
            SYSENTER_EIP = 0x176, MISC_ENABLE = 0x1a0, MTRR_PHYS_BASE0 = 0x200, MTRR_FIX64K = 0x250,
            MTRR_FIX16K_80000 = 0x258, MTRR_FIX16K_A0000 = 0x259, MTRR_FIX4K_C0000 = 0x268, PAT = 0x277,
            MTRR_DEF_TYPE = 0x2ff, EFER = 0xC0000080, STAR = 0xC0000081, LSTAR = 0xC0000082, CSTAR = 0xC0000083,
            SFMASK = 0xC0000084, FS_BASE = 0xC0000100, GS_BASE = 0xC0000101, KERNEL_GS_BASE = 0xC0000102,
            TSC_AUX = 0xC0000103;

    /** Indices into {@link X86CpuState#msr}, resolved once ({@link X86CpuState#msrSlot} walks a map). */
    static final int SLOT_SYSENTER_CS = X86CpuState.msrSlot(SYSENTER_CS),
            SLOT_SYSENTER_ESP = X86CpuState.msrSlot(SYSENTER_ESP),
            SLOT_SYSENTER_EIP = X86CpuState.msrSlot(SYSENTER_EIP),
            SLOT_PAT = X86CpuState.msrSlot(PAT), SLOT_STAR = X86CpuState.msrSlot(STAR),
            SLOT_LSTAR = X86CpuState.msrSlot(LSTAR), SLOT_CSTAR = X86CpuState.msrSlot(CSTAR),
            SLOT_SFMASK = X86CpuState.msrSlot(SFMASK), SLOT_KERNEL_GS_BASE = X86CpuState.msrSlot(KERNEL_GS_BASE),
            SLOT_TSC_AUX = X86CpuState.msrSlot(TSC_AUX), SLOT_MTRR_DEF_TYPE = X86CpuState.msrSlot(MTRR_DEF_TYPE);

    /** IA32_MTRRCAP: 8 variable ranges, fixed ranges and write-combining supported, no SMRR. */
    static final long MTRRCAP_VALUE = 0x508;
    static final long EFER_WRITABLE = X86CpuState.EFER_SCE | X86CpuState.EFER_LME | X86CpuState.EFER_NXE;
    /** Physical-address bits above MAXPHYADDR (40) in MTRR and APIC base values. */
    static final long ABOVE_MAXPHYADDR = ~((1L << 40) - 1);

    private Msrs() {
    }

    /** RDMSR: privileged; EDX:EAX ← MSR[ECX]. */
    static void rdmsr(X86Interpreter x) {
        SystemInstructions.requireCpl0(x);
        long v = read(x, (int) x.cpu.gpr[X86CpuState.RCX]);
        x.setReg(X86CpuState.RAX, 4, v & 0xffffffffL);
        x.setReg(X86CpuState.RDX, 4, v >>> 32);
    }

    /** WRMSR: privileged; MSR[ECX] ← EDX:EAX. */
    static void wrmsr(X86Interpreter x) {
        SystemInstructions.requireCpl0(x);
        long v = (x.cpu.gpr[X86CpuState.RDX] << 32) | (x.cpu.gpr[X86CpuState.RAX] & 0xffffffffL);
        write(x, (int) x.cpu.gpr[X86CpuState.RCX], v);
    }

    /** The {@link X86CpuState#msr} slot of a core MSR kept there, or -1 (IA32_TSC lives in the hooks). */
    static int slot(int index) {
        return switch (index) {
            case SYSENTER_CS -> SLOT_SYSENTER_CS;
            case SYSENTER_ESP -> SLOT_SYSENTER_ESP;
            case SYSENTER_EIP -> SLOT_SYSENTER_EIP;
            case PAT -> SLOT_PAT;
            case STAR -> SLOT_STAR;
            case LSTAR -> SLOT_LSTAR;
            case CSTAR -> SLOT_CSTAR;
            case SFMASK -> SLOT_SFMASK;
            case KERNEL_GS_BASE -> SLOT_KERNEL_GS_BASE;
            case TSC_AUX -> SLOT_TSC_AUX;
            case MTRR_DEF_TYPE -> SLOT_MTRR_DEF_TYPE;
            default -> -1;
        };
    }

    static long read(X86Interpreter x, int index) {
        X86CpuState c = x.cpu;
        if (index == TSC) {
            return x.hooks.tsc();
        }
        int slot = slot(index);
        if (slot >= 0) {
            return c.msr[slot];
        }
        if (index >= MTRR_PHYS_BASE0 && index < MTRR_PHYS_BASE0 + 16) {
            return c.mtrrVar[index - MTRR_PHYS_BASE0];
        }
        int fixed = fixedMtrr(index);
        if (fixed >= 0) {
            return c.mtrrFixed[fixed];
        }
        return switch (index) {
            case EFER -> c.efer;
            case FS_BASE -> c.fs.base;
            case GS_BASE -> c.gs.base;
            case MISC_ENABLE -> c.miscEnable;
            case MTRRCAP -> MTRRCAP_VALUE;
            case PLATFORM_ID, BIOS_SIGN_ID, MPERF, APERF -> 0;
            default -> readOther(x, index);
        };
    }

    private static long readOther(X86Interpreter x, int index) {
        long[] out = new long[1];
        if (x.hooks.readMsr(index, out)) {
            return out[0];
        }
        if (index == APIC_BASE) {
            return x.cpu.apicBase;
        }
        throw SystemInstructions.gp0(x);
    }

    static void write(X86Interpreter x, int index, long v) {
        X86CpuState c = x.cpu;
        switch (index) {
            case TSC -> x.hooks.setTsc(v);
            case EFER -> writeEfer(x, v);
            case STAR -> c.msr[SLOT_STAR] = v;
            case LSTAR, CSTAR, KERNEL_GS_BASE, SYSENTER_ESP, SYSENTER_EIP -> c.msr[slot(index)] =
                    canonical(x, v);
            case SFMASK, TSC_AUX -> c.msr[slot(index)] = noHighBits(x, v);
            case SYSENTER_CS -> c.msr[slot(index)] = v & 0xffffffffL;
            case FS_BASE -> c.fs.base = canonical(x, v);
            case GS_BASE -> c.gs.base = canonical(x, v);
            case PAT -> c.msr[SLOT_PAT] = validPat(x, v);
            case MTRR_DEF_TYPE -> {
                if ((v & ~0xcffL) != 0 || !validMemoryType((int) v & 0xff, false)) {
                    throw SystemInstructions.gp0(x);
                }
                c.msr[SLOT_MTRR_DEF_TYPE] = v;
            }
            case MISC_ENABLE -> c.miscEnable = v;
            case BIOS_SIGN_ID, BIOS_UPDT_TRIG, MPERF, APERF -> {
                // Accepted and ignored: no microcode to load, the performance counters always read 0.
            }
            default -> writeOther(x, index, v);
        }
    }

    private static void writeOther(X86Interpreter x, int index, long v) {
        X86CpuState c = x.cpu;
        if (index >= MTRR_PHYS_BASE0 && index < MTRR_PHYS_BASE0 + 16) {
            boolean base = (index & 1) == 0;
            long reserved = ABOVE_MAXPHYADDR | (base ? 0xf00 : 0x7ff);
            if ((v & reserved) != 0 || (base && !validMemoryType((int) v & 0xff, false))) {
                throw SystemInstructions.gp0(x);
            }
            c.mtrrVar[index - MTRR_PHYS_BASE0] = v;
            return;
        }
        int fixed = fixedMtrr(index);
        if (fixed >= 0) {
            for (int b = 0; b < 8; b++) {
                if (!validMemoryType((int) (v >>> (8 * b)) & 0xff, false)) {
                    throw SystemInstructions.gp0(x);
                }
            }
            c.mtrrFixed[fixed] = v;
            return;
        }
        if (x.hooks.writeMsr(index, v)) {
            return;
        }
        if (index == APIC_BASE) {
            // Without a machine-owned APIC: BSP (8), global enable (11) and the base below MAXPHYADDR are writable.
            if ((v & (ABOVE_MAXPHYADDR | 0x6ff)) != 0) {
                throw SystemInstructions.gp0(x);
            }
            c.apicBase = v;
            return;
        }
        throw SystemInstructions.gp0(x);
    }

    /**
     * IA32_EFER (Vol 3A §2.2.1, §10.8.5): SCE, LME and NXE are writable; LMA is read-only (the written bit is
     * ignored); other bits are reserved (#GP(0)); changing LME while paging is enabled is #GP(0).
     */
    static void writeEfer(X86Interpreter x, long v) {
        X86CpuState c = x.cpu;
        if ((v & ~(EFER_WRITABLE | X86CpuState.EFER_LMA)) != 0) {
            throw SystemInstructions.gp0(x);
        }
        long lmeChange = (v ^ c.efer) & X86CpuState.EFER_LME;
        if (lmeChange != 0 && (c.cr0 & X86CpuState.CR0_PG) != 0) {
            throw SystemInstructions.gp0(x);
        }
        c.efer = (v & EFER_WRITABLE) | (c.efer & X86CpuState.EFER_LMA);
        x.mem.flush();
    }

    /** IA32_PAT (Vol 3A §13.12.2): each of the eight entries must be a valid type (0, 1, 4, 5, 6, 7). */
    private static long validPat(X86Interpreter x, long v) {
        for (int b = 0; b < 8; b++) {
            if (!validMemoryType((int) (v >>> (8 * b)) & 0xff, true)) {
                throw SystemInstructions.gp0(x);
            }
        }
        return v;
    }

    /** Memory types of Vol 3A Table 13-8 (MTRRs) and 13-10 (PAT: also 7, UC-). */
    private static boolean validMemoryType(int t, boolean pat) {
        return t == 0 || t == 1 || t == 4 || t == 5 || t == 6 || (pat && t == 7);
    }

    /** Index into {@link X86CpuState#mtrrFixed} of a fixed-range MTRR, or -1. */
    private static int fixedMtrr(int index) {
        return switch (index) {
            case MTRR_FIX64K -> 0;
            case MTRR_FIX16K_80000 -> 1;
            case MTRR_FIX16K_A0000 -> 2;
            default -> index >= MTRR_FIX4K_C0000 && index < MTRR_FIX4K_C0000 + 8 ? 3 + index - MTRR_FIX4K_C0000 : -1;
        };
    }

    private static long canonical(X86Interpreter x, long v) {
        if (!SystemInstructions.canonical(v)) {
            throw SystemInstructions.gp0(x);
        }
        return v;
    }

    private static long noHighBits(X86Interpreter x, long v) {
        if ((v >>> 32) != 0) {
            throw SystemInstructions.gp0(x);
        }
        return v;
    }
}
