/* l1-flags-addsub: ADD ADC SUB SBB CMP NEG at 8/16/32/64 bits: results (partial-register merge, 32-bit zero
 * extension) and all six status flags, at CPL 3. */
        .include "test.inc"

        USER_MAIN body
body:
        BEGIN "l1-flags-addsub: ADD ADC SUB SBB CMP NEG, results and CF PF AF ZF SF OF"

        GROUP "add"
        T2 addb, %bl, %cl, 0x112233445566777f, 0x01, 0, 0x1122334455667780, OF|SF|AF
        T2 addb, %bl, %cl, 0xff, 0x01, 0, 0x00, CF|PF|AF|ZF
        T2 addw, %bx, %cx, 0xaaaaaaaaaaaa8000, 0x8000, 0, 0xaaaaaaaaaaaa0000, CF|PF|ZF|OF
        T2 addl, %ebx, %ecx, 0xdeadbeefffffffff, 0x1, 0, 0, CF|PF|AF|ZF
        T2 addq, %rbx, %rcx, 0x7fffffffffffffff, 1, 0, 0x8000000000000000, OF|SF|AF|PF
        T2 addq, %rbx, $0x11, 0x0123456789abcdef, 0, 0, 0x0123456789abce00, AF|PF
        T2 addq, %rbx, $-6, 5, 0, CF|ZF|OF, 0xffffffffffffffff, SF|PF
        T2 addl, %ebx, %ecx, 0x40000000, 0x40000000, 0, 0x80000000, OF|SF|PF

        GROUP "adc"
        T2 adcb, %bl, %cl, 0xff, 0x00, CF, 0x00, CF|PF|AF|ZF
        T2 adcq, %rbx, %rcx, 0xffffffffffffffff, 0xffffffffffffffff, CF, 0xffffffffffffffff, CF|PF|AF|SF
        T2 adcl, %ebx, %ecx, 0x123456787fffffff, 0, CF, 0x80000000, OF|SF|AF|PF
        T2 adcw, %bx, %cx, 0x7777777777771234, 0x4321, 0, 0x7777777777775555, PF
        T2 adcw, %bx, %cx, 0x7777777777771234, 0x4321, CF, 0x7777777777775556, PF

        GROUP "sub"
        T2 subb, %bl, %cl, 0x00, 0x01, 0, 0xff, CF|PF|AF|SF
        T2 subb, %bl, %cl, 0x80, 0x01, 0, 0x7f, OF|AF
        T2 subl, %ebx, %ecx, 0xffffffff00000005, 5, CF, 0, ZF|PF
        T2 subq, %rbx, %rcx, 0, 0x8000000000000000, 0, 0x8000000000000000, CF|PF|SF|OF
        T2 subw, %bx, %cx, 0x10, 0x01, 0, 0x0f, AF|PF
        T2 subq, %rbx, $1, 0, 0, 0, 0xffffffffffffffff, CF|PF|AF|SF

        GROUP "sbb"
        T2 sbbb, %bl, %cl, 0x00, 0x00, CF, 0xff, CF|PF|AF|SF
        T2 sbbq, %rbx, %rcx, 0x8000000000000000, 0, CF, 0x7fffffffffffffff, OF|AF|PF
        T2 sbbl, %ebx, %ecx, 0x10, 0x0f, 0, 0x01, AF
        T2 sbbw, %bx, %cx, 0x1234, 0x1234, CF, 0xffff, CF|PF|AF|SF
        T2 sbbq, %rbx, %rcx, 0x1234, 0x1234, 0, 0, ZF|PF

        GROUP "cmp"
        T2 cmpq, %rbx, %rcx, 1, 2, 0, 1, CF|PF|AF|SF
        T2 cmpb, %bl, %cl, 0x80, 0x7f, 0, 0x80, OF|AF
        T2 cmpl, %ebx, %ecx, 0xaaaaaaaa12345678, 0x12345678, 0, 0xaaaaaaaa12345678, ZF|PF
        T2 cmpq, %rbx, $-1, 0x7fffffffffffffff, 0, 0, 0x7fffffffffffffff, CF|OF|SF|PF

        GROUP "neg"
        T1 negb, %bl, 0x01, 0, 0xff, CF|PF|AF|SF
        T1 negb, %bl, 0x80, 0, 0x80, CF|SF|OF
        T1 negq, %rbx, 0, CF, 0, ZF|PF
        T1 negl, %ebx, 0x5555555580000000, 0, 0x80000000, CF|PF|SF|OF
        T1 negw, %bx, 0x10, 0, 0xfff0, CF|PF|SF

        END "l1-flags-addsub"
