/*
 * hplib.c: the architecture-neutral half of the guest test ABI (see hp.h). Freestanding C11; output depends only
 * on hp_putchar.
 */
#include "hp.h"

/* ---- memory and strings ---- */

/* Built with -fno-tree-loop-distribute-patterns (the loops below must not become calls to themselves). */
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) {
        return dst;
    }
    if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
        while (n--) {
            *d++ = *s++;
        }
    } else {
        d += n;
        s += n;
        while (n--) {
            *--d = *--s;
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y) {
            return *x < *y ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return *x < *y ? -1 : *x > *y ? 1 : 0;
}

/* ---- formatted output ---- */

static int out_count;

static void out(int c)
{
    hp_putchar(c);
    out_count++;
}

void hp_puts(const char *s)
{
    while (*s) {
        out((unsigned char)*s++);
    }
}

/* Formats v in base 10 or 16 into the end of buf; returns the first digit. */
static char *digits(char *end, unsigned long long v, unsigned base, int upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    *end = 0;
    do {
        *--end = set[v % base];
        v /= base;
    } while (v);
    return end;
}

static void pad(int n, int c)
{
    while (n-- > 0) {
        out(c);
    }
}

static void field(const char *sign, const char *body, int width, int zero, int left)
{
    int len = (int)strlen(sign) + (int)strlen(body);
    if (left) {
        hp_puts(sign);
        hp_puts(body);
        pad(width - len, ' ');
    } else if (zero) {
        hp_puts(sign);
        pad(width - len, '0');
        hp_puts(body);
    } else {
        pad(width - len, ' ');
        hp_puts(sign);
        hp_puts(body);
    }
}

int hp_vprintf(const char *fmt, va_list ap)
{
    char buf[24];
    out_count = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out((unsigned char)*fmt);
            continue;
        }
        fmt++;
        int zero = 0, left = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') {
                zero = 1;
            } else if (*fmt == '-') {
                left = 1;
            } else {
                break;
            }
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            lng += *fmt == 'z' ? 2 : 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            field(v < 0 ? "-" : "", digits(buf + sizeof buf - 1, m, 10, 0), width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                 : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            field("", digits(buf + sizeof buf - 1, v, *fmt == 'u' ? 10 : 16, *fmt == 'X'), width, zero, left);
            break;
        }
        case 'p':
            field("0x", digits(buf + sizeof buf - 1, (uintptr_t)va_arg(ap, void *), 16, 0), width, zero, left);
            break;
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            buf[1] = 0;
            field("", buf, width, 0, left);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            field("", s ? s : "(null)", width, 0, left);
            break;
        }
        case '%':
            out('%');
            break;
        case 0:
            return out_count;
        default:
            out('%');
            out((unsigned char)*fmt);
            break;
        }
    }
    return out_count;
}

int hp_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = hp_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* ---- checks ---- */

static int failures;

void hp_check(int ok, const char *file, int line, const char *expr)
{
    if (!ok) {
        failures++;
        hp_printf("FAIL: %s:%d %s\n", file, line, expr);
    }
}

void hp_check_eq(uint64_t got, uint64_t expected, const char *file, int line, const char *expr)
{
    if (got != expected) {
        failures++;
        hp_printf("FAIL: %s:%d %s: got 0x%llx expected 0x%llx\n", file, line, expr, (unsigned long long)got,
                  (unsigned long long)expected);
    }
}

int hp_failures(void)
{
    return failures;
}

int hp_done(const char *name)
{
    if (failures == 0) {
        hp_printf("PASS %s\n", name);
        return 0;
    }
    hp_printf("FAIL %s (%d failures)\n", name, failures);
    return 1;
}

/* ---- opaque values ---- */

uint64_t hp_u64(uint64_t x) { return x; }
int64_t hp_i64(int64_t x) { return x; }
uint32_t hp_u32(uint32_t x) { return x; }
int32_t hp_i32(int32_t x) { return x; }
double hp_f64(double x) { return x; }
float hp_f32(float x) { return x; }

uint64_t hp_f64_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

uint32_t hp_f32_bits(float x)
{
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

double hp_f64_from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

float hp_f32_from_bits(uint32_t b)
{
    float x;
    memcpy(&x, &b, sizeof x);
    return x;
}
