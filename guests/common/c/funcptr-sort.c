/* funcptr-sort: calls through function pointers (tables, callbacks, pointers returned from functions) and a
 * generic sort written here (heap sort on bytes, plus a stable insertion sort), on ints, strings and structs. */
#include "hp.h"

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void sift(unsigned char *base, size_t start, size_t n, size_t size, cmp_fn cmp)
{
    size_t root = start;
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0) {
            child++;
        }
        if (cmp(base + root * size, base + child * size) >= 0) {
            return;
        }
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

static void heap_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *b = base;
    for (size_t i = n / 2; i-- > 0;) {
        sift(b, i, n, size, cmp);
    }
    for (size_t end = n; end > 1; end--) {
        swap_bytes(b, b + (end - 1) * size, size);
        sift(b, 0, end - 1, size, cmp);
    }
}

static void insertion_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *b = base;
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
            swap_bytes(b + (j - 1) * size, b + j * size, size);
        }
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

struct rec {
    uint16_t key;
    uint16_t seq;
    int32_t payload;
};
static int cmp_rec_key(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_max(int64_t a, int64_t b) { return a > b ? a : b; }
typedef int64_t (*binop)(int64_t, int64_t);
static binop pick(char c)
{
    switch (c) {
    case '+': return op_add;
    case '-': return op_sub;
    case '*': return op_mul;
    default: return op_max;
    }
}

static int is_sorted(const void *base, size_t n, size_t size, cmp_fn cmp)
{
    const unsigned char *b = base;
    for (size_t i = 1; i < n; i++) {
        if (cmp(b + (i - 1) * size, b + i * size) > 0) {
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    hp_printf("funcptr-sort: function pointers and a generic sort\n");

    static const binop table[4] = {op_add, op_sub, op_mul, op_max};
    int64_t acc = 1;
    const char *prog = "+*-+*m*-+m";
    for (int i = 0; prog[i]; i++) {
        acc = pick(prog[i])(acc, hp_i64(i + 2));
        acc = table[i % 4](acc, hp_i64(3));
    }
    hp_printf("dispatch: %lld\n", (long long)acc);
    CHECK(pick('+') == op_add);
    CHECK(pick('?') == table[3]);

    static int v[200];
    uint32_t x = 12345;
    for (int i = 0; i < 200; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = (int)((x >> 8) % 2001) - 1000;
    }
    heap_sort(v, 200, sizeof v[0], cmp_int);
    CHECK(is_sorted(v, 200, sizeof v[0], cmp_int));
    hp_printf("ints: min %d, median %d, max %d\n", v[0], v[100], v[199]);
    heap_sort(v, 200, sizeof v[0], cmp_int_desc);
    CHECK(is_sorted(v, 200, sizeof v[0], cmp_int_desc));
    CHECK_EQ(v[0], v[0] > v[199] ? v[0] : v[199]);

    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "apple", "cherry", "date", "elderberry",
                           "grape", "Zucchini", "", "apricot"};
    size_t nw = sizeof words / sizeof words[0];
    heap_sort(words, nw, sizeof words[0], cmp_str);
    CHECK(is_sorted(words, nw, sizeof words[0], cmp_str));
    hp_printf("words:");
    for (size_t i = 0; i < nw; i++) {
        hp_printf(" [%s]", words[i]);
    }
    hp_printf("\n");

    struct rec r[40];
    for (int i = 0; i < 40; i++) {
        r[i].key = (uint16_t)((i * 7) % 5);
        r[i].seq = (uint16_t)i;
        r[i].payload = -i;
    }
    insertion_sort(r, 40, sizeof r[0], cmp_rec_key);
    int stable = 1;
    for (int i = 1; i < 40; i++) {
        if (r[i - 1].key == r[i].key && r[i - 1].seq > r[i].seq) {
            stable = 0;
        }
    }
    CHECK(stable);
    CHECK(is_sorted(r, 40, sizeof r[0], cmp_rec_key));
    hp_printf("records: first (%u,%u) last (%u,%u) stable %d\n", r[0].key, r[0].seq, r[39].key, r[39].seq, stable);
    return hp_done("funcptr-sort");
}
