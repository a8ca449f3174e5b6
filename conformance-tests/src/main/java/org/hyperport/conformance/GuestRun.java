package org.hyperport.conformance;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.hyperport.api.CpuSnapshot;
import org.hyperport.api.RegisterDesc;
import org.hyperport.api.StateRecord;
import org.hyperport.common.vm.VmOutcome;

/** Everything observable about one guest run: how it ended, what it printed, and the states it recorded. */
public record GuestRun(VmOutcome outcome, String console, List<StateRecord> records) {

    /** Registers compared between engines: everything but timers, which drift by design. */
    public static final Predicate<RegisterDesc> COMPARED = r -> r.group() != RegisterDesc.Group.TIMER;

    /**
     * The first observable difference between this run and {@code other}: exit status, console output (first
     * differing line), number of recorded states, then per record the first differing register in layout order.
     */
    public Optional<String> firstDifference(GuestRun other, String thisName, String otherName) {
        return firstDifference(other, thisName, otherName, COMPARED);
    }

    /** As {@link #firstDifference(GuestRun, String, String)}, comparing only the registers {@code compared} accepts. */
    public Optional<String> firstDifference(GuestRun other, String thisName, String otherName,
                                            Predicate<RegisterDesc> compared) {
        if (outcome.status() != other.outcome.status()) {
            return Optional.of("exit status " + outcome.status() + " (" + thisName + ") != " + other.outcome.status()
                    + " (" + otherName + ")");
        }
        Optional<String> text = firstLineDifference(console, other.console);
        if (text.isPresent()) {
            return Optional.of("console " + text.get() + " (" + thisName + " vs " + otherName + ")");
        }
        if (records.size() != other.records.size()) {
            return Optional.of(records.size() + " recorded states (" + thisName + ") != " + other.records.size()
                    + " (" + otherName + ")");
        }
        for (int i = 0; i < records.size(); i++) {
            StateRecord a = records.get(i);
            StateRecord b = other.records.get(i);
            if (a.tag() != b.tag()) {
                return Optional.of("record " + i + ": tag 0x" + Long.toHexString(a.tag()) + " != 0x"
                        + Long.toHexString(b.tag()));
            }
            Optional<CpuSnapshot.Difference> d = a.state().firstDifference(b.state(), compared);
            if (d.isPresent()) {
                return Optional.of("record " + i + " (tag 0x" + Long.toHexString(a.tag()) + "): " + d.get()
                        + " (" + thisName + " vs " + otherName + ")");
            }
        }
        return Optional.empty();
    }

    /** {@code line N: "a" != "b"} for the first differing line, if any. */
    public static Optional<String> firstLineDifference(String a, String b) {
        if (a.equals(b)) {
            return Optional.empty();
        }
        List<String> la = a.lines().toList();
        List<String> lb = b.lines().toList();
        for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
            String x = i < la.size() ? la.get(i) : "<end>";
            String y = i < lb.size() ? lb.get(i) : "<end>";
            if (!x.equals(y)) {
                return Optional.of("line " + (i + 1) + ": \"" + x + "\" != \"" + y + "\"");
            }
        }
        return Optional.of("differs in line endings or trailing newline");
    }

    private static final java.util.regex.Pattern EXIT_LINE = java.util.regex.Pattern.compile(
            "(?m)^EXIT: STATUS=(\\d{1,9})\\n?\\z");

    /**
     * The console without the test ABI's final {@code EXIT: STATUS=n} line: the architectures that report their
     * status on the console (s390x, ppc64) print it after the program's output, which {@code .expected} files hold.
     */
    public static String withoutExitLine(String console) {
        java.util.regex.Matcher m = EXIT_LINE.matcher(console);
        return m.find() ? console.substring(0, m.start()) : console;
    }

    /** The status of a final {@code EXIT: STATUS=n} line, or -1. */
    public static int exitLineStatus(String console) {
        java.util.regex.Matcher m = EXIT_LINE.matcher(console);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
