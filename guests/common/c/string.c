/* string: hplib's memcpy/memmove/memset/memcmp/strlen/strcmp and a few string routines written here, against
 * expected values, including overlapping memmove in both directions and unaligned starts and lengths. */
#include "hp.h"

static char *my_strcpy(char *d, const char *s) { char *r = d; while ((*d++ = *s++) != 0) {} return r; }
static char *my_strcat(char *d, const char *s) { my_strcpy(d + strlen(d), s); return d; }
static const char *my_strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c) {
            return s;
        }
        if (!*s) {
            return 0;
        }
    }
}
static void my_reverse(char *s) { for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) { char t = s[i]; s[i] = s[j - 1]; s[j - 1] = t; } }
static char *my_utoa(uint64_t v, char *buf, unsigned base)
{
    char *p = buf;
    do { *p++ = "0123456789abcdefghijklmnopqrstuvwxyz"[v % base]; v /= base; } while (v);
    *p = 0;
    my_reverse(buf);
    return buf;
}

static uint32_t sum_bytes(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        s = s * 31 + p[i];
    }
    return s;
}

static unsigned char buf[256], ref[256];

static void fill(void)
{
    for (int i = 0; i < 256; i++) {
        buf[i] = ref[i] = (unsigned char)(i * 7 + 3);
    }
}

int main(void)
{
    hp_printf("string: memory and string routines\n");

    /* memmove forward overlap (dst > src) and backward overlap (dst < src), many offsets and lengths */
    uint32_t digest = 0;
    for (size_t src = 0; src < 9; src++) {
        for (size_t dst = 0; dst < 9; dst++) {
            for (size_t n = 0; n < 70; n += 3) {
                fill();
                memmove(buf + 64 + dst, buf + 64 + src, hp_u32((uint32_t)n));
                /* expected: a copy through a temporary */
                unsigned char tmp[80];
                for (size_t i = 0; i < n; i++) tmp[i] = ref[64 + src + i];
                for (size_t i = 0; i < n; i++) ref[64 + dst + i] = tmp[i];
                CHECK(memcmp(buf, ref, sizeof buf) == 0);
                digest = digest * 33 + sum_bytes(buf, sizeof buf);
            }
        }
    }
    hp_printf("memmove digest: %08x\n", digest);

    fill();
    CHECK(memcpy(buf + 1, ref + 100, 13) == buf + 1);
    CHECK(memcmp(buf + 1, ref + 100, 13) == 0);
    CHECK_EQ(buf[0], ref[0]);
    CHECK_EQ(buf[14], ref[14]);
    fill();
    CHECK(memset(buf + 3, 0xa5, 17) == buf + 3);
    CHECK_EQ(buf[2], ref[2]);
    CHECK_EQ(buf[3], 0xa5);
    CHECK_EQ(buf[19], 0xa5);
    CHECK_EQ(buf[20], ref[20]);
    memset(buf, 0x1ff, 4); /* the value is converted to unsigned char */
    CHECK_EQ(buf[0], 0xff);

    static const unsigned char lo[] = {1, 2, 3, 0x7f}, hi[] = {1, 2, 3, 0x80};
    CHECK(memcmp(lo, hi, 4) < 0);
    CHECK(memcmp(hi, lo, 4) > 0);
    CHECK(memcmp(lo, hi, 3) == 0);
    CHECK(memcmp(lo, hi, 0) == 0);

    CHECK_EQ(strlen(""), 0);
    CHECK_EQ(strlen("hyperport"), 9);
    CHECK(strcmp("abc", "abc") == 0);
    CHECK(strcmp("abc", "abd") < 0);
    CHECK(strcmp("abc", "ab") > 0);
    CHECK(strcmp("", "a") < 0);
    CHECK(strcmp("\x80", "\x7f") > 0); /* compared as unsigned char */

    char s[64];
    my_strcpy(s, "hello");
    my_strcat(s, ", ");
    my_strcat(s, "world");
    CHECK(strcmp(s, "hello, world") == 0);
    CHECK_EQ(my_strchr(s, 'w') - s, 7);
    CHECK(my_strchr(s, 'z') == 0);
    CHECK(my_strchr(s, 0) == s + 12);
    my_reverse(s);
    CHECK(strcmp(s, "dlrow ,olleh") == 0);
    hp_printf("reversed: %s\n", s);

    char num[72];
    CHECK(strcmp(my_utoa(hp_u64(0), num, 10), "0") == 0);
    CHECK(strcmp(my_utoa(hp_u64(~0ULL), num, 10), "18446744073709551615") == 0);
    CHECK(strcmp(my_utoa(hp_u64(~0ULL), num, 2),
                 "1111111111111111111111111111111111111111111111111111111111111111") == 0);
    CHECK(strcmp(my_utoa(hp_u64(0xdeadbeefULL), num, 16), "deadbeef") == 0);
    hp_printf("base36(2^64-1) = %s\n", my_utoa(hp_u64(~0ULL), num, 36));
    return hp_done("string");
}
