/*
 * The x86_64 assembly tests' library: counted checks with PASS/FAIL output, exception catching, and a way to run
 * code at CPL 3. See test.inc for the macros that use it. Works at CPL 0 and CPL 3 except where noted.
 *
 * Output of a test: its BEGIN title, one summary line per GROUP ("name: N ok" or "name: F of N failed"), a
 * "FAIL group #k: got X expected Y" line for each failed check, then "PASS case" (status 0) or
 * "FAIL case (N failures)" (status 1).
 */
        .include "test.inc"

        .text
        .code64

/* t_begin(rdi = title) */
        .globl t_begin
t_begin:
        call puts
        movl $'\n', %edi
        jmp putc

/* t_check(rdi = got, rsi = expected): keeps every register but RDI/RSI, and RFLAGS. */
        .globl t_check
t_check:
        pushfq
        pushq %rax
        pushq %rcx
        pushq %rdx
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %rbx
        pushq %r12
        incl t_group_checks(%rip)
        cmpq %rsi, %rdi
        je 1f
        incl t_group_fails(%rip)
        incl t_fails(%rip)
        movq %rdi, %rbx
        movq %rsi, %r12
        leaq fail_text(%rip), %rdi
        call puts
        movq t_group_name(%rip), %rdi
        call puts
        leaq hash_text(%rip), %rdi
        call puts
        movl t_group_checks(%rip), %edi
        call put_dec
        leaq got_text(%rip), %rdi
        call puts
        movq %rbx, %rdi
        call t_put_hex64
        leaq expected_text(%rip), %rdi
        call puts
        movq %r12, %rdi
        call t_put_hex64
        movl $'\n', %edi
        call putc
1:      popq %r12
        popq %rbx
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rdx
        popq %rcx
        popq %rax
        popfq
        ret

/* t_check_idt_err(rdi = error code, rsi = vector): t_check of (vector * 8 + 2) against the error code without EXT,
 * where an error code of vector * 16 + 2 (QEMU 7.2 TCG's encoding) also counts as right. */
        .globl t_check_idt_err
t_check_idt_err:
        andq $~1, %rdi
        pushq %rsi
        shlq $4, %rsi
        addq $2, %rsi
        cmpq %rsi, %rdi
        popq %rsi
        jne 1f
        movq %rsi, %rdi                 /* QEMU's form: report it as the architectural one */
        shlq $3, %rdi
        addq $2, %rdi
1:      shlq $3, %rsi
        addq $2, %rsi
        jmp t_check

/* t_group(rdi = name or 0): prints the summary of the group in progress, then starts the next one. */
        .globl t_group
t_group:
        pushq %rbx
        movq %rdi, %rbx
        movq t_group_name(%rip), %rdi
        testq %rdi, %rdi
        jz 2f
        call puts
        leaq colon_text(%rip), %rdi
        call puts
        movl t_group_fails(%rip), %edi
        testl %edi, %edi
        jz 1f
        call put_dec
        leaq of_text(%rip), %rdi
        call puts
        movl t_group_checks(%rip), %edi
        call put_dec
        leaq failed_text(%rip), %rdi
        call puts
        jmp 2f
1:      movl t_group_checks(%rip), %edi
        call put_dec
        leaq ok_text(%rip), %rdi
        call puts
2:      movq %rbx, t_group_name(%rip)
        movl $0, t_group_checks(%rip)
        movl $0, t_group_fails(%rip)
        popq %rbx
        ret

/* t_end(rdi = case name): ends the last group, prints PASS/FAIL, exits with status 0/1. Does not return. */
        .globl t_end
t_end:
        movq %rdi, %rbx
        xorl %edi, %edi
        call t_group
        movl t_fails(%rip), %eax
        testl %eax, %eax
        jnz 1f
        leaq pass_text(%rip), %rdi
        call puts
        movq %rbx, %rdi
        call puts
        movl $'\n', %edi
        call putc
        xorl %edi, %edi
        jmp hp_exit
