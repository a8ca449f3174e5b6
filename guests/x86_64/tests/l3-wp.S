/* l3-wp: CR0.WP. With WP=0, CPL-0 writes to read-only pages (user or supervisor) succeed; with WP=1 they fault
 * (#PF, P|W). CPL-3 writes to a read-only user page fault either way. */
        .include "test.inc"

.macro SET_WP on
        movq %cr0, %rax
        .if \on
        orq $CR0_WP, %rax
        .else
        andq $~CR0_WP, %rax
        .endif
        movq %rax, %cr0
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        MAP4K 0, page, PTE_P                    /* read-only, supervisor */
        MAP4K 1, page, PTE_P|PTE_U              /* read-only, user */
        BEGIN "l3-wp: CR0.WP and supervisor writes to read-only pages"

        GROUP "wp=0"
        SET_WP 0
        movq $0x11, TVA
        movq $0x22, TVA + 0x1008
        HP_RECORD_STATE 0x20001
        CHECK page(%rip), 0x11
        CHECK page + 8(%rip), 0x22
        RUN_USER user_write, 1f
1:      CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_P|PF_W|PF_U

        GROUP "wp=1"
        SET_WP 1
        CATCH 1f
wp1:    movq $0x33, TVA
1:      UNCATCH
        HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_P|PF_W
        CHECK t_exc_rip(%rip), wp1
        CHECK t_exc_cr2(%rip), TVA
        CATCH 1f
        movq $0x44, TVA + 0x1008
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_P|PF_W
        CHECK page(%rip), 0x11
        CHECK page + 8(%rip), 0x22
        RUN_USER user_write, 1f
1:      CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_P|PF_W|PF_U

        GROUP "wp=0 again"
        SET_WP 0
        movq $0x55, TVA
        CHECK page(%rip), 0x55

        END "l3-wp"

user_write:
        movq $0x66, TVA + 0x1000

        .bss
        .balign 4096
page:   .skip 4096
