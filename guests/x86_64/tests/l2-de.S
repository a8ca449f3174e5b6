/* l2-de: divide error (#DE, vector 0) from DIV by zero, IDIV overflow and an 8-bit quotient overflow, at CPL 0 and
 * CPL 3: a fault (RIP of the divide, registers unchanged), no error code, the interrupted RFLAGS/RSP/SS in the
 * frame (RF masked: see CHECK_RFLAGS). */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        BEGIN "l2-de: #DE from DIV/IDIV at CPL 0 and CPL 3"

        GROUP "div by zero"
        movq $0x1234, %rax
        movq $0x5678, %rdx
        xorl %ecx, %ecx                 /* RFLAGS: ZF PF */
        CATCH 1f
de1:    divq %rcx
1:      UNCATCH
        HP_RECORD_STATE 0x20001
        CHECK t_exc_vector(%rip), 0
        CHECK t_exc_rip(%rip), de1
        CHECK t_exc_cs(%rip), SEL_KCODE
        CHECK_RFLAGS t_exc_rflags(%rip), ZF|PF|0x2
        CHECKQ t_exc_rsp(%rip), t_catch_rsp(%rip)
        CHECK t_exc_ss(%rip), SEL_KDATA
        CHECK %rax, 0x1234
        CHECK %rdx, 0x5678

        GROUP "idiv overflow"
        movabsq $0x8000000000000000, %rax
        cqto
        movq $-1, %rcx
        CATCH 1f
de2:    idivq %rcx                      /* INT64_MIN / -1 does not fit */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 0
        CHECK t_exc_rip(%rip), de2
        CHECK %rax, 0x8000000000000000
        CHECK %rdx, 0xffffffffffffffff
        movl $0x1000, %eax
        movb $0x10, %cl
        CATCH 1f
de3:    divb %cl                        /* 0x1000 / 0x10 = 0x100 does not fit in AL */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 0
        CHECK t_exc_rip(%rip), de3
        CHECK %rax, 0x1000
        movl $0x10, %eax
        movb $0x10, %cl
        CATCH 1f
        divb %cl                        /* fits: no exception */
1:      UNCATCH
        CHECK t_exc_vector(%rip), -1
        CHECK %rax, 0x0001

        GROUP "cpl 3"
        RUN_USER user_div, 1f
1:      HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 0
        CHECK t_exc_rip(%rip), de4
        CHECK t_exc_cs(%rip), SEL_UCODE
        CHECK t_exc_ss(%rip), SEL_UDATA
        CHECK_RFLAGS t_exc_rflags(%rip), IF|0x2
        CHECK t_exc_rsp(%rip), t_ustack_top
        CHECK %rax, 7

        END "l2-de"

user_div:
        movl $7, %eax
        xorl %edx, %edx
        xorl %ecx, %ecx
        movq $0x202, %rbx               /* RFLAGS := IF only, so the frame's RFLAGS is known */
        pushq %rbx
        popfq
de4:    divl %ecx
        USER_RETURN               /* not reached */
