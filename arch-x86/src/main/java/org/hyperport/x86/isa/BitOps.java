package org.hyperport.x86.isa;

import org.hyperport.x86.cpu.X86CpuState;

/**
 * Bit-scan and bit-count instructions (SDM Vol 2 "BSF", "BSR", "POPCNT", "LZCNT", "TZCNT", "BT/BTS/BTR/BTC").
 * BSF/BSR with a zero source set ZF and leave the destination unchanged, as both Intel and AMD implement the
 * "undefined" destination; their other flags are undefined and are cleared here.
 */
public final class BitOps {

    private BitOps() {
    }

    private static void set(X86CpuState s, long affected, long values) {
        s.rflags = (s.rflags & ~affected) | (values & affected);
    }

    /** BSF: index of the lowest set bit, or {@code dest} unchanged with ZF=1 when {@code src} is 0. */
    public static long bsf(X86CpuState s, long dest, long src, int size) {
        src &= IntegerOps.mask(size);
        if (src == 0) {
            set(s, IntegerOps.STATUS, IntegerOps.ZF);
            return dest;
        }
        set(s, IntegerOps.STATUS, 0);
        return Long.numberOfTrailingZeros(src);
    }

    /** BSR: index of the highest set bit, or {@code dest} unchanged with ZF=1 when {@code src} is 0. */
    public static long bsr(X86CpuState s, long dest, long src, int size) {
        src &= IntegerOps.mask(size);
        if (src == 0) {
            set(s, IntegerOps.STATUS, IntegerOps.ZF);
            return dest;
        }
        set(s, IntegerOps.STATUS, 0);
        return 63 - Long.numberOfLeadingZeros(src);
    }

    /** POPCNT: ZF = (src == 0), CF OF SF AF PF cleared. */
    public static long popcnt(X86CpuState s, long src, int size) {
        src &= IntegerOps.mask(size);
        set(s, IntegerOps.STATUS, src == 0 ? IntegerOps.ZF : 0);
        return Long.bitCount(src);
    }

    /** LZCNT: CF = (src == 0), ZF = (result == 0); OF SF AF PF undefined (cleared). */
    public static long lzcnt(X86CpuState s, long src, int size) {
        src &= IntegerOps.mask(size);
        long r = src == 0 ? size * 8L : Long.numberOfLeadingZeros(src) - (64 - size * 8L);
        set(s, IntegerOps.STATUS, (src == 0 ? IntegerOps.CF : 0) | (r == 0 ? IntegerOps.ZF : 0));
        return r;
    }

    /** TZCNT: CF = (src == 0), ZF = (result == 0). */
    public static long tzcnt(X86CpuState s, long src, int size) {
        src &= IntegerOps.mask(size);
        long r = src == 0 ? size * 8L : Long.numberOfTrailingZeros(src);
        set(s, IntegerOps.STATUS, (src == 0 ? IntegerOps.CF : 0) | (r == 0 ? IntegerOps.ZF : 0));
        return r;
    }

    /**
     * BT/BTS/BTR/BTC on a register (or an already-addressed memory operand): CF = the selected bit; op 0 test,
     * 1 set, 2 reset, 3 complement. The bit offset is taken modulo the operand size.
     */
    public static long bitTest(X86CpuState s, long value, long bit, int size, int op) {
        int b = (int) (bit & (size * 8 - 1));
        long m = 1L << b;
        s.rflags = (s.rflags & ~IntegerOps.CF) | ((value & m) != 0 ? IntegerOps.CF : 0);
        return switch (op) {
            case 1 -> value | m;
            case 2 -> value & ~m;
            case 3 -> value ^ m;
            default -> value;
        };
    }
}
