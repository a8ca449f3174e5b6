/* l2-pf-nx: with EFER.NXE=1, fetching from a page whose PTE has XD (bit 63) set gives #PF with error code I/D|P
 * (CPL 0) or I/D|U|P (CPL 3), CR2 = RIP = the target, the CALL's return address already pushed; reading the same
 * page is allowed; a fetch from a not-present page gives I/D alone. */
        .include "test.inc"

        .text
        .globl kmain
kmain:
        call t_trap_init
        call t_map_init
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_NXE, %eax
        wrmsr
        leaq code(%rip), %rsi           /* the page holds: mov $42, %eax; ret */
        leaq page(%rip), %rdi
        movl $code_end - code, %ecx
        rep movsb
        MAP4K 0, page, PTE_P|PTE_U                 /* executable */
        MAP4K 1, page, PTE_P|PTE_U|PTE_NX          /* the same page, not executable */
        BEGIN "l2-pf-nx: instruction fetch from NX and not-present pages"

        GROUP "cpl 0"
        xorl %eax, %eax
        movq $TVA, %rbx
        call *%rbx
        CHECK %rax, 42
        movq $TVA + 0x1000, %rbx
        movq TVA + 0x1000, %rcx         /* data reads from the NX page are fine */
        CHECKQ %rcx, page(%rip)
        CATCH 1f
        call *%rbx
1:      UNCATCH
        HP_RECORD_STATE 0x20001
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_I|PF_P
        CHECK t_exc_cr2(%rip), (TVA + 0x1000)
        CHECK t_exc_rip(%rip), (TVA + 0x1000)
        movq t_catch_rsp(%rip), %rax    /* the CALL had pushed its return address */
        subq $8, %rax
        CHECKQ t_exc_rsp(%rip), %rax
        movq $TVA + 0x2000, %rbx        /* t_pt1[2]: not present */
        CATCH 1f
        call *%rbx
1:      UNCATCH
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_I
        CHECK t_exc_cr2(%rip), (TVA + 0x2000)

        GROUP "cpl 3"
        RUN_USER user_call, 1f
1:      HP_RECORD_STATE 0x20002
        CHECK t_exc_vector(%rip), 14
        CHECK t_exc_err(%rip), PF_I|PF_U|PF_P
        CHECK t_exc_cr2(%rip), (TVA + 0x1000)
        CHECK t_exc_rip(%rip), (TVA + 0x1000)
        CHECK t_exc_cs(%rip), SEL_UCODE
        CHECK t_exc_rsp(%rip), (t_ustack_top - 8)
        CHECK user_value(%rip), 42

        END "l2-pf-nx"

user_call:
        movq $TVA, %rbx
        call *%rbx                      /* executable: returns 42 */
        movq %rax, user_value(%rip)
        movq $TVA + 0x1000, %rbx
        call *%rbx                      /* NX: faults */
        USER_RETURN

code:   movl $42, %eax
        ret
code_end:

        .data
        .balign 8
user_value: .quad 0
        .bss
        .balign 4096
page:   .skip 4096
