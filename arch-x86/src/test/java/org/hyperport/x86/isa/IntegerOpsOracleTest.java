package org.hyperport.x86.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IntegerOps} against the host CPU: a small C program (alu_oracle.c, built here with the host's C compiler)
 * executes each operation natively and reports the result and the six status flags. Runs only on x86-64 hosts
 * with a C compiler; flags the SDM leaves undefined are masked on both sides.
 */
class IntegerOpsOracleTest {

    static final String[] OPS = {"add", "adc", "sub", "sbb", "and", "or", "xor", "shl", "shr", "sar", "rol", "ror",
        "rcl", "rcr", "inc", "dec", "neg", "mul", "imul", "bsf", "bsr", "popcnt", "lzcnt", "tzcnt"};
    static final int[] SIZES = {1, 2, 4, 8};
    static final int CASES = 200_000;

    @TempDir
    Path dir;

    record Case(String op, int size, long a, long b, int cf) {}

    static long operand(SplittableRandom r, int size) {
        long m = IntegerOps.mask(size);
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> m;
            case 2 -> (m >>> 1);
            case 3 -> (m >>> 1) + 1;
            case 4 -> r.nextLong(16);
            default -> r.nextLong() & m;
        };
    }

    static long java(X86CpuState s, Case c) {
        return switch (c.op()) {
            case "add" -> IntegerOps.add(s, c.a(), c.b(), 0, c.size());
            case "adc" -> IntegerOps.add(s, c.a(), c.b(), c.cf(), c.size());
            case "sub" -> IntegerOps.sub(s, c.a(), c.b(), 0, c.size());
            case "sbb" -> IntegerOps.sub(s, c.a(), c.b(), c.cf(), c.size());
            case "and" -> IntegerOps.logic(s, c.a() & c.b(), c.size());
            case "or" -> IntegerOps.logic(s, c.a() | c.b(), c.size());
            case "xor" -> IntegerOps.logic(s, c.a() ^ c.b(), c.size());
            case "shl" -> IntegerOps.shl(s, c.a(), c.b(), c.size());
            case "shr" -> IntegerOps.shr(s, c.a(), c.b(), c.size());
            case "sar" -> IntegerOps.sar(s, c.a(), c.b(), c.size());
            case "rol" -> IntegerOps.rol(s, c.a(), c.b(), c.size());
            case "ror" -> IntegerOps.ror(s, c.a(), c.b(), c.size());
            case "rcl" -> IntegerOps.rcl(s, c.a(), c.b(), c.size());
            case "rcr" -> IntegerOps.rcr(s, c.a(), c.b(), c.size());
            case "inc" -> IntegerOps.inc(s, c.a(), c.size());
            case "dec" -> IntegerOps.dec(s, c.a(), c.size());
            case "neg" -> IntegerOps.neg(s, c.a(), c.size());
            case "bsf" -> BitOps.bsf(s, 0x5a, c.a(), c.size());
            case "bsr" -> BitOps.bsr(s, 0x5a, c.a(), c.size());
            case "popcnt" -> BitOps.popcnt(s, c.a(), c.size());
            case "lzcnt" -> BitOps.lzcnt(s, c.a(), c.size());
            case "tzcnt" -> BitOps.tzcnt(s, c.a(), c.size());
            case "mul", "imul" -> {
                long[] hl = new long[2];
                if (c.op().equals("mul")) {
                    IntegerOps.mul(s, c.a(), c.b(), c.size(), hl);
                } else {
                    IntegerOps.imul(s, c.a(), c.b(), c.size(), hl);
                }
                yield hl[0] * 31 + hl[1];
            }
            default -> throw new IllegalArgumentException(c.op());
        };
    }

    /** Flags the SDM leaves undefined for this case. */
    static long undefined(Case c) {
        int bits = c.size() * 8;
        int count = (int) (c.b() & (c.size() == 8 ? 0x3f : 0x1f));
        return switch (c.op()) {
            case "and", "or", "xor" -> IntegerOps.AF;
            case "shl", "shr" -> count == 0 ? 0
                    : IntegerOps.AF | (count > 1 ? IntegerOps.OF : 0) | (count >= bits ? IntegerOps.CF : 0);
            case "sar" -> count == 0 ? 0 : IntegerOps.AF | (count > 1 ? IntegerOps.OF : 0);
            case "mul", "imul" -> IntegerOps.UNDEFINED_AFTER_MUL;
            case "bsf", "bsr" -> IntegerOps.STATUS & ~IntegerOps.ZF;
            case "lzcnt", "tzcnt" -> IntegerOps.OF | IntegerOps.SF | IntegerOps.AF | IntegerOps.PF;
            // OF is defined for 1-bit rotates only; a masked count of 0 changes nothing.
            case "rol", "ror", "rcl", "rcr" -> count <= 1 ? 0 : IntegerOps.OF;
            default -> 0;
        };
    }

    @Test
    void integerOpsMatchTheHostCpu() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the oracle needs an x86-64 host");
        Path src = dir.resolve("alu_oracle.c");
        try (InputStream in = getClass().getResourceAsStream("alu_oracle.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve("alu_oracle");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O1", "-o", exe.toString(), src.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "no C compiler to build the oracle: " + e.getMessage());
            return;
        }
        assumeTrue(cc.waitFor() == 0, "the C compiler failed to build the oracle");

        SplittableRandom r = new SplittableRandom(0x5eed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String op = OPS[r.nextInt(OPS.length)];
            int size = SIZES[r.nextInt(SIZES.length)];
            if ((op.endsWith("mul") || op.endsWith("cnt") || op.startsWith("bs")) && size == 1) {
                size = 2;
            }
            boolean shift = op.startsWith("s") && op.length() == 3 && !op.equals("sub") && !op.equals("sbb")
                    || op.startsWith("r");
            long b = shift ? r.nextInt(70) : operand(r, size);
            cases.add(new Case(op, size, operand(r, size), b, r.nextInt(2)));
        }
        Process oracle = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = Thread.ofPlatform().start(() -> {
            try (Writer w = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.US_ASCII)) {
                for (Case c : cases) {
                    w.write(c.op() + " " + c.size() + " " + Long.toHexString(c.a()) + " " + Long.toHexString(c.b())
                            + " " + c.cf() + "\n");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> mismatches = new ArrayList<>();
        try (BufferedReader rd = new BufferedReader(new InputStreamReader(oracle.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (Case c : cases) {
                String[] hw = rd.readLine().split(" ");
                long hwResult;
                if (hw[0].contains(":")) {
                    String[] hl = hw[0].split(":");
                    long m = IntegerOps.mask(c.size());
                    hwResult = (Long.parseUnsignedLong(hl[0], 16) & m) * 31 + (Long.parseUnsignedLong(hl[1], 16) & m);
                } else {
                    hwResult = Long.parseUnsignedLong(hw[0], 16);
                }
                long hwFlags = Long.parseUnsignedLong(hw[1], 16);
                X86CpuState s = new X86CpuState();
                s.rflags = 2 | c.cf();
                long result = java(s, c);
                long compared = IntegerOps.STATUS & ~undefined(c);
                if (result != hwResult || ((s.rflags ^ hwFlags) & compared) != 0) {
                    mismatches.add(String.format("%s size %d a=%x b=%x cf=%d: java %x flags %x, cpu %x flags %x",
                            c.op(), c.size(), c.a(), c.b(), c.cf(), result, s.rflags & compared, hwResult,
                            hwFlags & compared));
                }
            }
        }
        feeder.join();
        oracle.waitFor(10, TimeUnit.SECONDS);

        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
                mismatches.size() + " of " + CASES + " cases differ from the host CPU");
    }
}
