package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * L5 on s390x/interpreter: the unmodified Debian bookworm s390x kernel, as the package ships it, with the
 * busybox-static (s390x) initramfs and {@code console=ttysclp0}, IPLed the way QEMU's {@code -kernel} does.
 *
 * <p>The finish line is the marker from /init and status 0 after {@code poweroff -f}. Until the backend gets there,
 * this test holds it to what it already does: the kernel decompresses itself (XZ, through the interpreter's
 * rotate-then-select-bits and string instructions), finds the command line in the parameter area, prints through
 * the SCLP console, and sizes memory from READ SCP INFO; and whatever stops it ends the VM with a one-line
 * diagnosis, never a hang. Skipped, with the reason, where apt cannot fetch the s390x packages (they need
 * {@code dpkg --add-architecture s390x} and {@code apt-get update}).
 */
@Tag("linux")
class DebianLinuxS390Test {

    @Test
    void debianKernelBootsOnTheInterpreter() throws IOException, InterruptedException {
        EngineProvider interp = Architectures.discover().byName("s390x").engines().stream()
                .filter(e -> e.engine() == Engine.INTERPRETER).findFirst().orElseThrow();
        Availability a = interp.probe(new PosixHostInfo());
        assumeTrue(a.usable(), "interpreter unusable: " + a.reason());
        DebianGuest.Fetch f = DebianGuest.fetch("s390x");
        assumeTrue(f.guest().isPresent(), f.reason());
        DebianGuest guest = f.guest().get();

        VmConfig config = new VmConfig("s390x", Engine.INTERPRETER, 512L << 20, 1, Optional.of(guest.kernel()),
                Optional.of(guest.initrd()), "console=ttysclp0", false);
        CapturingConsole console = new CapturingConsole();
        VmOutcome o;
        try (VirtualMachine vm = VirtualMachine.create(config, interp, console)) {
            vm.boot(new BootImage("vmlinuz", Files.readAllBytes(guest.kernel()),
                    Optional.of(Files.readAllBytes(guest.initrd())), config.append()));
            o = vm.run(1_200_000);
        }
        String out = console.outputText();
        String text = o + "\n" + out;

        assertTrue(out.contains("Linux version 6.1"), text);
        assertTrue(out.contains("Kernel command line: console=ttysclp0"), text);
        assertTrue(out.contains("setup: The maximum memory size is 512MB"), text);
        assertFalse(o.message().contains("did not finish"), text);
        if (out.contains(DebianGuest.MARKER)) {
            assertTrue(out.contains(DebianGuest.MARKER + " arch=s390x cpus=1"), text);
            assertEquals(0, o.status(), text);
        } else {
            assertEquals(3, o.status(), text);
            assertFalse(o.message().isBlank(), text);
        }
    }
}
