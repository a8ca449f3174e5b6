package org.hyperport.x86.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.x86.cpu.X86CpuState;
import org.hyperport.x86.interp.X87TranscendentalProbe;
import org.junit.jupiter.api.Test;

/**
 * The x87 transcendental instructions (FSIN, FCOS, FSINCOS, FPTAN, F2XM1, FPATAN, FYL2X, FYL2XP1) against this
 * host's CPU through KVM single-step at CPL3: random operands in and around each instruction's domain (tiny,
 * denormal, near multiples of π/2, near 1, out of range, huge, zeros, infinities), random rounding and precision
 * control and exception masks. Everything the instruction changes in the x87 state is compared: FSW (flags, C0-C3,
 * TOP, ES/B), the tag word and all eight registers.
 *
 * <p>The interpreter rounds the exact (to about 2^-240) result once; the hardware's evaluation is only accurate to
 * a fraction of an ulp, so where the exact result lies very close to a rounding boundary the two can round apart.
 * The test requires bit-exact agreement everywhere else, and every disagreement to be within one ulp at a result
 * whose exact value lies within {@link #BOUNDARY} ulp of a rounding boundary (the precise deviation documented in
 * {@code FpuInstructions} and docs/CONFORMANCE.md). It prints the counts per instruction. Skipped where KVM is not
 * usable. {@code -Dx87.transcendental.cases=N} sets the number of cases (default 24,000).
 */
class FpuTranscendentalOracleTest {

    static final int CASES = Integer.getInteger("x87.transcendental.cases", 24_000);
    /** The widest distance from a rounding boundary (in ulps) at which the hardware is allowed to round apart. */
    static final double BOUNDARY = 1.0 / 8;

    record Form(String name, byte[] bytes) {}

    static final List<Form> FORMS = List.of(new Form("FSIN", new byte[] {(byte) 0xD9, (byte) 0xFE}),
            new Form("FCOS", new byte[] {(byte) 0xD9, (byte) 0xFF}),
            new Form("FSINCOS", new byte[] {(byte) 0xD9, (byte) 0xFB}),
            new Form("FPTAN", new byte[] {(byte) 0xD9, (byte) 0xF2}),
            new Form("F2XM1", new byte[] {(byte) 0xD9, (byte) 0xF0}),
            new Form("FPATAN", new byte[] {(byte) 0xD9, (byte) 0xF3}),
            new Form("FYL2X", new byte[] {(byte) 0xD9, (byte) 0xF1}),
            new Form("FYL2XP1", new byte[] {(byte) 0xD9, (byte) 0xF9}));

    static final class Stats {
        int judged, notJudged, mismatches, nearBoundary, outside, closeCases, ordinary, ordinaryDiffer;
        double maxDistance;
        final int[] byDistance = new int[8];
        double maxUlp;
        final List<String> examples = new ArrayList<>();
    }

    /**
     * {se, sig} of an operand for {@code op}'s ST(0) ({@code first}) or ST(1), and a third element 1 for an
     * ordinary operand (finite, in the domain, not tiny, not near a multiple of π/2 or 1 on purpose).
     */
    static long[] operand(SplittableRandom r, String op, boolean first) {
        long sign = r.nextBoolean() ? 0x8000 : 0;
        long sig = r.nextLong() | Long.MIN_VALUE;
        int kind = r.nextInt(100);
        if (kind < 3) {
            return new long[] {sign, 0};                                           // zero
        }
        if (kind < 5) {
            return new long[] {sign | 0x7fff, Long.MIN_VALUE};                     // infinity
        }
        if (kind < 7) {
            return new long[] {sign, sig >>> r.nextInt(1, 64)};                    // denormal
        }
        if (kind < 10) {
            return new long[] {sign | r.nextInt(1, 0x3fff - 60), sig};             // tiny
        }
        if (kind < 12) {
            return new long[] {sign | 0x3fff, r.nextBoolean() ? Long.MIN_VALUE : sig & 0xff00000000000000L};
        }
        boolean trig = List.of("FSIN", "FCOS", "FSINCOS", "FPTAN").contains(op);
        if (first && trig) {
            if (kind < 20) {
                return new long[] {sign | (0x3fff + 63 + r.nextInt(3)), sig};      // out of range: C2
            }
            if (kind < 45) {                                                       // near a multiple of π/2
                double k = r.nextLong(1, 1L << r.nextInt(1, 40));
                double x = k * Math.PI / 2;
                long b = Double.doubleToRawLongBits(x);
                int e = (int) (b >>> 52) - 1023 + 0x3fff;
                long m = (b << 11 | Long.MIN_VALUE) + r.nextLong(-1 << 20, 1 << 20);
                return new long[] {sign | e, m};
            }
            return new long[] {sign | (0x3fff - 30 + r.nextInt(92)), sig, 1};
        }
        if (first && op.equals("F2XM1")) {
            if (kind < 20) {
                return new long[] {sign | (0x3fff + r.nextInt(0, 8)), sig};        // outside [-1, 1]
            }
            return new long[] {sign | (0x3fff - 1 - r.nextInt(r.nextBoolean() ? 4 : 70)), sig, 1};
        }
        if (first && op.equals("FYL2X")) {
            if (kind < 30) {                                                       // near 1
                long d = r.nextLong(0, 1L << r.nextInt(1, 62));
                return r.nextBoolean() ? new long[] {0x3fff, Long.MIN_VALUE + d} : new long[] {0x3ffe, -1L - d};
            }
            boolean negative = r.nextInt(20) == 0;
            return new long[] {(negative ? sign : 0) | (0x3fff - 200 + r.nextInt(400)), sig, negative ? 0 : 1};
        }
        if (first && op.equals("FYL2XP1")) {
            if (kind < 25) {
                return new long[] {sign | (0x3fff + r.nextInt(-2, 3)), sig};       // outside |x| < 1 - √2/2
            }
            return new long[] {sign | (0x3fff - 2 - r.nextInt(r.nextBoolean() ? 6 : 90)), sig, 1};
        }
        return new long[] {sign | (0x3fff - 80 + r.nextInt(160)), sig, 1};
    }

