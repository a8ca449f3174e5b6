package org.hyperport.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * GCC's output in the wild: the first 2 MiB of a real Linux kernel's {@code .text}, walked instruction by instruction
 * as GNU objdump sees it. Wherever we decode an instruction its length must be objdump's, and the only instructions
 * we reject must be VEX/EVEX encodings (AVX, BMI2 in alternatives) or the few virtualisation extensions listed in
 * {@link #NOT_DECODED}. Runs when {@code HYPERPORT_LINUX_VMLINUX} names a vmlinux, or the Debian kernel the
 * conformance suite caches is present, and binutils is installed.
 */
class RealKernelCrossCheckTest {

    private static final int SLICE = 2 << 20;
    /** SGX, SVM, SEV-SNP, AMD MONITORX and WAITPKG instructions: not decoded (#UD), guarded by CPUID in Linux. */
    private static final Set<String> NOT_DECODED = Set.of("encls", "enclu", "stgi", "clgi", "pvalidate", "rmpadjust",
            "vmgexit", "monitorx", "mwaitx", "tpause", "umonitor", "umwait");

    static Optional<Path> kernel() {
        String path = Optional.ofNullable(System.getenv("HYPERPORT_LINUX_VMLINUX")).orElseGet(() ->
                Path.of(Optional.ofNullable(System.getenv("HYPERPORT_CACHE"))
                        .orElse(System.getProperty("user.home") + "/.cache/hyperport"), "debian", "amd64", "vmlinux")
                        .toString());
        return Optional.of(Path.of(path)).filter(Files::isRegularFile);
    }

    static byte[] textSection(Path vmlinux) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hyperport-text", ".bin");
        try {
            Process p = new ProcessBuilder("objcopy", "-O", "binary", "--only-section=.text", vmlinux.toString(),
                    out.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether the first byte after legacy and REX prefixes opens a VEX (C4, C5) or EVEX (62) encoding. */
    static boolean vexOrEvex(byte[] code, int at) {
        int i = at;
        while (i < code.length && Set.of(0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65)
                .contains(code[i] & 0xff)) {
            i++;
        }
        int b = code[i] & 0xff;
        return b == 0xC4 || b == 0xC5 || b == 0x62;
    }

    @Test
    void lengthsAgreeWithObjdumpOverARealKernel() throws Exception {
        Optional<Path> vmlinux = kernel();
        assumeTrue(vmlinux.isPresent(), "no vmlinux (HYPERPORT_LINUX_VMLINUX or the cached Debian kernel): skipped");
        assumeTrue(ObjdumpCrossCheckTest.objdumpAvailable(), "GNU binutils is not installed: skipped");
        byte[] text = textSection(vmlinux.get());
        byte[] code = Arrays.copyOf(text, Math.min(SLICE, text.length));
        Map<Long, ObjdumpCrossCheckTest.Disassembly> gnu = new TreeMap<>(ObjdumpCrossCheckTest.objdump(code,
                Mode.LONG64));
        X86Decoder decoder = new X86Decoder();
        Instruction insn = new Instruction();
        ByteSource src = ByteSource.of(code, 0);

        int agree = 0;
        List<String> lengthDisagreements = new ArrayList<>();
        List<String> unexpectedRejections = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        for (Map.Entry<Long, ObjdumpCrossCheckTest.Disassembly> e : gnu.entrySet()) {
            String name = ObjdumpCrossCheckTest.gnuMnemonic(e.getValue().text());
            int at = (int) (long) e.getKey();
            int len = name.equals("(bad)") || name.equals(".byte") ? 0 : decoder.decode(src, at, Mode.LONG64, insn);
            String where = Long.toHexString(at) + ": " + e.getValue().text() + " [" + e.getValue().length()
                    + "] ours: " + insn + " [" + len + "]";
            agree += len == e.getValue().length() ? 1 : 0;
            if (len > 0 && len != e.getValue().length()) {
                lengthDisagreements.add(where);
            }
            if (len < 0 && at + e.getValue().length() <= code.length) {
                rejected.merge(name, 1, Integer::sum);
                if (!vexOrEvex(code, at) && !NOT_DECODED.contains(name)) {
                    unexpectedRejections.add(where);
                }
            }
        }
        System.out.printf("kernel .text slice: %d bytes, %d instructions by objdump, %d decoded with the same"
                + " length; not decoded: %s%n", code.length, gnu.size(), agree, rejected);

        assertEquals(List.of(), lengthDisagreements.stream().limit(20).toList());
        assertEquals(List.of(), unexpectedRejections.stream().limit(20).toList());
    }
}
