/* l2-gp: general protection (#GP, vector 13). Error code 0: privileged instructions at CPL 3 (HLT, CLI, MOV from
 * CR0, RDMSR), port I/O the TSS bitmap denies, a non-canonical address at CPL 0. Error code = selector: loading a
 * segment register with a selector beyond the GDT limit, a system (TSS) descriptor, or a code segment into SS. */
        .include "test.inc"

/* USERGP entry, insn: run entry at CPL 3, expect #GP(0) at insn. */
.macro USERGP entry, insn
        RUN_USER \entry, 1f
1:      CHECK t_exc_vector(%rip), 13
        CHECK t_exc_err(%rip), 0
        CHECK t_exc_rip(%rip), \insn
        CHECK t_exc_cs(%rip), SEL_UCODE
        CHECK t_exc_ss(%rip), SEL_UDATA
.endm

/* SEGGP sreg, selector: loading it at CPL 0 gives #GP(selector). */
.macro SEGGP sreg, sel
        movw $(\sel), %ax
        CATCH 1f
9:      movw %ax, \sreg
1:      UNCATCH
        CHECK t_exc_vector(%rip), 13
        CHECK t_exc_err(%rip), ((\sel) & 0xfffc)   /* the error code drops the RPL */
        CHECK t_exc_rip(%rip), 9b
.endm

        .text
        .globl kmain
kmain:
        call t_trap_init
        BEGIN "l2-gp: #GP(0) from CPL 3 and non-canonical addresses, #GP(selector) from segment loads"

        GROUP "cpl 3"
        USERGP user_hlt, gp_hlt
        HP_RECORD_STATE 0x20001
        USERGP user_cli, gp_cli
        USERGP user_cr0, gp_cr0
        USERGP user_rdmsr, gp_rdmsr
        USERGP user_in, gp_in
        USERGP user_out, gp_out

        GROUP "non-canonical"
        movabsq $0x0000800000000000, %rbx
        CATCH 1f
gp_nc1: movq (%rbx), %rax
1:      UNCATCH
        HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 13
        CHECK t_exc_err(%rip), 0
        CHECK t_exc_rip(%rip), gp_nc1
        movabsq $0xffff7ffffffffff8, %rbx
        CATCH 1f
gp_nc2: movq %rax, (%rbx)
1:      UNCATCH
        CHECK t_exc_vector(%rip), 13
        CHECK t_exc_err(%rip), 0
        CHECK t_exc_rip(%rip), gp_nc2
        movabsq $0xffff800000000000, %rbx /* canonical but not mapped: #PF, not #GP */
        CATCH 1f
        movq (%rbx), %rax
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_cr2(%rip), 0xffff800000000000

        GROUP "selectors"
        SEGGP %ds, 0x40                 /* beyond the GDT limit (8 descriptors) */
        SEGGP %es, 0x48
        SEGGP %ds, SEL_TSS              /* a system descriptor */
        SEGGP %ss, SEL_KCODE            /* SS needs a writable data segment */
        SEGGP %ss, SEL_UDATA            /* DPL 3 != CPL 0 */
        movw $SEL_KDATA, %ax            /* the good ones still load */
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss

        END "l2-gp"

user_hlt:
gp_hlt: hlt
user_cli:
gp_cli: cli
user_cr0:
gp_cr0: movq %cr0, %rax
user_rdmsr:
        movl $0x10, %ecx
gp_rdmsr:
        rdmsr
user_in:
gp_in:  inb $0x60, %al                  /* not in the I/O bitmap */
user_out:
        movw $0x3f7, %dx                /* the port just below COM1: denied */
gp_out: outb %al, %dx
