package org.hyperport.x86.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.hyperport.api.BootImage;
import org.hyperport.api.Engine;
import org.hyperport.api.HyperportException;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;
import org.hyperport.x86.X86Architecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real guests on the KVM engine. Skipped, with the probe's reason, where /dev/kvm is unusable. */
class X86KvmMachineTest {

    @BeforeAll
    static void needsKvm() {
        var a = new X86KvmEngine().probe(new PosixHostInfo());
        assumeTrue(a.usable(), "KVM engine unusable here: " + a.reason());
    }

    record Run(VmOutcome outcome, String console) {}

    static Run run(byte[] image, int smp) throws InterruptedException {
        VmConfig config = new VmConfig("x86_64", Engine.KVM, 64L << 20, smp, Optional.empty(), Optional.empty(), "",
                true);
        CapturingConsole console = new CapturingConsole();
        try (VirtualMachine vm = VirtualMachine.create(config, new X86KvmEngine(), console)) {
            vm.boot(new BootImage("test", image, Optional.empty(), ""));
            VmOutcome o = vm.run(20_000);
            return new Run(o, console.outputText());
        }
    }

    @Test
    void embeddedGuestPrintsTicksAndExitsZero() throws InterruptedException {
        Run r = run(new X86Architecture().embeddedGuest().orElseThrow().load(), 1);

        assertEquals(0, r.outcome().status(), r.outcome() + "\n" + r.console());
        assertTrue(r.console().contains("long mode: on"), r.console());
        assertTrue(r.console().contains("timer: tick 3"), r.console());
        assertTrue(r.console().contains("default guest: done"), r.console());
    }

    @Test
    void debugExitPortGivesTheGuestStatus() throws InterruptedException {
        // mov dx, 0x3f8; mov al, 'K'; out dx, al; mov eax, 7; out 0xf4, eax
        Run r = run(TinyGuest.multiboot(0x66, 0xBA, 0xF8, 0x03, 0xB0, 'K',
                0xEE, 0xB8, 7, 0, 0, 0, 0xE7, 0xF4), 1);

        assertEquals(7, r.outcome().status());
        assertEquals("K", r.console());
    }

    @Test
    void tripleFaultEndsTheVmWithADiagnosisAndDump() throws InterruptedException {
        // lidt [CODE+8] (a zero-limit IDT); int3 → #GP → #DF → triple fault. Hardware KVM reports the triple
        // fault; the software-nested KVM of our CI hosts fails to emulate the delivery and reports an internal
        // error instead. Either way the VM must end with a crash status, the location and a CPU dump.
        int idtr = TinyGuest.CODE + 8;
        Run r = run(TinyGuest.multiboot(0x0F, 0x01, 0x1D, idtr, (idtr >> 8),
                (idtr >> 16), (idtr >> 24), 0xCC, 0, 0, 0, 0, 0, 0), 1);

        assertEquals(HyperportException.GUEST_CRASH, r.outcome().status());
        assertTrue(r.outcome().message().matches(
                "(guest triple fault|KVM_EXIT_INTERNAL_ERROR: emulation failure).*"), r.outcome().message());
        assertTrue(r.outcome().message().contains("vcpu 0 protected-32 rip 0x100013 (cs 0x10) bytes cc 00"),
                r.outcome().message());
        assertTrue(r.outcome().detail().contains("idtr.limit"), r.outcome().detail());
    }

    @Test
    void haltWithInterruptsOffPowersOffInsteadOfHanging() throws InterruptedException {
        // cli; hlt — without the watchdog this would sit in KVM_RUN until the 20 s --timeout (status 3).
        Run r = run(TinyGuest.multiboot(0xFA, 0xF4), 1);

        assertEquals(0, r.outcome().status(), r.outcome().toString());
    }
}
