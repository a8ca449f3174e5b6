package org.hyperport.s390.cpu;

/**
 * The facility list STORE FACILITY LIST (EXTENDED) reports (PoP Ch. 4 "Facility Indications"). Minimal version
 * written with the control instructions so that STFL has a source; the general-instructions work owns the real
 * list and replaces this one (same API: {@link #stfle()}, {@link #has(int)}).
 */
public final class Facilities {

    /** Installed facility bits (IBM numbering: bit 0 is the leftmost bit of the first doubleword). */
    private static final int[] INSTALLED = {
        0, 1, 2, 3, 7, 8, 10, 14, 18, 21, 25, 27, 32, 33, 34, 35, 45, 75, 130,
    };

    private static final long[] LIST = build();

    private Facilities() {
    }

    private static long[] build() {
        long[] l = new long[3];
        for (int b : INSTALLED) {
            l[b >>> 6] |= 1L << (63 - (b & 63));
        }
        return l;
    }

    /** The facility list as STFLE stores it, doubleword by doubleword (a copy). */
    public static long[] stfle() {
        return LIST.clone();
    }

    public static boolean has(int bit) {
        return bit >= 0 && (bit >>> 6) < LIST.length && (LIST[bit >>> 6] & (1L << (63 - (bit & 63)))) != 0;
    }
}
