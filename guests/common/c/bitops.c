/* bitops: shifts (logical, arithmetic on negative values as GCC defines it), rotates written in C, and the bit
 * builtins: popcount, clz, ctz, ffs, parity, bswap. */
#include "hp.h"

static uint32_t rotl32(uint32_t x, unsigned n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }
static uint32_t rotr32(uint32_t x, unsigned n) { n &= 31; return n ? (x >> n) | (x << (32 - n)) : x; }
static uint64_t rotl64(uint64_t x, unsigned n) { n &= 63; return n ? (x << n) | (x >> (64 - n)) : x; }
static uint64_t rotr64(uint64_t x, unsigned n) { n &= 63; return n ? (x >> n) | (x << (64 - n)) : x; }

/* Reference implementations by loops. */
static int ref_popcount(uint64_t x) { int n = 0; for (; x; x >>= 1) n += (int)(x & 1); return n; }
static int ref_clz64(uint64_t x) { int n = 0; for (uint64_t m = 1ULL << 63; m && !(x & m); m >>= 1) n++; return n; }
static int ref_ctz64(uint64_t x) { int n = 0; for (; n < 64 && !(x & 1); x >>= 1) n++; return n; }
static uint64_t ref_bswap64(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) {
        r = (r << 8) | ((x >> (8 * i)) & 0xff);
    }
    return r;
}

int main(void)
{
    hp_printf("bitops: shifts, rotates, bit builtins\n");
    uint32_t a = hp_u32(0x80000001u);
    uint64_t b = hp_u64(0x8000000000000001ULL);

    for (unsigned n = 0; n < 32; n++) {
        unsigned v = hp_u32(n);
        CHECK_EQ(a << v, (uint32_t)(0x80000001ULL << n));
        CHECK_EQ(a >> v, (uint32_t)(0x80000001ULL >> n));
        CHECK_EQ(hp_i32(-256) >> v, (int32_t)(n >= 8 ? -1 : -(256 >> n)));
        CHECK_EQ(rotr32(rotl32(a, v), v), a);
    }
    for (unsigned n = 0; n < 64; n++) {
        unsigned v = hp_u32(n);
        CHECK_EQ(b << v, n ? 1ULL << n : b);
        CHECK_EQ(b >> v, n ? (1ULL << (63 - n)) : b);
        CHECK_EQ(hp_i64(INT64_MIN) >> v, (int64_t)(~0ULL << (63 - n)));
        CHECK_EQ(rotr64(rotl64(b, v), v), b);
    }
    CHECK_EQ(rotl32(hp_u32(0x12345678u), 8), 0x34567812u);
    CHECK_EQ(rotr32(hp_u32(0x12345678u), 4), 0x81234567u);
    CHECK_EQ(rotl64(hp_u64(0x0123456789abcdefULL), 20), 0x56789abcdef01234ULL);
    CHECK_EQ(rotr64(hp_u64(0x0123456789abcdefULL), 36), 0x789abcdef0123456ULL);
    CHECK_EQ(hp_i32(-7) >> 1, -4);
    CHECK_EQ(hp_i64(-1) >> 63, -1);

    CHECK_EQ(__builtin_popcount(hp_u32(0)), 0);
    CHECK_EQ(__builtin_popcount(hp_u32(0xffffffffu)), 32);
    CHECK_EQ(__builtin_popcount(hp_u32(0x80000001u)), 2);
    CHECK_EQ(__builtin_popcountll(hp_u64(~0ULL)), 64);
    CHECK_EQ(__builtin_popcountll(hp_u64(0x5555555555555555ULL)), 32);
    CHECK_EQ(__builtin_clz(hp_u32(1)), 31);
    CHECK_EQ(__builtin_clz(hp_u32(0x80000000u)), 0);
    CHECK_EQ(__builtin_clz(hp_u32(0x00010000u)), 15);
    CHECK_EQ(__builtin_clzll(hp_u64(1)), 63);
    CHECK_EQ(__builtin_clzll(hp_u64(0x0000000100000000ULL)), 31);
    CHECK_EQ(__builtin_ctz(hp_u32(0x80000000u)), 31);
    CHECK_EQ(__builtin_ctz(hp_u32(0x00010000u)), 16);
    CHECK_EQ(__builtin_ctzll(hp_u64(0x8000000000000000ULL)), 63);
    CHECK_EQ(__builtin_ctzll(hp_u64(0x0000000100000000ULL)), 32);
    CHECK_EQ(__builtin_ffs(hp_i32(0)), 0);
    CHECK_EQ(__builtin_ffs(hp_i32(8)), 4);
    CHECK_EQ(__builtin_ffsll(hp_i64(INT64_MIN)), 64);
    CHECK_EQ(__builtin_parity(hp_u32(7)), 1);
    CHECK_EQ(__builtin_parityll(hp_u64(0x8000000000000001ULL)), 0);
    CHECK_EQ(__builtin_bswap16((uint16_t)hp_u32(0x1234)), 0x3412);
    CHECK_EQ(__builtin_bswap32(hp_u32(0x12345678u)), 0x78563412u);
    CHECK_EQ(__builtin_bswap64(hp_u64(0x0123456789abcdefULL)), 0xefcdab8967452301ULL);

    /* against the loop references over a pseudo-random walk */
    uint64_t x = 0x243f6a8885a308d3ULL, sum = 0;
    for (int i = 0; i < 300; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t y = hp_u64(x >> (i % 64));
        CHECK_EQ(__builtin_popcountll(y), ref_popcount(y));
        if (y) {
            CHECK_EQ(__builtin_clzll(y), ref_clz64(y));
            CHECK_EQ(__builtin_ctzll(y), ref_ctz64(y));
        }
        CHECK_EQ(__builtin_bswap64(y), ref_bswap64(y));
        sum += (uint64_t)__builtin_popcountll(y) * 3 + (uint64_t)(y ? __builtin_clzll(y) : 64) * 5 +
               (uint64_t)(y ? __builtin_ctzll(y) : 64) * 7 + (__builtin_bswap64(y) >> 56);
    }
    hp_printf("walk sum: %llu\n", (unsigned long long)sum);
    hp_printf("popcount(0xdeadbeef)=%d clz(0xbeef)=%d ctz(0xbeef0)=%d bswap32(0xdeadbeef)=%08x\n",
              __builtin_popcount(hp_u32(0xdeadbeefu)), __builtin_clz(hp_u32(0xbeefu)),
              __builtin_ctz(hp_u32(0xbeef0u)), __builtin_bswap32(hp_u32(0xdeadbeefu)));
    return hp_done("bitops");
}
