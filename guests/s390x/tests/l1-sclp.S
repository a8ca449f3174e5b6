/* The SCLP through SERVICE CALL: READ SCP INFO (response 0x0010, one CPU, CPU 0's entry, memory size in
 * increments), an invalid command word (0x01f0), READ SCP INFO into a too-short SCCB (0x0300), and output through
 * the console the runtime chose. */
#include "lowcore.inc"

    .text
    .globl main
main:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -160
    larl    %r2, title
    brasl   %r14, hp_printf
    larl    %r6, sccb

    /* READ SCP INFO into a 4 KiB SCCB. */
    mvhhi   0(%r6), 4096
    llilf   %r2, SCLP_READ_SCP_INFO
    lgr     %r3, %r6
    brasl   %r14, rt_servc
    lgr     %r3, %r2
    llgh    %r4, 6(%r6)             /* response code */
    llgh    %r5, 16(%r6)            /* CPUs */
    llgh    %r1, 18(%r6)            /* offset of the CPU entries */
    llgc    %r6, 0(%r1,%r6)         /* first entry's CPU address */
    larl    %r2, f_info
    brasl   %r14, hp_printf
    /* memory = rnmax (or rnmax2) * rnsize (or rnsize2) MiB */
    larl    %r6, sccb
    llgh    %r3, 8(%r6)
    ltgr    %r3, %r3
    jnz     1f
    lg      %r3, 104(%r6)
1:  llgc    %r4, 10(%r6)
    ltgr    %r4, %r4
    jnz     2f
    llgf    %r4, 100(%r6)
2:  msgr    %r3, %r4
    larl    %r2, f_mem
    brasl   %r14, hp_printf

    /* An invalid command word. */
    larl    %r6, sccb
    mvhhi   0(%r6), 4096
    mvhhi   6(%r6), 0
    llilf   %r2, 0x00ff0001
    lgr     %r3, %r6
    brasl   %r14, rt_servc
    lgr     %r3, %r2
    llgh    %r4, 6(%r6)
    larl    %r2, f_bad
    brasl   %r14, hp_printf

    /* READ SCP INFO into 16 bytes. */
    mvhhi   0(%r6), 16
    mvhhi   6(%r6), 0
    llilf   %r2, SCLP_READ_SCP_INFO
    lgr     %r3, %r6
    brasl   %r14, rt_servc
    lgr     %r3, %r2
    llgh    %r4, 6(%r6)
    larl    %r2, f_short
    brasl   %r14, hp_printf

    larl    %r2, pass
    brasl   %r14, hp_printf
    lghi    %r2, 0
    lmg     %r6, %r15, 160+48(%r15)
    br      %r14

    .section .note.GNU-stack, "", @progbits
    .section .rodata
    .balign 2
title:   .asciz "l1-sclp: SERVICE CALL to the SCLP\n"
    .balign 2
f_info:  .asciz "read scp info: cc %d response 0x%04x cpus %d cpu entry 0 address %d\n"
    .balign 2
f_mem:   .asciz "memory: %d MiB\n"
    .balign 2
f_bad:   .asciz "invalid command: cc %d response 0x%04x\n"
    .balign 2
f_short: .asciz "read scp info, 16-byte sccb: cc %d response 0x%04x\n"
    .balign 2
pass:    .asciz "PASS l1-sclp\n"

    .bss
    .balign 4096
sccb:
    .skip 4096
