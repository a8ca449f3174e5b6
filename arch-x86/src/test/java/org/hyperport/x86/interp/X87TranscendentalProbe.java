package org.hyperport.x86.interp;

import java.math.BigInteger;

/**
 * Test access to the extended-precision kernels of the x87 transcendental instructions ({@link X87Math}): how close
 * an instruction's exact result lies to a rounding boundary of the 64-bit significand, which is where the
 * hardware's own (not correctly rounded) evaluation can round the other way.
 */
public final class X87TranscendentalProbe {

    private X87TranscendentalProbe() {
    }

    /**
     * The distance, in units of the last place, of the exact result of {@code op} ("FSIN", "FCOS", "FSINCOS",
     * "FPTAN", "F2XM1", "FPATAN", "FYL2X", "FYL2XP1") on ST(0) and ST(1) from the nearest rounding boundary under
     * {@code fcw}'s rounding control (a representable value, where C1 changes, or for round to nearest also a
     * midpoint): the
     * smallest over the instruction's results. {@code Double.POSITIVE_INFINITY} when no result is an irrational
     * value computed by {@link X87Math} (special operands, exact results, out-of-range operands).
     */
    public static double boundaryDistance(String op, int fcw, long sig0, int se0, long sig1, int se1) {
        FpArith fp = new FpArith();
        fp.setFcw(fcw);
        fp.unpack(0, FpArith.EXTENDED, sig0, se0);
        fp.unpack(1, FpArith.EXTENDED, sig1, se1);
        boolean nearest = fp.rc == FpArith.RN;
        X87Math.Big[] results;
        boolean neg0 = fp.sgn[0] != 0;
        switch (op) {
            case "FSIN", "FCOS", "FSINCOS", "FPTAN" -> {
                if (fp.cls[0] != FpArith.FINITE || fp.exp[0] >= 63) {
                    return Double.POSITIVE_INFINITY;
                }
                X87Math.Big[] sc = X87Math.sinCos(neg0, fp.sig[0], fp.exp[0]);
                results = switch (op) {
                    case "FSIN" -> new X87Math.Big[] {sc[0]};
                    case "FCOS" -> new X87Math.Big[] {sc[1]};
                    case "FSINCOS" -> new X87Math.Big[] {sc[0], sc[1]};
                    default -> new X87Math.Big[] {sc[2] != null ? sc[2] : X87Math.divide(sc[0], sc[1])};
                };
            }
            case "F2XM1" -> {
                if (fp.cls[0] != FpArith.FINITE || fp.exp[0] >= 0) {
                    return Double.POSITIVE_INFINITY;
                }
                results = new X87Math.Big[] {X87Math.exp2m1(neg0, fp.sig[0], fp.exp[0])};
            }
            default -> {
                // slot 1 = ST(1) = y, slot 0 = ST(0) = x
                if (fp.cls[0] != FpArith.FINITE || fp.cls[1] != FpArith.FINITE) {
                    return Double.POSITIVE_INFINITY;
                }
                X87Math.Big v;
                if (op.equals("FPATAN")) {
                    v = X87Math.atan2(fp.sgn[1] != 0, fp.sig[1], fp.exp[1], neg0, fp.sig[0], fp.exp[0]);
                } else {
                    if (op.equals("FYL2X") ? neg0 : neg0 && fp.exp[0] >= 0) {
                        return Double.POSITIVE_INFINITY;
                    }
                    X87Math.Big l = op.equals("FYL2X") ? X87Math.log2(FpArith.unsigned(fp.sig[0]), fp.exp[0] - 63)
                            : X87Math.log2p1(neg0, fp.sig[0], fp.exp[0]);
                    if (l.exact() || l.m().signum() == 0) {
                        return Double.POSITIVE_INFINITY;
                    }
                    v = new X87Math.Big(l.m().multiply(FpArith.unsigned(fp.sig[1])), l.e());
                }
                results = new X87Math.Big[] {v};
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (X87Math.Big r : results) {
            BigInteger m = r.m().abs();
            int below = m.bitLength() - 64;
            double frac = m.and(BigInteger.ONE.shiftLeft(below).subtract(BigInteger.ONE)).shiftRight(below - 53)
                    .doubleValue() / 0x1p53;
            double toValue = Math.min(frac, 1 - frac);            // C1 and PE change there in every mode
            best = Math.min(best, nearest ? Math.min(toValue, Math.abs(frac - 0.5)) : toValue);
        }
        return best;
    }

    /** The difference b - a in units of the last place of a (both finite extended values, raw encodings). */
    public static double ulps(long sigA, int seA, long sigB, int seB) {
        int ea = Math.max(1, seA & 0x7fff);
        int eb = Math.max(1, seB & 0x7fff);
        if ((seA & 0x7fff) == 0x7fff || (seB & 0x7fff) == 0x7fff) {
            return sigA == sigB && seA == seB ? 0 : Double.POSITIVE_INFINITY;
        }
        BigInteger a = FpArith.unsigned(sigA);
        BigInteger b = FpArith.unsigned(sigB).shiftLeft(64).shiftLeft(eb - ea);   // both in units of 2^-64 ulp(a)
        a = a.shiftLeft(64);
        if ((seA & 0x8000) != 0) {
            a = a.negate();
        }
        if ((seB & 0x8000) != 0) {
            b = b.negate();
        }
        return b.subtract(a).doubleValue() / 0x1p64;
    }

    /**
     * The host CPU's vendor string ({@code vendor_id} in /proc/cpuinfo), or "unknown". The transcendental
     * instructions' last-bit results and the rules for the cases the SDM leaves undefined were taken from AMD
     * hardware, so the KVM comparisons that rely on them run only on AMD hosts.
     */
    public static String hostVendor() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("vendor_id")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    public static boolean hostIsAmd() {
        return hostVendor().equals("AuthenticAMD");
    }
}
