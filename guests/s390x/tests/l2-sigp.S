/* SIGNAL PROCESSOR: SENSE to this CPU (CC 0), SENSE to a CPU address that does not exist (CC 3), EMERGENCY
 * SIGNAL to this CPU (CC 0) with the emergency-signal subclass (CR0 bit 49) on: an enabled wait ends with
 * external interruption code 0x1201 and the signalling CPU's address at lowcore 0x84. */
#include "lowcore.inc"
#include "checks.inc"

CR0_EMERG = 0x4000
LC_CPU_ADDR = 0x84
SIGP_SENSE = 1
SIGP_EMERGENCY = 3

/* r3 = condition code */
.macro getcc
    ipm     %r3
    srl     %r3, 28
    llgfr   %r3, %r3
.endm

    .text
    .globl main
main:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -168
    larl    %r2, title
    brasl   %r14, hp_printf
    larl    %r6, save
    stap    16(%r6)
    llgh    %r8, 16(%r6)

    /* 1. SENSE to this CPU */
    lghi    %r4, 0
    sigp    %r4, %r8, SIGP_SENSE
    getcc
    expect  %r3, 0
    larl    %r2, f_self
    brasl   %r14, hp_printf

    /* 2. SENSE to a CPU address that does not exist */
    lghi    %r9, 0xfe
    lghi    %r4, 0
    sigp    %r4, %r9, SIGP_SENSE
    getcc
    expect  %r3, 3
    larl    %r2, f_none
    brasl   %r14, hp_printf

    /* 3. EMERGENCY SIGNAL to this CPU, then an enabled wait */
    larl    %r1, got_ext
    stg     %r1, LC_EXT_NEW + 8
    stctg   %c0, %c0, 0(%r6)
    lg      %r1, 0(%r6)
    oill    %r1, CR0_EMERG
    stg     %r1, 8(%r6)
    lctlg   %c0, %c0, 8(%r6)
    sigp    %r4, %r8, SIGP_EMERGENCY
    getcc
    lgr     %r7, %r3
    larl    %r1, wait_psw
    lpswe   0(%r1)
got_ext:
    llgh    %r10, LC_EXT_CODE
    llgh    %r11, LC_CPU_ADDR
    lctlg   %c0, %c0, 0(%r6)
    larl    %r1, rt_ext
    stg     %r1, LC_EXT_NEW + 8
    lgr     %r3, %r7
    expect  %r3, 0
    lgr     %r3, %r10
    expect  %r3, 0x1201
    lghi    %r5, 0
    cgr     %r11, %r8
    jne     1f
    lghi    %r5, 1
1:  expect  %r5, 1
    lgr     %r3, %r7
    lgr     %r4, %r10
    larl    %r2, f_emerg
    brasl   %r14, hp_printf

    finish  168

    .section .note.GNU-stack, "", @progbits
    .bss
    .balign 8
save:   .skip 24
fails:  .skip 4
    .section .rodata
    .balign 8
wait_psw:
    .quad PSW_EXT_WAIT, 0
    .balign 2
title:  .asciz "l2-sigp: SIGNAL PROCESSOR sense and emergency signal\n"
    .balign 2
f_self: .asciz "SENSE to this CPU: cc %d\n"
    .balign 2
f_none: .asciz "SENSE to CPU address 0xfe: cc %d\n"
    .balign 2
f_emerg: .asciz "EMERGENCY SIGNAL to this CPU: cc %d, external interruption code 0x%x, CPU address at 0x84 is this CPU's %d\n"
    .balign 2
pass:   .asciz "PASS l2-sigp\n"
    .balign 2
fail:   .asciz "FAIL l2-sigp: %ld checks failed\n"
