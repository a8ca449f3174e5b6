package org.hyperport.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperport.api.Architecture;
import org.hyperport.api.EngineProvider;
import org.hyperport.common.host.PosixHostInfo;
import org.hyperport.common.vm.Architectures;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance kit as JUnit dynamic tests: one container per (architecture, engine), one test per case, named
 * {@code L<n> <case>}. An engine that cannot run here makes its cases skipped with the probe's reason. A second
 * factory runs every guest case differentially on each pair of engines of an architecture.
 */
class ConformanceSuiteTest {

    private static final ConformanceKit KIT = new ConformanceKit(new PosixHostInfo());

    private static void verdict(CaseResult r) {
        switch (r.verdict()) {
            case PASS -> { }
            case SKIP -> assumeTrue(false, r.detail());
            case FAIL -> fail(r.testCase().id() + " on " + r.engine().id() + ": " + r.detail());
        }
    }

    @TestFactory
    Stream<DynamicNode> everyCaseOnEveryEngine() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Architecture arch : Architectures.discover().all()) {
            for (EngineProvider engine : arch.engines()) {
                List<DynamicNode> tests = KIT.cases(arch).stream().<DynamicNode>map(c -> DynamicTest.dynamicTest(
                        c.level() + " " + c.name(), () -> verdict(KIT.run(arch, engine, c)))).toList();
                nodes.add(DynamicContainer.dynamicContainer(arch.id() + "/" + engine.engine().id(), tests));
            }
        }
        assertFalse(nodes.isEmpty(), "no architecture on the class path");
        return nodes.stream();
    }

    @TestFactory
    Stream<DynamicNode> differentialBetweenEngines() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Architecture arch : Architectures.discover().all()) {
            List<EngineProvider> engines = arch.engines();
            for (int i = 1; i < engines.size(); i++) {
                EngineProvider a = engines.getFirst();
                EngineProvider b = engines.get(i);
                List<DynamicNode> tests = KIT.cases(arch).stream()
                        .filter(c -> c.body() instanceof ConformanceCase.Guest)
                        .<DynamicNode>map(c -> DynamicTest.dynamicTest(c.level() + " " + c.name(),
                                () -> verdict(KIT.differential(arch, a, b, c)))).toList();
                nodes.add(DynamicContainer.dynamicContainer(arch.id() + " " + a.engine().id() + " vs "
                        + b.engine().id(), tests));
            }
        }
        return nodes.stream();
    }
}
