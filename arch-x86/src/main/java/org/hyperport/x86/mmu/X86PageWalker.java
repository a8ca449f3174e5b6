package org.hyperport.x86.mmu;

import org.hyperport.api.Access;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.Translation;
import org.hyperport.x86.cpu.X86CpuState;

/**
 * The x86 paging walk (SDM Vol 3A Ch. 4): no paging, 32-bit (§4.3, with 4 MiB pages), PAE (§4.4) and 4-level
 * (§4.5) paging, with U/S, R/W (CR0.WP), NX (EFER.NXE) and accessed/dirty updates. A pure function of the control
 * registers and guest memory; {@code sideEffects=false} is the debug walk.
 */
public final class X86PageWalker {

    private static final long ADDR_MASK = 0x000F_FFFF_FFFF_F000L;
    private static final long NX = 1L << 63;
    private static final int PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80;

    private X86PageWalker() {
    }

    /**
     * Translates linear address {@code la}.
     *
     * @param cpl privilege level; 3 is a user access
     */
    public static Translation walk(GuestMemory mem, long cr0, long cr3, long cr4, long efer, long la, Access access,
                                   int cpl, boolean sideEffects) {
        if ((cr0 & X86CpuState.CR0_PG) == 0) {
            return new Translation.Mapped(la & 0xffffffffL, 4096, Translation.R | Translation.W | Translation.X
                    | Translation.USER);
        }
        boolean user = cpl == 3;
        boolean write = access == Access.WRITE;
        boolean fetch = access == Access.EXECUTE;
        boolean nxe = (efer & X86CpuState.EFER_NXE) != 0;
        int baseErr = (write ? X86PageFault.W : 0) | (user ? X86PageFault.U : 0)
                | (fetch && nxe ? X86PageFault.ID : 0);
        boolean pae = (cr4 & X86CpuState.CR4_PAE) != 0;
        boolean lma = (efer & X86CpuState.EFER_LMA) != 0;
        int levels;
        long table;
        if (!pae) {
            levels = 2;
            table = cr3 & 0xfffff000L;
            la &= 0xffffffffL;
        } else if (!lma) {
            levels = 3;
            table = cr3 & 0xffffffe0L;
            la &= 0xffffffffL;
        } else {
            levels = 4;
            table = cr3 & ADDR_MASK;
            if ((la << 16 >> 16) != la) {
                // Non-canonical: the CPU raises #GP, not #PF; report as a reserved-bit fault for the debugger.
                return new Translation.Fault(new X86PageFault(baseErr | X86PageFault.RSVD, la));
            }
        }
        boolean allowWrite = true;
        boolean allowUser = true;
        boolean allowExec = true;
        for (int level = levels; level >= 1; level--) {
            long entryGpa;
            long entry;
            boolean wide = levels != 2;
            int shift = wide ? 12 + 9 * (level - 1) : 12 + 10 * (level - 1);
            int index = (int) ((la >>> shift) & (wide ? 0x1ff : 0x3ff));
            if (levels == 3 && level == 3) {
                index = (int) ((la >>> 30) & 3);
            }
            entryGpa = table + (long) index * (wide ? 8 : 4);
            if (!mem.contains(entryGpa, wide ? 8 : 4)) {
                return new Translation.Fault(new X86PageFault(baseErr | X86PageFault.RSVD, la));
            }
            entry = wide ? mem.read64LE(entryGpa) : mem.read32LE(entryGpa) & 0xffffffffL;
            if ((entry & PTE_P) == 0) {
                return new Translation.Fault(new X86PageFault(baseErr, la));
            }
            if ((entry & NX) != 0 && !nxe && wide) {
                return new Translation.Fault(new X86PageFault(baseErr | X86PageFault.P | X86PageFault.RSVD, la));
            }
            boolean pdpte = levels == 3 && level == 3;
            if (!pdpte) {
                allowWrite &= (entry & PTE_RW) != 0;
                allowUser &= (entry & PTE_US) != 0;
                if (nxe && wide) {
                    allowExec &= (entry & NX) == 0;
                }
            }
            boolean ps = (entry & PTE_PS) != 0;
            boolean pse = (cr4 & 0x10) != 0;
            boolean leaf = level == 1 || (!pdpte && ps
                    && (wide ? level == 2 || (level == 3 && levels == 4) : pse));
            if (level == 4 && (entry & PTE_PS) != 0) {
                return new Translation.Fault(new X86PageFault(baseErr | X86PageFault.P | X86PageFault.RSVD, la));
            }
            if (!leaf) {
                if (sideEffects && !pdpte && (entry & PTE_A) == 0) {
                    writeEntry(mem, entryGpa, entry | PTE_A, wide);
                }
                table = wide ? entry & ADDR_MASK : entry & 0xfffff000L;
                continue;
            }
            boolean wp = (cr0 & X86CpuState.CR0_WP) != 0;
            boolean denied = (user && !allowUser) || (write && !allowWrite && (user || wp))
                    || (fetch && !allowExec);
            if (denied) {
                return new Translation.Fault(new X86PageFault(baseErr | X86PageFault.P, la));
            }
            long pageSize = 1L << shift;
            long frame;
            if (!wide && level == 2) {
                // 4 MiB page: bits 31:22 plus PSE-36 bits 20:13 → 39:32.
                frame = (entry & 0xffc00000L) | ((entry & 0x1fe000L) << 19);
            } else {
                frame = entry & ADDR_MASK & ~(pageSize - 1);
            }
            if (sideEffects) {
                long updated = entry | PTE_A | (write ? PTE_D : 0);
                if (updated != entry) {
                    writeEntry(mem, entryGpa, updated, wide);
                }
            }
            int perms = Translation.R | (allowWrite ? Translation.W : 0) | (allowExec ? Translation.X : 0)
                    | (allowUser ? Translation.USER : 0);
            return new Translation.Mapped(frame | (la & (pageSize - 1)), pageSize, perms);
        }
        throw new AssertionError("unreachable");
    }

    private static void writeEntry(GuestMemory mem, long gpa, long value, boolean wide) {
        if (wide) {
            mem.write64LE(gpa, value);
        } else {
            mem.write32LE(gpa, (int) value);
        }
    }
}
