/* l3-cr3-flush: writing CR3 (same value) flushes non-global translations: a changed PTE is used afterwards, for a
 * 4 KiB and a 2 MiB mapping. Switching to a second PML4 that maps TVA elsewhere, and back, uses each tree. */
        .include "test.inc"

        .set BIG, TVA + 0x200000

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        movq $0xaaaa, page_a(%rip)
        movq $0xbbbb, page_b(%rip)
        MAP4K 0, page_a, PTE_P|PTE_W
        BEGIN "l3-cr3-flush: CR3 writes flush the TLB, a second page-table tree"

        GROUP "reload"
        CHECK TVA, 0xaaaa
        leaq page_b(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, t_pt1(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        HP_RECORD_STATE 0x20001
        CHECK TVA, 0xbbbb
        movq $(0x400000 | PTE_P | PTE_W | PTE_PS), t_pd1 + 8(%rip)
        movq $0x1234, 0x400000 + 0x80
        movq $0x5678, 0x600000 + 0x80
        movq %cr3, %rax
        movq %rax, %cr3
        CHECK (BIG + 0x80), 0x1234
        movq $(0x600000 | PTE_P | PTE_W | PTE_PS), t_pd1 + 8(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        CHECK (BIG + 0x80), 0x5678

        GROUP "second tree"
        /* pml4b: entry 0 -> pdptb; pdptb[0] = the identity PD, pdptb[1] -> pdb -> ptb, ptb[0] -> page_a */
        leaq pdptb(%rip), %rax
        orq $(PTE_P | PTE_W | PTE_U), %rax
        movq %rax, pml4b(%rip)
        movq pdpt(%rip), %rax
        movq %rax, pdptb(%rip)
        leaq pdb(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, pdptb + 8(%rip)
        leaq ptb(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, pdb(%rip)
        leaq page_a(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, ptb(%rip)
        movq %cr3, %r13                 /* the current tree */
        leaq pml4b(%rip), %rax
        movq %rax, %cr3
        CHECK TVA, 0xaaaa
        movq %r13, %cr3
        CHECK TVA, 0xbbbb
        leaq pml4b(%rip), %rax
        movq %rax, %cr3
        movq $0xeeee, TVA
        movq %r13, %cr3
        CHECK page_a(%rip), 0xeeee
        CHECK TVA, 0xbbbb

        END "l3-cr3-flush"

        .bss
        .balign 4096
page_a: .skip 4096
page_b: .skip 4096
pml4b:  .skip 4096
pdptb:  .skip 4096
pdb:    .skip 4096
ptb:    .skip 4096
