package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSE/SSE2/SSE3/SSE4.1 floating-point instructions against the host CPU, bit for bit: sse_oracle.c (built here with
 * the host's C compiler) executes each instruction natively under the same MXCSR (every rounding mode, DAZ, FTZ,
 * sticky flags and unmasked exceptions, which it catches as SIGFPE) and reports XMM0, MXCSR and the integer or flag
 * result. Operands are drawn to hit zeros, denormals, infinities, quiet and signalling NaNs, the integer-conversion
 * boundaries, exact and half-way cases and over/underflow. Runs only on x86-64 hosts with a C compiler.
 */
class SseOracleTest {

    static final int CASES = 200_000;

    @TempDir
    Path dir;

    final FpTestMachine m = new FpTestMachine();

    @AfterEach
    void tearDown() {
        m.close();
    }

    /** How an operation takes its operands and what it reports besides XMM0. */
    enum Kind { VECTOR, INT_TO_FP, FP_TO_INT, FLAGS }

    /**
     * Lane format of the operands: single, double, int32 lanes, an integer in RAX of 4/8 bytes, integer vectors
     * (bytes near the saturation boundaries), or an integer vector shifted by a count in the source.
     */
    enum Lanes { S, D, I32, INT32, INT64, X, SHIFT }

    record OpSpec(String name, String hex, Kind kind, Lanes lanes) {}

    record Case(OpSpec op, int mxcsr, long alo, long ahi, long blo, long bhi) {}

    static List<OpSpec> ops() {
        List<OpSpec> l = new ArrayList<>();
        String[][] arith = {{"add", "58"}, {"sub", "5C"}, {"mul", "59"}, {"div", "5E"}, {"min", "5D"},
            {"max", "5F"}, {"sqrt", "51"}};
        String[][] forms = {{"ss", "F30F", "S"}, {"sd", "F20F", "D"}, {"ps", "0F", "S"}, {"pd", "660F", "D"}};
        for (String[] a : arith) {
            for (String[] f : forms) {
                l.add(new OpSpec(a[0] + f[0], f[1] + a[1] + "C1", Kind.VECTOR, Lanes.valueOf(f[2])));
            }
        }
        for (String[] f : forms) {
            for (int p = 0; p < 8; p++) {
                l.add(new OpSpec("cmp" + f[0] + p, f[1] + "C2C1" + hex(p), Kind.VECTOR, Lanes.valueOf(f[2])));
            }
        }
        String[][] rounds = {{"ss", "0A", "S"}, {"sd", "0B", "D"}, {"ps", "08", "S"}, {"pd", "09", "D"}};
        for (String[] f : rounds) {
            for (int imm = 0; imm < 16; imm++) {
                l.add(new OpSpec("round" + f[0] + imm, "660F3A" + f[1] + "C1" + hex(imm), Kind.VECTOR,
                        Lanes.valueOf(f[2])));
            }
        }
        for (int imm : new int[] {255, 241, 51, 204, 127}) {
            l.add(new OpSpec("dpps" + imm, "660F3A40C1" + hex(imm), Kind.VECTOR, Lanes.S));
        }
        for (int imm : new int[] {51, 49, 18}) {
            l.add(new OpSpec("dppd" + imm, "660F3A41C1" + hex(imm), Kind.VECTOR, Lanes.D));
        }
        String[][] more = {{"haddps", "F20F7CC1", "S"}, {"haddpd", "660F7CC1", "D"}, {"hsubps", "F20F7DC1", "S"},
            {"hsubpd", "660F7DC1", "D"}, {"addsubps", "F20FD0C1", "S"}, {"addsubpd", "660FD0C1", "D"},
            {"cvtss2sd", "F30F5AC1", "S"}, {"cvtsd2ss", "F20F5AC1", "D"}, {"cvtps2pd", "0F5AC1", "S"},
            {"cvtpd2ps", "660F5AC1", "D"}, {"cvtdq2ps", "0F5BC1", "I32"}, {"cvtps2dq", "660F5BC1", "S"},
            {"cvttps2dq", "F30F5BC1", "S"}, {"cvtdq2pd", "F30FE6C1", "I32"}, {"cvtpd2dq", "F20FE6C1", "D"},
            {"cvttpd2dq", "660FE6C1", "D"}};
        for (String[] o : more) {
            l.add(new OpSpec(o[0], o[1], Kind.VECTOR, Lanes.valueOf(o[2])));
        }
        l.add(new OpSpec("cvtsi2ss32", "F30F2AC0", Kind.INT_TO_FP, Lanes.INT32));
        l.add(new OpSpec("cvtsi2ss64", "F3480F2AC0", Kind.INT_TO_FP, Lanes.INT64));
        l.add(new OpSpec("cvtsi2sd32", "F20F2AC0", Kind.INT_TO_FP, Lanes.INT32));
        l.add(new OpSpec("cvtsi2sd64", "F2480F2AC0", Kind.INT_TO_FP, Lanes.INT64));
        String[][] toInt = {{"cvtss2si", "F3", "2D", "S"}, {"cvttss2si", "F3", "2C", "S"},
            {"cvtsd2si", "F2", "2D", "D"}, {"cvttsd2si", "F2", "2C", "D"}};
        for (String[] o : toInt) {
            l.add(new OpSpec(o[0] + "32", o[1] + "0F" + o[2] + "C1", Kind.FP_TO_INT, Lanes.valueOf(o[3])));
            l.add(new OpSpec(o[0] + "64", o[1] + "480F" + o[2] + "C1", Kind.FP_TO_INT, Lanes.valueOf(o[3])));
        }
        l.addAll(integerOps());
        l.add(new OpSpec("comiss", "0F2FC1", Kind.FLAGS, Lanes.S));
        l.add(new OpSpec("ucomiss", "0F2EC1", Kind.FLAGS, Lanes.S));
        l.add(new OpSpec("comisd", "660F2FC1", Kind.FLAGS, Lanes.D));
        l.add(new OpSpec("ucomisd", "660F2EC1", Kind.FLAGS, Lanes.D));
        return l;
    }

