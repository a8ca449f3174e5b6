package org.hyperport.s390.cpu;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.CpuState;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.RegisterDesc.Group;

/**
 * The z/Architecture register file of one CPU (PoP Ch. 2 "Organization", Ch. 4 "Control"): 16 general registers,
 * 16 floating-point registers and the FPC, 16 access and 16 control registers, the PSW, the prefix register, the
 * TOD programmable register, the CPU timer and the clock comparator. Plain fields, read and written by the
 * interpreter directly.
 *
 * <p>The PSW is held as {@link #pswMask} (bits 0-63) and {@link #pswAddr} (bits 64-127), except that the condition
 * code (PSW bits 18-19) lives in {@link #cc} so that instructions set it without masking; {@link #psw()} composes
 * the architected mask. Bit numbers in the comments are IBM's (bit 0 is the most significant).
 */
public final class S390CpuState implements CpuState {

    public static final String ARCH = "s390x";

    /** PSW mask bits (PoP Ch. 4 "Program-Status-Word Format"). */
    public static final long PSW_PER = 1L << 62;                 // bit 1
    public static final long PSW_DAT = 1L << 58;                 // bit 5
    public static final long PSW_IO = 1L << 57;                  // bit 6
    public static final long PSW_EXT = 1L << 56;                 // bit 7
    public static final long PSW_KEY = 0xfL << 52;               // bits 8-11
    public static final int PSW_KEY_SHIFT = 52;
    public static final long PSW_MCHK = 1L << 50;                // bit 13
    public static final long PSW_WAIT = 1L << 49;                // bit 14
    public static final long PSW_PROBLEM = 1L << 48;             // bit 15
    public static final long PSW_ASC = 3L << 46;                 // bits 16-17
    public static final int PSW_ASC_SHIFT = 46;
    public static final long PSW_CC = 3L << 44;                  // bits 18-19
    public static final int PSW_CC_SHIFT = 44;
    public static final long PSW_PROGRAM_MASK = 0xfL << 40;      // bits 20-23
    public static final int PSW_PROGRAM_MASK_SHIFT = 40;
    public static final long PSW_EA = 1L << 32;                  // bit 31
    public static final long PSW_BA = 1L << 31;                  // bit 32
    /** Bits that must be zero in a z/Architecture PSW (bits 0, 2-4, 12, 24-30, 33-63 of the mask). */
    public static final long PSW_RESERVED = 0xB80800FE7FFFFFFFL;

    /** Program-mask bits (PSW bits 20-23): fixed-point overflow, decimal overflow, exponent underflow, significance. */
    public static final int PM_FIXED_OVERFLOW = 8;
    public static final int PM_DECIMAL_OVERFLOW = 4;
    public static final int PM_EXP_UNDERFLOW = 2;
    public static final int PM_SIGNIFICANCE = 1;

    /** Address-space control (PSW bits 16-17). */
    public static final int ASC_PRIMARY = 0, ASC_AR = 1, ASC_SECONDARY = 2, ASC_HOME = 3;

    public final long[] gpr = new long[16];
    /** FPRs as raw 64-bit images (the left halves of VR0-15). */
    public final long[] fpr = new long[16];
    public int fpc;
    public final int[] ar = new int[16];
    public final long[] cr = new long[16];
    /** PSW bits 0-63 with the condition code bits always zero; see {@link #cc}. */
    public long pswMask;
    /** PSW bits 64-127: the instruction address. */
    public long pswAddr;
    /** The condition code, 0-3 (PSW bits 18-19). */
    public int cc;
    /** Prefix register: bits 0-17 of the real address of the 8 KiB prefix area (multiple of 8 KiB). */
    public long prefix;
    /** TOD programmable register (16 bits are meaningful). */
    public int todpr;
    /** CPU timer, signed, decremented at the TOD-clock bit-51 rate (PoP Ch. 4 "CPU Timer"). */
    public long cpuTimer;
    /** Clock comparator, compared with the TOD clock (PoP Ch. 4 "Clock Comparator"). */
    public long clockComparator;
    /** Breaking-event address register. */
    public long bear;

    @Override
    public String architecture() {
        return ARCH;
    }

    /** The architected PSW mask (bits 0-63), condition code included. */
    public long psw() {
        return (pswMask & ~PSW_CC) | ((long) (cc & 3) << PSW_CC_SHIFT);
    }

    /** Loads a whole PSW mask; the condition code is taken out into {@link #cc}. */
    public void setPsw(long mask, long addr) {
        cc = (int) (mask >>> PSW_CC_SHIFT) & 3;
        pswMask = mask & ~PSW_CC;
        pswAddr = addr;
    }

    public int key() {
        return (int) (pswMask >>> PSW_KEY_SHIFT) & 0xf;
    }

    public boolean problemState() {
        return (pswMask & PSW_PROBLEM) != 0;
    }

    public int asc() {
        return (int) (pswMask >>> PSW_ASC_SHIFT) & 3;
    }

    public int programMask() {
        return (int) (pswMask >>> PSW_PROGRAM_MASK_SHIFT) & 0xf;
    }

    /** Addressing mode in bits: 24, 31 or 64 (EA without BA is invalid and reported as 64 here). */
    public int addressingMode() {
        if ((pswMask & PSW_EA) != 0) {
            return 64;
        }
        return (pswMask & PSW_BA) != 0 ? 31 : 24;
    }

