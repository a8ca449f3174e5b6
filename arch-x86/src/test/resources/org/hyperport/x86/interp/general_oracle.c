/* Host-CPU oracle for GeneralHostDifferentialTest: executes one x86-64 instruction natively, in user mode, and
 * reports the registers after it.
 *
 * Memory: one data page at 0x40000000 (filled with the pattern below before every case) and one code page at
 * 0x40001000 holding the instruction at 0x40001800 followed by INT3 bytes; the Java side maps the same linear
 * addresses. The instruction is entered through IRETQ with TF set, so the single-step trap (SIGTRAP) stops the CPU
 * right after it; a fault stops it with SIGSEGV/SIGFPE/SIGILL/SIGBUS. Either way the signal handler records the
 * interrupted context and siglongjmps back. A repeated string instruction traps after every iteration with RIP
 * still on it; the handler lets it continue.
 *
 * Input lines:  <instruction hex> <rax> <rcx> <rdx> <rbx> <rsp> <rbp> <rsi> <rdi> <r8> ... <r15> <rflags>  (hex)
 * Output lines: <signal> <rip> <rflags> <16 registers> <n> <offset>:<byte> x n   (the data bytes that changed)
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define DATA 0x40000000UL
#define CODE 0x40001000UL
#define ENTRY (CODE + 0x800)

struct ctx { uint64_t r[16]; uint64_t rflags; };

static struct ctx in;
static volatile uint64_t out_r[16], out_rip, out_flags;
static volatile int out_sig;
static sigjmp_buf env;
static const int GREG[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                              REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };

/* Must match GeneralHostDifferentialTest.pattern. */
static uint8_t pattern(unsigned off) {
    if (off < 0xE00) return (uint8_t)(off * 0x9E + (off >> 8) * 7 + 0x5A);
    uint64_t q = DATA + 0x1000 + ((off & ~7u) * 0x1D & 0xFF8);
    return (uint8_t)(q >> (8 * (off & 7)));
}

static void handler(int sig, siginfo_t *si, void *p) {
    (void)si;
    greg_t *g = ((ucontext_t *)p)->uc_mcontext.gregs;
    if (sig == SIGTRAP && (uint64_t)g[REG_RIP] == ENTRY) return;
    for (int i = 0; i < 16; i++) out_r[i] = (uint64_t)g[GREG[i]];
    out_rip = (uint64_t)g[REG_RIP];
    out_flags = (uint64_t)g[REG_EFL];
    out_sig = sig;
    siglongjmp(env, 1);
}

void launch(struct ctx *c, uint64_t rip);
__asm__(".text\n.globl launch\n.type launch,@function\nlaunch:\n"
        "  xor %eax, %eax\n  mov %ss, %ax\n  push %rax\n"      /* SS */
        "  push 32(%rdi)\n"                                    /* RSP */
        "  mov 128(%rdi), %rax\n  or $0x100, %rax\n  push %rax\n" /* RFLAGS | TF */
        "  xor %eax, %eax\n  mov %cs, %ax\n  push %rax\n"      /* CS */
        "  push %rsi\n"                                        /* RIP */
        "  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n  mov 16(%rdi), %rdx\n  mov 24(%rdi), %rbx\n"
        "  mov 40(%rdi), %rbp\n  mov 48(%rdi), %rsi\n"
        "  mov 64(%rdi), %r8\n  mov 72(%rdi), %r9\n  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n"
        "  mov 96(%rdi), %r12\n  mov 104(%rdi), %r13\n  mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n"
        "  mov 56(%rdi), %rdi\n"
        "  iretq\n");

static int hex(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int main(void) {
    uint8_t *mem = mmap((void *)DATA, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (mem != (uint8_t *)DATA) {
        printf("nomap\n");
        return 2;
    }
    static uint8_t altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);

    static char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *save = NULL;
        char *tok = strtok_r(line, " \n", &save);
        if (!tok) continue;
        memset(mem + 0x1000, 0xCC, 0x1000);
        size_t n = strlen(tok) / 2;
        for (size_t i = 0; i < n; i++) mem[0x1800 + i] = (uint8_t)(hex(tok[2 * i]) << 4 | hex(tok[2 * i + 1]));
        for (int i = 0; i < 17; i++) {
            tok = strtok_r(NULL, " \n", &save);
            uint64_t v = strtoull(tok, NULL, 16);
            if (i < 16) in.r[i] = v; else in.rflags = v;
        }
        for (unsigned off = 0; off < 0x1000; off++) mem[off] = pattern(off);
        if (sigsetjmp(env, 1) == 0) launch(&in, ENTRY);
        printf("%d %lx %lx", out_sig, (unsigned long)out_rip, (unsigned long)out_flags);
        for (int i = 0; i < 16; i++) printf(" %lx", (unsigned long)out_r[i]);
        int changed = 0;
        for (unsigned off = 0; off < 0x1000; off++) changed += mem[off] != pattern(off);
        printf(" %d", changed);
        for (unsigned off = 0; off < 0x1000; off++)
            if (mem[off] != pattern(off)) printf(" %x:%x", off, mem[off]);
        printf("\n");
        fflush(stdout);
    }
    return 0;
}
