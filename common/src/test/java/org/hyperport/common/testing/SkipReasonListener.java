package org.hyperport.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records every skipped or aborted test (an unmet assumption: no KVM, no apt, no compiler) with its full display
 * path and reason in {@code target/skipped-tests.txt}, which {@code ./test.sh} prints at the end, so that a skip is
 * never silent. Registered for every module that has common's test-jar on its test class path.
 */
public final class SkipReasonListener implements TestExecutionListener {

    private static final Path OUT = Path.of("target", "skipped-tests.txt");
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED && id.isTest()) {
            record(id, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private void record(TestIdentifier id, String reason) {
        Deque<String> names = new ArrayDeque<>();
        for (Optional<TestIdentifier> t = Optional.of(id); t.isPresent() && plan != null;
             t = plan.getParent(t.get())) {
            if (t.get().getParentId().isPresent()) {
                names.addFirst(t.get().getDisplayName());
            }
        }
        String line = String.join(" > ", names) + ": " + reason + System.lineSeparator();
        try {
            Files.createDirectories(OUT.getParent());
            Files.writeString(OUT, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Reporting only; never fail a test run over it.
        }
    }
}
