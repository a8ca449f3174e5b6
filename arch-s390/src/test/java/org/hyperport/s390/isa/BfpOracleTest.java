package org.hyperport.s390.isa;

import static org.hyperport.s390.isa.GeneralOracleTest.hex;
import static org.hyperport.s390.isa.GeneralOracleTest.regs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.hyperport.s390.decode.Entry;
import org.hyperport.s390.decode.InstructionTable;
import org.hyperport.s390.interp.S390Interpreter;
import org.hyperport.s390.interp.S390TestCpu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the qemu-s390x BFP oracle vectors (src/test/oracle/gen_bfp.py, rebuilt by rebuild-bfp-vectors.sh): each
 * case loads the FPC, the FPRs, the GPRs, the CC and a 16-byte storage operand, executes one instruction at its
 * oracle address and compares everything with what QEMU produced, except where {@link #deviation} names a known
 * departure of qemu-s390x from the Principles of Operation.
 */
class BfpOracleTest {

    static final String RESOURCE = "/org/hyperport/s390/isa/bfp-vectors.txt.gz";

    record Vector(int n, String mnemonic, long insnAddr, String insnHex, int fpcIn, int ccIn, long[] fprIn,
                  long[] gprIn, long memAddr, byte[] memIn, long[] fprOut, int fpcOut, int ccOut, long[] gprOut,
                  byte[] memOut) {
    }

    static List<Vector> vectors;

    @BeforeAll
    static void load() throws IOException {
        vectors = new ArrayList<>();
        HexFormat hf = HexFormat.of();
        try (InputStream in = BfpOracleTest.class.getResourceAsStream(RESOURCE)) {
            assertTrue(in != null, "missing " + RESOURCE);
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                    StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                vectors.add(new Vector(Integer.parseInt(f[0]), f[1], hex(f[3]), f[4], (int) hex(f[5]),
                        Integer.parseInt(f[6]), regs(f[7]), regs(f[8]), hex(f[9]), hf.parseHex(f[10]), regs(f[12]),
                        (int) hex(f[13]), Integer.parseInt(f[14]), regs(f[15]), hf.parseHex(f[16])));
            }
        }
    }

    private static S390TestCpu cpu;

    static S390TestCpu cpu() {
        if (cpu == null) {
            long top = 0;
            for (Vector v : vectors) {
                top = Math.max(top, Math.max(v.insnAddr(), v.memAddr() + 16));
            }
            cpu = new S390TestCpu((top + 0x10000 + 0xfffff) & ~0xfffffL);
        }
        return cpu;
    }

    /**
     * A known departure of qemu-s390x 7.2 from the PoP for this vector, or null. The interpreter follows the PoP;
     * README.md lists these.
     */
    static String deviation(Vector v) {
        String m = v.mnemonic();
        if (m.startsWith("MA") || m.startsWith("MS")) {
            int r1 = (int) (insn(v) >>> 4 & 15);
            int r3 = (int) (insn(v) >>> 12 & 15);
            int r2 = (int) (insn(v) & 15);
            boolean rxf = v.insnHex().length() == 12;
            if (rxf) {
                r3 = (int) (Long.parseLong(v.insnHex().substring(2, 3), 16));
                r1 = (int) (Long.parseLong(v.insnHex().substring(8, 9), 16));
            }
            boolean shortFormat = m.charAt(2) == 'E';
            if (nan(v.fprIn()[r1], shortFormat) || nan(v.fprIn()[r3], shortFormat)
                    || (!rxf && nan(v.fprIn()[r2], shortFormat)) || (rxf && nan(mem(v), shortFormat))) {
                return "qemu-s390x 7.2 picks the NaN of MULTIPLY AND ADD/SUBTRACT without the PoP's SNaN precedence";
            }
        }
        if (m.equals("MXDBR") || m.equals("MXDB")) {
            return "qemu-s390x 7.2 multiplies the whole extended pair R1 instead of the long value in R1";
        }
        if (m.equals("LTEBR") || m.equals("LTDBR") || m.equals("LTXBR")) {
            int r2 = (int) (insn(v) & 15);
            long src = v.fprIn()[r2];
            boolean shortFormat = m.equals("LTEBR");
            if (m.equals("LTXBR") ? BfpExact.extSNaN(src, v.fprIn()[r2 + 2])
                    : shortFormat ? Bfp.isSNaN((int) (src >>> 32)) : Bfp.isSNaN(src)) {
                return "qemu-s390x 7.2 neither signals invalid operation nor quiets an SNaN in LOAD AND TEST";
            }
        }
        return null;
    }

    private static long insn(Vector v) {
        return Long.parseLong(v.insnHex().substring(0, 8), 16);
    }

    private static long mem(Vector v) {
        long x = 0;
        for (int k = 0; k < 8; k++) {
            x = x << 8 | (v.memIn()[k] & 0xff);
        }
        return x;
    }

    private static boolean nan(long reg, boolean shortFormat) {
        return shortFormat ? Bfp.isNaN((int) (reg >>> 32)) : Bfp.isNaN(reg);
    }

    static List<String> replay(Vector v) {
        S390TestCpu t = cpu();
        List<String> bad = new ArrayList<>();
        t.load(v.insnAddr(), v.insnHex());
        for (int k = 0; k < 16; k++) {
            t.ram.write8(v.memAddr() + k, v.memIn()[k] & 0xff);
        }
        System.arraycopy(v.gprIn(), 0, t.cpu.gpr, 0, 16);
        System.arraycopy(v.fprIn(), 0, t.cpu.fpr, 0, 16);
        t.cpu.fpc = v.fpcIn();
        t.cpu.cr[0] |= S390Interpreter.CR0_AFP;
        t.cpu.setPsw(S390TestCpu.PSW_64, v.insnAddr());
        t.cpu.cc = v.ccIn();
        t.c.step();
        if (t.waiting()) {
            bad.add("program interruption " + Integer.toHexString(t.programCode()));
            return bad;
        }
        for (int k = 0; k < 16; k++) {
            if (t.cpu.fpr[k] != v.fprOut()[k]) {
                bad.add(String.format("f%d %016x, expected %016x", k, t.cpu.fpr[k], v.fprOut()[k]));
            }
            if (t.cpu.gpr[k] != v.gprOut()[k]) {
                bad.add(String.format("r%d %x, expected %x", k, t.cpu.gpr[k], v.gprOut()[k]));
            }
        }
        if (t.cpu.fpc != v.fpcOut()) {
            bad.add(String.format("fpc %08x, expected %08x (in %08x)", t.cpu.fpc, v.fpcOut(), v.fpcIn()));
        }
        if (t.cpu.cc != v.ccOut()) {
            bad.add("cc " + t.cpu.cc + ", expected " + v.ccOut());
        }
        for (int k = 0; k < 16; k++) {
            int got = t.ram.read8(v.memAddr() + k) & 0xff;
            if (got != (v.memOut()[k] & 0xff)) {
                bad.add(String.format("mem[%d] %02x, expected %02x", k, got, v.memOut()[k] & 0xff));
            }
        }
        return bad;
    }

    @Test
    void everyVectorMatchesQemu() {
        Map<String, Integer> failures = new TreeMap<>();
        List<String> first = new ArrayList<>();
        int skipped = 0;
        for (Vector v : vectors) {
            if (deviation(v) != null) {
                skipped++;
                continue;
            }
            List<String> bad = replay(v);
            if (!bad.isEmpty()) {
                int seen = failures.merge(v.mnemonic(), 1, Integer::sum);
                if (seen <= 3 && first.size() < 80) {
                    first.add("case " + v.n() + " " + v.mnemonic() + " [" + v.insnHex() + "] fprs-in "
                            + hexes(v.fprIn()) + ": " + bad);
                }
            }
        }
        assertTrue(failures.isEmpty(), vectors.size() + " vectors (" + skipped + " deviations), failing by "
                + "mnemonic " + failures + "\n" + String.join("\n", first));
    }

    private static String hexes(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) {
            sb.append(Long.toHexString(x)).append(',');
        }
        return sb.toString();
    }

    @Test
    void everyBfpInstructionIsInTheOracle() {
        Set<String> seen = new TreeSet<>();
        for (Vector v : vectors) {
            seen.add(v.mnemonic());
        }
        Set<String> missing = new TreeSet<>();
        for (Entry e : InstructionTable.get().entries()) {
            if (e.chapter().equals("bfp") && !seen.contains(e.mnemonic())) {
                missing.add(e.mnemonic());
            }
        }
        assertTrue(missing.isEmpty(), "not in the oracle: " + missing);
    }
}
