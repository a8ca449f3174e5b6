package org.hyperport.x86.cpu;

/**
 * A segment register with its hidden part (SDM Vol 3A §3.4.3). {@code attr} packs the descriptor attributes in the
 * VMX access-rights layout: type 0-3, S 4, DPL 5-6, P 7, AVL 12, L 13, D/B 14, G 15, unusable 16.
 */
public final class Segment {
    public static final int S = 1 << 4;
    public static final int P = 1 << 7;
    public static final int AVL = 1 << 12;
    public static final int L = 1 << 13;
    public static final int DB = 1 << 14;
    public static final int G = 1 << 15;
    public static final int UNUSABLE = 1 << 16;

    public int selector;
    public long base;
    /** Byte-granular limit (already scaled by G). */
    public int limit;
    public int attr;

    public void set(int selector, long base, int limit, int attr) {
        this.selector = selector;
        this.base = base;
        this.limit = limit;
        this.attr = attr;
    }

    public int type() {
        return attr & 0xf;
    }

    public int dpl() {
        return (attr >>> 5) & 3;
    }

    public boolean present() {
        return (attr & P) != 0;
    }

    public void copyFrom(Segment o) {
        set(o.selector, o.base, o.limit, o.attr);
    }
}
