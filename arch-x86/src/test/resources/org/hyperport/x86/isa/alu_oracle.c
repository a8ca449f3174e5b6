/* Host-CPU oracle for IntegerOpsOracleTest: reads "op size a b cf" lines (a, b in hex), executes the instruction
 * natively on this x86-64 host and prints "result flags" (hex). The host must be x86-64. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define STATUS 0x8d5ULL

#define BIN(NAME, INSN, SUF, T, CONS)                                                           \
    static void NAME(uint64_t a, uint64_t b, int cf, uint64_t *r, uint64_t *fl) {               \
        T x = (T)a, y = (T)b; uint64_t f = cf ? 1 : 0;                                          \
        __asm__ volatile("push %[f]\n\tpopf\n\t" INSN SUF " %[y], %[x]\n\tpushf\n\tpop %[f]"    \
                         : [x] "+r"(x), [f] "+r"(f) : [y] CONS(y) : "cc");                      \
        *r = (uint64_t)x; *fl = f & STATUS; }
#define SH(NAME, INSN, SUF, T)                                                                   \
    static void NAME(uint64_t a, uint64_t b, int cf, uint64_t *r, uint64_t *fl) {               \
        T x = (T)a; uint8_t c = (uint8_t)b; uint64_t f = cf ? 1 : 0;                            \
        __asm__ volatile("push %[f]\n\tpopf\n\t" INSN SUF " %%cl, %[x]\n\tpushf\n\tpop %[f]"     \
                         : [x] "+r"(x), [f] "+r"(f) : "c"(c) : "cc");                           \
        *r = (uint64_t)x; *fl = f & STATUS; }
#define UN(NAME, INSN, SUF, T)                                                                   \
    static void NAME(uint64_t a, uint64_t b, int cf, uint64_t *r, uint64_t *fl) {               \
        T x = (T)a; uint64_t f = cf ? 1 : 0; (void)b;                                           \
        __asm__ volatile("push %[f]\n\tpopf\n\t" INSN SUF " %[x]\n\tpushf\n\tpop %[f]"           \
                         : [x] "+r"(x), [f] "+r"(f) : : "cc");                                  \
        *r = (uint64_t)x; *fl = f & STATUS; }
#define Q "r"
#define ALL_BIN(op) BIN(op##1, #op, "b", uint8_t, "q") BIN(op##2, #op, "w", uint16_t, Q) \
                    BIN(op##4, #op, "l", uint32_t, Q) BIN(op##8, #op, "q", uint64_t, Q)
#define ALL_SH(op) SH(op##1, #op, "b", uint8_t) SH(op##2, #op, "w", uint16_t) \
                   SH(op##4, #op, "l", uint32_t) SH(op##8, #op, "q", uint64_t)
#define ALL_UN(op) UN(op##1, #op, "b", uint8_t) UN(op##2, #op, "w", uint16_t) \
                   UN(op##4, #op, "l", uint32_t) UN(op##8, #op, "q", uint64_t)
ALL_BIN(add) ALL_BIN(adc) ALL_BIN(sub) ALL_BIN(sbb) ALL_BIN(and) ALL_BIN(or) ALL_BIN(xor)
ALL_SH(shl) ALL_SH(shr) ALL_SH(sar) ALL_SH(rol) ALL_SH(ror) ALL_SH(rcl) ALL_SH(rcr)
ALL_UN(inc) ALL_UN(dec) ALL_UN(neg)

/* MUL/IMUL one-operand: a * b, result printed as high:low via r (low) and the flags; high goes to stderr-free
 * second line format "low high flags" handled by the op names mul/imul. DIV/IDIV print "quot rem" or "DE". */
#define MULT(NAME, INSN, SUF, T, A, D)                                                           \
    static void NAME(uint64_t a, uint64_t b, int cf, uint64_t *r, uint64_t *fl) {               \
        T lo = (T)a, hi = 0, y = (T)b; uint64_t f = cf ? 1 : 0;                                 \
        __asm__ volatile("push %[f]\n\tpopf\n\t" INSN SUF " %[y]\n\tpushf\n\tpop %[f]"          \
                         : A(lo), D(hi), [f] "+r"(f) : [y] "r"(y) : "cc");                       \
        r[0] = (uint64_t)lo; r[1] = (uint64_t)hi; *fl = f & STATUS; }
