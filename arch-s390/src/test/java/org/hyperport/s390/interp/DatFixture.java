package org.hyperport.s390.interp;

import org.hyperport.s390.cpu.S390CpuState;

/**
 * Builds DAT tables in a test CPU's storage (PoP Ch. 3 "Translation Tables"): an ASCE of a chosen designation type
 * whose tables are created on demand, every entry invalid until mapped. Tables live from 2 MiB up; use a CPU with
 * at least 4 MiB.
 */
public final class DatFixture {

    public static final long TABLES = 0x200000;

    private final S390TestCpu t;
    public final int dt;
    public final long root;
    public long asce;
    private long free = TABLES;

    public DatFixture(S390TestCpu t, int dt) {
        this(t, dt, TABLES);
    }

    /** Tables from {@code base} up: a second address space needs its own region of storage. */
    public DatFixture(S390TestCpu t, int dt, long base) {
        this.t = t;
        this.free = base;
        this.dt = dt;
        this.root = dt == 0 ? segmentTable() : regionTable(dt);
        this.asce = root | ((long) dt << 2) | 3;
    }

    private long alloc(long size) {
        long a = free;
        free += size;
        return a;
    }

    public long regionTable(int level) {
        long a = alloc(0x4000);
        for (int k = 0; k < 2048; k++) {
            t.ram.write64(a + 8L * k, 0x20 | ((long) level << 2));
        }
        return a;
    }

    public long segmentTable() {
        long a = alloc(0x4000);
        for (int k = 0; k < 2048; k++) {
            t.ram.write64(a + 8L * k, 0x20);
        }
        return a;
    }

    public long pageTable() {
        long a = alloc(0x1000);
        for (int k = 0; k < 256; k++) {
            t.ram.write64(a + 8L * k, 0x400);
        }
        return a;
    }

    public static int index(long va, int level) {
        return switch (level) {
            case 3 -> (int) (va >>> 53) & 0x7ff;
            case 2 -> (int) (va >>> 42) & 0x7ff;
            case 1 -> (int) (va >>> 31) & 0x7ff;
            case 0 -> (int) (va >>> 20) & 0x7ff;
            default -> (int) (va >>> 12) & 0xff;
        };
    }

    /** The address of the region- or segment-table entry at {@code level} for {@code va}, creating tables above. */
    public long entry(long va, int level) {
        long table = root;
        for (int l = dt; l > level; l--) {
            long ea = table + 8L * index(va, l);
            long e = t.ram.read64(ea);
            if ((e & 0x20) != 0) {
                long next = l == 1 ? segmentTable() : regionTable(l - 1);
                e = next | ((long) l << 2) | 3;
                t.ram.write64(ea, e);
            }
            table = e & ~0xfffL;
        }
        return table + 8L * index(va, level);
    }

    /** The address of the page-table entry for {@code va}, creating tables. */
    public long pte(long va) {
        long sea = entry(va, 0);
        long ste = t.ram.read64(sea);
        if ((ste & 0x20) != 0) {
            ste = pageTable();
            t.ram.write64(sea, ste);
        }
        return (ste & ~0x7ffL) + 8L * index(va, -1);
    }

    /** Maps the 4 KiB page of {@code va} to {@code real} with PTE bits {@code flags} (0x200 protect, 0x100 IEP). */
    public DatFixture map(long va, long real, long flags) {
        t.ram.write64(pte(va), (real & ~0xfffL) | flags);
        return this;
    }

    /** Identity-maps [from, to). */
    public DatFixture identity(long from, long to) {
        for (long a = from; a < to; a += 4096) {
            map(a, a, 0);
        }
        return this;
    }

    /** Maps the 1 MiB segment of {@code va} as an EDAT-1 frame at {@code frame} with STE bits {@code flags}. */
    public DatFixture mapFrame(long va, long frame, long flags) {
        t.ram.write64(entry(va, 0), (frame & ~0xfffffL) | 0x400 | flags);
        return this;
    }

    /** Loads the ASCE into CR1 (primary) and turns DAT on. */
    public DatFixture on() {
        t.cpu.cr[1] = asce;
        t.cpu.pswMask |= S390CpuState.PSW_DAT;
        return this;
    }
}
