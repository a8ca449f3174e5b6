package org.hyperport.s390.mmu;

import java.util.function.LongUnaryOperator;

/**
 * Dynamic address translation (PoP Ch. 3 "Dynamic Address Translation"): one walk from an address-space-control
 * element through region-first, -second and -third tables, the segment table and the page table, to a real
 * address. A pure function of the tables in storage: it reports the outcome in a reusable {@link Result} and never
 * throws, so the interpreter, LRA and the debugger share it.
 *
 * <p>Handled: every designation type, the table-length and table-offset checks, invalid bits, table-type checks,
 * EDAT-1 segment frames (CR0 bit 40), the DAT-protection bits of segment and page entries (and of region entries
 * under EDAT), and the page-table-entry bit 52 check. Storage keys, low-address protection and the TLB are the
 * caller's.
 */
public final class DatWalker {

    /** ASCE fields (PoP Figure 3-… "Address-Space-Control Element"). */
    public static final long ASCE_ORIGIN = 0xfffffffffffff000L, ASCE_REAL = 0x20;
    public static final int DT_REGION_FIRST = 3, DT_REGION_SECOND = 2, DT_REGION_THIRD = 1, DT_SEGMENT = 0;

    /** Entry fields. */
    static final long REGION_ORIGIN = 0xfffffffffffff000L, SEGMENT_PT_ORIGIN = 0xfffffffffffff800L,
            PAGE_FRAME = 0xfffffffffffff000L, SEGMENT_FRAME = 0xfffffffffff00000L;
    static final long E_INVALID_REGION = 0x20, E_INVALID_SEGMENT = 0x20, E_INVALID_PAGE = 0x400,
            E_PROTECT = 0x200, E_FC = 0x400, PTE_BIT52 = 0x800;

    /** Outcome codes: 0 success, otherwise the program-interruption code. */
    public static final class Result {
        /** The real address, on success. */
        public long real;
        /** Whether a DAT-protection bit applied along the path. */
        public boolean protect;
        /** 0 on success, else the program-interruption code (0x10, 0x11, 0x12, 0x38-0x3B). */
        public int code;
        /** Size of the mapping: 4 KiB pages, 1 MiB EDAT-1 segment frames. */
        public long pageSize;

        @Override
        public String toString() {
            return code == 0 ? String.format("real 0x%x%s", real, protect ? " (protected)" : "")
                    : String.format("fault 0x%x", code);
        }
    }

    /** Reads an 8-byte big-endian word at a real address; throws nothing, returns -1 outside storage. */
    private final LongUnaryOperator readReal;
    /** Whether a real address is in configured storage (an addressing exception otherwise). */
    private final java.util.function.LongPredicate valid;

    public DatWalker(LongUnaryOperator readReal, java.util.function.LongPredicate valid) {
        this.readReal = readReal;
        this.valid = valid;
    }

    /** Addressing exception: a table entry outside configured storage. */
    public static final int ADDRESSING = 0x05;

    /**
     * Translates {@code va} through {@code asce}. {@code edat1} is CR0 bit 40. Fills and returns {@code r}.
     */
    public Result walk(long asce, long va, boolean edat1, Result r) {
        r.protect = false;
        r.code = 0;
        r.pageSize = 4096;
        if ((asce & ASCE_REAL) != 0) {
            // Real-space designation: the virtual address is the real address.
            r.real = va;
            return r;
        }
        int dt = (int) (asce >>> 2) & 3;
        int tl = (int) asce & 3;
        long origin = asce & ASCE_ORIGIN;
        int rfx = (int) (va >>> 53) & 0x7ff;
        int rsx = (int) (va >>> 42) & 0x7ff;
        int rtx = (int) (va >>> 31) & 0x7ff;
        int sx = (int) (va >>> 20) & 0x7ff;
        int px = (int) (va >>> 12) & 0xff;
        // Bits of the address above what the designated table type translates must be zero.
        long over = switch (dt) {
            case DT_REGION_FIRST -> 0;
            case DT_REGION_SECOND -> va >>> 53;
            case DT_REGION_THIRD -> va >>> 42;
            default -> va >>> 31;
        };
        if (over != 0) {
            return fail(r, 0x38);
        }
        int[] idx = {sx, rtx, rsx, rfx};
        // Table-length check against the ASCE: the leftmost two bits of the first index.
        if ((idx[dt] >>> 9) > tl) {
            return fail(r, translationCode(dt));
        }
        long table = origin;
        for (int level = dt; level >= 1; level--) {
            long ea = table + 8L * idx[level];
            if (!valid.test(ea)) {
                return fail(r, ADDRESSING);
            }
            long e = readReal.applyAsLong(ea);
            if ((e & E_INVALID_REGION) != 0) {
                return fail(r, translationCode(level));
            }
            int tt = (int) (e >>> 2) & 3;
            if (tt != level) {
                return fail(r, 0x12);
            }
            if (edat1 && (e & E_PROTECT) != 0) {
                r.protect = true;
            }
            // The next table's offset (TF) and length (TL) bound the next index's leftmost two bits.
            int tf = (int) (e >>> 6) & 3;
            int tlen = (int) e & 3;
            int next = idx[level - 1] >>> 9;
            if (next < tf || next > tlen) {
                return fail(r, translationCode(level - 1));
            }
            table = e & REGION_ORIGIN;
        }
        long sea = table + 8L * sx;
        if (!valid.test(sea)) {
            return fail(r, ADDRESSING);
        }
        long ste = readReal.applyAsLong(sea);
        if ((ste & E_INVALID_SEGMENT) != 0) {
            return fail(r, 0x10);
        }
        if (((ste >>> 2) & 3) != 0) {
            return fail(r, 0x12);
        }
        if ((ste & E_PROTECT) != 0) {
            r.protect = true;
        }
        if (edat1 && (ste & E_FC) != 0) {
            r.real = (ste & SEGMENT_FRAME) | (va & 0xfffff);
            r.pageSize = 1 << 20;
            return r;
        }
        long pea = (ste & SEGMENT_PT_ORIGIN) + 8L * px;
        if (!valid.test(pea)) {
            return fail(r, ADDRESSING);
        }
        long pte = readReal.applyAsLong(pea);
        if ((pte & E_INVALID_PAGE) != 0) {
            return fail(r, 0x11);
        }
        if ((pte & PTE_BIT52) != 0) {
            return fail(r, 0x12);
        }
        if ((pte & E_PROTECT) != 0) {
            r.protect = true;
        }
        r.real = (pte & PAGE_FRAME) | (va & 0xfff);
        return r;
    }

    /** The translation exception for a missing or invalid table at {@code level} (0 segment .. 3 region-first). */
    private static int translationCode(int level) {
        return switch (level) {
            case 3 -> 0x39;
            case 2 -> 0x3a;
            case 1 -> 0x3b;
            default -> 0x10;
        };
    }

    private static Result fail(Result r, int code) {
        r.code = code;
        return r;
    }
}