1:      leaq fail_text(%rip), %rdi
        call puts
        movq %rbx, %rdi
        call puts
        leaq paren_text(%rip), %rdi
        call puts
        movl t_fails(%rip), %edi
        call put_dec
        leaq failures_text(%rip), %rdi
        call puts
        movl $1, %edi
        jmp hp_exit

/* t_put_hex64(rdi): 16 hex digits. Keeps RBX and R12-R15. */
        .globl t_put_hex64
t_put_hex64:
        pushq %rbx
        pushq %r12
        movq %rdi, %rbx
        movl $16, %r12d
1:      rolq $4, %rbx
        movl %ebx, %eax
        andl $15, %eax
        leaq hex_digits(%rip), %rdi
        movzbl (%rdi,%rax), %edi
        call putc
        decl %r12d
        jnz 1b
        popq %r12
        popq %rbx
        ret

/* t_map_init (CPL 0): PDPT[1] -> t_pd1, t_pd1[0] -> t_pt1 (see test.inc), TLB flushed. */
        .globl t_map_init
t_map_init:
        leaq t_pd1(%rip), %rax
        orq $(PTE_P | PTE_W | PTE_U), %rax
        movq %rax, pdpt + 8(%rip)
        leaq t_pt1(%rip), %rax
        orq $(PTE_P | PTE_W | PTE_U), %rax
        movq %rax, t_pd1(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        ret

/* t_lapic_init (CPL 0): map the local APIC's 2 MiB at 0xFEE00000 (PDPT[3] -> t_pd3, PCD|PWT), software-enable
 * it (SVR: bit 8, spurious vector 0xFF), TPR 0. */
        .globl t_lapic_init
t_lapic_init:
        leaq t_pd3(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, pdpt + 24(%rip)
        movl $(LAPIC | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT), %eax   /* movl: zero-extends */
        movq %rax, t_pd3 + 8 * ((LAPIC - 0xC0000000) >> 21)(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        movl $LAPIC, %edx
        movl $0x1FF, LAPIC_SVR(%rdx)
        movl $0, LAPIC_TPR(%rdx)
        ret

/* t_user(rdi = entry): run entry at CPL 3 on the test user stack. Does not return. */
        .globl t_user
t_user:
        leaq t_ustack_top(%rip), %rsi
        jmp rt_enter_user

/* t_trap_init (CPL 0): catching handlers for vectors 0-31. */
        .globl t_trap_init
t_trap_init:
        pushq %rbx
        xorl %ebx, %ebx
1:      movl %ebx, %edi
        movl %ebx, %esi
        shll $4, %esi
        leaq t_stubs(%rip), %rax
        addq %rax, %rsi
        movl $GATE_INT, %edx
        xorl %ecx, %ecx
        call rt_set_gate
        incl %ebx
        cmpl $32, %ebx
        jb 1b
        popq %rbx
        ret

/* USER_RETURN's target: the #UD here means "back to the CATCH point". */
        .globl t_user_return
t_user_return:
        ud2

/* Stub N at t_stubs + 16 * N: pushes a zero error code where the CPU pushes none, then the vector. */
        .balign 16
        .globl t_stubs
t_stubs:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .balign 16
        .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
        pushq $\n
        .else
        pushq $0
        pushq $\n
        .endif
        jmp t_trap_common
        .endr

/* Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS (then +8 for the saved RAX). */
        .globl t_trap_common
t_trap_common:
        pushq %rax
        incl t_exc_count(%rip)
        cmpq $0, t_catch_rip(%rip)
        je t_uncaught
        movq 8(%rsp), %rax
        movq %rax, t_exc_vector(%rip)
        cmpq $6, %rax
        jne 1f
        leaq t_user_return(%rip), %rax
        cmpq %rax, 24(%rsp)
        jne 1f
        movq $T_RETURNED, t_exc_vector(%rip)
1:      movq 16(%rsp), %rax
        movq %rax, t_exc_err(%rip)
        movq 24(%rsp), %rax
        movq %rax, t_exc_rip(%rip)
        movq 32(%rsp), %rax
        movq %rax, t_exc_cs(%rip)
        movq 40(%rsp), %rax
        movq %rax, t_exc_rflags(%rip)
        movq 48(%rsp), %rax
        movq %rax, t_exc_rsp(%rip)
        movq 56(%rsp), %rax
        movq %rax, t_exc_ss(%rip)
        movq %cr2, %rax
        movq %rax, t_exc_cr2(%rip)
        /* resume at the CATCH point */
        movq t_catch_rip(%rip), %rax
        movq %rax, 24(%rsp)
        movq $SEL_KCODE, 32(%rsp)
        movq t_catch_rflags(%rip), %rax
        movq %rax, 40(%rsp)
        movq t_catch_rsp(%rip), %rax
        movq %rax, 48(%rsp)
        movq $SEL_KDATA, 56(%rsp)
        movq $0, t_catch_rip(%rip)
        popq %rax
        addq $16, %rsp
        iretq

t_uncaught:
        leaq exception_text(%rip), %rdi
        call puts
        movq 8(%rsp), %rdi
        call put_dec
        leaq rip_text(%rip), %rdi
        call puts
        movq 24(%rsp), %rdi
        call t_put_hex64
        leaq err_text(%rip), %rdi
        call puts
        movq 16(%rsp), %rdi
        call t_put_hex64
        leaq cs_text(%rip), %rdi
        call puts
        movq 32(%rsp), %rdi
        call t_put_hex64
        leaq cr2_text(%rip), %rdi
        call puts
        movq %cr2, %rdi
        call t_put_hex64
        movl $'\n', %edi
        call putc
        movl $3, %edi
        call debug_exit

        .section .rodata
hex_digits:     .ascii "0123456789abcdef"
fail_text:      .asciz "FAIL "
hash_text:      .asciz " #"
got_text:       .asciz ": got "
expected_text:  .asciz " expected "
colon_text:     .asciz ": "
of_text:        .asciz " of "
failed_text:    .asciz " failed\n"
ok_text:        .asciz " ok\n"
pass_text:      .asciz "PASS "
paren_text:     .asciz " ("
failures_text:  .asciz " failures)\n"
exception_text: .asciz "exception: vector "
rip_text:       .asciz "\n  rip "
err_text:       .asciz " err "
cs_text:        .asciz " cs "
cr2_text:       .asciz " cr2 "

        .data
        .balign 8
        .globl t_catch_rip, t_catch_rsp, t_catch_rflags
        .globl t_exc_vector, t_exc_err, t_exc_rip, t_exc_cs, t_exc_rflags, t_exc_rsp, t_exc_ss, t_exc_cr2
        .globl t_exc_count, t_fails
t_catch_rip:    .quad 0
t_catch_rsp:    .quad 0
t_catch_rflags: .quad 0
t_exc_vector:   .quad -1
t_exc_err:      .quad 0
t_exc_rip:      .quad 0
t_exc_cs:       .quad 0
t_exc_rflags:   .quad 0
t_exc_rsp:      .quad 0
t_exc_ss:       .quad 0
t_exc_cr2:      .quad 0
t_group_name:   .quad 0
t_exc_count:    .long 0
t_group_checks: .long 0
t_group_fails:  .long 0
t_fails:        .long 0

        .section .bss.t_pages, "aw", @nobits
        .balign 4096
        .globl t_pd1, t_pt1, t_pd3
t_pd1:  .skip 4096
t_pt1:  .skip 4096
t_pd3:  .skip 4096

        .bss
        .balign 16
        .globl t_ustack_top
t_ustack:
        .skip 16384
t_ustack_top:
