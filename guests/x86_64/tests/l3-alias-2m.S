/* l3-alias-2m: a 2 MiB page (PDE with PS) at a non-identity address maps 2 MiB of physical memory (here 4-6 MiB)
 * that the identity map also reaches: both views agree at the start, the middle and the end of the page, and a
 * 4 KiB mapping of the same physical page agrees too. */
        .include "test.inc"

        .set PHYS, 0x400000             /* 4 MiB: RAM on every machine we run on (64 MiB and up) */
        .set BIG, TVA + 0x200000        /* t_pd1[1] */

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        movq $(PHYS | PTE_P | PTE_W | PTE_PS), t_pd1 + 8(%rip)
        invlpg BIG
        movq $(PHYS + 0x1ff000 | PTE_P | PTE_W), t_pt1 + 8 * 5(%rip)   /* TVA + 0x5000 -> the last 4 KiB */
        invlpg TVA + 0x5000
        BEGIN "l3-alias-2m: a 2 MiB page at a non-identity address"

        GROUP "2 MiB alias"
        movq $0x1111, BIG
        movq $0x2222, BIG + 0x123458
        movq $0x3333, BIG + 0x1ffff8
        HP_RECORD_STATE 0x20001
        CHECK PHYS, 0x1111
        CHECK (PHYS + 0x123458), 0x2222
        CHECK (PHYS + 0x1ffff8), 0x3333
        movq $0x4444, PHYS + 0x100000
        CHECK (BIG + 0x100000), 0x4444

        GROUP "4 KiB alias of the same memory"
        CHECK (TVA + 0x5ff8), 0x3333
        movq $0x5555, TVA + 0x5000
        CHECK (BIG + 0x1ff000), 0x5555
        CHECK (PHYS + 0x1ff000), 0x5555

        GROUP "outside the page"
        CATCH 1f
        movq BIG + 0x200000, %rax       /* t_pd1[2]: not present */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_cr2(%rip), (BIG + 0x200000)

        END "l3-alias-2m"
