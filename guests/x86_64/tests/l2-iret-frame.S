/* l2-iret-frame: the 64-bit exception frame and IRETQ, using #DE (DIV by zero, 2 bytes, no error code) and #GP
 * (a bad selector load, error code). At CPL 0 the CPU aligns RSP down to 16 and pushes SS, RSP, RFLAGS, CS, RIP
 * (and the error code); from CPL 3 it switches to TSS.RSP0; with an IST index to that IST stack. An interrupt
 * gate clears IF, a trap gate does not. IRETQ returns through the frame, with the handler's changes to RIP and
 * RFLAGS. (RF in the RFLAGS image is masked: see CHECK_RFLAGS.) */
        .include "test.inc"

.macro GATE vec, handler, type, ist
        movl $\vec, %edi
        leaq \handler(%rip), %rsi
        movl $\type, %edx
        movl $\ist, %ecx
        call rt_set_gate
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        leaq ist_top(%rip), %rax
        movq %rax, tss + TSS_IST1(%rip)
        BEGIN "l2-iret-frame: exception frame layout, stack alignment, IST, IF, IRETQ"

        GROUP "cpl 0 frame"
        GATE 0, de_handler, GATE_INT, 0
        movq %rsp, %rbp                 /* make RSP = 8 mod 16 */
        andq $-16, %rsp
        subq $8, %rsp
        movq %rsp, %r13
        movl $0x1234, %eax
        xorl %edx, %edx
        SETFLAGS CF|ZF
        movl $0, %ecx
de1:    divl %ecx                       /* the handler resumes after it */
        GETFLAGS %r12
        movq %rsp, %r14
        movq %rbp, %rsp
        HP_RECORD_STATE 0x20001
        CHECK f_rip(%rip), de1
        CHECK f_cs(%rip), SEL_KCODE
        CHECK_RFLAGS f_rflags(%rip), CF|ZF|0x2
        CHECKQ f_rsp(%rip), %r13
        CHECK f_ss(%rip), SEL_KDATA
        CHECKQ %r14, %r13               /* IRETQ restored RSP */
        CHECK %r12, CF|ZF               /* and RFLAGS */
        CHECK %rax, 0x1234
        andq $-16, %r13                 /* the handler's RSP: (RSP & ~15) - 40 */
        subq $40, %r13
        CHECKQ f_handler_rsp(%rip), %r13
        CHECK f_handler_if(%rip), 0

        GROUP "error code frame"
        GATE 13, gp_handler, GATE_INT, 0
        movq %rsp, %rbp                 /* RSP = 0 mod 16 this time */
        andq $-16, %rsp
        movq %rsp, %r13
        movw $0x48, %ax
gp1:    movw %ax, %ds                   /* #GP(0x48): beyond the GDT limit */
        movq %rbp, %rsp
        CHECK f_err(%rip), 0x48
        CHECK f_rip(%rip), gp1
        CHECK f_cs(%rip), SEL_KCODE
        CHECKQ f_rsp(%rip), %r13
        CHECK f_ss(%rip), SEL_KDATA
        subq $48, %r13
        CHECKQ f_handler_rsp(%rip), %r13
        leaq t_stubs + 16 * 13(%rip), %rsi   /* the test library's #GP handler back */
        movl $13, %edi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate

        GROUP "trap gate"
        GATE 0, de_handler, GATE_TRAP, 0
        SETFLAGS 0
        sti
        movl $0, %ecx
        divl %ecx
        pushfq
        popq %rbx
        cli
        CHECK f_handler_if(%rip), IF    /* trap gate: IF stays set in the handler */
        CHECK_RFLAGS f_rflags(%rip), IF|0x2
        CHECK %rbx, IF|0x2              /* and IRETQ restored it */
        GATE 0, de_handler, GATE_INT, 0
        SETFLAGS 0
        sti
        movl $0, %ecx
        divl %ecx
        pushfq
        popq %rbx
        cli
        CHECK f_handler_if(%rip), 0     /* interrupt gate: cleared */
        CHECK %rbx, IF|0x2

        GROUP "modified frame"
        GATE 0, flag_handler, GATE_INT, 0
        SETFLAGS 0
        movl $0, %ecx
        divl %ecx                       /* the handler skips it and sets CF and DF in the saved RFLAGS */
        GETFLAGS %r12, ALLF|DF
        cld
        CHECK %r12, CF|DF

        GROUP "ist"
        GATE 0, de_handler, GATE_INT, 1
        movl $0, %ecx
        divl %ecx
        leaq ist_top - 40(%rip), %rax
        CHECKQ f_handler_rsp(%rip), %rax

        GROUP "cpl 3 frame"
        GATE 0, de_handler, GATE_INT, 0
        RUN_USER user_de, 1f
1:      HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), T_RETURNED
        CHECK f_rip(%rip), de2
        CHECK f_cs(%rip), SEL_UCODE
        CHECK f_ss(%rip), SEL_UDATA
        CHECK f_rsp(%rip), (t_ustack_top - 8)
        CHECK_RFLAGS f_rflags(%rip), IF|SF|0x2
        CHECK f_handler_rsp(%rip), (rt_rsp0_top - 40)
        CHECK user_rbx(%rip), 0x77      /* IRETQ went back to CPL 3 with registers intact */

        END "l2-iret-frame"

user_de:
        subq $8, %rsp
        pushq $0x282                    /* IF SF */
        popfq
        movl $0, %ecx
        movq $0x77, %rbx
de2:    divl %ecx
        movq %rbx, user_rbx(%rip)
        USER_RETURN

/* #DE: keeps the frame, the handler's RSP and IF, and returns past the 2-byte DIV. */
de_handler:
        movq %rsp, f_handler_rsp(%rip)
        pushq %rax
        pushfq
        popq %rax
        andq $IF, %rax
        movq %rax, f_handler_if(%rip)
        movq 8(%rsp), %rax
        movq %rax, f_rip(%rip)
        movq 16(%rsp), %rax
        movq %rax, f_cs(%rip)
        movq 24(%rsp), %rax
        movq %rax, f_rflags(%rip)
        movq 32(%rsp), %rax
        movq %rax, f_rsp(%rip)
        movq 40(%rsp), %rax
        movq %rax, f_ss(%rip)
        popq %rax
        addq $2, (%rsp)
        iretq

/* #GP: keeps the frame and the error code, pops it, returns past the 2-byte MOV to DS. */
gp_handler:
        movq %rsp, f_handler_rsp(%rip)
        pushq %rax
        movq 8(%rsp), %rax
        movq %rax, f_err(%rip)
        movq 16(%rsp), %rax
        movq %rax, f_rip(%rip)
        movq 24(%rsp), %rax
        movq %rax, f_cs(%rip)
        movq 40(%rsp), %rax
        movq %rax, f_rsp(%rip)
        movq 48(%rsp), %rax
        movq %rax, f_ss(%rip)
        popq %rax
        addq $8, %rsp
        addq $2, (%rsp)
        iretq

/* #DE: returns past the DIV with CF and DF set in RFLAGS. */
flag_handler:
        addq $2, (%rsp)
        orq $(CF | DF), 16(%rsp)
        iretq

        .data
        .balign 8
f_err:          .quad 0
f_rip:          .quad 0
f_cs:           .quad 0
f_rflags:       .quad 0
f_rsp:          .quad 0
f_ss:           .quad 0
f_handler_rsp:  .quad 0
f_handler_if:   .quad 0
user_rbx:       .quad 0

        .bss
        .balign 16
ist_stack:
        .skip 4096
ist_top:
