/* l2-pf-user: #PF for CPL-3 accesses to supervisor pages (U/S clear in the PTE, or only in the PDE): error code
 * P|U for reads and P|W|U for writes, CS = user code in the frame. CPL 0 may use the same pages (no SMAP). */
        .include "test.inc"

.macro PF_AT insn, addr, err
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_cr2(%rip), \addr
        CHECK t_exc_err(%rip), \err
        CHECK t_exc_rip(%rip), \insn
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        MAP4K 0, page, PTE_P|PTE_W              /* supervisor only */
        MAP4K 1, page, PTE_P|PTE_W|PTE_U        /* the same page for everyone */
        movq $0x99, page(%rip)
        BEGIN "l2-pf-user: CPL-3 accesses to supervisor pages"

        GROUP "supervisor pte"
        CHECK TVA, 0x99                 /* CPL 0 reads it */
        RUN_USER user_read, 1f
1:      HP_RECORD_STATE 0x20001
        PF_AT pf1, (TVA + 0x40), PF_P|PF_U
        CHECK t_exc_cs(%rip), SEL_UCODE
        CHECK t_exc_ss(%rip), SEL_UDATA
        CHECK t_exc_rsp(%rip), t_ustack_top
        RUN_USER user_write, 1f
1:      PF_AT pf2, TVA + 0x48, PF_P|PF_W|PF_U
        RUN_USER user_ok, 1f
1:      CHECK t_exc_vector(%rip), T_RETURNED
        CHECK user_value(%rip), 0x99

        GROUP "supervisor pde"
        leaq t_pt2(%rip), %rax          /* t_pd1[1] -> t_pt2 without U; t_pt2[0] -> page with U */
        orq $(PTE_P | PTE_W), %rax
        movq %rax, t_pd1 + 8(%rip)
        leaq page(%rip), %rax
        orq $(PTE_P | PTE_W | PTE_U), %rax
        movq %rax, t_pt2(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        CHECK (TVA + 0x200000), 0x99
        RUN_USER user_read2, 1f
1:      PF_AT pf3, TVA + 0x200000, PF_P|PF_U

        END "l2-pf-user"

user_read:
pf1:    movq TVA + 0x40, %rax
user_write:
pf2:    movq %rax, TVA + 0x48
user_ok:
        movq TVA + 0x1000, %rax
        movq %rax, user_value(%rip)
        USER_RETURN
user_read2:
pf3:    movq TVA + 0x200000, %rax

        .data
        .balign 8
user_value: .quad 0
        .bss
        .balign 4096
page:   .skip 4096
t_pt2:  .skip 4096
