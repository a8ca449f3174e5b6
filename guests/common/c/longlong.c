/* longlong: 64-bit (long long) arithmetic as compilers lower it: add/sub carries across 32-bit halves,
 * 32x32->64 products, shifts by 0-63 and across the halves, comparisons of signed against unsigned, widening and
 * narrowing conversions, and a 64-bit LCG. */
#include "hp.h"

int main(void)
{
    hp_printf("longlong: 64-bit integer arithmetic\n");

    long long a = hp_i64(0x00000000ffffffffLL), b = hp_i64(1);
    CHECK_EQ(a + b, 0x100000000LL);
    CHECK_EQ(hp_i64(0x100000000LL) - b, 0xffffffffLL);
    CHECK_EQ(hp_i64(-0x100000000LL) + hp_i64(0xffffffffLL), -1);
    unsigned long long ua = hp_u64(0xffffffffULL);
    CHECK_EQ(ua * ua, 0xfffffffe00000001ULL);
    CHECK_EQ((unsigned long long)hp_u32(0xffffffffu) * hp_u32(0xffffffffu), 0xfffffffe00000001ULL);
    CHECK_EQ((long long)hp_i32(-2147483647 - 1) * hp_i32(-2147483647 - 1), 0x4000000000000000LL);
    CHECK_EQ(hp_i32(-3) * hp_u32(5u), 0xfffffff1u);            /* int * unsigned int is unsigned int */
    CHECK_EQ((long long)hp_i32(-3) * hp_u32(5u), -15);         /* long long holds every unsigned int: signed */

    unsigned long long one = hp_u64(1);
    for (int s = 0; s < 64; s++) {
        int v = hp_i32(s);
        CHECK_EQ((one << v) >> v, 1);
        CHECK_EQ(__builtin_ctzll(one << v), s);
        CHECK_EQ((long long)(hp_u64(0x8000000000000000ULL) >> v) > 0, s > 0);
    }
    CHECK_EQ(hp_u64(0x123456789abcdef0ULL) >> 28, 0x123456789ULL);
    CHECK_EQ(hp_u64(0x123456789abcdef0ULL) << 36, 0xabcdef0000000000ULL);
    CHECK_EQ(hp_i64(-0x123456789abcdef0LL) >> 36, -0x1234568LL);

    /* comparisons: the usual arithmetic conversions */
    CHECK(hp_i64(-1) < hp_i64(1));
    CHECK((unsigned long long)hp_i64(-1) > hp_u64(1));
    CHECK(hp_i64(-1) < (long long)hp_u32(1)); /* unsigned int converts to long long: stays 1 */
    CHECK(hp_i32(-1) < (long long)hp_u32(0));
    CHECK(hp_i64(0x100000000LL) > hp_i64(0xffffffffLL));
    CHECK(hp_i64(-0x100000000LL) < hp_i64(-0xffffffffLL));
    CHECK(hp_u64(0x100000000ULL) > hp_u64(0xffffffffULL));

    /* widening and narrowing */
    CHECK_EQ((long long)hp_i32(-5), -5);
    CHECK_EQ((unsigned long long)hp_i32(-5), 0xfffffffffffffffbULL);
    CHECK_EQ((unsigned long long)hp_u32(0xfffffffbu), 0xfffffffbULL);
    CHECK_EQ((int)(long long)hp_i64(0x1234567887654321LL), (int)0x87654321u);
    CHECK_EQ((unsigned short)hp_u64(0x12345678abcdULL), 0xabcd);
    CHECK_EQ((signed char)(unsigned char)hp_u64(0x1ff80ULL), -128);

    /* 64-bit multiplication, division and modulo on a running value */
    unsigned long long x = hp_u64(88172645463325252ULL), sum = 0;
    long long sx = 0;
    for (int i = 0; i < 500; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned long long d = (x >> 33) | 1;
        sum += x / d + x % d;
        sx += (long long)x / (long long)(d | 0x100) - (long long)x % 1000003LL;
        sum ^= (x << (i % 64)) | (x >> ((64 - i % 64) % 64));
    }
    hp_record_state(0xc0030001);
    hp_printf("lcg: x %016llx sum %016llx sx %lld\n", x, sum, sx);
    CHECK_EQ(x, 0xb429fa7c6ea4a5e8ULL);

    long long big = hp_i64(9223372036854775807LL);
    hp_printf("INT64_MAX = %lld, /7 = %lld, %%7 = %lld, *(-1) = %lld\n", big, big / hp_i64(7), big % hp_i64(7),
              big * hp_i64(-1));
    unsigned long long ubig = hp_u64(~0ULL);
    hp_printf("UINT64_MAX = %llu = 0x%llx, >>1 = %llu\n", ubig, ubig, ubig >> 1);
    return hp_done("longlong");
}
