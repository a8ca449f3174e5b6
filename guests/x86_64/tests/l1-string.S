/* l1-string: MOVS STOS LODS CMPS SCAS with and without REP/REPE/REPNE, forwards (DF=0) and backwards (DF=1):
 * data moved, RSI/RDI/RCX afterwards, and the flags of the last CMPS/SCAS comparison. */
        .include "test.inc"

/* PTRS: R8 := RSI, R9 := RDI (the checks clobber RSI and RDI). CHECKP reg, sym, off: reg == sym + off. */
.macro PTRS
        movq %rsi, %r8
        movq %rdi, %r9
.endm
.macro CHECKP reg, sym, off
        leaq \sym + (\off)(%rip), %rax
        CHECKQ \reg, %rax
.endm

        USER_MAIN body
body:
        BEGIN "l1-string: MOVS STOS LODS CMPS SCAS, REP prefixes, DF=0 and DF=1"

        GROUP "movs"
        cld
        leaq src(%rip), %rsi
        leaq dst(%rip), %rdi
        movq $13, %rcx
        rep movsb
        HP_RECORD_STATE 0x20001
        PTRS
        CHECKP %r8, src, 13
        CHECKP %r9, dst, 13
        CHECK %rcx, 0
        CHECK dst(%rip), 0x6f77206f6c6c6568     /* "hello wo" */
        CHECK dst + 8(%rip), 0x0000000000646c72 /* "rld", NULs */
        /* backwards, quadwords, starting from the last element */
        std
        leaq src + 24(%rip), %rsi
        leaq dst2 + 24(%rip), %rdi
        movq $4, %rcx
        rep movsq
        cld
        PTRS
        CHECKP %r8, src, -8
        CHECKP %r9, dst2, -8
        movq src + 24(%rip), %rax
        CHECKQ dst2 + 24(%rip), %rax
        movq src(%rip), %rax
        CHECKQ dst2(%rip), %rax
        /* one MOVSW; REP with RCX = 0 does nothing and keeps the flags */
        leaq src(%rip), %rsi
        leaq dst(%rip), %rdi
        movsw
        xorl %ecx, %ecx
        SETFLAGS ALLF
        rep movsb
        GETFLAGS %r12
        PTRS
        CHECK %r12, ALLF
        CHECK %rcx, 0
        CHECKP %r8, src, 2
        CHECKP %r9, dst, 2

        GROUP "stos/lods"
        leaq dst(%rip), %rdi
        movl $0xa5a5a5a5, %eax
        movq $5, %rcx
        rep stosl
        PTRS
        CHECKP %r9, dst, 20
        CHECK dst + 16(%rip), 0x00000000a5a5a5a5
        std
        leaq dst + 22(%rip), %rdi
        movw $0x1234, %ax
        stosw
        stosw
        cld
        PTRS
        CHECKP %r9, dst, 18
        CHECK dst + 16(%rip), 0x12341234a5a5a5a5
        leaq src(%rip), %rsi
        movq $-1, %rax
        lodsb
        movq %rax, %r13
        lodsl
        movq %rax, %r14
        std
        lodsw                           /* " w" at src + 5, then RSI moves back */
        cld
        movq %rax, %r15
        PTRS
        CHECK %r13, 0xffffffffffffff68  /* 'h': an 8-bit load keeps the rest of RAX */
        CHECK %r14, 0x6f6c6c65          /* "ello": a 32-bit load zero-extends */
        CHECK %r15, 0x6f6c7720
        CHECKP %r8, src, 3

        GROUP "cmps"
        leaq hw(%rip), %rsi
        leaq ht(%rip), %rdi
        movq $11, %rcx
        SETFLAGS ZF
        repe cmpsb                      /* stops after 'w' vs 't' at index 6 */
        HP_RECORD_STATE 0x20002
        GETFLAGS %r12
        PTRS
        CHECK %r12, PF                  /* 'w' - 't' = 3 */
        CHECK %rcx, 4
        CHECKP %r8, hw, 7
        CHECKP %r9, ht, 7
        leaq hw(%rip), %rsi
        leaq hw2(%rip), %rdi
        movq $11, %rcx
        repe cmpsb                      /* equal throughout: stops when RCX runs out, ZF=1 */
        GETFLAGS %r12
        CHECK %r12, ZF|PF
        CHECK %rcx, 0
        std
        leaq hw + 10(%rip), %rsi
        leaq ht + 10(%rip), %rdi
        movq $20, %rcx
        repne cmpsb                     /* backwards until the bytes agree: the ' ' at index 5 */
        cld
        GETFLAGS %r12
        PTRS
        CHECK %r12, ZF|PF
        CHECK %rcx, 14
        CHECKP %r9, ht, 4

        GROUP "scas"
        leaq hw(%rip), %rdi
        xorl %eax, %eax
        movq $100, %rcx
        repne scasb                     /* strlen: stops after the NUL */
        GETFLAGS %r12
        PTRS
        CHECK %r12, ZF|PF
        CHECK %rcx, 88
        CHECKP %r9, hw, 12
        leaq qs(%rip), %rdi
        movq $7, %rax
        movq $4, %rcx
        repe scasq                      /* 7, 7, 9: stops at the 9 */
        HP_RECORD_STATE 0x20003
        GETFLAGS %r12
        PTRS
        CHECK %r12, CF|SF|AF            /* 7 - 9 */
        CHECK %rcx, 1
        CHECKP %r9, qs, 24
        std
        leaq qs + 16(%rip), %rdi
        movq $9, %rax
        scasq
        cld
        GETFLAGS %r12
        PTRS
        CHECK %r12, ZF|PF
        CHECKP %r9, qs, 8

        END "l1-string"

        .data
        .balign 8
src:    .ascii "hello world\0\0abcdefghijklmnopqrstuvwxyz012345"
        .balign 8
hw:     .asciz "hello world"
hw2:    .asciz "hello world"
ht:     .asciz "hello there"
        .balign 8
qs:     .quad 7, 7, 9, 7
        .bss
        .balign 8
dst:    .skip 64
dst2:   .skip 64
