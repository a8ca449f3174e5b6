/*
 * Kernel half of the x86_64 test runtime, shared by the C programs (rt/crt0.S) and the assembly tests
 * (tests/lib/testlib.S). common/entry.S calls main64 in 64-bit mode, on its 16 KiB stack, with the first 1 GiB
 * identity-mapped by 2 MiB pages. main64:
 *
 *   1. clears .bss above the page tables (__bss_start..__bss_end from common/guest.ld; the stack it runs on is
 *      in there too, but holds nothing live yet);
 *   2. enables SSE: CR0.EM=0, CR0.TS=0, CR0.MP=1, CR0.NE=1, CR4.OSFXSR=1, CR4.OSXMMEXCPT=1;
 *   3. masks both 8259As (SeaBIOS under QEMU leaves IRQ0 routed to vector 8), sets up COM1 and the IDT
 *      (common/idt.S with 256 vectors: 0-31 print "exception: vector N" and exit with status 3);
 *   4. loads its own GDT (kernel code/data as in entry.S, user data 0x23, user code 0x2b, a 64-bit TSS at 0x30
 *      whose RSP0 is a 16 KiB stack of its own, rt_rsp0_top, and whose I/O permission bitmap lets CPL 3 use COM1
 *      0x3f8-0x3ff and ports 0xf4-0xfb: the debug-exit and state-record ports);
 *   5. sets U/S on PML4[0], PDPT[0] and PD[0], so the first 2 MiB (the whole image) is usable from CPL 3;
 *   6. calls kmain, which the program provides; if kmain returns, its EAX is the exit status.
 *
 * Code that runs at CPL 3 does its port I/O directly: the I/O bitmap allows it. IOPL stays 0 because this host's
 * nested KVM does not honour IOPL 3 at CPL 3 (it does honour the bitmap). CPL 3 gets back to CPL 0 only through
 * exceptions: that host's KVM turns INT n at CPL 3 into #UD, cannot emulate INT n at CPL 0, and enters a SYSCALL
 * target without changing CS.
 */
        .include "hp-x86.inc"

        .set CR0_MP, 1 << 1
        .set CR0_EM, 1 << 2
        .set CR0_TS, 1 << 3
        .set CR0_NE, 1 << 5
        .set CR4_OSFXSR, 1 << 9
        .set CR4_OSXMMEXCPT, 1 << 10
        .set PTE_US, 1 << 2

        .text
        .code64
        .globl main64
main64:
        leaq __bss_start(%rip), %rdi
        leaq __bss_end(%rip), %rcx
        subq %rdi, %rcx
        shrq $3, %rcx
        xorl %eax, %eax
        cld
        rep stosq

        movq %cr0, %rax
        andq $~(CR0_EM | CR0_TS), %rax
        orq $(CR0_MP | CR0_NE), %rax
        movq %rax, %cr0
        movq %cr4, %rax
        orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
        movq %rax, %cr4

        movb $0xFF, %al
        outb %al, $0x21
        outb %al, $0xA1

        call serial_init
        call idt_init


        /* TSS: base into the descriptor; RSP0 (interrupts from CPL 3 land there). */
        leaq tss(%rip), %rax
        movw %ax, gdt + SEL_TSS + 2(%rip)
        shrq $16, %rax
        movb %al, gdt + SEL_TSS + 4(%rip)
        movb %ah, gdt + SEL_TSS + 7(%rip)
        shrq $16, %rax
        movl %eax, gdt + SEL_TSS + 8(%rip)
        leaq rt_rsp0_top(%rip), %rax
        movq %rax, tss + TSS_RSP0(%rip)
        lgdt gdt_descriptor(%rip)
        movw $SEL_KDATA, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movw $SEL_TSS, %ax
        ltr %ax

        orq $PTE_US, pml4(%rip)
        orq $PTE_US, pdpt(%rip)
        orq $PTE_US, pd(%rip)
        movq %cr3, %rax
        movq %rax, %cr3

        call kmain
        movl %eax, %edi
        call debug_exit

