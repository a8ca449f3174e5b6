package org.hyperport.conformance.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An unmodified Debian bookworm kernel and a busybox-static initramfs for one Debian architecture, fetched with
 * {@code apt-get download} into a cache ({@code $HYPERPORT_CACHE}, default {@code ~/.cache/hyperport}) the first time
 * it is needed. The initramfs's {@code /init} prints {@link #MARKER} and runs {@code poweroff -f}.
 *
 * <p>{@link #fetch} never throws: where apt, dpkg or the network is missing it says why, so that tests can skip
 * with that reason.
 */
public final class DebianGuest {

    /** Printed by /init once Linux has reached user space. */
    public static final String MARKER = "HYPERPORT-LINUX-INIT-OK";

    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t sysfs sysfs /sys
            /bin/busybox echo "%s arch=$(/bin/busybox uname -m) cpus=$(/bin/busybox grep -c ^processor /proc/cpuinfo)"
            /bin/busybox poweroff -f
            """.formatted(MARKER);

    private final Path kernel;
    private final Path vmlinux;
    private final Path initrd;
    private final String version;

    private DebianGuest(Path kernel, Path vmlinux, Path initrd, String version) {
        this.kernel = kernel;
        this.vmlinux = vmlinux;
        this.initrd = initrd;
        this.version = version;
    }

    /** The kernel exactly as the package ships it (a bzImage on amd64). */
    public Path kernel() {
        return kernel;
    }

    /**
     * The uncompressed kernel ELF, cut out of an x86 bzImage (setup header payload_offset/payload_length, XZ) with
     * the {@code xz} tool; empty for other architectures or when {@code xz} is missing.
     */
    public Optional<Path> vmlinux() {
        return Optional.ofNullable(vmlinux);
    }

    public Path initrd() {
        return initrd;
    }

    /** The kernel package version, e.g. {@code 6.1.0-50-amd64}. */
    public String version() {
        return version;
    }

    /** The outcome of {@link #fetch}: the guest, or why there is none. */
    public record Fetch(Optional<DebianGuest> guest, String reason) {}

    /** Fetches (or finds in the cache) the kernel and initramfs for {@code debArch} ({@code amd64}, {@code s390x}). */
    public static Fetch fetch(String debArch) {
        Path cache = Path.of(Optional.ofNullable(System.getenv("HYPERPORT_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/hyperport"), "debian", debArch);
        try {
            Path kernel = cache.resolve("vmlinuz");
            Path initrd = cache.resolve("initrd.gz");
            Path versionFile = cache.resolve("version");
            Path vmlinux = cache.resolve("vmlinux");
            if (Files.isRegularFile(kernel) && Files.isRegularFile(initrd) && Files.isRegularFile(versionFile)) {
                return new Fetch(Optional.of(new DebianGuest(kernel, Files.isRegularFile(vmlinux) ? vmlinux : null,
                        initrd, Files.readString(versionFile).strip())), "cached");
            }
            Files.createDirectories(cache);
            Path work = Files.createTempDirectory(cache, "fetch");
            String pkg = kernelPackage(debArch);
            run(work, "apt-get", "download", pkg + ":" + debArch);
            run(work, "apt-get", "download", "busybox-static:" + debArch);
            Path x = work.resolve("x");
            for (Path deb : debs(work)) {
                run(work, "dpkg-deb", "-x", deb.toString(), x.toString());
            }
            Path vmlinuz;
            try (Stream<Path> s = Files.list(x.resolve("boot"))) {
                vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinu")).findFirst()
                        .orElseThrow(() -> new IOException("no kernel image in " + pkg));
            }
            byte[] busybox = Files.readAllBytes(x.resolve("bin/busybox"));
            byte[] cpio = new Cpio().directory("bin").directory("dev").directory("proc").directory("sys")
                    .file("bin/busybox", 0755, busybox).file("init", 0755, INIT.getBytes(StandardCharsets.US_ASCII))
                    .toGzip();
            Files.copy(vmlinuz, kernel);
            Files.write(initrd, cpio);
            extractVmlinux(kernel, vmlinux, work);
            Files.writeString(versionFile, pkg.replace("linux-image-", ""));
            deleteTree(work);
            return fetch(debArch);
        } catch (IOException | RuntimeException e) {
            return new Fetch(Optional.empty(), "cannot fetch the Debian " + debArch + " kernel: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetch(Optional.empty(), "interrupted");
        }
    }

    /**
     * Cuts the compressed payload out of a bzImage (boot.rst: payload_offset 0x248 and payload_length 0x24c, counted
     * from the protected-mode code at (setup_sects + 1) * 512) and decompresses it when it is XZ. The payload ends
     * with the 4-byte decompressed size, hence {@code --single-stream}.
     */
    private static void extractVmlinux(Path bzImage, Path vmlinux, Path work) throws IOException,
            InterruptedException {
        byte[] b = Files.readAllBytes(bzImage);
        if (b.length < 0x250 || b[0x202] != 'H' || b[0x203] != 'd' || b[0x204] != 'r' || b[0x205] != 'S') {
            return;
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int setupSects = (b[0x1f1] & 0xff) == 0 ? 4 : b[0x1f1] & 0xff;
        long start = (setupSects + 1L) * 512 + (bb.getInt(0x248) & 0xffffffffL);
        long length = bb.getInt(0x24c) & 0xffffffffL;
        if (start + length > b.length || length < 6 || b[(int) start] != (byte) 0xfd || b[(int) start + 1] != '7') {
            return; // not XZ: leave vmlinux absent
        }
        Path xz = work.resolve("payload.xz");
        Files.write(xz, java.util.Arrays.copyOfRange(b, (int) start, (int) (start + length)));
        run(work, "sh", "-c", "xz -dc --single-stream payload.xz > vmlinux.tmp");
        Files.move(work.resolve("vmlinux.tmp"), vmlinux);
    }

    /** The versioned kernel package the {@code linux-image-<arch>} meta-package depends on. */
    private static String kernelPackage(String debArch) throws IOException, InterruptedException {
        String deps = run(null, "apt-cache", "depends", "linux-image-" + flavour(debArch) + ":" + debArch);
        Matcher m = Pattern.compile("Depends: (linux-image-[0-9][^\\s:]*)").matcher(deps);
        if (!m.find()) {
            throw new IOException("apt-cache knows no linux-image-" + flavour(debArch) + " for " + debArch
                    + " (for foreign architectures run: dpkg --add-architecture " + debArch + " && apt-get update)");
        }
        return m.group(1);
    }

    private static String flavour(String debArch) {
        return switch (debArch) {
            case "ppc64el" -> "powerpc64le";
            default -> debArch;
        };
    }

    private static List<Path> debs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".deb")).toList();
        }
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(cmd[0] + " is not available (" + e.getMessage() + ")");
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String last = text.strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException(String.join(" ", cmd) + " failed: " + last);
        }
        return text;
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
