/* The CPU timer: SET CPU TIMER to a small value; with the CPU-timer subclass mask (CR0 bit 53) off, no external
 * interruption arrives while the PSW external mask is on for 10 ms (by the TOD clock);
 * turning the subclass on (LCTLG) with the external mask still on takes the pending interruption (code 0x1005) at
 * once, the old PSW pointing after the LCTLG; with the subclass on and the timer set again, an enabled wait ends
 * with external interruption code 0x1005. (STORE CPU TIMER of the expired timer is not checked: QEMU 7.2 TCG
 * returns a large positive value there instead of the negative one the PoP's decrementing counter gives.) */
#include "lowcore.inc"
#include "checks.inc"

CR0_CPUTIMER = 0x400

    .text
    .globl main
main:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -168
    larl    %r2, title
    brasl   %r14, hp_printf
    larl    %r6, save

    /* 1. subclass off: the timer runs out, nothing arrives */
    larl    %r1, bad_ext
    stg     %r1, LC_EXT_NEW + 8
    larl    %r1, small
    spt     0(%r1)
    stosm   160(%r15), 0x01
    stck    0(%r6)
    lg      %r9, 0(%r6)
    agfi    %r9, 10000 << 12
1:  stck    0(%r6)
    clg     %r9, 0(%r6)
    jh      1b
    /* 2. subclass on with the PSW external mask still on: the pending interruption is taken at once */
    larl    %r1, got_pending
    stg     %r1, LC_EXT_NEW + 8
    stctg   %c0, %c0, 0(%r6)
    lg      %r1, 0(%r6)
    oill    %r1, CR0_CPUTIMER
    stg     %r1, 8(%r6)
    lctlg   %c0, %c0, 8(%r6)
after_lctlg:
    stnsm   160(%r15), 0xfe
    lghi    %r8, -1
    j       1f
got_pending:
    lg      %r8, LC_EXT_OLD + 8
    larl    %r1, after_lctlg
    sgr     %r8, %r1
1:  llgh    %r7, LC_EXT_CODE
    lctlg   %c0, %c0, 0(%r6)
    larl    %r1, large
    spt     0(%r1)
    lgr     %r3, %r7
    lgr     %r4, %r8
    expect  %r3, 0x1005
    expect  %r4, 0
    larl    %r2, f_pending
    brasl   %r14, hp_printf

    /* 3. subclass on, timer set again, enabled wait */
    larl    %r1, got_ext
    stg     %r1, LC_EXT_NEW + 8
    xc      LC_EXT_CODE(2), LC_EXT_CODE
    lctlg   %c0, %c0, 8(%r6)
    larl    %r1, small
    spt     0(%r1)
    larl    %r1, wait_psw
    lpswe   0(%r1)
got_ext:
    llgh    %r7, LC_EXT_CODE
    lctlg   %c0, %c0, 0(%r6)
    larl    %r1, large
    spt     0(%r1)
    larl    %r1, rt_ext
    stg     %r1, LC_EXT_NEW + 8
    lgr     %r3, %r7
    expect  %r3, 0x1005
    larl    %r2, f_code
    brasl   %r14, hp_printf

    finish  168

bad_ext:
    llgh    %r3, LC_EXT_CODE
    larl    %r1, large
    spt     0(%r1)
    larl    %r1, rt_ext
    stg     %r1, LC_EXT_NEW + 8
    larl    %r2, f_bad
    brasl   %r14, hp_printf
    lghi    %r2, 1
    lmg     %r6, %r15, 168+48(%r15)
    br      %r14

    .section .note.GNU-stack, "", @progbits
    .bss
    .balign 8
save:   .skip 16
fails:  .skip 4
    .section .rodata
    .balign 8
wait_psw:
    .quad PSW_EXT_WAIT, 0
small:  .quad 0x1000                /* 1 microsecond (bit 51) */
large:  .quad 0x7fffffffffffffff
    .balign 2
title:  .asciz "l2-cpu-timer: CPU timer, subclass mask, external interruption code\n"
    .balign 2
f_pending: .asciz "subclass off: no interruption; subclass on: code 0x%x, old PSW at the LCTLG's successor+%ld\n"
    .balign 2
f_code: .asciz "subclass on, enabled wait: external interruption code 0x%x\n"
    .balign 2
f_bad:  .asciz "FAIL l2-cpu-timer: external interruption 0x%x with the CPU-timer subclass off\n"
    .balign 2
pass:   .asciz "PASS l2-cpu-timer\n"
    .balign 2
fail:   .asciz "FAIL l2-cpu-timer: %ld checks failed\n"
