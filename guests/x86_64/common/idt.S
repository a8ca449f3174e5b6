/*
 * 64-bit IDT for the x86_64 guests. Vectors 0-31 print "exception: vector N" and end the guest with debug-exit
 * status 3 (QEMU exit status 7). Vectors 32-47 (the remapped 8259 pair) ignore the interrupt until a guest installs
 * its own handler with idt_set_gate; no EOI is sent, so an unexpected IRQ stays in service and does not recur.
 */
        .set SEL_CODE64, 0x08
        .set GATE_INTERRUPT, 0x8E
        /* 48 for the assembly-only guests; the test runtime assembles this file with --defsym IDT_VECTORS=256. */
        .ifndef IDT_VECTORS
        .set IDT_VECTORS, 48
        .endif
        .set EXCEPTION_STATUS, 3

        .text
        .code64

/* idt_set_gate(edi = vector, rsi = handler) */
        .globl idt_set_gate
idt_set_gate:
        movl %edi, %eax
        shll $4, %eax
        leaq idt(%rip), %rdx
        addq %rdx, %rax
        movw %si, (%rax)
        movw $SEL_CODE64, 2(%rax)
        movb $0, 4(%rax)
        movb $GATE_INTERRUPT, 5(%rax)
        movq %rsi, %rdx
        shrq $16, %rdx
        movw %dx, 6(%rax)
        shrq $16, %rdx
        movl %edx, 8(%rax)
        movl $0, 12(%rax)
        ret

/* idt_init: exception stubs for 0-31, ignore_irq for 32-47, then lidt. */
        .globl idt_init
idt_init:
        pushq %rbx
        xorl %ebx, %ebx
1:      movl %ebx, %edi
        movl %ebx, %esi
        shll $4, %esi
        leaq exception_stubs(%rip), %rax
        addq %rax, %rsi
        call idt_set_gate
        incl %ebx
        cmpl $32, %ebx
        jb 1b
2:      movl %ebx, %edi
        leaq ignore_irq(%rip), %rsi
        call idt_set_gate
        incl %ebx
        cmpl $IDT_VECTORS, %ebx
        jb 2b
        lidt idt_descriptor(%rip)
        popq %rbx
        ret

ignore_irq:
        iretq

/* Stub N sits at exception_stubs + 16 * N and passes N to exception_common. */
        .balign 16
exception_stubs:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .balign 16
        movl $\n, %ebx
        jmp exception_common
        .endr

exception_common:
        leaq exception_text(%rip), %rdi
        call puts
        movl %ebx, %edi
        call put_dec
        movl $'\n', %edi
        call putc
        movl $EXCEPTION_STATUS, %edi
        call debug_exit

        .section .rodata
exception_text:
        .asciz "exception: vector "
        .balign 2
idt_descriptor:
        .word IDT_VECTORS * 16 - 1
        .long idt, 0                    /* 64-bit base: the image lies below 4 GiB */

        .bss
        .balign 16
        .globl idt
idt:    .skip IDT_VECTORS * 16
