/* setjmp: the runtime's hp_setjmp/hp_longjmp: return values (0, the passed value, 1 for 0), jumping out of deep
 * recursion, several buffers, and volatile locals surviving the jump. */
#include "hp.h"

static hp_jmp_buf env, env2;
static int depth_reached;

static void dive(int depth, int limit)
{
    depth_reached = depth;
    if (depth > limit) {
        return; /* never: the jump happens at depth == limit */
    }
    if (depth == limit) {
        hp_longjmp(env, depth);
    }
    dive(depth + 1, limit);
    depth_reached = -1; /* never reached */
}

static int after_second;

static void second_level(void)
{
    if (hp_setjmp(env2) == 0) {
        hp_longjmp(env2, 7);
    }
    after_second = 1;
    hp_longjmp(env, 99);
}

int main(void)
{
    hp_printf("setjmp: hp_setjmp / hp_longjmp\n");

    volatile int counter = 0;
    int r = hp_setjmp(env);
    counter++;
    if (r == 0) {
        CHECK_EQ(counter, 1);
        hp_longjmp(env, 42);
    }
    CHECK_EQ(r, 42);
    CHECK_EQ(counter, 2);
    hp_printf("first return 0, second %d, counter %d\n", r, counter);

    r = hp_setjmp(env);
    if (r == 0) {
        hp_longjmp(env, 0);
    }
    CHECK_EQ(r, 1);
    hp_printf("longjmp(env, 0) returns %d\n", r);

    r = hp_setjmp(env);
    if (r == 0) {
        dive(0, 500);
    }
    hp_record_state(0xc0040001);
    CHECK_EQ(r, 500);
    CHECK_EQ(depth_reached, 500);
    hp_printf("out of recursion depth %d\n", r);

    volatile uint64_t a = 0x1111111111111111ULL;
    volatile double d = 1.5;
    r = hp_setjmp(env);
    if (r == 0) {
        a = 0x2222222222222222ULL;
        d = 2.5;
        second_level();
    }
    CHECK_EQ(r, 99);
    CHECK_EQ(after_second, 1);
    CHECK_EQ(a, 0x2222222222222222ULL);
    CHECK_EQ(hp_f64_bits(d), hp_f64_bits(2.5));
    hp_printf("nested buffers: %d, volatile locals kept\n", r);

    volatile int i = 0;
    if (hp_setjmp(env) < 10) {
        i = i + 1;
        hp_longjmp(env, i);
    }
    CHECK_EQ(i, 10);
    hp_printf("loop by longjmp: %d\n", i);
    return hp_done("setjmp");
}
