package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.concurrent.TimeUnit;
import org.hyperport.x86.interp.GeneralCaseGenerator.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GeneralInstructions} against the host CPU. {@link GeneralCaseGenerator} produces random general-purpose
 * instructions with random operands and flags; general_oracle.c (built here with the host's C compiler) executes
 * each one natively in user mode, single-stepped, and reports every GPR, RIP, RFLAGS, the signal (if it faulted) and
 * the bytes of its data page that changed. The interpreter runs the same bytes at the same linear addresses at
 * CPL 3, and everything is compared except the flags (and, rarely, registers) the SDM leaves undefined for the case.
 * Runs only on x86-64 hosts with a C compiler.
 */
class GeneralHostDifferentialTest {

    static final int CASES = 40_000;
    static final long DATA_PA = 0x10000;
    static final int SIGTRAP = 5, SIGILL = 4, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;
    static final long COMPARED_FLAGS = GeneralCaseGenerator.STATUS | GeneralCaseGenerator.DF;

    @TempDir
    Path dir;

    /** The signal Linux sends for an exception vector (arch/x86/kernel/traps.c). */
    static int signal(int vector) {
        return switch (vector) {
            case -1 -> SIGTRAP;
            case CpuFault.DE -> SIGFPE;
            case CpuFault.UD -> SIGILL;
            case CpuFault.SS, CpuFault.AC -> SIGBUS;
            default -> SIGSEGV;
        };
    }

    private Path buildOracle() throws IOException, InterruptedException {
        Path src = dir.resolve("general_oracle.c");
        try (InputStream in = getClass().getResourceAsStream("general_oracle.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve("general_oracle");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O1", "-o", exe.toString(), src.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "no C compiler to build the oracle: " + e.getMessage());
            return null;
        }
        assumeTrue(cc.waitFor() == 0, "the C compiler failed to build the oracle");
        return exe;
    }

    /** Runs {@code c} in the interpreter and formats the outcome exactly as the oracle prints it. */
    static String interpret(GeneralMachine m, Case c) {
        for (int off = 0; off < 0x1000; off++) {
            m.ram.write8(DATA_PA + off, GeneralCaseGenerator.pattern(off));
        }
        m.ram.fill(DATA_PA + 0x1000, 0x1000, (byte) 0xcc);
        m.ram.writeBytes(DATA_PA + 0x1800, c.code(), 0, c.code().length);
        System.arraycopy(c.regs(), 0, m.cpu.gpr, 0, 16);
        m.cpu.rip = GeneralCaseGenerator.ENTRY;
        m.cpu.rflags = c.flags() | 0x202;
        m.step();
        StringBuilder sb = new StringBuilder();
        sb.append(signal(m.faultVector)).append(' ').append(Long.toHexString(m.cpu.rip)).append(' ')
                .append(Long.toHexString(m.cpu.rflags));
        for (int i = 0; i < 16; i++) {
            sb.append(' ').append(Long.toHexString(m.cpu.gpr[i]));
        }
        StringBuilder diff = new StringBuilder();
        int changed = 0;
        for (int off = 0; off < 0x1000; off++) {
            int b = m.ram.read8(DATA_PA + off);
            if (b != GeneralCaseGenerator.pattern(off)) {
                changed++;
                diff.append(' ').append(Integer.toHexString(off)).append(':').append(Integer.toHexString(b));
            }
        }
        return sb.append(' ').append(changed).append(diff).toString();
    }

    /** The comparable part of an outcome line: flags masked to the defined ones, undefined registers dropped. */
    static String comparable(String line, Case c) {
        String[] f = line.split(" ", 20);
        StringBuilder sb = new StringBuilder();
        sb.append("sig=").append(f[0]).append(" rip=").append(f[1]);
        long flags = Long.parseUnsignedLong(f[2], 16) & COMPARED_FLAGS & ~c.undefinedFlags();
        sb.append(" flags=").append(Long.toHexString(flags));
        for (int i = 0; i < 16; i++) {
            if ((c.undefinedRegs() & (1 << i)) == 0) {
                sb.append(" r").append(i).append('=').append(f[3 + i]);
            }
        }
        return sb.append(" mem=").append(f.length > 19 ? f[19] : "").toString();
    }

    @Test
    void generalInstructionsMatchTheHostCpu() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the oracle needs an x86-64 host");
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the oracle uses Linux signal frames");
        Path exe = buildOracle();
        GeneralCaseGenerator gen = new GeneralCaseGenerator(0x6e4e);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            cases.add(gen.next());
        }
        Process oracle = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = Thread.ofPlatform().start(() -> {
            try (Writer w = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.US_ASCII)) {
                for (Case c : cases) {
                    StringBuilder sb = new StringBuilder(c.hex());
                    for (long v : c.regs()) {
                        sb.append(' ').append(Long.toHexString(v));
                    }
                    w.write(sb.append(' ').append(Long.toHexString(c.flags() | 2)).append('\n').toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> mismatches = new ArrayList<>();
        int completed = 0;
        try (GeneralMachine m = GeneralMachine.hostMirror(DATA_PA);
             BufferedReader rd = new BufferedReader(new InputStreamReader(oracle.getInputStream(),
                     StandardCharsets.US_ASCII))) {
            for (Case c : cases) {
                String hw = rd.readLine();
                assumeTrue(hw != null && !hw.equals("nomap"), "the oracle could not map its pages");
                String expected = comparable(hw, c);
                completed += hw.startsWith(SIGTRAP + " ") ? 1 : 0;
                String actual = comparable(interpret(m, c), c);
                if (!expected.equals(actual)) {
                    mismatches.add(c.name() + " " + c.hex() + " flags " + Long.toHexString(c.flags()) + " regs "
                            + java.util.Arrays.stream(c.regs()).mapToObj(Long::toHexString).toList()
                            + "\n  cpu  " + expected + "\n  java " + actual);
                }
            }
        } finally {
            oracle.destroyForcibly();
        }
        feeder.join();
        oracle.waitFor(10, TimeUnit.SECONDS);

        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
                mismatches.size() + " of " + CASES + " cases differ from the host CPU");
        assertTrue(completed > CASES * 9 / 10, "only " + completed + " cases ran without a fault");
    }
}
