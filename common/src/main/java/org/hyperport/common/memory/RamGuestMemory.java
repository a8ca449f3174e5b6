package org.hyperport.common.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.hyperport.api.AddressSpace;
import org.hyperport.api.GuestMemory;
import org.hyperport.api.GuestMemoryException;
import org.hyperport.common.posix.Posix;
import org.hyperport.common.posix.PosixException;

/**
 * Guest RAM as one or more regions, each backed by a {@link MemorySegment}. {@link #map} uses anonymous shared
 * {@code mmap} so the host virtual addresses ({@code hva}) can be handed to KVM as memory slots while the interpreter
 * and devices use the same segments; {@link #allocate} uses the heap-free Arena allocator for tests.
 */
public final class RamGuestMemory implements GuestMemory, AutoCloseable {

    /** One contiguous RAM window: guest-physical base and the host segment behind it. */
    public record Region(long gpa, MemorySegment host) {
        public long size() {
            return host.byteSize();
        }

        public long end() {
            return gpa + host.byteSize();
        }
    }

    private final AddressSpace space;
    private final ByteOrder order;
    private final Region[] regions;
    private final long size;
    private final boolean mapped;
    private final Arena arena;
    private final ValueLayout.OfShort u16;
    private final ValueLayout.OfInt u32;
    private final ValueLayout.OfLong u64;

    private RamGuestMemory(AddressSpace space, ByteOrder order, List<Region> regions, boolean mapped, Arena arena) {
        this.space = space;
        this.order = order;
        this.regions = regions.toArray(Region[]::new);
        this.size = regions.stream().mapToLong(Region::size).sum();
        this.mapped = mapped;
        this.arena = arena;
        this.u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
    }

    /** Maps RAM with mmap for the given {@code [gpa, size]} layout (pairs of longs). */
    public static RamGuestMemory map(AddressSpace space, ByteOrder order, long... gpaSizePairs) {
        List<Region> list = new ArrayList<>();
        try {
            for (int i = 0; i < gpaSizePairs.length; i += 2) {
                MemorySegment seg = Posix.mmap(gpaSizePairs[i + 1], Posix.PROT_READ | Posix.PROT_WRITE,
                        Posix.MAP_SHARED | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
                list.add(new Region(gpaSizePairs[i], seg));
            }
        } catch (PosixException e) {
            list.forEach(r -> Posix.munmap(r.host()));
            throw new GuestMemoryException("cannot map " + (gpaSizePairs.length / 2) + " RAM region(s): "
                    + e.getMessage());
        }
        return new RamGuestMemory(space, order, list, true, null);
    }

    /** Allocates RAM from a confined-free arena; for tests and engines that never hand memory to the kernel. */
    public static RamGuestMemory allocate(AddressSpace space, ByteOrder order, long... gpaSizePairs) {
        Arena arena = Arena.ofShared();
        List<Region> list = new ArrayList<>();
        for (int i = 0; i < gpaSizePairs.length; i += 2) {
            list.add(new Region(gpaSizePairs[i], arena.allocate(gpaSizePairs[i + 1], 4096)));
        }
        return new RamGuestMemory(space, order, list, false, arena);
    }

    public List<Region> regions() {
        return List.of(regions);
    }

    @Override
    public AddressSpace space() {
        return space;
    }

    @Override
    public ByteOrder order() {
        return order;
    }

    @Override
    public long size() {
        return size;
    }

    private Region regionOf(long gpa, long length) {
        for (Region r : regions) {
            if (Long.compareUnsigned(gpa, r.gpa) >= 0 && Long.compareUnsigned(gpa, r.end()) < 0) {
                if (length <= r.end() - gpa && length >= 0) {
                    return r;
                }
                break;
            }
        }
        return null;
    }

    @Override
    public boolean contains(long gpa, long length) {
        return regionOf(gpa, length) != null;
    }

    private Region require(long gpa, long length) {
        Region r = regionOf(gpa, length);
        if (r == null) {
            throw new GuestMemoryException(String.format("guest-physical range 0x%x+0x%x is not in RAM (%s)",
                    gpa, length, layout()));
        }
        return r;
    }

    /** The RAM layout as text, e.g. {@code RAM 0x0-0x10000000}. */
    public String layout() {
        StringBuilder sb = new StringBuilder("RAM");
        for (Region r : regions) {
            sb.append(String.format(" 0x%x-0x%x", r.gpa, r.end()));
        }
        return sb.toString();
    }

    @Override
    public MemorySegment slice(long gpa, long length) {
        Region r = require(gpa, length);
        return r.host.asSlice(gpa - r.gpa, length);
    }

    @Override
    public int read8(long gpa) {
        Region r = require(gpa, 1);
        return r.host.get(ValueLayout.JAVA_BYTE, gpa - r.gpa) & 0xff;
    }

    @Override
    public int read16(long gpa) {
        Region r = require(gpa, 2);
        return r.host.get(u16, gpa - r.gpa) & 0xffff;
    }

    @Override
    public int read32(long gpa) {
        Region r = require(gpa, 4);
        return r.host.get(u32, gpa - r.gpa);
    }

    @Override
    public long read64(long gpa) {
        Region r = require(gpa, 8);
        return r.host.get(u64, gpa - r.gpa);
    }

    @Override
    public void write8(long gpa, int value) {
        Region r = require(gpa, 1);
        r.host.set(ValueLayout.JAVA_BYTE, gpa - r.gpa, (byte) value);
    }

    @Override
    public void write16(long gpa, int value) {
        Region r = require(gpa, 2);
        r.host.set(u16, gpa - r.gpa, (short) value);
    }

    @Override
    public void write32(long gpa, int value) {
        Region r = require(gpa, 4);
        r.host.set(u32, gpa - r.gpa, value);
    }

    @Override
    public void write64(long gpa, long value) {
        Region r = require(gpa, 8);
        r.host.set(u64, gpa - r.gpa, value);
    }

    @Override
    public void readBytes(long gpa, byte[] dst, int off, int len) {
        Region r = require(gpa, len);
        MemorySegment.copy(r.host, ValueLayout.JAVA_BYTE, gpa - r.gpa, dst, off, len);
    }

    @Override
    public void writeBytes(long gpa, byte[] src, int off, int len) {
        Region r = require(gpa, len);
        MemorySegment.copy(src, off, r.host, ValueLayout.JAVA_BYTE, gpa - r.gpa, len);
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        slice(gpa, length).fill(value);
    }

    @Override
    public void close() {
        if (mapped) {
            for (Region r : regions) {
                Posix.munmap(r.host);
            }
        } else if (arena != null) {
            arena.close();
        }
    }
}
