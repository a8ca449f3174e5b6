/* l1-shift: SHL SHR SAR SHLD SHRD: CF is the last bit out, OF defined only for 1-bit shifts, the count masked to
 * 5 bits (6 for 64-bit operands) and a masked count of 0 changing nothing (ARCHES.md 1.8 pitfalls 1-3).
 * AF after a shift, and OF after a multi-bit shift, are undefined: masked, and cleared before state records. */
        .include "test.inc"

/* TSHD insn, dst, cnt, a, b, fin, res, fout, undef: `insn $cnt, %rcx-part, dst` (SHLD/SHRD with immediate). */
.macro TSHD insn, dst, src, cnt, a, b, fin, res, fout, undef
        movabsq $(\a), %rbx
        movabsq $(\b), %rcx
        SETFLAGS \fin
        \insn $\cnt, \src, \dst
        CLEANFLAGS \undef
        HP_RECORD_STATE 0x10000 + \@
        GETFLAGS %r12, ALLF & ~(\undef)
        CHECK %rbx, \res
        CHECK %r12, \fout
.endm

        USER_MAIN body
body:
        BEGIN "l1-shift: SHL SHR SAR SHLD SHRD, counts 0, 1, n and masked"

        GROUP "shl"
        T2 shlb, %bl, $1, 0x81, 0, 0, 0x02, CF|OF, AF
        T2 shlb, %bl, $1, 0x40, 0, CF, 0x80, SF|OF, AF
        T2 shlq, %rbx, $1, 0x8000000000000000, 0, 0, 0, CF|PF|ZF|OF, AF
        T2 shlq, %rbx, $4, 0x0123456789abcdef, 0, CF, 0x123456789abcdef0, PF, AF|OF
        T2 shlq, %rbx, $4, 0x1123456789abcdef, 0, 0, 0x123456789abcdef0, CF|PF, AF|OF
        T2 shll, %ebx, %cl, 0xffffffff80000001, 33, 0, 0x00000002, CF|OF, AF
        T2 shlw, %bx, %cl, 0x4444444444440001, 15, 0, 0x4444444444448000, SF|PF, AF|OF

        GROUP "shr"
        T2 shrb, %bl, $1, 0x81, 0, 0, 0x40, CF|OF, AF
        T2 shrw, %bx, $1, 0x0001, 0, 0, 0x0000, CF|PF|ZF, AF
        T2 shrq, %rbx, $63, 0x8000000000000000, 0, CF|ZF, 0x1, 0, AF|OF
        T2 shrq, %rbx, $63, 0x4000000000000000, 0, 0, 0, CF|PF|ZF, AF|OF
        T2 shrl, %ebx, %cl, 0xaaaaaaaa80000000, 0x1f, 0, 0x1, 0, AF|OF
        T2 shrq, %rbx, %cl, 0xf0, 0x44, 0, 0x0f, PF, AF|OF

        GROUP "sar"
        T2 sarb, %bl, $1, 0x81, 0, OF, 0xc0, CF|PF|SF, AF
        T2 sarl, %ebx, $31, 0x0000000080000000, 0, 0, 0xffffffff, PF|SF, AF|OF
        T2 sarq, %rbx, %cl, 0xfffffffffffffffe, 65, 0, 0xffffffffffffffff, PF|SF, AF
        T2 sarq, %rbx, $1, 0x7ffffffffffffffe, 0, CF|OF, 0x3fffffffffffffff, PF, AF
        T2 sarw, %bx, $4, 0x9999999999998008, 0, 0, 0x999999999999f800, CF|SF|PF, AF|OF

        GROUP "count 0"
        T2 shlq, %rbx, %cl, 0x1234, 64, ALLF, 0x1234, ALLF
        T2 shrb, %bl, %cl, 0x80, 32, CF|ZF, 0x80, CF|ZF
        T2 sarq, %rbx, %cl, 0x8000000000000000, 0xc0, OF|AF, 0x8000000000000000, OF|AF
        T2 shlb, %bl, $0, 0xff, 0, PF|SF, 0xff, PF|SF

        GROUP "shld/shrd"
        TSHD shldq, %rbx, %rcx, 4, 0x0123456789abcdef, 0xf000000000000000, 0, 0x123456789abcdeff, PF, AF|OF
        TSHD shldq, %rbx, %rcx, 1, 0x4000000000000000, 0x8000000000000000, 0, 0x8000000000000001, SF|OF, AF
        TSHD shrdl, %ebx, %ecx, 8, 0xffffffff12345678, 0xabcdef99, 0, 0x99123456, SF|PF, AF|OF
        TSHD shrdw, %bx, %cx, 1, 0x5555555555550001, 0x0000, 0, 0x5555555555550000, CF|ZF|PF, AF
        TSHD shldl, %ebx, %ecx, 32, 0x12345678, 0x9abcdef0, ALLF, 0x12345678, ALLF, 0

        END "l1-shift"
