/* l1-muldiv: MUL and IMUL (one, two and three operands): the double-width product, CF=OF=1 exactly when the upper
 * half is significant; DIV and IDIV: quotient and remainder, truncation toward zero. SF ZF AF PF after MUL/IMUL
 * and all flags after DIV/IDIV are undefined: masked and cleared before each state record. */
        .include "test.inc"

        .set MULU, SF|ZF|AF|PF          /* undefined after MUL/IMUL */

/* TAX insn, src, rax, rcx, rdx, fin, res_rax, res_rdx, fout, undef: RAX/RCX/RDX set, `insn src`, check RAX, RDX. */
.macro TAX insn, src, a, c, d, fin, rax, rdx, fout, undef
        movabsq $(\a), %rax
        movabsq $(\c), %rcx
        movabsq $(\d), %rdx
        SETFLAGS \fin
        \insn \src
        CLEANFLAGS \undef
        HP_RECORD_STATE 0x10000 + \@
        GETFLAGS %r12, ALLF & ~(\undef)
        movq %rax, %rbx
        CHECK %rbx, \rax
        CHECK %rdx, \rdx
        CHECK %r12, \fout
.endm

        USER_MAIN body
body:
        BEGIN "l1-muldiv: MUL IMUL DIV IDIV, results and CF/OF"

        GROUP "mul"
        TAX mulb, %cl, 0x1111111111111180, 0x02, 0x3333, 0, 0x1111111111110100, 0x3333, CF|OF, MULU
        TAX mulb, %cl, 0x0f, 0x0f, 0, CF|OF, 0x00e1, 0, 0, MULU
        TAX mulw, %cx, 0xffff, 0xffff, 0x7777777777777777, 0, 0x0001, 0x777777777777fffe, CF|OF, MULU
        TAX mull, %ecx, 0xaaaaaaaa80000000, 2, 0xbbbbbbbbbbbbbbbb, 0, 0, 1, CF|OF, MULU
        TAX mulq, %rcx, 0xffffffffffffffff, 0xffffffffffffffff, 0, 0, 1, 0xfffffffffffffffe, CF|OF, MULU
        TAX mulq, %rcx, 3, 5, 0x99, CF, 15, 0, 0, MULU

        GROUP "imul"
        TAX imulb, %cl, 0x80, 0xff, 0, 0, 0x0080, 0, CF|OF, MULU
        TAX imulb, %cl, 0xfe, 0x03, 0, CF|OF, 0xfffa, 0, 0, MULU
        TAX imulq, %rcx, 0xffffffffffffffff, 0xffffffffffffffff, 0x55, 0, 1, 0, 0, MULU
        TAX imulq, %rcx, 0x4000000000000000, 2, 0, 0, 0x8000000000000000, 0, CF|OF, MULU
        TAX imull, %ecx, 0xffffffff, 0x7fffffff, 0xffffffffffffffff, CF|OF, 0x80000001, 0xffffffff, 0, MULU
        TAX imulw, %cx, 0xffff, 0x8000, 0x1111111111111111, 0, 0x8000, 0x1111111111110000, CF|OF, MULU
        T2 imulq, %rbx, %rcx, 0x100000000, 0x100000000, 0, 0, CF|OF, MULU
        T2 imull, %ebx, %ecx, 0xffffffff00010000, 0x10000, 0, 0, CF|OF, MULU
        T2 imull, %ebx, %ecx, 0x12345678fffffffd, 0x7, CF|OF, 0xffffffeb, 0, MULU
        T2 imulw, %bx, %cx, 0x4444444444440100, 0x0100, 0, 0x4444444444440000, CF|OF, MULU
        movq $3, %rcx
        SETFLAGS CF|OF
        imulq $7, %rcx, %rbx
        CLEANFLAGS MULU
        GETFLAGS %r12, CF|OF
        CHECK %rbx, 21
        CHECK %r12, 0
        movq $0x7fffffff, %rcx
        imull $-3, %ecx, %ebx
        GETFLAGS %r12, CF|OF
        CHECK %rbx, 0x80000003
        CHECK %r12, CF|OF

        GROUP "div"
        TAX divb, %cl, 0x1111111111110100, 3, 0, 0, 0x1111111111110155, 0, 0, ALLF
        TAX divw, %cx, 0x0000, 7, 0x0001, 0, 0x2492, 0x0002, 0, ALLF
        TAX divl, %ecx, 0xffffffff00000000, 0x10, 0xffffffff00000001, 0, 0x10000000, 0, 0, ALLF
        TAX divq, %rcx, 0, 3, 1, 0, 0x5555555555555555, 1, 0, ALLF
        TAX divq, %rcx, 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe, 0, 0xffffffffffffffff, 0xfffffffffffffffe, 0, ALLF
        TAX divq, %rcx, 12345, 1, 0, 0, 12345, 0, 0, ALLF

        GROUP "idiv"
        TAX idivb, %cl, 0xfff9, 2, 0, 0, 0xfffd, 0, 0, ALLF
        TAX idivl, %ecx, 0xffffff9c, 7, 0xffffffff, 0, 0xfffffff2, 0xfffffffe, 0, ALLF
        TAX idivq, %rcx, 0x8000000000000000, 2, 0xffffffffffffffff, 0, 0xc000000000000000, 0, 0, ALLF
        TAX idivq, %rcx, 7, -2, 0, 0, -3, 1, 0, ALLF
        TAX idivq, %rcx, -7, -2, -1, 0, 3, -1, 0, ALLF
        TAX idivw, %cx, 0x8000, 0x0002, 0xffff, 0, 0xc000, 0, 0, ALLF

        END "l1-muldiv"
