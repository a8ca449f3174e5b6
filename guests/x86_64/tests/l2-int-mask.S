/* l2-int-mask: a pending interrupt (a LAPIC self-IPI, vector 0x41) waits in IRR while IF=0; STI delays it by one
 * instruction: `sti; cli` takes nothing, `sti; nop` takes it right after the NOP (ARCHES.md 1.8 pitfall 4); in
 * the handler it is in service (ISR) until the EOI; a TPR at or above its priority class holds it back with
 * IF=1. */
        .include "test.inc"

        .set VEC, 0x41
        .set ICR_SELF, (1 << 18) | (1 << 14)   /* destination shorthand self, level assert, fixed */

.macro SELF_IPI
        movl $0, LAPIC_ICR_HI(%r15)
        movl $(ICR_SELF | VEC), LAPIC_ICR_LO(%r15)
.endm
/* reg := IRR bit of VEC */
.macro IRR_BIT reg32
        movl LAPIC_IRR + 0x10 * (VEC / 32)(%r15), \reg32
        shrl $(VEC % 32), \reg32
        andl $1, \reg32
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_lapic_init
        movl $VEC, %edi
        leaq ipi_isr(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $LAPIC, %r15d
        BEGIN "l2-int-mask: IF=0 holds interrupts pending, the STI shadow, TPR"

        GROUP "if=0"
        SELF_IPI
        movl $100, %ecx
1:      decl %ecx
        jnz 1b
        IRR_BIT %ebx
        HP_RECORD_STATE 0x20001
        CHECK %rbx, 1                   /* pending */
        CHECK taken(%rip), 0

        GROUP "sti shadow"
        sti
        cli                             /* in the shadow of STI: no interrupt */
        CHECK taken(%rip), 0
        IRR_BIT %ebx
        CHECK %rbx, 1
        sti
        nop
after_nop:
        cli
        CHECK taken(%rip), 1
        CHECK taken_rip(%rip), after_nop
        IRR_BIT %ebx
        CHECK %rbx, 0
        CHECK isr_in(%rip), 1           /* in service inside the handler */
        CHECK isr_out(%rip), 0          /* not after its EOI */

        GROUP "tpr"
        movl $0x50, LAPIC_TPR(%r15)     /* class 5 > class 4 of vector 0x41 */
        SELF_IPI
        sti
        movl $100, %ecx
2:      decl %ecx
        jnz 2b
        cli
        CHECK taken(%rip), 1
        IRR_BIT %ebx
        CHECK %rbx, 1
        movl $0x40, LAPIC_TPR(%r15)     /* class 4: still held (must be strictly above) */
        sti
        nop
        nop
        cli
        CHECK taken(%rip), 1
        movl $0x30, LAPIC_TPR(%r15)
        sti
        movl $100, %ecx
3:      decl %ecx
        jnz 3b
        cli
        HP_RECORD_STATE 0x20002
        CHECK taken(%rip), 2
        movl $0, LAPIC_TPR(%r15)

        END "l2-int-mask"

ipi_isr:
        pushq %rax
        incl taken(%rip)
        movq 8(%rsp), %rax
        movq %rax, taken_rip(%rip)
        movl LAPIC_ISR + 0x10 * (VEC / 32)(%r15), %eax
        shrl $(VEC % 32), %eax
        andl $1, %eax
        movl %eax, isr_in(%rip)
        movl $0, LAPIC_EOI(%r15)
        movl LAPIC_ISR + 0x10 * (VEC / 32)(%r15), %eax
        shrl $(VEC % 32), %eax
        andl $1, %eax
        movl %eax, isr_out(%rip)
        popq %rax
        iretq

        .data
        .balign 8
taken:     .quad 0
taken_rip: .quad 0
isr_in:    .quad 0
isr_out:   .quad 0