    /** The mask that wraps an address in the current addressing mode (PoP Ch. 5 "Address Generation"). */
    public long addressMask() {
        if ((pswMask & PSW_EA) != 0) {
            return -1L;
        }
        return (pswMask & PSW_BA) != 0 ? 0x7fffffffL : 0xffffffL;
    }

    /** Initial CPU reset values (PoP Ch. 4 "CPU Reset", Figure "Initial Values"): CR0 and CR14 as QEMU sets them. */
    public void initialReset() {
        java.util.Arrays.fill(gpr, 0);
        java.util.Arrays.fill(fpr, 0);
        java.util.Arrays.fill(ar, 0);
        java.util.Arrays.fill(cr, 0);
        cr[0] = 0xe0;
        cr[14] = 0xc2000000L;
        fpc = 0;
        pswMask = 0;
        pswAddr = 0;
        cc = 0;
        prefix = 0;
        todpr = 0;
        cpuTimer = 0;
        clockComparator = 0;
        bear = 0;
    }

    // ---- Arch-neutral dump ----------------------------------------------------------------------------------------

    private static final List<RegisterDesc> LAYOUT = buildLayout();

    private static List<RegisterDesc> buildLayout() {
        List<RegisterDesc> l = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            l.add(new RegisterDesc("r" + i, 64, Group.GENERAL));
        }
        l.add(new RegisterDesc("psw.mask", 64, Group.FLAGS));
        l.add(new RegisterDesc("psw.addr", 64, Group.GENERAL));
        for (int i = 0; i < 16; i++) {
            l.add(new RegisterDesc("a" + i, 32, Group.SEGMENT));
        }
        for (int i = 0; i < 16; i++) {
            l.add(new RegisterDesc("c" + i, 64, Group.CONTROL));
        }
        l.add(new RegisterDesc("prefix", 64, Group.CONTROL));
        l.add(new RegisterDesc("bear", 64, Group.CONTROL));
        for (int i = 0; i < 16; i++) {
            l.add(new RegisterDesc("f" + i, 64, Group.FLOAT));
        }
        l.add(new RegisterDesc("fpc", 32, Group.FLOAT));
        l.add(new RegisterDesc("todpr", 16, Group.TIMER));
        l.add(new RegisterDesc("cpu_timer", 64, Group.TIMER));
        l.add(new RegisterDesc("clock_comparator", 64, Group.TIMER));
        return List.copyOf(l);
    }

    public static List<RegisterDesc> registers() {
        return LAYOUT;
    }

    @Override
    public List<RegisterDesc> layout() {
        return LAYOUT;
    }

    private static BigInteger u(long v) {
        return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(64));
    }

    @Override
    public CpuSnapshot snapshot() {
        LinkedHashMap<String, BigInteger> v = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            v.put("r" + i, u(gpr[i]));
        }
        v.put("psw.mask", u(psw()));
        v.put("psw.addr", u(pswAddr));
        for (int i = 0; i < 16; i++) {
            v.put("a" + i, u(ar[i] & 0xffffffffL));
        }
        for (int i = 0; i < 16; i++) {
            v.put("c" + i, u(cr[i]));
        }
        v.put("prefix", u(prefix));
        v.put("bear", u(bear));
        for (int i = 0; i < 16; i++) {
            v.put("f" + i, u(fpr[i]));
        }
        v.put("fpc", u(fpc & 0xffffffffL));
        v.put("todpr", u(todpr & 0xffffL));
        v.put("cpu_timer", u(cpuTimer));
        v.put("clock_comparator", u(clockComparator));
        Map<String, RegisterDesc> byName = new LinkedHashMap<>();
        for (RegisterDesc d : LAYOUT) {
            byName.put(d.name(), d);
        }
        return new CpuSnapshot(ARCH, v, byName);
    }

    @Override
    public void restore(CpuSnapshot s) {
        if (!ARCH.equals(s.architecture())) {
            throw new IllegalArgumentException("snapshot is of " + s.architecture() + ", not " + ARCH);
        }
        long mask = psw();
        for (var e : s.values().entrySet()) {
            String n = e.getKey();
            long x = e.getValue().longValue();
            switch (n) {
                case "psw.mask" -> mask = x;
                case "psw.addr" -> pswAddr = x;
                case "prefix" -> prefix = x;
                case "bear" -> bear = x;
                case "fpc" -> fpc = (int) x;
                case "todpr" -> todpr = (int) x & 0xffff;
                case "cpu_timer" -> cpuTimer = x;
                case "clock_comparator" -> clockComparator = x;
                default -> {
                    char c = n.charAt(0);
                    int i;
                    try {
                        i = Integer.parseInt(n.substring(1));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("s390x has no register " + n);
                    }
                    if (i < 0 || i > 15) {
                        throw new IllegalArgumentException("s390x has no register " + n);
                    }
                    switch (c) {
                        case 'r' -> gpr[i] = x;
                        case 'a' -> ar[i] = (int) x;
                        case 'c' -> cr[i] = x;
                        case 'f' -> fpr[i] = x;
                        default -> throw new IllegalArgumentException("s390x has no register " + n);
                    }
                }
            }
        }
        setPsw(mask, pswAddr);
    }
}