/* rt_set_gate(edi = vector, rsi = handler, edx = type/attribute byte (GATE_*), ecx = IST index 0-7) */
        .globl rt_set_gate
rt_set_gate:
        pushq %rdi
        pushq %rdx
        pushq %rcx
        call idt_set_gate
        popq %rcx
        popq %rdx
        popq %rdi
        shll $4, %edi
        leaq idt(%rip), %rax
        addq %rdi, %rax
        movb %cl, 4(%rax)
        movb %dl, 5(%rax)
        ret

/*
 * rt_enter_user(rdi = entry, rsi = stack top): iretq to CPL 3 (CS 0x2b, SS 0x23, RFLAGS 0x202: IF=1, IOPL 0) with
 * every other general register zeroed, so recorded states do not depend on what ran before. Does not return.
 * IF is 1 as for any user program. Nothing can interrupt: main64 masked the 8259As and nothing else is set up.
 * (With IF=0 the program would see different RFLAGS here: this host's nested KVM runs CPL-3 code with the real
 * IF=1, which PUSHF shows.)
 */
        .globl rt_enter_user
rt_enter_user:
        pushq $SEL_UDATA
        pushq %rsi
        pushq $0x202
        pushq $SEL_UCODE
        pushq %rdi
        movw $SEL_UDATA, %ax
        movw %ax, %ds
        movw %ax, %es
        xorl %eax, %eax
        xorl %ebx, %ebx
        xorl %ecx, %ecx
        xorl %edx, %edx
        xorl %esi, %esi
        xorl %edi, %edi
        xorl %ebp, %ebp
        xorl %r8d, %r8d
        xorl %r9d, %r9d
        xorl %r10d, %r10d
        xorl %r11d, %r11d
        xorl %r12d, %r12d
        xorl %r13d, %r13d
        xorl %r14d, %r14d
        xorl %r15d, %r15d
        iretq


        .data
        .balign 16
        .globl gdt
gdt:
        .quad 0
        .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code, DPL 0 */
        .quad 0x00CF92000000FFFF        /* 0x10: flat data, DPL 0 */
        .quad 0x00CF9A000000FFFF        /* 0x18: flat 32-bit code, DPL 0 */
        .quad 0x00CFF2000000FFFF        /* 0x20: flat data, DPL 3 (selector 0x23) */
        .quad 0x00AFFA000000FFFF        /* 0x28: 64-bit code, DPL 3 (selector 0x2b) */
        .word tss_end - tss - 1, 0      /* 0x30: 64-bit TSS (16 bytes); base filled in by main64 */
        .byte 0, 0x89, 0, 0
        .quad 0
gdt_end:
        .word 0, 0, 0                   /* aligns the base below */
gdt_descriptor:
        .word gdt_end - gdt - 1
        .quad gdt

        /* 64-bit TSS: RSP0 at +4, IST1-7 at +36, I/O map base at +102, then the bitmap (1 = denied). */
        .balign 16
        .globl tss
tss:
        .skip 102
        .word iomap - tss
iomap:
        .fill 0xF0 / 8, 1, 0xFF         /* ports 0x000-0x0EF */
        .byte 0x0F                      /* 0x0F0-0x0F7: 0xF4-0xF7 allowed (debug exit) */
        .byte 0xF0                      /* 0x0F8-0x0FF: 0xF8-0xFB allowed (state record) */
        .fill 0x3F8 / 8 - 0x100 / 8, 1, 0xFF
        .byte 0x00                      /* 0x3F8-0x3FF: COM1 */
        .byte 0xFF                      /* the byte after the bitmap must be all ones */
tss_end:

        .bss
        .balign 16
        .globl rt_rsp0_top
rsp0_stack:
        .skip 16384
rt_rsp0_top:
