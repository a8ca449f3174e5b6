package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.Operands.*;

import org.hyperport.common.math.WideDivision;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.interp.ProgramInterruption;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390Semantics;
import org.hyperport.s390.interp.Semantics;

/**
 * The decimal conversions of PoP Ch. 7 (CONVERT TO BINARY / DECIMAL, PACK, UNPACK) and the packed-decimal
 * arithmetic of Ch. 8 "Decimal Instructions" (ZAP, AP, SP, CP, MP, DP, SRP). A packed operand holds at most 31
 * digits; it is handled as two longs, the low 16 digits and the high 15, so nothing is allocated. (EDIT, EDIT AND
 * MARK and TEST DECIMAL are not here yet.)
 */
final class Decimal {

    private Decimal() {
    }

    /**
     * Converts the {@code n}-byte packed-decimal operand at {@code a}: invalid digit or sign codes are a data
     * exception (DXC 0), a value outside the 32-bit ({@code wide} false) or 64-bit range a fixed-point-divide
     * exception; either way nothing is stored.
     */
    static long packedToBinary(S390Interpreter c, long a, int n, boolean wide) {
        long mag = 0;
        boolean big = false;
        int sign = 0;
        for (int k = 0; k < n; k++) {
            int b = (int) c.read(c.wrap(a + k), 1);
            int hi = b >>> 4;
            int lo = b & 15;
            if (hi > 9 || (k == n - 1 ? lo < 10 : lo > 9)) {
                throw c.fault().data(0);
            }
            if (Long.compareUnsigned(mag, 0x0CCCCCCCCCCCCCCCL) > 0) {
                big = true;
            }
            mag = mag * 10 + hi;
            if (k == n - 1) {
                sign = lo;
            } else {
                if (Long.compareUnsigned(mag, 0x0CCCCCCCCCCCCCCCL) > 0) {
                    big = true;
                }
                mag = mag * 10 + lo;
            }
        }
        boolean neg = sign == 0xb || sign == 0xd;
        long limit = wide ? Long.MAX_VALUE : Integer.MAX_VALUE;
        if (big || Long.compareUnsigned(mag, neg ? limit + 1 : limit) > 0) {
            throw c.fault().raise(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        return neg ? -mag : mag;
    }

    private static Semantics cvb(int n, boolean wide) {
        return (c, i) -> {
            long v = packedToBinary(c, a2(c, i), n, wide);
            if (wide) {
                c.state().gpr[i.r1] = v;
            } else {
                setLow(c, i.r1, v);
            }
        };
    }

    private static Semantics cvd(int n, boolean wide) {
        return (c, i) -> {
            long a = a2(c, i);
            long v = wide ? c.state().gpr[i.r1] : (int) c.state().gpr[i.r1];
            c.probe(a, n, S390Interpreter.STORE);
            // The magnitude of -2^63 is 2^63, which unsigned division handles.
            long mag = v < 0 ? -v : v;
            long d = Long.remainderUnsigned(mag, 10);
            mag = Long.divideUnsigned(mag, 10);
            c.write(c.wrap(a + n - 1), 1, (d << 4) | (v < 0 ? 0xd : 0xc));
            for (int k = n - 2; k >= 0; k--) {
                long d0 = Long.remainderUnsigned(mag, 10);
                mag = Long.divideUnsigned(mag, 10);
                long d1 = Long.remainderUnsigned(mag, 10);
                mag = Long.divideUnsigned(mag, 10);
                c.write(c.wrap(a + k), 1, (d1 << 4) | d0);
            }
        };
    }

    private static final long E16 = 10_000_000_000_000_000L;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10;
        }
    }

    /** Checks the digits and sign of an {@code n}-byte packed operand: a data exception (DXC 0) if invalid. */
    static void checkPacked(S390Interpreter c, long a, int n) {
        for (int k = 0; k < n; k++) {
            int b = (int) c.read(c.wrap(a + k), 1);
            if ((b >>> 4) > 9 || (k == n - 1 ? (b & 15) < 10 : (b & 15) > 9)) {
                throw c.fault().data(0);
            }
        }
    }