    @Test
    void transcendentalsMatchTheHostCpu() throws Exception {
        var a = new X86KvmEngine().probe(new PosixHostInfo());
        if (!a.usable()) {
            System.out.println("FpuTranscendentalOracleTest skipped: KVM engine unusable here: " + a.reason());
        }
        assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
        assumeTrue(X87TranscendentalProbe.hostIsAmd(), "the expected rounding behaviour was measured on AMD; this "
                + "host is " + X87TranscendentalProbe.hostVendor());
        Map<String, Stats> stats = new LinkedHashMap<>();
        FORMS.forEach(f -> stats.put(f.name(), new Stats()));
        List<String> failures = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(0x7_2a_5eedL);
        byte[] data = new byte[64];
        try (StepOracle oracle = new KvmStepOracle(); InterpStepper interp = new InterpStepper()) {
            // kvm_pvm's first x87 instruction on a fresh vCPU runs from an initialised x87 state: not judged.
            oracle.step(LockstepRig.baseState(true).snapshot(), new byte[] {(byte) 0xD9, (byte) 0xD0}, data);
            for (int n = 0; n < CASES; n++) {
                Form f = FORMS.get(r.nextInt(FORMS.size()));
                Stats st = stats.get(f.name());
                X86CpuState s = LockstepRig.baseState(true);
                s.rip = LockstepRig.IP;
                s.gpr[X86CpuState.RSP] = LockstepRig.RSP;
                int masks = r.nextInt(8) == 0 ? r.nextInt(64) : 0x3f;
                int pc = r.nextInt(4) == 0 ? r.nextInt(4) : 3;
                s.fcw = 0x40 | masks | (pc << 8) | (r.nextInt(4) << 10);
                int top = r.nextInt(8);
                s.fsw = top << 11;
                int depth = r.nextInt(20) == 0 ? r.nextInt(9) : r.nextInt(2, 8);
                long[] st0 = operand(r, f.name(), true);
                long[] st1 = operand(r, f.name(), false);
                for (int k = 0; k < 8; k++) {
                    long[] v = k == 0 ? st0 : k == 1 ? st1 : operand(r, "", false);
                    s.st[2 * k] = v[1];
                    s.st[2 * k + 1] = v[0];
                    if (k < depth) {
                        s.ftw |= 1 << ((top + k) & 7);
                    }
                }
                CpuSnapshot before = s.snapshot();
                StepOracle.Outcome o = oracle.step(before, f.bytes(), data);
                if (o.notJudged() != null || OpcodeMapLockstepTest.zeroFpState(
                        org.hyperport.x86.decode.LockstepCases.Group.X87, before, o.state())
                        || o.state().getLong("fcw") != s.fcw) {
                    st.notJudged++;
                    continue;
                }
                StepOracle.Outcome i = interp.step(before, f.bytes(), data);
                st.judged++;
                boolean twoOperands = f.name().startsWith("FPA") || f.name().startsWith("FY");
                // How close the exact result is to a rounding boundary (infinite with an empty operand).
                double dist = depth >= (twoOperands ? 2 : 1) ? X87TranscendentalProbe.boundaryDistance(f.name(),
                        s.fcw, st0[1], (int) st0[0], st1[1], (int) st1[0]) : Double.POSITIVE_INFINITY;
                if (dist <= BOUNDARY) {
                    st.closeCases++;
                }
                boolean ordinary = st0.length > 2 && (!twoOperands || st1.length > 2) && depth >= 2 && depth < 8;
                if (ordinary) {
                    st.ordinary++;
                }
                X86CpuState ho = new X86CpuState();
                ho.restore(o.state());
                X86CpuState hi = new X86CpuState();
                hi.restore(i.state());
                List<String> diffs = new ArrayList<>();
                for (String reg : List.of("rip", "fcw", "fsw", "ftw", "st0", "st1", "st2", "st3", "st4", "st5", "st6",
                        "st7")) {
                    if (!o.state().get(reg).equals(i.state().get(reg))) {
                        diffs.add(reg);
                    }
                }
                if (diffs.isEmpty()) {
                    continue;
                }
                st.mismatches++;
                if (ordinary) {
                    st.ordinaryDiffer++;
                }
                if (dist <= 1) {
                    st.maxDistance = Math.max(st.maxDistance, dist);
                }
                st.byDistance[dist == 0 ? 0 : Math.min(7, (int) Math.max(0, 12 + Math.floor(Math.log(dist)
                        / Math.log(2))))]++;
                double ulp = 0;
                boolean sameShape = ((ho.fsw ^ hi.fsw) & ~0x200) == 0;       // FSW may differ in C1 only
                for (int k = 0; k < 8; k++) {
                    if (ho.st[2 * k] != hi.st[2 * k] || ho.st[2 * k + 1] != hi.st[2 * k + 1]) {
                        ulp = Math.max(ulp, Math.abs(X87TranscendentalProbe.ulps(ho.st[2 * k], (int) ho.st[2 * k + 1],
                                hi.st[2 * k], (int) hi.st[2 * k + 1])));
                    }
                }
                st.maxUlp = Math.max(st.maxUlp, ulp);
                String text = String.format("%s fcw=%x depth=%d st0=%04x:%016x st1=%04x:%016x boundary=%.6f ulp=%.3g"
                        + " differ %s%n  KVM  fsw=%04x ftw=%02x st0=%04x:%016x st1=%04x:%016x%n  interp fsw=%04x "
                        + "ftw=%02x st0=%04x:%016x st1=%04x:%016x", f.name(), s.fcw, depth, st0[0], st0[1], st1[0],
                        st1[1], dist, ulp, diffs, ho.fsw, ho.ftw, ho.st[1], ho.st[0], ho.st[3], ho.st[2], hi.fsw,
                        hi.ftw, hi.st[1], hi.st[0], hi.st[3], hi.st[2]);
                if (dist <= BOUNDARY && ulp <= 1 && sameShape && diffs.stream().allMatch(d -> d.startsWith("st")
                        || d.equals("fsw"))) {
                    st.nearBoundary++;
                    if (st.examples.size() < 2) {
                        st.examples.add(text);
                    }
                } else {
                    st.outside++;
                    failures.add(text);
                }
            }
        }
        StringBuilder sb = new StringBuilder("x87 transcendentals vs KVM (this host's CPU):\n");
        stats.forEach((name, st) -> sb.append(String.format("  %-8s judged %5d, not judged %3d, differ %4d (near a "
                + "rounding boundary %4d, other %d), max %.3g ulp at up to %.4f ulp "
                + "from a boundary; ordinary operands %d, differ %d; cases within the boundary %d; differences by "
                + "distance [0, <2^-11, 2^-10, .., >=2^-5] %s%n", name, st.judged, st.notJudged, st.mismatches,
                st.nearBoundary, st.outside, st.maxUlp, st.maxDistance, st.ordinary, st.ordinaryDiffer,
                st.closeCases, java.util.Arrays.toString(st.byDistance))));
        stats.forEach((name, st) -> st.examples.forEach(e -> sb.append("  e.g. ").append(e).append('\n')));
        System.out.println(sb);
        java.nio.file.Path report = java.nio.file.Path.of("target", "x87-transcendental-oracle.txt");
        java.nio.file.Files.createDirectories(report.getParent());
        java.nio.file.Files.writeString(report, sb + "\nOther differences:\n" + String.join("\n", failures) + "\n");
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " cases differ other than by rounding near a boundary");
    }
}
