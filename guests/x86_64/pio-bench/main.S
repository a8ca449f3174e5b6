/*
 * Port-I/O exit round-trip benchmark: `outb %al, $0x80` COUNT times, then debug-exit status 0. COUNT is the decimal
 * number after "count=" in the Multiboot command line, or 1000000 when there is none. Every outb is one VM exit, so
 * the host measures (time of the loop) / COUNT. Output: a start line and a done line on COM1.
 */
        .set BENCH_PORT, 0x80
        .set DEFAULT_COUNT, 1000000
        .set MB_BOOT_MAGIC, 0x2BADB002
        .set MBI_FLAG_CMDLINE, 1 << 2
        .set MBI_CMDLINE, 16

        .text
        .code64
        .globl main64
main64:
        call serial_init
        call idt_init
        call read_count
        movq %rax, %rbx
        leaq start_text(%rip), %rdi
        call puts
        movq %rbx, %rdi
        call put_dec
        movl $'\n', %edi
        call putc

        movq %rbx, %rcx
        xorl %eax, %eax
        testq %rcx, %rcx
        jz 2f
1:      outb %al, $BENCH_PORT
        decq %rcx
        jnz 1b
2:
        leaq done_text(%rip), %rdi
        call puts
        xorl %edi, %edi
        call debug_exit

/* read_count -> rax: "count=N" from the Multiboot command line, else DEFAULT_COUNT. */
read_count:
        movl $DEFAULT_COUNT, %eax
        cmpl $MB_BOOT_MAGIC, mb_magic(%rip)
        jne 9f
        movl mb_info(%rip), %esi
        testl $MBI_FLAG_CMDLINE, (%rsi)
        jz 9f
        movl MBI_CMDLINE(%rsi), %esi
1:      cmpb $0, (%rsi)
        je 9f
        cmpl $0x6E756F63, (%rsi)        /* "coun" */
        jne 2f
        cmpw $0x3D74, 4(%rsi)           /* "t=" */
        je 3f
2:      incq %rsi
        jmp 1b
3:      addq $6, %rsi
        movzbl (%rsi), %edx
        subl $'0', %edx
        cmpl $9, %edx
        ja 9f
        xorl %eax, %eax
4:      movzbl (%rsi), %edx
        subl $'0', %edx
        cmpl $9, %edx
        ja 9f
        imulq $10, %rax
        addq %rdx, %rax
        incq %rsi
        jmp 4b
9:      ret

        .section .rodata
start_text:
        .asciz "pio-bench: outb to port 0x80, count="
done_text:
        .asciz "pio-bench: done\n"
