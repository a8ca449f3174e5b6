/*
 * The x86_64 side of the guest test ABI (guests/common/c/hp.h), callable at CPL 0 and CPL 3 (rt/rt.S grants
 * CPL 3 the ports through the TSS I/O bitmap). SysV calling convention.
 */
        .include "hp-x86.inc"

        .text
        .code64

/* void hp_putchar(int c): COM1, polling LSR.THRE (common/serial.S putc). */
        .globl hp_putchar
hp_putchar:
        jmp putc

/* void hp_record_state(uint32_t tag): outl tag, 0xf8. The recorded state is this point: RAX = tag, RIP after the
 * out, the caller's return address at (RSP). The XOR first gives the status flags fixed values (ZF PF), so the
 * record never holds flags the caller's last instruction left undefined. */
        .globl hp_record_state
hp_record_state:
        xorl %eax, %eax
        movl %edi, %eax
        outl %eax, $HP_PORT_RECORD
        ret

/* void hp_exit(int status): outl status, 0xf4. Does not return: on a machine without the debug-exit port the UD2
 * after it ends up in the #UD handler, which prints "exception: vector 6" and halts. */
        .globl hp_exit
hp_exit:
        movl %edi, %eax
        outl %eax, $HP_PORT_EXIT
        ud2

/*
 * int hp_setjmp(hp_jmp_buf env) / void hp_longjmp(hp_jmp_buf env, int val)
 * env (uint64_t[]) holds RBX, RBP, R12-R15, the caller's RSP after the return, and the return address: the
 * callee-saved state of the SysV ABI. MXCSR and the x87 control word are not saved (the C tests never change them).
 */
        .globl hp_setjmp
hp_setjmp:
        movq %rbx, 0(%rdi)
        movq %rbp, 8(%rdi)
        movq %r12, 16(%rdi)
        movq %r13, 24(%rdi)
        movq %r14, 32(%rdi)
        movq %r15, 40(%rdi)
        leaq 8(%rsp), %rax
        movq %rax, 48(%rdi)
        movq (%rsp), %rax
        movq %rax, 56(%rdi)
        xorl %eax, %eax
        ret

        .globl hp_longjmp
hp_longjmp:
        movl %esi, %eax
        testl %eax, %eax
        jnz 1f
        incl %eax                       /* longjmp(env, 0) makes setjmp return 1 */
1:      movq 0(%rdi), %rbx
        movq 8(%rdi), %rbp
        movq 16(%rdi), %r12
        movq 24(%rdi), %r13
        movq 32(%rdi), %r14
        movq 40(%rdi), %r15
        movq 48(%rdi), %rsp
        jmpq *56(%rdi)
