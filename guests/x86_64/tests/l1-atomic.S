/* l1-atomic: CMPXCHG (register and locked memory forms, flags as CMP), CMPXCHG8B, CMPXCHG16B, XADD (flags as ADD),
 * XCHG (flags kept, 32-bit forms zero-extend; 0x87 0xC0 is not the 0x90 NOP). At CPL 3, where this host runs them
 * natively (its kernel-mode emulator rejects lock cmpxchg16b). */
        .include "test.inc"

/* TCX insn, src, dst, rax, rbx, rcx, fin, res_rax, res_rbx, fout */
.macro TCX insn, src, dst, a, b, c, fin, ra, rb, fout
        movabsq $(\a), %rax
        movabsq $(\b), %rbx
        movabsq $(\c), %rcx
        SETFLAGS \fin
        \insn \src, \dst
        HP_RECORD_STATE 0x10000 + \@
        GETFLAGS %r12
        movq %rax, %rdx
        CHECK %rdx, \ra
        CHECK %rbx, \rb
        CHECK %r12, \fout
.endm

        USER_MAIN body
body:
        BEGIN "l1-atomic: CMPXCHG CMPXCHG8B CMPXCHG16B XADD XCHG"

        GROUP "cmpxchg"
        TCX cmpxchgq, %rcx, %rbx, 5, 5, 9, 0, 5, 9, ZF|PF
        TCX cmpxchgq, %rcx, %rbx, 5, 7, 9, ZF, 7, 7, CF|SF|AF
        TCX cmpxchgb, %cl, %bl, 0x1111111111111180, 0x2222222222222280, 0x33, 0, 0x1111111111111180, 0x2222222222222233, ZF|PF
        TCX cmpxchgl, %ecx, %ebx, 0x12345678, 0x12345678, 0x9abcdef0, 0, 0x12345678, 0x9abcdef0, ZF|PF
        TCX cmpxchgw, %cx, %bx, 0x0001, 0x8001, 0x0, 0, 0x8001, 0x8001, CF|SF|OF|PF
        movq $100, mem(%rip)
        movq $100, %rax
        movq $200, %rcx
        lock cmpxchgq %rcx, mem(%rip)
        GETFLAGS %r12, ZF
        CHECK %r12, ZF
        CHECK mem(%rip), 200
        lock cmpxchgq %rcx, mem(%rip)   /* RAX (100) != 200: RAX := 200, memory kept */
        GETFLAGS %r12, ZF
        CHECK %r12, 0
        CHECK %rax, 200
        CHECK mem(%rip), 200

        GROUP "cmpxchg8b/16b"
        movabsq $0x1111111122222222, %rax
        movq %rax, mem(%rip)
        movl $0x22222222, %eax
        movl $0x11111111, %edx
        movl $0x44444444, %ebx
        movl $0x33333333, %ecx
        SETFLAGS 0
        lock cmpxchg8b mem(%rip)
        GETFLAGS %r12, ZF
        CHECK %r12, ZF
        CHECK mem(%rip), 0x3333333344444444
        SETFLAGS ZF
        cmpxchg8b mem(%rip)             /* EDX:EAX still the old value: no match, EDX:EAX := memory */
        GETFLAGS %r12, ZF
        CHECK %r12, 0
        CHECK %rax, 0x44444444
        CHECK %rdx, 0x33333333
        movq $0x0a, mem16(%rip)
        movq $0x0b, mem16 + 8(%rip)
        movq $0x0a, %rax
        movq $0x0b, %rdx
        movabsq $0xcccccccccccccccc, %rbx
        movabsq $0xdddddddddddddddd, %rcx
        SETFLAGS 0
        lock cmpxchg16b mem16(%rip)
        HP_RECORD_STATE 0x20001
        GETFLAGS %r12, ZF
        CHECK %r12, ZF
        CHECK mem16(%rip), 0xcccccccccccccccc
        CHECK mem16 + 8(%rip), 0xdddddddddddddddd
        lock cmpxchg16b mem16(%rip)
        GETFLAGS %r12, ZF
        CHECK %r12, 0
        CHECK %rax, 0xcccccccccccccccc
        CHECK %rdx, 0xdddddddddddddddd

        GROUP "xadd"
        T2 xaddq, %rbx, %rcx, 0xffffffffffffffff, 1, 0, 0, CF|PF|AF|ZF
        CHECK %rcx, 0xffffffffffffffff
        T2 xaddl, %ebx, %ecx, 0xaaaaaaaa7fffffff, 0xbbbbbbbb00000001, 0, 0x80000000, PF|AF|SF|OF
        CHECK %rcx, 0x7fffffff
        T2 xaddb, %bl, %cl, 0x1111111111111101, 0x22222222222222ff, 0, 0x1111111111111100, CF|PF|AF|ZF
        CHECK %rcx, 0x2222222222222201
        movq $40, mem(%rip)
        movq $2, %rcx
        lock xaddq %rcx, mem(%rip)
        CHECK %rcx, 40
        CHECK mem(%rip), 42

        GROUP "xchg"
        T2 xchgq, %rbx, %rcx, 1, 2, ALLF, 2, ALLF
        CHECK %rcx, 1
        T2 xchgl, %ebx, %ecx, 0xffffffff00000001, 0xeeeeeeee00000002, 0, 2, 0
        CHECK %rcx, 1
        T2 xchgb, %bl, %cl, 0x1111111111111111, 0x2222222222222222, CF|ZF, 0x1111111111111122, CF|ZF
        CHECK %rcx, 0x2222222222222211
        movq $7, mem(%rip)
        movq $8, %rcx
        xchgq %rcx, mem(%rip)           /* implicitly locked */
        CHECK %rcx, 7
        CHECK mem(%rip), 8
        movabsq $0xffffffff12345678, %rax
        .byte 0x87, 0xc0                /* xchg %eax, %eax: a 32-bit write, zero-extends */
        movq %rax, %rbx
        CHECK %rbx, 0x12345678
        movabsq $0xffffffff12345678, %rax
        .byte 0x90                      /* NOP, not xchg %eax, %eax: RAX kept */
        movq %rax, %rbx
        CHECK %rbx, 0xffffffff12345678

        END "l1-atomic"

        .data
        .balign 16
mem16:  .quad 0, 0
mem:    .quad 0
