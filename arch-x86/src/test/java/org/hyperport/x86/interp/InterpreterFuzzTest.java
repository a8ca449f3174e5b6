package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperport.x86.cpu.X86CpuState;
import org.junit.jupiter.api.Test;

/**
 * A guest can never crash the VMM: random code executed with every semantic group, from random register states at
 * CPL 0 and 3, must only ever produce architectural outcomes (an exception delivered through the IDT, or a triple
 * fault reported by {@code step()} returning false), never a Java exception escaping the interpreter.
 * One million instructions per run, and 200,000 more with translation to JVM bytecode.
 */
class InterpreterFuzzTest {

    static final long CODE = 0x100000;
    static final long STEPS_TOTAL = 1_000_000;
    static final int STEPS = 50;

    @Test
    void randomCodeNeverThrowsOutOfTheInterpreter() {
        assertEquals(List.of(), fuzz(0xf022, STEPS_TOTAL, false, new long[1]));
    }

    /** The same with every block head translated to JVM bytecode on its first execution ({@link BlockCompiler}). */
    @Test
    void randomCodeNeverThrowsOutOfTranslatedBlocks() {
        long[] translated = new long[1];
        assertEquals(List.of(), fuzz(0xf023, STEPS_TOTAL / 5, true, translated));
        assertTrue(translated[0] > 5_000, "only " + translated[0] + " blocks translated");
    }

    private static List<String> fuzz(long seed, long total, boolean translate, long[] translated) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> escaped = new ArrayList<>();
        try (SystemTestMachine m = new SystemTestMachine()) {
            X86Interpreter x = new X86Interpreter(m.cpu, m.ram, m.io, m.hooks,
                    X86Semantics.groups().toArray(X86Interpreter.Semantics[]::new));
            x.jitThreshold(translate ? 1 : 0);
            byte[] code = new byte[64];
            long steps = 0;
            while (steps < total && escaped.size() < 5) {
                m.long64(r.nextInt(4) == 0 ? 3 : 0);
                r.nextBytes(code);
                m.ram.writeBytes(CODE, code, 0, code.length);
                for (int g = 0; g < 16; g++) {
                    m.cpu.gpr[g] = r.nextInt(3) == 0 ? r.nextLong(0x200000) : r.nextLong();
                }
                m.cpu.gpr[X86CpuState.RSP] = 0x180000 + r.nextInt(0x1000);
                m.cpu.rflags = 2 | (r.nextLong() & 0xcd5);
                m.cpu.rip = CODE;
                m.cpu.cr4 |= X86CpuState.CR4_OSFXSR | X86CpuState.CR4_OSXMMEXCPT;
                x.mem.flush();
                x.halted = false;
                x.beginBlock();
                for (int s = 0; s < STEPS; ) {
                    try {
                        int n = translate ? x.stepBlock(STEPS - s) : x.step() ? 1 : -1;
                        if (n < 0) {
                            steps++;
                            break; // triple fault: architectural; start another program
                        }
                        s += n;
                        steps += n;
                    } catch (Throwable t) {
                        escaped.add(t + " after program " + HexFormat.of().formatHex(code) + " at rip 0x"
                                + Long.toHexString(m.cpu.rip));
                        break;
                    }
                }
            }
            x.syncFlags();
            translated[0] = x.blocksTranslated;
        }
        return escaped;
    }
}
