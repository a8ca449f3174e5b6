/* l1-flags-misc: LAHF SAHF, PUSHF POPF at CPL 3 with IF=1 and IOPL 0 (status flags, DF, AC, ID and NT change;
 * IF and IOPL silently do not; bit 1 reads as 1), CLC STC CMC CLD STD. */
        .include "test.inc"

        .set NT, 1 << 14
        .set AC, 1 << 18
        .set ID, 1 << 21
        .set IOPL3, 3 << 12

        USER_MAIN body
body:
        BEGIN "l1-flags-misc: LAHF SAHF PUSHF POPF CLC STC CMC CLD STD"

        GROUP "lahf/sahf"
        movq $-1, %rax
        SETFLAGS ALLF
        lahf
        movq %rax, %rbx
        CHECK %rbx, 0xffffffffffffd7ff  /* AH = SF ZF 0 AF 0 PF 1 CF */
        SETFLAGS 0
        lahf
        movq %rax, %rbx
        CHECK %rbx, 0xffffffffffff02ff
        movq $0xff00, %rax
        SETFLAGS 0
        sahf                            /* OF is not loaded */
        HP_RECORD_STATE 0x20001
        GETFLAGS %r12
        CHECK %r12, CF|PF|AF|ZF|SF
        movq $0x2a00, %rax              /* 0x2a: bits 5, 3, 1 are not flags */
        SETFLAGS ALLF
        sahf
        GETFLAGS %r12
        CHECK %r12, OF
        movq $0x4100, %rax
        SETFLAGS 0
        sahf
        GETFLAGS %r12
        CHECK %r12, ZF|CF

        GROUP "pushf/popf"
        SETFLAGS 0
        pushfq
        popq %rbx
        CHECK %rbx, IF|0x2
        movq $(ALLF | DF | NT | AC | ID | IOPL3 | 0xffffffffffc08028), %rax
        pushq %rax
        popfq                           /* reserved bits, IF and IOPL (CPL 3 > IOPL 0) are not written */
        pushfq
        popq %rbx
        SETFLAGS 0
        CHECK %rbx, ALLF|DF|NT|AC|ID|IF|0x2
        pushfq
        popq %rbx
        CHECK %rbx, IF|0x2
        pushfw                          /* 16-bit forms */
        movw $(CF | ZF | 0x2), (%rsp)
        popfw
        GETFLAGS %r12
        CHECK %r12, CF|ZF

        GROUP "clc/stc/cmc/cld/std"
        SETFLAGS ALLF
        clc
        GETFLAGS %r12
        CHECK %r12, (ALLF & ~CF)
        cmc
        GETFLAGS %r12
        CHECK %r12, ALLF
        cmc
        cmc
        GETFLAGS %r12
        CHECK %r12, ALLF
        SETFLAGS 0
        stc
        std
        GETFLAGS %r12, ALLF | DF
        CHECK %r12, CF|DF
        cld
        GETFLAGS %r12, ALLF | DF
        CHECK %r12, CF

        END "l1-flags-misc"