    /** Digits {@code from}..{@code from+15} (0 = rightmost digit) of a valid packed operand, as a number. */
    static long digits(S390Interpreter c, long a, int n, int from) {
        long v = 0;
        for (int d = Math.min(from + 15, 2 * n - 2); d >= from; d--) {
            // Digit d sits in byte n-1-(d+1)/2: the high nibble when d is even, the low nibble when d is odd.
            int b = (int) c.read(c.wrap(a + n - 1 - (d + 1) / 2), 1);
            v = v * 10 + ((d & 1) == 0 ? b >>> 4 : b & 15);
        }
        return v;
    }

    static boolean negative(S390Interpreter c, long a, int n) {
        int s = (int) c.read(c.wrap(a + n - 1), 1) & 15;
        return s == 0xb || s == 0xd;
    }

    /** Whether hi*10^16+lo needs more than {@code digits} digits. */
    private static boolean tooBig(long hi, long lo, int digits) {
        if (digits >= 16) {
            return digits - 16 < 16 && hi >= POW10[digits - 16];
        }
        return hi != 0 || lo >= POW10[digits];
    }

    /** Stores hi*10^16+lo (truncated on the left) with the sign into the {@code n}-byte packed field at {@code a}. */
    static void storePacked(S390Interpreter c, long a, int n, long hi, long lo, boolean negative) {
        for (int k = n - 1; k >= 0; k--) {
            int dLow = 2 * (n - 1 - k) - 1;    // digit in the low nibble (-1: the sign)
            int low = dLow < 0 ? (negative ? 0xd : 0xc) : digit(hi, lo, dLow);
            int high = digit(hi, lo, dLow + 1);
            c.write(c.wrap(a + k), 1, (high << 4) | low);
        }
    }

    private static int digit(long hi, long lo, int d) {
        if (d < 16) {
            return (int) (lo / POW10[d] % 10);
        }
        return d - 16 < 19 ? (int) (hi / POW10[d - 16] % 10) : 0;
    }

    private static int compareMagnitude(long ah, long al, long bh, long bl) {
        return ah != bh ? Long.compare(ah, bh) : Long.compare(al, bl);
    }