    /** The integer SIMD, shuffle and blend instructions of the oracle (xmm0 op= xmm1, or xmm0 shifted by imm8). */
    static List<OpSpec> integerOps() {
        String[] p66 = {"paddb FC", "paddw FD", "paddd FE", "paddq D4", "psubb F8", "psubw F9", "psubd FA",
            "psubq FB", "paddsb EC", "paddsw ED", "paddusb DC", "paddusw DD", "psubsb E8", "psubsw E9", "psubusb D8",
            "psubusw D9", "pmullw D5", "pmulhw E5", "pmulhuw E4", "pmuludq F4", "pmaddwd F5", "pavgb E0",
            "pavgw E3", "psadbw F6", "pminub DA", "pmaxub DE", "pminsw EA", "pmaxsw EE", "pand DB", "pandn DF",
            "por EB", "pxor EF", "pcmpeqb 74", "pcmpeqw 75", "pcmpeqd 76", "pcmpgtb 64", "pcmpgtw 65",
            "pcmpgtd 66", "punpcklbw 60", "punpcklwd 61", "punpckldq 62", "punpcklqdq 6C", "punpckhbw 68",
            "punpckhwd 69", "punpckhdq 6A", "punpckhqdq 6D", "packsswb 63", "packssdw 6B", "packuswb 67",
            "unpcklpd 14", "unpckhpd 15", "andpd 54", "andnpd 55", "orpd 56", "xorpd 57"};
        String[] shifts = {"psllw F1", "pslld F2", "psllq F3", "psrlw D1", "psrld D2", "psrlq D3", "psraw E1",
            "psrad E2"};
        String[] np = {"unpcklps 14", "unpckhps 15", "andps 54", "andnps 55", "orps 56", "xorps 57"};
        String[] m38 = {"pshufb 00", "phaddw 01", "phaddd 02", "phaddsw 03", "pmaddubsw 04", "phsubw 05",
            "phsubd 06", "phsubsw 07", "psignb 08", "psignw 09", "psignd 0A", "pmulhrsw 0B", "pabsb 1C", "pabsw 1D",
            "pabsd 1E", "pblendvb 10", "blendvps 14", "blendvpd 15", "pmovsxbw 20", "pmovsxbd 21", "pmovsxbq 22",
            "pmovsxwd 23", "pmovsxwq 24", "pmovsxdq 25", "pmovzxbw 30", "pmovzxbd 31", "pmovzxbq 32",
            "pmovzxwd 33", "pmovzxwq 34", "pmovzxdq 35", "pmuldq 28", "pcmpeqq 29", "packusdw 2B", "pcmpgtq 37",
            "pminsb 38", "pminsd 39", "pminuw 3A", "pminud 3B", "pmaxsb 3C", "pmaxsd 3D", "pmaxuw 3E",
            "pmaxud 3F", "pmulld 40", "phminposuw 41"};
        List<OpSpec> l = new ArrayList<>();
        for (String s : p66) {
            l.add(new OpSpec(s.split(" ")[0], "660F" + s.split(" ")[1] + "C1", Kind.VECTOR, Lanes.X));
        }
        for (String s : shifts) {
            l.add(new OpSpec(s.split(" ")[0], "660F" + s.split(" ")[1] + "C1", Kind.VECTOR, Lanes.SHIFT));
        }
        for (String s : np) {
            l.add(new OpSpec(s.split(" ")[0], "0F" + s.split(" ")[1] + "C1", Kind.VECTOR, Lanes.X));
        }
        for (String s : m38) {
            l.add(new OpSpec(s.split(" ")[0], "660F38" + s.split(" ")[1] + "C1", Kind.VECTOR, Lanes.X));
        }
        l.add(new OpSpec("movsldup", "F30F12C1", Kind.VECTOR, Lanes.X));
        l.add(new OpSpec("movshdup", "F30F16C1", Kind.VECTOR, Lanes.X));
        l.add(new OpSpec("movddup", "F20F12C1", Kind.VECTOR, Lanes.X));
        l.add(new OpSpec("ptest", "660F3817C1", Kind.FLAGS, Lanes.X));
        Object[][] imm3 = {{"shufps", "0FC6", new int[] {0x1b, 0xe4, 0x4e}},
            {"shufpd", "660FC6", new int[] {0, 1, 2, 3}}, {"pshufd", "660F70", new int[] {0x1b, 0xe4, 0x4e}},
            {"pshufhw", "F30F70", new int[] {0x1b, 0x93}}, {"pshuflw", "F20F70", new int[] {0x1b, 0x93}},
            {"palignr", "660F3A0F", new int[] {0, 5, 8, 15, 16, 20, 31, 32}},
            {"blendps", "660F3A0C", new int[] {5, 10}}, {"blendpd", "660F3A0D", new int[] {1, 2}},
            {"pblendw", "660F3A0E", new int[] {0x5a, 0xc3}}, {"mpsadbw", "660F3A42", new int[] {0, 5, 2, 7}},
            {"insertps", "660F3A21", new int[] {0x1b, 0xe4, 0x4e, 0x70}}};
        for (Object[] o : imm3) {
            for (int imm : (int[]) o[2]) {
                l.add(new OpSpec(o[0] + "" + imm, o[1] + "C1" + hex(imm), Kind.VECTOR, Lanes.X));
            }
        }
        Object[][] immShifts = {{"psllw", "71", 6, new int[] {0, 3, 15, 16}}, {"pslld", "72", 6,
            new int[] {0, 7, 31, 32}}, {"psllq", "73", 6, new int[] {0, 13, 63, 64}},
            {"psrlw", "71", 2, new int[] {0, 3, 15, 16}}, {"psrld", "72", 2, new int[] {0, 7, 31, 32}},
            {"psrlq", "73", 2, new int[] {0, 13, 63, 64}}, {"psraw", "71", 4, new int[] {0, 3, 15, 16}},
            {"psrad", "72", 4, new int[] {0, 7, 31, 32}}, {"pslldq", "73", 7, new int[] {0, 1, 7, 15, 16}},
            {"psrldq", "73", 3, new int[] {0, 1, 7, 15, 16}}};
        for (Object[] o : immShifts) {
            for (int imm : (int[]) o[3]) {
                l.add(new OpSpec(o[0] + "_i" + imm, "660F" + o[1] + hex(0xC0 | ((int) o[2] << 3)) + hex(imm),
                        Kind.VECTOR, Lanes.X));
            }
        }
        return l;
    }

