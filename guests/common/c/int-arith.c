/* int-arith: 32- and 64-bit integer arithmetic on edge values (operands opaque to the compiler). Signed overflow
 * and INT_MIN / -1 are undefined in C and are not exercised; unsigned wrap-around is. */
#include "hp.h"

/* High 64 bits of a 64x64 product, from 32-bit halves. */
static uint64_t mulhi_u64(uint64_t a, uint64_t b)
{
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

int main(void)
{
    hp_printf("int-arith: integer arithmetic on edge values\n");

    /* unsigned 32-bit wrap */
    uint32_t u32max = hp_u32(0xffffffffu), u1 = hp_u32(1), u0 = hp_u32(0);
    CHECK_EQ((uint32_t)(u32max + u1), 0);
    CHECK_EQ((uint32_t)(u0 - u1), 0xffffffffu);
    CHECK_EQ((uint32_t)(u32max * u32max), 1);
    CHECK_EQ((uint32_t)(hp_u32(0x80000000u) * 2u), 0);
    CHECK_EQ((uint32_t)(hp_u32(0x10001u) * hp_u32(0x10001u)), 0x20001u);
    CHECK_EQ(u32max / hp_u32(3), 0x55555555u);
    CHECK_EQ(u32max % hp_u32(10), 5);
    CHECK_EQ(hp_u32(0x80000000u) / hp_u32(0xffffffffu), 0);
    CHECK_EQ(hp_u32(0xfffffffeu) % hp_u32(0xffffffffu), 0xfffffffeu);

    /* unsigned 64-bit wrap */
    uint64_t u64max = hp_u64(~0ULL), w1 = hp_u64(1), w0 = hp_u64(0);
    CHECK_EQ(u64max + w1, 0);
    CHECK_EQ(w0 - w1, ~0ULL);
    CHECK_EQ(u64max * u64max, 1);
    CHECK_EQ(hp_u64(0x100000001ULL) * hp_u64(0x100000001ULL), 0x200000001ULL);
    CHECK_EQ(hp_u64(0xfedcba9876543210ULL) * hp_u64(0x0123456789abcdefULL), 0x2236d88fe5618cf0ULL);
    CHECK_EQ(mulhi_u64(hp_u64(0xfedcba9876543210ULL), hp_u64(0x0123456789abcdefULL)), 0x0121fa00ad77d742ULL);
    CHECK_EQ(mulhi_u64(u64max, u64max), 0xfffffffffffffffeULL);
    CHECK_EQ(u64max / hp_u64(0xffffffffULL), 0x100000001ULL);
    CHECK_EQ(u64max % hp_u64(1000000007ULL), 582344007ULL);
    CHECK_EQ(hp_u64(0x8000000000000000ULL) / hp_u64(3), 0x2aaaaaaaaaaaaaaaULL);
    CHECK_EQ(hp_u64(0x8000000000000000ULL) % hp_u64(3), 2);
    CHECK_EQ(hp_u64(12345678901234567890ULL) / hp_u64(10000000000ULL), 1234567890ULL);
    CHECK_EQ(hp_u64(12345678901234567890ULL) % hp_u64(10000000000ULL), 1234567890ULL);

    /* signed: truncation toward zero, remainder has the dividend's sign */
    int32_t s7 = hp_i32(7), m7 = hp_i32(-7), s2 = hp_i32(2), m2 = hp_i32(-2);
    CHECK_EQ(m7 / s2, -3);
    CHECK_EQ(m7 % s2, -1);
    CHECK_EQ(s7 / m2, -3);
    CHECK_EQ(s7 % m2, 1);
    CHECK_EQ(m7 / m2, 3);
    CHECK_EQ(m7 % m2, -1);
    int32_t imin = hp_i32(INT32_MIN), imax = hp_i32(INT32_MAX);
    CHECK_EQ(imin / hp_i32(1), INT32_MIN);
    CHECK_EQ(imin / hp_i32(2), -1073741824);
    CHECK_EQ(imin / hp_i32(-2), 1073741824);
    CHECK_EQ(imin % hp_i32(3), -2);
    CHECK_EQ(imax / hp_i32(-1), -INT32_MAX);
    CHECK_EQ((int64_t)imin * imin, 0x4000000000000000LL);
    CHECK_EQ((int64_t)imin * imax, -0x3fffffff80000000LL);

    int64_t lmin = hp_i64(INT64_MIN), lmax = hp_i64(INT64_MAX);
    CHECK_EQ(lmin / hp_i64(2), -0x4000000000000000LL);
    CHECK_EQ(lmin % hp_i64(10), -8);
    CHECK_EQ(lmax / hp_i64(-10), -922337203685477580LL);
    CHECK_EQ(lmax % hp_i64(-10), 7);
    CHECK_EQ(lmin / lmax, -1);
    CHECK_EQ(lmin % lmax, -1);
    CHECK_EQ(hp_i64(-1) * hp_i64(INT64_MAX), -INT64_MAX);
    CHECK_EQ(hp_i64(-3037000499LL) * hp_i64(3037000499LL), -9223372030926249001LL);

    /* mixed signed/unsigned conversions */
    CHECK_EQ((uint32_t)hp_i32(-1), 0xffffffffu);
    CHECK_EQ((uint64_t)hp_i32(-1), ~0ULL);
    CHECK_EQ((uint64_t)(uint32_t)hp_i32(-1), 0xffffffffULL);
    CHECK_EQ((int32_t)(int16_t)hp_u32(0x8000u), -32768);
    CHECK_EQ((int32_t)(int8_t)hp_u32(0x1ffu), -1);
    CHECK_EQ((uint32_t)(uint8_t)hp_i32(-1), 255);
    CHECK(hp_i32(-1) < hp_i32(0));
    CHECK((uint32_t)hp_i32(-1) > hp_u32(0));

    /* A running mix of everything, printed so every engine shows the same value. */
    uint64_t acc = 0x9e3779b97f4a7c15ULL;
    for (int i = 1; i <= 200; i++) {
        uint64_t x = hp_u64(acc * (uint64_t)i + 0x632be59bd9b4e019ULL);
        acc ^= x / (uint64_t)(i | 1);
        acc += (uint64_t)((int64_t)x >> 7) % 0x7fffffffULL;
        acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
        acc -= (uint64_t)(uint32_t)((int32_t)(x >> 16) / (int32_t)(i + 3));
    }
    hp_record_state(0xc0010001);
    hp_printf("mix: %016llx\n", (unsigned long long)acc);
    hp_printf("u64max/3 = %llu, u64max%%7 = %llu\n", (unsigned long long)(u64max / hp_u64(3)),
              (unsigned long long)(u64max % hp_u64(7)));
    hp_printf("INT64_MIN/3 = %lld, INT64_MIN%%3 = %lld\n", (long long)(lmin / hp_i64(3)),
              (long long)(lmin % hp_i64(3)));
    return hp_done("int-arith");
}
