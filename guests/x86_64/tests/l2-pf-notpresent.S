/* l2-pf-notpresent: #PF (vector 14) for a not-present PTE, PDE and PDPTE: CR2 = the linear address, error code
 * W/R and U/S with P=0, RIP of the faulting instruction, which runs again once the entry is fixed. */
        .include "test.inc"

/* PF_AT insn_label, addr, err: the last exception was #PF at insn_label for addr with error code err. */
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
        MAP4K 0, page, PTE_P|PTE_W|PTE_U
        movq $0x1122334455667788, %rax
        movq %rax, page + 8(%rip)
        BEGIN "l2-pf-notpresent: #PF for not-present entries at each level, CR2, error code, restart"

        GROUP "pte"
        CHECK (TVA + 8), 0x1122334455667788  /* t_pt1[0] is present */
        CATCH 1f
pf1:    movq TVA + 0x1008, %rbx         /* t_pt1[1] is not */
1:      UNCATCH
        HP_RECORD_STATE 0x20001
        PF_AT pf1, (TVA + 0x1008), 0
        CATCH 1f
pf2:    movl %eax, TVA + 0x1ffc
1:      UNCATCH
        PF_AT pf2, (TVA + 0x1ffc), PF_W
        MAP4K 1, page, PTE_P|PTE_W|PTE_U    /* fix it and run the load again */
        CATCH 1f
        movq TVA + 0x1008, %rbx
1:      UNCATCH
        CHECK t_exc_vector(%rip), -1
        CHECK %rbx, 0x1122334455667788

        GROUP "pde and pdpte"
        CATCH 1f
pf3:    movq TVA + 0x400000, %rbx       /* t_pd1[2] is not present */
1:      UNCATCH
        PF_AT pf3, (TVA + 0x400000), 0
        movq $0x80000010, %rbx          /* PDPT[2] is not present */
        CATCH 1f
pf4:    movb %al, (%rbx)
1:      UNCATCH
        PF_AT pf4, 0x80000010, PF_W

        GROUP "cpl 3"
        RUN_USER user_read, 1f
1:      HP_RECORD_STATE 0x20002
        PF_AT pf5, (TVA + 0x2000), PF_U
        CHECK t_exc_cs(%rip), SEL_UCODE
        RUN_USER user_write, 1f
1:      PF_AT pf6, TVA + 0x2ff8, PF_U|PF_W
        RUN_USER user_ok, 1f            /* a present user page */
1:      CHECK t_exc_vector(%rip), T_RETURNED
        CHECK user_value(%rip), 0x1122334455667788

        END "l2-pf-notpresent"

user_read:
pf5:    movq TVA + 0x2000, %rax
user_write:
pf6:    movq %rax, TVA + 0x2ff8
user_ok:
        movq TVA + 0x1008, %rax
        movq %rax, user_value(%rip)
        USER_RETURN

        .data
        .balign 8
user_value: .quad 0
        .bss
        .balign 4096
page:   .skip 4096
