package org.hyperport.x86.interp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.hyperport.api.Access;
import org.hyperport.api.Translation;
import org.hyperport.common.memory.RamGuestMemory;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.mmu.X86PageFault;
import org.hyperport.x86.mmu.X86PageWalker;

/**
 * Linear-address accesses for the interpreter (after segmentation): a software TLB in front of
 * {@link X86PageWalker}, direct access to RAM segments, and the platform for everything else. Page faults are raised
 * as {@link CpuFault} #PF with the SDM's error code and CR2 (Vol 3A §4.7).
 *
 * <p>The TLB is direct-mapped with {@value #ENTRIES} entries per access kind; an entry caches the host segment and
 * offset of one 4 KiB linear page for one privilege class (supervisor/user). It is flushed whole on CR3, CR0 and CR4
 * writes and per page (4 KiB or large) by INVLPG ({@link #flush()}, {@link #flushPage(long)}). Flushing more than the architecture
 * requires is always allowed (Vol 3A §4.10.4).
 */
public final class LinearMemory {

    static final int ENTRIES = 1024;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final X86CpuState cpu;
    private final RamGuestMemory ram;
    private final X86Platform platform;
    private final CpuFault fault;

    /**
     * Per access kind (0 read, 1 write, 2 fetch), flattened to one index {@code kind * ENTRIES + slot}: tag = linear
     * page | user bit | valid bit; segment; offset.
     */
    private final long[] tags = new long[3 * ENTRIES];
    private final MemorySegment[] segs = new MemorySegment[3 * ENTRIES];
    private final long[] offs = new long[3 * ENTRIES];
    /** For MMIO pages: the guest-physical page, looked up each access. */
    private final long[] gpas = new long[3 * ENTRIES];
    /** The linear-address bits that select the page (4 KiB, 2 MiB, 4 MiB or 1 GiB) an entry was made from. */
    private final long[] pageMask = new long[3 * ENTRIES];

    private final RamGuestMemory.Region[] regions;

    public LinearMemory(X86CpuState cpu, RamGuestMemory ram, X86Platform platform, CpuFault fault) {
        this.cpu = cpu;
        this.ram = ram;
        this.platform = platform;
        this.fault = fault;
        this.regions = ram.regions().toArray(RamGuestMemory.Region[]::new);
    }

    /** One-entry cache of the page instructions are fetched from: tag, host segment and offset. */
    private long fetchTag;
    private MemorySegment fetchSeg;
    private long fetchOff;

    /**
     * Incremented whenever translations are invalidated: while it stays the same, a linear page still maps to the
     * host memory it mapped to (the TLB may keep a translation until it is invalidated, Vol 3A §4.10.4).
     */
    private long epoch;

    public void flush() {
        java.util.Arrays.fill(tags, 0);
        fetchTag = 0;
        epoch++;
    }

    long epoch() {
        return epoch;
    }

    /** The host memory of the current fetch page ({@link #codePage}). */
    MemorySegment fetchSegment() {
        return fetchSeg;
    }

    /** The offset of the current fetch page in {@link #fetchSegment()}. */
    long fetchOffset() {
        return fetchOff;
    }

    /**
     * Invalidates every cached translation made from the mapping of {@code la}: its 4 KiB page, or all the pieces of
     * the large page holding it (each entry remembers the size of the page it came from).
     */
    public void flushPage(long la) {
        for (int i = 0; i < tags.length; i++) {
            long t = tags[i];
            if (t != 0 && ((t ^ la) & pageMask[i]) == 0) {
                tags[i] = 0;
            }
        }
        fetchTag = 0;
        epoch++;
    }

