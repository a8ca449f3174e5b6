package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.hyperport.api.Availability;
import org.hyperport.api.BootImage;
import org.hyperport.api.Engine;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;
import org.hyperport.conformance.linux.DebianGuest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * L5 on x86_64/interpreter: the unmodified Debian bookworm amd64 kernel, as the bzImage the package ships and as
 * the uncompressed vmlinux entered through PVH, with the busybox initramfs, reaches /init, prints the marker, and
 * {@code poweroff -f} ends the VM with status 0. Skipped, with the reason, where apt cannot fetch the kernel.
 */
@Tag("linux")
class DebianLinuxInterpreterTest {

    static EngineProvider interp;
    static DebianGuest guest;

    @org.junit.jupiter.api.BeforeAll
    static void prerequisites() {
        interp = Architectures.discover().byName("x86_64").engines().stream()
                .filter(e -> e.engine() == Engine.INTERPRETER).findFirst().orElseThrow();
        Availability a = interp.probe(new PosixHostInfo());
        assumeTrue(a.usable(), "interpreter unusable: " + a.reason());
        DebianGuest.Fetch f = DebianGuest.fetch("amd64");
        assumeTrue(f.guest().isPresent(), f.reason());
        guest = f.guest().get();
    }

    record Boot(VmOutcome outcome, String console) {}

    static Boot boot(java.nio.file.Path kernel) throws IOException, InterruptedException {
        VmConfig config = new VmConfig("x86_64", Engine.INTERPRETER, 512L << 20, 1, Optional.of(kernel),
                Optional.of(guest.initrd()), "console=ttyS0 panic=-1", false);
        CapturingConsole console = new CapturingConsole();
        try (VirtualMachine vm = VirtualMachine.create(config, interp, console)) {
            vm.boot(new BootImage(kernel.getFileName().toString(), Files.readAllBytes(kernel),
                    Optional.of(Files.readAllBytes(guest.initrd())), config.append()));
            return new Boot(vm.run(1_800_000), console.outputText());
        }
    }

    @Test
    void bzImageBootsToInitAndPowersOff() throws IOException, InterruptedException {
        Boot b = boot(guest.kernel());

        String text = b.outcome() + "\n" + b.console();
        assertEquals(0, b.outcome().status(), text);
        assertTrue(b.console().contains(DebianGuest.MARKER + " arch=x86_64 cpus=1"), text);
    }

    @Test
    void pvhVmlinuxBootsToInitAndPowersOff() throws IOException, InterruptedException {
        assumeTrue(guest.vmlinux().isPresent(), "no uncompressed vmlinux (xz missing?)");

        Boot b = boot(guest.vmlinux().get());

        VmOutcome o = b.outcome();
        String text = o + "\n" + b.console();
        assertEquals(0, o.status(), text);
        assertTrue(b.console().contains(DebianGuest.MARKER + " arch=x86_64 cpus=1"), text);
        assertTrue(b.console().contains("Run /init as init process"), text);
    }
}
