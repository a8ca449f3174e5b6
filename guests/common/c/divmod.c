/* divmod: division and remainder by constants (the compiler turns these into multiply-and-shift sequences) must
 * agree with division by the same divisors as run-time values (hardware divide), signed and unsigned, 32 and 64
 * bits, over a set of edge and pseudo-random dividends. */
#include "hp.h"

static uint64_t rng_state = 0x0123456789abcdefULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#define U32_CASES(X) X(1) X(2) X(3) X(5) X(7) X(10) X(13) X(60) X(100) X(641) X(1000) X(65535) X(65536) \
    X(1000000007u) X(0x7fffffffu) X(0x80000000u) X(0xfffffffeu) X(0xffffffffu)
#define S32_CASES(X) X(1) X(2) X(3) X(-3) X(5) X(7) X(-7) X(10) X(-10) X(60) X(1000) X(-1000) X(65536) \
    X(1000000007) X(INT32_MAX) X(INT32_MIN)
#define U64_CASES(X) X(1ULL) X(3ULL) X(7ULL) X(10ULL) X(1000ULL) X(1000000007ULL) X(0x100000000ULL) \
    X(10000000000000000000ULL) X(0x7fffffffffffffffULL) X(0xffffffffffffffffULL)
#define S64_CASES(X) X(1LL) X(3LL) X(-3LL) X(7LL) X(10LL) X(-10LL) X(1000000007LL) X(-4294967296LL) \
    X(INT64_MAX) X(INT64_MIN)

static uint64_t checked;
static uint64_t digest = 1469598103934665603ULL;

static void fold(uint64_t v)
{
    digest = (digest ^ v) * 1099511628211ULL;
    checked++;
}

static void u32_one(uint32_t x)
{
#define X(d) { uint32_t v = hp_u32(d); CHECK_EQ(x / (d), x / v); CHECK_EQ(x % (d), x % v); fold(x / (d)); \
        fold(x % (d)); }
    U32_CASES(X)
#undef X
}

static void s32_one(int32_t x)
{
    /* x / -1 with x = INT32_MIN overflows: skip that pair. */
#define X(d) if (!(x == INT32_MIN && (int64_t)(d) == -1)) { int32_t v = hp_i32(d); CHECK_EQ(x / (d), x / v); \
        CHECK_EQ(x % (d), x % v); fold((uint64_t)(int64_t)(x / (d))); fold((uint64_t)(int64_t)(x % (d))); }
    S32_CASES(X)
#undef X
}

static void u64_one(uint64_t x)
{
#define X(d) { uint64_t v = hp_u64(d); CHECK_EQ(x / (d), x / v); CHECK_EQ(x % (d), x % v); fold(x / (d)); \
        fold(x % (d)); }
    U64_CASES(X)
#undef X
}

static void s64_one(int64_t x)
{
#define X(d) if (!(x == INT64_MIN && (d) == -1)) { int64_t v = hp_i64(d); CHECK_EQ(x / (d), x / v); \
        CHECK_EQ(x % (d), x % v); fold((uint64_t)(x / (d))); fold((uint64_t)(x % (d))); }
    S64_CASES(X)
#undef X
}

int main(void)
{
    static const uint64_t edges[] = {
        0, 1, 2, 3, 9, 10, 99, 100, 999, 1000, 0x7ffe, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
        0x80000001, 0xfffffffe, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
        0x8000000000000001ULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
    };
    hp_printf("divmod: division by constants vs by variables\n");
    for (unsigned i = 0; i < sizeof edges / sizeof edges[0] + 40; i++) {
        uint64_t x = hp_u64(i < sizeof edges / sizeof edges[0] ? edges[i] : rng());
        u32_one((uint32_t)x);
        s32_one((int32_t)(uint32_t)x);
        u64_one(x);
        s64_one((int64_t)x);
        /* negated too, to reach negative dividends from the small edges */
        s32_one((int32_t)(0u - (uint32_t)x));
        s64_one((int64_t)(0ULL - x));
    }
    hp_printf("quotient/remainder pairs: %llu\n", (unsigned long long)checked / 2);
    hp_printf("digest: %016llx\n", (unsigned long long)digest);

    /* a few by hand */
    CHECK_EQ(hp_u32(1000000) / 7u, 142857);
    CHECK_EQ(hp_i32(-1000000) / 7, -142857);
    CHECK_EQ(hp_i32(-1000000) % 7, -1);
    CHECK_EQ(hp_u64(0xffffffffffffffffULL) / 10u, 1844674407370955161ULL);
    CHECK_EQ(hp_i64(INT64_MIN) / 10, -922337203685477580LL);
    CHECK_EQ(hp_i64(INT64_MIN) % 10, -8);
    hp_printf("-1000000 / 7 = %d rem %d\n", (int)(hp_i32(-1000000) / 7), (int)(hp_i32(-1000000) % 7));
    return hp_done("divmod");
}
