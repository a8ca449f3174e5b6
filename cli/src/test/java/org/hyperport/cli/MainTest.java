package org.hyperport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's contract for bad input: one line on stderr, exit status 2, never a stack trace. */
class MainTest {

    record Result(int status, String out, String err) {
        void assertOneLineError(String fragment) {
            assertEquals(2, status, err);
            assertTrue(err.startsWith("hyperport: "), err);
            assertTrue(err.contains(fragment), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertFalse(err.contains("\tat "), err);
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TempDir
    Path dir;

    @Test
    void unknownArchitectureListsTheValidOnes() {
        run("run", "--arch", "vax").assertOneLineError("unknown architecture 'vax' (valid: s390x, x86_64");
    }

    @Test
    void unknownOptionIsBadInput() {
        run("run", "--arch", "x86_64", "--frobnicate").assertOneLineError("Unrecognized option: --frobnicate");
    }

    @Test
    void unknownCommandIsBadInput() {
        run("launch").assertOneLineError("unknown command 'launch'");
    }

    @Test
    void missingKernelIsBadInput() {
        run("run", "--arch", "x86_64", "--kernel", dir.resolve("nope").toString())
                .assertOneLineError("does not exist");
    }

    @Test
    void emptyKernelIsBadInput() throws IOException {
        Path k = Files.write(dir.resolve("empty"), new byte[0]);

        run("run", "--arch", "x86_64", "--kernel", k.toString()).assertOneLineError("is empty");
    }

    @Test
    void badMemorySizeIsBadInput() {
        run("run", "--arch", "x86_64", "--memory", "lots").assertOneLineError("invalid size for --memory");
    }

    @Test
    void memoryBeyondTheHostIsBadInput() {
        run("run", "--arch", "x86_64", "--memory", "64T").assertOneLineError("is more than this host's RAM");
    }

    @Test
    void badEngineIsBadInput() {
        run("run", "--arch", "x86_64", "--engine", "jit").assertOneLineError("unknown engine 'jit'");
    }

    @Test
    void initrdWithoutKernelIsBadInput() {
        run("run", "--arch", "x86_64", "--initrd", "/etc/hostname").assertOneLineError("--initrd needs --kernel");
    }

    @Test
    void theInterpreterRunsTheEmbeddedGuestOnAnyHost() {
        Result r = run("run", "--arch", "x86_64", "--engine", "interpreter", "--console", "none", "--timeout", "60");

        assertEquals(0, r.status(), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"archs", "run", "bench"}) {
            Result r = run(c, "--help");
            assertEquals(0, r.status(), c);
            assertTrue(r.out().contains("hyperport " + c), r.out());
        }
    }

    @Test
    void archsListsX86WithBothEnginesAndAReasonForEach() {
        Result r = run("archs");

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("x86_64"), r.out());
        assertTrue(r.out().contains("kvm"), r.out());
        assertTrue(r.out().contains("interpreter  usable    Java interpreter"), r.out());
    }

    @Test
    void memoryBelowTheMachineMinimumIsBadInput() {
        assumeKvm();
        run("run", "--arch", "x86_64", "--memory", "1M").assertOneLineError("too small: x86_64 needs at least 2M");
    }

    @Test
    void aFileThatIsNoImageIsBadInput() throws IOException {
        assumeKvm();
        Path k = Files.writeString(dir.resolve("notes.txt"), "just some text, not a kernel\n".repeat(100));

        run("run", "--arch", "x86_64", "--kernel", k.toString())
                .assertOneLineError("notes.txt: not a bzImage, ELF or Multiboot image");
    }

    @Test
    void aTruncatedImageIsBadInput() throws IOException {
        assumeKvm();
        byte[] elf = new org.hyperport.x86.X86Architecture().embeddedGuest().orElseThrow().load();
        Path k = Files.write(dir.resolve("cut.elf"), java.util.Arrays.copyOf(elf, 60));

        run("run", "--arch", "x86_64", "--kernel", k.toString()).assertOneLineError("cut.elf: ");
    }

    @Test
    void anImageLargerThanRamIsBadInput() throws IOException {
        assumeKvm();
        byte[] elf = new org.hyperport.x86.X86Architecture().embeddedGuest().orElseThrow().load();
        Path k = Files.write(dir.resolve("big.elf"), elf);

        run("run", "--arch", "x86_64", "--memory", "2M", "--kernel", k.toString(), "--initrd",
                Files.write(dir.resolve("initrd"), new byte[3 << 20]).toString())
                .assertOneLineError("initrd");
    }

    private static void assumeKvm() {
        var a = new org.hyperport.x86.kvm.X86KvmEngine().probe(new org.hyperport.common.host.PosixHostInfo());
        org.junit.jupiter.api.Assumptions.assumeTrue(a.usable(),
                "image checks run in Machine.boot, which needs a usable engine: " + a.reason());
    }

    @Test
    void sizesFollowQemuSuffixes() {
        assertEquals(256L << 20, Sizes.parse("--memory", "256M"));
        assertEquals(2L << 30, Sizes.parse("--memory", "2G"));
        assertEquals(512L << 10, Sizes.parse("--memory", "512k"));
        assertEquals(128L << 20, Sizes.parse("--memory", "128"));
    }
}
