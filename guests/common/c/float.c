/* float: IEEE 754 binary32/binary64 arithmetic as C11 (FLT_EVAL_METHOD 0 or values stored to their type): exact
 * and correctly rounded add/mul/div/sqrt, conversions (int <-> double, float <-> double, round to nearest even,
 * truncation toward zero), subnormals, infinities, signed zero and NaN comparisons. Results are printed as bit
 * patterns. NaN bit patterns differ between architectures (x86 makes negative quiet NaNs) and are never printed. */
#include <float.h>
#include "hp.h"

#define D(x) hp_f64(x)
#define F(x) hp_f32(x)
#define DB(x) hp_f64_bits(x)
#define FB(x) hp_f32_bits(x)
#define CHECK_D(expr, bits) CHECK_EQ(DB(expr), bits)
#define CHECK_F(expr, bits) CHECK_EQ(FB(expr), bits)

static int isnan_d(double x) { return x != x; }

static void show_d(const char *what, double x) { hp_printf("%-22s %016llx\n", what, (unsigned long long)DB(x)); }
static void show_f(const char *what, float x) { hp_printf("%-22s %08x\n", what, (unsigned)FB(x)); }

int main(void)
{
    hp_printf("float: IEEE 754 binary32/64\n");

    /* correctly rounded basic operations */
    CHECK_D(D(0.1) + D(0.2), 0x3fd3333333333334ULL);
    CHECK_D(D(1.0) / D(3.0), 0x3fd5555555555555ULL);
    CHECK_D(D(1.0) / D(10.0), 0x3fb999999999999aULL);
    CHECK_D(D(2.0) / D(3.0), 0x3fe5555555555555ULL);
    CHECK_D(D(0.1) * D(3.0), 0x3fd3333333333334ULL);
    CHECK_D(D(1e16) + D(1.0), 0x4341c37937e08000ULL);          /* 1e16: the 1 is lost */
    CHECK_D(D(9007199254740992.0) + D(1.0), 0x4340000000000000ULL);
    CHECK_D(D(9007199254740992.0) + D(2.0), 0x4340000000000001ULL);
    CHECK_D(D(9007199254740992.0) + D(3.0), 0x4340000000000002ULL); /* tie to even: 2^53+4 */
    CHECK_D(D(1.0) - D(0x1p-53), 0x3fefffffffffffffULL);
    CHECK_D(D(1.0) + D(0x1p-53), 0x3ff0000000000000ULL);          /* tie to even: 1 */
    CHECK_D(D(1.0) + D(0x1.8p-53), 0x3ff0000000000001ULL);
    CHECK_D(__builtin_sqrt(D(2.0)), 0x3ff6a09e667f3bcdULL);
    CHECK_D(__builtin_sqrt(D(0.25)), 0x3fe0000000000000ULL);
    CHECK_D(__builtin_sqrt(D(1e300)), 0x5f138d352e5096afULL);
    CHECK_D(__builtin_sqrt(D(-0.0)), 0x8000000000000000ULL);
    CHECK(isnan_d(__builtin_sqrt(D(-1.0))));
    CHECK_F(F(0.1f) + F(0.2f), 0x3e99999aU);
    CHECK_F(F(1.0f) / F(3.0f), 0x3eaaaaabU);
    CHECK_F(F(16777216.0f) + F(1.0f), 0x4b800000U);
    CHECK_F(F(16777216.0f) + F(3.0f), 0x4b800002U);
    CHECK_F(__builtin_sqrtf(F(2.0f)), 0x3fb504f3U);
    CHECK_F(F(1e20f) * F(1e20f), 0x7f800000U);
    show_d("0.1 + 0.2", D(0.1) + D(0.2));
    show_d("1 / 3", D(1.0) / D(3.0));
    show_d("sqrt(2)", __builtin_sqrt(D(2.0)));
    show_d("pi * e", D(3.141592653589793) * D(2.718281828459045));
    show_f("0.1f + 0.2f", F(0.1f) + F(0.2f));
    show_f("1f / 3f", F(1.0f) / F(3.0f));

    /* float <-> double */
    CHECK_D((double)F(0.1f), 0x3fb99999a0000000ULL);
    CHECK_F((float)D(0.1), 0x3dcccccdU);
    CHECK_F((float)D(1.0 + 0x1p-24), 0x3f800000U);           /* tie to even: down */
    CHECK_F((float)D(1.0 + 0x1.8p-23), 0x3f800002U);         /* tie to even: up */
    CHECK_F((float)D(1.0 + 0x1.00002p-24), 0x3f800001U);    /* just above the tie */
    CHECK_F((float)D(3.4028234663852886e38), 0x7f7fffffU);   /* FLT_MAX as a double */
    CHECK_D((double)F(FLT_MIN / 4.0f), 0x37f0000000000000ULL); /* a float subnormal is a normal double */
    show_f("(float)0.1", (float)D(0.1));

    /* integer <-> floating point */
    CHECK_D((double)hp_i64(9007199254740993LL), 0x4340000000000000ULL); /* 2^53+1 -> 2^53 */
    CHECK_D((double)hp_i64(9007199254740995LL), 0x4340000000000002ULL); /* 2^53+3 -> 2^53+4 */
    CHECK_D((double)hp_i64(-9007199254740993LL), 0xc340000000000000ULL);
    CHECK_D((double)hp_i64(INT64_MIN), 0xc3e0000000000000ULL);
    CHECK_D((double)hp_u64(~0ULL), 0x43f0000000000000ULL);       /* 2^64 */
    CHECK_D((double)hp_u64(0x8000000000000401ULL), 0x43e0000000000001ULL);
    CHECK_D((double)hp_i32(INT32_MIN), 0xc1e0000000000000ULL);
    CHECK_D((double)hp_u32(0xffffffffu), 0x41efffffffe00000ULL);
    CHECK_F((float)hp_i32(16777217), 0x4b800000U);
    CHECK_F((float)hp_i32(16777219), 0x4b800002U);
    CHECK_F((float)hp_u64(~0ULL), 0x5f800000U);
    CHECK_EQ((int32_t)D(2.5), 2);
    CHECK_EQ((int32_t)D(-2.5), -2);
    CHECK_EQ((int32_t)D(-0.999), 0);
    CHECK_EQ((int32_t)D(2147483647.9), 2147483647);
    CHECK_EQ((int32_t)D(-2147483648.9), INT32_MIN);
    CHECK_EQ((int64_t)D(-9.2233720368547748e18), -9223372036854774784LL);
    CHECK_EQ((uint64_t)D(1e19), 10000000000000000000ULL);
    CHECK_EQ((uint64_t)D(18446744073709549568.0), 18446744073709549568ULL);
    CHECK_EQ((uint32_t)D(4294967295.5), 4294967295u);
    CHECK_EQ((int32_t)F(-16777217.0f), -16777216);
    hp_printf("(int64)-9.2233720368547748e18 = %lld\n", (long long)(int64_t)D(-9.2233720368547748e18));
    hp_printf("(uint64)1e19 = %llu\n", (unsigned long long)(uint64_t)D(1e19));

    /* subnormals (no flush to zero) */
    CHECK_D(D(DBL_MIN) / D(2.0), 0x0008000000000000ULL);
    CHECK_D(D(DBL_MIN) - D(DBL_MIN * (1.0 - 0x1p-52)), 0x0000000000000001ULL);
    CHECK_D(D(0x1p-1074) / D(2.0), 0x0000000000000000ULL);   /* tie to even: 0 */
    CHECK_D(D(0x1p-1074) * D(1.5), 0x0000000000000002ULL);   /* tie to even: 2 ulps */
    CHECK_D(D(0x1p-1074) * D(0.75), 0x0000000000000001ULL);
    CHECK_D(D(0x1p-1073) * D(0x1p1023), 0x3cd0000000000000ULL);
    CHECK_D(D(0x0.fffffffffffffp-1022) + D(0x0.0000000000001p-1022), 0x0010000000000000ULL);
    CHECK_F(F(FLT_MIN) / F(4.0f), 0x00200000U);
    CHECK_F(F(0x1p-149f) * F(0.5f), 0x00000000U);
    CHECK_F(F(0x1p-149f) * F(3.0f), 0x00000003U);
    CHECK(D(0x1p-1074) > D(0.0));
    show_d("DBL_MIN / 3", D(DBL_MIN) / D(3.0));
    show_f("FLT_MIN / 3", F(FLT_MIN) / F(3.0f));

    /* infinities and signed zeros */
    double inf = D(1.0) / D(0.0), ninf = D(-1.0) / D(0.0);
    CHECK_D(inf, 0x7ff0000000000000ULL);
    CHECK_D(ninf, 0xfff0000000000000ULL);
    CHECK_D(D(DBL_MAX) * D(2.0), 0x7ff0000000000000ULL);
    CHECK_D(D(-DBL_MAX) - D(DBL_MAX), 0xfff0000000000000ULL);
    CHECK_D(D(DBL_MAX) + D(0x1p969), 0x7fefffffffffffffULL);  /* a quarter ulp: rounds back */
    CHECK_D(D(DBL_MAX) + D(0x1p970), 0x7ff0000000000000ULL);  /* half an ulp: the tie goes to even, overflow */
    CHECK_D(D(1.0) / inf, 0x0000000000000000ULL);
    CHECK_D(D(1.0) / ninf, 0x8000000000000000ULL);
    CHECK_D(D(1.0) / D(-0.0), 0xfff0000000000000ULL);
    CHECK_D(D(-0.0) + D(0.0), 0x0000000000000000ULL);
    CHECK_D(D(-0.0) + D(-0.0), 0x8000000000000000ULL);
    CHECK_D(D(-0.0) * D(5.0), 0x8000000000000000ULL);
    CHECK_D(D(0.0) * D(-5.0), 0x8000000000000000ULL);
    CHECK_D(D(1.0) - D(1.0), 0x0000000000000000ULL);
    CHECK_D(inf + D(1e308), 0x7ff0000000000000ULL);
    CHECK(D(0.0) == D(-0.0));
    CHECK(isnan_d(inf - inf));
    CHECK(isnan_d(D(0.0) * inf));
    CHECK(isnan_d(D(0.0) / D(0.0)));
    CHECK(isnan_d(inf / ninf));
    CHECK(inf > D(DBL_MAX) && ninf < D(-DBL_MAX));

    /* NaN compares: every ordered comparison is false, != is true */
    double nan = inf - inf;
    int cmp = (nan == nan) | (nan < D(1.0)) << 1 | (nan > D(1.0)) << 2 | (nan <= nan) << 3 | (nan >= D(0.0)) << 4 |
              (nan != nan) << 5 | (D(1.0) != nan) << 6 | (!(nan < D(0.0)) && !(nan >= D(0.0))) << 7;
    CHECK_EQ(cmp, 0xe0);
    CHECK(isnan_d(nan + D(1.0)) && isnan_d(nan * D(0.0)) && isnan_d(-nan));
    CHECK(__builtin_isunordered(nan, D(1.0)) && !__builtin_isunordered(D(1.0), D(2.0)));
    CHECK(__builtin_isless(D(1.0), D(2.0)) && !__builtin_isless(nan, D(2.0)));
    float fnan = F(0.0f) / F(0.0f);
    CHECK(fnan != fnan && !(fnan == fnan));
    CHECK(isnan_d((double)fnan));
    hp_printf("nan compares: %02x\n", cmp);

    /* a small exact computation: sum of 1/k^2, k = 1..1000, in both precisions */
    double s = 0;
    float sf = 0;
    for (int k = 1000; k >= 1; k--) {
        double kd = D((double)k);
        s += D(1.0) / (kd * kd);
        sf += F(1.0f) / (F((float)k) * F((float)k));
    }
    hp_record_state(0xc0020001);
    show_d("sum 1/k^2 (double)", s);
    show_f("sum 1/k^2 (float)", sf);
    return hp_done("float");
}
