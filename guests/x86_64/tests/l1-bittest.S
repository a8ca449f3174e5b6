/* l1-bittest: BT BTS BTR BTC (CF = the old bit; register offsets taken modulo the operand size, memory offsets
 * address a bit string, negative ones included; ZF kept) and BSF BSR (ZF=1 for a zero source, whose destination
 * is undefined and is overwritten before the state record). OF SF AF PF are undefined after both: masked. */
        .include "test.inc"

        .set BTU, OF|SF|AF|PF           /* undefined after BT* */
        .set BSU, CF|OF|SF|AF|PF        /* undefined after BSF/BSR */

        USER_MAIN body
body:
        BEGIN "l1-bittest: BT BTS BTR BTC on registers and bit strings, BSF BSR"

        GROUP "bt reg"
        T2 btq, %rbx, $63, 0x8000000000000000, 0, 0, 0x8000000000000000, CF, BTU
        T2 btq, %rbx, $62, 0x8000000000000000, 0, CF|ZF, 0x8000000000000000, ZF, BTU
        T2 btl, %ebx, %ecx, 0xffffffff00000002, 33, 0, 0xffffffff00000002, CF, BTU
        T2 btw, %bx, %cx, 0x8000, 0xf, ZF, 0x8000, CF|ZF, BTU
        T2 btsq, %rbx, $0, 0, 0, CF, 1, 0, BTU
        T2 btsq, %rbx, %rcx, 0x10, 0x44, 0, 0x10, CF, BTU
        T2 btsl, %ebx, $31, 0xffffffff00000000, 0, ZF, 0x80000000, ZF, BTU
        T2 btrq, %rbx, $5, 0xff, 0, 0, 0xdf, CF, BTU
        T2 btrw, %bx, %cx, 0x3333333333330000, 0x1f, CF, 0x3333333333330000, 0, BTU
        T2 btcq, %rbx, %rcx, 0, 67, 0, 8, 0, BTU
        T2 btcq, %rbx, $63, 0xffffffffffffffff, 0, 0, 0x7fffffffffffffff, CF, BTU

        GROUP "bt memory"
        leaq bits + 8(%rip), %r8        /* base: the second quadword of four */
        movq $-1, %rcx                  /* bit 63 of the first quadword */
        SETFLAGS 0
        btrq %rcx, (%r8)
        CLEANFLAGS BTU
        HP_RECORD_STATE 0x20001
        GETFLAGS %r12, CF|ZF
        CHECK %r12, CF
        CHECK bits(%rip), 0x7fffffffffffffff
        movq $130, %rcx                 /* bit 2 of the fourth quadword (from base: 128 + 2) */
        btsq %rcx, (%r8)
        GETFLAGS %r12, CF
        CHECK %r12, 0
        CHECK bits + 24(%rip), 0x4
        movl $-33, %ecx                 /* 32-bit offsets: -33 is bit 31 of the dword at base - 8 */
        btcl %ecx, (%r8)
        GETFLAGS %r12, CF
        CHECK %r12, CF
        CHECK bits(%rip), 0x7fffffff7fffffff
        movw $17, %cx                   /* 16-bit offsets: word at base + 2, bit 1 */
        btw %cx, (%r8)
        GETFLAGS %r12, CF
        CHECK %r12, CF
        btl $33, (%r8)                  /* an immediate offset is taken modulo 32: bit 1 of base */
        GETFLAGS %r12, CF
        CHECK %r12, 0
        CHECK bits + 8(%rip), 0x0000000000020000

        GROUP "bsf/bsr"
        T2 bsfq, %rbx, %rcx, 0x5555, 0x8000000000000100, ZF, 8, 0, BSU
        T2 bsrq, %rbx, %rcx, 0x5555, 0x8000000000000100, ZF, 63, 0, BSU
        T2 bsfl, %ebx, %ecx, 0xffffffffffffffff, 0x00010000, 0, 16, 0, BSU
        T2 bsrw, %bx, %cx, 0x6666666666666666, 0x0001, 0, 0x6666666666660000, 0, BSU
        T2 bsrq, %rbx, %rcx, 0, 0x70, 0, 6, 0, BSU
        T2 bsfq, %rbx, %rcx, 0, 1, ALLF, 0, 0, BSU
        /* zero source: ZF=1, the destination is undefined (Intel) or unchanged (AMD): not checked, overwritten */
        movq $0, %rcx
        SETFLAGS 0
        bsfq %rcx, %rbx
        movq $0, %rbx
        CLEANFLAGS BSU
        HP_RECORD_STATE 0x20002
        GETFLAGS %r12, ZF
        CHECK %r12, ZF
        SETFLAGS 0
        bsrl %ecx, %ebx
        movq $0, %rbx
        GETFLAGS %r12, ZF
        CHECK %r12, ZF

        END "l1-bittest"

        .data
        .balign 8
bits:   .quad 0xffffffffffffffff, 0x0000000000020000, 0, 0
