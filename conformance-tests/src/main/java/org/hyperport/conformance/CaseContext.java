package org.hyperport.conformance;

import java.util.Optional;
import org.hyperport.api.Architecture;
import org.hyperport.api.BootImage;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.vm.VirtualMachine;

/** What a {@link ConformanceCase.HostCheck} gets: the architecture and engine under test, and ways to build VMs. */
public record CaseContext(Architecture arch, EngineProvider engine) {

    public VmConfig config(int smp) {
        return new VmConfig(arch.id(), engine.engine(), ConformanceKit.GUEST_MEMORY, smp, Optional.empty(),
                Optional.empty(), "", true);
    }

    /** A VM with the architecture's embedded guest loaded but not started. The caller closes it. */
    public VirtualMachine bootedEmbeddedGuest() {
        VirtualMachine vm = VirtualMachine.create(config(1), engine, new CapturingConsole());
        try {
            vm.boot(new BootImage("embedded", arch.embeddedGuest().orElseThrow(
                    () -> new AssertionError(arch.id() + " ships no embedded guest")).load(), Optional.empty(), ""));
            return vm;
        } catch (RuntimeException | Error e) {
            vm.close();
            throw e;
        }
    }
}
