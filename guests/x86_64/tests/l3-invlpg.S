/* l3-invlpg: after a PTE changes, INVLPG of that address makes the next access use the new entry (before it the
 * old translation may or may not still be used, so that is not checked); INVLPG of one page leaves the other
 * mappings working; INVLPG of a not-present address is harmless. */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        movq $0xaaaa, page_a(%rip)
        movq $0xbbbb, page_b(%rip)
        MAP4K 0, page_a, PTE_P|PTE_W
        MAP4K 1, page_a, PTE_P|PTE_W
        BEGIN "l3-invlpg: INVLPG after changing a PTE"

        GROUP "retarget"
        CHECK TVA, 0xaaaa               /* the translation is now cached (probably) */
        CHECK (TVA + 0x1000), 0xaaaa
        leaq page_b(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, t_pt1(%rip)
        invlpg TVA
        HP_RECORD_STATE 0x20001
        CHECK TVA, 0xbbbb
        CHECK (TVA + 0x1000), 0xaaaa
        movq $0xcccc, TVA
        CHECK page_b(%rip), 0xcccc
        CHECK page_a(%rip), 0xaaaa

        GROUP "unmap"
        movq $0, t_pt1(%rip)
        invlpg TVA
        CATCH 1f
        movq TVA, %rax
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), 0
        invlpg TVA + 0x7000             /* never mapped */
        CHECK (TVA + 0x1000), 0xaaaa

        GROUP "protection change"
        MAP4K 0, page_a, PTE_P          /* read-only now; with WP=1 a write must fault */
        movq %cr0, %rax
        orq $CR0_WP, %rax
        movq %rax, %cr0
        CHECK TVA, 0xaaaa
        CATCH 1f
        movq $1, TVA
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_P|PF_W
        MAP4K 0, page_a, PTE_P|PTE_W
        movq $0xdddd, TVA
        CHECK page_a(%rip), 0xdddd

        END "l3-invlpg"

        .bss
        .balign 4096
page_a: .skip 4096
page_b: .skip 4096
