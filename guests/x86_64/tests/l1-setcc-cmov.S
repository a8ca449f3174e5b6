/* l1-setcc-cmov: SETcc, CMOVcc and Jcc for all 16 conditions under 14 flag patterns (bit i of each mask is
 * condition i in opcode order: O NO B AE E NE BE A S NS P NP L GE LE G); a 32-bit CMOVcc whose condition is false
 * still zero-extends its destination. */
        .include "test.inc"

/* SETALL: byte i of setbuf := condition i. */
.macro SETALL
        seto setbuf + 0(%rip)
        setno setbuf + 1(%rip)
        setb setbuf + 2(%rip)
        setae setbuf + 3(%rip)
        sete setbuf + 4(%rip)
        setne setbuf + 5(%rip)
        setbe setbuf + 6(%rip)
        seta setbuf + 7(%rip)
        sets setbuf + 8(%rip)
        setns setbuf + 9(%rip)
        setp setbuf + 10(%rip)
        setnp setbuf + 11(%rip)
        setl setbuf + 12(%rip)
        setge setbuf + 13(%rip)
        setle setbuf + 14(%rip)
        setg setbuf + 15(%rip)
.endm

/* CMOVALL: R9 := the mask of conditions for which CMOVcc moved (flags are not touched: MOV and LEA only). */
.macro CMOV1 cc, bit
        movl $0, %ebx
        movl $(1 << \bit), %ecx
        cmov\cc %rcx, %rbx
        leaq (%r9,%rbx), %r9
.endm
.macro CMOVALL
        movl $0, %r9d
        CMOV1 o, 0
        CMOV1 no, 1
        CMOV1 b, 2
        CMOV1 ae, 3
        CMOV1 e, 4
        CMOV1 ne, 5
        CMOV1 be, 6
        CMOV1 a, 7
        CMOV1 s, 8
        CMOV1 ns, 9
        CMOV1 p, 10
        CMOV1 np, 11
        CMOV1 l, 12
        CMOV1 ge, 13
        CMOV1 le, 14
        CMOV1 g, 15
.endm

/* JALL: R10 := the mask of conditions for which Jcc was taken. */
.macro J1 cc, bit
        j\cc 1f
        jmp 2f
1:      leaq (1 << \bit)(%r10), %r10
2:
.endm
.macro JALL
        movl $0, %r10d
        J1 o, 0
        J1 no, 1
        J1 b, 2
        J1 ae, 3
        J1 e, 4
        J1 ne, 5
        J1 be, 6
        J1 a, 7
        J1 s, 8
        J1 ns, 9
        J1 p, 10
        J1 np, 11
        J1 l, 12
        J1 ge, 13
        J1 le, 14
        J1 g, 15
.endm

/* PATTERN flags, mask: all three forms under RFLAGS = flags; the flags themselves must survive. */
.macro PATTERN flags, mask
        SETFLAGS \flags
        SETALL
        HP_RECORD_STATE 0x10000 + \@
        CMOVALL
        JALL
        GETFLAGS %r12
        call pack
        CHECK %rax, \mask
        CHECK %r9, \mask
        CHECK %r10, \mask
        CHECK %r12, \flags
.endm

        USER_MAIN body
body:
        BEGIN "l1-setcc-cmov: SETcc CMOVcc Jcc, 16 conditions x 14 flag patterns"

        GROUP "conditions"
        PATTERN 0, 0xaaaa
        PATTERN CF, 0xaa66
        PATTERN ZF, 0x6a5a
        PATTERN SF, 0x59aa
        PATTERN OF, 0x5aa9
        PATTERN PF, 0xa6aa
        PATTERN SF|OF, 0xa9a9
        PATTERN ZF|SF, 0x595a
        PATTERN CF|ZF, 0x6a56
        PATTERN ALLF, 0x6555
        PATTERN OF|ZF, 0x5a59
        PATTERN SF|PF, 0x55aa
        PATTERN CF|SF, 0x5966
        PATTERN AF, 0xaaaa

        GROUP "cmov 32-bit"
        movq $-1, %rbx
        movl $5, %ecx
        SETFLAGS 0
        cmovol %ecx, %ebx               /* not taken: still a 32-bit write */
        CHECK %rbx, 0xffffffff
        movq $-1, %rbx
        cmovnol %ecx, %ebx
        CHECK %rbx, 5
        movq $-1, %rbx
        cmovew %cx, %bx                 /* not taken, 16-bit: nothing written */
        CHECK %rbx, 0xffffffffffffffff
        movq $0, %rbx
        movq $-1, %rcx
        SETFLAGS ZF
        cmoveq setbuf(%rip), %rbx       /* memory source */
        CHECKQ %rbx, setbuf(%rip)

        END "l1-setcc-cmov"

/* pack: RAX := bit i set where setbuf[i] != 0 (setbuf bytes are 0 or 1). */
pack:
        xorl %eax, %eax
        movl $15, %ecx
1:      shlq $1, %rax
        movzbl setbuf(%rcx), %edx
        orq %rdx, %rax
        decl %ecx
        jns 1b
        ret

        .bss
        .balign 8
setbuf: .skip 16
