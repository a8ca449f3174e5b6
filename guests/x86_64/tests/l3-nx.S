/* l3-nx: execute-disable at each level with EFER.NXE=1: XD in the PTE, in the PDE above an executable PTE, and in
 * a 2 MiB PDE each stop instruction fetches (#PF, I/D|P) but not data reads; once XD is cleared (and the TLB entry
 * invalidated) the same code runs. */
        .include "test.inc"

        .set BIG, TVA + 0x200000        /* t_pd1[1]: 2 MiB page */
        .set NXPT, TVA + 0x400000       /* t_pd1[2]: PDE with XD -> pt2 (executable PTEs) */

.macro CALL_FAULTS target
        movq $\target, %rbx
        CATCH 1f
        call *%rbx
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_I|PF_P
        CHECK t_exc_cr2(%rip), \target
.endm
.macro CALL_RUNS target
        movq $\target, %rbx
        xorl %eax, %eax
        call *%rbx
        CHECK %rax, 42
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_NXE, %eax
        wrmsr
        leaq code(%rip), %rsi           /* mov $42, %eax; ret at the start of page and of 4 MiB + 0x3000 */
        leaq page(%rip), %rdi
        movl $code_end - code, %ecx
        rep movsb
        leaq code(%rip), %rsi
        movq $0x403000, %rdi
        movl $code_end - code, %ecx
        rep movsb
        MAP4K 0, page, PTE_P|PTE_W
        MAP4K 1, page, PTE_P|PTE_W|PTE_NX
        movq $0x400000 | PTE_P | PTE_W | PTE_PS, %rax
        btsq $63, %rax
        movq %rax, t_pd1 + 8(%rip)      /* 2 MiB, XD */
        leaq pt2(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        btsq $63, %rax
        movq %rax, t_pd1 + 16(%rip)     /* XD in the PDE */
        leaq page(%rip), %rax
        orq $(PTE_P | PTE_W), %rax
        movq %rax, pt2(%rip)            /* executable PTE under it */
        movq %cr3, %rax
        movq %rax, %cr3
        BEGIN "l3-nx: execute-disable in PTEs, PDEs and 2 MiB pages"

        GROUP "pte"
        CALL_RUNS TVA
        CALL_FAULTS (TVA + 0x1000)
        HP_RECORD_STATE 0x20001
        CHECKQ (TVA + 0x1000), page(%rip) /* reads are allowed */
        btrq $63, t_pt1 + 8(%rip)       /* clear XD */
        invlpg TVA + 0x1000
        CALL_RUNS (TVA + 0x1000)

        GROUP "pde"
        CALL_FAULTS NXPT
        CHECKQ NXPT, page(%rip)
        btrq $63, t_pd1 + 16(%rip)
        movq %cr3, %rax
        movq %rax, %cr3
        CALL_RUNS NXPT

        GROUP "2 MiB"
        CALL_FAULTS (BIG + 0x3000)
        CHECKQ (BIG + 0x3000), 0x403000
        btrq $63, t_pd1 + 8(%rip)
        invlpg BIG + 0x3000
        CALL_RUNS (BIG + 0x3000)

        END "l3-nx"

code:   movl $42, %eax
        ret
code_end:

        .bss
        .balign 4096
page:   .skip 4096
pt2:    .skip 4096
