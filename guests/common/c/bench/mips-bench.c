/* mips-bench: a compute-heavy guest for comparing engines' instruction rates (hyperport bench --only mips,
 * bench/mips-compare.sh). Table-driven CRC-32 over a generated 64 KiB buffer, an insertion sort of 4096 integers
 * and a 64-bit xorshift/multiply mix: about 500 million x86-64 instructions. Prints checksums so that a wrong
 * result is visible, and exits 0. Not a conformance case. */
#include "hp.h"

#define BUF (64 * 1024)
#define SORT 4096

static unsigned char buf[BUF];
static uint32_t table[256];
static uint32_t keys[SORT];

static uint32_t crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xffffffffu;
}

int main(void)
{
    uint64_t x = hp_u64(0x9e3779b97f4a7c15ull);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        table[i] = c;
    }
    for (size_t i = 0; i < BUF; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
    uint32_t sum = 0;
    for (int round = 0; round < 200; round++) {
        buf[round] ^= (unsigned char)round;
        sum ^= crc(buf, BUF);
    }
    for (int i = 0; i < SORT; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        keys[i] = (uint32_t)x;
    }
    for (int i = 1; i < SORT; i++) {
        uint32_t k = keys[i];
        int j = i - 1;
        while (j >= 0 && keys[j] > k) {
            keys[j + 1] = keys[j];
            j--;
        }
        keys[j + 1] = k;
    }
    uint64_t mix = 0;
    for (uint32_t i = 0; i < 20000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        mix += x * 0x2545F4914F6CDD1Dull;
    }
    hp_printf("mips-bench: crc %08x sorted %08x..%08x mix %016llx\n", (unsigned)sum, (unsigned)keys[0],
              (unsigned)keys[SORT - 1], (unsigned long long)mix);
    return 0;
}
