package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * x87 instructions against the host CPU, bit for bit: x87_oracle.c executes the same instruction bytes natively on a
 * prepared register stack under a random FCW (rounding and precision control, masked and unmasked exceptions) and
 * reports FCW, FSW (flags, condition codes, TOP, ES/B), the tag word, every non-empty ST(i), the memory operand and
 * the status flags. Operands cover zeros, denormals and pseudo-denormals, unnormals, infinities, NaNs, integer and
 * format boundaries, and over/underflow; stacks are empty, partly filled or full. The transcendental instructions
 * are left out: the host's own results are not correctly rounded, so they are judged (against KVM, allowing
 * rounding apart near a rounding boundary) by FpuTranscendentalOracleTest. Runs only on x86-64 hosts with a C
 * compiler.
 */
class FpuOracleTest {

    static final int CASES = 150_000;

    @TempDir
    Path dir;

    final FpTestMachine m = new FpTestMachine();

    @AfterEach
    void tearDown() {
        m.close();
    }

    record OpSpec(String name, String hex) {}

    record Case(OpSpec op, int fcw, int depth, long ase, long asig, long bse, long bsig) {}

    /** The instruction table of x87_oracle.c: {@code _(name, "0xd8,0xc1")}. */
    static List<OpSpec> ops() throws IOException {
        String src;
        try (InputStream in = FpuOracleTest.class.getResourceAsStream("x87_oracle.c")) {
            src = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        Matcher mt = Pattern.compile("_\\((\\w+), \"([0-9a-fx,]+)\"\\)").matcher(src);
        List<OpSpec> l = new ArrayList<>();
        while (mt.find()) {
            l.add(new OpSpec(mt.group(1), mt.group(2).replace("0x", "").replace(",", "")));
        }
        return l;
    }

    // ---- Operands -----------------------------------------------------------------------------------------------

    /** {se, sig} of a random extended value. */
    static long[] ext(SplittableRandom r) {
        long sign = r.nextBoolean() ? 0x8000 : 0;
        long sig = r.nextLong() | Long.MIN_VALUE;
        long e;
        switch (r.nextInt(20)) {
            case 0 -> {
                e = 0;
                sig = 0;
            }
            case 1 -> {
                e = 0x3fff;
                sig = Long.MIN_VALUE;
            }
            case 2 -> {
                e = 0;
                sig >>>= r.nextInt(1, 64);
            }
            case 3 -> e = 0;                                                     // pseudo-denormal
            case 4 -> {
                e = r.nextInt(1, 0x7fff);
                sig &= Long.MAX_VALUE;                                           // unnormal
            }
            case 5 -> {
                e = 0x7fff;
                sig = Long.MIN_VALUE;
            }
            case 6 -> {
                e = 0x7fff;
                sig |= 1L << 62;
            }
            case 7 -> {
                e = 0x7fff;
                sig = (sig & ~(1L << 62)) | 1;
            }
            case 8 -> e = r.nextInt(0x3fff - 20, 0x3fff + 20);
            case 9 -> {
                e = r.nextInt(0x3fff, 0x3fff + 66);                             // near integers
                sig &= -1L << r.nextInt(0, 64);
            }
            case 10 -> {
                e = r.nextInt(0x3ffe, 0x3fff + 4);
                sig &= 0xfff0000000000000L;
            }
            case 11 -> e = r.nextInt(1, 80);                                     // tiny
            case 12 -> e = r.nextInt(0x7fff - 80, 0x7fff);                       // huge
            case 13 -> e = 0x3fff + (r.nextBoolean() ? 1 : -1) * r.nextInt(120, 160);    // single limits
            case 14 -> e = 0x3fff + (r.nextBoolean() ? 1 : -1) * r.nextInt(1015, 1080);  // double limits
            case 15 -> {
                e = 0x7fff;
                sig = r.nextBoolean() ? 0 : sig & Long.MAX_VALUE;                // pseudo-infinity, pseudo-NaN
            }
            case 16 -> {
                e = 0x3fff;
                sig &= 0xff00000000000000L;
            }
            default -> e = r.nextInt(0x3fff - 100, 0x3fff + 100);
        }
        return new long[] {sign | e, sig};
    }

    static long[] related(SplittableRandom r, long[] a) {
        return switch (r.nextInt(8)) {
            case 0 -> a.clone();
            case 1 -> new long[] {a[0] ^ 0x8000, a[1]};
            case 2 -> new long[] {a[0], a[1] + (r.nextBoolean() ? 1 : -1)};
            case 3 -> new long[] {Math.max(1, (a[0] & 0x7fff) - r.nextInt(0, 200)) | (a[0] & 0x8000),
                r.nextLong() | Long.MIN_VALUE};
            default -> ext(r);
        };
    }

    static int fcw(SplittableRandom r) {
        int rc = r.nextInt(4) << 10;
        int pc = new int[] {0, 2, 3, 3, 3}[r.nextInt(5)] << 8;
        int masks = r.nextInt(5) == 0 ? r.nextInt(64) : 0x3f;
        return 0x40 | rc | pc | masks;
    }

    static List<Case> cases(List<OpSpec> ops) {
        SplittableRandom r = new SplittableRandom(0x87_5eedL);
        List<Case> cases = new ArrayList<>(CASES);
        for (int k = 0; k < CASES; k++) {
            OpSpec op = ops.get(r.nextInt(ops.size()));
            long[] a = ext(r);
            long[] b = related(r, a);
            int depth = switch (r.nextInt(10)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 8;
                default -> 2;
            };
            cases.add(new Case(op, fcw(r), depth, a[0], a[1], b[0], b[1]));
        }
        return cases;
    }

    // ---- Running on the interpreter -----------------------------------------------------------------------------

    String interpret(Case c) {
        X86CpuState cpu = m.cpu;
        int top = (8 - c.depth()) & 7;
        cpu.fcw = c.fcw();
        cpu.fsw = top << 11;
        cpu.ftw = 0;
        for (int k = 0; k < 8; k++) {
            cpu.st[2 * k] = c.bsig();
            cpu.st[2 * k + 1] = c.bse();
        }
        for (int k = 0; k < c.depth(); k++) {
            cpu.ftw |= 1 << ((top + k) & 7);
            cpu.st[2 * k] = k == 0 ? c.asig() : c.bsig();
            cpu.st[2 * k + 1] = k == 0 ? c.ase() : c.bse();
        }
        cpu.rflags = 2 | 0x8d5;
        cpu.gpr[X86CpuState.RDI] = FpTestMachine.DATA;
        m.ram.write64(FpTestMachine.DATA, c.bsig());
        m.ram.write64(FpTestMachine.DATA + 8, c.bse());
        int vector = m.run(c.op().hex());
        if (vector != -1) {
            return "vector " + vector;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Integer.toHexString(cpu.fcw)).append(' ').append(Integer.toHexString(cpu.fsw)).append(' ')
                .append(Integer.toHexString(cpu.ftw));
        int t = (cpu.fsw >>> 11) & 7;
        for (int k = 0; k < 8; k++) {
            if ((cpu.ftw & (1 << ((t + k) & 7))) != 0) {
                sb.append(' ').append(Long.toHexString(cpu.st[2 * k + 1] & 0xffff)).append(':')
                        .append(Long.toHexString(cpu.st[2 * k]));
            } else {
                sb.append(" -");
            }
        }
        sb.append(' ').append(Long.toHexString(m.ram.read64(FpTestMachine.DATA))).append(' ')
                .append(Integer.toHexString(m.ram.read16(FpTestMachine.DATA + 8))).append(' ')
                .append(Long.toHexString(cpu.rflags & 0x8d5));
        return sb.toString();
    }

    @Test
    void x87InstructionsMatchTheHostCpu() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the oracle needs an x86-64 host");
        Path exe = SseOracleTest.build(dir, "x87_oracle");
        assumeTrue(exe != null, "no working C compiler to build the oracle");

        List<Case> cases = cases(ops());
        List<String> expected = SseOracleTest.runOracle(exe, cases.stream().map(c -> String.format(
                "%s %x %x %x %x %x %x", c.op().name(), c.fcw(), c.depth(), c.ase(), c.asig(), c.bse(), c.bsig()))
                .toList());
        List<String> mismatches = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            String got = interpret(c);
            if (!got.equals(expected.get(k))) {
                mismatches.add(String.format("%s fcw=%x depth=%d a=%x:%x b=%x:%x:%n  cpu [%s]%n  int [%s]",
                        c.op().name(), c.fcw(), c.depth(), c.ase(), c.asig(), c.bse(), c.bsig(), expected.get(k),
                        got));
            }
        }

        assertEquals(List.of(), mismatches.subList(0, Math.min(25, mismatches.size())),
                mismatches.size() + " of " + cases.size() + " cases differ from the host CPU");
    }
}
