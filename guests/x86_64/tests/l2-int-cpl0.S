/* l2-int-cpl0: software interrupts at CPL 0: INT n through interrupt and trap gates returns to the instruction
 * after it (IF cleared only by the interrupt gate), INT3 and INT $3 raise #BP with RIP after them, INT n through
 * a not-present gate gives #NP with error code n * 8 + 2. */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        movl $0x40, %edi
        leaq count_handler(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $0x41, %edi
        leaq count_handler(%rip), %rsi
        movl $GATE_TRAP, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $0x42, %edi
        leaq count_handler(%rip), %rsi
        movl $(GATE_INT & 0x7f), %edx   /* not present */
        xorl %ecx, %ecx
        call rt_set_gate
        BEGIN "l2-int-cpl0: INT n, INT3 and INT $3 at CPL 0"

        GROUP "int n"
        SETFLAGS 0
        sti
        int $0x40
int1:   HP_RECORD_STATE 0x20001
        CHECK count(%rip), 1
        CHECK last_rip(%rip), int1
        CHECK last_cs(%rip), SEL_KCODE
        CHECK last_rflags(%rip), IF|0x2
        CHECK handler_if(%rip), 0
        int $0x41
int2:   cli
        CHECK count(%rip), 2
        CHECK last_rip(%rip), int2
        CHECK handler_if(%rip), IF

        GROUP "int3"
        CATCH 1f
        int3
bp1:
1:      UNCATCH
        CHECK t_exc_vector(%rip), 3
        CHECK t_exc_rip(%rip), bp1
        CATCH 1f
        int $3
bp2:
1:      UNCATCH
        CHECK t_exc_vector(%rip), 3
        CHECK t_exc_rip(%rip), bp2

        GROUP "not present"
        CATCH 1f
np1:    int $0x42
1:      UNCATCH
        CHECK t_exc_vector(%rip), 11
        CHECK_IDT_ERR t_exc_err(%rip), 0x42
        CHECK t_exc_rip(%rip), np1
        CHECK count(%rip), 2

        END "l2-int-cpl0"

/* Counts; keeps RIP, CS and RFLAGS of the frame and IF inside the handler. */
count_handler:
        incl count(%rip)
        pushq %rax
        pushfq
        popq %rax
        andq $IF, %rax
        movq %rax, handler_if(%rip)
        movq 8(%rsp), %rax
        movq %rax, last_rip(%rip)
        movq 16(%rsp), %rax
        movq %rax, last_cs(%rip)
        movq 24(%rsp), %rax
        movq %rax, last_rflags(%rip)
        popq %rax
        iretq

        .data
        .balign 8
count:       .quad 0
last_rip:    .quad 0
last_cs:     .quad 0
last_rflags: .quad 0
handler_if:  .quad 0