    /**
     * One instruction byte at linear {@code la}. The decoder fetches byte by byte, so the page of the last fetch
     * is kept apart from the TLB: a hit is one array-free segment read. Code is read from guest memory each time,
     * so self-modifying code is seen at once.
     */
    public int fetch(long la, boolean user) {
        long tag = (la & ~0xfffL) | (user ? 2 : 0) | 1;
        if (tag == fetchTag) {
            return fetchSeg.get(ValueLayout.JAVA_BYTE, fetchOff + (la & 0xfff)) & 0xff;
        }
        int i = entry(la, 2, user);
        MemorySegment s = segs[i];
        if (s == null) {
            return (int) platform.mmioRead(gpas[i] | (la & 0xfff), 1) & 0xff;
        }
        fetchTag = tag;
        fetchSeg = s;
        fetchOff = offs[i];
        return s.get(ValueLayout.JAVA_BYTE, fetchOff + (la & 0xfff)) & 0xff;
    }

    /**
     * Makes {@code la}'s page the current fetch page, checking execute permission (#PF otherwise). Returns false if
     * the page is not RAM, so its code cannot be peeked at with {@link #peekCode}.
     */
    public boolean codePage(long la, boolean user) {
        long tag = (la & ~0xfffL) | (user ? 2 : 0) | 1;
        if (tag != fetchTag) {
            fetch(la, user);
        }
        return tag == fetchTag;
    }

    /**
     * Eight code bytes at {@code la + 8k} (little-endian) from the current fetch page ({@link #codePage}); bytes past
     * the end of the page read as 0. The interpreter compares them with a cached instruction's bytes.
     */
    public long peekCode(long la, int k) {
        long pageOff = (la & 0xfff) + 8L * k;
        if (pageOff + 8 <= 0x1000) {
            return fetchSeg.get(U64, fetchOff + pageOff);
        }
        long v = 0;
        for (int b = 0; b < 8 && pageOff + b < 0x1000; b++) {
            v |= (fetchSeg.get(ValueLayout.JAVA_BYTE, fetchOff + pageOff + b) & 0xffL) << (8 * b);
        }
        return v;
    }

    /**
     * Finds the entry for {@code la} for access {@code kind} by a {@code user} access, filling it on a miss.
     * Returns the flat TLB index ({@code kind * ENTRIES + slot}).
     */
    private int entry(long la, int kind, boolean user) {
        long page = la & ~0xfffL;
        int i = kind * ENTRIES + (int) ((la >>> 12) & (ENTRIES - 1));
        long tag = page | (user ? 2 : 0) | 1;
        if (tags[i] == tag) {
            return i;
        }
        Access access = kind == 0 ? Access.READ : kind == 1 ? Access.WRITE : Access.EXECUTE;
        Translation t = X86PageWalker.walk(ram, cpu.cr0, cpu.cr3, cpu.cr4, cpu.efer, la, access, user ? 3 : 0, true);
        if (t instanceof Translation.Fault f) {
            X86PageFault pf = (X86PageFault) f.fault();
            throw fault.raise(CpuFault.PF, true, pf.errorCode(), la);
        }
        Translation.Mapped mapped = (Translation.Mapped) t;
        long gpaPage = mapped.address() & ~0xfffL;
        tags[i] = tag;
        pageMask[i] = -mapped.pageSize();
        segs[i] = null;
        gpas[i] = gpaPage;
        for (RamGuestMemory.Region r : regions) {
            if (Long.compareUnsigned(gpaPage - r.gpa(), r.size()) < 0) {
                segs[i] = r.host();
                offs[i] = gpaPage - r.gpa();
                break;
            }
        }
        return i;
    }

    // ---- Accessors for translated code (BlockCompiler): a TLB hit on a RAM page inline, the rest out of line ------

    public long read1(long la, boolean user) {
        int i = (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null) {
            return s.get(ValueLayout.JAVA_BYTE, offs[i] + (la & 0xfff)) & 0xffL;
        }
        return read(la, 1, user, 0);
    }

    public long read2(long la, boolean user) {
        int i = (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xffe) {
            return s.get(U16, offs[i] + (la & 0xfff)) & 0xffffL;
        }
        return read(la, 2, user, 0);
    }

    public long read4(long la, boolean user) {
        int i = (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xffc) {
            return s.get(U32, offs[i] + (la & 0xfff)) & 0xffffffffL;
        }
        return read(la, 4, user, 0);
    }

