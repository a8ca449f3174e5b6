package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hyperport.api.Architecture;
import org.hyperport.api.Availability;
import org.hyperport.api.BootImage;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.EngineProvider;
import org.hyperport.api.HostInfo;
import org.hyperport.api.Vcpu;
import org.hyperport.api.VmConfig;
import org.hyperport.common.console.CapturingConsole;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.hyperport.common.vm.VirtualMachine;
import org.hyperport.common.vm.VmOutcome;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The first conformance cases, run for every discovered (architecture, engine): an engine that cannot run here is
 * reported as skipped with its probe's reason, never as passed.
 * <ul>
 *   <li>L0 {@code cpu-state-roundtrip}: a snapshot restored into a vCPU reads back identically, including a changed
 *       general register.</li>
 *   <li>L2 {@code embedded-guest}: the architecture's embedded default guest prints and exits with status 0.</li>
 * </ul>
 */
class EngineMatrixTest {

    private static final HostInfo HOST = new PosixHostInfo();

    @TestFactory
    Stream<DynamicNode> everyArchitectureAndEngine() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Architecture arch : Architectures.discover().all()) {
            for (EngineProvider engine : arch.engines()) {
                Availability a = engine.probe(HOST);
                nodes.add(DynamicContainer.dynamicContainer(arch.id() + "/" + engine.engine().id(), Stream.of(
                        DynamicTest.dynamicTest("L0 cpu-state-roundtrip", () -> {
                            assumeTrue(a.usable(), "engine unusable here: " + a.reason());
                            cpuStateRoundTrip(arch, engine);
                        }),
                        DynamicTest.dynamicTest("L2 embedded-guest", () -> {
                            assumeTrue(a.usable(), "engine unusable here: " + a.reason());
                            embeddedGuest(arch, engine);
                        }))));
            }
        }
        assertFalse(nodes.isEmpty(), "no architecture on the class path");
        return nodes.stream();
    }

    private static VmConfig config(Architecture arch, EngineProvider engine) {
        return new VmConfig(arch.id(), engine.engine(), 64L << 20, 1, Optional.empty(), Optional.empty(), "", false);
    }

    private static BootImage embedded(Architecture arch) {
        return new BootImage("embedded", arch.embeddedGuest().orElseThrow().load(), Optional.empty(), "");
    }

    static void cpuStateRoundTrip(Architecture arch, EngineProvider engine) {
        try (VirtualMachine vm = VirtualMachine.create(config(arch, engine), engine, new CapturingConsole())) {
            vm.boot(embedded(arch));
            Vcpu cpu = vm.machine().vcpus().getFirst();
            CpuSnapshot before = cpu.state().snapshot();
            String first = before.values().firstEntry().getKey();
            LinkedHashMap<String, BigInteger> changed = new LinkedHashMap<>(before.values());
            changed.put(first, new BigInteger("1234567890abcdef", 16));

            cpu.state().restore(new CpuSnapshot(before.architecture(), changed, before.layout()));
            CpuSnapshot after = cpu.state().snapshot();

            assertEquals(new BigInteger("1234567890abcdef", 16), after.get(first));
            assertEquals(Optional.empty(), new CpuSnapshot(before.architecture(), changed, before.layout())
                    .firstDifference(after, r -> r.group() != org.hyperport.api.RegisterDesc.Group.TIMER));
        }
    }

    static void embeddedGuest(Architecture arch, EngineProvider engine) throws InterruptedException {
        CapturingConsole console = new CapturingConsole();
        try (VirtualMachine vm = VirtualMachine.create(config(arch, engine), engine, console)) {
            vm.boot(embedded(arch));
            VmOutcome o = vm.run(30_000);

            assertEquals(0, o.status(), o + "\n" + console.outputText());
            assertFalse(console.outputText().isBlank());
        }
    }
}
