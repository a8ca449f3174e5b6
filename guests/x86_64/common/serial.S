/*
 * Polled COM1 output (16550 at 0x3F8) and debug-exit, for the x86_64 guests (64-bit code).
 * Calling convention: SysV-like; rax, rcx, rdx, rsi, rdi, r8-r11 are clobbered, rbx and r12-r15 kept.
 */
        .set COM1, 0x3F8
        .set UART_LCR, COM1 + 3
        .set UART_LSR, COM1 + 5
        .set UART_IER, COM1 + 1
        .set LSR_THRE, 0x20
        .set DEBUG_EXIT_PORT, 0xF4

        .text
        .code64

/* serial_init: no interrupts, 115200 baud (divisor 1), 8N1. */
        .globl serial_init
serial_init:
        movw $UART_IER, %dx
        xorl %eax, %eax
        outb %al, %dx
        movw $UART_LCR, %dx
        movb $0x80, %al                 /* DLAB */
        outb %al, %dx
        movw $COM1, %dx
        movb $1, %al                    /* DLL */
        outb %al, %dx
        movw $UART_IER, %dx
        xorl %eax, %eax                 /* DLM */
        outb %al, %dx
        movw $UART_LCR, %dx
        movb $0x03, %al                 /* 8N1, DLAB off */
        outb %al, %dx
        ret

/* putc(dil): waits for LSR.THRE, then writes THR. */
        .globl putc
putc:
        movw $UART_LSR, %dx
1:      inb %dx, %al
        testb $LSR_THRE, %al
        jz 1b
        movl %edi, %eax
        movw $COM1, %dx
        outb %al, %dx
        ret

/* puts(rdi): writes a NUL-terminated string. */
        .globl puts
puts:
        pushq %rbx
        movq %rdi, %rbx
1:      movzbl (%rbx), %edi
        testl %edi, %edi
        jz 2f
        call putc
        incq %rbx
        jmp 1b
2:      popq %rbx
        ret

/* put_dec(rdi): writes an unsigned decimal number. */
        .globl put_dec
put_dec:
        subq $32, %rsp
        leaq 31(%rsp), %rsi
        movb $0, (%rsi)
        movq %rdi, %rax
        movl $10, %ecx
1:      xorl %edx, %edx
        divq %rcx
        addb $'0', %dl
        decq %rsi
        movb %dl, (%rsi)
        testq %rax, %rax
        jnz 1b
        movq %rsi, %rdi
        call puts
        addq $32, %rsp
        ret

/* debug_exit(edi): outl status to the isa-debug-exit port (QEMU exits with (status << 1) | 1); never returns. */
        .globl debug_exit
debug_exit:
        movl %edi, %eax
        movw $DEBUG_EXIT_PORT, %dx
        outl %eax, %dx
1:      cli
        hlt
        jmp 1b
