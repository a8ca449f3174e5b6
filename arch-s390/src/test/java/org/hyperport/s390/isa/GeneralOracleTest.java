package org.hyperport.s390.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.hyperport.s390.cpu.S390CpuState;
import org.hyperport.s390.decode.Entry;
import org.hyperport.s390.decode.Insn;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.interp.S390TestCpu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the qemu-s390x oracle vectors (src/test/oracle/gen_general.py, rebuilt by rebuild-general-vectors.sh):
 * each case loads the 16 GPRs, the CC and a 256-byte buffer, executes one instruction at the address it had in the
 * oracle binary, and compares the GPRs, the CC, whether it branched and the buffer with what QEMU produced. The
 * decoder is checked against objdump's disassembly of the same bytes.
 */
class GeneralOracleTest {

    static final String RESOURCE = "/org/hyperport/s390/isa/general-vectors.txt.gz";
    static final int BUF = 256;

    /** Instructions the oracle does not run (see SKIP in gen_general.py); unit tests cover them. */
    static final Set<String> NOT_IN_ORACLE = Set.of("SVC", "TRAP2", "TRAP4", "STCK", "STCKE", "STCKF", "STFLE",
            "ECAG", "EPSW", "SAM24", "SAM31", "EAR", "SAR", "LAM", "LAMY", "STAM", "STAMY", "LAE", "LAEY", "BSM",
            "BASSM", "CVB", "CVBY", "CVBG", "CVDG", "STMH", "UNPK", "AP", "SP", "ZAP", "CP", "MP", "DP", "SRP", "ED", "EDMK");

    /** Interruptible instructions the oracle repeats while they end with CC 3 (CPU-determined completion). */
    static final Set<String> LOOP_CC3 = Set.of("MVCLE", "CLCLE", "MVCLU", "CLCLU", "MVST", "CLST", "SRST",
            "SRSTU", "TRE", "CKSM", "CU12", "CU14", "CU21", "CU24", "CU41", "CU42");

    record Vector(int n, String mnemonic, String objdump, long insnAddr, String insnHex, long targetAddr,
                  String targetHex, long[] regsIn, int ccIn, long bufAddr, long seed, String patches,
                  long[] regsOut, int ccOut, boolean taken, long takenAddr, String diffs) {
    }

    static List<Vector> vectors;

