package org.hyperport.s390.isa;

import org.hyperport.s390.interp.S390Semantics;

/**
 * PoP Ch. 7 ROTATE THEN INSERT / AND / OR / EXCLUSIVE OR SELECTED BITS (RISBG, RISBHG, RISBLG, RNSBG, ROSBG,
 * RXSBG). The second operand is rotated left by I5 bits 58-63; the selected bits run from the start position (I3)
 * to the end position (I4), both inclusive, wrapping past bit 63 to bit 0 when start > end. ARCHES.md §2.8.3: a
 * wrong mask here corrupts Linux's XZ decompressor.
 */
final class SelectedBits {

    private SelectedBits() {
    }

    /** Bits {@code start}..{@code end} (IBM numbering, 0 = leftmost) of a 64-bit value, wrapping when start > end. */
    static long mask(int start, int end) {
        long fromStart = -1L >>> start;
        long toEnd = -1L << (63 - end);
        return start <= end ? fromStart & toEnd : fromStart | toEnd;
    }

    static void register(S390Semantics.Registry r) {
        r.def("RISBG", (c, i) -> {
            int start = i.i3 & 63;
            int end = (int) i.i4 & 63;
            boolean zero = (i.i4 & 0x80) != 0;
            long rot = Long.rotateLeft(c.state().gpr[i.r2], i.i5 & 63);
            long m = mask(start, end);
            long old = zero ? 0 : c.state().gpr[i.r1];
            long v = (old & ~m) | (rot & m);
            c.state().gpr[i.r1] = v;
            c.setCc(ConditionCodes.signed(v));
        });
        // RISBHG / RISBLG: positions are within the high (low) word; the other word of R1 is unchanged, no CC.
        r.def("RISBHG", (c, i) -> insertWord(c.state().gpr, i.r1, c.state().gpr[i.r2], i.i3, (int) i.i4, i.i5, 0));
        r.def("RISBLG", (c, i) -> insertWord(c.state().gpr, i.r1, c.state().gpr[i.r2], i.i3, (int) i.i4, i.i5, 32));
        for (int k = 0; k < 3; k++) {
            int kind = k;
            String m = switch (k) {
                case 0 -> "RNSBG";
                case 1 -> "ROSBG";
                default -> "RXSBG";
            };
            r.def(m, (c, i) -> {
                boolean testOnly = (i.i3 & 0x80) != 0;
                long msk = mask(i.i3 & 63, (int) i.i4 & 63);
                long rot = Long.rotateLeft(c.state().gpr[i.r2], i.i5 & 63);
                long old = c.state().gpr[i.r1];
                long sel = switch (kind) {
                    case 0 -> old & rot;
                    case 1 -> old | rot;
                    default -> old ^ rot;
                } & msk;
                if (!testOnly) {
                    c.state().gpr[i.r1] = (old & ~msk) | sel;
                }
                c.setCc(sel != 0 ? 1 : 0);
            });
        }
    }

    private static void insertWord(long[] g, int r1, long src, int i3, int i4, int i5, int base) {
        int start = i3 & 31;
        int end = i4 & 31;
        boolean zero = (i4 & 0x80) != 0;
        long word = base == 0 ? 0xffffffff00000000L : 0xffffffffL;
        long m = (start <= end ? mask(base + start, base + end)
                : mask(base + start, base + 31) | mask(base, base + end)) & word;
        long rot = Long.rotateLeft(src, i5 & 63);
        long old = g[r1];
        long keep = zero ? old & ~word : old & ~m;
        g[r1] = keep | (rot & m);
    }
}