    public long read8(long la, boolean user) {
        int i = (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xff8) {
            return s.get(U64, offs[i] + (la & 0xfff));
        }
        return read(la, 8, user, 0);
    }

    /** Whether the last {@link #write} went to a device rather than RAM. */
    private boolean deviceWritten;

    /** A write for translated code; returns true if it went to a device, after which the block must stop. */
    public boolean write1(long la, long v, boolean user) {
        int i = ENTRIES + (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null) {
            s.set(ValueLayout.JAVA_BYTE, offs[i] + (la & 0xfff), (byte) v);
            return false;
        }
        return writeOutOfLine(la, 1, v, user);
    }

    public boolean write2(long la, long v, boolean user) {
        int i = ENTRIES + (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xffe) {
            s.set(U16, offs[i] + (la & 0xfff), (short) v);
            return false;
        }
        return writeOutOfLine(la, 2, v, user);
    }

    public boolean write4(long la, long v, boolean user) {
        int i = ENTRIES + (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xffc) {
            s.set(U32, offs[i] + (la & 0xfff), (int) v);
            return false;
        }
        return writeOutOfLine(la, 4, v, user);
    }

    public boolean write8(long la, long v, boolean user) {
        int i = ENTRIES + (int) ((la >>> 12) & (ENTRIES - 1));
        MemorySegment s = segs[i];
        if (tags[i] == ((la & ~0xfffL) | (user ? 3 : 1)) && s != null && (la & 0xfff) <= 0xff8) {
            s.set(U64, offs[i] + (la & 0xfff), v);
            return false;
        }
        return writeOutOfLine(la, 8, v, user);
    }

    private boolean writeOutOfLine(long la, int size, long v, boolean user) {
        deviceWritten = false;
        write(la, size, v, user);
        return deviceWritten;
    }

    private static boolean crossesPage(long la, int size) {
        return ((la & 0xfff) + size) > 0x1000;
    }

    /** Reads {@code size} (1, 2, 4, 8) bytes at linear {@code la}; kind 0 = data read, 2 = instruction fetch. */
    public long read(long la, int size, boolean user, int kind) {
        if (crossesPage(la, size)) {
            long v = 0;
            for (int b = 0; b < size; b++) {
                v |= read(la + b, 1, user, kind) << (8 * b);
            }
            return v;
        }
        int i = entry(la, kind, user);
        MemorySegment s = segs[i];
        long off = offs[i] + (la & 0xfff);
        if (s == null) {
            return platform.mmioRead(gpas[i] | (la & 0xfff), size);
        }
        return switch (size) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, off) & 0xffL;
            case 2 -> s.get(U16, off) & 0xffffL;
            case 4 -> s.get(U32, off) & 0xffffffffL;
            default -> s.get(U64, off);
        };
    }

    /**
     * Checks that {@code [la, la+size)} is writable and translated before any byte is written, so a faulting
     * multi-byte or page-crossing write changes nothing (SDM: faults are precise).
     */
    public void probeWrite(long la, int size, boolean user) {
        entry(la, 1, user);
        if (crossesPage(la, size)) {
            entry(la + size - 1, 1, user);
        }
    }

    public void write(long la, int size, long value, boolean user) {
        if (crossesPage(la, size)) {
            probeWrite(la, size, user);
            for (int b = 0; b < size; b++) {
                write(la + b, 1, value >>> (8 * b), user);
            }
            return;
        }
        int i = entry(la, 1, user);
        MemorySegment s = segs[i];
        long off = offs[i] + (la & 0xfff);
        if (s == null) {
            deviceWritten = true;
            platform.mmioWrite(gpas[i] | (la & 0xfff), size, value);
            return;
        }
        switch (size) {
            case 1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) value);
            case 2 -> s.set(U16, off, (short) value);
            case 4 -> s.set(U32, off, (int) value);
            default -> s.set(U64, off, value);
        }
    }
}
