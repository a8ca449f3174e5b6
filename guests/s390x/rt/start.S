/* The s390x bare-metal runtime: lowcore, entry, interruption handlers, SCLP service calls, hp_setjmp/hp_longjmp
 * and the stop that ends the guest. Entered at 0x10000 by IPL (QEMU -kernel or hyperport) in 64-bit mode with
 * everything masked, or through the restart new PSW. */
#include "lowcore.inc"

    .section .lowcore, "aw"
    .long 0x00080000, 0x80000000 + start    /* short IPL PSW: 31-bit, at start */
    .org LC_RESTART_NEW
    .quad PSW_64, start
    .org LC_EXT_NEW
    .quad PSW_64, rt_ext
    .org LC_SVC_NEW
    .quad PSW_64, rt_svc
    .org LC_PGM_NEW
    .quad PSW_64, rt_pgm
    .org LC_MCHK_NEW
    .quad PSW_DWAIT, 0xdead
    .org LC_IO_NEW
    .quad PSW_DWAIT, 0xdeae
    .org 0x200

    .section .text.start, "ax"
    .globl start
start:
    /* z/Architecture mode (rejected with CZAM, where the CPU already is in it), then 64-bit addressing. */
    lghi    %r1, 2
    sigp    %r1, %r0, SIGP_SET_ARCH
    sam64
    larl    %r1, start64
    br      %r1

    .text
start64:
    larl    %r15, stack_top
    aghi    %r15, -160
    larl    %r1, cr0_rt
    lctlg   %c0, %c0, 0(%r1)
    /* Clear .bss. */
    larl    %r2, __bss_start
    larl    %r4, __bss_end
    sgr     %r4, %r2
    lghi    %r3, 0
    brasl   %r14, memset
    brasl   %r14, rt_console_init
    brasl   %r14, main
    brasl   %r14, hp_exit

/* int rt_servc(uint32_t command, void *sccb): SERVICE CALL, then an enabled wait for the service signal.
 * Returns the condition code (0: completed). */
    .globl rt_servc
rt_servc:
    larl    %r1, 1f
    stg     %r1, LC_EXT_NEW + 8
    .insn   rre, 0xb2200000, %r2, %r3    /* SERVC r2, r3 */
    ipm     %r2
    srl     %r2, 28
    ltr     %r2, %r2
    jnz     2f
    larl    %r1, ext_wait_psw
    lpswe   0(%r1)
1:  lghi    %r2, 0
2:  larl    %r1, rt_ext
    stg     %r1, LC_EXT_NEW + 8
    br      %r14

/* void rt_stop(void): SIGP STOP to this CPU, forever. */
    .globl rt_stop
rt_stop:
    aghi    %r15, -8
    stap    0(%r15)
    lgh     %r3, 0(%r15)
1:  sigp    %r0, %r3, SIGP_STOP
    j       1b

/* Unexpected interruptions: report kind, code and old PSW address, then end the guest. Each handler first points
 * the program new PSW at a disabled wait (with LARL/LG/STG only), so that a program interruption while reporting
 * (on an interpreter without some instruction, say) ends the guest at once instead of looping. */
.macro guard
    larl    %r1, nested_pgm_psw
    lg      %r1, 0(%r1)
    stg     %r1, LC_PGM_NEW
    larl    %r1, nested_pgm_psw
    lg      %r1, 8(%r1)
    stg     %r1, LC_PGM_NEW + 8
.endm
rt_ext:
    guard
    lghi    %r2, 1
    llgh    %r3, LC_EXT_CODE
    lg      %r4, LC_EXT_OLD + 8
    j       1f
rt_svc:
    guard
    lghi    %r2, 2
    llgh    %r3, LC_SVC_CODE
    lg      %r4, LC_SVC_OLD + 8
    j       1f
    .globl rt_pgm, rt_svc, rt_ext
rt_pgm:
    guard
    lghi    %r2, 3
    llgh    %r3, LC_PGM_CODE
    lg      %r4, LC_PGM_OLD + 8
1:  larl    %r15, stack_top
    aghi    %r15, -160
    brasl   %r14, rt_unexpected
    j       rt_stop

/* hp_setjmp/hp_longjmp: the callee-saved state of the s390x ELF ABI, r6-r15 and f8-f15. */
    .globl hp_setjmp
hp_setjmp:
    stmg    %r6, %r15, 0(%r2)
    std     %f8, 80(%r2)
    std     %f9, 88(%r2)
    std     %f10, 96(%r2)
    std     %f11, 104(%r2)
    std     %f12, 112(%r2)
    std     %f13, 120(%r2)
    std     %f14, 128(%r2)
    std     %f15, 136(%r2)
    lghi    %r2, 0
    br      %r14

    .globl hp_longjmp
hp_longjmp:
    lmg     %r6, %r15, 0(%r2)
    ld      %f8, 80(%r2)
    ld      %f9, 88(%r2)
    ld      %f10, 96(%r2)
    ld      %f11, 104(%r2)
    ld      %f12, 112(%r2)
    ld      %f13, 120(%r2)
    ld      %f14, 128(%r2)
    ld      %f15, 136(%r2)
    lgfr    %r2, %r3
    ltgr    %r2, %r2
    jnz     1f
    lghi    %r2, 1
1:  br      %r14

/* hp_record_state: not supported on s390x yet (no channel QEMU ignores); a no-op. */
    .globl hp_record_state
hp_record_state:
    br      %r14

    .section .rodata
    .balign 8
cr0_rt:
    .quad CR0_RT
ext_wait_psw:
    .quad PSW_EXT_WAIT, 0
nested_pgm_psw:
    .quad PSW_DWAIT, 0xbad0

    .section .note.GNU-stack, "", @progbits