    static String hex(int b) {
        return String.format("%02X", b);
    }

    // ---- Operand generation -----------------------------------------------------------------------------------

    static long single(SplittableRandom r) {
        long sign = r.nextBoolean() ? 0x80000000L : 0;
        long v = switch (r.nextInt(16)) {
            case 0 -> 0;
            case 1 -> 0x3f800000L;                                            // 1.0
            case 2 -> r.nextLong(1, 0x800000);                                 // denormal
            case 3 -> 0x800000L + r.nextLong(4);                               // smallest normals
            case 4 -> 0x7f7fffffL - r.nextLong(4);                             // largest finite
            case 5 -> 0x7f800000L;                                             // infinity
            case 6 -> 0x7fc00000L | r.nextLong(0x400000);                      // QNaN
            case 7 -> 0x7f800000L | r.nextLong(1, 0x400000);                   // SNaN
            case 8 -> ((long) (r.nextInt(22) + 0x3f) << 23) | r.nextLong(0x800000);  // 1 .. 2^24: near integers
            case 9 -> Float.floatToRawIntBits(r.nextInt(-64, 64) / 2.0f) & 0x7fffffffL;   // halves
            case 10 -> ((long) (r.nextInt(20) + 0x9a) << 23) | r.nextLong(0x800000);     // 2^27 .. 2^46 (int limits)
            case 11 -> ((long) r.nextInt(1, 30) << 23) | r.nextLong(0x800000);           // tiny normals
            case 12 -> ((long) r.nextInt(0xe0, 0xfe) << 23) | r.nextLong(0x800000);      // huge
            default -> r.nextLong(0x7f800000L);
        };
        return sign | v;
    }

