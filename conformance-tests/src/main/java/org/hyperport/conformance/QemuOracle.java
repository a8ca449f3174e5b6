package org.hyperport.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hyperport.common.vm.VmOutcome;

/**
 * Runs conformance binaries under QEMU with the machine and test devices each architecture's test ABI expects, so
 * that hyperport's results can be compared with QEMU's. Exit statuses are translated back to the guest's own:
 * QEMU's {@code isa-debug-exit} exits with {@code (status << 1) | 1}; on s390x QEMU exits 0 when the guest stops
 * its last CPU, and the status is the one of the console's final {@code EXIT: STATUS=n} line.
 */
public final class QemuOracle {

    private static final Map<String, List<String>> COMMANDS = Map.of(
            "x86_64", List.of("qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-nodefaults", "-device",
                    "isa-debug-exit,iobase=0xf4,iosize=0x4", "-display", "none", "-serial", "stdio", "-kernel"),
            "s390x", List.of("qemu-system-s390x", "-nodefaults", "-nographic", "-machine", "s390-ccw-virtio", "-m",
                    (ConformanceKit.GUEST_MEMORY >> 20) + "M", "-chardev", "stdio,id=con0", "-device",
                    "sclpconsole,chardev=con0", "-kernel"));

    private QemuOracle() {
    }

    /** The QEMU command line for {@code arch}, up to (not including) the image path; empty if none is known. */
    public static Optional<List<String>> command(String arch) {
        return Optional.ofNullable(COMMANDS.get(arch));
    }

    /** Whether QEMU for {@code arch} is installed. */
    public static boolean available(String arch) {
        return command(arch).map(c -> {
            try {
                Process p = new ProcessBuilder(c.getFirst(), "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }).orElse(false);
    }

    /** Runs {@code image} under QEMU; the outcome's status is the guest's own status. */
    public static GuestRun run(String arch, byte[] image, long timeoutMs) throws IOException, InterruptedException {
        List<String> base = command(arch).orElseThrow(() -> new IllegalArgumentException("no QEMU for " + arch));
        Path tmp = Files.createTempFile("hyperport-oracle", ".elf");
        try {
            Files.write(tmp, image);
            List<String> cmd = new java.util.ArrayList<>(base);
            cmd.add(tmp.toString());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new GuestRun(new VmOutcome(-1, "QEMU timed out", ""), text(out), List.of());
            }
            int code = p.exitValue();
            if (arch.equals("s390x")) {
                int status = code == 0 ? GuestRun.exitLineStatus(text(out)) : -1;
                return new GuestRun(new VmOutcome(status, status < 0 ? "QEMU exited " + code + " without an EXIT "
                        + "line" : "", ""), text(out), List.of());
            }
            int status = (code & 1) == 1 ? code >> 1 : -1;
            return new GuestRun(new VmOutcome(status, code == 0 ? "QEMU exited 0: no debug-exit write" : "", ""),
                    text(out), List.of());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
