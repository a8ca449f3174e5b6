package org.hyperport.s390.mmu;

import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Dynamic address translation (PoP Ch. 3 "Dynamic Address Translation"): one walk from an address-space-control
 * element through region-first, -second and -third tables, the segment table and the page table, to a real
 * address. A pure function of the tables in storage: it reports the outcome in a reusable {@link Result}, never
 * throws and never allocates, so the interpreter, LRA, TPROT and the debugger share it.
 *
 * <p>Handled: every designation type and the real-space designation, the ASCE-type check, the table-length and
 * table-offset checks, invalid bits, table-type checks (translation specification), EDAT-1 segment frames (CR0
 * bit 40, STE bit 53 FC), the DAT-protection bits of region (under EDAT-1), segment and page entries, the
 * instruction-execution-protection bits of EDAT-1 segment frames and page-table entries (CR0 bit 43), and the
 * page-table-entry bit 52 check. Region-third frames (EDAT-2) are not translated: EDAT-2 is not advertised, and a
 * region-third entry's FC bit is then ignored. Storage keys, low-address protection and the TLB are the caller's.
 */
public final class DatWalker {

    /** ASCE fields (PoP Figure 3-12 "Address-Space-Control Element"). */
    public static final long ASCE_ORIGIN = 0xfffffffffffff000L, ASCE_REAL = 0x20;
    public static final int DT_REGION_FIRST = 3, DT_REGION_SECOND = 2, DT_REGION_THIRD = 1, DT_SEGMENT = 0;

    /** Entry fields. */
    public static final long REGION_ORIGIN = 0xfffffffffffff000L, SEGMENT_PT_ORIGIN = 0xfffffffffffff800L,
            PAGE_FRAME = 0xfffffffffffff000L, SEGMENT_FRAME = 0xfffffffffff00000L;
    public static final long E_INVALID_REGION = 0x20, E_INVALID_SEGMENT = 0x20, E_INVALID_PAGE = 0x400,
            E_PROTECT = 0x200, E_FC = 0x400, E_IEP = 0x100, PTE_BIT52 = 0x800;

    /** Outcome codes: 0 success, otherwise the program-interruption code. */
    public static final int ADDRESSING = 0x05, SEGMENT_TRANSLATION = 0x10, PAGE_TRANSLATION = 0x11,
            TRANSLATION_SPECIFICATION = 0x12, ASCE_TYPE = 0x38;

    /** The outcome of one walk; reused by its owner, so a walk allocates nothing. */
    public static final class Result {
        /** The real address, on success. */
        public long real;
        /** Whether a DAT-protection bit applied along the path. */
        public boolean protect;
        /** Whether instruction-execution protection applies (only reported when {@code iep} was asked for). */
        public boolean noExec;
        /** 0 on success, else the program-interruption code (0x05, 0x10, 0x11, 0x12, 0x38-0x3B). */
        public int code;
        /** Size of the mapping: 4 KiB pages, 1 MiB EDAT-1 segment frames. */
        public long pageSize;
        /** The real address of the last table entry fetched (LRA reports it for invalid entries). */
        public long entryAddress;
        /** Whether {@link #code} comes from an entry's invalid bit (rather than a length or type check). */
        public boolean invalidBit;

        @Override
        public String toString() {
            return code == 0 ? String.format("real 0x%x%s%s", real, protect ? " (protected)" : "",
                    noExec ? " (no-exec)" : "") : String.format("fault 0x%x", code);
        }
    }

    /** Reads an 8-byte big-endian word at a real address; returns -1 outside storage. */
    private final LongUnaryOperator readReal;
    /** Whether a real address is in configured storage (an addressing exception otherwise). */
    private final LongPredicate valid;

    public DatWalker(LongUnaryOperator readReal, LongPredicate valid) {
        this.readReal = readReal;
        this.valid = valid;
    }

    /** The 11-bit region or segment index, or the 8-bit page index, of {@code va} for a table {@code level}. */
    static int index(long va, int level) {
        return switch (level) {
            case DT_REGION_FIRST -> (int) (va >>> 53) & 0x7ff;
            case DT_REGION_SECOND -> (int) (va >>> 42) & 0x7ff;
            case DT_REGION_THIRD -> (int) (va >>> 31) & 0x7ff;
            case DT_SEGMENT -> (int) (va >>> 20) & 0x7ff;
            default -> (int) (va >>> 12) & 0xff;
        };
    }