    static long dbl(SplittableRandom r) {
        long sign = r.nextBoolean() ? 1L << 63 : 0;
        long frac = r.nextLong() & 0xfffffffffffffL;
        long v = switch (r.nextInt(16)) {
            case 0 -> 0;
            case 1 -> 0x3ff0000000000000L;
            case 2 -> r.nextLong(1, 1L << 52);
            case 3 -> (1L << 52) + r.nextLong(4);
            case 4 -> 0x7fefffffffffffffL - r.nextLong(4);
            case 5 -> 0x7ff0000000000000L;
            case 6 -> 0x7ff8000000000000L | (frac >>> 1);
            case 7 -> 0x7ff0000000000000L | Math.max(1, frac >>> 1);
            case 8 -> ((long) (r.nextInt(55) + 0x3ff) << 52) | frac;
            case 9 -> Double.doubleToRawLongBits(r.nextInt(-64, 64) / 2.0) & Long.MAX_VALUE;
            case 10 -> ((long) (r.nextInt(36) + 0x41a) << 52) | frac;           // 2^27 .. 2^63 (int limits)
            case 11 -> ((long) r.nextInt(1, 60) << 52) | frac;
            case 12 -> ((long) r.nextInt(0x7c0, 0x7ff) << 52) | frac;
            case 13 -> ((long) r.nextInt(0x360, 0x3a0) << 52) | frac;           // narrowing to single: denormals
            case 14 -> ((long) r.nextInt(0x460, 0x480) << 52) | frac;           // narrowing to single: overflow
            default -> r.nextLong() & 0x7fefffffffffffffL;
        };
        return sign | v;
    }

