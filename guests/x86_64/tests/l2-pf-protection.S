/* l2-pf-protection: #PF for writes to read-only pages: at CPL 0 with CR0.WP=1 (error code P|W), with the R/W bit
 * clear in the PTE or only in the PDE, and at CPL 3 (P|W|U). Reads still work; CR2 and RIP point at the access. */
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
        movq %cr0, %rax
        orq $CR0_WP, %rax
        movq %rax, %cr0
        MAP4K 0, page, PTE_P|PTE_U              /* read-only */
        MAP4K 1, page, PTE_P|PTE_W|PTE_U        /* the same page, writable */
        movq $0x55, page(%rip)
        BEGIN "l2-pf-protection: writes to read-only pages, CR0.WP=1"

        GROUP "cpl 0"
        CHECK TVA, 0x55                 /* reading is allowed */
        movq $0x66, %rax
        CATCH 1f
pf1:    movq %rax, TVA + 0x10
1:      UNCATCH
        HP_RECORD_STATE 0x20001
        PF_AT pf1, (TVA + 0x10), PF_P|PF_W
        CHECK page + 0x10(%rip), 0      /* nothing was written */
        movq %rax, TVA + 0x1010         /* through the writable alias: fine */
        CHECK page + 0x10(%rip), 0x66
        CATCH 1f
pf2:    incl TVA + 0x20                 /* read-modify-write */
1:      UNCATCH
        PF_AT pf2, (TVA + 0x20), PF_P|PF_W

        GROUP "read-only pde"
        leaq page(%rip), %rax           /* t_pd1[1]: a 2 MiB page at TVA + 2 MiB, read-only at the PDE */
        andq $-0x200000, %rax
        orq $(PTE_P | PTE_U | PTE_PS), %rax
        movq %rax, t_pd1 + 8(%rip)
        invlpg TVA + 0x200000
        leaq page(%rip), %rbx
        andl $0x1fffff, %ebx
        addq $(TVA + 0x200000), %rbx    /* page's address inside that 2 MiB page */
        movq (%rbx), %rcx
        CHECK %rcx, 0x55
        CATCH 1f
pf3:    movq %rcx, (%rbx)
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECKQ t_exc_cr2(%rip), %rbx
        CHECK t_exc_err(%rip), PF_P|PF_W
        CHECK t_exc_rip(%rip), pf3

        GROUP "cpl 3"
        RUN_USER user_write, 1f
1:      HP_RECORD_STATE 0x20002
        PF_AT pf4, (TVA + 0x18), PF_P|PF_W|PF_U
        RUN_USER user_read, 1f
1:      CHECK t_exc_vector(%rip), T_RETURNED
        CHECK user_value(%rip), 0x55

        END "l2-pf-protection"

user_write:
pf4:    movq %rax, TVA + 0x18
user_read:
        movq TVA, %rax
        movq %rax, user_value(%rip)
        USER_RETURN

        .data
        .balign 8
user_value: .quad 0
        .bss
        .balign 4096
page:   .skip 4096
