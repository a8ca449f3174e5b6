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
 * L5 on x86_64/interpreter: the unmodified Debian bookworm amd64 kernel, entered through PVH, with the busybox
 * initramfs, reaches /init, prints the marker, and {@code poweroff -f} ends the VM with status 0. Skipped, with the
 * reason, where apt cannot fetch the kernel.
 */
@Tag("linux")
class DebianLinuxInterpreterTest {

    @Test
    void pvhVmlinuxBootsToInitAndPowersOff() throws IOException, InterruptedException {
        EngineProvider interp = Architectures.discover().byName("x86_64").engines().stream()
                .filter(e -> e.engine() == Engine.INTERPRETER).findFirst().orElseThrow();
        Availability a = interp.probe(new PosixHostInfo());
        assumeTrue(a.usable(), "interpreter unusable: " + a.reason());
        DebianGuest.Fetch f = DebianGuest.fetch("amd64");
        assumeTrue(f.guest().isPresent(), f.reason());
        DebianGuest guest = f.guest().get();
        assumeTrue(guest.vmlinux().isPresent(), "no uncompressed vmlinux (xz missing?)");
        VmConfig config = new VmConfig("x86_64", Engine.INTERPRETER, 512L << 20, 1, guest.vmlinux(),
                Optional.of(guest.initrd()), "console=ttyS0 panic=-1", false);
        CapturingConsole console = new CapturingConsole();

        VmOutcome o;
        try (VirtualMachine vm = VirtualMachine.create(config, interp, console)) {
            vm.boot(new BootImage("vmlinux", Files.readAllBytes(guest.vmlinux().get()),
                    Optional.of(Files.readAllBytes(guest.initrd())), config.append()));
            o = vm.run(1_200_000);
        }

        String text = o + "\n" + console.outputText();
        assertEquals(0, o.status(), text);
        assertTrue(console.outputText().contains(DebianGuest.MARKER + " arch=x86_64 cpus=1"), text);
        assertTrue(console.outputText().contains("Run /init as init process"), text);
    }
}
