/* l3-accessed-dirty: the CPU sets the accessed bit (A) in the PTE and in the PDE that maps it on a read, and the
 * dirty bit (D) only on a write; likewise A and D in a 2 MiB PDE. Nothing else in the entries changes. */
        .include "test.inc"

        .set BIG, TVA + 0x200000

/* ENTRY_BITS reg, entry: reg := entry & (A | D) */
.macro ENTRY_BITS reg, entry
        movq \entry, \reg
        andq $(PTE_A | PTE_D), \reg
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        MAP4K 0, page, PTE_P|PTE_W
        MAP4K 1, page, PTE_P|PTE_W
        andq $~(PTE_A | PTE_D), t_pd1(%rip)     /* the PDE that points to t_pt1 */
        movq %cr3, %rax
        movq %rax, %cr3
        BEGIN "l3-accessed-dirty: A and D bits set by the CPU"

        GROUP "4 KiB pte"
        ENTRY_BITS %rbx, t_pt1(%rip)
        CHECK %rbx, 0
        movq TVA + 8, %rax              /* read */
        ENTRY_BITS %rbx, t_pt1(%rip)
        ENTRY_BITS %rcx, t_pd1(%rip)
        HP_RECORD_STATE 0x20001
        CHECK %rbx, PTE_A
        CHECK %rcx, PTE_A
        movq %rax, TVA + 8              /* write */
        ENTRY_BITS %rbx, t_pt1(%rip)
        CHECK %rbx, PTE_A|PTE_D
        ENTRY_BITS %rbx, t_pt1 + 8(%rip)  /* the other mapping of the same page is untouched */
        CHECK %rbx, 0
        movq %rax, TVA + 0x1008         /* a write first sets both */
        ENTRY_BITS %rbx, t_pt1 + 8(%rip)
        CHECK %rbx, PTE_A|PTE_D
        leaq page(%rip), %rax
        orq $(PTE_P | PTE_W | PTE_A | PTE_D), %rax
        CHECKQ t_pt1(%rip), %rax        /* nothing else changed */

        GROUP "2 MiB pde"
        movq $(0x400000 | PTE_P | PTE_W | PTE_PS), t_pd1 + 8(%rip)
        invlpg BIG
        movq BIG + 0x1234, %rax
        ENTRY_BITS %rbx, t_pd1 + 8(%rip)
        CHECK %rbx, PTE_A
        movb %al, BIG + 0x1fffff
        ENTRY_BITS %rbx, t_pd1 + 8(%rip)
        CHECK %rbx, PTE_A|PTE_D

        GROUP "cleared again"
        andq $~(PTE_A | PTE_D), t_pt1(%rip)
        invlpg TVA
        movq TVA, %rax
        ENTRY_BITS %rbx, t_pt1(%rip)
        CHECK %rbx, PTE_A
        incq TVA
        ENTRY_BITS %rbx, t_pt1(%rip)
        CHECK %rbx, PTE_A|PTE_D

        END "l3-accessed-dirty"

        .bss
        .balign 4096
page:   .skip 4096
