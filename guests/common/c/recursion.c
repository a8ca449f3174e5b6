/* recursion: deep and branching recursion (Ackermann, Fibonacci, mutual recursion, Hanoi, a recursive descent
 * parser) with call counts. */
#include "hp.h"

static uint64_t calls;

static uint64_t ack(uint64_t m, uint64_t n)
{
    calls++;
    if (m == 0) {
        return n + 1;
    }
    if (n == 0) {
        return ack(m - 1, 1);
    }
    return ack(m - 1, ack(m, n - 1));
}

static uint64_t fib(unsigned n)
{
    calls++;
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { calls++; return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { calls++; return n == 0 ? 0 : is_even(n - 1); }

static uint64_t hanoi(unsigned n, int from, int to, int via, uint64_t *trace)
{
    if (n == 0) {
        return 0;
    }
    uint64_t m = hanoi(n - 1, from, via, to, trace);
    *trace = *trace * 7 + (uint64_t)(from * 3 + to);
    return m + 1 + hanoi(n - 1, via, to, from, trace);
}

/* expr := term (('+'|'-') term)*, term := factor (('*'|'/') factor)*, factor := number | '(' expr ')' | '-' factor */
static const char *pp;
static int64_t expr(void);
static int64_t factor(void)
{
    if (*pp == '(') {
        pp++;
        int64_t v = expr();
        pp++; /* ')' */
        return v;
    }
    if (*pp == '-') {
        pp++;
        return -factor();
    }
    int64_t v = 0;
    while (*pp >= '0' && *pp <= '9') {
        v = v * 10 + (*pp++ - '0');
    }
    return v;
}
static int64_t term(void)
{
    int64_t v = factor();
    while (*pp == '*' || *pp == '/') {
        char op = *pp++;
        int64_t r = factor();
        v = op == '*' ? v * r : v / r;
    }
    return v;
}
static int64_t expr(void)
{
    int64_t v = term();
    while (*pp == '+' || *pp == '-') {
        char op = *pp++;
        int64_t r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
static int64_t eval(const char *s) { pp = s; return expr(); }

static uint64_t depth_sum(uint64_t n) { return n == 0 ? 0 : n + depth_sum(hp_u64(n - 1)); }

int main(void)
{
    hp_printf("recursion: ackermann, fibonacci, mutual recursion, hanoi, a parser\n");
    calls = 0;
    CHECK_EQ(ack(hp_u64(2), hp_u64(3)), 9);
    hp_printf("ack(2,3) = 9, calls %llu\n", (unsigned long long)calls);
    calls = 0;
    CHECK_EQ(ack(hp_u64(3), hp_u64(3)), 61);
    hp_printf("ack(3,3) = 61, calls %llu\n", (unsigned long long)calls);
    calls = 0;
    CHECK_EQ(fib(hp_u32(20)), 6765);
    hp_printf("fib(20) = 6765, calls %llu\n", (unsigned long long)calls);
    calls = 0;
    CHECK_EQ(is_even(hp_u32(1001)), 0);
    CHECK_EQ(is_odd(hp_u32(777)), 1);
    hp_printf("even/odd calls %llu\n", (unsigned long long)calls);
    uint64_t trace = 0;
    CHECK_EQ(hanoi(hp_u32(10), 0, 2, 1, &trace), 1023);
    hp_printf("hanoi(10): 1023 moves, trace %016llx\n", (unsigned long long)trace);
    CHECK_EQ(eval("1+2*3"), 7);
    CHECK_EQ(eval("(1+2)*3"), 9);
    CHECK_EQ(eval("-(4-10)*(3+(2*-5))/2"), -21);
    CHECK_EQ(eval("((((((((((7))))))))))*6-((1))"), 41);
    hp_printf("parser: %lld\n", (long long)eval("100/7*7+100-100/7*7*(1)+-3"));
    CHECK_EQ(depth_sum(hp_u64(2000)), 2001000);
    return hp_done("recursion");
}
