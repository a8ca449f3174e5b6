package org.hyperport.x86.machine;

/**
 * Where a boot protocol leaves the boot vCPU: the processor mode and the registers the protocol defines. The boot
 * code has already written everything this state refers to (GDT, page tables, boot_params, start_info, MBI) into
 * guest memory. Engines turn it into full register state with {@code X86CpuState.enter(X86EntryState)}.
 *
 * <p>Selectors follow the Linux boot protocol's GDT layout: entry 2 (0x10) is flat code, entry 3 (0x18) flat data;
 * {@link Mode#PROTECTED_32} additionally has a 32-bit TSS at 0x20 (PVH requires TR to be loaded). The GDT lives at
 * {@code gdtBase} with limit {@code gdtLimit}.
 *
 * @param mode     processor mode at entry
 * @param rip      entry point (physical == linear; paging is identity or off)
 * @param rsp      stack pointer (0 if the protocol defines none)
 * @param rax      EAX/RAX at entry (Multiboot magic 0x2BADB002; otherwise 0)
 * @param rbx      EBX/RBX at entry (PVH: hvm_start_info gpa; Multiboot: MBI gpa)
 * @param rsi      ESI/RSI at entry (Linux boot protocol: boot_params gpa)
 * @param cr3      page-table root for {@link Mode#LONG_64}; 0 otherwise
 * @param gdtBase  gpa of the GDT the boot code wrote
 * @param gdtLimit GDT limit (size - 1)
 */
public record X86EntryState(Mode mode, long rip, long rsp, long rax, long rbx, long rsi, long cr3, long gdtBase,
                            int gdtLimit) {

    public enum Mode {
        /** 32-bit protected mode, paging off, flat CS=0x10, DS=ES=SS=0x18, TR=0x20 (Linux 32-bit, PVH, Multiboot). */
        PROTECTED_32,
        /** 64-bit long mode with identity paging at cr3, CS=0x10 (L=1), DS=ES=SS=0x18 (Linux 64-bit entry). */
        LONG_64
    }
}
