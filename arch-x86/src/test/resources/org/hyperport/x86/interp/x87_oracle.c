/* Host-CPU oracle for FpuOracleTest: reads lines "name fcw depth ase asig bse bsig" (hex), builds an x87 stack of
 * "depth" values (0: empty; 1: ST0 = a; 2: ST0 = a, ST1 = b; 8: ST0 = a, ST1..ST7 = b), loads FCW, puts b's ten
 * bytes at [rdi] (every empty register also holds b), executes instruction "name" natively and prints
 *   "fsw ftw st0 .. st7 memlo memhi flags"
 * from an FXSAVE image: FSW, the abridged tag word, each ST(i) as se:sig or "-" when empty, the first ten bytes at
 * [rdi] afterwards, and the status flags (which start all set). Unmasked exceptions stay pending: FXSAVE does not
 * check for them. The host must be x86-64. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct __attribute__((aligned(16))) { uint8_t b[512]; } fxarea;
typedef struct { uint8_t b[16]; } mem16;

#define X(NAME, BYTES) static void op_##NAME(mem16 *m, uint64_t *fl) { uint64_t f; \
    __asm__ volatile("push $0x8d5\n\tpopf\n\t.byte " BYTES "\n\tpushf\n\tpop %[f]" \
                     : [f] "=r"(f) : "D"(m) : "memory", "cc"); *fl = f & 0x8d5; }
#define OPS(_) \
    _(fadd, "0xd8,0xc1") _(fmul, "0xd8,0xc9") _(fsub, "0xd8,0xe1") _(fsubr, "0xd8,0xe9") _(fdiv, "0xd8,0xf1") \
    _(fdivr, "0xd8,0xf9") _(faddst1, "0xdc,0xc1") _(fmulst1, "0xdc,0xc9") _(fsubst1, "0xdc,0xe9") \
    _(fsubrst1, "0xdc,0xe1") _(fdivst1, "0xdc,0xf9") _(fdivrst1, "0xdc,0xf1") _(faddp, "0xde,0xc1") \
    _(fmulp, "0xde,0xc9") _(fsubp, "0xde,0xe9") _(fsubrp, "0xde,0xe1") _(fdivp, "0xde,0xf9") \
    _(fdivrp, "0xde,0xf1") _(fadds, "0xd8,0x07") _(fmuls, "0xd8,0x0f") _(fsubs, "0xd8,0x27") \
    _(fsubrs, "0xd8,0x2f") _(fdivs, "0xd8,0x37") _(fdivrs, "0xd8,0x3f") _(faddl, "0xdc,0x07") \
    _(fmull, "0xdc,0x0f") _(fsubl, "0xdc,0x27") _(fdivl, "0xdc,0x37") _(fdivrl, "0xdc,0x3f") \
    _(fiaddl, "0xda,0x07") _(fimuls, "0xde,0x0f") _(fisubl, "0xda,0x27") _(fidivrs, "0xde,0x3f") \
    _(fsqrt, "0xd9,0xfa") _(frndint, "0xd9,0xfc") _(fscale, "0xd9,0xfd") _(fxtract, "0xd9,0xf4") \
    _(fprem, "0xd9,0xf8") _(fprem1, "0xd9,0xf5") _(fchs, "0xd9,0xe0") _(fabs, "0xd9,0xe1") \
    _(ftst, "0xd9,0xe4") _(fxam, "0xd9,0xe5") _(fxch, "0xd9,0xc9") _(fcom, "0xd8,0xd1") \
    _(fcomp, "0xd8,0xd9") _(fcompp, "0xde,0xd9") _(fucom, "0xdd,0xe1") _(fucomp, "0xdd,0xe9") \
    _(fucompp, "0xda,0xe9") _(fcomi, "0xdb,0xf1") _(fucomi, "0xdb,0xe9") _(fcomip, "0xdf,0xf1") \
    _(fucomip, "0xdf,0xe9") _(fcoms, "0xd8,0x17") _(fcompl, "0xdc,0x1f") _(ficoml, "0xda,0x17") \
    _(fsts, "0xd9,0x17") _(fstl, "0xdd,0x17") _(fstps, "0xd9,0x1f") _(fstpt, "0xdb,0x3f") \
    _(fists, "0xdf,0x17") _(fistl, "0xdb,0x17") _(fistpll, "0xdf,0x3f") _(fisttps, "0xdf,0x0f") \
    _(fisttpl, "0xdb,0x0f") _(fisttpll, "0xdd,0x0f") _(fbstp, "0xdf,0x37") _(flds, "0xd9,0x07") \
    _(fldl, "0xdd,0x07") _(fldt, "0xdb,0x2f") _(fildl, "0xdb,0x07") _(filds, "0xdf,0x07") \
    _(fildll, "0xdf,0x2f") _(fbld, "0xdf,0x27") _(fld1, "0xd9,0xe8") _(fldl2t, "0xd9,0xe9") \
    _(fldl2e, "0xd9,0xea") _(fldpi, "0xd9,0xeb") _(fldlg2, "0xd9,0xec") _(fldln2, "0xd9,0xed") \
    _(fldz, "0xd9,0xee") _(fldst1, "0xd9,0xc1") _(fincstp, "0xd9,0xf7") _(fdecstp, "0xd9,0xf6") \
    _(ffree, "0xdd,0xc1") _(fnclex, "0xdb,0xe2") _(fcmovb, "0xda,0xc1") _(fcmovnbe, "0xdb,0xd1") \
    _(fstst1, "0xdd,0xd1") _(fstpst1, "0xdd,0xd9") _(fnstenv, "0xd9,0x37")
OPS(X)

typedef void (*fn)(mem16 *, uint64_t *);
#define E(NAME, BYTES) { #NAME, op_##NAME },
static const struct { const char *name; fn f; } TABLE[] = { OPS(E) };

int main(void) {
    char name[32];
    unsigned fcw, depth, ase, bse;
    unsigned long long asig, bsig;
    static fxarea fx;
    static uint8_t envArea[64];
    while (scanf("%31s %x %x %x %llx %x %llx", name, &fcw, &depth, &ase, &asig, &bse, &bsig) == 7) {
        fn f = 0;
        for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
            if (strcmp(TABLE[i].name, name) == 0) {
                f = TABLE[i].f;
            }
        }
        if (!f) {
            printf("?\n");
            fflush(stdout);
            continue;
        }
        uint8_t a80[10], b80[10];
        memcpy(a80, &asig, 8);
        memcpy(a80 + 8, &ase, 2);
        memcpy(b80, &bsig, 8);
        memcpy(b80 + 8, &bse, 2);
        mem16 m;
        memset(&m, 0, sizeof m);
        memcpy(m.b, b80, 10);
        uint16_t cw = fcw;
        uint64_t fl;
        __asm__ volatile("fninit" ::: "memory");
        for (unsigned k = 0; k < 8; k++) {          /* every physical register holds b, even when empty */
            __asm__ volatile("fldt %0" : : "m"(*(uint8_t(*)[10])b80) : "memory");
        }
        __asm__ volatile("fninit" ::: "memory");
        for (unsigned k = 1; k < depth; k++) {
            __asm__ volatile("fldt %0" : : "m"(*(uint8_t(*)[10])b80) : "memory");
        }
        if (depth > 0) {
            __asm__ volatile("fldt %0" : : "m"(*(uint8_t(*)[10])a80) : "memory");
        }
        __asm__ volatile("fldcw %0" : : "m"(cw) : "memory");
        f(strcmp(name, "fnstenv") == 0 ? (mem16 *)envArea : &m, &fl);
        __asm__ volatile("fxsave %0\n\tfninit" : "=m"(fx) : : "memory");
        uint16_t fsw, fcwOut;
        memcpy(&fsw, fx.b + 2, 2);
        memcpy(&fcwOut, fx.b, 2);
        unsigned ftw = fx.b[4];
        unsigned top = (fsw >> 11) & 7;
        printf("%x %x %x", fcwOut, fsw, ftw);
        for (unsigned k = 0; k < 8; k++) {
            if (ftw & (1u << ((top + k) & 7))) {
                uint64_t sig;
                uint16_t se;
                memcpy(&sig, fx.b + 32 + 16 * k, 8);
                memcpy(&se, fx.b + 40 + 16 * k, 2);
                printf(" %x:%llx", se, (unsigned long long)sig);
            } else {
                printf(" -");
            }
        }
        uint64_t lo;
        uint16_t hi;
        if (strcmp(name, "fnstenv") == 0) {
            memcpy(&lo, envArea, 8);
            memcpy(&hi, envArea + 8, 2);
        } else {
            memcpy(&lo, m.b, 8);
            memcpy(&hi, m.b + 8, 2);
        }
        printf(" %llx %x %llx\n", (unsigned long long)lo, hi, (unsigned long long)fl);
    }
    return 0;
}
