/* l2-ud-bp: invalid opcode (#UD, vector 6: UD2, a LOCK prefix on NOP, INTO in 64-bit mode) is a fault: RIP of the
 * instruction, at CPL 0 and CPL 3. Breakpoint (#BP, vector 3: INT3 and INT $3) at CPL 3 through a DPL 3 gate is a
 * trap: RIP after it. (INT3 at CPL 0 is in l2-int-cpl0.) */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        movl $3, %edi                   /* #BP gate DPL 3, so that INT3 at CPL 3 reaches it */
        leaq t_stubs + 16 * 3(%rip), %rsi
        movl $GATE_INT_DPL3, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        BEGIN "l2-ud-bp: #UD is a fault, #BP a trap"

        GROUP "ud"
        CATCH 1f
ud1:    ud2
1:      UNCATCH
        HP_RECORD_STATE 0x20001
        CHECK t_exc_vector(%rip), 6
        CHECK t_exc_rip(%rip), ud1
        CHECKQ t_exc_rsp(%rip), t_catch_rsp(%rip)
        CATCH 1f
ud2:    .byte 0xf0, 0x90                /* lock nop */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 6
        CHECK t_exc_rip(%rip), ud2
        CATCH 1f
ud3:    .byte 0xce                      /* into: invalid in 64-bit mode */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 6
        CHECK t_exc_rip(%rip), ud3
        RUN_USER user_ud, 1f
1:      CHECK t_exc_vector(%rip), 6
        CHECK t_exc_rip(%rip), ud4
        CHECK t_exc_cs(%rip), SEL_UCODE

        GROUP "bp"
        RUN_USER user_bp, 1f
1:      HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 3
        CHECK t_exc_rip(%rip), bp1
        CHECK t_exc_cs(%rip), SEL_UCODE
        CHECK t_exc_rsp(%rip), t_ustack_top
        RUN_USER user_bp2, 1f
1:      CHECK t_exc_vector(%rip), 3
        CHECK t_exc_rip(%rip), bp2

        END "l2-ud-bp"

user_ud:
ud4:    ud2
user_bp:
        int3
bp1:    USER_RETURN                     /* not reached */
user_bp2:
        int $3
bp2:    USER_RETURN                     /* not reached */
