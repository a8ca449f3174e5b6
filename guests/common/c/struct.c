/* struct: sizeof, alignment and offsetof with the expectations every LP64 ABI here shares (x86_64, ppc64,
 * s390x), struct copy and compound literals, unions (byte order detected, never assumed), and bit-fields
 * (values only: their placement in memory is implementation-defined). */
#include <stddef.h>
#include "hp.h"

struct pad1 { char c; int i; };
struct pad2 { char c; double d; char e; };
struct pad3 { short s; char c; };
struct nested { struct pad3 a; long long b; struct pad3 c[3]; };
struct flags {
    unsigned int a : 3;
    unsigned int b : 5;
    signed int s : 4;
    unsigned int wide : 20;
};
struct with_array { uint8_t n; uint32_t v[4]; uint16_t tail; };
union word {
    uint32_t u;
    unsigned char b[4];
    uint16_t h[2];
    float f;
};

static struct nested make(int k)
{
    struct nested n = {{(short)k, (char)('a' + k)}, (long long)k * 1000000000000LL,
                       {{1, 'x'}, {(short)(2 * k), 'y'}, {3, 'z'}}};
    return n;
}

int main(void)
{
    hp_printf("struct: layout, unions, bit-fields\n");

    CHECK_EQ(sizeof(char), 1);
    CHECK_EQ(sizeof(short), 2);
    CHECK_EQ(sizeof(int), 4);
    CHECK_EQ(sizeof(long), 8);
    CHECK_EQ(sizeof(long long), 8);
    CHECK_EQ(sizeof(void *), 8);
    CHECK_EQ(sizeof(size_t), 8);
    CHECK_EQ(sizeof(float), 4);
    CHECK_EQ(sizeof(double), 8);
    CHECK_EQ(_Alignof(double), 8);
    CHECK_EQ(_Alignof(long long), 8);
    CHECK_EQ(_Alignof(int), 4);
    CHECK_EQ(sizeof(struct pad1), 8);
    CHECK_EQ(offsetof(struct pad1, i), 4);
    CHECK_EQ(sizeof(struct pad2), 24);
    CHECK_EQ(offsetof(struct pad2, d), 8);
    CHECK_EQ(offsetof(struct pad2, e), 16);
    CHECK_EQ(sizeof(struct pad3), 4);
    CHECK_EQ(sizeof(struct nested), 32);
    CHECK_EQ(offsetof(struct nested, b), 8);
    CHECK_EQ(offsetof(struct nested, c[2].c), 26);
    CHECK_EQ(sizeof(struct flags), 4);
    CHECK_EQ(sizeof(struct with_array), 24);
    CHECK_EQ(offsetof(struct with_array, tail), 20);
    CHECK_EQ(sizeof(union word), 4);
    hp_printf("sizes: pad1 %d pad2 %d pad3 %d nested %d flags %d with_array %d union %d\n",
              (int)sizeof(struct pad1), (int)sizeof(struct pad2), (int)sizeof(struct pad3),
              (int)sizeof(struct nested), (int)sizeof(struct flags), (int)sizeof(struct with_array),
              (int)sizeof(union word));

    /* struct return, copy, compare member-wise */
    struct nested x = make(hp_i32(5)), y;
    y = x;
    CHECK_EQ(y.a.s, 5);
    CHECK_EQ(y.a.c, 'f');
    CHECK_EQ(y.b, 5000000000000LL);
    CHECK_EQ(y.c[1].s, 10);
    CHECK_EQ(y.c[2].c, 'z');
    y.c[1].s = 11;
    CHECK_EQ(x.c[1].s, 10);
    struct with_array w = (struct with_array){.n = 3, .v = {[2] = 0xdeadbeef}, .tail = 0xffff};
    CHECK_EQ(w.v[0], 0);
    CHECK_EQ(w.v[2], 0xdeadbeefu);
    CHECK_EQ(w.v[3], 0);
    CHECK_EQ(w.tail, 0xffff);
    struct with_array copy;
    memcpy(&copy, &w, sizeof w);
    CHECK_EQ(copy.v[2] + copy.n, 0xdeadbef2u);

    /* union: the bytes of 0x11223344 are in one of the two orders; both views agree with each other */
    union word u;
    u.u = hp_u32(0x11223344u);
    int little = u.b[0] == 0x44 && u.b[1] == 0x33 && u.b[2] == 0x22 && u.b[3] == 0x11;
    int big = u.b[0] == 0x11 && u.b[1] == 0x22 && u.b[2] == 0x33 && u.b[3] == 0x44;
    CHECK(little || big);
    CHECK_EQ(little ? u.h[0] : u.h[1], 0x3344);
    CHECK_EQ(little ? u.h[1] : u.h[0], 0x1122);
    u.f = hp_f32(1.0f);
    CHECK_EQ(u.u, 0x3f800000u);
    u.b[little ? 3 : 0] = 0xc0;
    CHECK_EQ(hp_f32_bits(u.f), 0xc0800000u);
    hp_printf("union: byte order %s\n", little || big ? "detected" : "unknown");

    /* bit-fields: truncation, sign of explicitly signed fields, independence */
    struct flags f = {0, 0, 0, 0};
    f.a = hp_u32(13);       /* 13 = 0b1101 -> 0b101 */
    f.b = hp_u32(31);
    f.s = hp_i32(7);
    f.wide = hp_u32(0xfffff);
    CHECK_EQ(f.a, 5);
    CHECK_EQ(f.b, 31);
    CHECK_EQ(f.s, 7);
    CHECK_EQ(f.wide, 0xfffff);
    f.b++;                  /* wraps to 0 */
    f.s = hp_i32(-8);
    CHECK_EQ(f.b, 0);
    CHECK_EQ(f.s, -8);
    CHECK_EQ(f.a, 5);
    CHECK_EQ(f.wide, 0xfffff);
    f.wide += 2;            /* wraps to 1 */
    CHECK_EQ(f.wide, 1);
    CHECK(f.s < 0);
    hp_printf("bit-fields: a %u b %u s %d wide %u\n", (unsigned)f.a, (unsigned)f.b, (int)f.s, (unsigned)f.wide);
    return hp_done("struct");
}
