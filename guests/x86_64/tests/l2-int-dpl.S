/* l2-int-dpl: gate checks for events from CPL 3. INT n through a DPL 3 gate reaches the handler with RIP after the
 * INT and the CPL-3 CS, SS and RSP in the frame; through a DPL 0 gate, and INT3 / INT $3 through the DPL 0 #BP
 * gate, give #GP with error code vector * 8 + 2 (IDT bit) at the INT; CPU exceptions ignore the DPL. A
 * not-present gate gives #NP, error code vector * 8 + 2, for INT n and also for a benign exception (#UD), which
 * does not become a double fault. */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        movl $0x40, %edi                /* 0x40: DPL 3 */
        leaq count_handler(%rip), %rsi
        movl $GATE_INT_DPL3, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $0x41, %edi                /* 0x41: DPL 0 */
        leaq count_handler(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $0x42, %edi                /* 0x42: DPL 3, not present */
        leaq count_handler(%rip), %rsi
        movl $(GATE_INT_DPL3 & 0x7f), %edx
        xorl %ecx, %ecx
        call rt_set_gate
        BEGIN "l2-int-dpl: INT n / INT3 from CPL 3 against gate DPL and presence"

        GROUP "dpl 3 gate"
        RUN_USER user_int40, 1f
1:      HP_RECORD_STATE 0x20001
        CHECK t_exc_vector(%rip), T_RETURNED
        CHECK count(%rip), 1
        CHECK last_rip(%rip), int1
        CHECK last_cs(%rip), SEL_UCODE
        CHECK last_ss(%rip), SEL_UDATA
        CHECK last_rsp(%rip), t_ustack_top

        GROUP "dpl 0 gate"
        RUN_USER user_int41, 1f
1:      CHECK t_exc_vector(%rip), 13
        CHECK_IDT_ERR t_exc_err(%rip), 0x41
        CHECK t_exc_rip(%rip), gp1
        CHECK count(%rip), 1
        RUN_USER user_int3, 1f
1:      CHECK t_exc_vector(%rip), 13
        CHECK_IDT_ERR t_exc_err(%rip), 3
        CHECK t_exc_rip(%rip), gp2
        RUN_USER user_int_3, 1f
1:      CHECK t_exc_vector(%rip), 13
        CHECK_IDT_ERR t_exc_err(%rip), 3
        CHECK t_exc_rip(%rip), gp3
        RUN_USER user_ud2, 1f           /* a CPU exception through the same DPL 0 gates: delivered */
1:      CHECK t_exc_vector(%rip), 6
        CHECK t_exc_rip(%rip), ud1

        GROUP "not present"
        RUN_USER user_int42, 1f
1:      CHECK t_exc_vector(%rip), 11
        CHECK_IDT_ERR t_exc_err(%rip), 0x42
        CHECK t_exc_rip(%rip), np1
        andb $0x7f, idt + 16 * 6 + 5(%rip)      /* #UD gate not present */
        CATCH 1f
ud2:    ud2
1:      UNCATCH
        orb $0x80, idt + 16 * 6 + 5(%rip)
        HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 11    /* benign then contributory: no #DF */
        CHECK_IDT_ERR t_exc_err(%rip), 6
        CHECK t_exc_rip(%rip), ud2

        END "l2-int-dpl"

user_int40:
        int $0x40
int1:   USER_RETURN
user_int41:
gp1:    int $0x41
user_int3:
gp2:    int3
user_int_3:
gp3:    int $3
user_ud2:
ud1:    ud2
user_int42:
np1:    int $0x42

/* Counts, and keeps the frame of the last interrupt. */
count_handler:
        incl count(%rip)
        pushq %rax
        movq 8(%rsp), %rax
        movq %rax, last_rip(%rip)
        movq 16(%rsp), %rax
        movq %rax, last_cs(%rip)
        movq 32(%rsp), %rax
        movq %rax, last_rsp(%rip)
        movq 40(%rsp), %rax
        movq %rax, last_ss(%rip)
        popq %rax
        iretq

        .data
        .balign 8
count:    .quad 0
last_rip: .quad 0
last_cs:  .quad 0
last_rsp: .quad 0
last_ss:  .quad 0
