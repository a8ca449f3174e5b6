package org.hyperport.x86.isa;

import org.hyperport.common.math.WideDivision;

import org.hyperport.x86.cpu.X86CpuState;

/**
 * Results and status flags of the general-purpose arithmetic, logic, shift and rotate instructions (SDM Vol 1
 * §7.3, Vol 2 instruction pages, Appendix A of Vol 1 "EFLAGS Cross-Reference"). Each method takes operands already
 * truncated to {@code size} bytes, returns the truncated result and updates {@link X86CpuState#rflags}.
 *
 * <p>Flags the SDM leaves undefined are given fixed values so that engines can be compared: AF is cleared after
 * logic operations and shifts; OF after multi-bit shifts and rotates is computed as for a 1-bit count (what current
 * Intel cores do); SF/ZF/PF/AF after MUL/IMUL follow the result. Differential tests mask them
 * ({@link #UNDEFINED_AFTER_LOGIC} etc.).
 */
public final class IntegerOps {

    public static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;
    /** The six arithmetic status flags. */
    public static final long STATUS = CF | PF | AF | ZF | SF | OF;
    public static final long UNDEFINED_AFTER_LOGIC = AF;
    public static final long UNDEFINED_AFTER_MUL = SF | ZF | AF | PF;

    private static final byte[] PARITY = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? 1 : 0);
        }
    }

    private IntegerOps() {
    }

    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private static long signBit(int size) {
        return 1L << (size * 8 - 1);
    }

    /** SF, ZF and PF of {@code r} (Vol 1 §3.4.3.1). */
    private static long szp(long r, int size) {
        long f = 0;
        if ((r & mask(size)) == 0) {
            f |= ZF;
        }
        if ((r & signBit(size)) != 0) {
            f |= SF;
        }
        if (PARITY[(int) (r & 0xff)] != 0) {
            f |= PF;
        }
        return f;
    }

    private static void set(X86CpuState s, long affected, long values) {
        s.rflags = (s.rflags & ~affected) | (values & affected);
    }

    public static boolean cf(X86CpuState s) {
        return (s.rflags & CF) != 0;
    }

    /** ADD/ADC: {@code a + b + carryIn}. */
    public static long add(X86CpuState s, long a, long b, int carryIn, int size) {
        long m = mask(size);
        long r = (a + b + carryIn) & m;
        long f = szp(r, size);
        boolean carry = size == 8
                ? Long.compareUnsigned(r, a) < 0 || (carryIn != 0 && r == a)
                : ((a & m) + (b & m) + carryIn) > m;
        if (carry) {
            f |= CF;
        }
        if (((a ^ r) & (b ^ r) & signBit(size)) != 0) {
            f |= OF;
        }
        if (((a ^ b ^ r) & 0x10) != 0) {
            f |= AF;
        }
        set(s, STATUS, f);
        return r;
    }

    /** SUB/SBB/CMP: {@code a - b - borrowIn}. */
    public static long sub(X86CpuState s, long a, long b, int borrowIn, int size) {
        long m = mask(size);
        long r = (a - b - borrowIn) & m;
        long f = szp(r, size);
        boolean borrow = Long.compareUnsigned(a & m, b & m) < 0 || (borrowIn != 0 && (a & m) == (b & m));
        if (borrow) {
            f |= CF;
        }
        if (((a ^ b) & (a ^ r) & signBit(size)) != 0) {
            f |= OF;
        }
        if (((a ^ b ^ r) & 0x10) != 0) {
            f |= AF;
        }
        set(s, STATUS, f);
        return r;
    }

    /** AND/OR/XOR/TEST: CF = OF = 0, SF/ZF/PF from the result, AF cleared (undefined). */
    public static long logic(X86CpuState s, long r, int size) {
        r &= mask(size);
        set(s, STATUS, szp(r, size));
        return r;
    }

    /** INC: like ADD 1, but CF is preserved. */
    public static long inc(X86CpuState s, long a, int size) {
        long cf = s.rflags & CF;
        long r = add(s, a, 1, 0, size);
        s.rflags = (s.rflags & ~CF) | cf;
        return r;
    }

    /** DEC: like SUB 1, but CF is preserved. */
    public static long dec(X86CpuState s, long a, int size) {
        long cf = s.rflags & CF;
        long r = sub(s, a, 1, 0, size);
        s.rflags = (s.rflags & ~CF) | cf;
        return r;
    }

    /** NEG: {@code 0 - a}; CF = (a != 0). */
    public static long neg(X86CpuState s, long a, int size) {
        return sub(s, 0, a, 0, size);
    }

    private static int maskCount(long count, int size) {
        return (int) (count & (size == 8 ? 0x3f : 0x1f));
    }

    /** SHL/SAL (Vol 2 "SAL/SAR/SHL/SHR"). A masked count of 0 changes no flags. */
    public static long shl(X86CpuState s, long a, long count, int size) {
        int c = maskCount(count, size);
        if (c == 0) {
            return a & mask(size);
        }
        int bits = size * 8;
        long r = c >= 64 ? 0 : (a << c) & mask(size);
        boolean cf = c <= bits && ((a >>> (bits - c)) & 1) != 0;
        long f = szp(r, size) | (cf ? CF : 0);
        if (((r & signBit(size)) != 0) != cf) {
            f |= OF;
        }
        set(s, STATUS, f);
        return r;
    }

    /** SHR. OF is the original sign bit (defined for count 1; the same rule is used for larger counts). */
    public static long shr(X86CpuState s, long a, long count, int size) {
        int c = maskCount(count, size);
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        long r = c >= 64 ? 0 : a >>> c;
        boolean cf = ((a >>> (c - 1)) & 1) != 0;
        long f = szp(r, size) | (cf ? CF : 0) | ((a & signBit(size)) != 0 ? OF : 0);
        set(s, STATUS, f);
        return r;
    }

    /** SAR. OF = 0. */
    public static long sar(X86CpuState s, long a, long count, int size) {
        int c = maskCount(count, size);
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        int bits = size * 8;
        long signed = (a << (64 - bits)) >> (64 - bits);
        long r = (signed >> Math.min(c, 63)) & mask(size);
        boolean cf = ((signed >> Math.min(c - 1, 63)) & 1) != 0;
        set(s, STATUS, szp(r, size) | (cf ? CF : 0));
        return r;
    }

    /** ROL: only CF and OF change; OF = MSB(result) XOR CF (Vol 2 "RCL/RCR/ROL/ROR"). */
    public static long rol(X86CpuState s, long a, long count, int size) {
        int bits = size * 8;
        int c = maskCount(count, size);
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        int k = c % bits;
        long r = k == 0 ? a : ((a << k) | (a >>> (bits - k))) & mask(size);
        boolean cf = (r & 1) != 0;
        boolean of = ((r & signBit(size)) != 0) != cf;
        set(s, CF | OF, (cf ? CF : 0) | (of ? OF : 0));
        return r;
    }

    /** ROR: only CF and OF change; CF = MSB(result), OF = XOR of the two most significant result bits. */
    public static long ror(X86CpuState s, long a, long count, int size) {
        int bits = size * 8;
        int c = maskCount(count, size);
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        int k = c % bits;
        long r = k == 0 ? a : ((a >>> k) | (a << (bits - k))) & mask(size);
        boolean msb = (r & signBit(size)) != 0;
        boolean next = (r & (signBit(size) >>> 1)) != 0;
        set(s, CF | OF, (msb ? CF : 0) | (msb != next ? OF : 0));
        return r;
    }

    /** RCL: rotate through CF; 8- and 16-bit operands rotate modulo 9 and 17. */
    public static long rcl(X86CpuState s, long a, long count, int size) {
        int bits = size * 8;
        int c = maskCount(count, size);
        if (size < 4) {
            c %= bits + 1;
        }
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        long r = a;
        boolean cf = cf(s);
        for (int i = 0; i < c; i++) {
            boolean out = (r & signBit(size)) != 0;
            r = ((r << 1) | (cf ? 1 : 0)) & mask(size);
            cf = out;
        }
        boolean of = ((r & signBit(size)) != 0) != cf;
        set(s, CF | OF, (cf ? CF : 0) | (of ? OF : 0));
        return r;
    }

    /** RCR: rotate right through CF; OF = XOR of the two most significant result bits. */
    public static long rcr(X86CpuState s, long a, long count, int size) {
        int bits = size * 8;
        int c = maskCount(count, size);
        if (size < 4) {
            c %= bits + 1;
        }
        a &= mask(size);
        if (c == 0) {
            return a;
        }
        long r = a;
        boolean cf = cf(s);
        for (int i = 0; i < c; i++) {
            boolean out = (r & 1) != 0;
            r = (r >>> 1) | (cf ? signBit(size) : 0);
            cf = out;
        }
        boolean msb = (r & signBit(size)) != 0;
        boolean next = (r & (signBit(size) >>> 1)) != 0;
        set(s, CF | OF, (cf ? CF : 0) | (msb != next ? OF : 0));
        return r;
    }

    /**
     * MUL (one-operand form): the unsigned double-width product of {@code a} and {@code b} as {high, low}, each
     * truncated to {@code size}. CF = OF = (high != 0); SF, ZF, AF, PF are undefined and are set from the low half.
     */
    public static void mul(X86CpuState s, long a, long b, int size, long[] out) {
        long m = mask(size);
        long lo;
        long hi;
        if (size == 8) {
            lo = a * b;
            hi = Math.unsignedMultiplyHigh(a, b);
        } else {
            long p = (a & m) * (b & m);
            lo = p & m;
            hi = (p >>> (size * 8)) & m;
        }
        long f = szp(lo, size) | (hi != 0 ? CF | OF : 0);
        set(s, STATUS, f);
        out[0] = hi;
        out[1] = lo;
    }

    /**
     * IMUL: the signed double-width product as {high, low}. CF = OF = whether the product does not fit in the low
     * half as a signed value (the two- and three-operand forms keep only the low half).
     */
    public static void imul(X86CpuState s, long a, long b, int size, long[] out) {
        long m = mask(size);
        int shift = 64 - size * 8;
        long sa = (a << shift) >> shift;
        long sb = (b << shift) >> shift;
        long lo;
        long hi;
        boolean overflow;
        if (size == 8) {
            lo = sa * sb;
            hi = Math.multiplyHigh(sa, sb);
            overflow = hi != (lo >> 63);
        } else {
            long p = sa * sb;
            lo = p & m;
            hi = (p >> (size * 8)) & m;
            overflow = p != ((p << shift) >> shift);
        }
        set(s, STATUS, szp(lo, size) | (overflow ? CF | OF : 0));
        out[0] = hi;
        out[1] = lo;
    }

    /**
     * DIV: {@code hi:lo / divisor} unsigned, as {quotient, remainder} in {@code out}; returns false (the caller
     * raises #DE) when the divisor is 0 or the quotient does not fit. Flags are undefined and left unchanged.
     * Allocation-free.
     */
    public static boolean div(long hi, long lo, long divisor, int size, long[] out) {
        return size == 8 ? divide64(hi, lo, divisor, false, out)
                : divideNarrow(hi, lo, divisor, size, false, out);
    }

    /** IDIV: signed {@code hi:lo / divisor}, truncating towards zero; false means #DE. Allocation-free. */
    public static boolean idiv(long hi, long lo, long divisor, int size, long[] out) {
        return size == 8 ? divide64(hi, lo, divisor, true, out)
                : divideNarrow(hi, lo, divisor, size, true, out);
    }

    /**
     * Division of a dividend of at most 64 bits (8-, 16- and 32-bit operands) with {@code long} arithmetic; the
     * quotient must fit the operand size as an unsigned or signed number.
     */
    private static boolean divideNarrow(long hi, long lo, long divisor, int size, boolean signed, long[] pair) {
        int bits = size * 8;
        long m = mask(size);
        long d = divisor & m;
        if (d == 0) {
            return false;
        }
        long n = ((hi & m) << bits) | (lo & m);
        long q;
        long r;
        if (signed) {
            long sn = (n << (64 - 2 * bits)) >> (64 - 2 * bits);
            long sd = (d << (64 - bits)) >> (64 - bits);
            if (sn == Long.MIN_VALUE && sd == -1) {
                return false;
            }
            q = sn / sd;
            r = sn % sd;
            long limit = 1L << (bits - 1);
            if (q < -limit || q >= limit) {
                return false;
            }
        } else {
            q = Long.divideUnsigned(n, d);
            r = Long.remainderUnsigned(n, d);
            if (Long.compareUnsigned(q, m) > 0) {
                return false;
            }
        }
        pair[0] = q & m;
        pair[1] = r & m;
        return true;
    }

    /**
     * 128-by-64-bit division, allocation-free: a dividend that is the sign extension of its low half (what compilers
     * emit after CQO) is divided with {@code long} arithmetic, anything else by {@link WideDivision#divide} on the
     * magnitudes.
     */
    private static boolean divide64(long hi, long lo, long divisor, boolean signed, long[] pair) {
        if (divisor == 0) {
            return false;
        }
        if (!signed) {
            if (Long.compareUnsigned(hi, divisor) >= 0) {
                return false;
            }
            WideDivision.divide(hi, lo, divisor, pair);
            return true;
        }
        if (hi == (lo >> 63)) {
            if (lo == Long.MIN_VALUE && divisor == -1) {
                return false;
            }
            pair[0] = lo / divisor;
            pair[1] = lo % divisor;
            return true;
        }
        boolean negative = hi < 0;
        if (negative) {
            lo = -lo;
            hi = ~hi + (lo == 0 ? 1 : 0);
        }
        long magnitude = divisor < 0 ? -divisor : divisor;
        if (Long.compareUnsigned(hi, magnitude) >= 0) {
            return false;
        }
        WideDivision.divide(hi, lo, magnitude, pair);
        long q = pair[0];
        if (negative != divisor < 0) {
            if (Long.compareUnsigned(q, Long.MIN_VALUE) > 0) {
                return false;
            }
            q = -q;
        } else if (q < 0) {
            return false;
        }
        pair[0] = q;
        pair[1] = negative ? -pair[1] : pair[1];
        return true;
    }
}
