package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperport.x86.interp.GeneralCaseGenerator.Case;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link FastPath}, {@link LazyFlags}) against the semantic groups it shortcuts. Each of
 * {@link GeneralCaseGenerator}'s random general-purpose instructions runs after a flag-setting fast-path
 * instruction, in one block of lazy steps on one machine and by two ordinary steps through the groups alone on
 * another; the whole state (every GPR, RIP, all of RFLAGS including the flags the SDM leaves undefined, the data
 * page, the fault taken) must be identical.
 */
class FastPathDifferentialTest {

    static final int CASES = 60_000;
    static final long DATA_PA = 0x10000;
    /** Flag-setting fast-path instructions placed before each case (cmp, test, add, sub, inc, dec, shifts, imul, xor,
     * neg on r8 and r9), and a NOP that leaves the flags exact. */
    static final String[] PREFIXES = {"4d39c8", "4d85c8", "4539c8", "4538c8", "664539c8", "4d01c8", "4d29c8",
        "49ffc0", "49ffc8", "49c1e005", "49c1e805", "49c1f83f", "4d0fafc1", "4d31c8", "4d31c0", "49f7d8", "90"};

    private static void load(GeneralMachine m, Case c, byte[] prefix) {
        for (int off = 0; off < 0x1000; off++) {
            m.ram.write8(DATA_PA + off, GeneralCaseGenerator.pattern(off));
        }
        m.ram.fill(DATA_PA + 0x1000, 0x1000, (byte) 0xcc);
        m.ram.writeBytes(DATA_PA + 0x1800 - prefix.length, prefix, 0, prefix.length);
        m.ram.writeBytes(DATA_PA + 0x1800, c.code(), 0, c.code().length);
        System.arraycopy(c.regs(), 0, m.cpu.gpr, 0, 16);
        m.cpu.rip = GeneralCaseGenerator.ENTRY - prefix.length;
        m.cpu.rflags = c.flags() | 0x202;
        m.x.mem.flush();
    }

    static String state(GeneralMachine m, int fault) {
        StringBuilder sb = new StringBuilder();
        sb.append("fault=").append(fault).append(" rip=").append(Long.toHexString(m.cpu.rip)).append(" rflags=")
                .append(Long.toHexString(m.cpu.rflags));
        for (int i = 0; i < 16; i++) {
            sb.append(' ').append(Long.toHexString(m.cpu.gpr[i]));
        }
        sb.append(" mem");
        for (int off = 0; off < 0x1000; off++) {
            int b = m.ram.read8(DATA_PA + off);
            if (b != GeneralCaseGenerator.pattern(off)) {
                sb.append(' ').append(Integer.toHexString(off)).append(':').append(Integer.toHexString(b));
            }
        }
        return sb.toString();
    }

    @Test
    void fastPathMatchesTheSemanticGroups() {
        GeneralCaseGenerator gen = new GeneralCaseGenerator(0xfa57);
        SplittableRandom r = new SplittableRandom(0xfa58);
        List<String> mismatches = new ArrayList<>();
        int fastRan = 0;
        try (GeneralMachine ref = GeneralMachine.hostMirror(DATA_PA);
             GeneralMachine fast = GeneralMachine.hostMirror(DATA_PA)) {
            fast.x.fastPath(true);
            for (int n = 0; n < CASES; n++) {
                Case c = gen.next();
                byte[] prefix = HexFormat.of().parseHex(PREFIXES[r.nextInt(PREFIXES.length)]);
                load(ref, c, prefix);
                load(fast, c, prefix);

                ref.x.lastFaultVector = -1;
                if (ref.step()) {
                    ref.step();
                }
                String expected = state(ref, ref.x.lastFaultVector);

                fast.x.lastFaultVector = -1;
                fast.x.beginBlock();
                if (fast.x.stepLazy()) {
                    fast.handled = false;
                    fast.x.stepLazy();
                }
                fast.x.syncFlags();
                String actual = state(fast, fast.x.lastFaultVector);
                fastRan += fast.handled ? 0 : 1;

                if (!expected.equals(actual)) {
                    mismatches.add(c.name() + " " + HexFormat.of()
                            .formatHex(prefix) + " " + c.hex() + "\n  groups " + expected + "\n  fast   "
                            + actual);
                }
            }
        }

        assertEquals(List.of(), mismatches.subList(0, Math.min(10, mismatches.size())),
                mismatches.size() + " of " + CASES + " cases differ");
        assertTrue(fastRan > CASES / 4, "only " + fastRan + " cases ran on the fast path");
    }
}
