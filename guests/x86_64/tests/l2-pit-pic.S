/* l2-pit-pic: the 8254 PIT (channel 0, mode 2, 1 kHz) interrupts through the remapped 8259A pair (IRQ0 ->
 * vector 0x20): at least three ticks are taken with STI; HLT, each in service (ISR bit 0) until its EOI. Prints
 * nothing that depends on timing. */
        .include "test.inc"

        .set PIC1_CMD, 0x20
        .set PIC1_DATA, 0x21
        .set PIC2_CMD, 0xA0
        .set PIC2_DATA, 0xA1
        .set PIT_CH0, 0x40
        .set PIT_MODE, 0x43
        .set PIT_DIVISOR, 1193              /* ~1 kHz */

        .text
        .globl kmain
kmain:
        call t_trap_init
        movl $0x20, %edi
        leaq timer_isr(%rip), %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        BEGIN "l2-pit-pic: PIT channel 0 -> 8259A IRQ0 -> vector 0x20, EOI"

        GROUP "8259a"
        /* ICW1-ICW4: edge, cascade, vectors 0x20/0x28, slave on IRQ2, 8086 mode; then mask all but IRQ0 */
        movb $0x11, %al
        outb %al, $PIC1_CMD
        outb %al, $PIC2_CMD
        movb $0x20, %al
        outb %al, $PIC1_DATA
        movb $0x28, %al
        outb %al, $PIC2_DATA
        movb $0x04, %al
        outb %al, $PIC1_DATA
        movb $0x02, %al
        outb %al, $PIC2_DATA
        movb $0x01, %al
        outb %al, $PIC1_DATA
        outb %al, $PIC2_DATA
        movb $0xFE, %al
        outb %al, $PIC1_DATA
        movb $0xFF, %al
        outb %al, $PIC2_DATA
        inb $PIC1_DATA, %al             /* OCW1 reads back */
        movzbl %al, %ebx
        CHECK %rbx, 0xfe
        inb $PIC2_DATA, %al
        movzbl %al, %ebx
        CHECK %rbx, 0xff

        GROUP "pit ticks"
        movb $0x34, %al                 /* channel 0, lobyte/hibyte, mode 2, binary */
        outb %al, $PIT_MODE
        movb $(PIT_DIVISOR & 0xFF), %al
        outb %al, $PIT_CH0
        movb $(PIT_DIVISOR >> 8), %al
        outb %al, $PIT_CH0
        sti
1:      hlt
        cmpl $3, ticks(%rip)
        jb 1b
        cli
        movb $0xFF, %al                 /* mask IRQ0 again */
        outb %al, $PIC1_DATA
        SETFLAGS 0                      /* the CMP above depends on how many ticks came */
        HP_RECORD_STATE 0x20001
        xorl %ebx, %ebx
        cmpl $3, ticks(%rip)
        setae %bl
        CHECK %rbx, 1                   /* at least three ticks */
        CHECK isr_before(%rip), 0x01    /* IRQ0 in service inside the handler */
        CHECK isr_after(%rip), 0x00     /* and no longer after the EOI */
        movb $0x0B, %al                 /* OCW3: read ISR */
        outb %al, $PIC1_CMD
        inb $PIC1_CMD, %al
        movzbl %al, %ebx
        CHECK %rbx, 0
        ENDGROUP
        PRINTLN "pit irq0 through the 8259A: ok"

        END "l2-pit-pic"

timer_isr:
        pushq %rax
        incl ticks(%rip)
        movb $0x0B, %al                 /* OCW3: read ISR */
        outb %al, $PIC1_CMD
        inb $PIC1_CMD, %al
        movb %al, isr_before(%rip)
        movb $0x20, %al                 /* non-specific EOI */
        outb %al, $PIC1_CMD
        inb $PIC1_CMD, %al              /* ISR still selected by OCW3 */
        movb %al, isr_after(%rip)
        popq %rax
        iretq

        .data
        .balign 8
ticks:      .long 0
isr_before: .quad 0
isr_after:  .quad 0
