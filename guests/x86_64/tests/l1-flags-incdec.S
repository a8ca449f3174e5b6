/* l1-flags-incdec: INC and DEC set OF SF ZF AF PF and leave CF alone; NOT, LEA and MOV leave every flag alone. */
        .include "test.inc"

        USER_MAIN body
body:
        BEGIN "l1-flags-incdec: INC/DEC keep CF; NOT, LEA, MOV keep all flags"

        GROUP "inc"
        T1 incb, %bl, 0x7f, CF, 0x80, CF|AF|SF|OF
        T1 incb, %bl, 0xff, 0, 0x00, PF|AF|ZF
        T1 incb, %bl, 0xff, CF, 0x00, CF|PF|AF|ZF
        T1 incq, %rbx, 0xffffffffffffffff, 0, 0, PF|AF|ZF
        T1 incl, %ebx, 0x123456787fffffff, CF|ZF, 0x80000000, CF|PF|AF|SF|OF
        T1 incw, %bx, 0xabcdef000000ffff, 0, 0xabcdef0000000000, PF|AF|ZF
        T1 incq, %rbx, 0x0f, OF|SF|ZF, 0x10, AF

        GROUP "dec"
        T1 decb, %bl, 0x80, CF, 0x7f, CF|AF|OF
        T1 decb, %bl, 0x00, 0, 0xff, PF|AF|SF
        T1 decq, %rbx, 1, CF, 0, CF|PF|ZF
        T1 decl, %ebx, 0xffffffff00000000, 0, 0xffffffff, PF|AF|SF
        T1 decw, %bx, 0x5555555555558000, CF, 0x5555555555557fff, CF|PF|AF|OF
        T1 decq, %rbx, 0x8000000000000000, 0, 0x7fffffffffffffff, PF|AF|OF

        GROUP "not"
        T1 notq, %rbx, 0x0f0f, ALLF, 0xfffffffffffff0f0, ALLF
        T1 notb, %bl, 0x1111111111111100, 0, 0x11111111111111ff, 0
        T1 notl, %ebx, 0xffffffff00000000, CF|OF, 0x00000000ffffffff, CF|OF
        T1 notw, %bx, 0xffffffffffffffff, SF|PF, 0xffffffffffff0000, SF|PF

        GROUP "lea/mov"
        movq $0x1000, %rbx
        movq $0x20, %rcx
        SETFLAGS ALLF
        leaq 7(%rbx,%rcx,4), %rdx
        movq $-1, %rbx
        movl $5, %ecx
        HP_RECORD_STATE 0x20001
        GETFLAGS %r12
        CHECK %rdx, 0x1087
        CHECK %rbx, -1
        CHECK %rcx, 5
        CHECK %r12, ALLF
        SETFLAGS 0
        leal -1(%rbx), %edx
        movw $0x7fff, %cx
        GETFLAGS %r12
        CHECK %rdx, 0xfffffffe
        CHECK %r12, 0

        END "l1-flags-incdec"
