package org.hyperport.common.bus;

import java.util.Arrays;

/**
 * Address-range dispatch for port I/O or MMIO: a sorted array of non-overlapping windows, searched by binary search.
 * Registration happens while the machine is built; dispatch is lock-free and allocation-free afterwards.
 */
public final class Bus {

    private final String name;
    private long[] bases = new long[0];
    private long[] ends = new long[0];
    private BusDevice[] devices = new BusDevice[0];
    private String[] names = new String[0];

    public Bus(String name) {
        this.name = name;
    }

    /** Maps {@code device} at {@code [base, base+size)}; overlapping an existing window is a programming error. */
    public synchronized void register(String deviceName, long base, long size, BusDevice device) {
        if (size <= 0) {
            throw new IllegalArgumentException("empty window for " + deviceName);
        }
        long end = base + size;
        int i = 0;
        while (i < bases.length && bases[i] < base) {
            i++;
        }
        if ((i > 0 && ends[i - 1] > base) || (i < bases.length && bases[i] < end)) {
            throw new IllegalArgumentException(name + ": " + deviceName + " at 0x" + Long.toHexString(base)
                    + " overlaps " + names[i > 0 && ends[i - 1] > base ? i - 1 : i]);
        }
        bases = insert(bases, i, base);
        ends = insert(ends, i, end);
        devices = insert(devices, i, device);
        names = insert(names, i, deviceName);
    }

    private int find(long address) {
        long[] b = bases;
        int lo = 0;
        int hi = b.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (b[mid] <= address) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return (hi >= 0 && address < ends[hi]) ? hi : -1;
    }

    /** Reads {@code size} bytes at {@code address}; unclaimed addresses read as all-ones. */
    public long read(long address, int size) {
        int i = find(address);
        if (i < 0) {
            return allOnes(size);
        }
        return devices[i].read(address - bases[i], size);
    }

    /** The value an unclaimed read of {@code size} bytes returns: every bit set, as on an ISA or PCI bus. */
    public static long allOnes(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** Writes; returns false if nothing claims {@code address} (the write is dropped). */
    public boolean write(long address, int size, long value) {
        int i = find(address);
        if (i < 0) {
            return false;
        }
        devices[i].write(address - bases[i], size, value);
        return true;
    }

    /** Whether a device claims {@code address}. */
    public boolean claims(long address) {
        return find(address) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (int i = 0; i < bases.length; i++) {
            sb.append(String.format(" %s[0x%x-0x%x)", names[i], bases[i], ends[i]));
        }
        return sb.toString();
    }

    private static long[] insert(long[] a, int i, long v) {
        long[] r = Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, i, r, i + 1, a.length - i);
        r[i] = v;
        return r;
    }

    private static <T> T[] insert(T[] a, int i, T v) {
        T[] r = Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, i, r, i + 1, a.length - i);
        r[i] = v;
        return r;
    }
}
