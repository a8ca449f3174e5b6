/*
 * C start for the x86_64 guests: rt/rt.S calls kmain at CPL 0 with everything set up; kmain enters CPL 3 at
 * c_start on a 64 KiB user stack. c_start resets the x87 and MXCSR (0x1F80: all exceptions masked, round to
 * nearest), calls int main(void) and exits with its return value (hp_exit).
 *
 * main runs at CPL 3 because this host's nested KVM executes CPL-0 code in an instruction emulator that rejects
 * SSE arithmetic (cvtsi2sd, addsd, ...) and is slow; CPL-3 code runs natively. Under QEMU it makes no difference.
 */
        .text
        .code64
        .globl kmain
kmain:
        leaq c_start(%rip), %rdi
        leaq user_stack_top(%rip), %rsi
        jmp rt_enter_user

c_start:
        fninit
        ldmxcsr mxcsr_default(%rip)
        call main
        movl %eax, %edi
        call hp_exit

        .section .rodata
        .balign 4
mxcsr_default:
        .long 0x1F80

        .bss
        .balign 16
user_stack:
        .skip 65536
user_stack_top:
