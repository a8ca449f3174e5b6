/* l3-alias-4k: 4 KiB mappings at non-identity addresses: one physical page seen at two virtual addresses (and its
 * identity address), writes through one visible through the others; distinct pages stay distinct; the offset
 * inside the page is kept; a mapping of a page at the end of the 2 MiB table works too. */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        MAP4K 0, page_a, PTE_P|PTE_W
        MAP4K 1, page_b, PTE_P|PTE_W
        MAP4K 2, page_a, PTE_P|PTE_W
        MAP4K 511, page_b, PTE_P|PTE_W
        BEGIN "l3-alias-4k: one physical page at several virtual addresses"

        GROUP "aliases"
        movabsq $0x1122334455667788, %rax
        movq %rax, TVA + 0x10           /* page_a through its first alias */
        HP_RECORD_STATE 0x20001
        CHECK (TVA + 0x2010), 0x1122334455667788  /* second alias */
        CHECK page_a + 0x10(%rip), 0x1122334455667788  /* identity mapping */
        movq $0x42, page_a + 0xff8(%rip)
        CHECK (TVA + 0xff8), 0x42
        CHECK (TVA + 0x2ff8), 0x42
        movl $0xdeadbeef, TVA + 0x2ffc
        CHECK page_a + 0xff8(%rip), 0xdeadbeef00000042

        GROUP "distinct pages"
        movq $0x77, TVA + 0x1010        /* page_b */
        CHECK page_b + 0x10(%rip), 0x77
        CHECK (TVA + 0x10), 0x1122334455667788
        CHECK (TVA + 0x1ff000 + 0x10), 0x77  /* entry 511 */
        movq $0x88, TVA + 0x1ff000 + 0x800
        CHECK (TVA + 0x1800), 0x88

        GROUP "unaligned across pages"
        movabsq $0x0807060504030201, %rax
        movq %rax, TVA + 0xffc          /* 4 bytes in page_a, 4 in page_b */
        movl page_a + 0xffc(%rip), %ebx
        CHECK %rbx, 0x04030201
        movl page_b(%rip), %ebx
        CHECK %rbx, 0x08070605
        CATCH 1f
        movq TVA + 0x2ffc, %rcx         /* page_a's last 4 bytes, then TVA + 0x3000: not mapped */
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_cr2(%rip), (TVA + 0x3000)

        END "l3-alias-4k"

        .bss
        .balign 4096
page_a: .skip 4096
page_b: .skip 4096
