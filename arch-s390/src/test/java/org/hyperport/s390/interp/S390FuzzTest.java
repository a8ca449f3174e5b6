package org.hyperport.s390.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperport.s390.cpu.S390CpuState;
import org.junit.jupiter.api.Test;

/**
 * A guest can never crash the VMM: random instruction streams, from random register, PSW, control-register and
 * storage states (24/31/64-bit addressing, DAT on with random tables, problem state, storage keys, the AFP and
 * protection controls), must only ever end in architectural outcomes: a completed instruction, a program or other
 * interruption through the lowcore, or the wait state. No Java exception may escape {@link S390Interpreter#step()}.
 * One million steps per run ({@code -Ds390.fuzz.steps=N} for more).
 */
class S390FuzzTest {

    static final long CODE = S390TestCpu.CODE;
    static final long STEPS_TOTAL = Long.getLong("s390.fuzz.steps", 1_000_000L);
    static final int STEPS = 64;

    @Test
    void randomCodeNeverThrowsOutOfTheInterpreter() {
        SplittableRandom r = new SplittableRandom(0x5390f022L);
        List<String> escaped = new ArrayList<>();
        S390TestCpu t = new S390TestCpu(1 << 20);
        S390CpuState cpu = t.cpu;
        byte[] code = new byte[96];
        byte[] junk = new byte[4096];
        long steps = 0;
        long interruptions = 0;
        int programs = 0;
        while (steps < STEPS_TOTAL && escaped.size() < 5) {
            programs++;
            // Random storage around the code and in the table area DAT may walk; random keys on some frames.
            for (long a = 0x20000; a < 0x40000; a += junk.length) {
                r.nextBytes(junk);
                t.ram.writeBytes(a, junk, 0, junk.length);
            }
            for (int k = 0; k < 8; k++) {
                t.keys.set((long) r.nextInt(256) << 12, r.nextInt(256) & 0xfe);
            }
            r.nextBytes(code);
            t.ram.writeBytes(CODE, code, 0, code.length);
            for (int g = 0; g < 16; g++) {
                cpu.gpr[g] = switch (r.nextInt(4)) {
                    case 0 -> r.nextLong();
                    case 1 -> r.nextLong(1 << 20);
                    case 2 -> r.nextInt(16);
                    default -> 0x20000 + r.nextLong(0x20000);
                };
                cpu.fpr[g] = r.nextLong();
                cpu.ar[g] = r.nextInt(4) == 0 ? r.nextInt() : 0;
            }
            cpu.fpc = r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(8);
            cpu.cr[0] = 0xe0 | (r.nextBoolean() ? S390Interpreter.CR0_AFP : 0)
                    | (r.nextInt(4) == 0 ? r.nextLong() & 0xffffffffL : 0);
            cpu.cr[1] = 0x20000 + (r.nextLong(0x20000) & ~0xfffL) | r.nextInt(0x100);
            cpu.cr[7] = cpu.cr[1];
            cpu.cr[13] = r.nextInt(4) == 0 ? r.nextLong() : cpu.cr[1];
            cpu.prefix = r.nextInt(8) == 0 ? 0x40000 : 0;
            long mask = S390TestCpu.PSW_64;
            switch (r.nextInt(6)) {
                case 0 -> mask = S390CpuState.PSW_BA;
                case 1 -> mask = 0;
                default -> {
                }
            }
            if (r.nextInt(4) == 0) {
                mask |= S390CpuState.PSW_DAT;
            }
            if (r.nextInt(4) == 0) {
                mask |= S390CpuState.PSW_PROBLEM;
            }
            if (r.nextInt(4) == 0) {
                mask |= (long) r.nextInt(16) << S390CpuState.PSW_KEY_SHIFT;
            }
            if (r.nextInt(4) == 0) {
                mask |= S390CpuState.PSW_EXT | S390CpuState.PSW_IO;
            }
            mask |= (long) r.nextInt(4) << S390CpuState.PSW_ASC_SHIFT;
            mask |= (long) r.nextInt(16) << S390CpuState.PSW_PROGRAM_MASK_SHIFT;
            cpu.setPsw(mask | ((long) r.nextInt(4) << S390CpuState.PSW_CC_SHIFT), CODE);
            cpu.clockComparator = r.nextBoolean() ? 0 : -1;
            // New PSWs (absolute, as the prefix selects): keep executing random code after an interruption,
            // sometimes in another mode or in the wait state.
            long lowcore = cpu.prefix;
            for (int off : new int[] {S390Interpreter.LC_PGM_NEW, S390Interpreter.LC_SVC_NEW,
                    S390Interpreter.LC_EXT_NEW, S390Interpreter.LC_IO_NEW, S390Interpreter.LC_MCHK_NEW,
                    S390Interpreter.LC_RESTART_NEW}) {
                long nm = r.nextInt(8) == 0 ? r.nextLong() : S390TestCpu.PSW_64
                        | (r.nextInt(8) == 0 ? S390CpuState.PSW_WAIT : 0);
                t.ram.write64(lowcore + off, nm);
                t.ram.write64(lowcore + off + 8, r.nextInt(8) == 0 ? r.nextLong() : CODE + 2L * r.nextInt(40));
            }
            t.c.flushTlb();
            for (int s = 0; s < STEPS; s++) {
                steps++;
                int before = t.programCode();
                try {
                    if (!t.c.step()) {
                        break; // the wait state: architectural; start another program
                    }
                } catch (Throwable e) {
                    escaped.add(e + " after program " + HexFormat.of().formatHex(code) + " at PSW "
                            + String.format("%016x %016x", cpu.psw(), cpu.pswAddr));
                    break;
                }
                if (t.programCode() != before) {
                    interruptions++;
                }
            }
        }
        assertEquals(List.of(), escaped);
        assertTrue(steps >= STEPS_TOTAL, "ran " + steps + " steps");
        assertTrue(interruptions > programs / 4, "random code mostly interrupts: " + interruptions + " interruptions in "
                + programs + " programs");
    }
}
