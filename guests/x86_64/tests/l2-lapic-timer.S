/* l2-lapic-timer: the local APIC timer (LVT timer vector 0x40, divide by 1). One-shot: exactly one interrupt
 * (waited for with STI; HLT), acknowledged with an EOI at 0xFEE000B0, the current count 0 afterwards. Periodic:
 * several interrupts until masked, the count reloading. Masked: nothing is delivered or left pending. */
        .include "test.inc"

        .set VEC, 0x40
        .set LVT_MASKED, 1 << 16
        .set LVT_PERIODIC, 1 << 17

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_lapic_init
        movl $VEC, %edi
        leaq timer_isr(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        movl $LAPIC, %r15d
        BEGIN "l2-lapic-timer: LAPIC timer one-shot, periodic, masked; EOI"

        GROUP "one-shot"
        movl $0xB, LAPIC_TIMER_DIV(%r15)   /* divide by 1 */
        movl LAPIC_TIMER_DIV(%r15), %ebx
        andl $0xB, %ebx
        CHECK %rbx, 0xB
        movl $VEC, LAPIC_LVT_TIMER(%r15)   /* one-shot, not masked */
        movl LAPIC_LVT_TIMER(%r15), %ebx
        andl $0x300FF, %ebx
        CHECK %rbx, VEC
        movl $200000, LAPIC_TIMER_INIT(%r15)
        movl LAPIC_TIMER_CUR(%r15), %ebx
        xorl %eax, %eax
        cmpl $200000, %ebx
        setbe %al
        CHECK %rax, 1                   /* counting down from the initial count */
        sti
1:      hlt
        cmpl $0, fired(%rip)
        je 1b
        movl $2000, %ecx                /* a while longer: a one-shot timer does not fire again */
2:      pause
        decl %ecx
        jnz 2b
        cli
        xorl %ebx, %ebx                 /* the count read above depends on timing: keep it out of the record */
        HP_RECORD_STATE 0x20001
        CHECK fired(%rip), 1
        movl LAPIC_TIMER_CUR(%r15), %ebx
        CHECK %rbx, 0
        movl LAPIC_TIMER_INIT(%r15), %ebx
        CHECK %rbx, 200000

        GROUP "periodic"
        movl $0, fired(%rip)
        movl $(VEC | LVT_PERIODIC), LAPIC_LVT_TIMER(%r15)
        movl $100000, LAPIC_TIMER_INIT(%r15)
        sti
3:      hlt
        cmpl $3, fired(%rip)
        jb 3b
        cli
        movl $(VEC | LVT_PERIODIC | LVT_MASKED), LAPIC_LVT_TIMER(%r15)
        xorl %ebx, %ebx
        cmpl $3, fired(%rip)
        setae %bl
        CHECK %rbx, 1                   /* at least three */
        movl LAPIC_TIMER_CUR(%r15), %ebx
        xorl %eax, %eax
        testl %ebx, %ebx
        setnz %al
        CHECK %rax, 1                   /* a periodic timer reloads: still counting */
        movl $0, LAPIC_TIMER_INIT(%r15) /* stop it */

        GROUP "masked"
        movl $0, fired(%rip)
        movl $(VEC | LVT_MASKED), LAPIC_LVT_TIMER(%r15)
        movl $1000, LAPIC_TIMER_INIT(%r15)
4:      cmpl $0, LAPIC_TIMER_CUR(%r15)  /* runs out while masked */
        jne 4b
        sti
        movl $2000, %ecx
5:      pause
        decl %ecx
        jnz 5b
        cli
        CHECK fired(%rip), 0
        movl LAPIC_IRR + 0x10 * (VEC / 32)(%r15), %ebx
        andl $(1 << (VEC % 32)), %ebx
        CHECK %rbx, 0                   /* nothing pending */
        ENDGROUP
        PRINTLN "lapic timer: ok"

        END "l2-lapic-timer"

timer_isr:
        incl fired(%rip)
        movl $0, LAPIC_EOI(%r15)
        iretq

        .data
        .balign 8
fired:   .quad 0
