/* varargs: <stdarg.h> in callees (va_arg of every promoted type, va_copy, va_list passed on) and hp_printf's
 * conversions, widths and padding. */
#include "hp.h"

static long long sum_ints(int n, ...)
{
    va_list ap;
    long long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        s += va_arg(ap, int);
    }
    va_end(ap);
    return s;
}

/* Types by letter: i int, l long long, u unsigned, d double, s string, c char (promoted to int). */
static uint64_t mix(const char *types, ...)
{
    va_list ap, again;
    uint64_t h = 1469598103934665603ULL;
    va_start(ap, types);
    va_copy(again, ap);
    for (const char *t = types; *t; t++) {
        uint64_t v = 0;
        switch (*t) {
        case 'i': v = (uint64_t)(int64_t)va_arg(ap, int); break;
        case 'l': v = (uint64_t)va_arg(ap, long long); break;
        case 'u': v = va_arg(ap, unsigned); break;
        case 'd': v = hp_f64_bits(va_arg(ap, double)); break;
        case 's': v = strlen(va_arg(ap, const char *)); break;
        case 'c': v = (uint64_t)va_arg(ap, int); break;
        }
        h = (h ^ v) * 1099511628211ULL;
    }
    va_end(ap);
    /* The copy walks the same arguments: the first one again. */
    uint64_t first = 0;
    if (types[0] == 'i') {
        first = (uint64_t)(int64_t)va_arg(again, int);
    } else if (types[0] == 'l') {
        first = (uint64_t)va_arg(again, long long);
    }
    va_end(again);
    return h ^ first;
}

static int vsum(int n, va_list ap)
{
    int s = 0;
    while (n--) {
        s += va_arg(ap, int);
    }
    return s;
}

static int forward(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = vsum(n, ap);
    va_end(ap);
    return s;
}

static double avg(int n, ...)
{
    va_list ap;
    double s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        s += va_arg(ap, double);
    }
    va_end(ap);
    return s / n;
}

int main(void)
{
    hp_printf("varargs: stdarg and hp_printf\n");

    CHECK_EQ(sum_ints(0), 0);
    CHECK_EQ(sum_ints(3, 1, 2, 3), 6);
    CHECK_EQ(sum_ints(12, 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12), -6);
    CHECK_EQ(sum_ints(2, 2147483647, 2147483647), 4294967294LL);
    CHECK_EQ(forward(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 55);
    CHECK_EQ(hp_f64_bits(avg(4, 1.0, 2.0, 3.0, 4.5)), hp_f64_bits(2.625));

    uint64_t h = mix("ilucdsilucds", -5, -6LL, 7u, 'A', 0.5, "four", 123456, 0x123456789abcdefLL, 0xffffffffu,
                     'z', -1e300, "");
    hp_printf("mix: %016llx\n", (unsigned long long)h);
    CHECK_EQ(h, 0xa57a6456f9038685ULL);

    hp_printf("d: [%d] [%d] [%i] [%5d] [%-5d] [%05d] [%05d]\n", 0, -1, 2147483647, 42, 42, 42, -42);
    hp_printf("u: [%u] [%lu] [%llu]\n", 4294967295u, 18446744073709551615UL, 18446744073709551615ULL);
    hp_printf("ld: [%ld] [%lld] [%lld]\n", -9223372036854775807L - 1, 9223372036854775807LL, -1LL);
    hp_printf("x: [%x] [%X] [%08x] [%lx] [%llx] [%16llx]\n", 0xdeadbeefu, 0xdeadbeefu, 0xbeefu, 0x1UL,
              0x0123456789abcdefULL, 0xabcULL);
    hp_printf("s: [%s] [%8s] [%-8s] [%s]\n", "abc", "right", "left", "");
    hp_printf("c: [%c%c%c] [%3c] [%%] [%p]\n", 'h', 'p', '!', 'x', (void *)0x1000);

    int n = hp_printf("%s=%d\n", "count", 12345);
    CHECK_EQ(n, 12);
    return hp_done("varargs");
}
