package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * PoP Ch. 7 CONVERT UTF-8 / UTF-16 / UTF-32 TO UTF-8 / UTF-16 / UTF-32 (CU12, CU14, CU21, CU24, CU41, CU42). The
 * R1 pair designates the first operand (result) and the R2 pair the second (source), address and length each.
 * CC 0 source exhausted (or only an incomplete character left), 1 no room for the next result character, 2 invalid
 * source character, 3 a CPU-determined number of characters done. The M3 well-formedness check belongs to the
 * ETF3-enhancement facility, which is not installed, so M3 is ignored.
 */
final class UnicodeConversion {

    private UnicodeConversion() {
    }

    /** Characters converted in one execution before CC 3. */
    static final int CHARS = 256;

    /** Decoded character and its length, packed: code point in bits 0-31, length in bits 32-39; -1 invalid, 0 short. */
    private static long decode(S390Interpreter c, long a, long avail, int utf) {
        switch (utf) {
            case 8 -> {
                int s0 = (int) c.read(a, 1);
                int len;
                int cp;
                if (s0 <= 0x7f) {
                    return pack(s0, 1);
                } else if (s0 <= 0xbf) {
                    return -1;
                } else if (s0 <= 0xdf) {
                    len = 2;
                    cp = s0 & 0x1f;
                } else if (s0 <= 0xef) {
                    len = 3;
                    cp = s0 & 0x0f;
                } else if (s0 <= 0xf7) {
                    len = 4;
                    cp = s0 & 0x07;
                } else {
                    return -1;
                }
                if (Long.compareUnsigned(avail, len) < 0) {
                    return 0;
                }
                for (int k = 1; k < len; k++) {
                    cp = (cp << 6) | ((int) c.read(c.wrap(a + k), 1) & 0x3f);
                }
                return pack(cp, len);
            }
            case 16 -> {
                if (Long.compareUnsigned(avail, 2) < 0) {
                    return 0;
                }
                int s0 = (int) c.read(a, 2);
                if (s0 < 0xd800 || s0 > 0xdbff) {
                    return pack(s0, 2);
                }
                if (Long.compareUnsigned(avail, 4) < 0) {
                    return 0;
                }
                int s1 = (int) c.read(c.wrap(a + 2), 2);
                return pack(0x10000 + ((s0 & 0x3ff) << 10) + (s1 & 0x3ff), 4);
            }
            default -> {
                if (Long.compareUnsigned(avail, 4) < 0) {
                    return 0;
                }
                long cp = c.read(a, 4);
                if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                    return -1;
                }
                return pack((int) cp, 4);
            }
        }
    }

    private static long pack(int cp, int len) {
        return ((long) len << 32) | (cp & 0xffffffffL);
    }

    private static int encodedLength(int cp, int utf) {
        return switch (utf) {
            case 8 -> cp <= 0x7f ? 1 : cp <= 0x7ff ? 2 : cp <= 0xffff ? 3 : 4;
            case 16 -> cp <= 0xffff ? 2 : 4;
            default -> 4;
        };
    }

    private static void encode(S390Interpreter c, long a, int cp, int len, int utf) {
        switch (utf) {
            case 8 -> {
                if (len == 1) {
                    c.write(a, 1, cp);
                    return;
                }
                int lead = len == 2 ? 0xc0 : len == 3 ? 0xe0 : 0xf0;
                c.write(a, 1, lead | (cp >>> (6 * (len - 1))));
                for (int k = 1; k < len; k++) {
                    c.write(c.wrap(a + k), 1, 0x80 | ((cp >>> (6 * (len - 1 - k))) & 0x3f));
                }
            }
            case 16 -> {
                if (len == 2) {
                    c.write(a, 2, cp);
                } else {
                    int v = cp - 0x10000;
                    c.write(a, 2, 0xd800 | (v >>> 10));
                    c.write(c.wrap(a + 2), 2, 0xdc00 | (v & 0x3ff));
                }
            }
            default -> c.write(a, 4, cp);
        }
    }

    private static long length(S390Interpreter c, int r) {
        long v = c.state().gpr[r];
        return c.state().addressingMode() == 64 ? v : v & LOW;
    }

    private static void setLength(S390Interpreter c, int r, long len) {
        if (c.state().addressingMode() == 64) {
            c.state().gpr[r] = len;
        } else {
            setLow(c, r, len);
        }
    }

    private static Semantics convert(int from, int to) {
        return (c, i) -> {
            evenPair(c, i.r1);
            evenPair(c, i.r2);
            long[] g = c.state().gpr;
            long d = c.wrap(g[i.r1]);
            long dlen = length(c, i.r1 + 1);
            long s = c.wrap(g[i.r2]);
            long slen = length(c, i.r2 + 1);
            int cc = 3;
            for (int n = 0; n < CHARS; n++) {
                if (slen == 0) {
                    cc = 0;
                    break;
                }
                long ch = decode(c, s, slen, from);
                if (ch == 0) {
                    cc = 0;
                    break;
                }
                if (ch < 0) {
                    cc = 2;
                    break;
                }
                int cp = (int) ch;
                int ilen = (int) (ch >>> 32);
                int olen = encodedLength(cp, to);
                if (Long.compareUnsigned(dlen, olen) < 0) {
                    cc = 1;
                    break;
                }
                encode(c, d, cp, olen, to);
                s = c.wrap(s + ilen);
                slen -= ilen;
                d = c.wrap(d + olen);
                dlen -= olen;
            }
            g[i.r1] = Arithmetic.setAddress(c, i.r1, d);
            setLength(c, i.r1 + 1, dlen);
            g[i.r2] = Arithmetic.setAddress(c, i.r2, s);
            setLength(c, i.r2 + 1, slen);
            c.setCc(cc);
        };
    }

    static void register(S390Semantics.Registry r) {
        r.def("CU12", convert(8, 16));
        r.def("CU14", convert(8, 32));
        r.def("CU21", convert(16, 8));
        r.def("CU24", convert(16, 32));
        r.def("CU41", convert(32, 8));
        r.def("CU42", convert(32, 16));
    }
}