    /**
     * Translates {@code va} through {@code asce}. {@code edat1} is CR0 bit 40, {@code iep} CR0 bit 43. Fills and
     * returns {@code r}.
     */
    public Result walk(long asce, long va, boolean edat1, boolean iep, Result r) {
        r.protect = false;
        r.noExec = false;
        r.code = 0;
        r.pageSize = 4096;
        r.entryAddress = 0;
        r.invalidBit = false;
        if ((asce & ASCE_REAL) != 0) {
            // Real-space designation: the virtual address is the real address.
            r.real = va;
            return r;
        }
        int dt = (int) (asce >>> 2) & 3;
        int tl = (int) asce & 3;
        // Bits of the address above what the designated table type translates must be zero.
        long over = switch (dt) {
            case DT_REGION_FIRST -> 0;
            case DT_REGION_SECOND -> va >>> 53;
            case DT_REGION_THIRD -> va >>> 42;
            default -> va >>> 31;
        };
        if (over != 0) {
            return fail(r, ASCE_TYPE);
        }
        // Table-length check against the ASCE: the leftmost two bits of the first index.
        if ((index(va, dt) >>> 9) > tl) {
            return fail(r, translationCode(dt));
        }
        long table = asce & ASCE_ORIGIN;
        for (int level = dt; level >= DT_REGION_THIRD; level--) {
            long ea = table + 8L * index(va, level);
            r.entryAddress = ea;
            if (!valid.test(ea)) {
                return fail(r, ADDRESSING);
            }
            long e = readReal.applyAsLong(ea);
            if ((e & E_INVALID_REGION) != 0) {
                r.invalidBit = true;
                return fail(r, translationCode(level));
            }
            if (((e >>> 2) & 3) != level) {
                return fail(r, TRANSLATION_SPECIFICATION);
            }
            if (edat1 && (e & E_PROTECT) != 0) {
                r.protect = true;
            }
            // The next table's offset (TF) and length (TL) bound the next index's leftmost two bits.
            int tf = (int) (e >>> 6) & 3;
            int tlen = (int) e & 3;
            int next = index(va, level - 1) >>> 9;
            if (next < tf || next > tlen) {
                return fail(r, translationCode(level - 1));
            }
            table = e & REGION_ORIGIN;
        }
        long sea = table + 8L * index(va, DT_SEGMENT);
        r.entryAddress = sea;
        if (!valid.test(sea)) {
            return fail(r, ADDRESSING);
        }
        long ste = readReal.applyAsLong(sea);
        if ((ste & E_INVALID_SEGMENT) != 0) {
            r.invalidBit = true;
            return fail(r, SEGMENT_TRANSLATION);
        }
        if (((ste >>> 2) & 3) != 0) {
            return fail(r, TRANSLATION_SPECIFICATION);
        }
        if ((ste & E_PROTECT) != 0) {
            r.protect = true;
        }
        if (edat1 && (ste & E_FC) != 0) {
            if (iep && (ste & E_IEP) != 0) {
                r.noExec = true;
            }
            r.real = (ste & SEGMENT_FRAME) | (va & 0xfffff);
            r.pageSize = 1 << 20;
            return r;
        }
        long pea = (ste & SEGMENT_PT_ORIGIN) + 8L * index(va, -1);
        r.entryAddress = pea;
        if (!valid.test(pea)) {
            return fail(r, ADDRESSING);
        }
        long pte = readReal.applyAsLong(pea);
        if ((pte & E_INVALID_PAGE) != 0) {
            r.invalidBit = true;
            return fail(r, PAGE_TRANSLATION);
        }
        if ((pte & PTE_BIT52) != 0) {
            return fail(r, TRANSLATION_SPECIFICATION);
        }
        if ((pte & E_PROTECT) != 0) {
            r.protect = true;
        }
        if (iep && (pte & E_IEP) != 0) {
            r.noExec = true;
        }
        r.real = (pte & PAGE_FRAME) | (va & 0xfff);
        return r;
    }

    /** The translation exception for a missing or invalid table at {@code level} (0 segment .. 3 region-first). */
    public static int translationCode(int level) {
        return switch (level) {
            case DT_REGION_FIRST -> 0x39;
            case DT_REGION_SECOND -> 0x3a;
            case DT_REGION_THIRD -> 0x3b;
            default -> SEGMENT_TRANSLATION;
        };
    }

    /**
     * The translation-exception identification (PoP Ch. 3 "Translation-Exception Identification", stored at
     * lowcore 0xA8) for a DAT exception: bits 0-51 the page of the failing address, bits 52-53 the
     * fetch/store indication of facility 75 (10 fetch or instruction fetch, 01 store), bits 62-63 the ASCE used
     * (00 primary, 01 AR-specified, 10 secondary, 11 home).
     */
    public static long teid(long va, boolean store, int asceId) {
        return (va & ~0xfffL) | (store ? TEID_STORE : TEID_FETCH) | (asceId & 3);
    }

    /** TEID bits: fetch/store indication (52-53) and the ESOP-2 protection codes (bits 56, 60, 61). */
    public static final long TEID_FETCH = 0x800, TEID_STORE = 0x400, TEID_PROT_56 = 0x80, TEID_PROT_60 = 0x8,
            TEID_PROT_61 = 0x4;

    private static Result fail(Result r, int code) {
        r.code = code;
        return r;
    }
}