MULT(mul2, "mul", "w", uint16_t, "+a", "=d") MULT(mul4, "mul", "l", uint32_t, "+a", "=d")
MULT(mul8, "mul", "q", uint64_t, "+a", "=d") MULT(imul2, "imul", "w", int16_t, "+a", "=d")
MULT(imul4, "imul", "l", int32_t, "+a", "=d") MULT(imul8, "imul", "q", int64_t, "+a", "=d")

/* Bit scans and counts: dest starts as the value 0x5a (kept by BSF/BSR when the source is 0). */
#define SCAN(NAME, INSN, SUF, T)                                                                 \
    static void NAME(uint64_t a, uint64_t b, int cf, uint64_t *r, uint64_t *fl) {               \
        T x = (T)0x5a, y = (T)a; uint64_t f = cf ? 1 : 0; (void)b;                              \
        __asm__ volatile("push %[f]\n\tpopf\n\t" INSN SUF " %[y], %[x]\n\tpushf\n\tpop %[f]"    \
                         : [x] "+r"(x), [f] "+r"(f) : [y] "r"(y) : "cc");                       \
        r[0] = (uint64_t)x; *fl = f & STATUS; }
#define ALL_SCAN(op) SCAN(op##2, #op, "w", uint16_t) SCAN(op##4, #op, "l", uint32_t) SCAN(op##8, #op, "q", uint64_t)
ALL_SCAN(bsf) ALL_SCAN(bsr) ALL_SCAN(popcnt) ALL_SCAN(lzcnt) ALL_SCAN(tzcnt)

typedef void (*fn)(uint64_t, uint64_t, int, uint64_t *, uint64_t *);
#define ROW(op) { #op, { op##1, op##2, 0, op##4, 0, 0, 0, op##8 } }
static const struct { const char *name; fn f[8]; } OPS[] = {
    ROW(add), ROW(adc), ROW(sub), ROW(sbb), ROW(and), ROW(or), ROW(xor), ROW(shl), ROW(shr), ROW(sar),
    ROW(rol), ROW(ror), ROW(rcl), ROW(rcr), ROW(inc), ROW(dec), ROW(neg),
    { "bsf", { 0, bsf2, 0, bsf4, 0, 0, 0, bsf8 } }, { "bsr", { 0, bsr2, 0, bsr4, 0, 0, 0, bsr8 } },
    { "popcnt", { 0, popcnt2, 0, popcnt4, 0, 0, 0, popcnt8 } },
    { "lzcnt", { 0, lzcnt2, 0, lzcnt4, 0, 0, 0, lzcnt8 } }, { "tzcnt", { 0, tzcnt2, 0, tzcnt4, 0, 0, 0, tzcnt8 } },
    { "mul", { 0, mul2, 0, mul4, 0, 0, 0, mul8 } }, { "imul", { 0, imul2, 0, imul4, 0, 0, 0, imul8 } } };

int main(void) {
    char op[16]; int size, cf; unsigned long long a, b;
    while (scanf("%15s %d %llx %llx %d", op, &size, &a, &b, &cf) == 5) {
        for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
            if (strcmp(OPS[i].name, op) == 0 && size >= 1 && size <= 8 && OPS[i].f[size - 1]) {
                uint64_t r[2] = {0, 0}, fl;
                OPS[i].f[size - 1](a, b, cf, r, &fl);
                if (op[0] == 'm' || op[0] == 'i')
                    printf("%llx:%llx %llx\n", (unsigned long long)r[1], (unsigned long long)r[0],
                           (unsigned long long)fl);
                else
                    printf("%llx %llx\n", (unsigned long long)r[0], (unsigned long long)fl);
                goto next;
            }
        }
        printf("? ?\n");
    next:;
    }
    return 0;
}
