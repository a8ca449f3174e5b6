package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-check against GNU objdump, an independent decoder: random valid instructions of every form (with random
 * ModR/M, SIB, displacements, immediates and prefixes, from {@link InstructionGenerator}) are written to one file per
 * mode and disassembled by one objdump process. Every instruction's length must agree exactly, and its mnemonic after
 * a small normalisation (objdump's size suffixes and pseudo-ops, GNU's names for a few forms). Skipped, with the
 * reason, when objdump is not installed.
 */
class ObjdumpCrossCheckTest {

    private static final int PER_MODE = 50_000;
    private static final long BASE = 0;
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+?)\\s*\\t(.*)$");
    private static final Set<String> PREFIX_WORDS = Set.of("lock", "rep", "repz", "repe", "repnz", "repne", "data16",
            "data32", "addr16", "addr32", "cs", "ds", "es", "ss", "fs", "gs", "bnd", "notrack", "xacquire", "xrelease");
    /** Our names that GNU spells differently (the SDM's Table A-6 blank /6 of group 2 is GNU's "shl"). */
    private static final Map<String, String> OURS_TO_GNU = Map.ofEntries(Map.entry("sal", "shl"),
            Map.entry("callf", "call"), Map.entry("jmpf", "jmp"), Map.entry("pushfd", "pushf"),
            Map.entry("pushfq", "pushf"), Map.entry("popfd", "popf"), Map.entry("popfq", "popf"),
            Map.entry("iretd", "iret"), Map.entry("iretq", "iret"), Map.entry("pushad", "pusha"),
            Map.entry("popad", "popa"), Map.entry("movabs", "mov"));
    /** SSE compare pseudo-ops (cmpltps...) and PCLMULQDQ's (pclmullqhqdq...) name the immediate. */
    private static final Pattern CMP_PSEUDO = Pattern.compile("cmp(eq|lt|le|unord|neq|nlt|nle|ord)(ps|pd|ss|sd)");
    private static final Pattern PCLMUL_PSEUDO = Pattern.compile("pclmul[lh]q[lh]qdq");

    record Disassembly(int length, String text) {
    }

    private static final String KNOWN_DIFFERENCES = "FWAIT with prefixes, which GNU prints as a prefix of its own,"
            + " and MPX's 0F 1A/1B with 16-bit addressing, which GNU decodes as BNDLDX/BNDSTX and cannot address";

    /** Encodings where GNU objdump is not a fair oracle (see {@link #KNOWN_DIFFERENCES}). */
    static boolean objdumpDiffers(InstructionGenerator.Sample s) {
        boolean mpx = s.form().map == 1 && (s.form().opcode == 0x1A || s.form().opcode == 0x1B);
        return s.op() == Op.FWAIT && s.bytes().length > 1 || mpx && s.addressSize() == 2;
    }

    static boolean objdumpAvailable() {
        try {
            Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static List<String> objdumpArgs(Mode mode) {
        return switch (mode) {
            case LONG64 -> List.of("-m", "i386:x86-64", "-M", "intel,intel64");
            case PROT32 -> List.of("-m", "i386", "-M", "intel");
            default -> List.of("-m", "i8086", "-M", "intel");
        };
    }

    /** objdump's disassembly of {@code code}, by offset. */
    static Map<Long, Disassembly> objdump(byte[] code, Mode mode) throws IOException, InterruptedException {
        Path file = Files.createTempFile("hyperport-decode", ".bin");
        try {
            Files.write(file, code);
            List<String> cmd = new ArrayList<>(List.of("objdump", "-D", "-b", "binary", "--insn-width=16", "-w"));
            cmd.addAll(objdumpArgs(mode));
            cmd.add(file.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            Map<Long, Disassembly> byOffset = new HashMap<>();
            for (String line : new String(out, StandardCharsets.US_ASCII).split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    byOffset.put(Long.parseLong(m.group(1), 16),
                            new Disassembly(m.group(2).split(" ").length, m.group(3).trim()));
                }
            }
            return byOffset;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The mnemonic of an objdump line, without prefixes, pseudo-op immediates and size suffixes. */
    static String gnuMnemonic(String text) {
        for (String word : text.split("\\s+")) {
            if (PREFIX_WORDS.contains(word) || word.startsWith("rex")) {
                continue;
            }
            String w = CMP_PSEUDO.matcher(word).matches() ? "cmp" + word.substring(word.length() - 2) : word;
            return PCLMUL_PSEUDO.matcher(w).matches() ? "pclmulqdq" : w;
        }
        return "";
    }

    static boolean sameMnemonic(Op op, String gnu) {
        if (op == Op.NOP && (gnu.equals("xchg") || gnu.startsWith("bnd"))) {
            return true;
        }
        String ours = op.name().toLowerCase(Locale.ROOT);
        ours = OURS_TO_GNU.getOrDefault(ours, ours);
        String g = OURS_TO_GNU.getOrDefault(gnu, gnu);
        String bare = g.matches(".*[wdq]") ? g.substring(0, g.length() - 1) : g;
        return ours.equals(g) || ours.equals(bare) || OURS_TO_GNU.getOrDefault(bare, bare).equals(ours);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void lengthsAndMnemonicsAgreeWithObjdump(Mode mode) throws Exception {
        assumeTrue(objdumpAvailable(), "GNU objdump is not installed: the cross-check is skipped");
        InstructionGenerator gen = new InstructionGenerator(mode, BASE);
        Random rnd = new Random(0x0bd + mode.ordinal());
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        List<InstructionGenerator.Sample> samples = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < PER_MODE; i++) {
            InstructionGenerator.Sample s = gen.next(rnd);
            if (objdumpDiffers(s)) {
                skipped++;
                continue;
            }
            offsets.add((long) code.size());
            samples.add(s);
            code.writeBytes(s.bytes());
            if (s.op() == Op.FWAIT) {
                // GNU folds 9B into a following x87 instruction (fstsw...); keep the next one apart.
                code.write(0x90);
            }
        }
        byte[] all = code.toByteArray();

        Map<Long, Disassembly> gnu = objdump(all, mode);
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        ByteSource src = ByteSource.of(all, BASE);
        List<String> lengthMismatches = new ArrayList<>();
        List<String> nameMismatches = new ArrayList<>();
        int cascaded = 0;
        boolean previousAgreed = true;
        for (int i = 0; i < samples.size(); i++) {
            long at = offsets.get(i);
            int len = decoder.decode(src, BASE + at, mode, insn);
            Disassembly d = gnu.get(at);
            String report = samples.get(i).hex() + "\n    ours:    " + insn + "  (" + samples.get(i).form()
                    + ")\n    objdump: " + (d == null ? "(no instruction at this offset)" : d.text() + " ["
                    + d.length() + " bytes]");
            boolean agreed = d != null && d.length() == len;
            if (d == null && !previousAgreed) {
                cascaded++;
            } else if (!agreed) {
                lengthMismatches.add(report);
            } else if (!sameMnemonic(insn.op(), gnuMnemonic(d.text()))) {
                nameMismatches.add(report);
            }
            previousAgreed = agreed;
        }
        int lengthsAgree = samples.size() - lengthMismatches.size() - cascaded;
        System.out.printf("objdump cross-check %s: %d instructions of %d forms (%d more not compared: %s);"
                + " lengths agree %d, mnemonics agree %d, length mismatches %d (+%d after a resynchronisation),"
                + " mnemonic mismatches %d%n", mode, samples.size(), gen.forms().size(), skipped, KNOWN_DIFFERENCES,
                lengthsAgree, lengthsAgree - nameMismatches.size(), lengthMismatches.size(), cascaded,
                nameMismatches.size());
        lengthMismatches.forEach(m -> System.out.println("LENGTH " + m));
        nameMismatches.forEach(m -> System.out.println("NAME " + m));

        assertEquals(List.of(), lengthMismatches.stream().limit(15).toList());
        assertEquals(List.of(), nameMismatches.stream().limit(15).toList());
    }

    private static final String RANDOM_DIFFERENCES = "GNU prints a REX prefix that does not immediately precede the"
            + " opcode as an instruction of its own (processors ignore it), decodes 0F 1A/1B as MPX (hint NOPs without"
            + " MPX), and rejects F2 0F BC/BD (processors ignore F2 there)";

    /** A random byte string shaped like an instruction: some prefixes, maybe an escape, then anything. */
    static byte[] randomCandidate(Random rnd, Mode mode) {
        byte[] b = new byte[X86Decoder.MAX_LENGTH];
        rnd.nextBytes(b);
        int i = 0;
        int[] prefixes = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x3E, 0x26, 0x64, 0x65, 0x36};
        for (int n = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0; n > 0; n--) {
            b[i++] = (byte) prefixes[rnd.nextInt(prefixes.length)];
        }
        if (mode == Mode.LONG64 && rnd.nextInt(3) == 0) {
            b[i++] = (byte) (0x40 | rnd.nextInt(16));
        }
        int escape = rnd.nextInt(8);
        if (escape >= 4) {
            b[i++] = 0x0F;
            if (escape == 6) {
                b[i++] = 0x38;
            } else if (escape == 7) {
                b[i++] = 0x3A;
            }
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void randomBytesDecodeAsObjdumpDecodesThem(Mode mode) throws Exception {
        assumeTrue(objdumpAvailable(), "GNU objdump is not installed: the cross-check is skipped");
        Random rnd = new Random(0x5eed + mode.ordinal());
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        List<byte[]> candidates = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        List<Boolean> bsfWithF2 = new ArrayList<>();
        for (int i = 0; i < PER_MODE; i++) {
            byte[] c = randomCandidate(rnd, mode);
            int len = decoder.decode(ByteSource.of(c, 0), 0, mode, insn);
            bsfWithF2.add(insn.isValid() && (insn.op() == Op.BSF || insn.op() == Op.BSR) && insn.repne());
            offsets.add((long) code.size());
            candidates.add(c);
            lengths.add(len);
            ours.add(insn.isValid() ? insn.op().name() : insn.status().name());
            code.write(c, 0, len > 0 ? len : c.length);
            code.writeBytes(new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90,
                (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90,
                (byte) 0x90});
        }

        Map<Long, Disassembly> gnu = objdump(code.toByteArray(), mode);
        Map<String, Integer> rejectedByUs = new java.util.TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        int valid = 0;
        int notCompared = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Disassembly d = gnu.get(offsets.get(i));
            String name = d == null ? "?" : gnuMnemonic(d.text());
            if (name.isEmpty() || name.startsWith("bnd") || bsfWithF2.get(i)) {
                notCompared++;
                continue;
            }
            StringBuilder hex = new StringBuilder();
            for (byte x : candidates.get(i)) {
                hex.append(String.format("%02x ", x & 0xff));
            }
            if (lengths.get(i) > 0) {
                valid++;
                if (d == null || d.length() != lengths.get(i) || !sameMnemonic(Op.valueOf(ours.get(i)), name)) {
                    disagreements.add(hex + "\n    ours: " + ours.get(i) + " [" + lengths.get(i) + "]\n    objdump: "
                            + (d == null ? "?" : d.text() + " [" + d.length() + "]"));
                }
            } else if (ours.get(i).equals("INVALID_OPCODE") && !name.equals("(bad)")) {
                rejectedByUs.merge(name, 1, Integer::sum);
            }
        }
        System.out.printf("random bytes %s: %d candidates, %d not compared (%s), %d valid for us, %d disagreements;"
                + " #UD for us but named by objdump: %s%n", mode, candidates.size(), notCompared, RANDOM_DIFFERENCES,
                valid, disagreements.size(), rejectedByUs);
        disagreements.forEach(m -> System.out.println("RANDOM " + m));

        assertEquals(List.of(), disagreements.stream().limit(15).toList());
    }
}
