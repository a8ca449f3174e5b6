/* Dynamic address translation with a segment table (ASCE DT=00) and 256-entry page tables built in the guest:
 * segment 0 identity-mapped (lowcore, code, data, stack), segment 1 with an alias page (VA 0x100000 -> data_page),
 * an invalid page (VA 0x101000) and a DAT-protected alias (VA 0x102000), segment 2 invalid. DAT is turned on
 * with STOSM (again after each console line: the runtime's service-call wait runs with DAT off); checks a read through the alias, the protection exception (0x0004, TEID bit 61 and page address),
 * the page-translation exception (0x0011, nullified: old PSW at the instruction, TEID page address), the
 * segment-translation exception (0x0010) and that IPTE invalidates the alias so a later access faults. */
#include "lowcore.inc"
#include "checks.inc"

LC_TEID = 0xa8
PTE_I = 0x400
PTE_P = 0x200
STE_I = 0x20

.macro catch
    larl    %r1, 7777f
    stg     %r1, LC_PGM_NEW + 8
.endm

/* Prints "<name>: code 0x.. old PSW at insn+. TEID page 0x.. bit61 ." */
.macro report name, insn, code, off, page, bit61
    larl    %r2, \name
    llgh    %r3, LC_PGM_CODE
    lg      %r4, LC_PGM_OLD + 8
    larl    %r1, \insn
    sgr     %r4, %r1
    lg      %r5, LC_TEID
    sllg    %r6, %r5, 61
    srlg    %r6, %r6, 63
    nill    %r5, 0xf000
    expect  %r3, \code
    expect  %r4, \off
    expect  %r5, \page
    expect  %r6, \bit61
    brasl   %r14, report_line
.endm

    .text
    .globl main
main:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -160
    larl    %r2, title
    brasl   %r14, hp_printf

    /* Segment table: every entry invalid, then 0 -> pt0, 1 -> pt1. */
    larl    %r7, segtab
    lgr     %r1, %r7
    lghi    %r0, 512
    lghi    %r2, STE_I
1:  stg     %r2, 0(%r1)
    aghi    %r1, 8
    brctg   %r0, 1b
    larl    %r8, pt0
    stg     %r8, 0(%r7)
    larl    %r9, pt1
    stg     %r9, 8(%r7)
    /* pt0: identity for the first megabyte. */
    lgr     %r1, %r8
    lghi    %r0, 256
    lghi    %r2, 0
1:  stg     %r2, 0(%r1)
    aghi    %r1, 8
    aghi    %r2, 4096
    brctg   %r0, 1b
    /* pt1: all invalid, then the alias, the invalid page and the protected alias. */
    lgr     %r1, %r9
    lghi    %r0, 256
    lghi    %r2, PTE_I
1:  stg     %r2, 0(%r1)
    aghi    %r1, 8
    brctg   %r0, 1b
    larl    %r2, data_page
    stg     %r2, 0(%r9)
    oill    %r2, PTE_P
    stg     %r2, 16(%r9)
    /* CR1: primary ASCE, segment-table origin, DT=00, TL=0 (one 4K table). */
    stg     %r7, 0(%r15)
    lctlg   %c1, %c1, 0(%r15)

    /* 1. read through the alias */
    llilf   %r10, 0x100000
    stosm   0(%r15), 0x04
    lg      %r3, 0(%r10)
    larl    %r1, data_page
    clg     %r3, 0(%r1)
    je      1f
    larl    %r1, fails
    mvi     3(%r1), 1
1:  larl    %r2, f_alias
    brasl   %r14, hp_printf

    /* 2. store through the protected alias */
    llilf   %r10, 0x102000
    stosm   0(%r15), 0x04
    catch
prot_insn:
    mvi     8(%r10), 0x55
7777:
    report  n_prot, prot_insn, 4, 4, 0x102000, 1

    /* 3. load through the invalid page */
    llilf   %r10, 0x101000
    stosm   0(%r15), 0x04
    catch
page_insn:
    lg      %r3, 16(%r10)
7777:
    report  n_page, page_insn, 0x11, 0, 0x101000, 0

    /* 4. load through the invalid segment */
    llilf   %r10, 0x200000
    stosm   0(%r15), 0x04
    catch
seg_insn:
    lg      %r3, 0(%r10)
7777:
    report  n_seg, seg_insn, 0x10, 0, 0x200000, 0

    /* 5. IPTE of the alias (after a use that may have cached it), then a read faults. */
    llilf   %r10, 0x100000
    stosm   0(%r15), 0x04
    lg      %r3, 0(%r10)
    lgr     %r1, %r9
    ipte    %r1, %r10
    lg      %r3, 0(%r9)
    srlg    %r3, %r3, 10
    nill    %r3, 1
    expect  %r3, 1
    larl    %r2, f_ipte
    brasl   %r14, hp_printf
    stosm   0(%r15), 0x04
    catch
ipte_insn:
    lg      %r3, 0(%r10)
7777:
    report  n_ipte, ipte_insn, 0x11, 0, 0x100000, 0

    /* DAT off (the program new PSW already turned it off), handlers back. */
    stnsm   0(%r15), 0xfb
    larl    %r1, rt_pgm
    stg     %r1, LC_PGM_NEW + 8
    finish  160

/* report_line(name, code, offset, teid page, bit 61) */
report_line:
    stmg    %r6, %r15, 48(%r15)
    aghi    %r15, -160
    lgr     %r7, %r6
    lgr     %r6, %r5
    lgr     %r5, %r4
    lgr     %r4, %r3
    lgr     %r3, %r2
    larl    %r2, f_line
    stg     %r7, 160(%r15)
    brasl   %r14, hp_printf
    lmg     %r6, %r15, 160+48(%r15)
    br      %r14

    .section .note.GNU-stack, "", @progbits
    .data
    .balign 4096
data_page:
    .quad 0x0123456789abcdef, 0, 0
    .balign 4096
    .bss
    .balign 4096
segtab: .skip 4096
pt0:    .skip 2048
pt1:    .skip 2048
    .balign 4
fails:  .skip 4
    .section .rodata
    .balign 2
title:  .asciz "l3-dat: segment and page tables, alias, protection, page and segment translation, IPTE\n"
    .balign 2
f_alias: .asciz "read through alias 0x100000: 0x%lx\n"
    .balign 2
f_ipte: .asciz "IPTE: PTE invalid bit %d\n"
    .balign 2
f_line: .asciz "%s: code 0x%x old PSW at insn+%d TEID page 0x%lx bit61 %d\n"
    .balign 2
n_prot: .asciz "store to protected page (MVI)"
    .balign 2
n_page: .asciz "load from invalid page (LG)"
    .balign 2
n_seg:  .asciz "load from invalid segment (LG)"
    .balign 2
n_ipte: .asciz "load after IPTE (LG)"
    .balign 2
pass:   .asciz "PASS l3-dat\n"
    .balign 2
fail:   .asciz "FAIL l3-dat: %ld checks failed\n"
