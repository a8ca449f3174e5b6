/*
 * hp.h: the guest test ABI shared by every architecture's C programs.
 *
 * Each architecture's runtime (guests/<arch>/rt/) provides the first group, in assembly: it boots the machine,
 * calls int main(void) with a stack, the FPU usable and .bss cleared, and ends the guest with main's return value
 * as the exit status (0 = pass). hplib.c provides the rest, in plain C.
 *
 * Rules for the programs in this directory (they are built for x86_64, ppc64 and s390x and must print the same
 * bytes everywhere): freestanding C11, only <stdint.h> <stddef.h> <stdarg.h> <float.h>, no inline assembly, no
 * assumption about byte order or the signedness of plain char unless the test is about it, and print 64-bit
 * values through explicit casts to (unsigned) long long. Build with -std=c11 -ffp-contract=off so that floating
 * point is evaluated in its nominal type and never fused.
 */
#ifndef HP_H
#define HP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- provided by the architecture's runtime ---- */

/* Writes one byte to the console. */
void hp_putchar(int c);

/* Asks the host to record the full CPU state at this point under a 32-bit tag (hyperport extension; QEMU ignores
 * it). On x86_64 this is `outl tag, 0xf8`. */
void hp_record_state(uint32_t tag);

/* Ends the guest with this status (0 = pass). Returning status from main does the same. */
void hp_exit(int status) __attribute__((noreturn));

/* Non-local jumps. Large enough for any runtime's callee-saved registers (ppc64: GPRs, FPRs, CR, LR). */
typedef uint64_t hp_jmp_buf[64];
int hp_setjmp(hp_jmp_buf env) __attribute__((returns_twice));
void hp_longjmp(hp_jmp_buf env, int val) __attribute__((noreturn));

/* ---- hplib.c ---- */

/* printf subset: %d %i %u %x %X %c %s %p %%, length modifiers l and ll (and z), flags '0' and '-', a field width.
 * Returns the number of bytes written. */
int hp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int hp_vprintf(const char *fmt, va_list ap);
void hp_puts(const char *s); /* no newline added */

/* The C library routines GCC may call on its own, and the ones the tests use. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Checks: a failed check prints "FAIL: file:line expr" (with the values for the _EQ forms) and is counted. */
void hp_check(int ok, const char *file, int line, const char *expr);
void hp_check_eq(uint64_t got, uint64_t expected, const char *file, int line, const char *expr);
#define CHECK(cond) hp_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
#define CHECK_EQ(got, expected) \
    hp_check_eq((uint64_t)(got), (uint64_t)(expected), __FILE__, __LINE__, #got " == " #expected)

/* Number of failed checks so far. */
int hp_failures(void);

/* Prints "PASS name" or "FAIL name (N failures)" and returns the exit status for main (0 or 1). */
int hp_done(const char *name);

/* Opaque identities: the compiler cannot see through them (they live in another translation unit), so
 * operations on their results happen at run time instead of being folded at compile time. */
uint64_t hp_u64(uint64_t x);
int64_t hp_i64(int64_t x);
uint32_t hp_u32(uint32_t x);
int32_t hp_i32(int32_t x);
double hp_f64(double x);
float hp_f32(float x);

/* Bit patterns of floating-point values (for exact, byte-order-free printing). */
uint64_t hp_f64_bits(double x);
uint32_t hp_f32_bits(float x);
double hp_f64_from_bits(uint64_t b);
float hp_f32_from_bits(uint32_t b);

#endif
