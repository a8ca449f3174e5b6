package org.hyperport.s390.cpu;

/**
 * The facility bits this CPU reports through STORE FACILITY LIST (EXTENDED), in one place (PoP Ch. 4 "Facility
 * Indications"; the numbers are STFLE bit positions). The instruction tables name the facility that installs each
 * instruction; every facility named there must be listed here, and nothing is listed whose instructions are
 * missing. The z196 level Debian's kernel requires is in ARCHES.md §2.7.
 */
public final class Facilities {

    private Facilities() {
    }

    /** Installed facility bits, ascending. */
    private static final int[] BITS = {
        0,   // N3 instructions installed
        1,   // z/Architecture architectural mode installed
        2,   // z/Architecture architectural mode active
        3,   // DAT-enhancement (IDTE, CSPG)
        7,   // store-facility-list-extended
        8,   // enhanced-DAT 1 (1 MiB segment frames, PFMF)
        10,  // conditional-SSKE
        14,  // nonquiescing key-setting
        18,  // long-displacement
        21,  // extended-immediate
        22,  // extended-translation 3 (TRTR)
        25,  // store-clock-fast
        27,  // move-with-optional-specifications (MVCOS, control instructions)
        32,  // compare-and-swap-and-store
        33,  // compare-and-swap-and-store 2
        34,  // general-instructions-extension
        35,  // execute-extensions
        37,  // floating-point extension: SRNMB, CONVERT FROM/TO LOGICAL, the -A forms' M3 rounding method and M4
             // inexact control (short, long and extended)
        // Not 40: that is the load-program-parameter facility (LPP), which is not implemented. The Debian kernel's
        // decompressor executes LPP when bit 40 is set.
        41,  // floating-point-support enhancement: FPR-GR transfer (LDGR, LGDR), sign handling (CPSDR, LCDFR,
             // LNDFR, LPDFR), DFP rounding mode (SRNMT) and IEEE-exception simulation (SFASR, LFAS)
        45,  // distinct-operands, fast-BCR-serialization, high-word, interlocked-access 1, load/store-on-condition 1,
             // population-count
        75,  // access-exception-fetch/store-indication (TEID bits 52-53)
        130, // instruction-execution-protection
    };

    private static final long[] LIST = build();

    private static long[] build() {
        long[] l = new long[3];
        for (int b : BITS) {
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

    public static int[] bits() {
        return BITS.clone();
    }

    public static boolean installed(int bit) {
        for (int b : BITS) {
            if (b == bit) {
                return true;
            }
        }
        return false;
    }

    /** Doubleword {@code n} of the facility list (bit 0 of doubleword 0 is the leftmost bit). */
    public static long doubleword(int n) {
        long v = 0;
        for (int b : BITS) {
            if (b / 64 == n) {
                v |= 1L << (63 - (b % 64));
            }
        }
        return v;
    }

    /** How many doublewords the list needs. */
    public static int doublewords() {
        return BITS[BITS.length - 1] / 64 + 1;
    }
}
