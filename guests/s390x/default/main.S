/* The s390x embedded default guest: prints a banner on the SCLP VT220 console, takes three clock-comparator
 * external interruptions 10 ms apart from an enabled wait, then prints "EXIT: STATUS=0" and stops itself with
 * SIGP STOP (the test ABI). Written with few instructions (LARL LG STG AGR LGHI BRC LCTLG LPSWE SERVC STCK SCKC
 * SIGP) so that it runs on the interpreter's smallest instruction set. */
#include "lowcore.inc"

    .section .lowcore, "aw"
    .long 0x00080000, 0x80000000 + start
    .org LC_RESTART_NEW
    .quad PSW_64, start
    .org LC_EXT_NEW
    .quad PSW_64, fail          /* each wait below points it at its own continuation */
    .org LC_SVC_NEW
    .quad PSW_DWAIT, 0xdea1
    .org LC_PGM_NEW
    .quad PSW_DWAIT, 0xdea2
    .org LC_MCHK_NEW
    .quad PSW_DWAIT, 0xdea3
    .org LC_IO_NEW
    .quad PSW_DWAIT, 0xdea4
    .org 0x200

/* Waits in an enabled wait for one external interruption, then continues after the macro (disabled). */
.macro wait_ext
    larl    %r1, 8888f
    stg     %r1, LC_EXT_NEW + 8
    lpswe   ext_wait_psw - data(%r13)
8888:
.endm

/* SERVICE CALL with the command at cmd(%r13) and the SCCB at sccb; waits for the service signal. */
.macro sclp cmd, sccb
    lg      %r2, \cmd - data(%r13)
    larl    %r3, \sccb
    .insn   rre, 0xb2200000, %r2, %r3    /* SERVC r2, r3 */
    brc     7, fail             /* CC 1-3: not accepted */
    wait_ext
.endm

    .section .text.start, "ax"
    .globl start
start:
    larl    %r13, data
    /* The clock comparator resets to 0, so its condition is pending at once (PoP: TOD > CKC) until it is set. */
    sckc    ckc_max - data(%r13)
    lctlg   %c0, %c0, cr0 - data(%r13)
    sclp    cmd_wem, sccb_mask
    sclp    cmd_wed, sccb_banner
    lghi    %r7, 3              /* interruptions to take */
    lghi    %r8, -1
tick:
    stck    tod - data(%r13)
    lg      %r1, tod - data(%r13)
    lg      %r2, delta - data(%r13)
    agr     %r1, %r2
    stg     %r1, ckc - data(%r13)
    sckc    ckc - data(%r13)
    wait_ext
    /* The interruption must be the clock comparator's: CPU address 0 and code 0x1004 at 0x84, and the SVC
     * interruption code fields after them, which nothing wrote. */
    lg      %r1, 0x84
    lg      %r2, minus_ckc_code - data(%r13)
    agr     %r1, %r2
    brc     7, fail
    /* The condition stays while TOD > CKC (as KVM has it): push the comparator out before the next wait. */
    sckc    ckc_max - data(%r13)
    sclp    cmd_wed, sccb_tick
    agr     %r7, %r8
    brc     7, tick             /* CC 1 or 2: more to take */
    sclp    cmd_wed, sccb_exit
    lghi    %r3, 0
stop:
    sigp    %r0, %r3, SIGP_STOP
    brc     15, stop
fail:
    lpswe   fail_psw - data(%r13)

    .section .data
    .balign 8
data:
cr0:            .quad 0x00000000000002e0 | CR0_CKC      /* reset value | service-signal and clock-comparator subclasses */
ext_wait_psw:   .quad PSW_EXT_WAIT, 0
fail_psw:       .quad PSW_DWAIT, 0xbad
cmd_wem:        .quad SCLP_WRITE_EVENT_MASK
cmd_wed:        .quad SCLP_WRITE_EVENT_DATA
delta:          .quad 10000 << 12                       /* 10 ms in TOD units (bit 51 = 1 us) */
minus_ckc_code: .quad -(0x1004 << 32)
tod:            .quad 0
ckc:            .quad 0
ckc_max:        .quad -1

/* SCCBs: 8-byte header (length, function code, control mask, response code), then the data; none crosses a page. */
.macro vt220 text
    .short 9998f - .            /* SCCB length */
    .byte 0, 0, 0, 0
    .short 0
    .short 9998f - .            /* event buffer length */
    .byte 0x1a, 0
    .short 0
    .ascii "\text"
9998:
.endm

    .balign 256
sccb_mask:
    .short 28, 0, 0, 0
    .short 0, 4                 /* reserved, mask length */
    .long 0                     /* receive: nothing */
    .long 0x00000040            /* send: VT220 (type 0x1a) */
    .long 0, 0                  /* the host's masks */
    .balign 256
sccb_banner:
    vt220 "hyperport s390x default guest: SCLP console, clock comparator, SIGP stop\n"
    .balign 256
sccb_tick:
    vt220 "clock comparator interruption\n"
    .balign 256
sccb_exit:
    vt220 "EXIT: STATUS=0\n"

    .section .note.GNU-stack, "", @progbits