    static long int32(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(-100, 100);
            case 1 -> Integer.MIN_VALUE + r.nextInt(4);
            case 2 -> Integer.MAX_VALUE - r.nextInt(4);
            default -> r.nextInt();
        } & 0xffffffffL;
    }

    static long int64(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextLong(-100, 100);
            case 1 -> Long.MIN_VALUE + r.nextLong(4);
            case 2 -> r.nextLong() >> r.nextInt(64);
            default -> r.nextLong();
        };
    }

    /** Two lanes of {@code lanes} in one quadword. */
    static long quad(SplittableRandom r, Lanes lanes) {
        return switch (lanes) {
            case S -> single(r) | (single(r) << 32);
            case D -> dbl(r);
            case I32 -> int32(r) | (int32(r) << 32);
            case INT32 -> int32(r) | (r.nextLong() << 32);
            case X, SHIFT -> vector(r);
            default -> int64(r);
        };
    }

    /** A quadword of bytes, each often at a saturation or sign boundary. */
    static long vector(SplittableRandom r) {
        long v = 0;
        int[] special = {0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe};
        int mode = r.nextInt(3);
        for (int k = 0; k < 8; k++) {
            long b = mode == 0 ? r.nextInt(256) : r.nextInt(3) == 0 ? r.nextInt(256) : special[r.nextInt(7)];
            v |= b << (8 * k);
        }
        return v;
    }

    /** A source related to the destination: equal, negated, one ulp apart, or independent. */
    static long related(SplittableRandom r, Lanes lanes, long a) {
        return switch (r.nextInt(6)) {
            case 0 -> a;
            case 1 -> a ^ (lanes == Lanes.D ? 1L << 63 : lanes == Lanes.X ? 0x8080808080808080L : 0x8000000080000000L);
            case 2 -> a + (r.nextBoolean() ? 1 : -1);
            default -> quad(r, lanes);
        };
    }

    static int mxcsr(SplittableRandom r) {
        int rc = r.nextInt(4) << 13;
        int daz = r.nextInt(4) == 0 ? 0x40 : 0;
        int ftz = r.nextInt(4) == 0 ? 0x8000 : 0;
        int flags = r.nextBoolean() ? r.nextInt(64) : 0;
        int masks = r.nextInt(5) == 0 ? r.nextInt(64) << 7 : 0x1f80;
        return rc | daz | ftz | flags | masks;
    }

    static List<Case> cases() {
        SplittableRandom r = new SplittableRandom(0x55e0_5eedL);
        List<OpSpec> ops = ops();
        List<Case> cases = new ArrayList<>(CASES);
        for (int k = 0; k < CASES; k++) {
            OpSpec op = ops.get(r.nextInt(ops.size()));
            Lanes src = op.kind() == Kind.INT_TO_FP ? op.lanes() : op.lanes();
            Lanes dst = op.kind() == Kind.INT_TO_FP ? (op.name().contains("2ss") ? Lanes.S : Lanes.D) : op.lanes();
            long alo = quad(r, dst);
            long ahi = quad(r, dst);
            long blo = op.kind() == Kind.INT_TO_FP ? quad(r, src)
                    : src == Lanes.SHIFT ? (r.nextInt(6) == 0 ? r.nextLong() : r.nextInt(70))
                    : related(r, src, alo);
            long bhi = op.kind() == Kind.INT_TO_FP ? 0 : related(r, src, ahi);
            cases.add(new Case(op, mxcsr(r), alo, ahi, blo, bhi));
        }
        return cases;
    }

    // ---- Running on the interpreter -----------------------------------------------------------------------------

    /** "lo hi mxcsr aux" like the oracle, or "XM lo hi mxcsr 0". */
    String interpret(Case c) {
        m.cpu.mxcsr = c.mxcsr();
        m.setXmm(0, c.alo(), c.ahi());
        m.setXmm(1, c.blo(), c.bhi());
        m.cpu.gpr[X86CpuState.RAX] = c.op().kind() == Kind.FP_TO_INT ? 0x5a5a5a5a5a5a5a5aL : c.blo();
        m.cpu.rflags = 2 | 0x8d5;
        int vector = m.run(c.op().hex());
        String regs = Long.toHexString(m.lo(0)) + " " + Long.toHexString(m.hi(0)) + " "
                + Integer.toHexString(m.cpu.mxcsr);
        if (vector == CpuFault.XM) {
            return "XM " + regs + " 0";
        }
        if (vector != -1) {
            return "vector " + vector;
        }
        long aux = switch (c.op().kind()) {
            case FP_TO_INT -> m.cpu.gpr[X86CpuState.RAX];
            case FLAGS -> m.cpu.rflags & 0x8d5;
            default -> 0;
        };
        return regs + " " + Long.toHexString(aux);
    }

    @Test
    void floatingPointInstructionsMatchTheHostCpu() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the oracle needs an x86-64 host");
        Path exe = build(dir, "sse_oracle");
        assumeTrue(exe != null, "no working C compiler to build the oracle");

        List<Case> cases = cases();
        List<String> expected = runOracle(exe, cases.stream().map(c -> String.format("%s %x %x %x %x %x",
                c.op().name(), c.mxcsr(), c.alo(), c.ahi(), c.blo(), c.bhi())).toList());
        List<String> mismatches = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            String got = interpret(c);
            if (!got.equals(expected.get(k))) {
                mismatches.add(String.format("%s mxcsr=%x a=%x:%x b=%x:%x: cpu [%s] interpreter [%s]", c.op().name(),
                        c.mxcsr(), c.ahi(), c.alo(), c.bhi(), c.blo(), expected.get(k), got));
            }
        }

        assertEquals(List.of(), mismatches.subList(0, Math.min(25, mismatches.size())),
                mismatches.size() + " of " + cases.size() + " cases differ from the host CPU");
    }

    /** Compiles resource {@code name}.c with cc -O1; null if there is no working compiler. */
    static Path build(Path dir, String name) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        try (InputStream in = SseOracleTest.class.getResourceAsStream(name + ".c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve(name);
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O1", "-o", exe.toString(), src.toString()).inheritIO().start();
        } catch (IOException e) {
            return null;
        }
        return cc.waitFor() == 0 ? exe : null;
    }

    /** Feeds {@code lines} to the oracle and returns its answer lines. */
    static List<String> runOracle(Path exe, List<String> lines) throws IOException, InterruptedException {
        Process oracle = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = Thread.ofPlatform().start(() -> {
            try (Writer w = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.US_ASCII)) {
                for (String l : lines) {
                    w.write(l);
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> out = new ArrayList<>(lines.size());
        try (BufferedReader rd = new BufferedReader(new InputStreamReader(oracle.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (int k = 0; k < lines.size(); k++) {
                out.add(rd.readLine());
            }
        }
        feeder.join();
        oracle.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
