/* Program and supervisor-call interruptions taken through the lowcore: interruption code, ILC and where the old
 * PSW points (relative to the instruction), for an operation exception (opcode 0x00), a privileged operation in
 * the problem state (LCTLG), a specification exception (LPSWE of an odd address) and SVC 66. */
#include "lowcore.inc"

/* Points the new PSW at 'slot' to the continuation after the macro, in 64-bit supervisor state. */
.macro catch slot
    larl    %r1, 7777f
    stg     %r1, \slot + 8
.endm

/* Prints "<name>: code 0x.. ilc . old PSW at insn+." from the program or SVC lowcore fields. */
.macro report name, codeoff, ilcoff, oldoff, insn
    larl    %r2, \name
    llgh    %r3, \codeoff
    llgh    %r4, \ilcoff
    srlg    %r4, %r4, 1
    lg      %r5, \oldoff + 8
    larl    %r6, \insn
    sgr     %r5, %r6
    brasl   %r14, report_line
.endm

    .text
    .globl main
main:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -160
    larl    %r2, title
    brasl   %r14, hp_printf

    catch   LC_PGM_NEW
op_insn:
    .short  0x0000
7777:
    report  n_op, LC_PGM_CODE, LC_PGM_ILC, LC_PGM_OLD, op_insn

    catch   LC_PGM_NEW
    larl    %r1, problem_psw
    lpswe   0(%r1)
problem:
priv_insn:
    lctlg   %c0, %c0, 0(%r15)
7777:
    report  n_priv, LC_PGM_CODE, LC_PGM_ILC, LC_PGM_OLD, priv_insn
    /* The program old PSW says problem state (bit 15). */
    lg      %r1, LC_PGM_OLD
    srlg    %r1, %r1, 48
    nill    %r1, 1
    lgr     %r3, %r1
    larl    %r2, f_pstate
    brasl   %r14, hp_printf

    catch   LC_PGM_NEW
spec_insn:
    lpswe   1
7777:
    report  n_spec, LC_PGM_CODE, LC_PGM_ILC, LC_PGM_OLD, spec_insn

    catch   LC_SVC_NEW
svc_insn:
    svc     66
7777:
    report  n_svc, LC_SVC_CODE, LC_SVC_ILC_OFF, LC_SVC_OLD, svc_insn

    larl    %r1, rt_pgm
    stg     %r1, LC_PGM_NEW + 8
    larl    %r1, rt_svc
    stg     %r1, LC_SVC_NEW + 8
    larl    %r2, pass
    brasl   %r14, hp_printf
    lghi    %r2, 0
    lmg     %r6, %r15, 160+48(%r15)
    br      %r14

/* report_line(name, code, ilc, offset) */
report_line:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -160
    lgr     %r6, %r5
    lgr     %r5, %r4
    lgr     %r4, %r3
    lgr     %r3, %r2
    larl    %r2, f_line
    brasl   %r14, hp_printf
    lmg     %r6, %r15, 160+48(%r15)
    br      %r14

LC_SVC_ILC_OFF = 0x88

    .section .note.GNU-stack, "", @progbits
    .section .rodata
    .balign 8
problem_psw:
    .quad 0x0001000180000000, problem
    .balign 2
title:  .asciz "l2-program-interrupts: program and SVC interruption codes, ILC, old PSW\n"
    .balign 2
f_line: .asciz "%s: code 0x%x ilc %d old PSW at insn+%d\n"
    .balign 2
f_pstate: .asciz "privileged operation from problem state: old PSW problem bit %d\n"
    .balign 2
n_op:   .asciz "operation (opcode 00)"
    .balign 2
n_priv: .asciz "privileged operation (LCTLG)"
    .balign 2
n_spec: .asciz "specification (LPSWE odd)"
    .balign 2
n_svc:  .asciz "supervisor call (SVC 66)"
    .balign 2
pass:   .asciz "PASS l2-program-interrupts\n"
