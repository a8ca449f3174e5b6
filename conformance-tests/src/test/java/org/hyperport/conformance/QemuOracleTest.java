package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hyperport.api.Architecture;
import org.hyperport.api.EngineProvider;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The optional QEMU oracle ({@code ./mvnw verify -Pqemu-oracle}): every guest case runs under QEMU and on
 * hyperport's first usable engine, and console output and guest exit status must agree.
 */
@Tag("qemu")
class QemuOracleTest {

    @TestFactory
    Stream<DynamicNode> hyperportAgreesWithQemu() {
        ConformanceKit kit = new ConformanceKit(new PosixHostInfo());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Architecture arch : Architectures.discover().all()) {
            for (ConformanceCase c : ConformanceKit.guestCases(arch.id())) {
                nodes.add(DynamicTest.dynamicTest(arch.id() + " " + c.level() + " " + c.name(), () -> {
                    assumeTrue(QemuOracle.available(arch.id()), "no QEMU for " + arch.id() + " installed");
                    Optional<EngineProvider> engine = arch.engines().stream()
                            .filter(e -> e.probe(new PosixHostInfo()).usable()).findFirst();
                    assumeTrue(engine.isPresent(), "no usable hyperport engine for " + arch.id());
                    Optional<String> quirk = ConformanceKit.hostQuirk(c, engine.get());
                    assumeTrue(quirk.isEmpty(), quirk.orElse(""));
                    ConformanceCase.Guest g = (ConformanceCase.Guest) c.body();

                    GuestRun qemu = QemuOracle.run(arch.id(), ConformanceKit.resourceBytes(g.resource()), 120_000);
                    GuestRun ours = kit.runGuest(arch, engine.get(), g.resource());

                    assertEquals(qemu.outcome().status(), ours.outcome().status(), "exit status: " + qemu.outcome());
                    assertEquals(qemu.console(), ours.console());
                }));
            }
        }
        return nodes.stream();
    }

}
