/* crc32: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) and CRC-32C (Castagnoli, 0x82F63B78), bitwise and
 * table-driven, on the standard check string and on a generated 4 KiB buffer. */
#include "hp.h"

static uint32_t table_ieee[256], table_c[256];

static void make_table(uint32_t *t, uint32_t poly)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        }
        t[i] = c;
    }
}

static uint32_t crc_table(const uint32_t *t, const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c = t[(c ^ *p++) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xffffffffu;
}

static uint32_t crc_bitwise(uint32_t poly, const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (poly & (0u - (c & 1)));
        }
    }
    return c ^ 0xffffffffu;
}

static unsigned char buf[4096];

int main(void)
{
    hp_printf("crc32: CRC-32 and CRC-32C\n");
    make_table(table_ieee, 0xedb88320u);
    make_table(table_c, 0x82f63b78u);
    CHECK_EQ(table_ieee[1], 0x77073096u);
    CHECK_EQ(table_ieee[255], 0x2d02ef8du);
    CHECK_EQ(table_c[1], 0xf26b8303u);

    const unsigned char *check = (const unsigned char *)"123456789";
    CHECK_EQ(crc_table(table_ieee, check, 9), 0xcbf43926u);
    CHECK_EQ(crc_bitwise(0xedb88320u, check, 9), 0xcbf43926u);
    CHECK_EQ(crc_table(table_c, check, 9), 0xe3069283u);
    CHECK_EQ(crc_bitwise(0x82f63b78u, check, 9), 0xe3069283u);
    CHECK_EQ(crc_table(table_ieee, check, 0), 0);
    const unsigned char *fox = (const unsigned char *)"The quick brown fox jumps over the lazy dog";
    CHECK_EQ(crc_table(table_ieee, fox, strlen((const char *)fox)), 0x414fa339u);
    hp_printf("crc32(\"123456789\") = %08x, crc32c = %08x\n", (unsigned)crc_table(table_ieee, check, 9),
              (unsigned)crc_table(table_c, check, 9));

    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)(x >> 24);
    }
    uint32_t a = crc_table(table_ieee, buf, sizeof buf), b = crc_bitwise(0xedb88320u, buf, sizeof buf);
    uint32_t c = crc_table(table_c, buf, sizeof buf);
    CHECK_EQ(a, b);
    CHECK_EQ(a, 0x0a91e9fau);
    CHECK_EQ(c, 0x630061c8u);
    hp_printf("4096-byte buffer: crc32 %08x, crc32c %08x\n", (unsigned)a, (unsigned)c);
    /* appending the CRC (little-endian) gives the CRC-32 residue 0x2144df1c */
    unsigned char tail[13];
    memcpy(tail, check, 9);
    uint32_t k = crc_table(table_ieee, check, 9);
    for (int i = 0; i < 4; i++) {
        tail[9 + i] = (unsigned char)(k >> (8 * i));
    }
    CHECK_EQ(crc_table(table_ieee, tail, 13) ^ 0xffffffffu, 0xdebb20e3u);
    return hp_done("crc32");
}