    /**
     * ADD / SUBTRACT DECIMAL and ZERO AND ADD: op1 ← op1 ± op2 (or op2), CC 0 zero, 1 negative, 2 positive, 3
     * overflow (a decimal-overflow interruption follows if the program mask enables it).
     */
    private static Semantics addDecimal(int kind) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            checkPacked(c, a2, n2);
            if (kind != 0) {
                checkPacked(c, a1, n1);
            }
            c.probe(a1, n1, S390Interpreter.STORE);
            long bh = digits(c, a2, n2, 16);
            long bl = digits(c, a2, n2, 0);
            boolean bn = negative(c, a2, n2) ^ (kind == 2);
            long ah = 0;
            long al = 0;
            boolean an = false;
            if (kind != 0) {
                ah = digits(c, a1, n1, 16);
                al = digits(c, a1, n1, 0);
                an = negative(c, a1, n1);
            }
            long rh;
            long rl;
            boolean rn;
            if (an == bn) {
                rl = al + bl;
                rh = ah + bh;
                if (rl >= E16) {
                    rl -= E16;
                    rh++;
                }
                rn = an;
            } else if (compareMagnitude(ah, al, bh, bl) >= 0) {
                rl = al - bl;
                rh = ah - bh;
                if (rl < 0) {
                    rl += E16;
                    rh--;
                }
                rn = an;
            } else {
                rl = bl - al;
                rh = bh - ah;
                if (rl < 0) {
                    rl += E16;
                    rh--;
                }
                rn = bn;
            }
            boolean overflow = tooBig(rh, rl, 2 * n1 - 1);
            boolean zero = rh == 0 && rl == 0;
            storePacked(c, a1, n1, rh, rl, rn && (!zero || overflow) && !(zero && !overflow));
            boolean storedZero = !overflow ? zero : isZeroTruncated(rh, rl, 2 * n1 - 1);
            c.setCc(overflow ? 3 : storedZero ? 0 : rn ? 1 : 2);
            if (overflow && (c.state().programMask() & S390CpuState.PM_DECIMAL_OVERFLOW) != 0) {
                throw c.fault().raise(ProgramInterruption.DECIMAL_OVERFLOW);
            }
        };
    }

    private static boolean isZeroTruncated(long hi, long lo, int digits) {
        for (int d = 0; d < digits; d++) {
            if (digit(hi, lo, d) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 128-bit binary value of hi*10^16+lo, high or low 64 bits. */
    private static long binHigh(long hi, long lo) {
        long p = hi * E16;
        long carry = Long.compareUnsigned(p + lo, p) < 0 ? 1 : 0;
        return Math.unsignedMultiplyHigh(hi, E16) + carry;
    }

    private static long binLow(long hi, long lo) {
        return hi * E16 + lo;
    }

    private static final Semantics MP = (c, i) -> {
        long a1 = a1(c, i);
        long a2 = c.address(0, i.b2, i.d2);
        int n1 = i.l1 + 1;
        int n2 = i.l2 + 1;
        if (n2 > 8 || n2 >= n1) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        checkPacked(c, a2, n2);
        checkPacked(c, a1, n1);
        // The multiplicand needs as many leading zero bytes as the multiplier is long.
        for (int k = 0; k < n2; k++) {
            if (c.read(c.wrap(a1 + k), 1) != 0) {
                throw c.fault().data(0);
            }
        }
        long m = digits(c, a2, n2, 0);
        long ah = digits(c, a1, n1, 16);
        long al = digits(c, a1, n1, 0);
        long bh = binHigh(ah, al);
        long bl = binLow(ah, al);
        long ph = bh * m + Math.unsignedMultiplyHigh(bl, m);
        long pl = bl * m;
        long[] qr = new long[2];
        WideDivision.divide(ph, pl, E16, qr);
        long rh = qr[0];
        long rl = qr[1];
        boolean neg = negative(c, a1, n1) ^ negative(c, a2, n2);
        storePacked(c, a1, n1, rh, rl, neg);
    };

    private static final Semantics DP = (c, i) -> {
        long a1 = a1(c, i);
        long a2 = c.address(0, i.b2, i.d2);
        int n1 = i.l1 + 1;
        int n2 = i.l2 + 1;
        if (n2 > 8 || n2 >= n1) {
            throw c.fault().raise(ProgramInterruption.SPECIFICATION);
        }
        checkPacked(c, a2, n2);
        checkPacked(c, a1, n1);
        long d = digits(c, a2, n2, 0);
        long ah = digits(c, a1, n1, 16);
        long al = digits(c, a1, n1, 0);
        long bh = binHigh(ah, al);
        long bl = binLow(ah, al);
        // The quotient has 2*(n1-n2)-1 digits; a larger one (or a zero divisor) is a decimal-divide exception.
        int qDigits = 2 * (n1 - n2) - 1;
        if (d == 0) {
            throw c.fault().raise(ProgramInterruption.DECIMAL_DIVIDE);
        }
        // 128-bit quotient in two steps (the high remainder is below the divisor), then back to digit halves.
        long qh = Long.divideUnsigned(bh, d);
        long r0 = Long.remainderUnsigned(bh, d);
        long[] qr = new long[2];
        WideDivision.divide(r0, bl, d, qr);
        long ql = qr[0];
        long rem = qr[1];
        WideDivision.divide(qh, ql, E16, qr);
        long qHigh = qr[0];
        long qLow = qr[1];
        if (tooBig(qHigh, qLow, qDigits)) {
            throw c.fault().raise(ProgramInterruption.DECIMAL_DIVIDE);
        }
        boolean dividendNeg = negative(c, a1, n1);
        boolean qNeg = dividendNeg ^ negative(c, a2, n2);
        c.probe(a1, n1, S390Interpreter.STORE);
        storePacked(c, a1, n1 - n2, qHigh, qLow, qNeg);
        storePacked(c, c.wrap(a1 + n1 - n2), n2, 0, rem, dividendNeg);
    };

    private static final Semantics CP = (c, i) -> {
        long a1 = a1(c, i);
        long a2 = c.address(0, i.b2, i.d2);
        int n1 = i.l1 + 1;
        int n2 = i.l2 + 1;
        checkPacked(c, a1, n1);
        checkPacked(c, a2, n2);
        long ah = digits(c, a1, n1, 16);
        long al = digits(c, a1, n1, 0);
        long bh = digits(c, a2, n2, 16);
        long bl = digits(c, a2, n2, 0);
        boolean an = negative(c, a1, n1) && (ah | al) != 0;
        boolean bn = negative(c, a2, n2) && (bh | bl) != 0;
        int m = compareMagnitude(ah, al, bh, bl);
        int cmp = an != bn ? (an ? -1 : 1) : an ? -m : m;
        c.setCc(cmp == 0 ? 0 : cmp < 0 ? 1 : 2);
    };

    /** SHIFT AND ROUND DECIMAL: shift left by the address's 6-bit signed amount, or right with rounding by I3. */
    private static final Semantics SRP = (c, i) -> {
        long a1 = a1(c, i);
        int n1 = i.l1 + 1;
        int shift = (int) (c.address(0, i.b2, i.d2) << 58 >> 58);
        int round = i.i3 & 15;
        if (round > 9) {
            throw c.fault().data(0);
        }
        checkPacked(c, a1, n1);
        c.probe(a1, n1, S390Interpreter.STORE);
        long hi = digits(c, a1, n1, 16);
        long lo = digits(c, a1, n1, 0);
        boolean neg = negative(c, a1, n1);
        int nd = 2 * n1 - 1;
        boolean overflow = false;
        if (shift > 0) {
            // Digits shifted out of the field on the left are an overflow when non-zero.
            for (int d = Math.max(nd - shift, 0); d < nd; d++) {
                overflow |= digit(hi, lo, d) != 0;
            }
            long nh = 0;
            long nl = 0;
            for (int d = Math.min(nd - 1, 30); d >= shift; d--) {
                int v = digit(hi, lo, d - shift);
                if (d >= 16) {
                    nh += v * POW10[d - 16];
                } else {
                    nl += v * POW10[d];
                }
            }
            hi = nh;
            lo = nl;
        } else if (shift < 0) {
            int s = -shift;
            int roundDigit = s - 1 < 31 ? digit(hi, lo, s - 1) : 0;
            long nh = 0;
            long nl = 0;
            for (int d = 0; d + s < 31; d++) {
                int v = digit(hi, lo, d + s);
                if (d >= 16) {
                    nh += v * POW10[d - 16];
                } else {
                    nl += v * POW10[d];
                }
            }
            if (roundDigit + round >= 10) {
                nl++;
                if (nl >= E16) {
                    nl -= E16;
                    nh++;
                }
            }
            hi = nh;
            lo = nl;
            overflow = tooBig(hi, lo, nd);
        }
        boolean zero = isZeroTruncated(hi, lo, nd);
        storePacked(c, a1, n1, hi, lo, neg && !(zero && !overflow));
        c.setCc(overflow ? 3 : zero ? 0 : neg ? 1 : 2);
        if (overflow && (c.state().programMask() & S390CpuState.PM_DECIMAL_OVERFLOW) != 0) {
            throw c.fault().raise(ProgramInterruption.DECIMAL_OVERFLOW);
        }
    };

    /**
     * EDIT / EDIT AND MARK: the pattern (first operand) is replaced left to right under control of its digit
     * selectors (20), significance starters (21) and field separators (22), taking digits from the packed source
     * (second operand); the first pattern byte is the fill byte. CC from the last field: 0 zero, 1 negative, 2
     * positive. EDMK also puts into GR1 the address of the first digit that set significance.
     */
    private static Semantics edit(boolean mark) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long src = c.address(0, i.b2, i.d2);
            int n = i.l1 + 1;
            c.probe(a1, n, S390Interpreter.STORE);
            int fill = (int) c.read(a1, 1);
            boolean sig = false;
            boolean nonZero = false;
            boolean rightPending = false;
            int cur = 0;
            long markAddr = -1;
            for (int k = 0; k < n; k++) {
                long pa = c.wrap(a1 + k);
                int pat = (int) c.read(pa, 1);
                int out;
                if (pat == 0x20 || pat == 0x21) {
                    int digit;
                    boolean signAfter = false;
                    if (rightPending) {
                        digit = cur & 15;
                        rightPending = false;
                    } else {
                        cur = (int) c.read(src, 1);
                        src = c.wrap(src + 1);
                        digit = cur >>> 4;
                        if ((cur & 15) > 9) {
                            signAfter = true;
                        } else {
                            rightPending = true;
                        }
                    }
                    if (digit > 9) {
                        throw c.fault().data(0);
                    }
                    if (digit != 0) {
                        nonZero = true;
                    }
                    if (sig || digit != 0) {
                        out = 0xf0 | digit;
                        if (!sig && mark) {
                            markAddr = pa;
                        }
                    } else {
                        out = fill;
                    }
                    if (digit != 0 || pat == 0x21) {
                        sig = true;
                    }
                    if (signAfter) {
                        int sign = cur & 15;
                        if (sign != 0xb && sign != 0xd) {
                            sig = false;
                        }
                    }
                } else if (pat == 0x22) {
                    out = fill;
                    sig = false;
                    nonZero = false;
                } else {
                    out = sig ? pat : fill;
                }
                c.write(pa, 1, out);
            }
            if (mark && markAddr >= 0) {
                c.state().gpr[1] = Arithmetic.setAddress(c, 1, markAddr);
            }
            c.setCc(!nonZero ? 0 : sig ? 1 : 2);
        };
    }

    /**
     * PACK ASCII / PACK UNICODE: the low four bits of each {@code unit}-byte character of the second operand become
     * a digit of the 16-byte packed first operand (31 digits, sign C, zeros on the left).
     */
    private static Semantics packAscii(int unit) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n2 = i.l2 + 1;
            if (n2 > 32 * unit || n2 % unit != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            int chars = n2 / unit;
            c.probe(a2, n2, S390Interpreter.FETCH);
            c.probe(a1, 16, S390Interpreter.STORE);
            // Digit d (0 = rightmost) comes from character chars-1-d; digits beyond the operand are zero.
            for (int k = 15; k >= 0; k--) {
                int dLow = 2 * (15 - k) - 1;
                int low = dLow < 0 ? 0xc : charDigit(c, a2, chars, unit, dLow);
                int high = charDigit(c, a2, chars, unit, dLow + 1);
                c.write(c.wrap(a1 + k), 1, (high << 4) | low);
            }
        };
    }

    private static int charDigit(S390Interpreter c, long a, int chars, int unit, int d) {
        if (d >= chars) {
            return 0;
        }
        return (int) c.read(c.wrap(a + (long) (chars - 1 - d) * unit + unit - 1), 1) & 15;
    }

    /**
     * UNPACK ASCII / UNPACK UNICODE: the digits of the 16-byte packed second operand become {@code unit}-byte
     * characters 0x30 + digit, right-aligned in the first operand; CC 0 plus, 1 minus, 3 invalid sign.
     */
    private static Semantics unpackAscii(int unit) {
        return (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            if (n1 > 32 * unit || n1 % unit != 0) {
                throw c.fault().raise(ProgramInterruption.SPECIFICATION);
            }
            c.probe(a2, 16, S390Interpreter.FETCH);
            c.probe(a1, n1, S390Interpreter.STORE);
            int sign = (int) c.read(c.wrap(a2 + 15), 1) & 15;
            int chars = n1 / unit;
            for (int k = 0; k < chars; k++) {
                int d = chars - 1 - k;          // digit index from the right
                int digit = 0;
                if (d < 31) {
                    int b = (int) c.read(c.wrap(a2 + 15 - (d + 1) / 2), 1);
                    digit = (d & 1) == 0 ? b >>> 4 : b & 15;
                }
                c.write(c.wrap(a1 + (long) k * unit), unit, 0x30 | digit);
            }
            c.setCc(sign < 10 ? 3 : sign == 0xb || sign == 0xd ? 1 : 0);
        };
    }

    /** TEST DECIMAL: CC 0 valid, 1 invalid sign, 2 invalid digit, 3 both. */
    private static final Semantics TP = (c, i) -> {
        long a = a1(c, i);
        int n = i.l1 + 1;
        boolean badDigit = false;
        boolean badSign = false;
        for (int k = 0; k < n; k++) {
            int b = (int) c.read(c.wrap(a + k), 1);
            badDigit |= (b >>> 4) > 9;
            if (k == n - 1) {
                badSign = (b & 15) < 10;
            } else {
                badDigit |= (b & 15) > 9;
            }
        }
        c.setCc((badDigit ? 2 : 0) | (badSign ? 1 : 0));
    };

    static void register(S390Semantics.Registry r) {
        r.def("TP", TP);
        r.def("PKA", packAscii(1));
        r.def("PKU", packAscii(2));
        r.def("UNPKA", unpackAscii(1));
        r.def("UNPKU", unpackAscii(2));
        r.def("ED", edit(false));
        r.def("EDMK", edit(true));
        r.def("ZAP", addDecimal(0));
        r.def("AP", addDecimal(1));
        r.def("SP", addDecimal(2));
        r.def("CP", CP);
        r.def("MP", MP);
        r.def("DP", DP);
        r.def("SRP", SRP);
        r.def("CVB", cvb(8, false));
        r.def("CVBY", cvb(8, false));
        r.def("CVBG", cvb(16, true));
        r.def("CVD", cvd(8, false));
        r.def("CVDY", cvd(8, false));
        r.def("CVDG", cvd(16, true));
        r.def("PACK", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            c.probe(a2, n2, S390Interpreter.FETCH);
            c.probe(a1, n1, S390Interpreter.STORE);
            // Right to left; the rightmost byte has its nibbles swapped, then two zoned digits per packed byte.
            int k2 = n2 - 1;
            for (int k1 = n1 - 1; k1 >= 0; k1--) {
                int b;
                if (k1 == n1 - 1) {
                    int z = (int) c.read(c.wrap(a2 + k2--), 1);
                    b = ((z & 15) << 4) | (z >>> 4);
                } else {
                    int lo = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) & 15 : 0;
                    int hi = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) & 15 : 0;
                    b = (hi << 4) | lo;
                }
                c.write(c.wrap(a1 + k1), 1, b);
            }
        });
        r.def("UNPK", (c, i) -> {
            long a1 = a1(c, i);
            long a2 = c.address(0, i.b2, i.d2);
            int n1 = i.l1 + 1;
            int n2 = i.l2 + 1;
            c.probe(a2, n2, S390Interpreter.FETCH);
            c.probe(a1, n1, S390Interpreter.STORE);
            int k2 = n2 - 1;
            int pending = -1;
            for (int k1 = n1 - 1; k1 >= 0; k1--) {
                int b;
                if (k1 == n1 - 1) {
                    int p = (int) c.read(c.wrap(a2 + k2--), 1);
                    b = ((p & 15) << 4) | (p >>> 4);
                } else if (pending >= 0) {
                    b = 0xf0 | pending;
                    pending = -1;
                } else {
                    int p = k2 >= 0 ? (int) c.read(c.wrap(a2 + k2--), 1) : 0;
                    b = 0xf0 | (p & 15);
                    pending = p >>> 4;
                }
                c.write(c.wrap(a1 + k1), 1, b);
            }
        });
    }
}
