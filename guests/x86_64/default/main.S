/*
 * The embedded default guest: banner, long-mode check, then three ticks of the 8254 PIT through the remapped
 * 8259A pair (IRQ0 -> vector 0x20), then debug-exit status 0. See ../README.md for the expected output.
 */
        .set PIC1_CMD, 0x20
        .set PIC1_DATA, 0x21
        .set PIC2_CMD, 0xA0
        .set PIC2_DATA, 0xA1
        .set PIC_EOI, 0x20
        .set PIT_CH0, 0x40
        .set PIT_MODE, 0x43
        .set PIT_HZ, 100
        .set PIT_DIVISOR, (1193182 + PIT_HZ / 2) / PIT_HZ
        .set TICKS_WANTED, 3
        .set MSR_EFER, 0xC0000080
        .set EFER_LMA, 1 << 10

        .text
        .code64
        .globl main64
main64:
        call serial_init
        leaq banner(%rip), %rdi
        call puts

        movl $MSR_EFER, %ecx
        rdmsr
        leaq lm_off(%rip), %rdi
        leaq lm_on(%rip), %rsi
        testl $EFER_LMA, %eax
        cmovnzq %rsi, %rdi
        call puts

        call idt_init
        movl $0x20, %edi
        leaq timer_isr(%rip), %rsi
        call idt_set_gate
        call pic_init
        call pit_init

        /* Sleep until the ISR has counted a tick, print one line per tick. */
        sti
1:      hlt
2:      movl ticks(%rip), %eax
        cmpl printed(%rip), %eax
        je 1b
        incl printed(%rip)
        leaq tick_text(%rip), %rdi
        call puts
        movl printed(%rip), %edi
        call put_dec
        movl $'\n', %edi
        call putc
        cmpl $TICKS_WANTED, printed(%rip)
        jb 2b
        cli

        leaq done_text(%rip), %rdi
        call puts
        xorl %edi, %edi
        call debug_exit

/* ICW1-ICW4 for both 8259As: edge triggered, cascade on IRQ2, vectors 0x20/0x28, 8086 mode; unmask IRQ0 only. */
pic_init:
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
        ret

/* PIT channel 0, lobyte/hibyte, mode 2 (rate generator), binary, PIT_HZ. */
pit_init:
        movb $0x34, %al
        outb %al, $PIT_MODE
        movb $(PIT_DIVISOR & 0xFF), %al
        outb %al, $PIT_CH0
        movb $(PIT_DIVISOR >> 8), %al
        outb %al, $PIT_CH0
        ret

timer_isr:
        pushq %rax
        incl ticks(%rip)
        movb $PIC_EOI, %al
        outb %al, $PIC1_CMD
        popq %rax
        iretq

        .section .rodata
banner:
        .asciz "hyperport x86_64 default guest\n"
lm_on:
        .asciz "long mode: on\n"
lm_off:
        .asciz "long mode: off\n"
tick_text:
        .asciz "timer: tick "
done_text:
        .asciz "default guest: done\n"

        .bss
        .balign 4
ticks:  .skip 4
printed:
        .skip 4
