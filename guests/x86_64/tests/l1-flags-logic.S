/* l1-flags-logic: AND OR XOR TEST clear CF and OF and set SF ZF PF from the result (AF is undefined: masked and
 * cleared before each state record). */
        .include "test.inc"

        USER_MAIN body
body:
        BEGIN "l1-flags-logic: AND OR XOR TEST, CF=OF=0, SF ZF PF from the result"

        GROUP "and"
        T2 andq, %rbx, %rcx, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, CF|OF, 0x0f000f000f000f00, PF, AF
        T2 andb, %bl, %cl, 0x2222222222222280, 0x80, CF, 0x2222222222222280, SF, AF
        T2 andl, %ebx, %ecx, 0xffffffff12345678, 0, OF|SF, 0, ZF|PF, AF
        T2 andw, %bx, $0x7f00, 0x1234, 0, ALLF, 0x1200, PF, AF
        T2 andq, %rbx, $-2, 0x8000000000000003, 0, CF, 0x8000000000000002, SF, AF

        GROUP "or"
        T2 orq, %rbx, %rcx, 0, 0x8000000000000000, CF|OF|ZF, 0x8000000000000000, SF|PF, AF
        T2 orw, %bx, %cx, 0x55555555555500f0, 0x000f, 0, 0x55555555555500ff, PF, AF
        T2 orl, %ebx, %ecx, 0xffffffff00000000, 0, SF, 0, ZF|PF, AF
        T2 orb, %bl, $1, 0x40, 0, 0, 0x41, PF, AF

        GROUP "xor"
        T2 xorq, %rbx, %rbx, 0x123456789abcdef0, 0, CF|SF|OF, 0, ZF|PF, AF
        T2 xorb, %bl, %cl, 0xaa, 0x55, 0, 0xff, SF|PF, AF
        T2 xorl, %ebx, %ecx, 0x77777777ffffffff, 1, CF, 0xfffffffe, SF, AF
        T2 xorq, %rbx, $-1, 0x00ff00ff00ff00ff, 0, 0, 0xff00ff00ff00ff00, SF|PF, AF

        GROUP "test"
        T2 testq, %rbx, %rcx, 0x8000000000000000, 0x8000000000000000, CF|OF, 0x8000000000000000, SF|PF, AF
        T2 testb, %bl, %cl, 0x01, 0x02, 0, 0x01, ZF|PF, AF
        T2 testl, %ebx, $0x80000001, 0xffffffff80000000, 0, 0, 0xffffffff80000000, SF|PF, AF
        T2 testw, %bx, %cx, 0x0103, 0x0101, CF, 0x0103, 0, AF

        END "l1-flags-logic"