    @BeforeAll
    static void load() throws IOException {
        vectors = new ArrayList<>();
        try (InputStream in = GeneralOracleTest.class.getResourceAsStream(RESOURCE)) {
            assertTrue(in != null, "missing " + RESOURCE);
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                    StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                vectors.add(new Vector(Integer.parseInt(f[0]), f[1], f[2], hex(f[3]), f[4], hex(f[5]), f[6],
                        regs(f[7]), Integer.parseInt(f[8]), hex(f[9]), hex(f[10]), f[11], regs(f[13]),
                        Integer.parseInt(f[14]), f[15].equals("1"), hex(f[16]), f[17]));
            }
        }
    }

    static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    static long[] regs(String s) {
        String[] p = s.split(",");
        long[] v = new long[p.length];
        for (int k = 0; k < p.length; k++) {
            v[k] = hex(p[k]);
        }
        return v;
    }

    /** The buffer's initial bytes: xorshift64 from the seed (as the generator computes them), then the patches. */
    static byte[] initialBuffer(Vector v) {
        byte[] b = new byte[BUF];
        long x = v.seed();
        for (int k = 0; k < BUF; k++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[k] = (byte) x;
        }
        applyDiffs(b, v.patches());
        return b;
    }

    static void applyDiffs(byte[] b, String diffs) {
        if (diffs.equals("-")) {
            return;
        }
        for (String p : diffs.split(",")) {
            int colon = p.indexOf(':');
            b[Integer.parseInt(p.substring(0, colon), 16)] = (byte) Integer.parseInt(p.substring(colon + 1), 16);
        }
    }

    static void loadHex(S390TestCpu t, long addr, String hex) {
        t.load(addr, hex);
    }

    private static S390TestCpu cpu;

    static S390TestCpu cpu() {
        if (cpu == null) {
            long top = 0;
            for (Vector v : vectors) {
                top = Math.max(top, Math.max(v.insnAddr(), v.bufAddr() + BUF));
            }
            cpu = new S390TestCpu((top + 0x10000 + 0xfffff) & ~0xfffffL);
        }
        return cpu;
    }

    /** Runs one vector; returns what differs from the oracle (empty when it matches). */
    static List<String> replay(Vector v) {
        S390TestCpu t = cpu();
        List<String> bad = new ArrayList<>();
        loadHex(t, v.insnAddr(), v.insnHex());
        if (v.targetAddr() != 0) {
            loadHex(t, v.targetAddr(), v.targetHex());
        }
        byte[] buf = initialBuffer(v);
        for (int k = 0; k < BUF; k++) {
            t.ram.write8(v.bufAddr() + k, buf[k] & 0xff);
        }
        System.arraycopy(v.regsIn(), 0, t.cpu.gpr, 0, 16);
        t.cpu.setPsw(S390TestCpu.PSW_64, v.insnAddr());
        t.cpu.cc = v.ccIn();
        t.c.step();
        while (LOOP_CC3.contains(v.mnemonic()) && t.cpu.cc == 3 && !t.waiting()) {
            t.cpu.pswAddr = v.insnAddr();
            t.c.step();
        }
        if (t.waiting()) {
            bad.add("program interruption " + Integer.toHexString(t.programCode()));
            return bad;
        }
        for (int k = 0; k < 16; k++) {
            if (t.cpu.gpr[k] != v.regsOut()[k]) {
                bad.add(String.format("r%d %x, expected %x", k, t.cpu.gpr[k], v.regsOut()[k]));
            }
        }
        if (t.cpu.cc != v.ccOut()) {
            bad.add("cc " + t.cpu.cc + ", expected " + v.ccOut());
        }
        long next = v.insnAddr() + v.insnHex().length() / 2;
        long expectedAddr = v.taken() ? v.takenAddr() : next;
        if (t.cpu.pswAddr != expectedAddr) {
            bad.add(String.format("next address %x, expected %x (%s)", t.cpu.pswAddr, expectedAddr,
                    v.taken() ? "taken" : "not taken"));
        }
        byte[] expected = buf.clone();
        applyDiffs(expected, v.diffs());
        for (int k = 0; k < BUF; k++) {
            int got = t.ram.read8(v.bufAddr() + k) & 0xff;
            if (got != (expected[k] & 0xff)) {
                bad.add(String.format("buf[%d] %02x, expected %02x", k, got, expected[k] & 0xff));
            }
        }
        return bad;
    }

    @Test
    void everyVectorMatchesQemu() {
        Map<String, Integer> failures = new TreeMap<>();
        List<String> first = new ArrayList<>();
        for (Vector v : vectors) {
            List<String> bad = replay(v);
            if (!bad.isEmpty()) {
                int seen = failures.merge(v.mnemonic(), 1, Integer::sum);
                if (seen <= 2 && first.size() < 60) {
                    first.add("case " + v.n() + " " + v.mnemonic() + " [" + v.insnHex() + "]: " + bad);
                }
            }
        }
        assertTrue(failures.isEmpty(), vectors.size() + " vectors, failing by mnemonic " + failures + "\n"
                + String.join("\n", first));
    }

    @Test
    void aMutatedConditionCodeIsCaught() {
        Vector v = vectors.stream().filter(x -> x.mnemonic().equals("AR")).findFirst().orElseThrow();
        Vector mutated = new Vector(v.n(), v.mnemonic(), v.objdump(), v.insnAddr(), v.insnHex(), v.targetAddr(),
                v.targetHex(), v.regsIn(), v.ccIn(), v.bufAddr(), v.seed(), v.patches(), v.regsOut(),
                (v.ccOut() + 1) & 3, v.taken(), v.takenAddr(), v.diffs());
        assertTrue(replay(v).isEmpty());
        assertFalse(replay(mutated).isEmpty());
    }

    @Test
    void everyGeneralInstructionIsInTheOracleOrListedAsNot() {
        Set<String> seen = new TreeSet<>();
        vectors.forEach(v -> seen.add(v.mnemonic()));
        Set<String> missing = new TreeSet<>();
        for (Entry e : InstructionTable.get().entries()) {
            if (e.chapter().equals("general") && !seen.contains(e.mnemonic())
                    && !NOT_IN_ORACLE.contains(e.mnemonic())) {
                missing.add(e.mnemonic());
            }
        }
        assertEquals(Set.of(), missing);
    }

    /** objdump's extended mnemonics: a base mnemonic followed by a condition (je, jgne, bner, crjh, locgnhe). */
    static final List<String> CONDITIONS = List.of("", "o", "h", "p", "nle", "l", "m", "nhe", "lh", "ne", "nz",
            "e", "z", "nlh", "he", "nl", "nm", "le", "nh", "np", "no", "nop");

    static boolean sameMnemonic(String decoded, String objdump) {
        String d = decoded.toLowerCase(java.util.Locale.ROOT);
        // objdump keeps the ESA/390 names of CU12 and CU21 (CONVERT UTF-8 TO UNICODE, UNICODE TO UTF-8).
        if (objdump.equals(d) || objdump.equals(Map.of("cu12", "cutfu", "cu21", "cuutf").get(d))) {
            return true;
        }
        String[][] bases = {{"BRC", "j"}, {"BRCL", "jg"}, {"BC", "b"}, {"BCR", "b", "r"}};
        for (String[] b : bases) {
            if (b[0].equals(decoded)) {
                String suffix = b.length > 2 ? b[2] : "";
                for (String c : CONDITIONS) {
                    if (objdump.equals(b[1] + c + suffix) || objdump.equals("nop" + suffix)
                            || objdump.equals(b[1] + "nop")) {
                        return true;
                    }
                }
                return false;
            }
        }
        for (String c : CONDITIONS) {
            if (!c.isEmpty() && objdump.equals(d + c)) {
                return true;
            }
        }
        // RISBG family with the zero flag: objdump prints risbgz / risbhgz / risblgz.
        return objdump.equals(d + "z");
    }

    @Test
    void decoderAgreesWithObjdump() {
        List<String> bad = new ArrayList<>();
        Insn i = new Insn();
        for (Vector v : vectors) {
            String h = v.insnHex();
            long bits = Long.parseUnsignedLong(h, 16) << (64 - 4 * h.length());
            if (!InstructionTable.get().decode(bits, i) || !i.mnemonic().equals(v.mnemonic())
                    || !sameMnemonic(i.mnemonic(), v.objdump())) {
                bad.add(v.n() + " " + h + " decoded " + i.mnemonic() + " objdump " + v.objdump());
            }
        }
        assertEquals(List.of(), bad.subList(0, Math.min(bad.size(), 30)));
    }

    @SuppressWarnings("unused")
    private static long psw() {
        return S390CpuState.PSW_EA;
    }
}
