/* overflow: __builtin_{add,sub,mul}_overflow on signed and unsigned 32- and 64-bit edge values: the wrapped result
 * and the overflow flag. */
#include "hp.h"

static int fails_before;
static unsigned flagbits;
static int nflags;

static void note(int overflowed)
{
    flagbits = (flagbits << 1) | (overflowed ? 1u : 0u);
    nflags++;
}

#define OV(op, T, a, b, want_res, want_ov) do { \
        T r_; int o_ = op((T)(a), (T)(b), &r_); \
        CHECK_EQ(o_, want_ov); CHECK_EQ(r_, (T)(want_res)); note(o_); \
    } while (0)

int main(void)
{
    hp_printf("overflow: __builtin_*_overflow\n");
    fails_before = hp_failures();

    int32_t imax = hp_i32(INT32_MAX), imin = hp_i32(INT32_MIN);
    OV(__builtin_add_overflow, int32_t, imax, hp_i32(1), INT32_MIN, 1);
    OV(__builtin_add_overflow, int32_t, imax, hp_i32(0), INT32_MAX, 0);
    OV(__builtin_add_overflow, int32_t, imin, hp_i32(-1), INT32_MAX, 1);
    OV(__builtin_add_overflow, int32_t, imin, imax, -1, 0);
    OV(__builtin_sub_overflow, int32_t, imin, hp_i32(1), INT32_MAX, 1);
    OV(__builtin_sub_overflow, int32_t, hp_i32(0), imin, INT32_MIN, 1);
    OV(__builtin_sub_overflow, int32_t, hp_i32(-1), imin, INT32_MAX, 0);
    OV(__builtin_mul_overflow, int32_t, hp_i32(65536), hp_i32(32768), INT32_MIN, 1);
    OV(__builtin_mul_overflow, int32_t, hp_i32(-65536), hp_i32(32768), INT32_MIN, 0);
    OV(__builtin_mul_overflow, int32_t, imin, hp_i32(-1), INT32_MIN, 1);
    OV(__builtin_mul_overflow, int32_t, hp_i32(46341), hp_i32(46341), -2147479015, 1);
    OV(__builtin_mul_overflow, int32_t, hp_i32(46340), hp_i32(46340), 2147395600, 0);

    uint32_t umax = hp_u32(0xffffffffu);
    OV(__builtin_add_overflow, uint32_t, umax, hp_u32(1), 0, 1);
    OV(__builtin_add_overflow, uint32_t, umax, hp_u32(0), 0xffffffffu, 0);
    OV(__builtin_sub_overflow, uint32_t, hp_u32(0), hp_u32(1), 0xffffffffu, 1);
    OV(__builtin_sub_overflow, uint32_t, hp_u32(5), hp_u32(5), 0, 0);
    OV(__builtin_mul_overflow, uint32_t, hp_u32(0x10000), hp_u32(0x10000), 0, 1);
    OV(__builtin_mul_overflow, uint32_t, hp_u32(0xffff), hp_u32(0x10001), 0xffffffffu, 0);

    int64_t lmax = hp_i64(INT64_MAX), lmin = hp_i64(INT64_MIN);
    OV(__builtin_add_overflow, int64_t, lmax, hp_i64(1), INT64_MIN, 1);
    OV(__builtin_add_overflow, int64_t, lmin, hp_i64(-1), INT64_MAX, 1);
    OV(__builtin_add_overflow, int64_t, lmin, lmax, -1, 0);
    OV(__builtin_sub_overflow, int64_t, lmin, hp_i64(1), INT64_MAX, 1);
    OV(__builtin_sub_overflow, int64_t, lmax, hp_i64(-1), INT64_MIN, 1);
    OV(__builtin_sub_overflow, int64_t, hp_i64(-1), lmin, INT64_MAX, 0);
    OV(__builtin_mul_overflow, int64_t, hp_i64(0x100000000LL), hp_i64(0x80000000LL), INT64_MIN, 1);
    OV(__builtin_mul_overflow, int64_t, hp_i64(-0x100000000LL), hp_i64(0x80000000LL), INT64_MIN, 0);
    OV(__builtin_mul_overflow, int64_t, lmin, hp_i64(-1), INT64_MIN, 1);
    OV(__builtin_mul_overflow, int64_t, hp_i64(3037000500LL), hp_i64(3037000500LL), -9223372036709301616LL, 1);
    OV(__builtin_mul_overflow, int64_t, hp_i64(3037000499LL), hp_i64(-3037000499LL), -9223372030926249001LL, 0);

    uint64_t wmax = hp_u64(~0ULL);
    OV(__builtin_add_overflow, uint64_t, wmax, hp_u64(1), 0, 1);
    OV(__builtin_add_overflow, uint64_t, wmax, hp_u64(0), ~0ULL, 0);
    OV(__builtin_sub_overflow, uint64_t, hp_u64(0), hp_u64(1), ~0ULL, 1);
    OV(__builtin_mul_overflow, uint64_t, hp_u64(0x100000000ULL), hp_u64(0x100000000ULL), 0, 1);
    OV(__builtin_mul_overflow, uint64_t, hp_u64(0xffffffffULL), hp_u64(0x100000001ULL), ~0ULL, 0);
    OV(__builtin_mul_overflow, uint64_t, wmax, wmax, 1, 1);

    /* mixed types: the result type decides */
    int32_t r32;
    CHECK_EQ(__builtin_add_overflow(hp_i64(INT32_MAX), hp_i64(1), &r32), 1);
    CHECK_EQ(__builtin_add_overflow(hp_u32(0xffffffffu), hp_i32(-1), &r32), 1); /* 4294967294 */
    CHECK_EQ(r32, -2);
    uint32_t ru;
    CHECK_EQ(__builtin_sub_overflow(hp_i32(1), hp_i32(2), &ru), 1);
    CHECK_EQ(ru, 0xffffffffu);

    hp_printf("cases: %d, overflow pattern: %08x\n", nflags, flagbits);
    hp_printf("fails: %d\n", hp_failures() - fails_before);
    return hp_done("overflow");
}
