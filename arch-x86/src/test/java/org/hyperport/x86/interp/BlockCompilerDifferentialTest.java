package org.hyperport.x86.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.hyperport.x86.interp.GeneralCaseGenerator.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Translated blocks ({@link BlockCompiler}) against the semantic groups. Random programs of
 * {@link GeneralCaseGenerator}'s general-purpose instructions, half of them wrapped in a counted loop, run with
 * translation on every block head on one machine, and instruction by instruction through the groups alone on the
 * other, for the same number of retired instructions; the whole state (GPRs, RIP, RFLAGS including the flags the
 * SDM leaves undefined, the data page, the fault taken, the instruction count) must be identical. Faults (#PF outside
 * the two mapped pages, #BP from stray branches, #GP from the final HLT at CPL 3) end the run as a triple fault,
 * which exercises the translated code's precise-fault path.
 */
@Timeout(300) // a translated loop that never counts its instructions would never return
class BlockCompilerDifferentialTest {

    static final int PROGRAMS = Integer.getInteger("jit.cases", 20_000);
    static final long DATA_PA = 0x10000;
    /** Instructions a program may run. */
    static final int LIMIT = 3000;

    private static void load(GeneralMachine m, Case first, byte[] code) {
        for (int off = 0; off < 0x1000; off++) {
            m.ram.write8(DATA_PA + off, GeneralCaseGenerator.pattern(off));
        }
        m.ram.fill(DATA_PA + 0x1000, 0x1000, (byte) 0xcc);
        m.ram.writeBytes(DATA_PA + 0x1800, code, 0, code.length);
        System.arraycopy(first.regs(), 0, m.cpu.gpr, 0, 16);
        m.cpu.rip = GeneralCaseGenerator.ENTRY;
        m.cpu.rflags = first.flags() | 0x202;
        m.x.mem.flush();
        m.x.retired = 0;
        m.x.lastFaultVector = -1;
    }

    private static String state(GeneralMachine m, boolean tripleFault) {
        return "retired=" + m.x.retired + " triple=" + tripleFault + " "
                + FastPathDifferentialTest.state(m, m.x.lastFaultVector);
    }

    /**
     * A program: a flag-setting instruction, then 1-8 random instructions with conditional branches between them
     * (forward and backward, to instruction boundaries inside the program, so that blocks jump inside themselves),
     * optionally looped on R15, then HLT.
     */
    private static byte[] program(GeneralCaseGenerator gen, SplittableRandom r, List<Case> cases) {
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(HexFormat.of().parseHex(
                FastPathDifferentialTest.PREFIXES[r.nextInt(FastPathDifferentialTest.PREFIXES.length)]));
        boolean loop = r.nextBoolean();
        int n = 1 + r.nextInt(loop ? 4 : 8);
        for (int k = 0; k < n; k++) {
            Case c = gen.next();
            if (k > 0) {
                addressRegisters(pieces, c);
            }
            cases.add(c);
            pieces.add(c.code());
        }
        // Conditional branches (null pieces), given a random target piece once the layout is known.
        int branches = r.nextInt(3);
        for (int k = 0; k < branches; k++) {
            pieces.add(1 + r.nextInt(pieces.size()), null);
        }
        int[] offset = new int[pieces.size() + 1];
        for (int k = 0; k < pieces.size(); k++) {
            offset[k + 1] = offset[k] + (pieces.get(k) == null ? 2 : pieces.get(k).length);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int k = 0; k < pieces.size(); k++) {
            if (pieces.get(k) != null) {
                body.writeBytes(pieces.get(k));
                continue;
            }
            int target = r.nextInt(pieces.size());
            int rel = offset[target] - (offset[k] + 2);
            if (rel >= -128 && rel <= 127 && target != k) {
                body.write(0x70 + r.nextInt(16));
                body.write(rel);
            } else {
                body.writeBytes(new byte[] {0x66, (byte) 0x90});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (loop) {
            // loop: body; dec r15; jnz loop   (R15 is set to a small count below)
            out.writeBytes(body.toByteArray());
            out.writeBytes(new byte[] {0x49, (byte) 0xff, (byte) 0xcf});
            int rel = -(out.size() + 2);
            if (rel >= -128) {
                out.writeBytes(new byte[] {0x75, (byte) rel});
            }
        } else {
            out.writeBytes(body.toByteArray());
        }
        out.write(0xf4);
        return out.toByteArray();
    }

    /**
     * Before a later case: MOV r64, imm64 for the registers its memory operands and stack use (values near the data
     * page, small index values, RSP), so that they reach the data page as they do on their own.
     */
    private static void addressRegisters(List<byte[]> pieces, Case c) {
        for (int reg = 0; reg < 16; reg++) {
            long v = c.regs()[reg];
            long low = v & 0xffffffffL;
            boolean base = Math.abs(low - GeneralCaseGenerator.DATA) < 0x3000;
            boolean index = ((low + 16) & 0xffffffffL) < 32;
            if (reg == GeneralCaseGenerator.RSP || base || index) {
                byte[] mov = new byte[10];
                mov[0] = (byte) (0x48 | (reg >> 3));
                mov[1] = (byte) (0xb8 + (reg & 7));
                for (int k = 0; k < 8; k++) {
                    mov[2 + k] = (byte) (v >>> (8 * k));
                }
                pieces.add(mov);
            }
        }
    }

    @Test
    void translatedBlocksMatchTheSemanticGroups() {
        GeneralCaseGenerator gen = new GeneralCaseGenerator(0xb10c);
        SplittableRandom r = new SplittableRandom(0xb10d);
        List<String> mismatches = new ArrayList<>();
        long translatedRuns = 0;
        try (GeneralMachine ref = GeneralMachine.hostMirror(DATA_PA);
             GeneralMachine jit = GeneralMachine.hostMirror(DATA_PA)) {
            ref.x.fastPath(false);
            ref.x.jitThreshold(0);
            jit.x.fastPath(true);
            for (int p = 0; p < PROGRAMS; p++) {
                List<Case> cases = new ArrayList<>();
                byte[] code = program(gen, r, cases);
                Case first = cases.getFirst();
                long r15 = 1 + r.nextInt(40);
                // translate at the first or a later visit of each block head, with a fresh table
                jit.x.jitThreshold(1 + r.nextInt(3));
                load(ref, first, code);
                load(jit, first, code);
                ref.cpu.gpr[15] = r15;
                jit.cpu.gpr[15] = r15;

                long before = jit.x.blocksTranslated;
                jit.x.beginBlock();
                boolean jitTriple = false;
                while (jit.x.retired < LIMIT) {
                    int n = jit.x.stepBlock((int) (LIMIT - jit.x.retired));
                    if (n < 0) {
                        jitTriple = true;
                        break;
                    }
                }
                jit.x.syncFlags();
                translatedRuns += jit.x.blocksTranslated - before;

                boolean refTriple = false;
                while (jitTriple || ref.x.retired < jit.x.retired) {
                    if (!ref.x.step()) {
                        refTriple = true;
                        break;
                    }
                    if (ref.x.retired > 2L * LIMIT) {
                        break;
                    }
                }
                String expected = state(ref, refTriple);
                String actual = state(jit, jitTriple);
                if (!expected.equals(actual)) {
                    StringBuilder names = new StringBuilder();
                    cases.forEach(c -> names.append(c.name()).append(' '));
                    mismatches.add(names + HexFormat.of().formatHex(code) + " r15=" + r15 + "\n  groups " + expected
                            + "\n  jit    " + actual);
                }
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())),
                mismatches.size() + " of " + PROGRAMS + " programs differ");
        assertTrue(translatedRuns > PROGRAMS / 2, "only " + translatedRuns + " blocks translated");
    }

    /**
     * A loop that rewrites the immediate of its own first instruction: the block stops after the store into its
     * code, and the next entry sees the new bytes, exactly as the interpreter (and the processor) does.
     */
    @Test
    void selfModifyingLoopSeesEachNewImmediate() {
        // loop: add eax, imm8 (83 c0 01); add byte [rip-8], 1 (80 05 f8 ff ff ff 01); dec ecx; jnz loop; hlt
        byte[] code = HexFormat.of().parseHex("83c001" + "8005f8ffffff01" + "ffc9" + "75f2" + "f4");
        for (int threshold : new int[] {1, 2, 5}) {
            try (GeneralMachine m = GeneralMachine.hostMirror(DATA_PA)) {
                m.x.fastPath(true);
                m.x.jitThreshold(threshold);
                Case dummy = new Case("smc", code, new long[16], 0, 0, 0);
                load(m, dummy, code);
                m.cpu.gpr[GeneralMachine.RCX] = 20;
                m.x.beginBlock();
                while (m.x.stepBlock(1000) > 0) {
                    assertTrue(m.x.retired < 1000, "runaway loop");
                }
                assertEquals(20 * 21 / 2, m.cpu.gpr[GeneralMachine.RAX], "threshold " + threshold);
                assertEquals(GeneralCaseGenerator.ENTRY + code.length - 1, m.cpu.rip);
                assertTrue(m.x.blocksTranslated >= 2, "blocks translated: " + m.x.blocksTranslated);
            }
        }
    }

    /** A translated loop runs until its budget is spent, then returns with an exact instruction count. */
    @Test
    void loopStopsAtItsBudgetWithExactState() {
        // loop: add rax, rbx (48 01 d8); sub rcx, 1 (48 83 e9 01); jnz loop (75 f7); hlt
        byte[] code = HexFormat.of().parseHex("4801d8" + "4883e901" + "75f7" + "f4");
        try (GeneralMachine m = GeneralMachine.hostMirror(DATA_PA)) {
            m.x.fastPath(true);
            m.x.jitThreshold(1);
            Case dummy = new Case("loop", code, new long[16], 0, 0, 0);
            load(m, dummy, code);
            m.cpu.gpr[GeneralMachine.RCX] = 1_000_000;
            m.cpu.gpr[GeneralMachine.RBX] = 3;
            m.x.beginBlock();
            int n = m.x.stepBlock(100);
            assertEquals(102, n, "34 whole iterations of 3 instructions reach the budget of 100");
            m.x.syncFlags();
            assertEquals(GeneralCaseGenerator.ENTRY, m.cpu.rip);
            assertEquals(34 * 3, m.cpu.gpr[GeneralMachine.RAX]);
            assertEquals(1_000_000 - 34, m.cpu.gpr[GeneralMachine.RCX]);
            assertEquals(0, m.cpu.rflags & GeneralMachine.ZF);
            assertEquals(1, m.x.blocksTranslated);
        }
    }
}
