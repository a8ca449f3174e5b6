/*
 * Multiboot v1 entry shared by the x86_64 guests. The loader (QEMU -kernel, hyperport, bench/kvm-pio) enters
 * _start in 32-bit protected mode with paging off, EAX = 0x2BADB002 and EBX = the Multiboot information. We load
 * our own GDT, identity-map the first 1 GiB with 2 MiB pages, enable PAE + EFER.LME + paging, and far-jump to
 * 64-bit code, which sets up a stack and calls the guest's main64. main64 must not return (it calls debug_exit).
 */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0
        .set CR0_PE, 1 << 0
        .set CR0_PG, 1 << 31
        .set CR4_PAE, 1 << 5
        .set MSR_EFER, 0xC0000080
        .set EFER_LME, 1 << 8
        .set PTE_P_W, 0x3
        .set PTE_PS, 0x80
        .set SEL_CODE64, 0x08
        .set SEL_DATA, 0x10
        .set SEL_CODE32, 0x18

        .section .multiboot, "a"
        .balign 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .text
        .code32
        .globl _start
_start:
        cli
        movl %eax, mb_magic
        movl %ebx, mb_info
        lgdt gdt_descriptor
        movw $SEL_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movw %ax, %fs
        movw %ax, %gs
        movl $stack_top, %esp
        ljmp $SEL_CODE32, $1f
1:
        /* Zero PML4, PDPT and PD (3 pages), then link PML4[0] -> PDPT[0] -> PD -> 512 x 2 MiB. */
        movl $pml4, %edi
        xorl %eax, %eax
        movl $(3 * 4096 / 4), %ecx
        rep stosl
        movl $(pdpt + PTE_P_W), pml4
        movl $(pd + PTE_P_W), pdpt
        movl $pd, %edi
        movl $(PTE_P_W | PTE_PS), %eax
        movl $512, %ecx
2:      movl %eax, (%edi)
        addl $0x200000, %eax
        addl $8, %edi
        loop 2b

        movl %cr4, %eax
        orl $CR4_PAE, %eax
        movl %eax, %cr4
        movl $pml4, %eax
        movl %eax, %cr3
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        wrmsr
        movl %cr0, %eax
        orl $(CR0_PG | CR0_PE), %eax
        movl %eax, %cr0
        ljmp $SEL_CODE64, $long_mode

        .code64
long_mode:
        movw $SEL_DATA, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movl $stack_top, %esp
        call main64
3:      cli
        hlt
        jmp 3b

        .section .rodata
        .balign 8
gdt:
        .quad 0
        .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code, DPL 0 */
        .quad 0x00CF92000000FFFF        /* 0x10: flat data */
        .quad 0x00CF9A000000FFFF        /* 0x18: flat 32-bit code */
gdt_end:
        .balign 2
gdt_descriptor:
        .word gdt_end - gdt - 1
        .long gdt

        .data
        .balign 4
        .globl mb_magic, mb_info
mb_magic:
        .long 0
mb_info:
        .long 0

        /* guest.ld places this section on a 4 KiB boundary (without raising the ELF segment's alignment).
         * Global so that the test runtime (rt/rt.S, tests/lib) can add user and test mappings. */
        .section .bss.pagetables, "aw", @nobits
        .globl pml4, pdpt, pd
pml4:   .skip 4096
pdpt:   .skip 4096
pd:     .skip 4096

        .bss
        .balign 16
stack:  .skip 16384
stack_top:
