/* l1-convert: CBW CWDE CDQE CWD CDQ CQO, MOVSX MOVZX MOVSXD, BSWAP, 32-bit moves: which part of the register is
 * written (8/16-bit writes merge, 32-bit writes zero-extend); none of them changes a flag. */
        .include "test.inc"

/* TA insn, rax, rdx, res_rax, res_rdx: RFLAGS = all six status flags, `insn`, check RAX, RDX, flags kept. */
.macro TA insn, a, d, ra, rd
        movabsq $(\a), %rax
        movabsq $(\d), %rdx
        SETFLAGS ALLF
        \insn
        HP_RECORD_STATE 0x10000 + \@
        GETFLAGS %r12
        movq %rax, %rbx
        CHECK %rbx, \ra
        CHECK %rdx, \rd
        CHECK %r12, ALLF
.endm

        USER_MAIN body
body:
        BEGIN "l1-convert: CBW CWDE CDQE CWD CDQ CQO MOVSX MOVZX MOVSXD BSWAP"

        GROUP "sign extension in rax/rdx"
        TA cbtw, 0x1111111111111180, 0x22, 0x111111111111ff80, 0x22
        TA cbtw, 0x111111111111ff7f, 0x22, 0x111111111111007f, 0x22
        TA cwtl, 0x1111111111118000, 0x22, 0xffff8000, 0x22
        TA cltq, 0x1111111180000000, 0x22, 0xffffffff80000000, 0x22
        TA cltq, 0xffffffff7fffffff, 0x22, 0x7fffffff, 0x22
        TA cwtd, 0x8000, 0x3333333333333333, 0x8000, 0x333333333333ffff
        TA cltd, 0x7fffffff, 0x3333333333333333, 0x7fffffff, 0
        TA cltd, 0xaaaaaaaa80000000, 0, 0xaaaaaaaa80000000, 0xffffffff
        TA cqto, 0x8000000000000000, 0, 0x8000000000000000, 0xffffffffffffffff
        TA cqto, 0x7fffffffffffffff, 0x5, 0x7fffffffffffffff, 0

        GROUP "movsx/movzx"
        T2 movsbq, %rbx, %cl, 0x1234, 0x80, ALLF, 0xffffffffffffff80, ALLF
        T2 movsbw, %bx, %cl, 0x5555555555555555, 0xff, 0, 0x555555555555ffff, 0
        T2 movsbl, %ebx, %cl, 0x5555555555555555, 0x7f, 0, 0x7f, 0
        T2 movswq, %rbx, %cx, 0, 0x8001, CF, 0xffffffffffff8001, CF
        T2 movswl, %ebx, %cx, 0xffffffffffffffff, 0x8001, 0, 0xffff8001, 0
        T2 movslq, %rbx, %ecx, 0, 0x80000000, 0, 0xffffffff80000000, 0
        T2 movzbl, %ebx, %cl, 0xffffffffffffffff, 0x80, 0, 0x80, 0
        T2 movzbw, %bx, %cl, 0xffffffffffffffff, 0x80, 0, 0xffffffffffff0080, 0
        T2 movzwq, %rbx, %cx, 0xffffffffffffffff, 0xffff8001, ZF, 0x8001, ZF
        T2 movl, %ebx, %ecx, 0xffffffffffffffff, 0x1234567887654321, 0, 0x87654321, 0
        T2 movw, %bx, %cx, 0xffffffffffffffff, 0x1234567887654321, 0, 0xffffffffffff4321, 0
        T2 movb, %bl, %ch, 0xffffffffffffffff, 0x1234567887654321, 0, 0xffffffffffffff43, 0

        GROUP "bswap"
        T1 bswapq, %rbx, 0x0123456789abcdef, ALLF, 0xefcdab8967452301, ALLF
        T1 bswapl, %ebx, 0xffffffff12345678, 0, 0x78563412, 0
        T1 bswapq, %rbx, 0x80, SF, 0x8000000000000000, SF

        END "l1-convert"
