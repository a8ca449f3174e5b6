/* l2-double-fault: a contributory exception raised while delivering a contributory exception, or a page fault
 * while delivering a page fault, becomes a double fault (#DF, vector 8, error code 0): #DE through a not-present
 * gate (#NP), #GP through a not-present gate, and #PF whose IST stack is not mapped. (A benign exception through a
 * not-present gate gives a plain #NP: l2-int-dpl.) */
        .include "test.inc"

/* GATE_PRESENT vec, p: set or clear the P bit of IDT entry vec. */
.macro GATE_PRESENT vec, p
        .if \p
        orb $0x80, idt + 16 * \vec + 5(%rip)
        .else
        andb $0x7f, idt + 16 * \vec + 5(%rip)
        .endif
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        BEGIN "l2-double-fault: contributory + contributory and #PF + #PF -> #DF"

        GROUP "de + np"
        GATE_PRESENT 0, 0
        xorl %ecx, %ecx
        CATCH 1f
        divl %ecx
1:      UNCATCH
        GATE_PRESENT 0, 1
        HP_RECORD_STATE 0x20001
        CHECK t_exc_vector(%rip), 8
        CHECK t_exc_err(%rip), 0
        CHECK t_exc_cs(%rip), SEL_KCODE
        xorl %ecx, %ecx                 /* the gate is back: a plain #DE */
        CATCH 1f
de1:    divl %ecx
1:      UNCATCH
        CHECK t_exc_vector(%rip), 0
        CHECK t_exc_rip(%rip), de1

        GROUP "gp + np"
        GATE_PRESENT 13, 0
        movabsq $0x0000800000000000, %rbx
        CATCH 1f
        movq (%rbx), %rax               /* non-canonical: #GP(0) */
1:      UNCATCH
        GATE_PRESENT 13, 1
        CHECK t_exc_vector(%rip), 8
        CHECK t_exc_err(%rip), 0

        GROUP "pf + pf"
        movl $14, %edi                  /* #PF on IST 2, which points into the unmapped TVA + 0x5000 page */
        leaq t_stubs + 16 * 14(%rip), %rsi
        movl $GATE_INT, %edx
        movl $2, %ecx
        call rt_set_gate
        movq $(TVA + 0x6000), tss + TSS_IST1 + 8(%rip)
        CATCH 1f
        movq TVA + 0x1000, %rax         /* not present: #PF, whose frame cannot be pushed */
1:      UNCATCH
        HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 8
        CHECK t_exc_err(%rip), 0
        CHECK t_exc_cr2(%rip), (TVA + 0x6000 - 8)
        movl $14, %edi
        leaq t_stubs + 16 * 14(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        CATCH 1f
        movq TVA + 0x1000, %rax         /* a plain #PF again */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_cr2(%rip), (TVA + 0x1000)

        END "l2-double-fault"
